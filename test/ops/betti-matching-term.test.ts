import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import * as fs from 'fs';
import * as path from 'path';
import { LabelTerm } from '../../src/ops/label-term';
import { bettiMatchingLoss } from '../../src/persistence/betti-matching/loss';
import { SparseBettiMatching } from '../../src/persistence/betti-matching/sparse-betti-matching';
import { expectGradientsMatch, genericValues } from '../reference/gradient-check';
import { mulberry32 } from '../reference/mulberry32';

// The Betti-matching term of LabelTerm against the authors' code: its value on every committed
// fixture (test/fixtures/betti-matching/, written by their Betti-Matching-3D through
// ../shared/oracle/betti_matching_oracle.py) is the reference's loss; its gradient matches finite
// differences.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const DIR = path.join(__dirname, '..', 'fixtures', 'betti-matching');
interface Fixture {
  name: string;
  shape: number[];
  scale: number;
  prediction: number[];
  target: number[];
  results: { filtration: 'superlevel' | 'sublevel'; loss: number | string }[];
}

const fixtures: Fixture[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));

describe.each(fixtures.map((f): [string, Fixture] => [f.name, f]))('fixture %s', (_, fixture) => {
  test.each(fixture.results.map((r) => [r.filtration, r] as const))(
    '%s: the term equals the reference loss',
    (filtration, result) => {
      const shape = [1, ...fixture.shape, 1];
      const values = (a: number[]) =>
        tf.tensor(
          Float32Array.from(a, (x) => x / fixture.scale),
          shape,
        );
      const term = new LabelTerm({ kind: 'bettiMatching', superlevel: filtration === 'superlevel' });
      const got = tf.tidy(() => term.evaluate(values(fixture.target), values(fixture.prediction)).dataSync()[0]);
      const want = Number(result.loss);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, want));
    },
  );
});

describe('gradient against finite differences', () => {
  test.each([
    ['images [2, 7, 6, 1]', [2, 7, 6, 1]],
    ['two channels [1, 6, 5, 2]', [1, 6, 5, 2]],
    ['volume [1, 4, 4, 3, 1]', [1, 4, 4, 3, 1]],
  ])('%s', (__, shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const random = mulberry32(size);
    const label = tf.tensor(
      Float32Array.from({ length: size }, () => (random() < 0.4 ? 1 : 0)),
      shape,
    );
    for (const superlevel of [true, false])
      for (const sparseThreshold of [undefined, superlevel ? size / 2 : 0]) {
        // Sparse: the upper half of the predictions kept (superlevel), or the label's background
        // (sublevel: min(P, L) ≤ 0); deaths at the floor are constants.
        const term = new LabelTerm({ kind: 'bettiMatching', superlevel, sparseThreshold });
        // Generic predictions (distinct, ≥ 0.2 apart): the 0.01 steps change no matching.
        expectGradientsMatch((x) => term.evaluate(label, x), shape, 0, genericValues(size, 31));
      }
  });
});

test('dims selects the dimensions matched; a prediction equal to its label costs nothing', () => {
  const random = mulberry32(3);
  const label = tf.tensor(
    Float32Array.from({ length: 64 }, () => (random() < 0.5 ? 1 : 0)),
    [1, 8, 8, 1],
  );
  const pred = tf.tensor(
    genericValues(64, 4).map((v) => v / 64),
    [1, 8, 8, 1],
  );
  const value = (dims?: number[]) =>
    tf.tidy(() => new LabelTerm({ kind: 'bettiMatching', dims }).evaluate(label, pred).dataSync()[0]);
  expect(value([0]) + value([1])).toBeCloseTo(value(), 5);
  expect(tf.tidy(() => new LabelTerm({ kind: 'bettiMatching' }).evaluate(label, label).dataSync()[0])).toBe(0);
});

test("sparse: the term is the engine's loss, floor deaths at the floor value", () => {
  // Two volumes of 6³: the label a hollow cube, the prediction a noisy copy; cells kept where
  // either passes 0.5. Per map the term is bettiMatchingLoss of the sparse result.
  const shape = [6, 6, 6];
  const random = mulberry32(11);
  const label = Float32Array.from({ length: 216 }, (_, i) => {
    const c = [Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6];
    return Math.max(...c.map((x) => Math.abs(x - 2.5))) === 1.5 ? 1 : 0;
  });
  const maps = [0, 1].map(() => label.map((v) => (random() < 0.15 ? 1 - v : v) * 0.8 + 0.2 * random()));
  const term = new LabelTerm({ kind: 'bettiMatching', sparseThreshold: 0.5 });
  const got = tf.tidy(
    () =>
      term
        .evaluate(
          tf.tensor(
            [label, label].flatMap((m) => Array.from(m)),
            [2, ...shape, 1],
          ),
          tf.tensor(
            maps.flatMap((m) => Array.from(m)),
            [2, ...shape, 1],
          ),
        )
        .dataSync()[0],
  );
  const engine = new SparseBettiMatching(shape, { superlevel: true, threshold: 0.5 });
  const want = maps.map((m) => {
    const r = engine.match(m, label);
    return bettiMatchingLoss(r.pairs, m, label, r.floor);
  });
  expect(want[0] + want[1]).toBeGreaterThan(0);
  expect(got).toBeCloseTo((want[0] + want[1]) / 2, 5);
});
