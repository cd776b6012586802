import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { bettiLoss, totalPersistence } from '../../src/ops/functionals';
import { cloudDiagrams, ripsDiagrams } from '../../src/ops/rips-op';
import { ripsPersistence } from '../../src/persistence/rips/rips';
import { PointSubsample } from '../../src/smear/point-subsample';
import { expectGradientsMatch } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';

// The differentiable Rips op: its pairs are the engine's with edges mapped into the input, its
// gradient matches finite differences (whole clouds, batches, jittered subsets), and bad
// arguments are named. Also the point subsampler of the smeared point-cloud loss.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Generic points: coordinates spread over [0, 10) so that no two edge lengths are within 0.1. */
function cloud(n: number, d: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n * d }, () => 10 * random());
}

describe('ripsDiagrams', () => {
  test('pairs and critical edges are those of the engine', () => {
    const points = cloud(12, 2, 1);
    const d = ripsDiagrams(tf.tensor2d(points, [12, 2]), { maxDim: 1 });
    const engine = ripsPersistence(points, 2, { maxDim: 1 });
    const expected = engine
      .flatMap((e) =>
        Array.from(e.births, (b, i) => [
          e.dim,
          Math.fround(b),
          Math.fround(e.deaths[i]),
          e.birthEdges[2 * i],
          e.birthEdges[2 * i + 1],
          e.deathEdges[2 * i],
          e.deathEdges[2 * i + 1],
        ]),
      )
      .filter((p) => p[5] >= 0);
    const ours = Array.from(d.dim, (k, i) => [
      k,
      d.values[2 * i],
      d.values[2 * i + 1],
      d.birthEdge[2 * i],
      d.birthEdge[2 * i + 1],
      d.deathEdge[2 * i],
      d.deathEdge[2 * i + 1],
    ]);
    expect(ours).toEqual(expected);
    expect(Array.from(d.essentialCounts)).toEqual([1, 0]);
    expect(d.dims).toEqual([0, 1]);
  });

  test('a batch [B, n, d] is its clouds, points offset by b · n', () => {
    const a = cloud(9, 3, 2);
    const b = cloud(9, 3, 3);
    const batch = ripsDiagrams(tf.tensor3d([...a, ...b], [2, 9, 3]));
    const one = ripsDiagrams(tf.tensor2d(b, [9, 3]));
    const second = Array.from(batch.map).flatMap((m, i) => (m === 1 ? [i] : []));
    expect(second.map((i) => batch.deathEdge[2 * i] - 9)).toEqual(
      Array.from(one.deathEdge).filter((_, j) => j % 2 === 0),
    );
    expect(batch.maps).toBe(2);
  });

  test.each([
    ['H0 and H1 total persistence, 2-D', 10, 2, 1],
    ['H0, H1 and H2 total persistence, 3-D', 9, 3, 2],
  ])('gradient matches finite differences: %s', (_, n, d, maxDim) => {
    const points = cloud(n, d, 4 + n);
    for (const p of [1, 2])
      expectGradientsMatch((x) => totalPersistence(ripsDiagrams(x, { maxDim }), { p }), [n, d], 0, points);
  });

  test('gradient of a Betti-number loss on a batch matches finite differences', () => {
    expectGradientsMatch(
      (x) => bettiLoss(ripsDiagrams(x), { dim: 1, betti: 1, lifetime: 5 }),
      [2, 10, 2],
      0,
      cloud(20, 2, 7),
    );
  });

  test('subsets with jitter: edges map to the chosen points, gradient at the jittered coordinates', () => {
    const points = cloud(15, 2, 8);
    const indices = Int32Array.from([14, 2, 7, 9, 0, 11, 5, 3]);
    const jitter = Float64Array.from({ length: 16 }, (_, i) => 0.01 * Math.sin(i));
    const d = cloudDiagrams(tf.tensor2d(points, [15, 2]), [{ item: 0, indices, jitter }]);
    const sub = Float64Array.from({ length: 16 }, (_, i) => points[2 * indices[i >> 1] + (i & 1)] + jitter[i]);
    const engine = ripsPersistence(sub, 2);
    expect(Array.from(d.deathEdge).slice(0, 2)).toEqual([
      indices[engine[0].deathEdges[0]],
      indices[engine[0].deathEdges[1]],
    ]);
    expectGradientsMatch((x) => totalPersistence(cloudDiagrams(x, [{ item: 0, indices, jitter }])), [15, 2], 0, points);
  });

  test('bad arguments are named', () => {
    expect(() => ripsDiagrams(tf.zeros([5]))).toThrow(
      'points: expected a tensor of shape [n, d] or [B, n, d], got [5]',
    );
    expect(() => ripsDiagrams(tf.zeros([5, 0]))).toThrow('points: expected at least one coordinate per point');
    expect(() => ripsDiagrams(tf.zeros([4, 2], 'int32'))).toThrow('points: expected a float32 tensor, got int32');
    expect(() => ripsDiagrams(tf.tensor2d([0, 0, NaN, 1], [2, 2]))).toThrow(/^points\b.*NaN/);
    expect(() => ripsDiagrams(tf.tensor3d([0, 0, 1, 1, 0, 0, NaN, 1], [2, 2, 2]))).toThrow(/^points \(cloud 1\).*NaN/);
    expect(() => ripsDiagrams(tf.zeros([4, 2]), { maxDim: 3 })).toThrow('options.maxDim: expected 0, 1 or 2, got 3');
    const x = tf.zeros([4, 2]);
    expect(() => cloudDiagrams(x, [{ item: 1 }])).toThrow('samples[0].item: expected an integer in 0..0, got 1');
    expect(() => cloudDiagrams(x, [{ item: 0, indices: Int32Array.from([0, 4]) }])).toThrow(
      'samples[0].indices: point 4 is not in 0..3',
    );
    expect(() =>
      cloudDiagrams(x, [{ item: 0, indices: Int32Array.from([0, 1]), jitter: new Float64Array(3) }]),
    ).toThrow('samples[0].jitter: expected a Float64Array of 4 values');
  });

  test('duplicate points give zero-length edges and a finite (zero) gradient', () => {
    const points = Float32Array.from([0, 0, 0, 0, 3, 0, 0, 4]);
    const g = tf
      .grad((x: tf.Tensor) => totalPersistence(ripsDiagrams(x, { maxDim: 1 })))(tf.tensor2d(points, [4, 2]))
      .dataSync();
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
  });
});

describe('PointSubsample', () => {
  test("'uniform' draws m distinct points; clouds of at most m points are used whole", () => {
    const s = new PointSubsample({ size: 5, seed: 1 });
    for (let k = 0; k < 20; k++) {
      const { indices, jitter } = s.draw(new Float32Array(40), 20, 2);
      expect(new Set(indices).size).toBe(5);
      expect(Math.max(...indices)).toBeLessThan(20);
      expect(jitter).toBeUndefined();
    }
    expect(Array.from(s.draw(new Float32Array(8), 4, 2).indices).sort()).toEqual([0, 1, 2, 3]);
  });

  test("'farthest' is greedy farthest-point sampling: each point maximizes its distance to those chosen", () => {
    const points = cloud(30, 2, 9);
    const { indices } = new PointSubsample({ size: 8, sampling: 'farthest', seed: 2 }).draw(points, 30, 2);
    const distance = (i: number, j: number) =>
      Math.hypot(points[2 * i] - points[2 * j], points[2 * i + 1] - points[2 * j + 1]);
    const toChosen = (i: number, c: number) => Math.min(...Array.from(indices.subarray(0, c), (j) => distance(i, j)));
    for (let c = 1; c < 8; c++) {
      const best = Math.max(...Array.from({ length: 30 }, (_, i) => toChosen(i, c)));
      expect(toChosen(indices[c], c)).toBe(best);
    }
    expect(new Set(indices).size).toBe(8);
  });

  test('jitter lies in [−ε, ε]; the same seed replays the same draws', () => {
    const a = new PointSubsample({ size: 4, jitter: 0.1, seed: 5 });
    const b = new PointSubsample({ size: 4, jitter: 0.1, seed: 5 });
    for (let k = 0; k < 5; k++) {
      const [x, y] = [a.draw(new Float32Array(30), 10, 3), b.draw(new Float32Array(30), 10, 3)];
      expect(x).toEqual(y);
      expect(x.jitter!.every((v) => Math.abs(v) <= 0.1)).toBe(true);
    }
  });

  test('the start offset selects a cloud of a batch', () => {
    // Two 1-D clouds of 3 points; the second, at offset 3, holds 0, 5 and 9: from any start, farthest-point sampling of 2 points picks an end.
    const coords = Float32Array.from([0, 0, 0, 0, 5, 9]);
    const { indices } = new PointSubsample({ size: 2, sampling: 'farthest', seed: 0 }).draw(coords, 3, 1, 3);
    expect(indices[1] === 0 || indices[1] === 2).toBe(true);
    expect(indices[1]).not.toBe(indices[0]);
  });

  test('bad options are named', () => {
    expect(() => new PointSubsample({ size: 1 })).toThrow('options.size: expected an integer ≥ 2');
    expect(() => new PointSubsample({ size: 4, jitter: -1 })).toThrow(
      'options.jitter: expected a finite float32 number ≥ 0',
    );
    expect(() => new PointSubsample({ size: 4, sampling: 'grid' as never })).toThrow(
      "options.sampling: expected 'uniform' or 'farthest'",
    );
    expect(() => new PointSubsample({ size: 4, seed: 0.5 })).toThrow('options.seed: expected an integer');
  });

  test('bad arguments of draw are named', () => {
    const subsample = new PointSubsample({ size: 2, seed: 1 });
    const coords = [0, 0, 1, 0, 1, 1];
    expect(() => subsample.draw(coords, 5, 2)).toThrow(
      'coords: expected at least 10 values (5 points of 2 coordinates from point 0), got 6',
    );
    expect(() => subsample.draw(coords, 2, 2, 2)).toThrow(
      'coords: expected at least 8 values (2 points of 2 coordinates from point 2), got 6',
    );
    expect(() => subsample.draw(undefined as never, 3, 2)).toThrow(
      'coords: expected an array or typed array of coordinates, got undefined',
    );
    expect(() => subsample.draw(coords, 0, 2)).toThrow('n: expected an integer ≥ 1, got 0');
    expect(() => subsample.draw(coords, 3, 1.5)).toThrow('d: expected an integer ≥ 1, got 1.5');
    expect(() => subsample.draw(coords, 3, 2, -1)).toThrow('start: expected an integer ≥ 0, got -1');
  });
});
