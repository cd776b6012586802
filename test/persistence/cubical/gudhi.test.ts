import { cubicalPersistence } from '../../../src/persistence/cubical/cubical';
import { loadCubicalFixtures, misplacedCells, oracleValuePairs, valuePairs } from '../../reference/fixtures';

// The engine against GUDHI 3.7.1 (Z/2) on the committed fixtures (test/fixtures/generate.sh):
// the multiset of (birth, death) per dimension must match exactly, with no tolerance. GUDHI
// picks among tied cells arbitrarily, so its cells are not compared by index; ours must hold
// their pair's values bit for bit.
const cases = loadCubicalFixtures().flatMap((f) =>
  f.results.map((r) => ({ f, r, label: `${f.name} (${f.dtype}) ${r.construction} ${r.filtration}` })),
);

describe('cubicalPersistence vs GUDHI', () => {
  test.each(cases)('$label', ({ f, r }) => {
    const superlevel = r.filtration === 'superlevel';
    const diagrams = cubicalPersistence(f.values, f.shape, { construction: r.construction, superlevel });
    expect(diagrams.map((d) => d.dim)).toEqual(f.shape.map((_, d) => d));
    for (const d of diagrams) {
      expect(valuePairs(d)).toEqual(oracleValuePairs(r, d.dim));
      expect(misplacedCells(d, f.values)).toEqual([]);
    }
  });
});
