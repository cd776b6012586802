import { availableParallelism, cpus } from 'os';
import { join } from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import type { PairingPool } from 'tfjs-topo';
import type { CubicalOptions, PersistenceDiagram } from 'tfjs-topo/persistence';

/** Options of `createPairingPool`. */
export interface PairingPoolArgs {
  /** Worker threads. Default: the cores Node reports (`os.availableParallelism()`), at least 1. */
  threads?: number;
}

/** A `PairingPool` on Node's worker threads; `close` ends the threads. */
export interface NodePairingPool extends PairingPool {
  /** Ends the worker threads; the pool refuses work afterwards. */
  close(): Promise<void>;
}

/** One message from the pool to a thread: maps first .. first + count − 1 of the shared values. */
export interface PairingTask {
  values: SharedArrayBuffer;
  maps: number;
  first: number;
  count: number;
  shape: readonly number[];
  options: CubicalOptions;
}

/** A thread's answer: the diagrams of its maps, or the engine's error on one of them. */
export type PairingReply = { diagrams: PersistenceDiagram[][] } | { error: string; map: number };

/**
 * A pool of worker threads that pairs the maps of a batch in parallel, for `setPairingPool`. The
 * call that hands it a batch stays synchronous, as the ops are: the values go to the threads in
 * shared memory, the calling thread sleeps on a shared counter (`Atomics.wait`, which Node allows
 * on its main thread, unlike browsers) until every thread has answered, then reads the answers
 * off their message ports. Each thread keeps its engines, so a training loop allocates nothing
 * after its first steps. The threads do not keep the process alive.
 *
 * @throws Error naming `args.threads` (not a positive integer) or `args` (an unknown key).
 */
export function createPairingPool(args: PairingPoolArgs = {}): NodePairingPool {
  for (const key of Object.keys(args)) {
    if (key !== 'threads') throw new Error(`args: unknown option '${key}', expected threads`);
  }
  const threads =
    args.threads ?? Math.max(1, typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`args.threads: expected a positive integer, got ${String(threads)}`);
  }
  const done = new Int32Array(new SharedArrayBuffer(4));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let t = 0; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(join(__dirname, 'pairing-worker.js'), {
      workerData: { port: port2, done },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    workers.push(worker);
    ports.push(port1);
  }
  let values = new SharedArrayBuffer(0);
  let closed = false;

  return {
    threads,
    cubical(packed, maps, shape, options) {
      if (closed) throw new Error('pool: this PairingPool was closed');
      if (values.byteLength < packed.byteLength) values = new SharedArrayBuffer(packed.byteLength);
      new Float32Array(values, 0, packed.length).set(packed);
      // Contiguous runs of maps, one per thread, as even as the count allows.
      const tasks = Math.min(threads, maps);
      Atomics.store(done, 0, 0);
      for (let t = 0, first = 0; t < tasks; t++) {
        const count = Math.floor(maps / tasks) + (t < maps % tasks ? 1 : 0);
        const task: PairingTask = { values, maps, first, count, shape, options: { ...options } };
        ports[t].postMessage(task);
        first += count;
      }
      for (let seen = Atomics.load(done, 0); seen < tasks; seen = Atomics.load(done, 0)) Atomics.wait(done, 0, seen);
      // Every reply is read before an error is thrown, so that none is left for the next batch.
      const replies = ports.slice(0, tasks).map((port) => receiveMessageOnPort(port)?.message as PairingReply);
      const failed = replies.find((reply) => 'error' in reply);
      if (failed !== undefined && 'error' in failed) throw Object.assign(new Error(failed.error), { map: failed.map });
      return replies.flatMap((reply) => ('diagrams' in reply ? reply.diagrams : []));
    },
    async close() {
      closed = true;
      for (const port of ports) port.close();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
