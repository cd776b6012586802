import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { bettiLoss, totalPersistence } from '../../src/ops/functionals';
import { lowerStarDiagrams } from '../../src/ops/lower-star-op';
import { lowerStarPersistence } from '../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../src/persistence/lower-star/simplicial-complex';
import { gridTriangulation, torusMesh } from '../../src/persistence/lower-star/triangulations';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';

// The differentiable lower-star op: its pairs are the engine's, its gradient matches finite
// differences, batches equal their items, and bad arguments are named.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const torus = torusMesh(5, 6).complex; // H1 of rank 2, H2 of rank 1
const grid = gridTriangulation(4, 5);

describe('lowerStarDiagrams', () => {
  test('pairs and critical vertices are those of the engine', () => {
    const values = genericValues(torus.numVertices, 3);
    const d = lowerStarDiagrams(tf.tensor1d(values), torus);
    const engine = lowerStarPersistence(torus, values);
    const finite = engine
      .flatMap((e) => Array.from(e.births, (b, i) => [e.dim, b, e.deaths[i], e.birthCells[i], e.deathCells[i]]))
      .filter((p) => p[4] >= 0);
    const ours = Array.from(d.dim, (k, i) => [k, d.values[2 * i], d.values[2 * i + 1], d.birthCell[i], d.deathCell[i]]);
    expect(ours).toEqual(finite.map(([k, b, de, bc, dc]) => [k, Math.fround(b), Math.fround(de), bc, dc]));
    expect(Array.from(d.essentialCounts)).toEqual([1, 2, 1]); // the torus: β = (1, 2, 1)
    expect(d.pairs.shape).toEqual([ours.length, 2]);
  });

  test('a batch [B, n] is its items, vertices offset by b · n', () => {
    const a = genericValues(grid.numVertices, 5);
    const b = genericValues(grid.numVertices, 6);
    const batch = lowerStarDiagrams(tf.tensor2d([...a, ...b], [2, grid.numVertices]), grid);
    const one = lowerStarDiagrams(tf.tensor1d(b), grid);
    const second = Array.from(batch.map)
      .map((m, i) => (m === 1 ? i : -1))
      .filter((i) => i >= 0);
    expect(second.map((i) => batch.birthCell[i] - grid.numVertices)).toEqual(Array.from(one.birthCell));
    expect(second.map((i) => batch.values[2 * i + 1])).toEqual(Array.from(one.values.filter((_, j) => j % 2 === 1)));
    expect(batch.maps).toBe(2);
  });

  test.each([
    ['sublevel', {}],
    ['superlevel', { superlevel: true }],
    ['clipped essentials', { essential: 'clip' as const }],
  ])('gradient of total persistence matches finite differences (%s)', (_, options) => {
    for (const p of [1, 2])
      expectGradientsMatch(
        (x) => totalPersistence(lowerStarDiagrams(x, torus, options), { p }),
        [torus.numVertices],
        7 * p,
      );
  });

  test('gradient of a Betti-number loss on a batch matches finite differences', () => {
    expectGradientsMatch(
      (x) => bettiLoss(lowerStarDiagrams(x, grid), { dim: 0, betti: 1, lifetime: 3 }),
      [2, grid.numVertices],
      9,
    );
  });

  test('bad arguments are named', () => {
    expect(() => lowerStarDiagrams(tf.tensor1d([1, 2, 3]), grid)).toThrow(
      `values: expected shape [${grid.numVertices}] or [B, ${grid.numVertices}]`,
    );
    expect(() => lowerStarDiagrams(tf.zeros([grid.numVertices], 'int32'), grid)).toThrow(
      'values: expected a float32 tensor, got int32',
    );
    expect(() => lowerStarDiagrams(tf.zeros([3]), [[0, 1, 2]] as never)).toThrow(
      'complex: expected a SimplicialComplex',
    );
    const nan = new Float32Array(grid.numVertices);
    nan[4] = NaN;
    expect(() => lowerStarDiagrams(tf.tensor1d(nan), grid)).toThrow(/^values: .*NaN/);
    const batch = new Float32Array(2 * grid.numVertices);
    batch[grid.numVertices + 4] = Infinity;
    expect(() => lowerStarDiagrams(tf.tensor2d(batch, [2, grid.numVertices]), grid)).toThrow(
      /^values \(map 1\): .*Infinity/,
    );
    expect(() => lowerStarDiagrams(tf.zeros([0, grid.numVertices]), grid)).toThrow(
      `values: expected no empty axis, got shape [0, ${grid.numVertices}]`,
    );
    expect(() => lowerStarDiagrams(tf.zeros([grid.numVertices]), grid, { essential: 'keep' as never })).toThrow(
      "options.essential: expected 'drop' or 'clip'",
    );
  });

  test('a complex given as a list works through SimplicialComplex.fromSimplices', () => {
    const complex = SimplicialComplex.fromSimplices([
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    const d = lowerStarDiagrams(tf.tensor1d([0, 1, 2]), complex);
    expect(Array.from(d.essentialCounts)).toEqual([1, 1]); // a circle
  });
});
