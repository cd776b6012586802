import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { layers } from '../../src';
import { DiagramSet } from '../../src/ops/diagram-set';
import { paddedDiagrams } from '../../src/ops/padded-diagrams';
import { ripsDiagrams } from '../../src/ops/rips-op';
import { persistenceImage, persistenceLandscape } from '../../src/ops/vectorizations';
import { PersLayArgs, PersLayPhi, PersLayWeight } from '../../src/layers/pers-lay';
import { analyticGradient, expectGradientsMatch, numericGradient } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';
import { expectRoundTrip } from '../reference/round-trip';

// layers.persLay against a plain-JS computation of pool_p w(p) · φ(p) for every φ, weight and
// pooling; the identities with persistenceImage and persistenceLandscape; permutation invariance;
// padding that changes nothing (values, gradients); gradients against finite differences for the
// weights and the pairs; paddedDiagrams; save and load; errors.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Diagram = [number, number][];

/** Seeded diagrams (birth < death, a few with birth > death: superlevel), sizes 0..max. */
function randomDiagrams(count: number, max: number, seed: number): Diagram[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, m) => {
    const n = m === 0 ? 0 : 1 + Math.floor(random() * max);
    return Array.from({ length: n }, () => {
      const b = random();
      const d = b + 0.05 + random() * 0.9;
      return (random() < 0.2 ? [d, b] : [b, d]) as [number, number];
    });
  });
}

/** Diagrams as a padded [B, N, 3] array, padding rows filled with `fill` and mask 0. */
function padded(diagrams: Diagram[], n: number, fill: [number, number] = [0, 0]): number[][][] {
  return diagrams.map((d) =>
    Array.from({ length: n }, (_, j) => (j < d.length ? [d[j][0], d[j][1], 1] : [fill[0], fill[1], 0])),
  );
}

// ---------------------------------------------------------------------------------------------
// The reference: one pair at a time, in float64.

interface Weights {
  centres?: number[][];
  widths?: number[][];
  sigma?: number;
  constant?: number;
  grid?: number[][];
}

const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));

function phiOf(phi: PersLayPhi, w: Weights, lo: number, hi: number): number[] {
  const [x, y] = [lo, hi - lo];
  if (phi.kind === 'gaussian')
    return w.centres!.map(([cx, cy], u) =>
      Math.exp(-0.5 * (((x - cx) / w.widths![u][0]) ** 2 + ((y - cy) / w.widths![u][1]) ** 2)),
    );
  if (phi.kind === 'tent')
    return w.centres!.map(([cx, cy], u) =>
      Math.max(0, 1 - Math.max(Math.abs((x - cx) / w.widths![u][0]), Math.abs((y - cy) / w.widths![u][1]))),
    );
  if (phi.kind === 'image') {
    const [nx, ny] = phi.resolution ?? [20, 20];
    const s = w.sigma!;
    const out: number[] = [];
    for (const gy of linspace(phi.range[2], phi.range[3], ny))
      for (const gx of linspace(phi.range[0], phi.range[1], nx))
        out.push(Math.exp(-((x - gx) ** 2 + (y - gy) ** 2) / (2 * s * s)) / (2 * Math.PI * s * s));
    return out;
  }
  const samples = (phi as { resolution?: number }).resolution ?? 100;
  return linspace(phi.range[0], phi.range[1], samples).map((t) => Math.SQRT2 * Math.max(0, Math.min(t - lo, hi - t)));
}

function weightOf(weight: PersLayWeight | undefined, w: Weights, lo: number, hi: number): number {
  if (weight === undefined || weight.kind === 'constant') return 1;
  if (weight.kind === 'power') return w.constant! * (hi - lo) ** (weight.power ?? 1);
  const [nx, ny] = weight.resolution;
  const [x0, x1, y0, y1] = weight.range;
  const cell = (v: number, a: number, b: number, n: number) =>
    Math.min(n - 1, Math.max(0, Math.floor(((v - a) * n) / (b - a))));
  return w.grid![cell(hi - lo, y0, y1, ny)][cell(lo, x0, x1, nx)];
}

function reference(args: PersLayArgs, w: Weights, diagrams: Diagram[]): number[][] {
  return diagrams.map((d) => {
    const rows = d.map(([a, b]) => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      const weight = weightOf(args.weight, w, lo, hi);
      return phiOf(args.phi, w, lo, hi).map((v) => v * weight);
    });
    const units = phiOf(args.phi, w, 0, 1).length;
    const column = (u: number) => rows.map((r) => r[u]);
    const pooling = args.pooling ?? 'sum';
    if (pooling === 'topk') {
      const k = args.k!;
      const out: number[] = [];
      for (let level = 0; level < k; level++)
        for (let u = 0; u < units; u++) out.push(column(u).sort((p, q) => q - p)[level] ?? 0);
      return out;
    }
    return Array.from({ length: units }, (_, u) => {
      const c = column(u);
      if (c.length === 0) return 0;
      const sum = c.reduce((p, q) => p + q, 0);
      return pooling === 'sum' ? sum : pooling === 'mean' ? sum / c.length : Math.max(...c);
    });
  });
}

/** The layer's weights as the reference reads them. */
function weightsOf(layer: tfl.layers.Layer): Weights {
  const out: Weights = {};
  for (const v of layer.weights) {
    const name = v.originalName.split('/').pop()!;
    const value = v.read().arraySync();
    if (name === 'centres') out.centres = value as number[][];
    if (name === 'logWidths') out.widths = (value as number[][]).map((r) => r.map(Math.exp));
    if (name === 'logBandwidth') out.sigma = Math.exp((value as number[])[0]);
    if (name === 'constant') out.constant = (value as number[])[0];
    if (name === 'grid') out.grid = value as number[][];
  }
  return out;
}

function expectClose(got: number[][], want: number[][], tolerance = 2e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, b) => {
    expect(row.length).toBe(want[b].length);
    row.forEach((v, i) =>
      expect(Math.abs(v - want[b][i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want[b][i]))),
    );
  });
}

const PHIS: PersLayPhi[] = [
  { kind: 'gaussian', units: 3, range: [0, 1, 0, 1], bandwidth: 0.3, seed: 1 },
  { kind: 'tent', units: 3, range: [0, 1, 0, 1], bandwidth: 0.6, seed: 2 },
  { kind: 'image', range: [0, 1, 0, 1], resolution: [3, 2], bandwidth: 0.4 },
  { kind: 'landscape', range: [0, 1.5], resolution: 4 },
];
const WEIGHTS: (PersLayWeight | undefined)[] = [
  undefined,
  { kind: 'power', power: 2, constant: 1.5 },
  { kind: 'grid', range: [0, 1, 0, 1], resolution: [2, 3] },
];
const POOLINGS: Pick<PersLayArgs, 'pooling' | 'k'>[] = [
  { pooling: 'sum' },
  { pooling: 'mean' },
  { pooling: 'max' },
  { pooling: 'topk', k: 3 },
];

/** A layer with its weights moved off their initial values (so the reference reads real weights). */
function layerWith(args: PersLayArgs): tfl.layers.Layer {
  const layer = layers.persLay(args);
  layer.apply(tfl.input({ shape: [5, 3] })); // builds it
  const random = mulberry32(9);
  layer.setWeights(
    layer
      .getWeights()
      .map((t) => tf.add(t, tf.mul(tf.randomUniform(t.shape, -0.1, 0.1, 'float32', Math.floor(random() * 1e6)), 1))),
  );
  return layer;
}

describe.each(PHIS.map((phi) => [phi.kind, phi] as const))('φ %s equals the reference', (_, phi) => {
  test.each(
    WEIGHTS.flatMap((weight) => POOLINGS.map((p) => [weight?.kind ?? 'constant', p.pooling!, weight, p] as const)),
  )('weight %s, pooling %s', (_w, _p, weight, pooling) => {
    const args: PersLayArgs = { phi, weight, ...pooling };
    const layer = layerWith(args);
    const diagrams = randomDiagrams(4, 5, 3);
    const got = tf.tidy(() => (layer.apply(tf.tensor3d(padded(diagrams, 5))) as tf.Tensor).arraySync() as number[][]);
    expectClose(got, reference(args, weightsOf(layer), diagrams));
    layer.dispose();
  });
});

/** Diagrams as a DiagramSet of dimension 0 over a constant pairs tensor (no op behind it). */
function diagramSet(diagrams: Diagram[]): DiagramSet {
  const flat = diagrams.flat();
  return {
    pairs: tf.tensor2d(flat.flat(), [flat.length, 2]),
    values: Float32Array.from(flat.flat()),
    dim: new Int32Array(flat.length),
    map: Int32Array.from(diagrams.flatMap((d, m) => d.map(() => m))),
    essential: new Uint8Array(flat.length),
    essentialCounts: new Int32Array(diagrams.length),
    dims: [0],
    maps: diagrams.length,
  };
}

test("φ 'image', summed, with a power weight at its initial values is persistenceImage", () => {
  const diagrams = randomDiagrams(4, 6, 5);
  const d = diagramSet(diagrams);
  const options = { dim: 0, bandwidth: 0.2, range: [0, 1, 0, 1] as const, resolution: [4, 3] as const, power: 1 };
  const layer = layers.persLay({
    phi: { kind: 'image', range: [0, 1, 0, 1], resolution: [4, 3], bandwidth: 0.2 },
    weight: { kind: 'power', power: 1 },
  });
  tf.tidy(() => {
    const want = persistenceImage(d, options).arraySync();
    const got = (layer.apply(paddedDiagrams(d, { dim: 0 })) as tf.Tensor).arraySync() as number[][];
    expectClose(got, want, 1e-5);
  });
  d.pairs.dispose();
  layer.dispose();
});

test("φ 'landscape' with top-k pooling is persistenceLandscape with k levels", () => {
  const diagrams = randomDiagrams(4, 6, 6);
  const d = diagramSet(diagrams);
  const layer = layers.persLay({ phi: { kind: 'landscape', range: [0, 2], resolution: 7 }, pooling: 'topk', k: 3 });
  tf.tidy(() => {
    const want = persistenceLandscape(d, { dim: 0, range: [0, 2], resolution: 7, levels: 3 }).arraySync();
    const got = (layer.apply(paddedDiagrams(d, { dim: 0, maxPairs: 8 })) as tf.Tensor).arraySync() as number[][];
    expectClose(got, want, 1e-5);
  });
  d.pairs.dispose();
  layer.dispose();
});

describe('invariances', () => {
  const args: PersLayArgs[] = [
    { phi: PHIS[0], weight: WEIGHTS[1], pooling: 'sum' },
    { phi: PHIS[1], weight: WEIGHTS[2], pooling: 'mean' },
    { phi: PHIS[2], pooling: 'max' },
    { phi: PHIS[3], weight: WEIGHTS[1], pooling: 'topk', k: 2 },
  ];
  const diagrams = randomDiagrams(3, 5, 11);

  test.each(args.map((a) => [a.phi.kind, a.pooling!, a] as const))(
    '%s / %s: permuting the rows, more padding, any padding values, no mask column: the same output',
    (_, __, a) => {
      const layer = layerWith(a);
      const run = (x: number[][][]) =>
        tf.tidy(() => (layer.apply(tf.tensor3d(x)) as tf.Tensor).arraySync() as number[][]);
      const base = run(padded(diagrams, 5));
      // Rows (pairs and padding) in a random order per diagram.
      const random = mulberry32(4);
      const shuffled = padded(diagrams, 5).map((rows) =>
        rows
          .map((r) => [random(), r] as const)
          .sort((p, q) => p[0] - q[0])
          .map(([, r]) => r),
      );
      expectClose(run(shuffled), base, 1e-6);
      // More padding, holding NaN or huge values: exactly the same.
      expect(run(padded(diagrams, 9, [NaN, 1e30]))).toEqual(base);
      expect(run(padded(diagrams, 9, [-5, Infinity]))).toEqual(base);
      // Full diagrams without the mask column.
      const full = diagrams.filter((d) => d.length === 5);
      if (full.length > 0) expect(run(full.map((d) => d.map((p) => [...p])))).toEqual(run(padded(full, 5)));
      layer.dispose();
    },
  );

  test('padding changes no gradient (to the weights or the pairs), and makes none NaN', () => {
    const a = args[0];
    const layer = layerWith({ ...a, weight: { kind: 'power', power: 0.5 } }); // 0^(−½) if padding were read
    const grads = (x: number[][][]) =>
      tf.tidy(() => {
        const input = tf.tensor3d(x);
        const { value, grads: g } = tf.variableGrads(
          () => tf.sum(layer.apply(input) as tf.Tensor) as tf.Scalar,
          layer.trainableWeights.map((w) => w.read() as tf.Variable),
        );
        const toPairs = tf.grad((y: tf.Tensor) => tf.sum(layer.apply(y) as tf.Tensor))(input);
        return {
          value: value.dataSync()[0],
          weights: Object.values(g).map((t) => Array.from(t.dataSync())),
          pairs: (toPairs.arraySync() as number[][][]).map((rows, b) => rows.slice(0, diagrams[b].length)),
        };
      });
    const base = grads(padded(diagrams, 5));
    const more = grads(padded(diagrams, 8, [NaN, -1]));
    expect(more.value).toBe(base.value);
    expect(more.weights).toEqual(base.weights);
    expect(more.pairs).toEqual(base.pairs);
    expect(base.weights.flat().every(Number.isFinite)).toBe(true);
    layer.dispose();
  });
});

describe('gradients against finite differences', () => {
  // Generic pairs away from the tents' and grid cells' kinks, so that ±0.01 steps cross none.
  const diagrams: Diagram[] = [
    [
      [0.13, 0.81],
      [0.42, 1.27],
      [0.66, 0.94],
    ],
    [[0.27, 1.08]],
  ];
  const x = padded(diagrams, 4);
  const probe = (out: tf.Tensor) =>
    tf.sum(tf.mul(out, tf.reshape(tf.linspace(1, 2, out.size), out.shape))) as tf.Scalar;

  // A step small enough that no max or top-k pooling changes its choice (pairs' values may be close).
  const STEP = 1e-3;

  function expectSameGradient(analytic: ArrayLike<number>, numeric: ArrayLike<number>, value: number) {
    const scale = Math.max(1, ...Array.from(numeric, Math.abs));
    // float32 rounding of the probe's value, over the difference quotient's span (as gradient-check.ts).
    const rounding = (4 * 2 ** -24 * Math.abs(value)) / (2 * STEP);
    Array.from(analytic).forEach((g, i) =>
      expect(Math.abs(g - numeric[i])).toBeLessThanOrEqual(1e-3 * scale + rounding),
    );
    expect(Array.from(analytic).some((g) => g !== 0)).toBe(true);
  }

  /** FD of the probe with respect to weight `index` of the layer, against tf.variableGrads. */
  function checkWeight(args: PersLayArgs, index: number) {
    const layer = layerWith(args);
    const input = tf.tensor3d(x);
    const others = layer.getWeights().map((t) => t.clone()); // getWeights gives the variables themselves
    const shape = others[index].shape;
    const values = others[index].dataSync() as Float32Array;
    const at = (v: tf.Tensor) => {
      layer.setWeights(others.map((t, i) => (i === index ? v : t)));
      return probe(layer.apply(input) as tf.Tensor);
    };
    const numeric = numericGradient(at, values, shape, STEP);
    const value = tf.tidy(() => at(others[index]).dataSync()[0]);
    layer.setWeights(others);
    const variable = layer.trainableWeights[index].read() as tf.Variable;
    const analytic = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => probe(layer.apply(input) as tf.Tensor), [variable]);
      return Array.from(Object.values(grads)[0].dataSync());
    });
    expectSameGradient(analytic, numeric, value);
    tf.dispose([input, ...others]);
    layer.dispose();
  }

  test('gaussian centres and widths', () => {
    const args: PersLayArgs = { phi: PHIS[0], pooling: 'mean' };
    checkWeight(args, 0);
    checkWeight(args, 1);
  });
  test('tent centres and widths', () => {
    const args: PersLayArgs = { phi: { ...PHIS[1], bandwidth: 2 } as PersLayPhi, pooling: 'sum' };
    checkWeight(args, 0);
    checkWeight(args, 1);
  });
  test("the image's σ and the power weight's constant", () => {
    const args: PersLayArgs = { phi: PHIS[2], weight: { kind: 'power', power: 1.5 }, pooling: 'max' };
    checkWeight(args, 0);
    checkWeight(args, 1);
  });
  test('the grid weight (top-k)', () => checkWeight({ phi: PHIS[0], weight: WEIGHTS[2], pooling: 'topk', k: 2 }, 2));

  test.each([
    ['gaussian', { phi: PHIS[0], weight: WEIGHTS[1], pooling: 'sum' }],
    ['tent', { phi: { ...PHIS[1], bandwidth: 2 }, pooling: 'mean' }],
    ['image', { phi: PHIS[2], weight: { kind: 'power', power: 1 }, pooling: 'max' }],
    ['landscape', { phi: PHIS[3], pooling: 'topk', k: 2 }],
  ] as [string, PersLayArgs][])('%s: to the pairs', (_, args) => {
    const layer = layerWith(args);
    // The ends are perturbed, not the mask column (a padding row at +0.01 would count).
    const mask = tf.tensor3d(x.map((rows) => rows.map((r) => [r[2]])));
    const loss = (t: tf.Tensor) => probe(layer.apply(tf.concat([t, mask], 2)) as tf.Tensor);
    const ends = Float32Array.from(x.flatMap((rows) => rows.flatMap((r) => [r[0], r[1]])));
    const value = tf.tidy(() => loss(tf.tensor3d(ends, [2, 4, 2])).dataSync()[0]);
    expectSameGradient(analyticGradient(loss, ends, [2, 4, 2]), numericGradient(loss, ends, [2, 4, 2], STEP), value);
    mask.dispose();
    layer.dispose();
  });
});

describe('paddedDiagrams', () => {
  test('rows longest first, padding (0, 0, 0), truncation to the longest, superlevel pairs as intervals', () => {
    const d = diagramSet([
      [
        [0.1, 0.3],
        [0.9, 0.2], // a superlevel pair: the interval [0.2, 0.9]
        [0.0, 0.5],
      ],
      [],
      [[0.4, 0.6]],
    ]);
    tf.tidy(() => {
      expectClose(paddedDiagrams(d, { dim: 0 }).arraySync().flat(), [
        [0.2, 0.9, 1],
        [0.0, 0.5, 1],
        [0.1, 0.3, 1],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0.4, 0.6, 1],
        [0, 0, 0],
        [0, 0, 0],
      ]);
      expect(paddedDiagrams(d, { dim: 0, maxPairs: 1 }).arraySync()).toEqual([
        [[Math.fround(0.2), Math.fround(0.9), 1]],
        [[0, 0, 0]],
        [[Math.fround(0.4), Math.fround(0.6), 1]],
      ]);
    });
    d.pairs.dispose();
  });

  test('no pairs at all: one padding row per map; essential classes left out', () => {
    const d = { ...diagramSet([[[0, 1]], []]), essential: Uint8Array.from([1]) };
    tf.tidy(() => expect(paddedDiagrams(d, { dim: 0 }).arraySync()).toEqual([[[0, 0, 0]], [[0, 0, 0]]]));
    d.pairs.dispose();
  });

  test('through persLay, a gradient reaches the Rips points (finite differences)', () => {
    const layer = layers.persLay({ phi: { kind: 'gaussian', units: 4, range: [0, 8, 0, 8], bandwidth: 4, seed: 3 } });
    expectGradientsMatch(
      (points) => {
        const x = paddedDiagrams(ripsDiagrams(points), { dim: 0, maxPairs: 6 });
        return probe(layer.apply(x) as tf.Tensor);
      },
      [2, 5, 2],
      1,
    );
    layer.dispose();
  });

  test('bad options name the argument', () => {
    const d = diagramSet([[[0, 1]]]);
    expect(() => paddedDiagrams(d, { dim: 1 })).toThrow(
      'options.dim: expected one of the dimensions computed ([0]), got 1',
    );
    expect(() => paddedDiagrams(d, undefined as never)).toThrow('options.dim: expected one of the dimensions');
    expect(() => paddedDiagrams(d, { dim: 0, maxPairs: 0 })).toThrow(
      'options.maxPairs: expected an integer ≥ 1, got 0',
    );
    expect(() => paddedDiagrams(d, { dim: 0, maxpairs: 2 } as never)).toThrow(
      "options.maxpairs: unknown option (did you mean 'maxPairs'?)",
    );
    expect(() => paddedDiagrams({} as never, { dim: 0 })).toThrow('diagrams: expected the diagrams of an op');
    d.pairs.dispose();
  });

  function probe(out: tf.Tensor) {
    return tf.sum(tf.mul(out, tf.reshape(tf.linspace(1, 2, out.size), out.shape))) as tf.Scalar;
  }
});

describe('in a model', () => {
  /** Two classes of diagrams: one long pair, or several short ones. */
  function data(count: number, seed: number): [tf.Tensor3D, tf.Tensor2D] {
    const random = mulberry32(seed);
    const x: number[][][] = [];
    const y: number[][] = [];
    for (let i = 0; i < count; i++) {
      const c = i % 2;
      const d: Diagram = c === 0 ? [[0.1 * random(), 0.8 + 0.2 * random()]] : [];
      for (let j = 0; j < 3; j++) d.push([random() * 0.5, 0]);
      for (const p of d) if (p[1] === 0) p[1] = p[0] + 0.1 * random();
      x.push(...padded([d], 6));
      y.push(c === 0 ? [1, 0] : [0, 1]);
    }
    return [tf.tensor3d(x), tf.tensor2d(y)];
  }

  /** Seeded throughout, so a run is the same on every machine. */
  function model(args: PersLayArgs): tfl.Sequential {
    const m = tfl.sequential();
    m.add(layers.persLay({ inputShape: [6, 3], ...args }));
    const kernelInitializer = tfl.initializers.glorotUniform({ seed: 1 });
    m.add(tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer }));
    m.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  }

  // Seeded and unshuffled: from some random starts (2 of 20 dense seeds tried) this tiny problem
  // stalls at the plateau ln 2, which says nothing about the layer.
  test('trains in model.fit, and its weights move', async () => {
    const [x, y] = data(16, 1);
    const m = model({ phi: { kind: 'gaussian', units: 4, range: [0, 1, 0, 1], bandwidth: 0.3, seed: 1 } });
    const before = m.layers[0].getWeights().map((t) => Array.from(t.dataSync()));
    const { history } = await m.fit(x, y, { epochs: 30, verbose: 0, batchSize: 16, shuffle: false });
    const loss = history.loss as number[];

    expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
    const after = m.layers[0].getWeights().map((t) => Array.from(t.dataSync()));
    expect(after).not.toEqual(before);
    tf.dispose([x, y]);
    m.dispose();
  });

  test.each([
    ['gaussian', { phi: PHIS[0], weight: WEIGHTS[1], pooling: 'sum' }],
    ['image', { phi: PHIS[2], weight: WEIGHTS[2], pooling: 'topk', k: 2 }],
    ['landscape', { phi: PHIS[3], pooling: 'max' }],
  ] as [string, PersLayArgs][])('%s: saved and loaded with its config and weights', async (_, args) => {
    const [x, y] = data(8, 2);
    const m = model(args);
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    await expectRoundTrip(m, 'PersLay', x, 0);
    // And through the config alone (toJSON / modelFromJSON): the same layer, new weights.
    const copy = await tfl.models.modelFromJSON({ modelTopology: m.toJSON(null, false) } as never);
    expect(copy.layers[0].getConfig()).toEqual(m.layers[0].getConfig());
    tf.dispose([x, y]);
    m.dispose();
    copy.dispose();
  });

  test('a seed drawn when none is given is saved in the config: the copy starts at the same centres', () => {
    const layer = layers.persLay({ phi: { kind: 'tent', units: 3, range: [0, 1, 0, 1], bandwidth: 0.5 } });
    const config = layer.getConfig();
    expect(Number.isSafeInteger((config.phi as { seed: number }).seed)).toBe(true);
    const copy = layers.persLay(config as unknown as PersLayArgs);
    layer.apply(tfl.input({ shape: [2, 3] }));
    copy.apply(tfl.input({ shape: [2, 3] }));
    expect(copy.getWeights().map((t) => t.arraySync())).toEqual(layer.getWeights().map((t) => t.arraySync()));
    expect(copy.getConfig()).toEqual(config);
    layer.dispose();
    copy.dispose();
  });

  test('output shapes, and no tensor left behind by a call', () => {
    const layer = layers.persLay({ phi: PHIS[2], pooling: 'topk', k: 4 });
    const input = tfl.input({ shape: [null, 3] });
    expect((layer.apply(input) as tfl.SymbolicTensor).shape).toEqual([null, 6 * 4]);
    const x = tf.tensor3d(padded(randomDiagrams(2, 3, 1), 3)); // fewer rows than k: zeros
    const before = tf.memory().numTensors;
    const out = layer.apply(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 24]);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });
});

test('bad arguments throw at construction, naming the argument', () => {
  const phi = PHIS[0];
  const cases: [unknown, string][] = [
    [undefined, 'args: expected an object, got undefined'],
    [{ phi, pooling: 'sum', weigth: { kind: 'constant' } }, "args.weigth: unknown option (did you mean 'weight'?)"],
    [{ phi, pooling: 'avg' }, "args.pooling: expected one of 'sum', 'mean', 'max', 'topk', got 'avg'"],
    [{ phi, pooling: 'topk' }, 'args.k: expected an integer from 1 to 65536, got undefined'],
    [{ phi, pooling: 'topk', k: 0 }, 'args.k: expected an integer from 1 to 65536, got 0'],
    [{ phi, k: 2 }, "args.k: read only with pooling 'topk' (the pooling is 'sum')"],
    [{}, "args.phi: expected an object { kind: 'gaussian' | 'tent' | 'image' | 'landscape', … }, got undefined"],
    [{ phi: 'gaussian' }, "args.phi: expected an object { kind: 'gaussian'"],
    [
      { phi: { kind: 'gauss' } },
      "args.phi.kind: expected one of 'gaussian', 'tent', 'image', 'landscape', got 'gauss'",
    ],
    [{ phi: { ...phi, units: 0 } }, 'args.phi.units: expected an integer from 1 to 65536, got 0'],
    [{ phi: { ...phi, bandwidth: 0 } }, 'args.phi.bandwidth: expected a number from 1e-12 to 1000000000000, got 0'],
    [{ phi: { ...phi, range: [0, 1, 1, 0] } }, 'args.phi.range: expected [x_min, x_max, y_min, y_max]'],
    [{ phi: { ...phi, seed: 0.5 } }, 'args.phi.seed: expected a safe integer, got 0.5'],
    [
      { phi: { ...phi, resolution: 4 } },
      "args.phi.resolution: not an option of kind 'gaussian' (its options: kind, units",
    ],
    [{ phi: { ...phi, resolution: undefined, sead: 1 } }, "args.phi.sead: unknown option (did you mean 'seed'?)"],
    [
      { phi: { kind: 'image', range: [0, 1, 0, 1], bandwidth: 1, resolution: [0, 2] } },
      'args.phi.resolution: expected [nx, ny]',
    ],
    [{ phi: { kind: 'landscape', range: [1, 0] } }, 'args.phi.range: expected [x_min, x_max]'],
    [{ phi: { kind: 'landscape', range: [0, 1], resolution: 1.5 } }, 'args.phi.resolution: expected an integer'],
    [{ phi, weight: 'power' }, "args.weight: expected an object { kind: 'constant' | 'power' | 'grid', … }"],
    [{ phi, weight: { kind: 'power', power: -1 } }, 'args.weight.power: expected a finite float32 number ≥ 0, got -1'],
    [{ phi, weight: { kind: 'power', constant: NaN } }, 'args.weight.constant'],
    [
      { phi, weight: { kind: 'grid', range: [0, 0, 0, 1], resolution: [2, 2] } },
      'args.weight.range: expected [x_min, x_max, y_min, y_max] (finite, each min < max)',
    ],
    [{ phi, weight: { kind: 'grid', range: [0, 1, 0, 1] } }, 'args.weight.resolution: expected [nx, ny]'],
    [{ phi, weight: { kind: 'constant', power: 1 } }, "args.weight.power: not an option of kind 'constant'"],
    [
      { phi: { ...phi, units: 4096 }, pooling: 'topk', k: 32 },
      'args.k: the output would have 4096 units × k 32 values',
    ],
  ];
  for (const [args, message] of cases) expect(() => layers.persLay(args as PersLayArgs)).toThrow(message);
  // The input's shape, when the layer is built.
  const layer = layers.persLay({ phi, name: 'pl' });
  expect(() => layer.apply(tfl.input({ shape: [5, 4] }))).toThrow(
    "PersLay 'pl': expected padded diagrams of shape [batch, pairs, 3] (birth, death, mask) or [batch, pairs, 2], got [null, 5, 4]",
  );
});
