import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BettiMatchingFixture, loadBettiMatchingFixtures, writeFixtureNpy } from '../reference/betti-matching-fixtures';
import { FIXTURES } from '../reference/fixtures';
import { runCliOnDisk } from '../reference/run-cli';

// `tfjs-topo metrics --json` on the Betti-Matching-3D fixtures (test/fixtures/betti-matching) against
// an independent computation in Python (test/fixtures/metrics/make_skimage_metrics.py: scikit-image,
// SciPy and NumPy; committed as skimage-metrics.json, so no Python runs here): Dice, clDice (the
// library's documented thinning written anew in Python), the Betti numbers in construction V and
// their errors. Plus, besides the fixtures with empty labels and predictions, one 2-D and one 3-D
// fixture each against an empty map ("emptyPairs").

/** One pair's numbers as the Python script wrote them. */
interface Expected {
  dice: number;
  clDice: number;
  /** clDice with scikit-image's own skeletons: for information, not compared. */
  clDiceSkimageSkeleton: number;
  betti: { pred: number[]; label: number[] };
  bettiErrors: number[];
}

const expected: { fixtures: Record<string, Expected>; emptyPairs: Record<string, Expected> } = JSON.parse(
  readFileSync(join(FIXTURES, 'metrics', 'skimage-metrics.json'), 'utf8'),
);
const fixtures = loadBettiMatchingFixtures();

/** The pairs to score: every fixture, and the empty pairs made from some of them. */
function pairsOf(rank: number): BettiMatchingFixture[] {
  const own = fixtures.filter((f) => f.shape.length === rank);
  const empty = Object.keys(expected.emptyPairs).flatMap((name) => {
    const [base, kind] = name.split('+');
    const f = own.find((g) => g.name === base);
    if (f === undefined) return [];
    const zeros = new Array<number>(f.target.length).fill(0);
    return [kind === 'empty-label' ? { ...f, name, target: zeros } : { ...f, name, prediction: zeros }];
  });
  return [...own, ...empty];
}

/** |actual − want| ≤ 1e-12 · |want| (so exactly 0 when 0 is wanted). */
function expectRelative(actual: number, want: number, what: string): void {
  if (!(Math.abs(actual - want) <= 1e-12 * Math.abs(want)))
    throw new Error(`${what}: tfjs-topo metrics gives ${actual}, scikit-image ${want}`);
}

test('the Python values cover every fixture, and the empty pairs of both ranks', () => {
  expect(Object.keys(expected.fixtures).sort()).toEqual(fixtures.map((f) => f.name).sort());
  expect(pairsOf(2).length + pairsOf(3).length).toBe(fixtures.length + Object.keys(expected.emptyPairs).length);
  for (const rank of [2, 3]) {
    const names = pairsOf(rank).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/\+empty-label$/)]));
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/\+empty-pred$/)]));
  }
});

describe('tfjs-topo metrics against scikit-image (test/fixtures/metrics/skimage-metrics.json)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-skimage-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const rank of [2, 3]) {
    test(`${rank}-D: Dice, clDice, Betti numbers and errors of every pair`, async () => {
      const pairs = pairsOf(rank);
      const [predDir, labelDir] = [join(dir, `pred-${rank}d`), join(dir, `label-${rank}d`)];
      for (const f of pairs) writeFixtureNpy(f, predDir, labelDir);
      const r = await runCliOnDisk(['metrics', predDir, labelDir, '--json']);
      expect(r.code).toBe(0);
      const out: { pairs: ({ name: string } & Expected)[] } = JSON.parse(r.stdout);
      expect(out.pairs.map((p) => p.name).sort()).toEqual(pairs.map((f) => f.name).sort());
      for (const got of out.pairs) {
        const want = expected.fixtures[got.name] ?? expected.emptyPairs[got.name];
        expectRelative(got.dice, want.dice, `${got.name} Dice`);
        expectRelative(got.clDice, want.clDice, `${got.name} clDice`);
        expect({ name: got.name, betti: got.betti, errors: got.bettiErrors }).toEqual({
          name: got.name,
          betti: want.betti,
          errors: want.bettiErrors,
        });
      }
    }, 60_000);
  }
});
