import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { clDiceLoss, softSkeleton } from '../../src/ops/cldice';
import { bettiLoss, wassersteinLoss } from '../../src/ops/functionals';
import { persistenceDiagrams } from '../../src/ops/persistence-op';
import { mulberry32 } from '../reference/mulberry32';
import { LabelTerm } from '../../src/ops/label-term';
import { matchDiagrams } from '../../src/ops/matching';
import { CubicalPersistence } from '../../src/persistence/cubical/cubical';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A binary [H, W] mask with the given rectangles [y0, x0, y1, x1) set. */
function mask(h: number, w: number, rects: number[][]): Float32Array {
  const m = new Float32Array(h * w);
  for (const [y0, x0, y1, x1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return m;
}

const scalar = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]);

// Two squares, and a ring (one component, one hole), each 8×8.
const twoSquares = mask(8, 8, [
  [1, 1, 3, 3],
  [5, 5, 7, 7],
]);
const ring = mask(8, 8, [
  [1, 1, 2, 7],
  [6, 1, 7, 7],
  [1, 1, 7, 2],
  [1, 6, 7, 7],
]);

describe("'betti': targets counted from each label", () => {
  test('equals the Betti prior with the label counts (2 components, 0 holes; 1 and 1), computed on the host', () => {
    const pred = genericValues(2 * 64, 3).map((v) => v / 128);
    const labels = new Float32Array(2 * 64);
    labels.set(twoSquares, 0);
    labels.set(ring, 64);
    const term = new LabelTerm({ kind: 'betti', reduction: 'sum' });
    const got = scalar(() => term.evaluate(tf.tensor(labels, [2, 8, 8, 1]), tf.tensor(pred, [2, 8, 8, 1])));
    // Independent: the prediction's diagrams straight from the engine, the formula written out.
    const engine = new CubicalPersistence([8, 8], { construction: 'V', superlevel: true });
    let expected = 0;
    const wanted = [
      [2, 0],
      [1, 1],
    ];
    for (let m = 0; m < 2; m++)
      engine.compute(pred.subarray(64 * m, 64 * (m + 1))).forEach((d, k) => {
        let keep = wanted[m][k];
        const lives: number[] = [];
        for (let i = 0; i < d.births.length; i++)
          if (d.deathCells[i] < 0) keep--;
          else lives.push(Math.abs(d.deaths[i] - d.births[i]));
        lives.sort((a, b) => b - a);
        lives.forEach((l, r) => (expected += r < keep ? (1 - l) ** 2 : l ** 2));
      });
    expect(got).toBeCloseTo(expected, 5);
  });

  test('a prediction equal to its binary label costs nothing; the mean reduction divides by the maps', () => {
    const labels = tf.tensor([...twoSquares, ...ring], [2, 8, 8, 1]);
    expect(scalar(() => new LabelTerm({ kind: 'betti' }).evaluate(labels, labels))).toBe(0);
    const pred = tf.tensor(
      genericValues(128, 5).map((v) => v / 128),
      [2, 8, 8, 1],
    );
    const sum = scalar(() => new LabelTerm({ kind: 'betti', reduction: 'sum' }).evaluate(labels, pred));
    const mean = scalar(() => new LabelTerm({ kind: 'betti' }).evaluate(labels, pred));
    expect(mean).toBeCloseTo(sum / 2, 6);
  });

  test('the T construction counts diagonal neighbours as connected', () => {
    const diagonal = mask(4, 4, [
      [0, 0, 1, 1],
      [1, 1, 2, 2],
    ]);
    const label = tf.tensor(diagonal, [1, 4, 4, 1]);
    const pred = tf.tensor(diagonal, [1, 4, 4, 1]);
    // Its own label: no cost either way; against a one-blob label, V sees two components, T one.
    const blob = tf.tensor(mask(4, 4, [[0, 0, 2, 2]]), [1, 4, 4, 1]);
    expect(scalar(() => new LabelTerm({ kind: 'betti', construction: 'V' }).evaluate(blob, pred))).toBe(1);
    expect(scalar(() => new LabelTerm({ kind: 'betti', construction: 'T' }).evaluate(blob, pred))).toBe(0);
    expect(scalar(() => new LabelTerm({ kind: 'betti', construction: 'T' }).evaluate(label, pred))).toBe(0);
  });

  test('each label is summarized once: a second epoch over the same labels reads the cache', () => {
    const term = new LabelTerm({ kind: 'betti' });
    const labels = tf.tensor([...twoSquares, ...ring], [2, 8, 8, 1]);
    const pred = tf.tensor(
      genericValues(128, 7).map((v) => v / 128),
      [2, 8, 8, 1],
    );
    const first = scalar(() => term.evaluate(labels, pred));
    const cache = (term as unknown as { summaries: { size: number } }).summaries;
    expect(cache.size).toBe(2);
    const again = scalar(() => term.evaluate(tf.tensor([...ring, ...twoSquares], [2, 8, 8, 1]), pred));
    expect(cache.size).toBe(2);
    expect(again).not.toBe(first); // the maps swapped labels, so the targets did too
  });
});

describe("'wasserstein': to the label's own diagram", () => {
  test("a binary label's diagram is one (1, 0) point per class; the term is W_2^2 to it", () => {
    const pred = genericValues(64, 9).map((v) => v / 64);
    const term = new LabelTerm({ kind: 'wasserstein', dims: [0] });
    const got = scalar(() => term.evaluate(tf.tensor(twoSquares, [1, 8, 8, 1]), tf.tensor(pred, [1, 8, 8, 1])));
    const engine = new CubicalPersistence([8, 8], { construction: 'V', superlevel: true, dims: [0] });
    const [d] = engine.compute(pred);
    const min = Math.min(...pred);
    const points = Array.from(d.births, (b, i) => [b, d.deathCells[i] < 0 ? min : d.deaths[i]]).flat();
    const expected = matchDiagrams(points, [1, 0, 1, 0], { p: 2 }).cost;
    expect(got).toBeCloseTo(expected, 5);
  });

  test('a prediction equal to its binary label costs nothing', () => {
    const labels = tf.tensor([...twoSquares, ...ring], [2, 8, 8, 1]);
    expect(scalar(() => new LabelTerm({ kind: 'wasserstein' }).evaluate(labels, labels))).toBe(0);
  });

  test('maxPoints: only the longest-lived points are matched, the rest cost their way to the diagonal', () => {
    const pred = genericValues(64, 9).map((v) => v / 64);
    const term = new LabelTerm({ kind: 'wasserstein', dims: [0], maxPoints: 3 });
    const got = scalar(() => term.evaluate(tf.tensor(twoSquares, [1, 8, 8, 1]), tf.tensor(pred, [1, 8, 8, 1])));
    const [d] = new CubicalPersistence([8, 8], { construction: 'V', superlevel: true, dims: [0] }).compute(pred);
    const min = Math.min(...pred);
    const points = Array.from(d.births, (b, i) => [b, d.deathCells[i] < 0 ? min : d.deaths[i]]);
    points.sort((a, b) => Math.abs(b[1] - b[0]) - Math.abs(a[1] - a[0]));
    expect(points.length).toBeGreaterThan(3);
    const toDiagonal = points.slice(3).reduce((sum, [b, dd]) => sum + (Math.abs(dd - b) / 2) ** 2, 0);
    const expected = matchDiagrams(points.slice(0, 3).flat(), [1, 0, 1, 0], { p: 2 }).cost + toDiagonal;
    expect(got).toBeCloseTo(expected, 5);
  });
});

describe('clDice', () => {
  test('hand-worked: a one-pixel line predicted at 0.5 (its own skeleton): loss 1 − 2·1·(5/8)/(13/8) = 3/13', () => {
    // Erosion removes the whole line (every pixel has a background neighbour), so S(x) = x − 0.
    // Tprec = (Σ S(P)·L + 1)/(Σ S(P) + 1) = 2.5/2.5 = 1; Tsens = (Σ S(L)·P + 1)/(Σ S(L) + 1) = 2.5/4.
    const line = mask(5, 5, [[2, 1, 3, 4]]);
    const L = tf.tensor(line, [1, 5, 5, 1]);
    const P = tf.tensor(
      line.map((v) => v / 2),
      [1, 5, 5, 1],
    );
    expect(scalar(() => clDiceLoss(L, P, 0, 1))).toBeCloseTo(3 / 13, 6);
    expect(scalar(() => clDiceLoss(L, L, 0, 1))).toBeCloseTo(0, 6);
  });

  test("hand-worked: a 3×3 square's skeleton after one iteration is its centre; at half strength the loss is 1/7", () => {
    // erode(square) = centre; open(square) = square, so the first term is 0; then x = centre,
    // open(centre) = 0, δ = centre: S = centre. Tprec = 1.5/1.5, Tsens = (0.5 + 1)/(1 + 1) = 3/4.
    const square = mask(7, 7, [[2, 2, 5, 5]]);
    const skeleton = tf.tidy(() => softSkeleton(tf.tensor(square, [1, 7, 7, 1]), 1).dataSync());
    expect(Array.from(skeleton)).toEqual(Array.from(mask(7, 7, [[3, 3, 4, 4]])));
    const L = tf.tensor(square, [1, 7, 7, 1]);
    const P = tf.tensor(
      square.map((v) => v / 2),
      [1, 7, 7, 1],
    );
    expect(scalar(() => clDiceLoss(L, P, 1, 1))).toBeCloseTo(1 / 7, 6);
  });

  test("iterations beyond the map's diameter change nothing (and a huge count is no endless loop)", () => {
    const random = mulberry32(5);
    const x = tf.tensor(
      Float32Array.from({ length: 35 }, () => random()),
      [1, 5, 7, 1],
    );
    const at = (n: number) => tf.tidy(() => Array.from(softSkeleton(x, n).dataSync()));
    expect(at(2 ** 53)).toEqual(at(10)); // the L1 diameter of 5×7: 4 + 6
    expect(at(10)).not.toEqual(at(3));
    x.dispose();
  });
});

test('clDiceLoss checks its tensors and options, naming them', () => {
  const a = tf.zeros([1, 4, 4, 1]);
  for (const [call, message] of [
    [
      () => clDiceLoss(a, tf.zeros([1, 5, 5, 1]), 2, 1),
      "yTrue: expected the prediction's shape [1, 5, 5, 1], got [1, 4, 4, 1]",
    ],
    [
      () => clDiceLoss(a, tf.zeros([4, 4]), 2, 1),
      'yPred: expected a batch [B, H, W, C] or [B, D, H, W, C], got shape [4, 4]',
    ],
    [() => clDiceLoss(tf.zeros([1, 4, 4, 1], 'int32'), a, 2, 1), 'yTrue: expected a float32 tensor, got int32'],
    [() => clDiceLoss(a, [0] as never, 2, 1), 'yPred: expected a tf.Tensor, got [0]'],
    [() => clDiceLoss(a, a, -1, 1), 'iterations: expected an integer ≥ 0, got -1'],
    [() => clDiceLoss(a, a, 1.5, 1), 'iterations: expected an integer ≥ 0, got 1.5'],
    [() => clDiceLoss(a, a, 2, NaN), 'smooth: expected a finite float32 number ≥ 0, got NaN'],
    [() => clDiceLoss(a, a, 2, -1), 'smooth: expected a finite float32 number ≥ 0, got -1'],
    [() => clDiceLoss(a, a, 2, undefined as never), 'smooth: expected a finite float32 number ≥ 0, got undefined'],
  ] as const)
    expect(call).toThrow(message);
  expect(scalar(() => clDiceLoss(a, a, 0, 0.5))).toBe(0);
});

test("clDice on volumes: a 3×3×3 cube's skeleton after one iteration is its centre voxel", () => {
  const cube = new Float32Array(125);
  for (let z = 1; z < 4; z++) for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) cube[(z * 5 + y) * 5 + x] = 1;
  const skeleton = tf.tidy(() => softSkeleton(tf.tensor(cube, [1, 5, 5, 5, 1]), 1).dataSync());
  const centre = new Float32Array(125);
  centre[(2 * 5 + 2) * 5 + 2] = 1;
  expect(Array.from(skeleton)).toEqual(Array.from(centre));
  const L = tf.tensor(cube, [1, 5, 5, 5, 1]);
  expect(scalar(() => new LabelTerm({ kind: 'clDice', iterations: 1 }).evaluate(L, L))).toBeCloseTo(0, 6);
});

describe('gradients against finite differences', () => {
  const labels = tf.tensor([...twoSquares, ...ring], [2, 8, 8, 1]);
  // Predictions at generic values: distinct lifetimes at least 0.2 apart, so the 0.01 steps of the
  // differences change no pairing (the terms do not need predictions in [0, 1]).
  const values = genericValues(128, 21);
  test.each(['betti', 'wasserstein'] as const)('%s', (kind) => {
    const term = new LabelTerm({ kind });
    expectGradientsMatch((x) => term.evaluate(labels, x), [2, 8, 8, 1], 0, values);
  });

  test('clDice', () => {
    const term = new LabelTerm({ kind: 'clDice', iterations: 2 });
    expectGradientsMatch((x) => term.evaluate(labels, x), [2, 8, 8, 1], 0, values);
  });
});

describe('bad input names the argument', () => {
  const pred = tf.zeros([1, 8, 8, 1]);
  test.each([
    [{ kind: 'bettti' }, /config\.kind: expected one of 'betti'/],
    [{ kind: 'betti', dim: 0 }, /config\.dim: unknown option/],
    [{ kind: 'bettiMatching', construction: 'T' }, /config\.construction: 'bettiMatching' takes values on vertices/],
    [{ kind: 'betti', dims: [3] }, /config\.dims: homology dimension 3 is out of range/],
    [{ kind: 'betti', threshold: NaN }, /config\.threshold: expected a finite number, got NaN/],
    [{ kind: 'wasserstein', p: 0.5 }, /config\.p: expected a number ≥ 1/],
    [{ kind: 'clDice', iterations: 2.5 }, /config\.iterations: expected an integer/],
    [{ kind: 'wasserstein', maxPoints: 5000 }, /config\.maxPoints: expected an integer from 1 to 3000, got 5000/],
    [{ kind: 'wasserstein', maxPoints: 2.5 }, /config\.maxPoints: expected an integer from 1 to 3000, got 2\.5/],
    [{ kind: 'bettiMatching', sparseThreshold: NaN }, /config\.sparseThreshold: expected a finite number, got NaN/],
    [
      { kind: 'bettiMatching', sparseThreshold: '0.5' },
      /config\.sparseThreshold: expected a finite number, got '0\.5'/,
    ],
  ])('%j', (config, message) => {
    expect(() => new LabelTerm(config as never)).toThrow(message);
  });

  test.each([
    ['betti', 'maxPoints', 5, 'dims, superlevel, construction, threshold, p, reduction, patch'],
    ['betti', 'iterations', 2, 'dims, superlevel, construction, threshold, p, reduction, patch'],
    ['wasserstein', 'threshold', 0.3, 'dims, superlevel, construction, p, maxPoints, reduction, patch'],
    ['wasserstein', 'smooth', 1, 'dims, superlevel, construction, p, maxPoints, reduction, patch'],
    ['bettiMatching', 'p', 1, 'dims, superlevel, construction, reduction, sparseThreshold, patch'],
    ['bettiMatching', 'maxPoints', 16, 'dims, superlevel, construction, reduction, sparseThreshold, patch'],
    ['betti', 'sparseThreshold', 0.5, 'dims, superlevel, construction, threshold, p, reduction, patch'],
    ['clDice', 'dims', [0], 'iterations, smooth, patch'],
    ['clDice', 'superlevel', false, 'iterations, smooth, patch'],
    ['clDice', 'reduction', 'sum', 'iterations, smooth, patch'],
  ])("'%s' refuses %s, which it does not read", (kind, key, value, own) => {
    expect(() => new LabelTerm({ kind, [key]: value } as never)).toThrow(
      `config.${key}: not an option of kind '${kind}' (its options: ${own})`,
    );
    expect(() => new LabelTerm({ kind, [key]: value } as never, 'args.term')).toThrow(
      `args.term.${key}: not an option`,
    );
  });

  test('an option left undefined is not given; config holds the options of its kind only, and round-trips', () => {
    expect(() => new LabelTerm({ kind: 'betti', maxPoints: undefined })).not.toThrow();
    const sparse = new LabelTerm({ kind: 'bettiMatching', sparseThreshold: 0.3 }).config;
    expect(new LabelTerm(sparse).config).toEqual({ ...sparse, sparseThreshold: 0.3 });
    const configs = {
      betti: ['dims', 'superlevel', 'construction', 'threshold', 'p', 'reduction'],
      wasserstein: ['dims', 'superlevel', 'construction', 'p', 'maxPoints', 'reduction'],
      bettiMatching: ['dims', 'superlevel', 'construction', 'reduction', 'sparseThreshold'],
      clDice: ['iterations', 'smooth'],
    } as const;
    for (const [kind, keys] of Object.entries(configs)) {
      const config = new LabelTerm({ kind: kind as never, patch: { size: 4 } }).config;
      expect(Object.keys(config).sort()).toEqual(['kind', 'patch', ...keys].sort());
      expect(new LabelTerm(config).config).toEqual(config);
    }
  });

  test('dims beyond the rank of the maps name the config when the term runs', () => {
    expect(() => new LabelTerm({ kind: 'betti', dims: [2] }).evaluate(pred, pred)).toThrow(
      'config.dims: homology dimension 2 is out of range for a 2-D map (expected 0..1)',
    );
    expect(() => new LabelTerm({ kind: 'betti', dims: [0, 2] }, 'args.term').evaluate(pred, pred)).toThrow(
      'args.term.dims: homology dimension 2 is out of range',
    );
  });

  test('label and prediction shapes differ', () => {
    expect(() => new LabelTerm({ kind: 'betti' }).evaluate(tf.zeros([1, 8, 7, 1]), pred)).toThrow(
      /yTrue: expected the prediction's shape \[1, 8, 8, 1\], got \[1, 8, 7, 1\]/,
    );
  });

  test('labels outside [0, 1]', () => {
    const label = tf.fill([1, 8, 8, 1], 2);
    expect(() => new LabelTerm({ kind: 'betti' }).evaluate(label, pred)).toThrow(
      /yTrue: expected label values in \[0, 1\], got 2 at flat index 0/,
    );
  });

  test('an unbatched prediction', () => {
    expect(() => new LabelTerm({ kind: 'betti' }).evaluate(tf.zeros([8, 8]), tf.zeros([8, 8]))).toThrow(
      /yPred: expected a batch \[B, H, W, C\]/,
    );
  });

  test('empty and all-foreground labels are valid: no classes, or one without holes', () => {
    const term = new LabelTerm({ kind: 'betti' });
    const x = tf.tensor(
      genericValues(64, 2).map((v) => v / 64),
      [1, 8, 8, 1],
    );
    expect(Number.isFinite(scalar(() => term.evaluate(tf.zeros([1, 8, 8, 1]), x)))).toBe(true);
    expect(Number.isFinite(scalar(() => term.evaluate(tf.ones([1, 8, 8, 1]), x)))).toBe(true);
  });
});

describe('functionals that prescribe one dimension refuse anything else', () => {
  const diagrams = () => persistenceDiagrams(tf.tensor(genericValues(36, 1), [6, 6]));
  test.each([
    ['undefined', undefined],
    ['a list', [0, 1]],
    ['a string', '0'],
    ['a fraction', 0.5],
  ])('bettiLoss and wassersteinLoss with dim %s', (_, dim) => {
    const message = /options\.dim: expected one homology dimension \(an integer ≥ 0\)/;
    expect(() => bettiLoss(diagrams(), { dim, betti: 1 } as never)).toThrow(message);
    expect(() => wassersteinLoss(diagrams(), [[0, 1]], { dim } as never)).toThrow(message);
  });
});
