import * as fs from 'fs';
import * as path from 'path';
import { PersistenceDiagram } from '../../src/persistence/diagram';

/** One GUDHI run recorded by test/fixtures/generate.sh (the oracle's JSON output). */
export interface OracleResult {
  construction: 'T' | 'V';
  filtration: 'sublevel' | 'superlevel';
  /** Per dimension, [birth, death] with null for an infinite death. */
  diagrams: Record<string, [number, number | null][]>;
  /** T only: GUDHI's critical cells, C-order [birthCell, deathCell] (−1 for essential). */
  cells?: Record<string, [number, number][]>;
}

export interface CubicalFixture {
  name: string;
  description: string;
  shape: number[];
  dtype: 'float32' | 'float64';
  /** The input, typed as generated (float32 fixtures hold exactly representable values). */
  values: Float32Array | Float64Array;
  results: OracleResult[];
}

const DIR = path.join(__dirname, '..', 'fixtures', 'cubical');

export function loadCubicalFixtures(): CubicalFixture[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
      const values = raw.dtype === 'float32' ? Float32Array.from(raw.values) : Float64Array.from(raw.values);
      // A float32 fixture whose numbers did not survive the trip would test nothing: refuse it.
      raw.values.forEach((x: number, i: number) => {
        if (values[i] !== x) throw new Error(`fixture ${f}: value ${x} at ${i} is not a ${raw.dtype}`);
      });
      return { ...raw, values };
    });
}

/** A diagram's (birth, death) pairs as a sorted list of strings, for exact multiset comparison. */
export function valuePairs(d: PersistenceDiagram): string[] {
  return Array.from(d.births, (b, i) => pairKey(b, d.deaths[i])).sort();
}

/** The oracle's pairs of one dimension, in the same form as `valuePairs`. */
export function oracleValuePairs(r: OracleResult, dim: number): string[] {
  return (r.diagrams[String(dim)] ?? []).map(([b, d]) => pairKey(b, d === null ? Infinity : d)).sort();
}

/** Exact text of a pair: JavaScript prints the shortest string that round-trips a double. */
function pairKey(birth: number, death: number): string {
  return `${birth} ${death}`;
}

/** Pairs with their cells, sorted by (birthCell, deathCell, birth, death): a canonical form. */
export function canonicalPairs(d: PersistenceDiagram): [number, number, number, number][] {
  return Array.from(d.births, (b, i): [number, number, number, number] => [d.birthCells[i], d.deathCells[i], b, d.deaths[i]]).sort(
    (p, q) => cmp(p[0], q[0]) || cmp(p[1], q[1]) || cmp(p[2], q[2]) || cmp(p[3], q[3]),
  );
}

/** Comparison that is safe for Infinity (Infinity − Infinity is NaN). */
function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The pairs whose cells do not hold their birth/death values exactly. */
export function misplacedCells(d: PersistenceDiagram, values: ArrayLike<number>): string[] {
  const bad: string[] = [];
  for (let i = 0; i < d.births.length; i++) {
    const b = d.birthCells[i];
    const k = d.deathCells[i];
    const deathOk = k === -1 ? d.deaths[i] === Infinity : values[k] === d.deaths[i];
    if (values[b] !== d.births[i] || !deathOk)
      bad.push(`dim ${d.dim} pair (${d.births[i]}, ${d.deaths[i]}) at cells (${b}, ${k})`);
  }
  return bad;
}
