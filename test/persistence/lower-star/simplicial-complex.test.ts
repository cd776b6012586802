import { SimplicialComplex } from '../../../src/persistence/lower-star/simplicial-complex';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The complex's structure against direct enumeration: faces per dimension (sorted tuples in
// lexicographic order), facets (facet i omits vertex i), cofaces (CSR, increasing), edges().

const tuples = (flat: Int32Array, s: number) =>
  Array.from({ length: flat.length / s }, (_, i) => Array.from(flat.subarray(i * s, (i + 1) * s)));

/** Every face of every simplex, per dimension, sorted lexicographically: the obvious way. */
function facesByEnumeration(simplices: number[][], n: number): number[][][] {
  const seen = new Map<string, number[]>();
  for (let v = 0; v < n; v++) seen.set(String(v), [v]);
  for (const s of simplices) {
    const sorted = [...s].sort((a, b) => a - b);
    for (let mask = 1; mask < 1 << sorted.length; mask++) {
      const f = sorted.filter((_, i) => mask & (1 << i));
      seen.set(f.join(','), f);
    }
  }
  const top = Math.max(...[...seen.values()].map((f) => f.length - 1));
  const lex = (a: number[], b: number[]) => a.reduce((c, x, i) => c || x - b[i], 0);
  return Array.from({ length: top + 1 }, (_, k) => [...seen.values()].filter((f) => f.length === k + 1).sort(lex));
}

describe('SimplicialComplex', () => {
  test('two triangles sharing an edge', () => {
    const c = SimplicialComplex.fromSimplices([
      [2, 1, 0],
      [1, 2, 3],
    ]);
    expect(c.numVertices).toBe(4);
    expect(c.dimension).toBe(2);
    expect([0, 1, 2, 3].map((k) => c.count(k))).toEqual([4, 5, 2, 0]);
    expect(Array.from(c.edges())).toEqual([0, 1, 0, 2, 1, 2, 1, 3, 2, 3]);
    expect(tuples(c.faces(2), 3)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
    ]);
    // Edges 0:(0,1) 1:(0,2) 2:(1,2) 3:(1,3) 4:(2,3); facet i omits vertex i.
    expect(Array.from(c.facets(2))).toEqual([2, 1, 0, 4, 3, 2]);
    expect(Array.from(c.facets(1))).toEqual([1, 0, 2, 0, 2, 1, 3, 1, 3, 2]);
    const { starts, list } = c.cofaces(1);
    expect(Array.from(starts)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(Array.from(list)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(c.maxCofaces(1)).toBe(2);
    expect(c.maxCofaces(0)).toBe(3);
  });

  test('edges() is a copy; isolated vertices and numVertices', () => {
    const c = SimplicialComplex.fromSimplices([[0, 3]], 6);
    expect(c.numVertices).toBe(6);
    expect(c.count(0)).toBe(6);
    const e = c.edges();
    e[0] = 5;
    expect(Array.from(c.edges())).toEqual([0, 3]);
    expect(SimplicialComplex.fromSimplices([[4]]).dimension).toBe(0);
    expect(SimplicialComplex.fromSimplices([[4]]).numVertices).toBe(5);
    expect(SimplicialComplex.fromSimplices([[4]]).edges().length).toBe(0);
  });

  test('fromFlat equals fromSimplices, for sorted and unsorted input with repeats', () => {
    const tris = [
      [5, 1, 2],
      [0, 1, 2],
      [2, 3, 4],
      [0, 2, 1],
      [4, 5, 3],
    ];
    const a = SimplicialComplex.fromSimplices(tris);
    const b = SimplicialComplex.fromFlat(Int32Array.from(tris.flat()), 3);
    const c = SimplicialComplex.fromFlat(Uint32Array.from(tris.flat()), 3, 8);
    for (const k of [0, 1, 2]) {
      expect(b.faces(k)).toEqual(a.faces(k));
      expect(Array.from(c.faces(k).subarray(0, k === 0 ? 6 : undefined))).toEqual(Array.from(a.faces(k)));
    }
    expect(a.count(2)).toBe(4); // the repeated triangle once
    expect(c.count(0)).toBe(8);
  });

  test('random complexes: faces, facets and cofaces agree with enumeration', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 3 + randomInt(random, 10);
      const simplices = Array.from({ length: 1 + randomInt(random, 12) }, () => {
        const pool = Array.from({ length: n }, (_, v) => v);
        return Array.from(
          { length: 1 + randomInt(random, Math.min(5, n)) },
          () => pool.splice(randomInt(random, pool.length), 1)[0],
        );
      });
      const c = SimplicialComplex.fromSimplices(simplices, n);
      const expected = facesByEnumeration(simplices, n);
      expect(c.dimension).toBe(expected.length - 1);
      expected.forEach((faces, k) => {
        expect(tuples(c.faces(k), k + 1)).toEqual(faces);
        if (k === 0) return;
        const index = new Map(expected[k - 1].map((f, i) => [f.join(','), i]));
        const facets = faces.flatMap((f) => f.map((_, i) => index.get(f.filter((_, j) => j !== i).join(','))!));
        expect(Array.from(c.facets(k))).toEqual(facets);
        const { starts, list } = c.cofaces(k - 1);
        const cofaces = expected[k - 1].map((f) => faces.flatMap((g, j) => (f.every((v) => g.includes(v)) ? [j] : [])));
        expect(expected[k - 1].map((_, i) => Array.from(list.subarray(starts[i], starts[i + 1])))).toEqual(cofaces);
        expect(c.maxCofaces(k - 1)).toBe(Math.max(...cofaces.map((x) => x.length)));
      });
    }
  });

  test('a large bucket (a cone apex of high degree) sorts correctly', () => {
    const n = 200;
    const cone = Array.from({ length: n - 2 }, (_, i) => [n - 1 - i, 0, n - 2 - i].reverse());
    const c = SimplicialComplex.fromSimplices(cone);
    expect(tuples(c.faces(2), 3)).toEqual(facesByEnumeration(cone, n)[2]);
    expect(tuples(c.faces(1), 2)).toEqual(facesByEnumeration(cone, n)[1]);
  });

  test('input validation names the argument', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => SimplicialComplex.fromSimplices([]), /^simplices: expected a non-empty list of simplices/],
      [() => SimplicialComplex.fromSimplices(null as never), /^simplices: expected a list of simplices/],
      [() => SimplicialComplex.fromSimplices('abc' as never), /^simplices: expected a list of simplices/],
      [
        () => SimplicialComplex.fromSimplices([[0, 1], 3 as never]),
        /^simplices\[1\]: expected an array of vertex indices, got 3/,
      ],
      [() => SimplicialComplex.fromSimplices([[0, 1], []]), /^simplices\[1\]: empty simplex/],
      [() => SimplicialComplex.fromSimplices([[0, 1.5]]), /^simplices\[0\]: vertex 1.5 is not a non-negative integer/],
      [() => SimplicialComplex.fromSimplices([[0, -1]]), /^simplices\[0\]: vertex -1 is not a non-negative integer/],
      [() => SimplicialComplex.fromSimplices([[0, NaN]]), /^simplices\[0\]: vertex NaN is not a non-negative integer/],
      [
        () => SimplicialComplex.fromSimplices([[0, '1' as never]]),
        /^simplices\[0\]: vertex '1' is not a non-negative integer/,
      ],
      [
        () =>
          SimplicialComplex.fromSimplices(
            [
              [0, 1],
              [1, 5],
            ],
            5,
          ),
        /^simplices\[1\]: vertex 5 is out of range 0..4 \(numVertices 5\)/,
      ],
      [
        () =>
          SimplicialComplex.fromSimplices([
            [0, 1, 2],
            [3, 2, 3],
          ]),
        /^simplices\[1\]: repeated vertex 3/,
      ],
      [() => SimplicialComplex.fromSimplices([[0, 1]], 0), /^numVertices: expected a positive integer, got 0/],
      [() => SimplicialComplex.fromSimplices([[0, 1]], 2.5), /^numVertices: expected a positive integer, got 2.5/],
      [
        () => SimplicialComplex.fromSimplices([Array.from({ length: 21 }, (_, i) => i)]),
        /^simplices\[0\]: at most 20 vertices per simplex/,
      ],
      [() => SimplicialComplex.fromFlat([0, 1, 2] as never, 3), /^flat: expected an Int32Array or Uint32Array/],
      [() => SimplicialComplex.fromFlat(new Int32Array(0), 3), /^flat: expected a non-empty list of simplices/],
      [
        () => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 2, 3), 3),
        /^flat: length 4 is not a multiple of simplexSize 3/,
      ],
      [() => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 2), 0), /^simplexSize: expected a positive integer/],
      [() => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 2), 2.5), /^simplexSize: expected a positive integer/],
      [() => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 2), 21), /^simplexSize: at most 20 vertices per simplex/],
      [
        () => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 7), 3, 5),
        /^flat: vertex 7 of simplex 0 is out of range 0..4 \(numVertices 5\)/,
      ],
      [() => SimplicialComplex.fromFlat(Int32Array.of(0, -1, 2), 3), /^flat: vertex -1 of simplex 0 is out of range/],
      [
        () => SimplicialComplex.fromFlat(Uint32Array.of(0, 2 ** 31, 2), 3),
        /^flat: vertex 2147483648 of simplex 0 is out of range/,
      ],
      [() => SimplicialComplex.fromFlat(Int32Array.of(0, 1, 2, 4, 2, 4), 3), /^flat \(simplex 1\): repeated vertex 4/],
      [() => SimplicialComplex.fromSimplices([[0, 1]]).faces(2), /^dim: expected an integer in 0..1, got 2/],
      [() => SimplicialComplex.fromSimplices([[0, 1]]).facets(0), /^dim: vertices have no facets/],
      [
        () => SimplicialComplex.fromSimplices([[0, 1]]).cofaces(1),
        /^dim: top-dimensional simplices \(dimension 1\) have no cofaces/,
      ],
    ];
    for (const [f, message] of bad) expect(f).toThrow(message);
  });
});
