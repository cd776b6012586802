import {
  ripsPersistence,
  ripsPersistenceFromDistances,
  RipsDiagram,
  RipsOptions,
  RipsPersistence,
} from '../../../src/persistence/rips/rips';
import { bruteForceRips } from '../../reference/rips-brute-force';
import { mulberry32, randomInt } from '../../reference/mulberry32';

/** Pairs as sortable strings: values and critical edges, for an exact multiset comparison. */
function pairs(diagram: RipsDiagram): string[] {
  const out: string[] = [];
  for (let k = 0; k < diagram.births.length; k++) {
    const be = diagram.birthEdges;
    const de = diagram.deathEdges;
    out.push(
      `${diagram.births[k]} ${diagram.deaths[k]} (${be[2 * k]},${be[2 * k + 1]}) (${de[2 * k]},${de[2 * k + 1]})`,
    );
  }
  return out.sort();
}

function euclidean(points: ArrayLike<number>, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (points[i * dim + k] - points[j * dim + k]) ** 2;
      out[i * n + j] = Math.sqrt(s);
    }
  }
  return out;
}

function randomMatrix(random: () => number, n: number, values: number[]): Float64Array {
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) out[i * n + j] = out[j * n + i] = values[randomInt(random, values.length)];
  }
  return out;
}

function expectSame(ours: RipsDiagram[], reference: RipsDiagram[], label: string): void {
  expect(ours.length).toBe(reference.length);
  for (let k = 0; k < ours.length; k++) {
    expect(ours[k].dim).toBe(k);
    expect({ label, dim: k, pairs: pairs(ours[k]) }).toEqual({ label, dim: k, pairs: pairs(reference[k]) });
  }
}

describe.each(['matrix', 'table'] as const)(
  'Rips engine against the brute-force boundary reduction (exact values and edges), ranks from the %s',
  (lookup) => {
    /** An engine whose edge ranks come from `lookup` (the automatic choice takes the matrix at these sizes). */
    const engineFor = (options: RipsOptions): RipsPersistence => {
      const engine = new RipsPersistence(options);
      engine['edges'].rankLookup = lookup;
      return engine;
    };
    const ripsPersistence = (points: ArrayLike<number>, dim: number, options: RipsOptions): RipsDiagram[] =>
      engineFor(options).fromPoints(points, dim);
    const ripsPersistenceFromDistances = (m: ArrayLike<number>, n: number, options: RipsOptions): RipsDiagram[] =>
      engineFor(options).fromDistances(m, n);

    test('integer distance matrices with values in {1, 2, 3} (heavy ties)', () => {
      const random = mulberry32(11);
      for (let trial = 0; trial < 150; trial++) {
        const n = 3 + randomInt(random, 6);
        const m = randomMatrix(random, n, [1, 2, 3]);
        const maxDim = trial % 3;
        const label = `matrix trial ${trial}`;
        expectSame(ripsPersistenceFromDistances(m, n, { maxDim }), bruteForceRips(m, n, maxDim), label);
        // explicit thresholds and zero-length pairs
        const threshold = 1 + randomInt(random, 3);
        expectSame(
          ripsPersistenceFromDistances(m, n, { maxDim, threshold }),
          bruteForceRips(m, n, maxDim, threshold),
          label + ' t',
        );
        expectSame(
          ripsPersistenceFromDistances(m, n, { maxDim, keepZeroLength: true }),
          bruteForceRips(m, n, maxDim, Infinity, true),
          label + ' keep',
        );
      }
    });

    test('distance matrices with zeros off the diagonal (duplicates) and few distinct values', () => {
      const random = mulberry32(12);
      for (let trial = 0; trial < 80; trial++) {
        const n = 3 + randomInt(random, 6);
        const m = randomMatrix(random, n, [0, 1, 1, 2, 2, 3]);
        const maxDim = 1 + (trial % 2);
        expectSame(ripsPersistenceFromDistances(m, n, { maxDim }), bruteForceRips(m, n, maxDim), `zeros ${trial}`);
        expectSame(
          ripsPersistenceFromDistances(m, n, { maxDim, keepZeroLength: true }),
          bruteForceRips(m, n, maxDim, Infinity, true),
          `zeros keep ${trial}`,
        );
      }
    });

    test('integer-grid point clouds with duplicated points, with and without thresholds', () => {
      const random = mulberry32(13);
      for (let trial = 0; trial < 120; trial++) {
        const dim = 1 + randomInt(random, 3);
        const n = 3 + randomInt(random, 7);
        const points = new Float64Array(n * dim);
        for (let k = 0; k < points.length; k++) points[k] = randomInt(random, 3);
        // duplicate a point now and then
        if (trial % 4 === 0) for (let k = 0; k < dim; k++) points[(n - 1) * dim + k] = points[k];
        const maxDim = trial % 3;
        const m = euclidean(points, n, dim);
        expectSame(ripsPersistence(points, dim, { maxDim }), bruteForceRips(m, n, maxDim), `grid ${trial}`);
        const threshold = [1, Math.SQRT2, 2, 2.5][trial % 4];
        expectSame(
          ripsPersistence(points, dim, { maxDim, threshold }),
          bruteForceRips(m, n, maxDim, threshold),
          `grid t ${trial}`,
        );
      }
    });

    test('random real point clouds (generic distances) in dimensions 2 and 3', () => {
      const random = mulberry32(14);
      for (let trial = 0; trial < 60; trial++) {
        const dim = 2 + (trial % 2);
        const n = 5 + randomInt(random, 5);
        const points = Float32Array.from({ length: n * dim }, () => random());
        const m = euclidean(points, n, dim);
        expectSame(ripsPersistence(points, dim, { maxDim: 2 }), bruteForceRips(m, n, 2), `real ${trial}`);
      }
    });

    test('larger clouds (n = 10 and 11) with ties, maxDim 1 and 2', () => {
      const random = mulberry32(16);
      for (let trial = 0; trial < 60; trial++) {
        const n = 10 + (trial % 2);
        const m = randomMatrix(random, n, [1, 2, 3, 4, 5]);
        const maxDim = 1 + (trial % 2);
        expectSame(ripsPersistenceFromDistances(m, n, { maxDim }), bruteForceRips(m, n, maxDim), `large ${trial}`);
      }
    });

    test('one engine object reused across sizes gives the same answers as fresh calls', () => {
      const random = mulberry32(15);
      const engine = engineFor({ maxDim: 2 });
      for (let trial = 0; trial < 30; trial++) {
        const n = 2 + randomInt(random, 8);
        const m = randomMatrix(random, n, [1, 2, 3, 4]);
        expectSame(engine.fromDistances(m, n), bruteForceRips(m, n, 2), `reuse ${trial}`);
      }
    });
  },
);

describe('Rips tie rule', () => {
  test('equal edges: the colexicographically smaller pair enters first', () => {
    // Square 0-1-2-3 with unit sides and diagonals 2. Unit edges in the order (length, j, i):
    // (0,1), (1,2), (0,3), (2,3): the first three merge, (2,3) closes the loop; of the diagonals
    // (0,2) precedes (1,3) and fills it (triangles 012 and 023).
    const m = [0, 1, 2, 1, 1, 0, 1, 2, 2, 1, 0, 1, 1, 2, 1, 0];
    const [h0, h1] = ripsPersistenceFromDistances(m, 4, { maxDim: 1 });
    expect(Array.from(h0.deathEdges)).toEqual([0, 1, 1, 2, 0, 3, -1, -1]);
    expect(Array.from(h0.birthEdges)).toEqual([1, 1, 2, 2, 3, 3, 0, 0]);
    expect(Array.from(h1.births)).toEqual([1]);
    expect(Array.from(h1.deaths)).toEqual([2]);
    expect(Array.from(h1.birthEdges)).toEqual([2, 3]); // last unit edge in the order
    expect(Array.from(h1.deathEdges)).toEqual([0, 2]); // first diagonal in the order
  });

  test('duplicate points: zero-length pairs dropped by default, kept on request', () => {
    const points = [0, 0, 0, 0, 1, 0, 1, 0, 0, 1];
    const [h0] = ripsPersistence(points, 2, { maxDim: 0 });
    expect(Array.from(h0.deaths)).toEqual([1, 1, Infinity]);
    const [k0] = ripsPersistence(points, 2, { maxDim: 0, keepZeroLength: true });
    expect(Array.from(k0.deaths)).toEqual([0, 0, 1, 1, Infinity]);
    expect(Array.from(k0.birthEdges.slice(0, 4))).toEqual([1, 1, 3, 3]);
    expect(Array.from(k0.deathEdges.slice(0, 4))).toEqual([0, 1, 2, 3]);
  });

  test('one point: a single essential class; every value equals its edge length bit for bit', () => {
    const [h0, h1] = ripsPersistence([0.5, 2], 2);
    expect(Array.from(h0.deaths)).toEqual([Infinity]);
    expect(h1.births.length).toBe(0);
    const random = mulberry32(3);
    const points = Float32Array.from({ length: 80 * 3 }, () => random());
    const m = euclidean(points, 80, 3);
    for (const dgm of ripsPersistence(points, 3, { maxDim: 2 })) {
      for (let k = 0; k < dgm.births.length; k++) {
        const [bi, bj, di, dj] = [
          dgm.birthEdges[2 * k],
          dgm.birthEdges[2 * k + 1],
          dgm.deathEdges[2 * k],
          dgm.deathEdges[2 * k + 1],
        ];
        expect(dgm.births[k]).toBe(dgm.dim === 0 ? 0 : m[bi * 80 + bj]);
        if (dgm.dim > 0) expect(bi).toBeLessThan(bj);
        if (di >= 0) {
          expect(di).toBeLessThan(dj);
          expect(dgm.deaths[k]).toBe(m[di * 80 + dj]);
        } else expect(dgm.deaths[k]).toBe(Infinity);
      }
    }
  });
});
