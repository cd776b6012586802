import * as fs from 'fs';
import * as path from 'path';
import { bettiMatching, BettiMatching } from '../../../src/persistence/betti-matching/betti-matching';
import { bettiMatchingError, bettiMatchingLoss } from '../../../src/persistence/betti-matching/loss';
import { BettiMatchingPairs } from '../../../src/persistence/betti-matching/result';

// The engine against the authors' C++ code (Betti-Matching-3D, through ../shared/oracle/
// betti_matching_oracle.py): test/fixtures/betti-matching/*.json, written by
// make_betti_matching_fixtures.py from fixed seeds. Per dimension, the multisets of matched value
// quadruples and of unmatched bars must be equal exactly, and so must the elements (flat indices)
// they come from: the engine orders cells as the reference does, ties included. The one
// documented difference: when several vertices of a cube of a volume carry its value, the
// reference names the first and the engine the last, so in 3-D the H2 death elements are compared
// by value only.

interface OracleDim {
  dim: number;
  matched: number[][];
  matchedCells: number[][];
  unmatchedPred: number[][];
  unmatchedPredCells: number[][];
  unmatchedTarget: number[][];
  unmatchedTargetCells: number[][];
}

interface Fixture {
  name: string;
  description: string;
  shape: number[];
  dtype: 'float32' | 'float64';
  /** Values are stored as numerators: value = number / scale (exact). */
  scale: number;
  prediction: Float32Array | Float64Array;
  target: Float32Array | Float64Array;
  results: { filtration: 'superlevel' | 'sublevel'; dims: OracleDim[]; loss: number }[];
  bettiMatchingError: number[];
}

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'betti-matching');

function loadFixtures(): Fixture[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
      const typed = (a: number[]) =>
        raw.dtype === 'float32'
          ? Float32Array.from(a, (x) => x / raw.scale)
          : Float64Array.from(a, (x) => x / raw.scale);
      const fixture: Fixture = { ...raw, prediction: typed(raw.prediction), target: typed(raw.target) };
      for (const r of fixture.results)
        for (const d of r.dims)
          for (const list of [d.matched, d.unmatchedPred, d.unmatchedTarget])
            for (const row of list) row.forEach((x, i) => (row[i] = x / raw.scale));
      return fixture;
    });
}

const key = (row: ArrayLike<number>) => Array.from(row).join(' ');
const sorted = (rows: ArrayLike<number>[]) => rows.map(key).sort();

/** Our matching as the oracle's lists: values and cells, per dimension. */
function ours(pairs: BettiMatchingPairs, p: ArrayLike<number>, t: ArrayLike<number>) {
  const { predBirth, predDeath, targetBirth, targetDeath } = pairs.matched;
  const m = Array.from(predBirth, (_, i) => [predBirth[i], predDeath[i], targetBirth[i], targetDeath[i]]);
  const bars = ({ birth, death }: { birth: Int32Array; death: Int32Array }) =>
    Array.from(birth, (b, i) => [b, death[i]]);
  const up = bars(pairs.unmatchedPred);
  const ut = bars(pairs.unmatchedTarget);
  return {
    matched: m.map(([a, b, c, d]) => [p[a], p[b], t[c], t[d]]),
    matchedCells: m,
    unmatchedPred: up.map(([b, d]) => [p[b], p[d]]),
    unmatchedPredCells: up,
    unmatchedTarget: ut.map(([b, d]) => [t[b], t[d]]),
    unmatchedTargetCells: ut,
  };
}

const fixtures = loadFixtures();

test('the fixtures are there', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(20);
  expect(fixtures.some((f) => f.shape.length === 3)).toBe(true);
});

describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, fixture) => {
  test.each(fixture.results.map((r) => [r.filtration, r] as const))('%s', (filtration, result) => {
    const { prediction: p, target: t, shape } = fixture;
    const pairs = bettiMatching(p, t, shape, { superlevel: filtration === 'superlevel' });
    expect(pairs.map((d) => d.dim)).toEqual(shape.map((_, k) => k));
    for (const d of result.dims) {
      const mine = ours(pairs[d.dim], p, t);
      expect(sorted(mine.matched)).toEqual(sorted(d.matched));
      expect(sorted(mine.unmatchedPred)).toEqual(sorted(d.unmatchedPred));
      expect(sorted(mine.unmatchedTarget)).toEqual(sorted(d.unmatchedTarget));
      // Elements; a volume's H2 deaths by value (see above).
      const cubes = shape.length === 3 && d.dim === 2;
      const cellsOf = (rows: number[][], values: ArrayLike<number>[]) =>
        cubes ? rows.map((r) => r.map((c, i) => (i % 2 === 1 ? values[i >> 1][c] : c))) : rows;
      expect(sorted(cellsOf(mine.matchedCells, [p, t]))).toEqual(sorted(cellsOf(d.matchedCells, [p, t])));
      expect(sorted(cellsOf(mine.unmatchedPredCells, [p]))).toEqual(sorted(cellsOf(d.unmatchedPredCells, [p])));
      expect(sorted(cellsOf(mine.unmatchedTargetCells, [t]))).toEqual(sorted(cellsOf(d.unmatchedTargetCells, [t])));
    }
    const loss = bettiMatchingLoss(pairs, p, t);
    expect(Math.abs(loss - result.loss)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(result.loss)));
  });

  test('Betti-matching error of the binarized inputs', () => {
    const { prediction: p, target: t, shape } = fixture;
    const P = Float64Array.from(p, (x) => (x >= 0.5 ? 1 : 0));
    const T = Float64Array.from(t, (x) => (x !== 0 ? 1 : 0));
    const engine = new BettiMatching(shape, { superlevel: true });
    expect(bettiMatchingError(engine.match(P, T))).toEqual(fixture.bettiMatchingError);
  });
});
