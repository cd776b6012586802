import { FIXTURES } from '../../reference/fixtures';
import * as fs from 'fs';
import * as path from 'path';
import {
  ripsPersistence,
  ripsPersistenceFromDistances,
  RipsDiagram,
  RipsOptions,
} from '../../../src/persistence/rips/rips';

/**
 * The engine against the ripser CLI (Z/2) on the fixtures of test/fixtures/make_rips_fixtures.py.
 * Ripser computes distances in float32 and prints 6 significant digits, so values are compared
 * with a relative tolerance; pairs that only float64 tells apart from zero length are ignored.
 * Integer distance matrices must match exactly.
 */
interface Fixture {
  name: string;
  format: 'points' | 'distances';
  n: number;
  dimension?: number;
  points?: number[];
  distances?: number[];
  maxDim: number;
  threshold?: number;
  ripser: [number, number | null][][];
}

const dir = path.join(FIXTURES, 'rips');
const fixtures: Fixture[] = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

const TOL = 1e-5;
const close = (a: number, b: number) => (a === b ? true : Math.abs(a - b) <= TOL * Math.max(Math.abs(a), Math.abs(b)));

function distanceOf(fx: Fixture, i: number, j: number): number {
  if (fx.format === 'distances') return fx.distances![i * fx.n + j];
  const d = fx.dimension!;
  let s = 0;
  for (let k = 0; k < d; k++) s += (fx.points![i * d + k] - fx.points![j * d + k]) ** 2;
  return Math.sqrt(s);
}

function run(fx: Fixture): RipsDiagram[] {
  const options: RipsOptions = { maxDim: fx.maxDim, threshold: fx.threshold };
  return fx.format === 'points'
    ? ripsPersistence(Float64Array.from(fx.points!), fx.dimension!, options)
    : ripsPersistenceFromDistances(fx.distances!, fx.n, options);
}

describe('Rips engine against ripser 1.2.1', () => {
  test('there are fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(10));

  for (const fx of fixtures) {
    test(fx.name, () => {
      const ours = run(fx);
      expect(ours.length).toBe(fx.maxDim + 1);
      const integer = fx.format === 'distances' && fx.distances!.every(Number.isInteger);
      for (let dim = 0; dim <= fx.maxDim; dim++) {
        const dgm = ours[dim];
        // Every value is its edge's float64 length, bit for bit.
        for (let k = 0; k < dgm.births.length; k++) {
          const [bi, bj] = [dgm.birthEdges[2 * k], dgm.birthEdges[2 * k + 1]];
          const [di, dj] = [dgm.deathEdges[2 * k], dgm.deathEdges[2 * k + 1]];
          expect(dgm.births[k]).toBe(dim === 0 ? 0 : distanceOf(fx, bi, bj));
          if (dim === 0) expect(bi).toBe(bj);
          else expect(bi).toBeLessThan(bj);
          if (di === -1) expect([dj, dgm.deaths[k]]).toEqual([-1, Infinity]);
          else {
            expect(di).toBeLessThan(dj);
            expect(dgm.deaths[k]).toBe(distanceOf(fx, di, dj));
          }
        }
        // The multiset of (birth, death) equals ripser's.
        const mine: [number, number][] = [];
        for (let k = 0; k < dgm.births.length; k++) {
          const b = dgm.births[k];
          const d = dgm.deaths[k];
          if (!integer && d !== Infinity && close(b, d)) continue; // zero length in float32
          mine.push([b, d]);
        }
        const theirs = fx.ripser[dim]
          .map(([b, d]) => [b, d === null ? Infinity : d] as [number, number])
          .filter(([b, d]) => integer || d === Infinity || !close(b, d));
        const unmatched = theirs.filter(([b, d]) => {
          const k = mine.findIndex(([b2, d2]) =>
            integer ? b === b2 && d === d2 : close(b, b2) && (d === d2 || close(d, d2)),
          );
          if (k === -1) return true;
          mine.splice(k, 1);
          return false;
        });
        expect({ dim, unmatchedRipser: unmatched, unmatchedOurs: mine }).toEqual({
          dim,
          unmatchedRipser: [],
          unmatchedOurs: [],
        });
      }
    });
  }
});
