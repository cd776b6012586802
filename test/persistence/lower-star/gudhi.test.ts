import { FIXTURES } from '../../reference/fixtures';
import * as fs from 'fs';
import * as path from 'path';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { LowerStarPersistence } from '../../../src/persistence/lower-star/lower-star';
import { SimplicialComplex } from '../../../src/persistence/lower-star/simplicial-complex';
import { misplacedCells } from '../../reference/fixtures';

// The engine against GUDHI 3.7.1's SimplexTree (Z/2) on the committed fixtures
// (test/fixtures/make_simplicial_fixtures.py): the multiset of (birth, death) per dimension must
// match exactly, with no tolerance, and every reported vertex must hold its pair's values bit for
// bit. GUDHI breaks ties its own way, so its simplices are not compared.

interface SimplicialFixture {
  name: string;
  description: string;
  numVertices: number;
  simplices: number[][];
  dtype: 'float32' | 'float64';
  values: number[];
  results: { filtration: 'sublevel' | 'superlevel'; diagrams: Record<string, [number, number | null][]> }[];
}

const DIR = path.join(FIXTURES, 'simplicial');
const fixtures: SimplicialFixture[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

function typedValues(f: SimplicialFixture): Float32Array | Float64Array {
  const values = f.dtype === 'float32' ? Float32Array.from(f.values) : Float64Array.from(f.values);
  // A float32 fixture whose numbers did not survive the trip would test nothing: refuse it.
  f.values.forEach((x, i) => {
    if (values[i] !== x) throw new Error(`fixture ${f.name}: value ${x} at ${i} is not a ${f.dtype}`);
  });
  return values;
}

const key = (birth: number, death: number) => `${birth} ${death}`;
const ours = (d: PersistenceDiagram) => Array.from(d.births, (b, i) => key(b, d.deaths[i])).sort();
const theirs = (pairs: [number, number | null][] = []) => pairs.map(([b, d]) => key(b, d ?? Infinity)).sort();

const cases = fixtures.flatMap((f) =>
  f.results.map((r) => ({ f, r, label: `${f.name} (${f.dtype}) ${r.filtration}` })),
);

describe('lowerStarPersistence vs GUDHI', () => {
  test('the fixtures cover what they should', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    const complexes = fixtures.map((f) => SimplicialComplex.fromSimplices(f.simplices, f.numVertices));
    expect(complexes.some((c) => c.dimension === 3)).toBe(true);
    // Classes in every dimension, essential and finite, across the set.
    const dims = new Set(
      cases.flatMap(({ r }) =>
        Object.entries(r.diagrams)
          .filter(([, p]) => p.length > 0)
          .map(([k]) => k),
      ),
    );
    expect([...dims].sort()).toEqual(['0', '1', '2', '3']);
  });

  test.each(cases)('$label', ({ f, r }) => {
    const values = typedValues(f);
    const complex = SimplicialComplex.fromSimplices(f.simplices, f.numVertices);
    const superlevel = r.filtration === 'superlevel';
    for (const dualTop of [true, false]) {
      const diagrams = new LowerStarPersistence(complex, { superlevel, dualTop }).compute(values);
      expect(diagrams.map((d) => d.dim)).toEqual(Array.from({ length: complex.dimension + 1 }, (_, k) => k));
      for (const d of diagrams) {
        expect(ours(d)).toEqual(theirs(r.diagrams[String(d.dim)]));
        expect(misplacedCells(d, values)).toEqual([]);
      }
    }
  });
});
