import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { BlockSmear, BlockSmearOptions, SMEAR_MEASURES, SmearMeasure } from '../../src/smear/block-smear';
import { mulberry32 } from '../reference/mulberry32';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MEASURES = SMEAR_MEASURES;
const RANDOM_MEASURES: SmearMeasure[] = ['vertex', 'simplex', 'uniform-normalized'];

/** Test cases: [input shape, block option, expected output shape]. */
const CASES: [number[], number | number[], number[]][] = [
  [[7, 10], 3, [3, 4]],
  [
    [7, 10],
    [3, 4],
    [3, 3],
  ],
  [[6, 9], 3, [2, 3]], // divisible
  [[5, 6, 7], 2, [3, 3, 4]],
  [
    [5, 6, 7],
    [2, 3, 4],
    [3, 2, 2],
  ],
  [[2, 5, 5, 3], 2, [2, 3, 3, 3]],
  [
    [2, 5, 6, 7, 1],
    [2, 3, 4],
    [2, 3, 2, 2, 1],
  ],
  [[1, 4, 4, 2], 4, [1, 1, 1, 2]], // one block covering the whole map
  [
    [3, 3],
    [1, 2],
    [3, 2],
  ], // block size 1 along an axis
];

// ---- Reference pooling on the host ------------------------------------------------------------

/** For every output element (flat, row-major), the flat indices of the input elements of its block. */
function blockMembers(shape: number[], block: number | number[]): number[][] {
  const rank = shape.length;
  const first = rank >= 4 ? 1 : 0;
  const nSpatial = rank >= 4 ? rank - 2 : rank;
  const ks = typeof block === 'number' ? Array(nSpatial).fill(block) : block;
  const k = shape.map((_, a) => (a >= first && a < first + nSpatial ? ks[a - first] : 1));
  const out = shape.map((n, a) => Math.ceil(n / k[a]));
  const members: number[][] = Array.from({ length: out.reduce((p, n) => p * n, 1) }, () => []);
  const size = shape.reduce((p, n) => p * n, 1);
  for (let i = 0; i < size; i++) {
    let rest = i;
    let o = 0;
    let stride = 1;
    const coords = shape.map(() => 0);
    for (let a = rank - 1; a >= 0; a--) {
      coords[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    for (let a = rank - 1; a >= 0; a--) {
      o += Math.floor(coords[a] / k[a]) * stride;
      stride *= out[a];
    }
    members[o].push(i);
  }
  return members;
}

function randomValues(size: number, seed: number, scale = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: size }, () => scale * random());
}

const sizeOf = (shape: number[]) => shape.reduce((p, n) => p * n, 1);

function read(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

// ---- Shapes ----------------------------------------------------------------------------------

describe('shapes', () => {
  test.each(CASES)('%j with block %j → %j, every measure', (shape, block, expected) => {
    for (const measure of MEASURES) {
      const smear = new BlockSmear({ block, measure, noise: 0.1, seed: 1 });
      expect(smear.outputShape(shape)).toEqual(expected);
      const x = tf.tensor(randomValues(sizeOf(shape), 2), shape);
      const y = smear.apply(x);
      expect(y.shape).toEqual(expected);
      expect(y.dtype).toBe('float32');
      expect(Array.from(read(y)).every(Number.isFinite)).toBe(true);
      x.dispose();
      smear.dispose();
    }
  });

  test('1×1 blocks return x itself (plus the noise), every measure', () => {
    const values = randomValues(12, 3);
    const x = tf.tensor(values, [3, 4]);
    for (const measure of MEASURES) {
      const smear = new BlockSmear({ block: 1, measure, seed: 2 });
      expect(Array.from(read(smear.apply(x)))).toEqual(Array.from(values));
      const noisy = new BlockSmear({ block: 1, measure, noise: 0.5, seed: 2 });
      const y = read(noisy.apply(x));
      y.forEach((v, i) => expect(Math.abs(v - values[i])).toBeLessThanOrEqual(0.5 + 1e-6));
      expect(Array.from(y)).not.toEqual(Array.from(values));
    }
    x.dispose();
  });
});

// ---- Values with noise 0 ---------------------------------------------------------------------

describe('pooled values (noise 0)', () => {
  test.each(CASES)('center on %j with block %j is the block average (partial blocks too)', (shape, block) => {
    const values = Float32Array.from({ length: sizeOf(shape) }, (_, i) => i * 0.37 + ((i * 7) % 5));
    const smear = new BlockSmear({ block, measure: 'center' });
    const x = tf.tensor(values, shape);
    const y = read(smear.apply(x));
    const members = blockMembers(shape, block);
    members.forEach((m, o) => {
      const avg = m.reduce((s, i) => s + values[i], 0) / m.length;
      expect(Math.abs(y[o] - avg)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(avg)));
    });
    x.dispose();
    smear.dispose();
  });

  test('center on a 7×10 image with k = 3, by hand', () => {
    // Rows 0–2, 3–5 and the partial row 6; columns 0–2, 3–5, 6–8 and the partial column 9.
    const x = tf.tensor(
      Float32Array.from({ length: 70 }, (_, i) => i),
      [7, 10],
    );
    const y = read(new BlockSmear({ block: 3, measure: 'center' }).apply(x));
    const avg = (rows: number[], cols: number[]) =>
      rows.flatMap((r) => cols.map((c) => 10 * r + c)).reduce((a, b) => a + b, 0) / (rows.length * cols.length);
    expect(y[0]).toBeCloseTo(avg([0, 1, 2], [0, 1, 2]), 4); // 11
    expect(y[3]).toBeCloseTo(avg([0, 1, 2], [9]), 4); // 19: a 3×1 partial block
    expect(y[8]).toBeCloseTo(avg([6], [0, 1, 2]), 4); // 61: a 1×3 partial block
    expect(y[11]).toBeCloseTo(69, 4); // the 1×1 corner block
    x.dispose();
  });

  test.each(CASES)('vertex on %j with block %j always returns one of the block’s own elements', (shape, block) => {
    // Values ≥ 1, so a padding zero leaking into a partial block would show.
    const values = Float32Array.from(randomValues(sizeOf(shape), 4), (v) => 1 + v);
    const x = tf.tensor(values, shape);
    const smear = new BlockSmear({ block, measure: 'vertex', seed: 5 });
    const members = blockMembers(shape, block);
    for (let call = 0; call < 20; call++) {
      const y = read(smear.apply(x));
      members.forEach((m, o) => expect(m.map((i) => values[i])).toContain(y[o]));
    }
    x.dispose();
    smear.dispose();
  });

  test.each(CASES)('every measure on %j with block %j stays within [min, max] of each block', (shape, block) => {
    const values = Float32Array.from(randomValues(sizeOf(shape), 6), (v) => 1 + v);
    const x = tf.tensor(values, shape);
    const members = blockMembers(shape, block);
    for (const measure of MEASURES) {
      const smear = new BlockSmear({ block, measure, seed: 7 });
      for (let call = 0; call < 5; call++) {
        const y = read(smear.apply(x));
        members.forEach((m, o) => {
          const v = m.map((i) => values[i]);
          // Float32 rounding of Σ u·x / Σ u may step a few ulps past the extremes.
          expect(y[o]).toBeGreaterThanOrEqual(Math.min(...v) - 1e-6);
          expect(y[o]).toBeLessThanOrEqual(Math.max(...v) + 1e-6);
        });
      }
      smear.dispose();
    }
    x.dispose();
  });
});

// ---- Expectations ----------------------------------------------------------------------------

describe('expectation over ω is the center approximate', () => {
  // N = 4 calls × a batch of 4,000 copies of one 5×7 image (k = 3: blocks of 9, 3, 6 and 2
  // elements): every copy draws its own weights, so these are 16,000 independent approximates.
  // Tolerance: a variable in [lo, hi] with mean μ has variance ≤ (hi − μ)(μ − lo) (Bhatia–Davis).
  // f_ω lies in [min, max] of its block and has mean the center value c; the weight ω_i lies in
  // [0, 1] with mean 1/m. So the sample mean's standard deviation is at most
  // sqrt((max − c)(c − min) / N), resp. sqrt((1/m)(1 − 1/m) / N) (≤ 0.0024 for m = 9), and we allow
  // 5 of them: a chance failure has probability < 6e-7 per value, < 3e-5 over the 41 values checked
  // (and the seeds are fixed, so the test is deterministic). For scale: E[ω_i] = 1/9 ≈ 0.11.
  const CALLS = 4;
  const BATCH = 4000;
  const N = CALLS * BATCH;
  const shape = [5, 7];
  const size = 35;
  const values = randomValues(size, 8);
  const members = blockMembers(shape, 3);

  test.each(RANDOM_MEASURES)('%s: mean value and mean gradient; the law of a weight', (measure) => {
    const centerOut = read(
      tf.tidy(() => new BlockSmear({ block: 3, measure: 'center' }).apply(tf.tensor(values, shape))),
    );
    const outSize = members.length;
    const first = new Float64Array(N); // ω_0 (element 0, in a full 9-element block) of every sample
    const smear = new BlockSmear({ block: 3, measure, seed: 9 });
    const meanValue = new Float64Array(outSize);
    const meanWeight = new Float64Array(size);
    const xs = tf.tidy(() => tf.tile(tf.tensor(values, [1, 5, 7, 1]), [BATCH, 1, 1, 1]));
    for (let call = 0; call < CALLS; call++) {
      const g = read(tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(smear.apply(x)))(xs)));
      for (let j = 0; j < g.length; j++) meanWeight[j % size] += g[j] / N;
      for (let b = 0; b < BATCH; b++) first[call * BATCH + b] = g[b * size];
      const y = read(smear.apply(xs));
      for (let j = 0; j < y.length; j++) meanValue[j % outSize] += y[j] / N;
    }
    xs.dispose();
    members.forEach((m, o) => {
      const v = m.map((i) => values[i]);
      const c = centerOut[o];
      const valueTol = 5 * Math.sqrt(Math.max(0, (Math.max(...v) - c) * (c - Math.min(...v))) / N) + 1e-6;
      expect(Math.abs(meanValue[o] - c)).toBeLessThan(valueTol);
      const weightTol = 5 * Math.sqrt(((1 / m.length) * (1 - 1 / m.length)) / N);
      for (const i of m) expect(Math.abs(meanWeight[i] - 1 / m.length)).toBeLessThan(weightTol);
    });
    // The law of ω_0 (m = 9), beyond its mean. Empirical frequencies get 5 binomial standard
    // deviations, sqrt(p(1 − p)/N) ≤ 0.004.
    const frequency = (t: number) => first.reduce((c, w) => c + (w <= t ? 1 : 0), 0) / N;
    const binomialTol = (p: number) => 5 * Math.sqrt((p * (1 - p)) / N);
    const variance = first.reduce((s, w) => s + (w - 1 / 9) ** 2, 0) / N;
    const dirichletVariance = 8 / (81 * 10); // (m − 1) / (m²(m + 1))
    if (measure === 'vertex') {
      expect(first.every((w) => w === 0 || w === 1)).toBe(true);
    } else if (measure === 'simplex') {
      // Dirichlet(1, …, 1) marginal: ω_0 ~ Beta(1, 8), P(ω_0 ≤ t) = 1 − (1 − t)^8.
      for (const t of [0.02, 0.05, 0.1, 0.2, 0.3]) {
        const p = 1 - (1 - t) ** 8;
        expect(Math.abs(frequency(t) - p)).toBeLessThan(binomialTol(p));
      }
    } else {
      // U(0,1)/ΣU is more concentrated than Dirichlet(1) (variance ≈ 0.0037 against 0.0099 for m = 9).
      expect(variance).toBeLessThan(0.6 * dirichletVariance);
      expect(variance).toBeGreaterThan(0.2 * dirichletVariance);
    }
    // The test has teeth: single draws are far from the center approximate.
    const one = read(tf.tidy(() => smear.apply(tf.tensor(values, shape))));
    expect(Math.max(...one.map((v, o) => Math.abs(v - centerOut[o])))).toBeGreaterThan(0.05);
    smear.dispose();
  });
});

// ---- Noise -----------------------------------------------------------------------------------

describe('noise', () => {
  test('center with ε > 0: within ±ε of the noiseless result, mean difference ≈ 0', () => {
    const eps = 0.25;
    const shape = [50, 9, 9, 1];
    const values = randomValues(sizeOf(shape), 10);
    const x = tf.tensor(values, shape);
    const clean = read(new BlockSmear({ block: 3, measure: 'center' }).apply(x));
    const smear = new BlockSmear({ block: 3, measure: 'center', noise: eps, seed: 11 });
    let sum = 0;
    let count = 0;
    let largest = 0;
    for (let call = 0; call < 10; call++) {
      const y = read(smear.apply(x));
      y.forEach((v, o) => {
        const d = v - clean[o];
        expect(Math.abs(d)).toBeLessThanOrEqual(eps + 1e-6);
        largest = Math.max(largest, Math.abs(d));
        sum += d;
        count++;
      });
    }
    // Each difference is the mean of 9 U[−ε, ε] draws: variance ε²/27. Over count = 4,500 of them
    // the mean has standard deviation ε/√(27·count); allow 5 of them.
    expect(Math.abs(sum / count)).toBeLessThan((5 * eps) / Math.sqrt(27 * count));
    expect(largest).toBeGreaterThan(eps / 3); // the noise is there
    x.dispose();
  });

  test.each(MEASURES)('%s: the same seed with and without noise differ by Σ ω h ∈ [−ε, ε]', (measure) => {
    const eps = 0.5;
    const x = tf.tensor(randomValues(2 * 7 * 10 * 3, 19), [2, 7, 10, 3]);
    const clean = new BlockSmear({ block: 3, measure, seed: 20 });
    const noisy = new BlockSmear({ block: 3, measure, noise: eps, seed: 20 });
    for (let call = 0; call < 3; call++) {
      const a = read(clean.apply(x));
      const b = read(noisy.apply(x));
      const d = b.map((v, o) => v - a[o]);
      d.forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(eps + 1e-6));
      expect(Math.max(...d.map(Math.abs))).toBeGreaterThan(eps / 4);
    }
    x.dispose();
  });

  test('block 1: the noise itself is U[−ε, ε] (mean 0, variance ε²/3), fresh on every call', () => {
    const eps = 2;
    const x = tf.zeros([100, 100]);
    const smear = new BlockSmear({ block: 1, noise: eps, seed: 12 });
    const a = read(smear.apply(x));
    const b = read(smear.apply(x));
    const n = a.length;
    const mean = a.reduce((s, v) => s + v, 0) / n;
    const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    // sd of the mean: ε/√(3n) = 0.0115; of the variance estimate: ε²·√(4/45/n) ≈ 0.012.
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(variance - eps ** 2 / 3)).toBeLessThan(0.06);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-eps);
    expect(Math.max(...a)).toBeLessThanOrEqual(eps);
    expect(Math.max(...a)).toBeGreaterThan(0.99 * eps);
    expect(Math.min(...a)).toBeLessThan(-0.99 * eps);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    x.dispose();
  });
});

// ---- Seeds -----------------------------------------------------------------------------------

describe('seeds', () => {
  const inputs = [tf.tensor(randomValues(70, 13), [7, 10]), tf.tensor(randomValues(150, 14), [2, 5, 5, 3])];
  afterAll(() => inputs.forEach((t) => t.dispose()));
  const sequence = (options: BlockSmearOptions) => {
    const smear = new BlockSmear(options);
    const out = [0, 1, 0, 0, 1].map((i) => Array.from(read(smear.apply(inputs[i]))));
    smear.dispose();
    return out;
  };

  test.each(MEASURES)('%s: same seed → same sequence; different seeds or successive calls differ', (measure) => {
    const a = sequence({ block: 2, measure, noise: 0.1, seed: 42 });
    expect(sequence({ block: 2, measure, noise: 0.1, seed: 42 })).toEqual(a);
    expect(sequence({ block: 2, measure, noise: 0.1, seed: 43 })).not.toEqual(a);
    expect(a[2]).not.toEqual(a[3]); // fresh samples on every call
  });

  test('every batch item and channel draws its own weights', () => {
    const x = tf.tidy(() => tf.tile(tf.reshape(tf.tensor(randomValues(25, 21), [5, 5]), [1, 5, 5, 1]), [2, 1, 1, 3]));
    for (const measure of RANDOM_MEASURES) {
      const y = read(new BlockSmear({ block: 2, measure, seed: 22 }).apply(x)); // [2, 3, 3, 3]
      const map = (b: number, c: number) => Array.from({ length: 9 }, (_, o) => y[(b * 9 + o) * 3 + c]);
      expect(map(0, 0)).not.toEqual(map(0, 1));
      expect(map(0, 0)).not.toEqual(map(1, 0));
    }
    x.dispose();
  });

  test('the weights alone follow the seed (noise 0), and the default seed can be replayed', () => {
    for (const measure of RANDOM_MEASURES) {
      const a = sequence({ block: 3, measure, seed: 1 });
      expect(sequence({ block: 3, measure, seed: 1 })).toEqual(a);
      expect(sequence({ block: 3, measure, seed: 2 })).not.toEqual(a);
    }
    const random = new BlockSmear({ block: 2, noise: 1 });
    expect(Number.isSafeInteger(random.seed)).toBe(true);
    const first = Array.from(read(random.apply(inputs[0])));
    expect(sequence({ block: 2, noise: 1, seed: random.seed })[0]).toEqual(first);
    expect(new BlockSmear({ block: 2, seed: 2 ** 40 }).seed).toBe(2 ** 40);
    expect(sequence({ block: 2, noise: 1, seed: 2 ** 40 })).not.toEqual(sequence({ block: 2, noise: 1, seed: 0 }));
  });
});

// ---- Gradient: the unspool -------------------------------------------------------------------

describe('gradient is the unspool r[block] · ω_i', () => {
  // f_ω(x) = Σ ω_i (x_i + h_i) is affine in x, so with the same seed (hence the same ω and h for the
  // same shape) ω_j = f_ω(e_j)[block(j)] − f_ω(0)[block(j)] for the one-hot input e_j. A fresh
  // instance per j replays the same first draw.
  const GRAD_CASES: [number[], number | number[]][] = [
    [[7, 10], 3],
    [
      [5, 6, 7],
      [2, 3, 4],
    ],
    [[2, 5, 5, 3], 2],
  ];
  const combos = GRAD_CASES.flatMap(([shape, block]) => MEASURES.map((m) => [shape, block, m] as const));

  test.each(combos)('%j, block %j, %s', (shape, block, measure) => {
    const options: BlockSmearOptions = { block, measure, noise: 0.3, seed: 77 };
    const size = sizeOf(shape);
    const members = blockMembers(shape, block);
    const outSize = members.length;
    const r = randomValues(outSize, 15, 2);
    const x0 = tf.tensor(randomValues(size, 16), shape);
    const smear = new BlockSmear(options);
    const g = read(
      tf.tidy(() =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(smear.apply(x), tf.tensor(r, smear.outputShape(shape)))))(x0),
      ),
    );
    x0.dispose();

    const blockOf = new Int32Array(size);
    members.forEach((m, o) => m.forEach((i) => (blockOf[i] = o)));
    const atZero = read(tf.tidy(() => new BlockSmear(options).apply(tf.zeros(shape))));
    const omega = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      const y = read(
        tf.tidy(() => new BlockSmear(options).apply(tf.cast(tf.reshape(tf.oneHot(j, size), shape), 'float32'))),
      );
      omega[j] = y[blockOf[j]] - atZero[blockOf[j]];
    }
    // ω is a convex combination per block (vertex: exactly one 1), and the gradient unspools r by it.
    members.forEach((m, o) => {
      const w = m.map((i) => omega[i]);
      expect(Math.abs(w.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-5);
      w.forEach((v) => expect(v).toBeGreaterThanOrEqual(-1e-6));
      if (measure === 'vertex') expect(w.filter((v) => Math.abs(v - 1) < 1e-5).length).toBe(1);
      if (measure === 'center') w.forEach((v) => expect(v).toBeCloseTo(1 / m.length, 5));
      for (const i of m) expect(Math.abs(g[i] - r[o] * omega[i])).toBeLessThan(1e-5);
    });
    smear.dispose();
  });
});

// ---- Host sampling ---------------------------------------------------------------------------

describe('sample(): the same draws on the host', () => {
  const HOST_CASES: [number[], number | number[]][] = [
    [[7, 10], 3],
    [
      [5, 6, 7],
      [2, 3, 4],
    ],
    [[2, 5, 5, 3], 2],
    [[3, 4], 1],
  ];
  const combos = HOST_CASES.flatMap(([shape, block]) =>
    MEASURES.flatMap((m) => (['pooled', 'input'] as const).map((range) => [shape, block, m, range] as const)),
  );

  test.each(combos)(
    '%j, block %j, %s, range %s: values and unspool match apply and its gradient',
    (shape, block, measure, range) => {
      const options: BlockSmearOptions = { block, measure, noise: 0.3, seed: 31, range };
      const values = randomValues(sizeOf(shape), 32);
      const onTensors = new BlockSmear(options);
      const onHost = new BlockSmear(options);
      for (let call = 0; call < 3; call++) {
        const approximate = onHost.sample(values, shape);
        const r = randomValues(approximate.values.length, 33 + call, 2);
        const x = tf.tensor(values, shape);
        let f = new Float32Array(0);
        const g = tf.tidy(() =>
          tf.grad((v: tf.Tensor) => {
            const approx = onTensors.apply(v);
            f = (approx.dataSync() as Float32Array).slice();
            return tf.sum(tf.mul(approx, tf.tensor(r, approximate.shape)));
          })(x),
        );
        x.dispose();
        expect(approximate.shape).toEqual(onTensors.outputShape(shape));
        approximate.values.forEach((v, o) => {
          if (measure === 'vertex' && range === 'pooled')
            expect(v).toBe(f[o]); // both are fl(x_chosen + h)
          else expect(Math.abs(v - f[o])).toBeLessThan(1e-5);
        });
        // Accumulates scale · unspooled r into what grad already holds.
        const grad = new Float32Array(values.length).fill(1);
        approximate.unspool(r, grad, 0.5);
        const tensorGrad = read(g);
        grad.forEach((v, i) => expect(Math.abs(v - 1 - 0.5 * tensorGrad[i])).toBeLessThan(1e-5));
      }
    },
  );

  test('apply and sample take turns in one stream', () => {
    const values = randomValues(70, 34);
    const x = tf.tensor(values, [7, 10]);
    for (const measure of MEASURES) {
      const a = new BlockSmear({ block: 3, measure, noise: 0.2, seed: 35 });
      const b = new BlockSmear({ block: 3, measure, noise: 0.2, seed: 35 });
      const a1 = read(a.apply(x));
      const a2 = a.sample(values, [7, 10]).values;
      const b1 = b.sample(values, [7, 10]).values;
      const b2 = read(b.apply(x));
      a1.forEach((v, o) => expect(Math.abs(v - b1[o])).toBeLessThan(1e-6));
      a2.forEach((v, o) => expect(Math.abs(v - b2[o])).toBeLessThan(1e-6));
      expect(Array.from(a1)).not.toEqual(Array.from(a2));
    }
    x.dispose();
  });

  test('creates no tensors, and checks its arguments', () => {
    const smear = new BlockSmear({ block: 2, noise: 0.1 });
    const before = tf.memory().numTensors;
    const approximate = smear.sample(new Float32Array(20), [4, 5]);
    approximate.unspool(new Float32Array(6), new Float32Array(20));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => smear.sample([1, 2] as unknown as Float32Array, [1, 2])).toThrow(/^x: expected a Float32Array/);
    expect(() => smear.sample(new Float32Array(19), [4, 5])).toThrow(
      /^x: expected 20 values for shape \[4, 5\], got 19/,
    );
    expect(() => smear.sample(new Float32Array(5), [5])).toThrow(/^x: expected a tensor of shape/);
    expect(() => smear.sample(new Float32Array(4), [2, 2, 1, 1])).toThrow(
      /^options\.block: block size 2 along spatial axis W/,
    );
    expect(() => approximate.unspool(new Float32Array(5), new Float32Array(20))).toThrow(
      /^pooledGrad: expected 6 values, got 5/,
    );
    expect(() => approximate.unspool(new Float32Array(6), new Float32Array(2))).toThrow(
      /^grad: expected 20 values, got 2/,
    );
  });
});

// ---- Memory ----------------------------------------------------------------------------------

describe("range: 'input'", () => {
  /** Per map (b, c) of a [B, …, C] array: [min, max]. */
  function ranges(values: ArrayLike<number>, shape: number[]): [number, number][] {
    const [batch, channels] = [shape[0], shape[shape.length - 1]];
    const perItem = values.length / batch;
    const out = Array.from({ length: batch * channels }, () => [Infinity, -Infinity] as [number, number]);
    for (let i = 0; i < values.length; i++) {
      const m = Math.floor(i / perItem) * channels + (i % channels);
      out[m] = [Math.min(out[m][0], values[i]), Math.max(out[m][1], values[i])];
    }
    return out;
  }

  test.each(MEASURES)(
    '%s: each map of the approximate spans its input map, and the gradient is the slope times the pooled one',
    (measure) => {
      const shape = [2, 6, 7, 3];
      const values = randomValues(sizeOf(shape), 41, 10);
      const x = tf.tensor(values, shape);
      const r = randomValues(2 * 3 * 4 * 3, 42);
      const run = (range: 'pooled' | 'input') => {
        const smear = new BlockSmear({ block: 2, measure, noise: 0.5, seed: 43, range });
        let f = new Float32Array(0);
        const g = tf.grad((v: tf.Tensor) => {
          const approx = smear.apply(v);
          f = (approx.dataSync() as Float32Array).slice();
          return tf.sum(tf.mul(approx, tf.tensor(r, approx.shape)));
        })(x);
        return { f, g: read(g) };
      };
      const pooled = run('pooled');
      const input = run('input');
      const want = ranges(values, shape);
      const got = ranges(input.f, [2, 3, 4, 3]);
      const spread = ranges(pooled.f, [2, 3, 4, 3]);
      got.forEach(([lo, hi], m) => {
        expect(lo).toBeCloseTo(want[m][0], 4);
        expect(hi).toBeCloseTo(want[m][1], 4);
      });
      // Map m's slope is (input spread) / (pooled spread); element i belongs to map m(i).
      const perItem = values.length / 2;
      input.g.forEach((v, i) => {
        const m = Math.floor(i / perItem) * 3 + (i % 3);
        const slope = (want[m][1] - want[m][0]) / (spread[m][1] - spread[m][0]);
        expect(v).toBeCloseTo(slope * pooled.g[i], 4);
      });
      x.dispose();
    },
  );

  test('a constant approximate is left as it is; the option is checked', () => {
    const smear = new BlockSmear({ block: 2, measure: 'center', range: 'input' });
    const out = smear.sample(new Float32Array(16).fill(3), [4, 4]);
    expect(Array.from(out.values)).toEqual([3, 3, 3, 3]);
    expect(() => new BlockSmear({ block: 2, range: 'exact' as never })).toThrow(
      "options.range: expected 'pooled' or 'input', got 'exact'",
    );
  });
});

describe('memory', () => {
  test.each(MEASURES)('%s: 100 calls leak nothing; constants survive an outer tidy; dispose frees them', (measure) => {
    const x = tf.tensor(randomValues(2 * 7 * 10 * 3, 17), [2, 7, 10, 3]);
    const before = tf.memory().numTensors;
    const smear = new BlockSmear({ block: 3, measure, noise: 0.1, seed: 18 });
    // First use inside a tidy (as in a training step): the cached constants must outlive it.
    const first = tf.tidy(() => tf.sum(smear.apply(x)).dataSync()[0]);
    expect(Number.isFinite(first)).toBe(true);
    const cached = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) smear.apply(x).dispose();
    for (let i = 0; i < 10; i++) tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(smear.apply(v)))(x)).dispose();
    expect(tf.memory().numTensors).toBe(cached);
    const y = smear.apply(x); // still valid after the outer tidy disposed its scope
    expect(Array.from(read(y)).every(Number.isFinite)).toBe(true);
    smear.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Usable again after dispose (constants are rebuilt on demand).
    smear.apply(x).dispose();
    smear.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

test('constants are cached for the 8 most recent input shapes only, and dispose frees them', () => {
  const before = tf.memory().numTensors;
  const smear = new BlockSmear({ block: 3, measure: 'center' }); // caches weights (+ padding) per shape
  for (let n = 4; n < 20; n++) {
    const x = tf.ones([n, n + 1]);
    const y = read(smear.apply(x));
    expect(Array.from(y).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    x.dispose();
  }
  // Each shape here caches its weights and two padding tensors at most.
  expect(tf.memory().numTensors - before).toBeLessThanOrEqual(8 * 3);
  smear.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

// ---- Validation ------------------------------------------------------------------------------

describe('validation', () => {
  test('options', () => {
    expect(() => new BlockSmear(undefined as unknown as BlockSmearOptions)).toThrow(/^options: expected an object/);
    expect(() => new BlockSmear({} as BlockSmearOptions)).toThrow(
      /^options\.block: expected a positive integer or an array/,
    );
    for (const block of [0, -2, 2.5, NaN, Infinity])
      expect(() => new BlockSmear({ block })).toThrow(/^options\.block: expected a positive integer, got/);
    expect(() => new BlockSmear({ block: [2, 0] })).toThrow(
      /^options\.block: expected positive integers, got 0 at index 1/,
    );
    expect(() => new BlockSmear({ block: [2] })).toThrow(
      /^options\.block: expected one block size per spatial axis \(2 or 3 of them\), got 1/,
    );
    expect(() => new BlockSmear({ block: [2, 2, 2, 2] })).toThrow(/^options\.block: .* got 4/);
    expect(() => new BlockSmear({ block: '2' as unknown as number })).toThrow(/^options\.block/);
    for (const noise of [-0.1, NaN, Infinity])
      expect(() => new BlockSmear({ block: 2, noise })).toThrow(
        /^options\.noise: expected a finite float32 number ≥ 0/,
      );
    expect(() => new BlockSmear({ block: 2, measure: 'gauss' as SmearMeasure })).toThrow(
      /^options\.measure: expected one of 'center', 'vertex', 'simplex', 'uniform-normalized', got 'gauss'/,
    );
    expect(() => new BlockSmear({ block: 2, seed: 1.5 })).toThrow(/^options\.seed: expected an integer/);
  });

  test('block against the input', () => {
    const img = tf.zeros([4, 6]);
    const vol = tf.zeros([2, 3, 8, 9, 1]);
    expect(() => new BlockSmear({ block: [2, 2, 2] }).apply(img)).toThrow(
      /^options\.block: expected 2 block sizes for the 2 spatial axes of x \(shape \[4, 6\]\), got 3/,
    );
    expect(() => new BlockSmear({ block: [2, 2] }).apply(vol)).toThrow(
      /^options\.block: expected 3 block sizes .* got 2/,
    );
    expect(() => new BlockSmear({ block: 5 }).apply(img)).toThrow(
      /^options\.block: block size 5 along spatial axis H \(axis 0 of x\) is larger than the input size 4 \(x shape \[4, 6\]\)/,
    );
    expect(() => new BlockSmear({ block: [2, 9, 2] }).apply(vol)).toThrow(
      /^options\.block: block size 9 along spatial axis H \(axis 2 of x\) is larger than the input size 8/,
    );
    expect(() => new BlockSmear({ block: 3 }).outputShape([2, 2, 2, 1])).toThrow(
      /along spatial axis H \(axis 1 of x\)/,
    );
    img.dispose();
    vol.dispose();
  });

  test('x', () => {
    const smear = new BlockSmear({ block: 1 });
    const bad = [tf.zeros([4]), tf.zeros([1, 2, 2, 2, 2, 1]), tf.scalar(1)];
    for (const t of bad)
      expect(() => smear.apply(t)).toThrow(
        /^x: expected a tensor of shape \[H, W\], \[D, H, W\], \[B, H, W, C\] or \[B, D, H, W, C\]/,
      );
    const ints = tf.zeros([3, 3], 'int32');
    const bools = tf.zeros([3, 3], 'bool');
    expect(() => smear.apply(ints)).toThrow(/^x: expected a float32 tensor, got dtype 'int32'/);
    expect(() => smear.apply(bools)).toThrow(/^x: expected a float32 tensor, got dtype 'bool'/);
    expect(() => smear.apply([[1, 2]] as unknown as tf.Tensor)).toThrow(/^x: expected a tf\.Tensor/);
    const empty = tf.zeros([0, 3]);
    expect(() => smear.apply(empty)).toThrow(/^x: expected no empty axis/);
    [...bad, ints, bools, empty].forEach((t) => t.dispose());
  });
});
