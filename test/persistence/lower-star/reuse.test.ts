import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { LowerStarPersistence, lowerStarPersistence } from '../../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../../src/persistence/lower-star/simplicial-complex';
import { canonicalPairs } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// One engine called on many value arrays gives what fresh engines give; the documented tie rule
// and conventions on hand-checked examples.

const plain = (ds: PersistenceDiagram[]) => ds.map((d) => ({ dim: d.dim, pairs: canonicalPairs(d) }));

/** Freudenthal triangulation of an h × w torus, plus a few tetrahedra glued on (a mixed complex). */
function mixedComplex(h: number, w: number): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = y * w + x,
        b = y * w + ((x + 1) % w),
        c = ((y + 1) % h) * w + x,
        d = ((y + 1) % h) * w + ((x + 1) % w);
      out.push([a, b, d], [a, c, d]);
    }
  out.push([0, 1, 2, 3], [5, 6, 7, w + 6], [h * w - 1, h * w - 2, 4]);
  return out;
}

describe('LowerStarPersistence reuse', () => {
  test.each([
    [
      'a torus surface',
      (() => {
        const s = mixedComplex(7, 8);
        return s.slice(0, s.length - 3);
      })(),
    ],
    ['a mixed-dimension complex', mixedComplex(6, 7)],
  ])('%s: one engine, many value arrays, all options', (_, simplices) => {
    const complex = SimplicialComplex.fromSimplices(simplices);
    const n = complex.numVertices;
    const random = mulberry32(99);
    for (const options of [
      {},
      { superlevel: true },
      { dims: [1] },
      { dims: [0, 2], keepZeroLength: true },
      { dualTop: false },
    ]) {
      const engine = new LowerStarPersistence(complex, options);
      for (let step = 0; step < 12; step++) {
        const kind = step % 3;
        const values =
          kind === 0
            ? Float64Array.from({ length: n }, () => randomInt(random, 4))
            : kind === 1
              ? Float32Array.from({ length: n }, () => random())
              : Array.from({ length: n }, () => random() - 0.5);
        const reused = engine.compute(values);
        expect(plain(reused)).toEqual(plain(new LowerStarPersistence(complex, options).compute(values)));
        expect(plain(reused)).toEqual(plain(lowerStarPersistence(simplices, values, options)));
      }
    }
  });

  test('returned diagrams are not overwritten by the next call', () => {
    const engine = new LowerStarPersistence(
      SimplicialComplex.fromSimplices([
        [0, 1],
        [1, 2],
        [2, 0],
      ]),
    );
    const first = engine.compute([0, 1, 2]);
    const copy = plain(first);
    engine.compute([5, 4, 3]);
    expect(plain(first)).toEqual(copy);
  });
});

describe('lower-star conventions', () => {
  test('a circle: one component, one essential loop born at the last vertex', () => {
    const [h0, h1] = lowerStarPersistence(
      [
        [0, 1],
        [1, 2],
        [2, 0],
      ],
      [3, 1, 2],
    );
    expect(canonicalPairs(h0)).toEqual([[1, -1, 1, Infinity]]);
    expect(canonicalPairs(h1)).toEqual([[0, -1, 3, Infinity]]);
  });

  test('ties: vertices ranked by (value, index); the younger of equal-valued minima dies', () => {
    // A path 0 – 1 – 2 with values 0, 1, 0: minima 0 and 2 tie at 0, vertex 2 ranks after vertex
    // 0 and is the younger: its class dies at vertex 1. keepZeroLength plays no part.
    const [h0] = lowerStarPersistence(
      [
        [0, 1],
        [1, 2],
      ],
      [0, 1, 0],
    );
    expect(canonicalPairs(h0)).toEqual([
      [0, -1, 0, Infinity],
      [2, 1, 0, 1],
    ]);
    // Superlevel: ranked by (−value, index); maxima 0 and 2 of 5, 1, 5: vertex 2 dies at 1.
    const [s0] = lowerStarPersistence(
      [
        [0, 1],
        [1, 2],
      ],
      [5, 1, 5],
      { superlevel: true },
    );
    expect(canonicalPairs(s0)).toEqual([
      [0, -1, 5, Infinity],
      [2, 1, 5, 1],
    ]);
  });

  test('zero-length pairs: dropped by default, kept between distinct vertices with keepZeroLength', () => {
    // Edges (0, 2), (1, 2), (1, 3) (indices 0, 1, 2), values 0, 0, 0, −1: ranks 3, 0, 1, 2 → 0, 1, 2, 3.
    // Vertex 1 enters with edge (1, 3): its own class dies at once (one owner: never reported).
    // Vertex 2 enters: edge (0, 2) kills 2's own class (one owner), then edge (1, 2) joins 0's
    // component to the older one of vertex 3: the class born at 0 dies at 2, both of value 0.
    const simplices = [
      [0, 2],
      [1, 2],
      [1, 3],
    ];
    const kept = lowerStarPersistence(simplices, [0, 0, 0, -1], { keepZeroLength: true });
    expect(canonicalPairs(kept[0])).toEqual([
      [0, 2, 0, 0],
      [3, -1, -1, Infinity],
    ]);
    const dropped = lowerStarPersistence(simplices, [0, 0, 0, -1]);
    expect(canonicalPairs(dropped[0])).toEqual([[3, -1, -1, Infinity]]);
    // All values equal (ranks = indices): vertex 1 has no edge to an older vertex, so its class
    // lives until edge (1, 2) joins it to 0's at vertex 2.
    expect(canonicalPairs(lowerStarPersistence(simplices, [0, 0, 0, 0], { keepZeroLength: true })[0])).toEqual([
      [0, -1, 0, Infinity],
      [1, 2, 0, 0],
    ]);
    expect(canonicalPairs(lowerStarPersistence(simplices, [0, 0, 0, 0])[0])).toEqual([[0, -1, 0, Infinity]]);
  });

  test('a square loop: the younger of two tied minima dies; the loop is born at the last vertex', () => {
    const [h0, h1] = lowerStarPersistence(
      [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 0],
      ],
      [0, 1, 0, 1],
    );
    expect(canonicalPairs(h0)).toEqual([
      [0, -1, 0, Infinity],
      [2, 1, 0, 1],
    ]);
    expect(canonicalPairs(h1)).toEqual([[3, -1, 1, Infinity]]);
  });

  test('points only (dimension 0), and isolated vertices: each is an essential H0 class', () => {
    const [h0] = lowerStarPersistence([[0], [2]], [3, 1, 2], { superlevel: true });
    expect(canonicalPairs(h0)).toEqual([
      [0, -1, 3, Infinity],
      [1, -1, 1, Infinity],
      [2, -1, 2, Infinity],
    ]);
    const [g0, g1] = lowerStarPersistence([[0, 1]], [5, 4, 3]);
    expect(canonicalPairs(g0)).toEqual([
      [1, -1, 4, Infinity],
      [2, -1, 3, Infinity],
    ]);
    expect(g1.births.length).toBe(0);
  });

  test('a sphere has one essential class in H0 and in H2; dims selects diagrams in increasing order', () => {
    const sphere = [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 3],
      [1, 2, 3],
    ];
    const all = lowerStarPersistence(sphere, [4, 3, 2, 1]);
    expect(all.map((d) => canonicalPairs(d))).toEqual([[[3, -1, 1, Infinity]], [], [[0, -1, 4, Infinity]]]);
    const some = lowerStarPersistence(sphere, [4, 3, 2, 1], { dims: [2, 0] });
    expect(some.map((d) => d.dim)).toEqual([0, 2]);
  });
});
