import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { layers, model as tfModel, input as tfInput } from '@tensorflow/tfjs-layers';
import { layers as topoLayers, losses, optimize, SmearSchedule } from '../../src';
import { blobs, componentTerm, H, W } from '../reference/blobs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The stage and block of each of `steps` steps, feeding `objective(step)` to the schedule. */
function walk(schedule: SmearSchedule, steps: number, objective: (step: number) => number = () => 1) {
  const seen: [number, unknown][] = [];
  for (let step = 0; step < steps; step++) {
    seen.push([schedule.stage, schedule.smear?.block ?? 'exact']);
    schedule.record(() => objective(step));
  }
  return seen;
}

describe('SmearSchedule', () => {
  test('without a schedule, one smear for every step', () => {
    const schedule = new SmearSchedule({ block: 3, seed: 7 }, undefined, undefined, 'smear');
    expect(schedule.samples).toBe(1);
    expect(walk(schedule, 5)).toEqual(Array(5).fill([0, 3]));
    expect(schedule.smear?.seed).toBe(7);
  });

  test('stages of fixed length, stage settings over the smear’s, the exact stage without a smear', () => {
    const schedule = new SmearSchedule(
      { block: 4, noise: 2, seed: 10 },
      [{ steps: 2 }, { block: 2, steps: 3 }, { block: 1, noise: 0 }],
      2,
      'smear',
    );
    let reads = 0;
    const seen = walk(schedule, 8, () => ++reads);
    expect(seen).toEqual([
      [0, 4],
      [0, 4],
      [1, 2],
      [1, 2],
      [1, 2],
      [2, 'exact'],
      [2, 'exact'],
      [2, 'exact'],
    ]);
    expect(reads).toBe(0); // step rules never read the objective
    expect(schedule.samples).toBe(2);
    schedule.dispose();
  });

  test('each stage draws from its own stream seeded by the smear’s seed and its index', () => {
    const schedule = new SmearSchedule({ block: 2, seed: 10 }, [{ steps: 1 }, { noise: 1 }], 1, 'smear');
    expect(schedule.smear?.seed).toBe(10);
    schedule.record(() => 0);
    expect([schedule.smear?.seed, schedule.smear?.noise]).toEqual([11, 1]);
  });

  test('in training, a plateau stage ends at the first window whose mean term falls less than 1 % below the last', () => {
    // Windows of 3 steps: means 100, 90 (−10 %), 89.5 (−0.6 %: plateau, after step 9).
    const values = [101, 100, 99, 91, 90, 89, 90, 89.5, 89, 50, 50, 50];
    const schedule = new SmearSchedule({ block: 2, seed: 1 }, [{ plateau: 3 }, { block: 1 }], 1, 'smear');
    const stages = walk(schedule, values.length, (step) => values[step]).map(([stage]) => stage);
    expect(stages).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  test('a flat or zero term is a plateau; steps and plateau together end at whichever comes first', () => {
    const flat = new SmearSchedule({ block: 2, seed: 1 }, [{ plateau: 4 }, { block: 1 }], 1, 's');
    expect(walk(flat, 9, () => 0).filter(([stage]) => stage === 0)).toHaveLength(8);
    const falling = new SmearSchedule({ block: 2, seed: 1 }, [{ plateau: 2, steps: 5 }, { block: 1 }], 1, 's');
    expect(walk(falling, 7, (step) => 100 - 10 * step).filter(([stage]) => stage === 0)).toHaveLength(5);
  });

  test('in direct optimization, a plateau stage compares the exact objective at its first step and every window', () => {
    // Read at steps 1, 3, 6, 9 of the stage: 100, 90 (−10 %), 89.5 (−0.6 %: plateau after step 6).
    const values: Record<number, number> = { 1: 100, 3: 90, 6: 89.5 };
    const schedule = new SmearSchedule({ block: 2, seed: 1 }, [{ plateau: 3 }, { block: 1 }], 1, 's');
    const reads: number[] = [];
    for (let step = 1; step <= 8; step++)
      schedule.recordExact(() => {
        reads.push(step);
        return values[step];
      });
    expect(reads).toEqual([1, 3, 6]);
    expect(schedule.stage).toBe(1);
    // A flat start ends the stage at its first window: a smear that cannot lower the loss costs one window.
    const flat = new SmearSchedule({ block: 2, seed: 1 }, [{ plateau: 5 }, { block: 1 }], 1, 's');
    for (let step = 1; step <= 5; step++) flat.recordExact(() => 7);
    expect(flat.stage).toBe(1);
  });

  test('bad schedules are refused naming the stage and the key', () => {
    const make = (base: object, stages: unknown, samples?: unknown) => () =>
      new SmearSchedule(base as never, stages as never, samples, 'options.smear');
    expect(make({ block: 2 }, [])).toThrow(/options\.smear\.schedule: expected a non-empty array/);
    expect(make({ block: 2 }, { steps: 3 })).toThrow(/options\.smear\.schedule: expected a non-empty array/);
    expect(make({ block: 2 }, [{ steps: 2 }, { steps: 3 }])).toThrow(
      /options\.smear\.schedule\[1\]: the last stage lasts to the end/,
    );
    expect(make({ block: 2 }, [{ block: 1 }, {}])).toThrow(/options\.smear\.schedule\[0\]: expected steps or plateau/);
    expect(make({ block: 2 }, [{ step: 3 }, {}])).toThrow(
      /options\.smear\.schedule\[0\]\.step: .*did you mean 'steps'/,
    );
    expect(make({ block: 2 }, [{ steps: 0 }, {}])).toThrow(
      /options\.smear\.schedule\[0\]\.steps: expected an integer ≥ 1/,
    );
    expect(make({ block: 2 }, [{ plateau: 1.5 }, {}])).toThrow(/options\.smear\.schedule\[0\]\.plateau/);
    expect(make({ block: 2 }, [{ steps: 1 }, { block: 0 }])).toThrow(/options\.smear\.schedule\[1\]\.block/);
    expect(make({ block: 2 }, [{ steps: 1 }, { noise: -1 }])).toThrow(/options\.smear\.schedule\[1\]\.noise/);
    expect(make({ block: -2 }, [{ block: 2, steps: 1 }, {}])).toThrow(/options\.smear\.block/);
    expect(make({}, [{ steps: 1 }, { block: 1 }])).toThrow(/options\.smear\.block: .*schedule\[0\] gives none/);
    expect(make({ block: 2 }, undefined, 0)).toThrow(/options\.smear\.samples: expected an integer ≥ 1/);
    expect(make({ block: 2, seed: 0.5 }, [{ steps: 1 }, {}])).toThrow(/options\.smear\.seed/);
    expect(make({ seed: 'x' }, [{ block: 2, steps: 1 }, {}])).toThrow(/options\.smear\.seed/);
  });
});

describe('schedules in optimize, the smeared layer and the losses', () => {
  const x0 = () => tf.reshape(blobs(1, 6), [H, W]);

  for (const path of ['host', 'tensor'] as const)
    test(`${path} path: a schedule's stages are its stages' own runs, and an exact last stage is vanilla`, async () => {
      const x = x0();
      const stage0 = { block: 2, noise: 0.05, seed: 3 };
      const scheduled = await optimize(x, {
        steps: 6,
        path,
        ...componentTerm,
        smear: { ...stage0, schedule: [{ steps: 3 }, { block: 1, noise: 0 }] },
      });
      expect(scheduled.history.map((h) => h.stage)).toEqual([0, 0, 0, 1, 1, 1]);
      // The first 3 steps are the smear's own (stage 0 draws from the smear's seed).
      const smeared = await optimize(x, { steps: 3, path, ...componentTerm, smear: stage0 });
      scheduled.history.slice(0, 3).forEach((h, i) => expect(h.loss).toBe(smeared.history[i].loss));
      // A schedule of one exact stage is vanilla descent, step for step.
      const exact = await optimize(x, { steps: 4, path, ...componentTerm, smear: { block: 1, schedule: [{}] } });
      const vanilla = await optimize(x, { steps: 4, path, ...componentTerm });
      expect(exact.result.dataSync()).toEqual(vanilla.result.dataSync());
      expect(exact.history.map((h) => h.stage)).toEqual([0, 0, 0, 0]);
      for (const r of [scheduled, smeared, exact, vanilla]) r.result.dispose();
      x.dispose();
    });

  test('the host and tensor paths move through a plateau schedule alike', async () => {
    const x = x0();
    const smear = { block: 2, noise: 0.02, seed: 9, schedule: [{ plateau: 2 }, { block: 1, noise: 0 }] };
    const run = (path: 'host' | 'tensor') => optimize(x, { steps: 12, path, ...componentTerm, smear });
    const [host, tensor] = [await run('host'), await run('tensor')];
    expect(host.history.map((h) => h.stage)).toEqual(tensor.history.map((h) => h.stage));
    host.history.forEach((h, i) => expect(h.loss).toBeCloseTo(tensor.history[i].loss, 3));
    host.result.dispose();
    tensor.result.dispose();
    x.dispose();
  });

  test('SmearedTopoLoss moves on with training steps only, saves its schedule, and refuses a bad one', async () => {
    const schedule = [
      { block: 2, steps: 2 },
      { block: 1, noise: 0 },
    ];
    const make = () =>
      topoLayers.smearedTopoLoss({ block: 4, seed: 1, schedule, functional: componentTerm.functional });
    const layer = make();
    const inp = tfInput({ shape: [H, W, 1] });
    const net = tfModel({
      inputs: inp,
      outputs: layer.apply(layers.conv2d({ filters: 1, kernelSize: 1 }).apply(inp)) as never,
    });
    net.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = tf.reshape(blobs(1, 2), [1, H, W, 1]);
    (net.predict(xs) as tf.Tensor).dispose();
    expect(layer.stage).toBe(0);
    await net.fit(xs, xs, { epochs: 3, verbose: 0 });
    expect(layer.stage).toBe(1);
    expect(layer.getConfig()['schedule']).toEqual(schedule);
    const copy = topoLayers.SmearedTopoLoss.fromConfig(topoLayers.SmearedTopoLoss, layer.getConfig()) as typeof layer;
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(() =>
      topoLayers.smearedTopoLoss({ block: 4, schedule: [{ steps: 2 }], functional: componentTerm.functional }),
    ).toThrow(/args\.schedule\[0\]: the last stage/);
    net.dispose();
    xs.dispose();
  });

  test('losses.topological counts its calls as steps', () => {
    const loss = losses.topological({
      ...componentTerm,
      base: 'none',
      smear: { block: 2, seed: 4, schedule: [{ steps: 1 }, { block: 1, noise: 0 }] },
    });
    const y = tf.reshape(blobs(1, 5), [1, H, W, 1]);
    const vanilla = losses.topological({ ...componentTerm, base: 'none' });
    const [first, second, exact] = [loss(y, y), loss(y, y), vanilla(y, y)];
    expect(second.dataSync()[0]).toBe(exact.dataSync()[0]); // the second call is in the exact stage
    expect(first.dataSync()[0]).not.toBe(exact.dataSync()[0]);
    tf.dispose([first, second, exact, y]);
  });
});
