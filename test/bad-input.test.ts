import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  bettiLoss,
  BlockSmear,
  cubicalPersistence,
  layers,
  losses,
  optimize,
  persistenceDiagrams,
  ripsPersistence,
  topologicalTerm,
  totalPersistence,
  wassersteinLoss,
} from '../src/index';

// Every bad input that once gave a silent wrong answer, a late error from deep inside or a hang
// (one test per case): now a clear error naming the argument by its full path, at the call or
// construction that received it, or the right answer.

beforeAll(() => tf.setBackend('cpu'));

const image = () => tf.tensor4d([0, 3, 1, 4, 2, 5, 0, 1, 2], [1, 3, 3, 1]);
const total = { kind: 'totalPersistence', dim: 0 } as const;

describe('silent wrong answers', () => {
  test('bettiLoss and wassersteinLoss require one integer dim', () => {
    const d = persistenceDiagrams(image());
    expect(() => bettiLoss(d, { betti: 1 } as never)).toThrow(/^options\.dim: expected one homology dimension/);
    expect(() => wassersteinLoss(d, [[0, 1]], {} as never)).toThrow(/^options\.dim: expected one homology dimension/);
    expect(() => wassersteinLoss(d, [[0, 1]], { dim: [0, 1] } as never)).toThrow(/^options\.dim:/);
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'betti', betti: 1 } as never })).toThrow(
      /^args\.functional\.dim:/,
    );
  });

  test('BlockSmear refuses NaN and ±Infinity, on tensors and on the host', () => {
    const smear = new BlockSmear({ block: 2, seed: 1 });
    expect(() => smear.apply(tf.tensor4d([NaN, 1, 2, 3], [1, 2, 2, 1]))).toThrow(
      'x: expected finite values, got NaN or ±Infinity',
    );
    expect(() => smear.apply(tf.tensor2d([0, Infinity, 2, 3], [2, 2]))).toThrow(/^x: expected finite values/);
    expect(() => smear.sample(Float32Array.from([0, 1, NaN, 3]), [2, 2])).toThrow(
      'x: expected finite values, got NaN at index 2',
    );
  });

  test('Rips distances neither overflow nor underflow: four points 1e200 apart are one component', () => {
    for (const scale of [1e200, 1e-200, 1]) {
      const [h0] = ripsPersistence([0, 0, scale, 0, 0, scale, scale, scale], 2, { maxDim: 0 });
      expect(Array.from(h0.deaths).filter((d) => d === Infinity)).toHaveLength(1);
      expect(Array.from(h0.deaths).filter(Number.isFinite)).toEqual([scale, scale, scale]);
    }
    const [h0] = ripsPersistence([0, 1e308], 1, { maxDim: 0 });
    expect(Array.from(h0.deaths)).toEqual([1e308, Infinity]);
    expect(() => ripsPersistence([-1e308, 1e308], 1)).toThrow(/^points: the distance between points 0 and 1 exceeds/);
  });

  test('unknown option keys are refused with the known ones and the nearest name', async () => {
    expect(() => cubicalPersistence(new Float32Array(4), [2, 2], { superLevel: true } as never)).toThrow(
      "options.superLevel: unknown option (did you mean 'superlevel'?); expected one of construction, superlevel, dims, keepZeroLength",
    );
    const d = persistenceDiagrams(image());
    expect(() => totalPersistence(d, { dim: 0, pp: 3 } as never)).toThrow(
      /^options\.pp: unknown option \(did you mean 'p'\?\)/,
    );
    expect(() => persistenceDiagrams(image(), { superLevel: true } as never)).toThrow(/^options\.superLevel: unknown/);
    expect(() => new BlockSmear({ block: 2, nosie: 1 } as never)).toThrow(
      /^options\.nosie: unknown option \(did you mean 'noise'\?\)/,
    );
    expect(() => layers.smearedTopoLoss({ functional: total, block: 2, sampels: 2 } as never)).toThrow(
      /^args\.sampels: unknown option \(did you mean 'samples'\?\)/,
    );
    expect(() => losses.topological({ functional: total, wieght: 2 } as never)).toThrow(
      /^args\.wieght: unknown option/,
    );
    await expect(
      optimize(tf.zeros([4, 4]), { functional: total, steps: 1, learningrate: 0.1 } as never),
    ).rejects.toThrow(/^options\.learningrate: unknown option \(did you mean 'learningRate'\?\)/);
  });
});

describe('errors come at the call or construction, naming the argument', () => {
  test.each([
    [{ functional: total, construction: 'Q' }, "args.construction: expected 'T' or 'V', got 'Q'"],
    [{ functional: total, dims: [7] }, 'args.dims: homology dimension 7 is out of range'],
    [{ functional: { ...total, p: -1 } }, 'args.functional.p: expected a finite number ≥ 1, got -1'],
    [{ functional: { kind: 'betti', dim: 0 } }, 'args.functional.betti: expected the wanted number of classes'],
    [{ functional: { kind: 'wasserstein', dim: 0 } }, 'args.functional.target: expected an array of [birth, death]'],
    [{ functional: total, essential: 'keep' }, "args.essential: expected 'drop' or 'clip', got 'keep'"],
  ])('layers and losses.topological: %j', (args, message) => {
    expect(() => layers.vanillaTopoLoss(args as never)).toThrow(message);
    expect(() => layers.smearedTopoLoss({ ...args, block: 2 } as never)).toThrow(message);
    expect(() => losses.topological(args as never)).toThrow(message);
  });

  test('missing or null options are an error naming them, never a TypeError', async () => {
    const d = persistenceDiagrams(image());
    const expectClear = (f: () => unknown, message: RegExp) => {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    };
    expectClear(() => persistenceDiagrams(image(), null as never), /^options: expected an object, got null/);
    expectClear(() => totalPersistence(null as never), /^diagrams: expected the diagrams of an op/);
    expectClear(() => totalPersistence(d, null as never), /^options: expected an object, got null/);
    expectClear(() => cubicalPersistence(new Float32Array(4), [2, 2], null as never), /^options: expected an object/);
    expectClear(() => layers.vanillaTopoLoss(null as never), /^args: expected an object, got null/);
    await expect(optimize(tf.zeros([4, 4]), undefined as never)).rejects.toThrow(
      /^options\.steps: expected an integer ≥ 1/,
    );
    await expect(optimize(tf.zeros([4, 4]), null as never)).rejects.toThrow(/^options: expected an object, got null/);
  });

  test('topologicalTerm checks its config as layers, losses and optimize do, naming config.*', () => {
    const x = tf.zeros([3, 3]);
    expect(() => topologicalTerm(x, { functional: { kind: 'totalPersistence', dim: 1 }, dims: [0] })).toThrow(
      'config.functional.dim: homology dimension 1 is not computed (config.dims is [0])',
    );
    expect(() => topologicalTerm(x, { functional: total, superlevel: 1 as never })).toThrow(
      'config.superlevel: expected a boolean, got 1',
    );
    expect(() => topologicalTerm(x, { functional: total, dims: [0, 2] })).toThrow(
      'config.dims: homology dimension 2 is out of range for a 2-D input (expected 0..1)',
    );
    expect(() => topologicalTerm(x, { functional: { kind: 'totalPersistence', dim: 2 } })).toThrow(
      /^config\.functional\.dim: homology dimension 2 was not computed/,
    );
  });

  test("a Wasserstein options' target is the gradient's end: a diagram there is refused at once", () => {
    const d = persistenceDiagrams(image());
    expect(() => wassersteinLoss(d, [[0, 1]], { dim: 0, target: [[0, 1]] as never })).toThrow(
      "options.target: expected 'birth', 'death' or 'both' (the end receiving the gradient; the target diagram is wassersteinLoss's second argument), got [[0, 1]]",
    );
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'wasserstein', dim: 0, target: [[0, NaN]] } })).toThrow(
      'args.functional.target: expected an array of [birth, death] pairs of finite numbers (the target diagram), got [[0, NaN]]',
    );
  });

  test('optimize: a block larger than x0 names options.smear.block at the call', async () => {
    await expect(optimize(tf.zeros([4, 4]), { functional: total, steps: 1, smear: { block: 8 } })).rejects.toThrow(
      /^options\.smear\.block: block size 8 along spatial axis H/,
    );
    await expect(
      optimize(tf.zeros([4, 4]), {
        functional: total,
        steps: 1,
        smear: { block: 2, schedule: [{ steps: 1 }, { block: 5 }] },
      }),
    ).rejects.toThrow(/^options\.smear\.schedule\[1\]\.block: block size 5/);
    for (const path of ['host', 'tensor'] as const)
      await expect(
        optimize(tf.zeros([4, 4]), { functional: { kind: 'totalPersistence', dim: 2 }, steps: 1, path }),
      ).rejects.toThrow(/^options\.functional\.dim: homology dimension 2 was not computed/);
  });

  test('onStep is checked before the work starts', async () => {
    await expect(optimize(tf.zeros([4, 4]), { functional: total, steps: 5, onStep: 5 as never })).rejects.toThrow(
      'options.onStep: expected a function, got 5',
    );
  });

  test('a diverging learning rate is reported as such, on both paths', async () => {
    const x = tf.tensor2d([0, 3, 1, 4, 2, 5, 0, 1, 2], [3, 3]);
    for (const path of ['host', 'tensor'] as const)
      await expect(
        optimize(x, { functional: { kind: 'totalPersistence', dim: 0, p: 2 }, steps: 50, learningRate: 1e300, path }),
      ).rejects.toThrow(/^options\.learningRate: the optimization diverged at step \d+/);
  });

  test('strings are quoted and NaN printed as NaN', () => {
    expect(() => cubicalPersistence(new Float32Array(4), ['2', '2'] as never)).toThrow(
      "shape: expected positive integer sizes, got ['2', '2']",
    );
    expect(() => new BlockSmear({ block: 2, noise: NaN })).toThrow(
      'options.noise: expected a finite float32 number ≥ 0, got NaN',
    );
    expect(() => layers.vanillaTopoLoss({ functional: { ...total, goal: 'max' } as never })).toThrow(
      "args.functional.goal: expected 'minimize' or 'maximize', got 'max'",
    );
    expect(() => new BlockSmear({ block: 2, seed: '0' as never })).toThrow(
      "options.seed: expected an integer, got '0'",
    );
  });
});

describe('sizes are checked before any allocation', () => {
  test('cubicalPersistence compares the values with the shape first', () => {
    expect(() => cubicalPersistence(new Float32Array(4), [10000, 10000])).toThrow(
      'values: expected 100000000 entries to match the shape, got 4',
    );
    expect(() => cubicalPersistence(new Float32Array(4), [40000, 40000, 40000])).toThrow(/^shape: at most/);
  });
});
