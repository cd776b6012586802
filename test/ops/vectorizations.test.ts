import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import * as fs from 'fs';
import * as path from 'path';
import { DiagramSet } from '../../src/ops/diagram-set';
import { persistenceDiagrams } from '../../src/ops/persistence-op';
import {
  bettiCurve,
  persistenceImage,
  persistenceLandscape,
  persistenceSilhouette,
  persistentEntropy,
} from '../../src/ops/vectorizations';
import { expectGradientsMatch } from '../reference/gradient-check';

// The vectorizations against GUDHI's gudhi.representations (Landscape, Silhouette,
// PersistenceImage, BettiCurve, Entropy) on seeded random diagrams (test/fixtures/vectorizations/, written by
// make_vectorization_fixtures.py with Debian's python3-gudhi 3.7.1), and their gradients against
// finite differences.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Diagrams of dimension 0, one per map, as a DiagramSet over the tensor `pairs` (no op behind it). */
function diagramSet(pairs: tf.Tensor2D, maps: number[][][]): DiagramSet {
  const flat = maps.flat();
  const n = flat.length;
  return {
    pairs,
    values: Float32Array.from(flat.flat()),
    dim: new Int32Array(n),
    map: Int32Array.from(maps.flatMap((d, m) => d.map(() => m))),
    essential: new Uint8Array(n),
    essentialCounts: new Int32Array(maps.length),
    dims: [0],
    maps: maps.length,
  };
}

interface Case {
  diagrams: number[][][];
  range: [number, number];
  resolution: number;
  levels: number;
  power: number;
  bandwidth: number;
  imageRange: [number, number, number, number];
  imageResolution: [number, number];
  landscape: number[][];
  silhouette: number[][];
  image: number[][];
  entropy: number[];
  betti: number[][];
}

const { cases } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vectorizations', 'vectorizations.json'), 'utf8'),
) as { cases: Case[] };

const close = (got: tf.Tensor, want: number[][] | number[]) => {
  const g = Array.from(got.dataSync());
  const w = want.flat();
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(w[i]))));
};

describe.each(cases.map((c, i) => [i, c] as const))("GUDHI's representations, case %i", (_, c) => {
  const run = (f: (d: DiagramSet) => tf.Tensor, want: number[][] | number[]) =>
    tf.tidy(() => {
      const pairs = tf.tensor2d(c.diagrams.flat().length ? c.diagrams.flat() : [], [c.diagrams.flat().length, 2]);
      close(f(diagramSet(pairs, c.diagrams)), want);
    });
  const { range, resolution, levels, power } = c;
  test('landscape', () => run((d) => persistenceLandscape(d, { dim: 0, range, resolution, levels }), c.landscape));
  test('silhouette', () => run((d) => persistenceSilhouette(d, { dim: 0, range, resolution, power }), c.silhouette));
  test('image', () =>
    run(
      (d) =>
        persistenceImage(d, {
          dim: 0,
          bandwidth: c.bandwidth,
          range: c.imageRange,
          resolution: c.imageResolution,
          power,
        }),
      c.image,
    ));
  test('entropy', () => run((d) => persistentEntropy(d, { dim: 0 }), c.entropy));
  test('Betti curve', () => run((d) => bettiCurve(d, { dim: 0, range, resolution }), c.betti));
});

describe('gradients against finite differences', () => {
  // Ends and midpoints at least 0.05 from the samples (0, 0.5, …, 2) and distinct tents, so that the
  // ±0.01 steps cross no kink; two maps, the second with one pair.
  const maps = [
    [
      [0.13, 1.37],
      [0.31, 0.92],
      [0.72, 1.86],
    ],
    [[0.41, 1.12]],
  ];
  const values = Float32Array.from(maps.flat().flat());
  const weights = (n: number) => tf.tensor1d(Float32Array.from({ length: n }, (_, i) => 1 + 0.37 * i));
  const check = (f: (d: DiagramSet) => tf.Tensor) =>
    expectGradientsMatch(
      (x) => {
        const out = tf.reshape(f(diagramSet(x as tf.Tensor2D, maps)), [-1]);
        return tf.sum(tf.mul(out, weights(out.size))) as tf.Scalar;
      },
      [4, 2],
      0,
      values,
    );
  const sampled = { dim: 0, range: [0, 2] as [number, number], resolution: 5 };
  test('landscape', () => check((d) => persistenceLandscape(d, { ...sampled, levels: 2 })));
  test('silhouette', () => check((d) => persistenceSilhouette(d, { ...sampled, power: 1 })));
  test('image', () =>
    check((d) => persistenceImage(d, { dim: 0, bandwidth: 0.3, range: [0, 1, 0, 1.5], resolution: [4, 3], power: 1 })));
  test('entropy', () => check((d) => persistentEntropy(d, { dim: 0 })));
  test('smoothed Betti curve', () => check((d) => bettiCurve(d, { ...sampled, smoothing: 0.1 })));
});

test('the smoothed Betti curve tends to the exact one; the exact one passes no gradient but stays connected', () => {
  const maps = [
    [
      [0.13, 1.37],
      [0.31, 0.92],
    ],
  ];
  const pairs = tf.tensor2d(maps.flat());
  const d = diagramSet(pairs, maps);
  const exact = bettiCurve(d, { dim: 0, range: [0, 2], resolution: 9 });
  close(exact, [[0, 1, 2, 2, 1, 1, 0, 0, 0]]);
  close(bettiCurve(d, { dim: 0, range: [0, 2], resolution: 9, smoothing: 1e-4 }), exact.arraySync() as number[][]);
  const g = tf.grad((p: tf.Tensor) =>
    tf.sum(bettiCurve(diagramSet(p as tf.Tensor2D, maps), { dim: 0, range: [0, 2] })),
  )(pairs);
  expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
  tf.dispose([pairs, exact, g]);
});

test('on an op: superlevel pairs read as intervals, essential classes left out, a gradient to the image', () => {
  const image = tf.tensor2d([
    [3, 0, 0],
    [0, 0, 0],
    [0, 0, 2],
  ]);
  const g = tf.grad((x: tf.Tensor) => {
    const d = persistenceDiagrams(x as tf.Tensor2D, { superlevel: true, essential: 'clip', dims: [0] });
    return tf.sum(persistenceLandscape(d, { dim: 0, range: [0, 2], resolution: 5, levels: 2 }));
  })(image);
  expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
  // One finite pair, (2, 0): the interval [0, 2], its tent √2 · min(x, 2 − x); the clipped
  // essential class of the 3 is not counted, so λ2 = 0.
  const d = persistenceDiagrams(image, { superlevel: true, essential: 'clip', dims: [0] });
  const l = persistenceLandscape(d, { dim: 0, range: [0, 2], resolution: 3, levels: 2 });
  close(l, [[0, Math.SQRT2, 0, 0, 0, 0]]);
  tf.dispose([image, g, d.pairs, l]);
});

test('bad options name the argument', () => {
  const d = diagramSet(tf.tensor2d([[0, 1]]), [[[0, 1]]]);
  const cases: [() => unknown, string][] = [
    [
      () => persistenceLandscape(d, { dim: 1, range: [0, 1] }),
      'options.dim: expected one of the dimensions computed ([0]), got 1',
    ],
    [() => persistenceLandscape(d, { dim: 0, range: [1, 0] }), 'options.range: expected [x_min, x_max]'],
    [
      () => persistenceLandscape(d, { dim: 0, range: [0, 1], levels: 0 }),
      'options.levels: expected an integer ≥ 1, got 0',
    ],
    [() => persistenceLandscape(d, { dim: 0, range: [0, 1], power: 1 }), 'options.power'],
    [
      () => persistenceSilhouette(d, { dim: 0, range: [0, 1], resolution: 1.5 }),
      'options.resolution: expected an integer ≥ 1',
    ],
    [
      () => persistenceSilhouette(d, { dim: 0, range: [0, 1], power: -1 }),
      'options.power: expected a number ≥ 0, got -1',
    ],
    [() => persistenceImage(d, { dim: 0, bandwidth: 0, range: [0, 1, 0, 1] }), 'options.bandwidth'],
    [
      () => persistenceImage(d, { dim: 0, bandwidth: 1, range: [0, 1, 0] as never }),
      'options.range: expected [x_min, x_max, y_min, y_max]',
    ],
    [
      () => persistenceImage(d, { dim: 0, bandwidth: 1, range: [0, 1, 0, 1], resolution: [0, 2] }),
      'options.resolution: expected [nx, ny]',
    ],
    [() => persistentEntropy(d, { dim: 0, range: [0, 1] } as never), 'options.range'],
    [() => bettiCurve(d, { dim: 0, range: [0, 1], smoothing: -1 }), 'options.smoothing: expected a number ≥ 0, got -1'],
    [() => bettiCurve(d, { dim: 0, range: [0, 1], levels: 2 }), 'options.levels'],
    [() => persistentEntropy({} as never, { dim: 0 }), 'diagrams: expected the diagrams of an op'],
  ];
  for (const [f, message] of cases) expect(f).toThrow(message);
  d.pairs.dispose();
});
