// One thread of a PairingPool (see pairing-pool.ts): pairs the maps it is sent with engines it
// keeps per shape and options, posts the diagrams back, and counts the task done on the shared
// counter the pool's thread waits on.
import { MessagePort, workerData } from 'worker_threads';
import { CubicalOptions, CubicalPersistence, PersistenceDiagram } from 'tfjs-topo/persistence';
import type { PairingTask, PairingReply } from './pairing-pool';

const { port, done } = workerData as { port: MessagePort; done: Int32Array };
const engines = new Map<string, CubicalPersistence>();

function engineFor(shape: readonly number[], options: CubicalOptions): CubicalPersistence {
  const key = JSON.stringify([shape, options]);
  let engine = engines.get(key);
  if (engine === undefined) {
    if (engines.size >= 8) engines.delete(engines.keys().next().value as string);
    engine = new CubicalPersistence(shape, options);
    engines.set(key, engine);
  }
  return engine;
}

port.on('message', (task: PairingTask) => {
  const size = task.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(task.values, 0, task.maps * size);
  const diagrams: PersistenceDiagram[][] = [];
  let reply: PairingReply;
  let m = task.first;
  try {
    const engine = engineFor(task.shape, task.options);
    for (; m < task.first + task.count; m++) diagrams.push(engine.compute(values.subarray(m * size, (m + 1) * size)));
    reply = { diagrams };
  } catch (e) {
    reply = { error: String((e as Error).message), map: m };
  }
  port.postMessage(reply);
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
