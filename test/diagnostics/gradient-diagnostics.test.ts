import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  finiteDifferenceCheck,
  GradientDiagnostics,
  gradientGram,
  gradientGramOf,
} from '../../src/diagnostics/gradient-diagnostics';
import { persistenceDiagrams } from '../../src/ops/persistence-op';
import { topologicalTerm, TopologicalTermConfig } from '../../src/ops/topological-term';
import { BlockSmear } from '../../src/smear/block-smear';
import { smearedTerm } from '../../src/smear/smeared-term';
import { optimize } from '../../src/optimize/optimize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A seeded 12×12 image with distinct values (no ties: every term here is differentiable at it). */
function image(seed = 3): tf.Tensor2D {
  return tf.randomUniform([12, 12], 0, 10, 'float32', seed) as tf.Tensor2D;
}

const H0_FUNCTIONAL = { kind: 'totalPersistence', dim: 0, p: 2, lifetimeRange: [1, null] } as const;
const H0: TopologicalTermConfig = { dims: [0], functional: H0_FUNCTIONAL };

/** What the diagnostics should find, computed independently with tf.grad on the library's term. */
function independent(x: tf.Tensor, gradientOf: (t: tf.Tensor) => tf.Scalar) {
  const g = tf.tidy(() => Array.from(tf.grad(gradientOf)(x).dataSync()));
  return {
    touched: g.filter((v) => v !== 0).length,
    norm: Math.sqrt(g.reduce((s, v) => s + v * v, 0)),
    gradient: g,
  };
}

describe('GradientDiagnostics: per-step numbers against tf.grad of the same term', () => {
  test('vanilla: touched elements, fraction, norm, value and the gradient itself', () => {
    const x = image();
    const diagnostics = new GradientDiagnostics({ term: H0, keepGradients: 1 });
    const record = diagnostics.record(x);
    const expected = independent(x, (t) => topologicalTerm(t, H0));
    expect(expected.touched).toBeGreaterThan(2);
    expect(record.touched).toBe(expected.touched);
    expect(record.touchedFraction).toBeCloseTo(expected.touched / 144, 12);
    expect(record.norm).toBeCloseTo(expected.norm, 3);
    expect(Array.from(diagnostics.gradients[0])).toEqual(expected.gradient.map(Math.fround));
    const value = tf.tidy(() => topologicalTerm(x, H0).dataSync()[0]);
    expect(record.value).toBeCloseTo(value, 3);
    expect(record.exact).toBe(record.value);
    // Active pairs: the H0 pairs with lifetime > 1, counted from the diagram directly.
    const d = persistenceDiagrams(x, { dims: [0] });
    let longer = 0;
    for (let i = 0; i < d.dim.length; i++) if (d.values[2 * i + 1] - d.values[2 * i] > 1) longer++;
    d.pairs.dispose();
    expect(record.activePairs).toBe(longer);
    expect(record.pairsChanged).toBeNaN(); // nothing to compare with at the first record
    expect(record.step).toBe(1);
    diagnostics.dispose();
    x.dispose();
  });

  test('smeared: the k-th record is the gradient of smearedTerm on a BlockSmear seeded seed + k', () => {
    const x = image(5);
    const smear = { block: 2, noise: 0.5, seed: 11, samples: 2 };
    const diagnostics = new GradientDiagnostics({ term: H0, smear, keepGradients: 2 });
    diagnostics.record(x);
    const second = diagnostics.record(x, { step: 7 });
    const replay = new BlockSmear({ block: 2, noise: 0.5, seed: 12 });
    const expected = independent(x, (t) => smearedTerm(t, H0, replay, 2));
    replay.dispose();
    expect(second.step).toBe(7);
    expect(second.touched).toBe(expected.touched);
    expect(second.norm).toBeCloseTo(expected.norm, 4);
    expect(Array.from(diagnostics.gradients[1])).toEqual(expected.gradient.map(Math.fround));
    // Pooling spreads each push over whole 2×2 blocks: more elements than the vanilla gradient.
    const vanilla = independent(x, (t) => topologicalTerm(t, H0));
    expect(second.touched).toBeGreaterThan(vanilla.touched);
    expect(second.touched % 4).toBe(0); // simplex weights are positive: every element of a block
    // The same x twice: the full-resolution pairing did not change.
    expect(second.pairsChanged).toBe(0);
    expect(second.pairsGone).toBe(0);
    diagnostics.dispose();
    x.dispose();
  });

  test('no pair selected: a zero gradient, nothing touched', () => {
    const x = tf.tensor2d([
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    const term: TopologicalTermConfig = { functional: { kind: 'totalPersistence', dim: 1, lifetimeRange: [5, null] } };
    const record = new GradientDiagnostics({ term }).record(x);
    expect(record).toMatchObject({ touched: 0, norm: 0, activePairs: 0, value: 0 });
    x.dispose();
  });
});

describe('GradientDiagnostics: pairs whose critical cells changed', () => {
  /**
   * Two rings of 0s around centres of value 1 (columns 1 and 5), apart by a wall of 2s. Each ring
   * is one H1 pair, dead when its centre enters (cells 8 and 12). Raising one edge-middle pixel of
   * the right ring to 0.5 delays its loop until that pixel enters (a diagonal step cannot go round
   * it): the pixel becomes the pair's birth cell.
   */
  const rings = (raise: number) => {
    const v = [0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0];
    v[raise] = 0.5;
    return tf.tensor2d(v, [3, 7]);
  };
  const term: TopologicalTermConfig = { functional: { kind: 'totalPersistence', dim: 1 } };

  test('one ring closes at another pixel: one pair changed, one gone, the other ring unchanged', () => {
    const a = rings(5); // the right ring's top middle
    const b = rings(19); // its bottom middle
    // The hand-made answer, checked: the right ring's pair goes from cells (5, 12) to (19, 12); the
    // left ring's pair (born at a 0 pixel, dead at 8) stays.
    const pairsOf = (x: tf.Tensor) => {
      const d = persistenceDiagrams(x, { dims: [1] });
      d.pairs.dispose();
      return Array.from(d.birthCell, (b, i) => [b, d.deathCell[i]]).sort((p, q) => p[1] - q[1]);
    };
    const [left, right] = pairsOf(a);
    expect(right).toEqual([5, 12]);
    expect(pairsOf(b)).toEqual([left, [19, 12]]);
    expect(left[1]).toBe(8);
    const diagnostics = new GradientDiagnostics({ term });
    diagnostics.record(a);
    const changed = diagnostics.record(b);
    expect(changed).toMatchObject({ activePairs: 2, pairsChanged: 1, pairsGone: 1, pairsChangedFraction: 0.5 });
    const same = diagnostics.record(b);
    expect(same).toMatchObject({ activePairs: 2, pairsChanged: 0, pairsGone: 0, pairsChangedFraction: 0 });
    const back = diagnostics.record(a);
    expect(back).toMatchObject({ pairsChanged: 1, pairsGone: 1 });
    tf.dispose([a, b]);
  });

  test('only the pairs the functional acts on count: a pair outside its range is not active', () => {
    const a = rings(5); // the right ring lives 1 − 0.5, the left one 1
    const b = rings(19);
    const diagnostics = new GradientDiagnostics({
      term: { functional: { kind: 'totalPersistence', dim: 1, lifetimeRange: [0.6, null] } },
    });
    diagnostics.record(a);
    expect(diagnostics.record(b)).toMatchObject({ activePairs: 1, pairsChanged: 0, pairsGone: 0, touched: 2 });
    tf.dispose([a, b]);
  });
});

describe('finite-difference checks', () => {
  test('agrees on a smooth function, with its own tf.grad gradient or the right one given', () => {
    const x = tf.tensor1d([0.5, -1, 2, 0.25, 3]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.sin(t), t)) as tf.Scalar;
    const own = finiteDifferenceCheck(f, x);
    expect(own.ok).toBe(true);
    expect(own.relativeError).toBeLessThan(1e-2);
    expect(own.epsilon).toBeCloseTo(3e-4, 12); // 1e-4 · max |x|
    const right = tf.tidy(() => tf.add(tf.sin(x), tf.mul(x, tf.cos(x))));
    expect(finiteDifferenceCheck(f, x, { gradient: right, epsilon: 1e-3, seed: 4 }).ok).toBe(true);
    tf.dispose([x, right]);
  });

  test('flags a deliberately wrong gradient, given or from a wrong custom gradient', () => {
    const x = tf.tensor1d([0.5, -1, 2, 0.25, 3]);
    const f = (t: tf.Tensor) => tf.sum(tf.square(t)) as tf.Scalar;
    const wrong = finiteDifferenceCheck(f, x, { gradient: tf.mul(x, 3) });
    expect(wrong.ok).toBe(false);
    expect(wrong.relativeError).toBeGreaterThan(0.2);
    // x² whose custom gradient claims 3x: tf.grad's own gradient is then wrong.
    const square = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const t = args[0] as tf.Tensor;
      return { value: tf.sum(tf.square(t)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(t, 3)) };
    }) as (t: tf.Tensor) => tf.Scalar;
    const caught = finiteDifferenceCheck(square, x);
    expect(caught.ok).toBe(false);
    expect(caught.measured).toBeCloseTo(caught.predicted / 1.5, 2);
    x.dispose();
  });

  test('GradientDiagnostics checks every N records: vanilla and smeared agree at a tie-free image', () => {
    const x = image(7);
    for (const smear of [undefined, { block: 2, noise: 0.5, seed: 3 }]) {
      const diagnostics = new GradientDiagnostics({ term: H0, smear, finiteDifference: { every: 2 } });
      const records = [0, 1, 2].map(() => diagnostics.record(x));
      expect(records.map((r) => r.finiteDifference !== undefined)).toEqual([true, false, true]);
      for (const r of [records[0], records[2]]) {
        expect(r.finiteDifference!.ok).toBe(true);
        expect(Math.abs(r.finiteDifference!.predicted)).toBeGreaterThan(0);
      }
      expect(diagnostics.record(x, { check: true }).finiteDifference).toBeDefined();
      expect(diagnostics.record(x, { check: false }).finiteDifference).toBeUndefined(); // record 5 of every 2
    }
    x.dispose();
  });

  test("a one-ended target: the check differentiates the term's value (both ends), which the partial gradient is not", () => {
    const x = image(8);
    const death: TopologicalTermConfig = { dims: [0], functional: { ...H0_FUNCTIONAL, target: 'death' } };
    const diagnostics = new GradientDiagnostics({ term: death, finiteDifference: { every: 1 } });
    const record = diagnostics.record(x);
    expect(record.finiteDifference!.ok).toBe(true);
    // Checked against the partial gradient itself, the births' motion is missing.
    const partial = new GradientDiagnostics({ term: death, keepGradients: 1 });
    partial.record(x);
    const f = (t: tf.Tensor) => topologicalTerm(t, death);
    expect(finiteDifferenceCheck(f, x, { gradient: partial.gradients[0] }).ok).toBe(false);
    x.dispose();
  });

  test('no step with a wrong gradient passes: a check at a tie is flagged', () => {
    // Two equal minima: the birth of the H0 pair is at a tie, where the term has no derivative.
    const x = tf.tensor2d([[0, 5, 0, 9]]);
    const term: TopologicalTermConfig = { dims: [0], functional: { kind: 'totalPersistence', dim: 0 } };
    const check = new GradientDiagnostics({ term, finiteDifference: { every: 1, seed: 2 } }).record(
      x,
    ).finiteDifference!;
    expect(check.ok).toBe(false);
    x.dispose();
  });
});

describe('Gram matrices', () => {
  test('gradientGramOf: inner products, cosines, the paper weights and the minimum-norm element', () => {
    const g = gradientGramOf([Float32Array.of(1, 0), Float32Array.of(0, 2)]);
    expect(Array.from(g.gram)).toEqual([1, 0, 0, 4]);
    expect(Array.from(g.cosine)).toEqual([1, 0, 0, 1]);
    expect(Array.from(g.weights).map((w) => +w.toFixed(12))).toEqual([0.8, 0.2]);
    // Orthogonal gradients: the minimum-norm weights are the paper's closed form.
    expect(g.minNormWeights[0]).toBeCloseTo(0.8, 6);
    expect(g.minNorm).toBeCloseTo(Math.hypot(0.8, 0.4), 6);
    expect(g.meanNorm).toBeCloseTo(Math.hypot(0.5, 1), 12);
    expect(g.meanAbsCosine).toBe(0);
    // Parallel gradients of norms 1 and 2: the minimum-norm element is the shorter one.
    const parallel = gradientGramOf([Float32Array.of(1, 0), Float32Array.of(2, 0)]);
    expect(parallel.minNormWeights[0]).toBeCloseTo(1, 6);
    expect(parallel.minNorm).toBeCloseTo(1, 6);
    expect(parallel.meanAbsCosine).toBeCloseTo(1, 12);
    // Opposite gradients: 0 is in the hull.
    expect(gradientGramOf([Float32Array.of(1, 1), Float32Array.of(-1, -1)]).minNorm).toBeLessThan(1e-4);
  });

  test('the minimum-norm weights match a brute-force search on random gradients', () => {
    let seed = 9;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const gradients = Array.from({ length: 3 }, () => Float32Array.from({ length: 4 }, random));
    const g = gradientGramOf(gradients);
    let best = Infinity;
    for (let a = 0; a <= 200; a++)
      for (let b = 0; a + b <= 200; b++) {
        const c = [a / 200, b / 200, 1 - (a + b) / 200];
        const v = [0, 1, 2, 3].map((k) => c.reduce((s, ci, i) => s + ci * gradients[i][k], 0));
        best = Math.min(best, Math.hypot(...v));
      }
    expect(g.minNorm).toBeLessThanOrEqual(best + 1e-9);
    expect(g.minNorm).toBeGreaterThan(best - 1e-2);
  });

  test('gradientGram: draws of a smeared term differ; without a smear every draw is the same gradient', () => {
    const x = image(4);
    const smeared = gradientGram(x, { term: H0, smear: { block: 2, noise: 1, seed: 2 }, draws: 6 });
    expect(smeared.size).toBe(6);
    expect(smeared.gram).toHaveLength(36);
    expect(smeared.meanAbsCosine).toBeLessThan(0.999);
    expect(smeared.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(smeared.minNormWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(smeared.minNorm).toBeLessThanOrEqual(smeared.meanNorm + 1e-9);
    const vanilla = gradientGram(x, { term: H0, draws: 3 });
    expect(vanilla.meanAbsCosine).toBeCloseTo(1, 6);
    expect(vanilla.norms[0]).toBeCloseTo(independent(x, (t) => topologicalTerm(t, H0)).norm, 3);
    x.dispose();
  });

  test('GradientDiagnostics.gram: the kept gradients of successive records', () => {
    const x = image(6);
    const diagnostics = new GradientDiagnostics({ term: H0, smear: { block: 2, noise: 1, seed: 1 }, keepGradients: 3 });
    for (let k = 0; k < 5; k++) diagnostics.record(x);
    expect(diagnostics.gradients).toHaveLength(3);
    const gram = diagnostics.gram();
    expect(gram.size).toBe(3);
    expect(gram.norms[1]).toBeCloseTo(diagnostics.records[1].norm, 6);
    diagnostics.dispose();
    expect(diagnostics.gradients).toHaveLength(0);
    x.dispose();
  });
});

describe('in optimize and in model.fit', () => {
  test("as optimize's onStep: one record per step, numbers of the iterate", async () => {
    const x0 = image(2);
    const term = H0;
    const diagnostics = new GradientDiagnostics({ term });
    const { result, history } = await optimize(x0, { steps: 4, ...term, onStep: diagnostics.onStep });
    expect(diagnostics.records.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    const last = diagnostics.records[3];
    const expected = independent(result, (t) => topologicalTerm(t, term));
    expect(last.touched).toBe(expected.touched);
    expect(last.norm).toBeCloseTo(expected.norm, 3);
    expect(history).toHaveLength(4);
    tf.dispose([x0, result]);
  });

  test('as a fit callback: records on the model output for a fixed batch, every N batches', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 1, kernelSize: 3, padding: 'same' })],
    });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const xs = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 1);
    const ys = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 2);
    const probe = tf.slice(xs, [0, 0, 0, 0], [2, 8, 8, 1]);
    const diagnostics = new GradientDiagnostics({
      term: { dims: [0], functional: { kind: 'totalPersistence', dim: 0 } },
    });
    await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      callbacks: diagnostics.fitCallback(model, probe, { every: 2 }),
    });
    // 2 batches per epoch, 2 epochs: batches 2 and 4.
    expect(diagnostics.records.map((r) => r.step)).toEqual([2, 4]);
    const output = model.predict(probe) as tf.Tensor;
    const expected = independent(output, (t) =>
      topologicalTerm(t, { dims: [0], functional: { kind: 'totalPersistence', dim: 0 } }),
    );
    expect(diagnostics.records[1].touched).toBe(expected.touched);
    expect(diagnostics.records[1].norm).toBeCloseTo(expected.norm, 3);
    // No tensor left behind by a record (the prediction is disposed).
    const callback = diagnostics.fitCallback(model, probe);
    const before = tf.memory().numTensors;
    await callback.onBatchEnd!(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(diagnostics.records).toHaveLength(3);
    tf.dispose([output, xs, ys, probe]);
    model.dispose();
  });
});

describe('bad input fails loudly, naming the argument', () => {
  test.each([
    [undefined, /^options: expected an object, got undefined/],
    [{ term: H0, smear: { block: 2 }, every: 3 }, /^options\.every: unknown option/],
    [{}, /^options\.term: expected an object/],
    [{ term: { functional: { kind: 'nope' } } }, /^options\.term\.functional\.kind: expected one of/],
    [{ term: H0, smear: { block: 0 } }, /^options\.smear\.block: /],
    [
      { term: H0, smear: { block: 2, sample: 2 } },
      /^options\.smear\.sample: unknown option \(did you mean 'samples'\?\)/,
    ],
    [{ term: H0, smear: { block: 2, samples: 0 } }, /^options\.smear\.samples: expected an integer ≥ 1, got 0/],
    [{ term: H0, finiteDifference: { every: 0 } }, /^options\.finiteDifference\.every: expected an integer ≥ 1/],
    [
      { term: H0, finiteDifference: { epsilon: -1 } },
      /^options\.finiteDifference\.epsilon: expected a positive number/,
    ],
    [{ term: H0, finiteDifference: { tolerance: NaN } }, /^options\.finiteDifference\.tolerance: expected a positive/],
    [{ term: H0, finiteDifference: { seed: 0.5 } }, /^options\.finiteDifference\.seed: expected an integer/],
    [{ term: H0, keepGradients: -1 }, /^options\.keepGradients: expected an integer ≥ 0, got -1/],
  ])('constructor %#', (options, message) => {
    expect(() => new GradientDiagnostics(options as never)).toThrow(message);
  });

  test('record, fitCallback, gram', () => {
    const diagnostics = new GradientDiagnostics({ term: H0 });
    expect(() => diagnostics.record([1, 2] as never)).toThrow(/^x: expected a tf\.Tensor, got \[1, 2\]/);
    const nan = tf.tensor2d([[0, NaN]]);
    expect(() => diagnostics.record(nan)).toThrow(/^x: expected finite/);
    const ints = tf.tensor2d([[0, 1]], [1, 2], 'int32');
    expect(() => diagnostics.record(ints)).toThrow(/^x: expected a float32 tensor/);
    const x = image();
    expect(() => diagnostics.record(x, { step: 'one' } as never)).toThrow(/^options\.step: expected a finite number/);
    expect(() => diagnostics.record(x, { chek: true } as never)).toThrow(/^options\.chek: unknown option/);
    const beyond = new GradientDiagnostics({ term: { dims: [2], functional: { kind: 'totalPersistence', dim: 2 } } });
    expect(() => beyond.record(x)).toThrow(/^options\.term\.dims: /);
    const big = new GradientDiagnostics({ term: H0, smear: { block: 20 } });
    expect(() => big.record(x)).toThrow(/^options\.smear\.block: /);
    expect(() => diagnostics.gram()).toThrow(/^gram: no gradient kept \(set options\.keepGradients/);
    expect(() => diagnostics.fitCallback({} as never, x)).toThrow(/^model: expected a tf\.LayersModel/);
    expect(() => diagnostics.fitCallback({ predict: () => x }, [] as never)).toThrow(/^inputs: expected a tf\.Tensor/);
    expect(() => diagnostics.fitCallback({ predict: () => x }, x, { every: 0 })).toThrow(
      /^options\.every: expected an integer ≥ 1/,
    );
    expect(diagnostics.records).toHaveLength(0); // a refused call records nothing
    tf.dispose([nan, ints, x]);
  });

  test('finiteDifferenceCheck, gradientGram, gradientGramOf', () => {
    const x = tf.tensor1d([1, 2]);
    const f = (t: tf.Tensor) => tf.sum(t) as tf.Scalar;
    expect(() => finiteDifferenceCheck('f' as never, x)).toThrow(/^f: expected a function/);
    expect(() => finiteDifferenceCheck(f, 3 as never)).toThrow(/^x: expected a tf\.Tensor, got 3/);
    expect(() => finiteDifferenceCheck((t) => t as tf.Scalar, x)).toThrow(
      /^f: expected a function returning a scalar tensor/,
    );
    expect(() => finiteDifferenceCheck(f, x, { gradient: new Float32Array(3) })).toThrow(
      /^options\.gradient: expected 2 entries/,
    );
    expect(() => finiteDifferenceCheck(f, x, { gradient: tf.zeros([3]) })).toThrow(
      /^options\.gradient: expected a tensor of x's shape \[2\]/,
    );
    expect(() => finiteDifferenceCheck(f, x, { gradient: [1, 2] as never })).toThrow(
      /^options\.gradient: expected a tf\.Tensor or a Float32Array/,
    );
    expect(() => finiteDifferenceCheck(f, x, { epsilon: 0 })).toThrow(
      /^options\.epsilon: expected a positive number, got 0/,
    );
    expect(() => gradientGram(x, { term: H0, draws: 0 })).toThrow(/^options\.draws: expected an integer ≥ 1, got 0/);
    expect(() => gradientGram(x, { term: H0, smear: { block: 2, noise: -1 } })).toThrow(/^options\.smear\.noise: /);
    expect(() => gradientGram(x, undefined as never)).toThrow(/^options: expected an object/);
    expect(() => gradientGramOf([])).toThrow(/^gradients: expected a non-empty array/);
    expect(() => gradientGramOf([new Float32Array(2), new Float32Array(3)])).toThrow(
      /^gradients\[1\]: expected 2 entries/,
    );
    expect(() => gradientGramOf([[1, 2]] as never)).toThrow(/^gradients\[0\]: expected a Float32Array/);
    x.dispose();
  });
});

test('no tensor leaks from records, checks and Gram matrices', () => {
  const x = image(9);
  const before = tf.memory().numTensors;
  for (const smear of [undefined, { block: 2, noise: 0.5, seed: 1 }]) {
    const diagnostics = new GradientDiagnostics({ term: H0, smear, finiteDifference: { every: 1 }, keepGradients: 2 });
    diagnostics.record(x);
    diagnostics.record(x);
    diagnostics.gram();
    gradientGram(x, { term: { ...H0, functional: { ...H0_FUNCTIONAL, target: 'death' } }, smear, draws: 2 });
    diagnostics.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
});
