import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { lowerStarPersistence, LowerStarOptions } from '../../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../../src/persistence/lower-star/simplicial-complex';
import { bruteForceLowerStar } from '../../reference/lower-star-brute-force';
import { canonicalPairs, misplacedCells } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The engine against the textbook boundary-matrix reduction (test/reference/lower-star-brute-force.ts)
// on a few hundred random small complexes with heavy ties: values, vertices and multiplicities
// must agree exactly, since both report the unique pairing of the documented total order.

/** Random simplices of 1 to maxSize vertices on n vertices (duplicates and faces allowed). */
function randomComplex(random: () => number, n: number, count: number, maxSize: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const size = 1 + randomInt(random, Math.min(maxSize, n));
    const pool = Array.from({ length: n }, (_, v) => v);
    const s: number[] = [];
    for (let j = 0; j < size; j++) s.push(pool.splice(randomInt(random, pool.length), 1)[0]);
    out.push(s);
  }
  return out;
}

/** The Freudenthal triangulation of an h × w grid of vertices, with some triangles removed. */
function gridTriangles(random: () => number, h: number, w: number, keep: number): number[][] {
  const out: number[][] = [];
  for (let y = 0; y + 1 < h; y++)
    for (let x = 0; x + 1 < w; x++) {
      const a = y * w + x,
        b = a + 1,
        c = a + w,
        d = c + 1;
      if (random() < keep) out.push([a, b, d]);
      if (random() < keep) out.push([a, c, d]);
    }
  if (out.length === 0) out.push([0, 1, w + 1]);
  return out;
}

function randomValues(random: () => number, n: number, kind: number): Float64Array | Float32Array | number[] {
  if (kind === 0) return Array.from({ length: n }, () => randomInt(random, 3)); // heavy ties
  if (kind === 1) return Float64Array.from({ length: n }, () => randomInt(random, 5) - 2);
  if (kind === 2) return Float32Array.from({ length: n }, () => random() * 2 - 1);
  return Float64Array.from({ length: n }, () => random());
}

function expectSame(ours: PersistenceDiagram[], ref: PersistenceDiagram[], values: ArrayLike<number>): void {
  expect(ours.map((d) => d.dim)).toEqual(ref.map((d) => d.dim));
  ours.forEach((d, i) => {
    expect(canonicalPairs(d)).toEqual(canonicalPairs(ref[i]));
    expect(misplacedCells(d, values)).toEqual([]);
  });
}

interface Case {
  label: string;
  simplices: number[][];
  values: ArrayLike<number>;
  options: LowerStarOptions;
}

function cases(): Case[] {
  const random = mulberry32(20261124);
  const out: Case[] = [];
  for (let i = 0; i < 300; i++) {
    const kind = i % 3;
    let simplices: number[][];
    let n: number;
    if (kind === 0) {
      n = 3 + randomInt(random, 6);
      simplices = randomComplex(random, n, 1 + randomInt(random, 6), 4);
    } else if (kind === 1) {
      n = 5 + randomInt(random, 4);
      simplices = randomComplex(random, n, 2 + randomInt(random, 10), 3);
    } else {
      const h = 2 + randomInt(random, 3),
        w = 2 + randomInt(random, 3);
      n = h * w;
      simplices = gridTriangles(random, h, w, 0.4 + 0.6 * random());
    }
    const values = randomValues(random, n, randomInt(random, 4));
    const top = Math.max(...simplices.map((s) => s.length - 1));
    const dims = random() < 0.3 ? Array.from({ length: top + 1 }, (_, k) => k).filter(() => random() < 0.6) : undefined;
    const options: LowerStarOptions = {
      superlevel: random() < 0.5,
      keepZeroLength: random() < 0.3,
      ...(dims && dims.length > 0 ? { dims } : {}),
    };
    out.push({
      label: `#${i} n=${n} ${simplices.length} simplices ${JSON.stringify(options)}`,
      simplices,
      values,
      options,
    });
  }
  return out;
}

const all = cases();

describe('lowerStarPersistence vs the brute-force reduction', () => {
  test('300 random small complexes, both top-dimension algorithms', () => {
    for (const c of all) {
      const ref = bruteForceLowerStar(c.simplices, c.values, c.options);
      const complex = SimplicialComplex.fromSimplices(c.simplices, c.values.length);
      try {
        expectSame(lowerStarPersistence(complex, c.values, c.options), ref, c.values);
        expectSame(lowerStarPersistence(complex, c.values, { ...c.options, dualTop: false }), ref, c.values);
      } catch (e) {
        throw new Error(
          `${c.label}\n${JSON.stringify(c.simplices)}\nvalues ${JSON.stringify(Array.from(c.values))}\n${e}`,
          { cause: e },
        );
      }
    }
  });
});

/** Tetrahedra of an n × n × n vertex grid, each cube cut into the 6 along its main diagonal. */
function cubeTetrahedra(n: number): number[][] {
  const out: number[][] = [];
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const strides = [n * n, n, 1];
  for (let z = 0; z + 1 < n; z++)
    for (let y = 0; y + 1 < n; y++)
      for (let x = 0; x + 1 < n; x++)
        for (const perm of perms) {
          let v = (z * n + y) * n + x;
          const tet = [v];
          for (const axis of perm) tet.push((v += strides[axis]));
          out.push(tet);
        }
  return out;
}

describe('the general reduction and the dual union-find agree on larger meshes', () => {
  test.each([
    ['8³ tetrahedral grid, values in {0..3}', cubeTetrahedra(8), 0],
    ['8³ tetrahedral grid, uniform values', cubeTetrahedra(8), 1],
    [
      '40 × 40 torus, uniform values',
      (() => {
        const w = 40,
          t: number[][] = [];
        for (let y = 0; y < w; y++)
          for (let x = 0; x < w; x++) {
            const a = y * w + x,
              b = y * w + ((x + 1) % w),
              c = ((y + 1) % w) * w + x,
              d = ((y + 1) % w) * w + ((x + 1) % w);
            t.push([a, b, d], [a, c, d]);
          }
        return t;
      })(),
      1,
    ],
  ] as const)('%s', (_, simplices, kind) => {
    const complex = SimplicialComplex.fromSimplices(simplices);
    const random = mulberry32(5);
    const n = complex.numVertices;
    for (const superlevel of [false, true]) {
      const values = Float64Array.from({ length: n }, () => (kind === 0 ? randomInt(random, 4) : random()));
      const dual = lowerStarPersistence(complex, values, { superlevel });
      const general = lowerStarPersistence(complex, values, { superlevel, dualTop: false });
      expectSame(dual, general, values);
      expect(dual.reduce((s, d) => s + d.births.length, 0)).toBeGreaterThan(n / 20);
    }
  });
});
