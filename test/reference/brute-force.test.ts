import { bruteForcePersistence } from './brute-force';
import { canonicalPairs, loadCubicalFixtures, misplacedCells, oracleValuePairs, valuePairs } from './fixtures';

// The brute force is the yardstick for the engine's critical cells, so it must itself agree with
// GUDHI on every fixture (values exactly; GUDHI's cells are arbitrary under ties).
const fixtures = loadCubicalFixtures();

describe('brute-force reference vs GUDHI fixtures', () => {
  const cases = fixtures.flatMap((f) =>
    f.results.map((r) => ({ f, r, label: `${f.name} ${r.construction} ${r.filtration}` })),
  );

  test.each(cases)('$label', ({ f, r }) => {
    const superlevel = r.filtration === 'superlevel';
    const diagrams = bruteForcePersistence(f.values, f.shape, { construction: r.construction, superlevel });
    expect(diagrams.map((d) => d.dim)).toEqual(f.shape.map((_, d) => d));
    for (const d of diagrams) {
      expect(valuePairs(d)).toEqual(oracleValuePairs(r, d.dim));
      expect(misplacedCells(d, f.values)).toEqual([]);
      expect(
        d.births.every((b, i) => (superlevel ? b >= d.deaths[i] || d.deaths[i] === Infinity : b <= d.deaths[i])),
      ).toBe(true);
    }
  });

  // Without ties the critical cells are forced by the values, so GUDHI's must equal ours.
  const distinct = cases.filter(({ f, r }) => r.cells && new Set(f.values).size === f.values.length);
  test.each(distinct)("critical cells equal GUDHI's without ties: $label", ({ f, r }) => {
    const superlevel = r.filtration === 'superlevel';
    const diagrams = bruteForcePersistence(f.values, f.shape, { construction: r.construction, superlevel });
    for (const d of diagrams) {
      const ours = canonicalPairs(d).map(([b, k]) => [b, k]);
      const theirs = [...r.cells![String(d.dim)]].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      expect(ours).toEqual(theirs);
    }
  });

  test('GUDHI cells in the fixtures hold their values (checks the fixtures themselves)', () => {
    let checked = 0;
    for (const f of fixtures)
      for (const r of f.results) {
        if (!r.cells) continue;
        for (const [dim, rows] of Object.entries(r.cells)) {
          const fromCells = rows.map(([b, k]) => `${f.values[b]} ${k === -1 ? Infinity : f.values[k]}`).sort();
          expect(fromCells).toEqual(oracleValuePairs(r, Number(dim)));
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(20);
  });
});
