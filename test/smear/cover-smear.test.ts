import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { complexTerm } from '../../src/ops/lower-star-op';
import { lowerStarPersistence } from '../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../src/persistence/lower-star/simplicial-complex';
import { gridTriangulation, torusMesh } from '../../src/persistence/lower-star/triangulations';
import { BlockSmear } from '../../src/smear/block-smear';
import { blockCover, coverFromSets, graphBallCover, nerve } from '../../src/smear/cover';
import { CoverSmear } from '../../src/smear/cover-smear';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';

// Covers, their nerves (checked on hand-made covers through the nerve theorem: a good cover's nerve
// has the homology of the space), and the cover smear (values, gradient, seeding, errors).

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Betti numbers from the essential classes of a lower-star diagram (any function will do). */
function betti(complex: SimplicialComplex): number[] {
  const diagrams = lowerStarPersistence(complex, new Float64Array(complex.numVertices));
  return diagrams.map((d) => Array.from(d.deathCells).filter((c) => c < 0).length);
}

function faces(complex: SimplicialComplex, dim: number): number[][] {
  const flat = Array.from(complex.faces(dim));
  return Array.from({ length: flat.length / (dim + 1) }, (_, i) => flat.slice(i * (dim + 1), (i + 1) * (dim + 1)));
}

describe('nerve', () => {
  const hexagon = SimplicialComplex.fromSimplices([
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 0],
  ]);

  test('three arcs covering a circle: a hollow triangle (H1 = 1)', () => {
    const n = nerve(
      hexagon,
      coverFromSets(
        [
          [0, 1, 2],
          [2, 3, 4],
          [4, 5, 0],
        ],
        6,
      ),
      2,
    );
    expect(faces(n, 1)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(n.dimension).toBe(1); // no simplex of the circle meets all three arcs
    expect(betti(n)).toEqual([1, 1]);
  });

  test('two arcs covering a circle meet twice; their nerve is an edge (the cover is not good)', () => {
    const n = nerve(
      hexagon,
      coverFromSets(
        [
          [0, 1, 2, 3],
          [3, 4, 5, 0],
        ],
        6,
      ),
      2,
    );
    expect(faces(n, 1)).toEqual([[0, 1]]);
  });

  test('the open stars of an octahedron’s vertices: nerve = the octahedron (H2 = 1)', () => {
    const octahedron = SimplicialComplex.fromSimplices([
      [0, 2, 4],
      [0, 2, 5],
      [0, 3, 4],
      [0, 3, 5],
      [1, 2, 4],
      [1, 2, 5],
      [1, 3, 4],
      [1, 3, 5],
    ]);
    const stars = coverFromSets([[0], [1], [2], [3], [4], [5]], 6);
    const n = nerve(octahedron, stars, 2);
    expect(faces(n, 2)).toEqual(faces(octahedron, 2));
    expect(betti(n)).toEqual([1, 0, 1]);
  });

  test('a block cover of a grid triangulation has the triangulated grid of blocks as nerve', () => {
    const n = nerve(gridTriangulation(7, 9), blockCover(7, 9, 3), 2);
    const blocks = gridTriangulation(3, 3);
    for (const k of [0, 1, 2]) expect(faces(n, k)).toEqual(faces(blocks, k));
  });

  test('graph-ball covers of a torus have a torus as nerve', () => {
    const { complex } = torusMesh(12, 12);
    const cover = graphBallCover(complex, 2);
    expect(cover.size).toBeLessThan(complex.numVertices / 4);
    expect(betti(nerve(complex, cover, 2)).slice(0, 2)).toEqual([1, 2]);
  });

  test('maxDim truncates the nerve', () => {
    const n = nerve(gridTriangulation(7, 9), blockCover(7, 9, 3), 1);
    expect(n.dimension).toBe(1);
  });
});

describe('covers: bad input', () => {
  test.each([
    ['sets: vertex 2 lies in no set', () => coverFromSets([[0, 1], [3]], 4)],
    ['sets[0]: vertex 4 is not an integer in 0..3', () => coverFromSets([[0, 4]], 4)],
    ['sets[0]: vertex 0 is listed twice', () => coverFromSets([[0, 0, 1]], 2)],
    ['sets[0]: expected a non-empty array', () => coverFromSets([[]], 2)],
    ['sets: expected a non-empty list', () => coverFromSets([], 2)],
    ['block: expected an integer ≥ 1', () => blockCover(4, 4, 0)],
    ['radius: expected an integer ≥ 0', () => graphBallCover(gridTriangulation(3, 3), -1)],
    ['cover: covers 16 vertices, but the complex has 9', () => nerve(gridTriangulation(3, 3), blockCover(4, 4, 2), 1)],
  ])('%s', (message, f) => {
    expect(f).toThrow(message);
  });
});

describe('CoverSmear', () => {
  const cover = coverFromSets([[0, 1, 2], [2, 3], [4]], 5);

  test("'center' without noise averages each cover element", () => {
    const f = tf.tensor1d([1, 2, 3, 4, 5]);
    expect(Array.from(new CoverSmear(cover, { measure: 'center' }).apply(f).dataSync())).toEqual([2, 3.5, 5]);
  });

  test("'vertex' picks one member; 'simplex' gives convex combinations; noise stays within ε", () => {
    const f = tf.tensor2d([
      [1, 2, 3, 4, 5],
      [10, 20, 30, 40, 50],
    ]);
    const picked = Array.from(new CoverSmear(cover, { measure: 'vertex', seed: 3 }).apply(f).dataSync());
    expect([1, 2, 3]).toContain(picked[0]);
    expect([30, 40]).toContain(picked[4]);
    const convex = Array.from(new CoverSmear(cover, { measure: 'simplex', seed: 3 }).apply(f).dataSync());
    expect(convex[0]).toBeGreaterThan(1);
    expect(convex[0]).toBeLessThan(3);
    const noisy = Array.from(new CoverSmear(cover, { measure: 'center', noise: 0.5, seed: 3 }).apply(f).dataSync());
    expect(Math.abs(noisy[2] - 5)).toBeLessThanOrEqual(0.5);
  });

  test('the same seed gives the same approximates', () => {
    const f = tf.tensor1d([1, 2, 3, 4, 5]);
    const a = new CoverSmear(cover, { noise: 1, seed: 9 });
    const b = new CoverSmear(cover, { noise: 1, seed: 9 });
    for (let i = 0; i < 3; i++) expect(a.apply(f).dataSync()).toEqual(b.apply(f).dataSync());
  });

  test('the gradient is the pull-back through ω (finite differences, a fixed draw)', () => {
    const values = genericValues(10, 4);
    const weights = tf.tensor1d([3, -1, 2]);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(new CoverSmear(cover, { seed: 5 }).apply(x), weights)) as tf.Scalar;
    expectGradientsMatch(loss, [2, 5], 0, values);
  });

  test("with a block cover of a grid, 'center' pooling equals BlockSmear's", () => {
    const [rows, cols, k] = [7, 9, 3];
    const image = genericValues(rows * cols, 8);
    const ours = new CoverSmear(blockCover(rows, cols, k), { measure: 'center' }).apply(tf.tensor1d(image)).dataSync();
    const cubical = new BlockSmear({ block: k, measure: 'center' }).apply(tf.tensor2d(image, [rows, cols])).dataSync();
    expect(ours.length).toBe(cubical.length);
    for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(cubical[i], 4);
  });

  test('with a block cover of a grid triangulation, the smeared gradient is cubical STUMP’s: the pooled grid’s gradient spread over each block', () => {
    const [rows, cols, k] = [10, 12, 3];
    const image = genericValues(rows * cols, 12);
    const cover = blockCover(rows, cols, k);
    const pooledGrid = gridTriangulation(Math.ceil(rows / k), Math.ceil(cols / k));
    const term = { dims: [0, 1], functional: { kind: 'totalPersistence' as const, p: 2 } };
    const smeared = tf
      .grad((x: tf.Tensor) =>
        complexTerm(
          new CoverSmear(cover, { measure: 'center' }).apply(x),
          nerve(gridTriangulation(rows, cols), cover, 2),
          term,
        ),
      )(tf.tensor1d(image))
      .dataSync();
    const pooled = new BlockSmear({ block: k, measure: 'center' }).apply(tf.tensor2d(image, [rows, cols]));
    const g = tf
      .grad((p: tf.Tensor) => complexTerm(p, pooledGrid, term))(tf.reshape(pooled, [-1]))
      .dataSync();
    const pc = Math.ceil(cols / k);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const b = Math.floor(r / k) * pc + Math.floor(c / k);
        const size = cover.starts[b + 1] - cover.starts[b];
        expect(smeared[r * cols + c]).toBeCloseTo(g[b] / size, 5);
      }
    expect(Array.from(g).some((v) => v !== 0)).toBe(true);
  });

  test('bad arguments are named', () => {
    expect(() => new CoverSmear(null as never)).toThrow('cover: expected a Cover');
    expect(() => new CoverSmear(cover, { noise: -1 })).toThrow('options.noise: expected a finite float32 number ≥ 0');
    expect(() => new CoverSmear(cover, { measure: 'max' as never })).toThrow('options.measure: expected one of');
    expect(() => new CoverSmear(cover).apply(tf.zeros([4]))).toThrow('values: expected shape [5] or [B, 5]');
  });

  test('NaN and ±Infinity values are refused, as BlockSmear refuses them', () => {
    const smear = new CoverSmear(cover, { seed: 1 });
    expect(() => smear.apply(tf.tensor1d([0, 1, NaN, 3, 4]))).toThrow(
      'values: expected finite values, got NaN at index 2',
    );
    expect(() => smear.apply(tf.tensor2d([0, 1, 2, 3, 4, 0, 1, 2, -Infinity, 4], [2, 5]))).toThrow(
      'values: expected finite values, got -Infinity at index 8',
    );
  });

  test.each([
    [
      'cover.starts: expected offsets from 0 to members.length (2), got 0 to 5',
      { numVertices: 2, size: 1, starts: Int32Array.of(0, 5), members: Int32Array.of(0, 1) },
    ],
    [
      'cover.starts: element 1 is empty or the offsets fall (2 to 2)',
      { numVertices: 2, size: 2, starts: Int32Array.of(0, 2, 2), members: Int32Array.of(0, 1) },
    ],
    [
      'cover.members[1]: vertex 7 is not in 0..1',
      { numVertices: 2, size: 1, starts: Int32Array.of(0, 2), members: Int32Array.of(0, 7) },
    ],
    [
      'cover.members[1]: the members of element 0 are not increasing (1, 0)',
      { numVertices: 2, size: 1, starts: Int32Array.of(0, 2), members: Int32Array.of(1, 0) },
    ],
    [
      'cover.size: expected starts.length − 1 ≥ 1 cover elements, got 3',
      { numVertices: 2, size: 3, starts: Int32Array.of(0, 2), members: Int32Array.of(0, 1) },
    ],
    [
      'cover.numVertices: expected an integer ≥ 1, got 0',
      { numVertices: 0, size: 1, starts: Int32Array.of(0, 2), members: Int32Array.of(0, 1) },
    ],
    [
      'cover: vertex 2 lies in no element (a cover must cover every vertex)',
      { numVertices: 3, size: 1, starts: Int32Array.of(0, 2), members: Int32Array.of(0, 1) },
    ],
  ])('a hand-made cover of the wrong structure: %s', (message, made) => {
    expect(() => new CoverSmear(made)).toThrow(message);
  });
});
