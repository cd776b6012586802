import { cubicalPersistence, CubicalOptions } from '../../../src/persistence/cubical/cubical';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { bruteForcePersistence } from '../../reference/brute-force';
import { canonicalPairs, misplacedCells } from '../../reference/fixtures';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The documented rules of the engine's output (DESIGN.md §3): exact values at critical cells,
// deterministic tie-breaking by (value, flat index), essential classes, superlevel orientation.

type Pair = [birthCell: number, deathCell: number, birth: number, death: number];

/** Canonical pairs per dimension, from the engine and (to confirm the hand work) the reference. */
function both(values: number[], shape: number[], options: CubicalOptions): { engine: Pair[][]; reference: Pair[][] } {
  const x = Float64Array.from(values);
  return {
    engine: cubicalPersistence(x, shape, options).map(canonicalPairs),
    reference: bruteForcePersistence(x, shape, options).map(canonicalPairs),
  };
}

function randomArray(random: () => number, size: number, float32: boolean): Float32Array | Float64Array {
  const out = float32 ? new Float32Array(size) : new Float64Array(size);
  // Multiples of 0.1 are not representable; a float32 array holds its own rounding of each.
  for (let i = 0; i < size; i++) out[i] = random() < 0.5 ? randomInt(random, 20) * 0.1 : random() * 1e3 - 500;
  return out;
}

describe('(c) critical cells hold their values bit for bit', () => {
  const random = mulberry32(2024);
  const shapes = [
    [17, 23],
    [1, 30],
    [30, 1],
    [6, 7, 8],
    [1, 9, 5],
  ];
  const cases = shapes.flatMap((shape) =>
    [false, true].flatMap((float32) =>
      (['T', 'V'] as const).flatMap((construction) =>
        [false, true].map((superlevel) => ({ shape, float32, construction, superlevel })),
      ),
    ),
  );

  test.each(cases)(
    '$shape float32=$float32 $construction superlevel=$superlevel',
    ({ shape, float32, construction, superlevel }) => {
      const values = randomArray(
        random,
        shape.reduce((a, b) => a * b, 1),
        float32,
      );
      const diagrams = cubicalPersistence(values, shape, { construction, superlevel, keepZeroLength: true });
      const pairs = diagrams.reduce((n, d) => n + d.births.length, 0);
      expect(pairs).toBeGreaterThan(1);
      for (const d of diagrams) expect(misplacedCells(d, values)).toEqual([]);
    },
  );

  test('float32 input reports the float32 value, not the decimal it was written from', () => {
    const [h0] = cubicalPersistence(Float32Array.of(0.1, 0.7, 0.3), [1, 3], { dims: [0] });
    // Components born at 0.1 (essential) and 0.3 (dies at 0.7).
    expect(Array.from(h0.births).sort()).toEqual([Math.fround(0.1), Math.fround(0.3)]);
    expect(h0.births).not.toContain(0.1);
    expect(Array.from(h0.deaths).sort()).toEqual([Math.fround(0.7), Infinity]);
  });
});

describe('(d) deterministic tie-breaking by (value, flat index)', () => {
  test('the same input twice gives identical arrays, also after other inputs', () => {
    const random = mulberry32(7);
    for (const shape of [
      [9, 11],
      [5, 4, 6],
    ])
      for (const construction of ['T', 'V'] as const) {
        const size = shape.reduce((a, b) => a * b, 1);
        const values = Float64Array.from({ length: size }, () => randomInt(random, 3));
        const first = cubicalPersistence(values, shape, { construction });
        cubicalPersistence(
          values.map((v) => 2 - v),
          shape,
          { construction },
        ); // something else between
        const second = cubicalPersistence(Float64Array.from(values), shape, { construction });
        expect(second).toEqual(first);
        second.forEach((d: PersistenceDiagram, i) => {
          expect(d.birthCells).toEqual(first[i].birthCells);
          expect(d.deathCells).toEqual(first[i].deathCells);
        });
      }
  });

  test('1×4 strip [0, 1, 0, 1], sublevel: the component at the lower index is the elder', () => {
    // Ranks: index 0 (value 0), index 2 (0), index 1 (1), index 3 (1). Components are born at
    // indices 0 and 2; index 1 joins them at value 1 and the younger (index 2) dies there.
    // The class born at index 0 never dies. Same for T and V in one row.
    for (const construction of ['T', 'V'] as const) {
      const { engine, reference } = both([0, 1, 0, 1], [1, 4], { construction });
      const expected: Pair[][] = [
        [
          [0, -1, 0, Infinity],
          [2, 1, 0, 1],
        ],
        [],
      ];
      expect(reference).toEqual(expected);
      expect(engine).toEqual(expected);
    }
  });

  test('1×4 strip [0, 1, 0, 1], superlevel: births above deaths, ties again by index', () => {
    // Ranks by (−value, index): index 1, index 3, index 0, index 2. Components born at 1 and 3
    // (value 1); index 0 only extends the first; index 2 (value 0) joins them and the younger,
    // index 3, dies there.
    for (const construction of ['T', 'V'] as const) {
      const { engine, reference } = both([0, 1, 0, 1], [1, 4], { construction, superlevel: true });
      const expected: Pair[][] = [
        [
          [1, -1, 1, Infinity],
          [3, 2, 1, 0],
        ],
        [],
      ];
      expect(reference).toEqual(expected);
      expect(engine).toEqual(expected);
    }
  });

  test('3×3 ring of zeros around a 5: the loop is born at the last tied element that closes it', () => {
    // Sublevel; the eight zeros enter in index order 0,1,2,3,5,6,7,8, then the 5 at index 4.
    // T: the hole is the open square of pixel 4, closed off once its edge-neighbours 1,3,5,7 are
    //    in (corners only touch it), so H1 is born at index 7. V: the 4-cycle 0-1-2-5-8-7-6-3
    //    of vertices closes with the last of them, index 8. Both die when index 4 fills the hole.
    const ring = [0, 0, 0, 0, 5, 0, 0, 0, 0];
    const t = both(ring, [3, 3], { construction: 'T' });
    const v = both(ring, [3, 3], { construction: 'V' });
    const expectedT: Pair[][] = [[[0, -1, 0, Infinity]], [[7, 4, 0, 5]]];
    const expectedV: Pair[][] = [[[0, -1, 0, Infinity]], [[8, 4, 0, 5]]];
    expect(t.reference).toEqual(expectedT);
    expect(v.reference).toEqual(expectedV);
    expect(t.engine).toEqual(expectedT);
    expect(v.engine).toEqual(expectedV);
  });

  test('2×2 diagonal [[0, 1], [1, 0]]: T is 8-connected, V 4-connected', () => {
    // T: pixels 0 and 3 share a corner, one component from the start: only the essential class.
    // V: vertices 0 and 3 are separate until vertex 1 (value 1, rank 2) joins them; the younger
    //    (index 3) dies at index 1.
    const t = both([0, 1, 1, 0], [2, 2], { construction: 'T' });
    const v = both([0, 1, 1, 0], [2, 2], { construction: 'V' });
    expect(t.reference).toEqual([[[0, -1, 0, Infinity]], []]);
    expect(v.reference).toEqual([
      [
        [0, -1, 0, Infinity],
        [3, 1, 0, 1],
      ],
      [],
    ]);
    expect(t.engine).toEqual(t.reference);
    expect(v.engine).toEqual(v.reference);
  });

  test('3×3×3 shell of zeros around a 5: a cavity born at the last tied element that seals it', () => {
    // T: voxel 13's cavity is sealed once its six face-neighbours 4,10,12,14,16,22 are in: index 22.
    // V: the centre vertex is enclosed only when all 26 neighbours are in: index 26.
    const shell = Array.from({ length: 27 }, (_, i) => (i === 13 ? 5 : 0));
    const t = both(shell, [3, 3, 3], { construction: 'T' });
    const v = both(shell, [3, 3, 3], { construction: 'V' });
    expect(t.reference).toEqual([[[0, -1, 0, Infinity]], [], [[22, 13, 0, 5]]]);
    expect(v.reference).toEqual([[[0, -1, 0, Infinity]], [], [[26, 13, 0, 5]]]);
    expect(t.engine).toEqual(t.reference);
    expect(v.engine).toEqual(v.reference);
  });
});

describe('essential classes and orientation', () => {
  const random = mulberry32(31);
  const cases = [
    [12, 9],
    [1, 7],
    [7, 1],
    [1, 1],
    [4, 5, 3],
    [1, 1, 1],
  ].flatMap((shape) =>
    (['T', 'V'] as const).flatMap((construction) =>
      [false, true].map((superlevel) => ({ shape, construction, superlevel })),
    ),
  );

  test.each(cases)('$shape $construction superlevel=$superlevel', ({ shape, construction, superlevel }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float64Array.from({ length: size }, () => randomInt(random, 5));
    const diagrams = cubicalPersistence(values, shape, { construction, superlevel });
    // A box is contractible: one essential H0 class, none above.
    diagrams.forEach((d) => {
      const essential = Array.from(d.deaths).filter((x) => x === Infinity).length;
      expect(essential).toBe(d.dim === 0 ? 1 : 0);
      d.deaths.forEach((death, i) => expect(death === Infinity).toBe(d.deathCells[i] === -1));
    });
    // The essential class is born at the first element of the filtration: the smallest (largest)
    // value, at its lowest index.
    const extreme = superlevel ? Math.max(...values) : Math.min(...values);
    const h0 = diagrams[0];
    const e = h0.deaths.indexOf(Infinity);
    expect(h0.births[e]).toBe(extreme);
    expect(h0.birthCells[e]).toBe(values.indexOf(extreme));
    // Sublevel classes die above their birth, superlevel ones below (zero-length pairs dropped).
    for (const d of diagrams)
      d.births.forEach((b, i) => {
        if (d.deaths[i] !== Infinity) expect(superlevel ? b > d.deaths[i] : b < d.deaths[i]).toBe(true);
      });
  });

  test('superlevel: two peaks, the lower one dies at the later of two tied saddle elements', () => {
    // [0, 4, 1, 1, 2, 3, 0]: peaks 4 (index 1) and 3 (index 5). Ranks by (−value, index):
    // 1, 5, 4, 2, 3, 0, 6. Index 2 (value 1) only extends the first peak's component; index 3
    // (value 1) joins the two, so the younger peak dies there: (3 → 1) at cells (5, 3).
    const { engine, reference } = both([0, 4, 1, 1, 2, 3, 0], [1, 7], { superlevel: true });
    const expected: Pair[] = [
      [1, -1, 4, Infinity],
      [5, 3, 3, 1],
    ];
    expect(reference[0]).toEqual(expected);
    expect(engine[0]).toEqual(expected);
  });

  test.each([
    [[4, 6], 'T'],
    [[4, 6], 'V'],
    [[3, 2, 4], 'T'],
    [[3, 2, 4], 'V'],
  ] as const)('constant %j %s: only the essential class, even with keepZeroLength', (shape, construction) => {
    const size = shape.reduce((a, b) => a * b, 1);
    for (const superlevel of [false, true])
      for (const keepZeroLength of [false, true]) {
        const diagrams = cubicalPersistence(new Float32Array(size).fill(0.3), shape, {
          construction,
          superlevel,
          keepZeroLength,
        });
        expect(diagrams.map(canonicalPairs)).toEqual(
          shape.map((_, d) => (d === 0 ? [[0, -1, Math.fround(0.3), Infinity]] : [])),
        );
      }
  });
});
