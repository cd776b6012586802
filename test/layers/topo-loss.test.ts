import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { layers, losses, persistenceDiagrams, topologicalTerm } from '../../src';
import { smearedTerm } from '../../src/smear/smeared-term';
import { BlockSmear } from '../../src/smear/block-smear';
import { blobs, componentsAbove, componentTerm, H, W } from '../reference/blobs';
import { seededConv2d } from '../reference/seeded-conv';
import { expectRoundTrip, expectSameDraws } from '../reference/round-trip';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// For a model, both ends of each bar are the model's to move (raising only the saddles through a
// kernel would raise the peaks with them).
const modelTerm = {
  superlevel: true,
  functional: { kind: 'totalPersistence' as const, dim: 0, p: 2 },
};

/** A 3×3 convolution starting as the identity, then the topological layer. */
function model(topoLayer: tfl.layers.Layer): tfl.Sequential {
  const m = tfl.sequential();
  const identity = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]);
  m.add(
    tfl.layers.conv2d({
      inputShape: [H, W, 1],
      filters: 1,
      kernelSize: 3,
      padding: 'same',
      weights: [identity],
      useBias: false,
    }),
  );
  m.add(topoLayer);
  return m;
}

describe('loss layers in model.fit', () => {
  for (const [name, make] of [
    ['vanillaTopoLoss', () => layers.vanillaTopoLoss({ ...modelTerm, weight: 1 })],
    ['smearedTopoLoss', () => layers.smearedTopoLoss({ ...modelTerm, weight: 1, block: 2, noise: 0.01, seed: 3 })],
  ] as const)
    test(`${name}: training removes spurious components of the output`, async () => {
      const x = blobs(4, 1);
      const m = model(make());
      // The data term asks the output to stay the input; the topological term asks for fewer
      // components: the kernel learns to blur blobs together.
      m.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const before = componentsAbove(m.predict(x) as tf.Tensor, 0.05);
      await m.fit(x, x, { epochs: 60, batchSize: 4, shuffle: false, verbose: 0 }); // shuffled, the batch order (and the training) would change by run
      const after = componentsAbove(m.predict(x) as tf.Tensor, 0.05);
      expect(before).toBeGreaterThan(4); // several components per image to begin with
      expect(after).toBeLessThan(before);
    });
});

describe('serialization', () => {
  for (const [name, layer] of [
    ['VanillaTopoLoss', () => layers.vanillaTopoLoss({ ...componentTerm, weight: 0.5, essential: 'clip' })],
    [
      'SmearedTopoLoss',
      () =>
        layers.smearedTopoLoss({
          functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [0.1, Infinity], target: 'death' },
          block: [2, 3],
          noise: 0.1,
          measure: 'vertex',
          samples: 2,
          seed: 9,
        }),
    ],
  ] as const)
    test(`${name}: save and load round trip`, async () => {
      const original = model(layer());
      await expectRoundTrip(original, name, blobs(2, 5));
    });
});

test('no tensor leaks over 100 training steps', async () => {
  const x = blobs(2, 2);
  const y = tf.zerosLike(x);
  const m = model(layers.smearedTopoLoss({ ...componentTerm, block: 2, noise: 0.01, seed: 1 }));
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  await m.trainOnBatch(x, y); // creates the optimizer's slots
  const start = tf.memory().numTensors;
  for (let i = 0; i < 100; i++) await m.trainOnBatch(x, y);
  expect(tf.memory().numTensors).toBe(start);
});

describe('loss functions for compile', () => {
  test('binary cross-entropy plus a Betti prior trains and lowers the component count', async () => {
    const x = blobs(4, 7);
    const m = tfl.sequential();
    m.add(seededConv2d({ inputShape: [H, W, 1], filters: 1, activation: 'sigmoid', seed: 1 }));
    const loss = losses.topological({
      base: 'binaryCrossentropy',
      weight: 1,
      superlevel: true,
      functional: { kind: 'betti', dim: 0, betti: 1, lifetime: 1 },
    });
    m.compile({ optimizer: tf.train.adam(0.05), loss });
    const labels = tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32'));
    const history = await m.fit(x, labels, { epochs: 30, batchSize: 4, verbose: 0, shuffle: false });
    const values = history.history.loss as number[];
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values[values.length - 1]).toBeLessThan(values[0]);
  });

  test('rejects malformed arguments', () => {
    expect(() => losses.topological({ functional: { kind: 'nope' } as never })).toThrow(/args\.functional\.kind/);
    expect(() => losses.topological({ base: 'hinge' as never, functional: { kind: 'topK', k: 1 } })).toThrow(
      /args\.base/,
    );
  });
});

describe('bad arguments', () => {
  test('layers reject a malformed functional, weight or smearing', () => {
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'magic' } as never })).toThrow(/args\.functional\.kind/);
    expect(() => layers.vanillaTopoLoss({ functional: { kind: 'topK', k: 1 }, weight: NaN })).toThrow(/args\.weight/);
    expect(() => layers.smearedTopoLoss({ functional: { kind: 'topK', k: 1 }, block: 2, noise: -1 })).toThrow(/noise/);
    expect(() => layers.smearedTopoLoss({ functional: { kind: 'topK', k: 1 }, block: 2, samples: 0 })).toThrow(
      /args\.samples/,
    );
  });

  test('a loss layer refuses a second input, in a model and when called, as tfjs-layers layers do', () => {
    const a = tfl.input({ shape: [H, W, 1] });
    const b = tfl.input({ shape: [H, W, 1] });
    const layer = layers.vanillaTopoLoss({ functional: { kind: 'topK', k: 1 }, name: 'topo' });
    expect(() => layer.apply([a, b])).toThrow(/^VanillaTopoLoss 'topo': expected one input, got 2$/);
    expect(() => layer.call([tf.zeros([1, H, W, 1]), tf.zeros([1, H, W, 1])], {})).toThrow(/expected one input, got 2/);
    const output = layer.apply([a]) as tfl.SymbolicTensor;
    expect(output.shape).toEqual([null, H, W, 1]);
    layer.dispose();
  });

  test('the op rejects NaN input, unknown dimensions and wrong ranks', () => {
    expect(() => persistenceDiagrams(tf.tensor2d([[0, NaN]]))).toThrow(/^x: .*NaN/);
    expect(() => persistenceDiagrams(tf.tensor1d([1, 2]))).toThrow(/^x: /);
    expect(() => persistenceDiagrams(tf.zeros([2, 2]), { dims: [2] })).toThrow(/options\.dims/);
    expect(() =>
      topologicalTerm(tf.zeros([3, 3]), { dims: [0], functional: { kind: 'totalPersistence', dim: 1 } }),
    ).toThrow('config.functional.dim: homology dimension 1 is not computed (config.dims is [0])');
  });

  test('errors that need the input shape name the argument the user wrote, at the first training step', () => {
    const x = tf.zeros([1, 4, 4, 1]);
    const step = (layer: tfl.layers.Layer) => () => tf.tidy(() => void layer.apply(x, { training: true }));
    const wide = { kind: 'totalPersistence', dim: 2 } as const;
    expect(step(layers.vanillaTopoLoss({ functional: wide, dims: [2] }))).toThrow(
      'args.dims: homology dimension 2 is out of range for a 2-D input (expected 0..1)',
    );
    expect(step(layers.vanillaTopoLoss({ functional: wide }))).toThrow(
      /^args\.functional\.dim: homology dimension 2 was not computed/,
    );
    expect(step(layers.smearedTopoLoss({ functional: wide, dims: [2], block: 2 }))).toThrow(/^args\.dims:/);
    expect(step(layers.smearedTopoLoss({ functional: modelTerm.functional, block: 8 }))).toThrow(
      /^args\.block: block size 8 along spatial axis H/,
    );
    const scheduled = layers.smearedTopoLoss({
      functional: modelTerm.functional,
      block: 2,
      schedule: [{ steps: 1 }, { block: 8 }],
    });
    step(scheduled)(); // the first stage's block fits
    expect(step(scheduled)).toThrow(/^args\.schedule\[1\]\.block: block size 8/);
    const loss = losses.topological({ functional: modelTerm.functional, smear: { block: 8 } });
    expect(() => loss(x, x)).toThrow(/^args\.smear\.block: block size 8/);
    expect(() => losses.topological({ functional: wide, dims: [2] })(x, x)).toThrow(
      /^args\.dims: homology dimension 2/,
    );
  });

  test('a smeared layer built without a seed saves the one it drew', () => {
    const layer = layers.smearedTopoLoss({ ...modelTerm, block: 2, noise: 0.1 });
    const config = layer.getConfig();
    expect(Number.isSafeInteger(config['seed'])).toBe(true);
    const copy = layers.SmearedTopoLoss.fromConfig(layers.SmearedTopoLoss, config) as typeof layer;
    expectSameDraws(layer, copy, blobs(1, 3));
  });

  test('a block larger than the input is refused when the smeared term runs', () => {
    const smear = new BlockSmear({ block: 5 });
    expect(() => smearedTerm(tf.zeros([4, 4]), { functional: { kind: 'topK', k: 1 } }, smear, 1)).toThrow(/block/);
    smear.dispose();
  });
});

describe('a malformed functional is refused when the layer or loss is made, naming args.functional.*', () => {
  test.each([
    [{ kind: 'betti', dim: 0 }, /args\.functional\.betti: expected the wanted number of classes/],
    [
      { kind: 'betti', betti: 1 },
      /args\.functional\.dim: expected one homology dimension \(an integer ≥ 0\), got undefined/,
    ],
    [{ kind: 'betti', dim: [0, 1], betti: 1 }, /args\.functional\.dim: expected one homology dimension/],
    [{ kind: 'wasserstein', dim: 0 }, /args\.functional\.target: expected an array of \[birth, death\] pairs/],
    [
      { kind: 'wasserstein', dim: 0, target: 'both' },
      "args.functional.target: expected an array of [birth, death] pairs of finite numbers (the target diagram), got 'both'",
    ],
    [{ kind: 'totalPersistence', p: -1 }, /args\.functional\.p: expected a finite number ≥ 1, got -1/],
    [{ kind: 'totalPersistence', pp: 3 }, /args\.functional\.pp: unknown option/],
    [{ kind: 'topK', dim: 0 }, /args\.functional\.k: expected the number of pairs per map/],
    [
      { kind: 'topK', k: 1, target: 'deaths' },
      /args\.functional\.target: expected 'birth', 'death' or 'both', got 'deaths'/,
    ],
    [{ kind: 'totalPersistence', lifetimeRange: [2, 1] }, /args\.functional\.lifetimeRange: expected \[lo, hi\]/],
    [{ kind: 'totalPersistence', goal: 'max' }, /args\.functional\.goal: expected 'minimize' or 'maximize'/],
  ])('%j', (functional, message) => {
    expect(() => layers.vanillaTopoLoss({ functional: functional as never })).toThrow(message);
    expect(() => layers.smearedTopoLoss({ functional: functional as never, block: 2 })).toThrow(message);
    expect(() => losses.topological({ functional: functional as never })).toThrow(message);
  });
});
