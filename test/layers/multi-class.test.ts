import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { LabelTerm, layers, losses } from '../../src/index';
import type { LabelTermConfig } from '../../src/index';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => jest.restoreAllMocks());

const S = 8;

/** Masks of 1–2 squares per map, [n, S, S, c], and noisy probabilities near them. */
function masks(n: number, c: number, seed: number): { y: tf.Tensor4D; p: tf.Tensor4D } {
  const random = mulberry32(seed);
  const y = new Float32Array(n * S * S * c);
  for (let m = 0; m < n * c; m++) {
    const [b, ch] = [Math.floor(m / c), m % c];
    for (let k = 1 + Math.floor(random() * 2); k > 0; k--) {
      const [r0, c0] = [Math.floor(random() * (S - 2)), Math.floor(random() * (S - 2))];
      for (let r = r0; r < r0 + 2; r++) for (let col = c0; col < c0 + 2; col++) y[((b * S + r) * S + col) * c + ch] = 1;
    }
  }
  const p = Float32Array.from(y, (v) => 0.05 + 0.7 * v + 0.2 * random());
  return { y: tf.tensor4d(y, [n, S, S, c]), p: tf.tensor4d(p, [n, S, S, c]) };
}

/** One-hot labels of two classes [background, foreground] and logits [0, z] near them, [n, S, S, 2]. */
function twoClasses(n: number, seed: number): { y: tf.Tensor4D; z: tf.Tensor4D } {
  const { y: fg, p } = masks(n, 1, seed);
  return tf.tidy(() => {
    const z = tf.sub(tf.log(p), tf.log1p(tf.neg(p))); // the foreground's logit against a background at 0
    return {
      y: tf.concat([tf.sub(1, fg), fg], 3) as tf.Tensor4D,
      z: tf.concat([tf.zerosLike(z), z], 3) as tf.Tensor4D,
    };
  });
}

const value = (loss: (y: tf.Tensor, p: tf.Tensor) => tf.Scalar, y: tf.Tensor, p: tf.Tensor): number =>
  tf.tidy(() => loss(y, p).dataSync()[0]);
/** Channel c of a [B, H, W, C] tensor, as [B, H, W, 1]. */
const channel = (t: tf.Tensor, c: number): tf.Tensor => tf.slice(t, [0, 0, 0, c], [-1, -1, -1, 1]);
type LabelTopologicalLossArgs = Parameters<typeof losses.labelTopological>[0];
const termOnly = (term: LabelTermConfig, more: Partial<LabelTopologicalLossArgs> = {}) =>
  losses.labelTopological({ term, base: 'none', ...more });

const KINDS: [string, LabelTermConfig][] = [
  ['betti', { kind: 'betti' }],
  ['wasserstein', { kind: 'wasserstein' }],
  ['bettiMatching', { kind: 'bettiMatching' }],
  ['skeletonRecall', { kind: 'skeletonRecall' }],
  ['clDice', { kind: 'clDice', iterations: 2 }],
];

describe('fromLogits', () => {
  test.each([
    ['binaryCrossentropy', true],
    ['binaryCrossentropy', 'sigmoid'],
    ['meanSquaredError', 'sigmoid'],
    ['none', true],
  ] as const)('base %s, fromLogits %s: the loss of sigmoid(logits) as probabilities', (base, fromLogits) => {
    const { y, p } = masks(2, 2, 1);
    const z = tf.tidy(() => tf.sub(tf.log(p), tf.log1p(tf.neg(p)))); // sigmoid(z) = p
    for (const [, term] of KINDS) {
      const fromProbabilities = value(losses.labelTopological({ term, base, classWeights: [1, 0.5] }), y, p);
      const fromLogitsValue = value(losses.labelTopological({ term, base, fromLogits, classWeights: [1, 0.5] }), y, z);
      expect(fromLogitsValue).toBeCloseTo(fromProbabilities, 5);
    }
    tf.dispose([y, p, z]);
  });

  test("'softmax': the loss of the softmax over the channels as probabilities", () => {
    const { y, z } = twoClasses(2, 2);
    const p = tf.softmax(z);
    for (const [, term] of KINDS)
      for (const base of ['categoricalCrossentropy', 'meanSquaredError', 'none'] as const) {
        const fromProbabilities = value(losses.labelTopological({ term, base }), y, p);
        const fromLogitsValue = value(losses.labelTopological({ term, base, fromLogits: 'softmax' }), y, z);
        expect(fromLogitsValue).toBeCloseTo(fromProbabilities, 5);
      }
    // The base defaults to 'categoricalCrossentropy' with 'softmax'.
    const term: LabelTermConfig = { kind: 'betti' };
    expect(value(losses.labelTopological({ term, fromLogits: 'softmax' }), y, z)).toBe(
      value(losses.labelTopological({ term, fromLogits: 'softmax', base: 'categoricalCrossentropy' }), y, z),
    );
    tf.dispose([y, z, p]);
  });

  test('the cross-entropies from logits stay finite and exact where clipped probabilities saturate', () => {
    const y = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
    const z = tf.tensor4d([-40, 40, 30, -30], [1, 1, 2, 2]); // both pixels confidently wrong
    const term: LabelTermConfig = { kind: 'clDice', iterations: 0 };
    const bce = value(losses.labelTopological({ term, weight: 0, fromLogits: true }), y, z);
    expect(bce).toBeCloseTo((40 + 40 + 30 + 30) / 4, 4); // softplus(±z) ≈ |z|, not −log(1e-7) ≈ 16.1
    const cce = value(losses.labelTopological({ term, weight: 0, fromLogits: 'softmax' }), y, z);
    expect(cce).toBeCloseTo((80 + 60) / 2, 3);
    tf.dispose([y, z]);
  });
});

describe('gradients with respect to the logits match finite differences', () => {
  // Logits spread over [-3, 3], each map's values generic (distinct, well apart), so that no critical
  // cell or matching changes under the ±0.01 steps.
  const logits = (size: number, seed: number): Float32Array =>
    Float32Array.from(genericValues(size, seed), (v) => (6 * v) / size - 3);

  test.each([
    ['betti', { kind: 'betti' }],
    ['wasserstein', { kind: 'wasserstein', p: 1 }],
    ['bettiMatching', { kind: 'bettiMatching' }],
  ] as [string, LabelTermConfig][])("'sigmoid', base 'binaryCrossentropy', weighted: %s", (_, term) => {
    const shape = [1, 4, 4, 2];
    const random = mulberry32(3);
    const label = tf.tensor4d(
      Array.from({ length: 32 }, () => (random() < 0.5 ? 1 : 0)),
      shape as [number, number, number, number],
    );
    const loss = losses.labelTopological({ term, fromLogits: 'sigmoid', classWeights: [2, 0.5] });
    expectGradientsMatch((x) => loss(label, x), shape, 5, logits(32, 5));
    label.dispose();
  });

  test.each([
    ['betti', { kind: 'betti' }],
    ['skeletonRecall', { kind: 'skeletonRecall' }],
    ['bettiMatching', { kind: 'bettiMatching' }],
  ] as [string, LabelTermConfig][])("'softmax', base 'categoricalCrossentropy', weighted: %s", (_, term) => {
    // Background logits 0 and foreground logits generic: softmax's foreground is sigmoid(z1 − z0),
    // which stays generic when either logit of a pixel moves.
    const shape = [1, 4, 4, 2];
    const foreground = logits(16, 7);
    const values = Float32Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 0 : foreground[i >> 1]));
    const label = tf.tidy(() => {
      const fg = tf.tensor4d(
        Array.from(foreground, (v) => (v > 0 ? 1 : 0)),
        [1, 4, 4, 1],
      );
      return tf.concat([tf.sub(1, fg), fg], 3);
    });
    const loss = losses.labelTopological({ term, fromLogits: 'softmax', classWeights: [0.5, 2] });
    expectGradientsMatch((x) => loss(label, x), shape, 7, values);
    label.dispose();
  });
});

describe('classWeights', () => {
  test.each(KINDS)('%s: all ones give the unweighted term; weights scale each channel alone', (kind, term) => {
    const { y, p } = masks(2, 2, 11);
    const perChannel = [0, 1].map((c) => value(termOnly(term), channel(y, c), channel(p, c)));
    const unweighted = value(termOnly(term), y, p);
    const ones = value(termOnly(term, { classWeights: [1, 1] }), y, p);
    // (1/C) Σ_c w_c · term_c, term_c the term of channel c alone.
    expect(ones).toBeCloseTo((perChannel[0] + perChannel[1]) / 2, 5);
    if (kind === 'clDice') {
      // clDice pools its sums over all maps of a call: weighted, it is evaluated per channel.
      expect(Math.abs(unweighted - ones)).toBeGreaterThan(1e-4);
    } else {
      expect(ones).toBe(unweighted); // one call on all channels, as without weights
    }
    expect(value(termOnly(term, { classWeights: [2, 0] }), y, p)).toBeCloseTo((2 / 2) * perChannel[0], 5);
    expect(value(termOnly(term, { classWeights: [1, 3] }), y, p)).toBeCloseTo(
      (perChannel[0] + 3 * perChannel[1]) / 2,
      5,
    );
    tf.dispose([y, p]);
  });

  test.each(KINDS.filter(([kind]) => kind !== 'clDice'))("%s with reduction 'sum': Σ_c w_c · term_c", (_, kind) => {
    const term = { ...kind, reduction: 'sum' } as LabelTermConfig;
    const { y, p } = masks(2, 3, 12);
    const perChannel = [0, 1, 2].map((c) => value(termOnly(term), channel(y, c), channel(p, c)));
    const weighted = value(termOnly(term, { classWeights: [2, 0.5, 2] }), y, p);
    expect(weighted).toBeCloseTo(2 * perChannel[0] + 0.5 * perChannel[1] + 2 * perChannel[2], 4);
    tf.dispose([y, p]);
  });

  test('with smear, per channel through the smeared term', () => {
    const { y, p } = masks(2, 2, 13);
    for (const term of [{ kind: 'betti' }, { kind: 'bettiMatching' }] as LabelTermConfig[]) {
      const smear = { block: 2, noise: 0.05, seed: 3 };
      const unweighted = value(termOnly(term, { smear }), y, p);
      expect(value(termOnly(term, { smear, classWeights: [1, 1] }), y, p)).toBe(unweighted);
      const channel0 = value(termOnly(term, { smear }), channel(y, 0), channel(p, 0));
      expect(value(termOnly(term, { smear, classWeights: [2, 0] }), y, p)).toBeCloseTo(channel0, 5);
    }
    tf.dispose([y, p]);
  });

  test('a channel of weight 0 is not evaluated; channels of equal weight share one evaluation', () => {
    const { y, p } = masks(1, 3, 14);
    const bad = tf.tidy(() => tf.concat([channel(y, 0), tf.fill([1, S, S, 1], 2), channel(y, 2)], 3)); // channel 1 out of [0, 1]
    const term: LabelTermConfig = { kind: 'betti' };
    expect(() => value(termOnly(term), bad, p)).toThrow(/^yTrue: expected label values in \[0, 1\], got 2/);
    const evaluate = jest.spyOn(LabelTerm.prototype, 'evaluate');
    const skipped = value(termOnly(term, { classWeights: [1, 0, 1] }), bad, p);
    expect(evaluate.mock.calls.map(([label]) => label.shape)).toEqual([[1, S, S, 2]]); // channels 0 and 2 at once
    const expected = [0, 2].map((c) => value(termOnly(term), channel(y, c), channel(p, c)));
    expect(skipped).toBeCloseTo((expected[0] + expected[1]) / 3, 5);
    evaluate.mockClear();
    value(termOnly(term, { classWeights: [1, 2, 0] }), y, p);
    expect(evaluate.mock.calls.map(([label]) => label.shape)).toEqual([
      [1, S, S, 1],
      [1, S, S, 1],
    ]);
    evaluate.mockClear();
    value(termOnly({ kind: 'clDice', iterations: 2 }, { classWeights: [1, 1, 1] }), y, p);
    expect(evaluate).toHaveBeenCalledTimes(3); // clDice: one channel at a time
    // An error inside channels evaluated apart says which.
    expect(() => value(termOnly(term, { classWeights: [0, 1, 1] }), bad, p)).toThrow(
      'yTrue: expected label values in [0, 1], got 2 at flat index 0 (in channels 1, 2 alone, evaluated apart for args.classWeights)',
    );
    tf.dispose([y, p, bad]);
  });

  test('the base loss is weighted per channel too', () => {
    const { y, p } = masks(2, 2, 15);
    const term: LabelTermConfig = { kind: 'betti' };
    for (const base of ['binaryCrossentropy', 'meanSquaredError'] as const) {
      const baseOnly = (more: Partial<LabelTopologicalLossArgs> = {}) =>
        losses.labelTopological({ term, base, weight: 0, ...more });
      const perChannel = [0, 1].map((c) => value(baseOnly(), channel(y, c), channel(p, c)));
      expect(value(baseOnly({ classWeights: [1, 1] }), y, p)).toBeCloseTo(value(baseOnly(), y, p), 6);
      expect(value(baseOnly({ classWeights: [2, 0] }), y, p)).toBeCloseTo(perChannel[0], 6);
      expect(value(baseOnly({ classWeights: [1, 3] }), y, p)).toBeCloseTo((perChannel[0] + 3 * perChannel[1]) / 2, 6);
    }
    tf.dispose([y, p]);
  });
});

describe("base 'categoricalCrossentropy'", () => {
  // Two pixels, three classes: the first 0.7 on its class; the second's probabilities sum to 0.8,
  // 0.4 on its class: 0.5 once divided by their sum, as Keras does.
  const y = (): tf.Tensor => tf.tensor4d([1, 0, 0, 0, 0, 1], [1, 1, 2, 3]);
  const p = (): tf.Tensor => tf.tensor4d([0.7, 0.2, 0.1, 0.2, 0.2, 0.4], [1, 1, 2, 3]);
  const term: LabelTermConfig = { kind: 'clDice', iterations: 0 };

  test('of probabilities, against a hand computation', () => {
    const loss = losses.labelTopological({ term, base: 'categoricalCrossentropy', weight: 0 });
    expect(value(loss, y(), p())).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5)) / 2, 6);
    const weighted = losses.labelTopological({
      term,
      base: 'categoricalCrossentropy',
      weight: 0,
      classWeights: [1, 1, 3],
    });
    expect(value(weighted, y(), p())).toBeCloseTo(-(Math.log(0.7) + 3 * Math.log(0.5)) / 2, 6);
    // Clipped at 1e-7 as Keras: a true class at probability 0.
    const zero = tf.tensor4d([0, 0.5, 0.5, 0.2, 0.2, 0.6], [1, 1, 2, 3]);
    expect(value(loss, y(), zero)).toBeCloseTo(-(Math.log(1e-7) + Math.log(0.6)) / 2, 4);
    // The label-free loss takes it too.
    const topological = losses.topological({
      base: 'categoricalCrossentropy',
      superlevel: true,
      functional: { kind: 'betti', dim: 0, betti: 1 },
      weight: 0,
    });
    expect(value(topological, y(), p())).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5)) / 2, 6);
  });

  test("the value of labelTopological's @example", () => {
    const loss = losses.labelTopological({ term: { kind: 'betti' }, fromLogits: 'softmax', classWeights: [1, 2] });
    const label = tf.tensor4d([0, 1, 1, 0, 1, 0], [1, 1, 3, 2]);
    const logits = tf.tensor4d([-1, 1, 2, -2, 0, 1.4], [1, 1, 3, 2]);
    const cce = -(2 * Math.log(0.880797) + Math.log(0.9820138) + Math.log(0.1978161)) / 3;
    const foreground = (0.8021839 - 0.0179862) ** 2; // the second blob to the diagonal
    expect(value(loss, label, logits)).toBeCloseTo(cce + (1 / 2) * (1 * 0 + 2 * foreground), 5);
    expect(value(loss, label, logits)).toBeCloseTo(1.246, 3);
    tf.dispose([label, logits]);
  });

  test('of softmax logits, against a hand computation', () => {
    const z = [2, 0, -1, 0.5, 1, 1.5];
    const logSoftmax = (i: number, from: number): number =>
      z[from + i] - Math.log(Math.exp(z[from]) + Math.exp(z[from + 1]) + Math.exp(z[from + 2]));
    const logits = tf.tensor4d(z, [1, 1, 2, 3]);
    const loss = losses.labelTopological({ term, weight: 0, fromLogits: 'softmax', classWeights: [2, 1, 0.5] });
    expect(value(loss, y(), logits)).toBeCloseTo(-(2 * logSoftmax(0, 0) + 0.5 * logSoftmax(2, 3)) / 2, 6);
    logits.dispose();
  });
});

describe('in model.fit with two softmax classes', () => {
  function logitsNet(): { image: tfl.SymbolicTensor; logits: tfl.SymbolicTensor } {
    const image = tfl.input({ shape: [S, S, 1] });
    const hidden = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
    const logits = tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(hidden);
    return { image, logits: logits as tfl.SymbolicTensor };
  }
  const data = (): { x: tf.Tensor; y: tf.Tensor } => {
    const { y, z } = twoClasses(4, 21);
    const x = tf.tidy(() => tf.sigmoid(tf.slice(z, [0, 0, 0, 1], [4, S, S, 1])));
    z.dispose();
    return { x, y };
  };

  test('the compile loss from logits', async () => {
    const { x, y } = data();
    const { image, logits } = logitsNet();
    const m = tfl.model({ inputs: image, outputs: logits });
    const loss = losses.labelTopological({
      term: { kind: 'betti' },
      fromLogits: 'softmax',
      classWeights: [1, 2],
      weight: 0.2,
    });
    m.compile({ optimizer: tf.train.adam(0.02), loss });
    const history = await m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    await m.trainOnBatch(x, y);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([x, y]);
  });

  test('the layer: adds the term of the softmax, returns the logits, round-trips its config', async () => {
    const { x, y } = data();
    const { image, logits } = logitsNet();
    const label = tfl.input({ shape: [S, S, 2] });
    const layer = layers.labelTopoLoss({
      term: { kind: 'betti' },
      fromLogits: 'softmax',
      classWeights: [0, 1],
      weight: 0.5,
    });
    const m = tfl.model({ inputs: [image, label], outputs: layer.apply([label, logits]) as tfl.SymbolicTensor });
    m.compile({ optimizer: tf.train.adam(0.02), loss: (yTrue, z) => tf.losses.softmaxCrossEntropy(yTrue, z) });
    const history = await m.fit([x, y], y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    // Its output is the logits, unchanged.
    const inner = tfl.model({ inputs: image, outputs: logits });
    const [out, raw] = [m.predict([x, y]) as tf.Tensor, inner.predict(x) as tf.Tensor];
    expect(Array.from(out.dataSync())).toEqual(Array.from(raw.dataSync()));
    // Its term is the loss function's.
    tf.tidy(() => void layer.apply([y, raw], { training: true }));
    const added = tf.tidy(() => layer.losses[0]().dataSync()[0]);
    const expected = termOnly({ kind: 'betti' }, { fromLogits: 'softmax', classWeights: [0, 1] });
    expect(added).toBeCloseTo(0.5 * value(expected, y, raw), 6);
    // Config round trip.
    const config = layer.getConfig();
    expect(config).toMatchObject({ fromLogits: 'softmax', classWeights: [0, 1], weight: 0.5 });
    const again = tf.serialization.SerializationMap.getMap().classNameMap['LabelTopoLoss'][1](
      layers.LabelTopoLoss,
      JSON.parse(JSON.stringify(config)),
    ) as layers.LabelTopoLoss;
    expect(again.getConfig()).toEqual(config);
    expect([again.fromLogits, again.classWeights]).toEqual(['softmax', [0, 1]]);
    const plain = layers.labelTopoLoss({ term: { kind: 'betti' } }).getConfig();
    expect('fromLogits' in plain || 'classWeights' in plain).toBe(false); // defaults are not saved
    tf.dispose([x, y, out, raw]);
  });
});

describe('bad arguments name the argument', () => {
  const term: LabelTermConfig = { kind: 'betti' };
  test.each([
    [{ fromLogits: 'relu' }, "args.fromLogits: expected false, true, 'sigmoid' or 'softmax', got 'relu'"],
    [{ fromLogits: 1 }, "args.fromLogits: expected false, true, 'sigmoid' or 'softmax', got 1"],
    [{ classWeights: 'x' }, "args.classWeights: expected a non-empty array of weights ≥ 0, one per channel, got 'x'"],
    [{ classWeights: [] }, 'args.classWeights: expected a non-empty array of weights ≥ 0, one per channel, got []'],
    [{ classWeights: [1, -1] }, 'args.classWeights[1]: expected a finite float32 number ≥ 0, got -1'],
    [{ classWeights: [NaN, 1] }, 'args.classWeights[0]: expected a finite float32 number ≥ 0, got NaN'],
    [{ classWeights: [1, Infinity] }, 'args.classWeights[1]: expected a finite float32 number ≥ 0, got Infinity'],
    [{ classWeights: [0, 0] }, 'args.classWeights: expected a weight above 0 for at least one channel, got [0, 0]'],
    [{ fromLogit: true }, /^args\.fromLogit: unknown option \(did you mean 'fromLogits'\?\)/],
    [{ classWeight: [1] }, /^args\.classWeight: unknown option \(did you mean 'classWeights'\?\)/],
  ])('%p', (more, message) => {
    expect(() => losses.labelTopological({ term, ...more } as never)).toThrow(message);
    expect(() => layers.labelTopoLoss({ term, ...more } as never)).toThrow(message);
  });

  test.each([
    [
      { base: 'categoricalCrossentropy', fromLogits: true },
      "args.base: 'categoricalCrossentropy' needs mutually exclusive classes, but fromLogits true makes each channel its own sigmoid; expected fromLogits 'softmax' (or probabilities), or base 'binaryCrossentropy'",
    ],
    [
      { base: 'categoricalCrossentropy', fromLogits: 'sigmoid' },
      "args.base: 'categoricalCrossentropy' needs mutually exclusive classes, but fromLogits 'sigmoid' makes each channel its own sigmoid; expected fromLogits 'softmax' (or probabilities), or base 'binaryCrossentropy'",
    ],
    [
      { base: 'binaryCrossentropy', fromLogits: 'softmax' },
      "args.base: 'binaryCrossentropy' from logits needs independent sigmoid channels, but fromLogits is 'softmax'; expected base 'categoricalCrossentropy' (the default with 'softmax'), 'meanSquaredError' or 'none'",
    ],
    [
      { base: 'hinge' },
      "args.base: expected 'meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy' or 'none', got 'hinge'",
    ],
  ])('the base with fromLogits: %p', (more, message) => {
    expect(() => losses.labelTopological({ term, ...more } as never)).toThrow(message);
  });

  test('at the first call: the count of weights, a softmax or categorical cross-entropy on one channel', () => {
    const two = tf.fill([1, 4, 4, 2], 0.5);
    const one = tf.fill([1, 4, 4, 1], 0.5);
    const weights = 'args.classWeights: expected 3 weights, one per channel of yPred, got 2';
    expect(() => value(losses.labelTopological({ term, classWeights: [1, 2, 3] }), two, two)).toThrow(
      'args.classWeights: expected 2 weights, one per channel of yPred, got 3',
    );
    const three = tf.fill([1, 4, 4, 3], 0.5);
    expect(() => value(losses.labelTopological({ term, classWeights: [1, 2] }), three, three)).toThrow(weights);
    const layer = layers.labelTopoLoss({ term, classWeights: [1, 2] });
    expect(() => tf.tidy(() => void layer.apply([three, three], { training: true }))).toThrow(weights);
    expect(() => value(losses.labelTopological({ term, classWeights: [1, 2] }), one, one)).toThrow(
      'args.classWeights: expected 1 weight, one per channel of yPred, got 2',
    );
    const softmaxOnOne =
      "args.fromLogits: 'softmax' over one channel is 1 everywhere; expected yPred with 2 or more channels, got shape [1, 4, 4, 1]";
    expect(() => value(losses.labelTopological({ term, fromLogits: 'softmax' }), one, one)).toThrow(softmaxOnOne);
    const softmaxLayer = layers.labelTopoLoss({ term, fromLogits: 'softmax' });
    expect(() => tf.tidy(() => void softmaxLayer.apply([one, one], { training: true }))).toThrow(softmaxOnOne);
    expect(() => value(losses.labelTopological({ term, base: 'categoricalCrossentropy' }), one, one)).toThrow(
      "args.base: 'categoricalCrossentropy' needs a batch [B, H, W, C] or [B, D, H, W, C] with 2 or more channels (one per class), got yPred of shape [1, 4, 4, 1]",
    );
    // A map without batch and channel axes is refused too, not read as W classes.
    const map = tf.fill([4, 4], 0.5);
    const cce = losses.topological({
      base: 'categoricalCrossentropy',
      superlevel: true,
      functional: { kind: 'betti', dim: 0, betti: 1 },
    });
    expect(() => value(cce, map, map)).toThrow(
      "args.base: 'categoricalCrossentropy' needs a batch [B, H, W, C] or [B, D, H, W, C] with 2 or more channels (one per class), got yPred of shape [4, 4]",
    );
    map.dispose();
    tf.dispose([one, two, three]);
  });
});
