import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES } from '../../reference/fixtures';
import { mulberry32 } from '../../reference/mulberry32';
import { RipsDiagram, RipsOptions, RipsPersistence } from '../../../src/persistence/rips/rips';

/**
 * Sparse Rips: with a threshold only the edges under it are stored, and edge ranks come from a
 * hash table instead of the n×n matrix. The matrix path is checked against ripser and the brute
 * force (ripser.test.ts, brute-force.test.ts, which also run the table on small inputs); here
 * both lookups must give identical diagrams, critical edges included, on larger inputs.
 */
type Lookup = 'auto' | 'matrix' | 'table';

function engine(options: RipsOptions, lookup: Lookup): RipsPersistence {
  const e = new RipsPersistence(options);
  e['edges'].rankLookup = lookup;
  return e;
}

const plain = (diagrams: RipsDiagram[]) =>
  diagrams.map((d) => ({
    dim: d.dim,
    births: Array.from(d.births),
    deaths: Array.from(d.deaths),
    birthEdges: Array.from(d.birthEdges),
    deathEdges: Array.from(d.deathEdges),
  }));

function cube(n: number, dim: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: n * dim }, () => Math.fround(random()));
}

describe('Rips with a sparse edge table', () => {
  const dir = path.join(FIXTURES, 'rips');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    test(`the table and the matrix agree on the ripser fixture ${file}`, () => {
      const fx = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      const run = (lookup: Lookup) => {
        const e = engine({ maxDim: fx.maxDim, threshold: fx.threshold }, lookup);
        return plain(
          fx.format === 'points'
            ? e.fromPoints(Float64Array.from(fx.points), fx.dimension)
            : e.fromDistances(fx.distances, fx.n),
        );
      };
      expect(run('table')).toEqual(run('matrix'));
    });
  }

  test('3000 points with a threshold: the automatic choice is the table, and equals the matrix (maxDim 2)', () => {
    const points = cube(3000, 3, 5);
    const options = { maxDim: 2, threshold: 0.09 };
    const auto = engine(options, 'auto');
    const sparse = plain(auto.fromPoints(points, 3));
    expect(auto['edges'].rankRows).toBe(null);
    expect(auto['edges']['rankMatrix'].rows.length).toBe(0); // no n×n array was made
    expect(auto['edges'].count).toBeLessThan((3000 * 2999) / 2 / 50);
    expect(sparse[1].births.length).toBeGreaterThan(100);
    expect(sparse[2].births.length).toBeGreaterThan(0);
    expect(sparse).toEqual(plain(engine(options, 'matrix').fromPoints(points, 3)));
  });

  test('ties: points on an integer grid with duplicates, thresholds on the tied lengths', () => {
    const random = mulberry32(9);
    const points = Float64Array.from({ length: 600 * 2 }, () => Math.floor(random() * 20));
    for (const threshold of [1, Math.SQRT2, 2]) {
      for (const keepZeroLength of [false, true]) {
        const options = { maxDim: 2, threshold, keepZeroLength };
        expect(plain(engine(options, 'table').fromPoints(points, 2))).toEqual(
          plain(engine(options, 'matrix').fromPoints(points, 2)),
        );
      }
    }
  });

  test('one engine reused across thresholds and sizes switches lookups and still agrees', () => {
    const auto = new RipsPersistence({ maxDim: 1, threshold: 0.1 });
    const dense = new RipsPersistence({ maxDim: 1, threshold: 0.1 });
    dense['edges'].rankLookup = 'matrix';
    for (const [n, seed] of [
      [2500, 1],
      [300, 2],
      [2600, 3],
    ]) {
      const points = cube(n, 2, seed);
      expect(plain(auto.fromPoints(points, 2))).toEqual(plain(dense.fromPoints(points, 2)));
    }
  });

  test('point limits: 46340 without a finite threshold, 65535 with one', () => {
    expect(() => new RipsPersistence().fromPoints(new Float64Array(46341), 1)).toThrow(
      /points: expected at most 46340 points without a finite threshold, got 46341 points/,
    );
    expect(() => new RipsPersistence({ threshold: 1 }).fromPoints(new Float64Array(65536), 1)).toThrow(
      /points: expected at most 65535 points, got 65536 points/,
    );
    // 50,000 points on a line, one edge each: far more points than the matrix could take.
    const line = Float64Array.from({ length: 50000 }, (_, i) => i);
    const [h0] = new RipsPersistence({ maxDim: 1, threshold: 1 }).fromPoints(line, 1);
    expect(h0.deaths.filter((d) => d === 1).length).toBe(49999);
  });
});
