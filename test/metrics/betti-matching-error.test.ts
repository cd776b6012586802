import * as fs from 'fs';
import * as path from 'path';
import { bettiMatchingErrors, segmentationMetrics } from '../../src/metrics/index';

// The Betti-matching error against the authors' code: every committed fixture
// (test/fixtures/betti-matching/) holds the reference's error for (pred ≥ 0.5) against (label ≠ 0).
// Fixture values are multiples of 2^-16, so `> 0.5 − 1e-9` binarizes as `≥ 0.5` (the tied fixtures
// do hold 0.5 itself).

const DIR = path.join(__dirname, '..', 'fixtures', 'betti-matching');
const fixtures = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

test.each(fixtures.map((f) => [f.name, f]))('%s: the reference error', (_, fixture) => {
  const pred = Float64Array.from(fixture.prediction as number[], (x) => x / fixture.scale);
  const label = Float64Array.from(fixture.target as number[], (x) => (x !== 0 ? 1 : 0));
  const shape = [1, ...fixture.shape];
  const want = (fixture.bettiMatchingError as number[]).reduce((a, b) => a + b, 0);
  const threshold = 0.5 - 1e-9;
  expect(Array.from(bettiMatchingErrors(pred, label, shape, { threshold }))).toEqual([want]);
  expect(segmentationMetrics(pred, label, shape, { threshold, clDice: false }).mean.bettiMatchingError).toBe(want);
});

test('bad input names the argument', () => {
  expect(() => bettiMatchingErrors([0.2, 0.9], [0, 2], [1, 1, 2])).toThrow(/label: expected a binary mask/);
  expect(() => bettiMatchingErrors([0.2, 0.9], [0, 1], [1, 1, 2], { construction: 'V' } as never)).toThrow(
    /options\.construction: unknown option/,
  );
});
