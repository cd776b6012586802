import { bettiMatching, BettiMatching } from '../../../src/persistence/betti-matching/betti-matching';
import { bettiMatchingError, bettiMatchingLoss } from '../../../src/persistence/betti-matching/loss';
import { BettiMatchingPairs } from '../../../src/persistence/betti-matching/result';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The engine keeps its working memory between calls (for training loops). Nothing a call leaves
// behind may leak into the next: one instance per shape, fed a stream of different arrays, must
// give exactly what a fresh engine gives on each pair alone; the target's side computed once
// (setTarget) must give what a full match gives; results belong to the caller.

/** A result as plain arrays, for toEqual. */
const plain = (pairs: BettiMatchingPairs[]) =>
  pairs.map(({ dim, matched, unmatchedPred, unmatchedTarget }) => ({
    dim,
    matched: Object.values(matched).map((a: Int32Array) => Array.from(a)),
    unmatchedPred: [Array.from(unmatchedPred.birth), Array.from(unmatchedPred.death)],
    unmatchedTarget: [Array.from(unmatchedTarget.birth), Array.from(unmatchedTarget.death)],
  }));

function draw(random: () => number, size: number, call: number): Float64Array {
  // Alternate heavy ties, binary masks and continuous values so successive calls differ a lot.
  const kind = call % 3;
  return Float64Array.from({ length: size }, () =>
    kind === 0 ? randomInt(random, 3) / 2 : kind === 1 ? randomInt(random, 2) : random(),
  );
}

const shapes = [
  [9, 7],
  [16, 16],
  [4, 5, 6],
  [6, 6, 6],
];

describe.each(shapes)('one engine reused on shape %j', (...shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  for (const superlevel of [false, true])
    for (const strict of [false, true])
      test(`${superlevel ? 'superlevel' : 'sublevel'}${strict ? ', strict' : ''}`, () => {
        const engine = new BettiMatching(shape, { superlevel, strict });
        const random = mulberry32(size + (superlevel ? 1 : 0) + (strict ? 2 : 0));
        let previous: { result: BettiMatchingPairs[]; copy: ReturnType<typeof plain> } | null = null;
        for (let call = 0; call < 9; call++) {
          const p = draw(random, size, call);
          const t = draw(random, size, call + 1);
          const [pCopy, tCopy] = [p.slice(), t.slice()];
          const result = engine.match(p, t);
          expect(plain(result)).toEqual(plain(bettiMatching(p, t, shape, { superlevel, strict })));
          expect([p, t]).toEqual([pCopy, tCopy]); // the inputs are read, never written
          // The previous call's arrays are the caller's: this call left them alone.
          if (previous) expect(plain(previous.result)).toEqual(previous.copy);
          previous = { result, copy: plain(result) };
        }
      });
});

test('two engines of different shapes interleaved', () => {
  const a = new BettiMatching([8, 8]);
  const b = new BettiMatching([3, 4, 5], { superlevel: true });
  const random = mulberry32(42);
  for (let call = 0; call < 6; call++) {
    const [p, t] = [draw(random, 64, call), draw(random, 64, call + 2)];
    const [q, u] = [draw(random, 60, call), draw(random, 60, call + 1)];
    expect(plain(a.match(p, t))).toEqual(plain(bettiMatching(p, t, [8, 8])));
    expect(plain(b.match(q, u))).toEqual(plain(bettiMatching(q, u, [3, 4, 5], { superlevel: true })));
  }
});

describe.each([[[20, 17]], [[5, 6, 7]]])('a target set once, shape %j', (shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  test('matchToTarget gives what match gives, for every prediction', () => {
    const random = mulberry32(size);
    const engine = new BettiMatching(shape, { superlevel: true });
    const target = draw(random, size, 1);
    engine.setTarget(target);
    const targetCopy = target.slice();
    target.fill(0.5); // the engine keeps its own copy of what it needs
    for (let call = 0; call < 6; call++) {
      const p = draw(random, size, call);
      expect(plain(engine.matchToTarget(p))).toEqual(plain(bettiMatching(p, targetCopy, shape, { superlevel: true })));
    }
    // match() replaces the target.
    const other = draw(random, size, 2);
    const p = draw(random, size, 0);
    engine.match(draw(random, size, 2), other);
    expect(plain(engine.matchToTarget(p))).toEqual(plain(bettiMatching(p, other, shape, { superlevel: true })));
  });
});

describe('loss and error', () => {
  test('a perfect prediction: loss 0, no unmatched bar', () => {
    const random = mulberry32(3);
    const x = Float64Array.from({ length: 12 * 13 }, () => random());
    const pairs = bettiMatching(x, x, [12, 13]);
    expect(bettiMatchingLoss(pairs, x, x)).toBe(0);
    expect(bettiMatchingError(pairs)).toEqual([0, 0]);
    expect(pairs[0].matched.predBirth.length).toBeGreaterThan(0);
  });

  test('the loss is the formula over the pairs, on the inputs’ own scale', () => {
    // Superlevel, binary target: a ring (one component, one hole) against a prediction with two blobs.
    const target = Float32Array.from([
      0, 0, 0, 0, 0, 0,
      0, 1, 1, 1, 1, 0,
      0, 1, 0, 0, 1, 0,
      0, 1, 1, 1, 1, 0,
      0, 0, 0, 0, 0, 0,
    ]); // prettier-ignore
    const prediction = Float32Array.from([
      0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
      0.1, 0.9, 0.8, 0.2, 0.7, 0.1,
      0.1, 0.6, 0.1, 0.1, 0.6, 0.1,
      0.1, 0.3, 0.3, 0.3, 0.6, 0.1,
      0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
    ]); // prettier-ignore
    const pairs = bettiMatching(prediction, target, [5, 6], { superlevel: true });
    let expected = 0;
    for (const { matched: m, unmatchedPred: up, unmatchedTarget: ut } of pairs) {
      for (let i = 0; i < m.predBirth.length; i++)
        expected +=
          2 *
          ((prediction[m.predBirth[i]] - target[m.targetBirth[i]]) ** 2 +
            (prediction[m.predDeath[i]] - target[m.targetDeath[i]]) ** 2);
      for (let i = 0; i < up.birth.length; i++) expected += (prediction[up.birth[i]] - prediction[up.death[i]]) ** 2;
      for (let i = 0; i < ut.birth.length; i++) expected += (target[ut.birth[i]] - target[ut.death[i]]) ** 2;
    }
    expect(bettiMatchingLoss(pairs, prediction, target)).toBeCloseTo(expected, 12);
    // The target's hole is matched to the prediction's, born when its ring closes at 0.2.
    expect(Array.from(pairs[1].matched.predBirth)).toEqual([9]);
    const binary = bettiMatching(
      Float32Array.from(prediction, (x) => (x >= 0.5 ? 1 : 0)),
      target,
      [5, 6],
      { superlevel: true },
    );
    // Binarized, the prediction has two components and no hole: one component and the hole unmatched.
    expect(bettiMatchingError(binary)).toEqual([1, 1]);
  });
});
