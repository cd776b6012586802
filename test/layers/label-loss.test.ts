import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { layers, losses } from '../../src/index';
import type { LabelTermConfig } from '../../src/index';
import { mulberry32 } from '../reference/mulberry32';
import { seededConv2d } from '../reference/seeded-conv';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const S = 12;

/** Noisy images of 1–3 squares and their masks, [n, S, S, 1]. */
function squares(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const random = mulberry32(seed);
  const x = new Float32Array(n * S * S);
  const y = new Float32Array(n * S * S);
  for (let i = 0; i < n; i++)
    for (let s = 1 + Math.floor(random() * 3); s > 0; s--) {
      const y0 = Math.floor(random() * (S - 3));
      const x0 = Math.floor(random() * (S - 3));
      for (let r = y0; r < y0 + 3; r++) for (let c = x0; c < x0 + 3; c++) y[i * S * S + r * S + c] = 1;
    }
  for (let j = 0; j < x.length; j++) x[j] = 0.6 * y[j] + 0.4 * random();
  return { x: tf.tensor4d(x, [n, S, S, 1]), y: tf.tensor4d(y, [n, S, S, 1]) };
}

function segmenter(): tfl.Sequential {
  // Seeded, so a run is the same on every machine.
  const m = tfl.sequential();
  m.add(seededConv2d({ inputShape: [S, S, 1], filters: 4, activation: 'relu', seed: 1 }));
  m.add(seededConv2d({ filters: 1, activation: 'sigmoid', seed: 2 }));
  return m;
}

const terms: [string, LabelTermConfig, boolean][] = [
  ['betti', { kind: 'betti' }, false],
  ['wasserstein', { kind: 'wasserstein' }, false],
  ['clDice', { kind: 'clDice', iterations: 3 }, false],
  ['betti, STUMP-smeared', { kind: 'betti' }, true],
  ['wasserstein, STUMP-smeared', { kind: 'wasserstein' }, true],
  ['bettiMatching', { kind: 'bettiMatching' }, false],
  ['bettiMatching, STUMP-smeared', { kind: 'bettiMatching' }, true],
];

describe('losses.labelTopological in model.fit', () => {
  test.each(terms)(
    '%s: the loss falls and no tensor leaks',
    async (_, term, smeared) => {
      const { x, y } = squares(8, 5);
      const m = segmenter();
      const smear = smeared ? { block: 2, noise: 0.02, seed: 4 } : undefined;
      m.compile({ optimizer: tf.train.adam(0.03), loss: losses.labelTopological({ term, weight: 0.2, smear }) });
      const history = await m.fit(x, y, { epochs: 12, batchSize: 4, verbose: 0, shuffle: false });
      const values = history.history.loss as number[];
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values[values.length - 1]).toBeLessThan(values[0]);
      await m.trainOnBatch(x, y);
      const start = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await m.trainOnBatch(x, y);
      expect(tf.memory().numTensors).toBe(start);
    },
    30_000,
  );
});

describe('layers.labelTopoLoss in a functional model', () => {
  function model(layer: tfl.layers.Layer): tfl.LayersModel {
    const image = tfl.input({ shape: [S, S, 1] });
    const label = tfl.input({ shape: [S, S, 1] });
    const hidden = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
    const prob = tfl.layers
      .conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' })
      .apply(hidden) as tfl.SymbolicTensor;
    const out = layer.apply([label, prob]) as tfl.SymbolicTensor;
    return tfl.model({ inputs: [image, label], outputs: out });
  }

  test('adds the term while training only, and the output is the prediction', async () => {
    const { x, y } = squares(4, 9);
    const layer = layers.labelTopoLoss({ term: { kind: 'betti' }, weight: 0.5 });
    const m = model(layer);
    m.compile({ optimizer: tf.train.adam(0.03), loss: 'binaryCrossentropy' });
    const history = await m.fit([x, y], y, { epochs: 8, batchSize: 4, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    const [withTerm] = history.history.loss as number[];
    const evaluated = (m.evaluate([x, y], y) as tf.Scalar).dataSync()[0];
    expect(evaluated).toBeLessThan(withTerm); // evaluate() leaves the layer's term out
    const out = m.predict([x, y]) as tf.Tensor;
    expect(out.shape).toEqual([4, S, S, 1]);
  });

  test('round-trips through its config, smearing included', () => {
    const layer = layers.labelTopoLoss({
      term: { kind: 'wasserstein', dims: [0], p: 1 },
      weight: 0.25,
      smear: { block: 3, noise: 0.1, seed: 7, samples: 2 },
    });
    const config = layer.getConfig();
    const again = tf.serialization.SerializationMap.getMap().classNameMap['LabelTopoLoss'][1](
      layers.LabelTopoLoss,
      JSON.parse(JSON.stringify(config)),
    ) as layers.LabelTopoLoss;
    expect(again.getConfig()).toEqual(config);
    expect(again.term.config).toMatchObject({ kind: 'wasserstein', dims: [0], p: 1, superlevel: true });
  });

  test('refuses one input, saying it got one (not the length of its shape)', () => {
    const layer = layers.labelTopoLoss({ term: { kind: 'betti' }, name: 'pair' });
    expect(() => layer.apply(tfl.input({ shape: [S, S, 1] }))).toThrow(
      `LabelTopoLoss 'pair': expected two inputs [label, prediction], got one input of shape [null, ${S}, ${S}, 1]`,
    );
    expect(() => layer.apply(tf.zeros([1, S, S, 1]))).toThrow(
      `LabelTopoLoss 'pair': expected two inputs [label, prediction], got one input of shape [1, ${S}, ${S}, 1]`,
    );
    const three = [1, 2, 3].map(() => tfl.input({ shape: [S, S, 1] }));
    expect(() => layer.apply(three)).toThrow(
      "LabelTopoLoss 'pair': expected two inputs [label, prediction], got 3 inputs",
    );
  });

  test('errors that need the input shape name args.term.dims and args.smear.block at the first step', () => {
    const x = tf.zeros([1, 4, 4, 1]);
    const step = (args: Parameters<typeof layers.labelTopoLoss>[0]) => () =>
      tf.tidy(() => void layers.labelTopoLoss(args).apply([x, x], { training: true }));
    expect(step({ term: { kind: 'betti', dims: [2] } })).toThrow(
      'args.term.dims: homology dimension 2 is out of range for a 2-D map (expected 0..1)',
    );
    expect(step({ term: { kind: 'betti' }, smear: { block: 8 } })).toThrow(/^args\.smear\.block: block size 8/);
    expect(step({ term: { kind: 'bettiMatching' }, smear: { block: [2, 8] } })).toThrow(
      /^args\.smear\.block: block size 8/,
    );
    expect(() => losses.labelTopological({ term: { kind: 'wasserstein', dims: [0, 2] } })(x, x)).toThrow(
      /^args\.term\.dims: homology dimension 2/,
    );
    expect(() => losses.labelTopological({ term: { kind: 'betti' }, smear: { block: 8 } })(x, x)).toThrow(
      /^args\.smear\.block: block size 8/,
    );
  });

  test('a smeared layer built without a seed saves the one it drew', () => {
    const layer = layers.labelTopoLoss({ term: { kind: 'betti' }, smear: { block: 2, noise: 0.1 } });
    const smear = layer.getConfig()['smear'] as { seed: number; block: number; noise: number };
    expect(Number.isSafeInteger(smear.seed)).toBe(true);
    expect(smear).toEqual({ block: 2, noise: 0.1, seed: smear.seed });
  });
});

describe('bad arguments name the argument', () => {
  test.each([
    [{ term: { kind: 'betti' }, wieght: 1 }, /args\.wieght: unknown option/],
    [{ term: { kind: 'nope' } }, /args\.term\.kind: expected one of/],
    [{ term: { kind: 'clDice' }, smear: { block: 2 } }, /args\.smear: the 'clDice' term reads no persistence/],
    [{ term: { kind: 'betti' }, smear: { block: 0 } }, /args\.smear\.block: expected a positive integer/],
    [{ term: { kind: 'betti' }, smear: { block: 2, sample: 2 } }, /args\.smear\.sample: unknown option/],
    [{ term: { kind: 'betti' }, base: 'hinge' }, /args\.base: expected/],
    [{ term: { kind: 'betti' }, weight: Infinity }, /args\.weight: expected a finite number/],
    [
      { term: { kind: 'betti', maxPoints: 16 } },
      /^args\.term\.maxPoints: not an option of kind 'betti' \(its options: dims, superlevel, construction, threshold, p, reduction, patch\)$/,
    ],
    [{ term: { kind: 'clDice', superlevel: true } }, /^args\.term\.superlevel: not an option of kind 'clDice'/],
  ])('%j', (args, message) => {
    expect(() => losses.labelTopological(args as never)).toThrow(message);
    if (!('base' in args)) expect(() => layers.labelTopoLoss(args as never)).toThrow(message);
  });
});
