import { BettiMatching } from '../../../src/persistence/betti-matching/betti-matching';
import { bettiMatchingLoss } from '../../../src/persistence/betti-matching/loss';
import { BettiMatchingPairs } from '../../../src/persistence/betti-matching/result';
import { SparseBettiMatching } from '../../../src/persistence/betti-matching/sparse-betti-matching';
import { mulberry32, randomInt } from '../../reference/mulberry32';

// The sparse engine against the dense one on the same inputs set, outside the kept vertices, to a
// value beyond all others (the floor made strict): every bar and match that does not reach the
// floor is the dense engine's, exactly; the classes that reach it are the same births on both
// sides, all matched, and where one class per dimension reaches it the whole result is the dense
// one. The dense engine is checked against the authors' code and a brute force elsewhere.

type Quad = [number, number, number, number];

/** One dimension of a result, with every death outside `kept` read as the floor (−1). */
function normalized(pairs: BettiMatchingPairs, kept: (i: number) => boolean) {
  const at = (i: number) => (i >= 0 && kept(i) ? i : -1);
  const { predBirth, predDeath, targetBirth, targetDeath } = pairs.matched;
  const matched: Quad[] = Array.from(predBirth, (b, j) => [b, at(predDeath[j]), targetBirth[j], at(targetDeath[j])]);
  const unmatched = (u: { birth: Int32Array; death: Int32Array }) =>
    Array.from(u.birth, (b, j) => [b, at(u.death[j])]).sort(byEntries);
  return {
    kept: matched.filter((q) => q[1] >= 0 && q[3] >= 0).sort(byEntries),
    floor: matched.filter((q) => q[1] < 0 || q[3] < 0),
    unmatchedPred: unmatched(pairs.unmatchedPred),
    unmatchedTarget: unmatched(pairs.unmatchedTarget),
  };
}

const byEntries = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

/** Heavy ties, mostly-foreground masks (cavities) or continuous values. */
function draw(random: () => number, size: number, kind: number): Float64Array {
  return Float64Array.from({ length: size }, () =>
    kind === 0 ? randomInt(random, 5) / 4 : kind === 1 ? +(random() < 0.7) : random(),
  );
}

/** x with about one entry in eight redrawn: a target close to the prediction, so that most bars match. */
function perturbed(random: () => number, x: Float64Array, kind: number): Float64Array {
  const y = draw(random, x.length, kind);
  return x.map((v, i) => (random() < 0.125 ? y[i] : v));
}

const shapes = [
  [6, 7],
  [12, 12],
  [4, 5, 6],
  [7, 7, 7],
];

describe.each(shapes.map((s) => [s]))('sparse against dense on %j', (shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  for (const superlevel of [false, true])
    for (const strict of [false, true])
      test(`${superlevel ? 'superlevel' : 'sublevel'}${strict ? ', strict' : ''}`, () => {
        const random = mulberry32(size * 4 + (superlevel ? 1 : 0) + (strict ? 2 : 0));
        const dense = new BettiMatching(shape, { superlevel, strict });
        const engines = new Map<number, SparseBettiMatching>();
        let floorClasses = 0;
        const keptMatches = shape.map(() => 0);
        for (let call = 0; call < 48; call++) {
          const kind = randomInt(random, 3);
          const p = draw(random, size, kind);
          const l = random() < 0.5 ? draw(random, size, randomInt(random, 3)) : perturbed(random, p, kind);
          const threshold = [0.05, 0.25, 0.5, 0.75, 0.95][randomInt(random, 5)];
          // One engine per threshold, reused: nothing a call leaves behind may change the next.
          const sparse = engines.get(threshold) ?? new SparseBettiMatching(shape, { superlevel, strict, threshold });
          engines.set(threshold, sparse);
          const result = sparse.match(p, l);
          const sign = superlevel ? -1 : 1;
          const passes = (i: number) => Math.min(sign * p[i], sign * l[i]) <= sign * threshold;
          const beyond = superlevel ? Math.min(...p, ...l) - 1 : Math.max(...p, ...l) + 1;
          const clamp = (x: Float64Array) => x.map((v, i) => (passes(i) ? v : beyond));
          const reference = dense.match(clamp(p), clamp(l));
          expect(result.kept).toBe(Array.from(p, (_, i) => i).filter(passes).length);
          expect(result.floor).toBe(superlevel ? Math.min(...p, ...l) : Math.max(...p, ...l));
          for (let dim = 0; dim < shape.length; dim++) {
            const ours = normalized(result.pairs[dim], passes);
            const theirs = normalized(reference[dim], passes);
            expect(ours.kept).toEqual(theirs.kept);
            expect(ours.unmatchedPred).toEqual(theirs.unmatchedPred);
            expect(ours.unmatchedTarget).toEqual(theirs.unmatchedTarget);
            // At the floor: deaths on both sides, the same births, paired in order of birth.
            for (const q of [...ours.floor, ...theirs.floor]) expect([q[1], q[3]]).toEqual([-1, -1]);
            const births = (f: Quad[], k: number) => f.map((q) => q[k]).sort((a, b) => a - b);
            expect(births(ours.floor, 0)).toEqual(births(theirs.floor, 0));
            expect(births(ours.floor, 2)).toEqual(births(theirs.floor, 2));
            if (theirs.floor.length === 1) expect(ours.floor).toEqual(theirs.floor);
            floorClasses += ours.floor.length;
            keptMatches[dim] += ours.kept.length;
          }
        }
        // The floor was exercised, and so were matches among the kept cells (of cavities too: below).
        expect(floorClasses).toBeGreaterThan(0);
        expect(keptMatches[0] * keptMatches[1]).toBeGreaterThan(0);
      });
});

/** A map of `shape` that is `value(coordinates)` plus noise of amplitude 0.05 (seeded). */
function field(shape: number[], seed: number, value: (c: number[]) => number): Float64Array {
  const random = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return Float64Array.from({ length: size }, (_, i) => {
    const c = shape.map((_, a) => Math.floor(i / shape.slice(a + 1).reduce((x, y) => x * y, 1)) % shape[a]);
    const v = value(c);
    return v === 0 ? 0 : v + 0.05 * (random() - 0.5);
  });
}

/** Chebyshev distance of c from the point `center`. */
const ring = (c: number[], center: number[]) => Math.max(...c.map((x, a) => Math.abs(x - center[a])));

describe('sparse equals dense where the threshold keeps every bar that matters', () => {
  // Rings (2-D) and shells (3-D) of value ≈ 1 around a core of ≈ 0.5, on a background at exactly 0
  // (the floor): with threshold 0.25 the kept cells are the rings and their cores, the loops and
  // cavities die inside them, and the background is flat at the floor — the dense result is the
  // sparse one, bar for bar (a death outside the kept vertices read as the floor), and so is the loss.
  const cases: [string, number[], number[][], number[][]][] = [
    [
      'two rings against one',
      [20, 20],
      [
        [6, 6],
        [13, 12],
      ],
      [[6, 7]],
    ],
    ['a shell against a shifted shell', [12, 12, 12], [[5, 5, 5]], [[6, 5, 6]]],
    [
      'two shells against two',
      [10, 10, 20],
      [
        [4, 4, 4],
        [5, 5, 14],
      ],
      [
        [4, 5, 4],
        [5, 4, 15],
      ],
    ],
  ];
  const shaped = (shape: number[], centers: number[][], seed: number) =>
    field(shape, seed, (c) => {
      const d = Math.min(...centers.map((m) => ring(c, m)));
      return d === 3 ? 1 : d < 3 ? 0.5 : 0;
    });
  test.each(cases)('%s', (_, shape, predCenters, targetCenters) => {
    const p = shaped(shape, predCenters, 1);
    const l = shaped(shape, targetCenters, 2);
    const dense = new BettiMatching(shape, { superlevel: true }).match(p, l);
    const sparse = new SparseBettiMatching(shape, { superlevel: true, threshold: 0.25 }).match(p, l);
    expect(sparse.floor).toBe(0);
    expect(sparse.kept).toBeLessThan(p.length / 2);
    // Read as floor: the dense deaths outside the kept vertices (background, at value 0).
    const passes = (i: number) => Math.max(p[i], l[i]) >= 0.25;
    for (let dim = 0; dim < shape.length; dim++)
      expect(normalized(sparse.pairs[dim], passes)).toEqual(normalized(dense[dim], passes));
    expect(bettiMatchingLoss(sparse.pairs, p, l, sparse.floor)).toBe(bettiMatchingLoss(dense, p, l));
    const top = sparse.pairs[shape.length - 1];
    expect(top.matched.predBirth.length).toBeGreaterThan(0); // a loop or cavity matched inside the kept cells
  });
});

test('with every vertex kept, the sparse engine is the dense one', () => {
  const random = mulberry32(7);
  for (const shape of [
    [9, 11],
    [5, 6, 7],
  ])
    for (const superlevel of [false, true]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const p = draw(random, size, 0);
      const l = draw(random, size, 1);
      const threshold = superlevel ? 0 : 1;
      const sparse = new SparseBettiMatching(shape, { superlevel, threshold }).match(p, l);
      const dense = new BettiMatching(shape, { superlevel }).match(p, l);
      expect(sparse.kept).toBe(size);
      expect(sparse.pairs).toEqual(dense);
    }
});

test('with no vertex kept, nothing is matched', () => {
  const p = Float32Array.of(0.1, 0.2, 0.3, 0.2, 0.1, 0);
  const result = new SparseBettiMatching([2, 3], { superlevel: true, threshold: 0.5 }).match(p, p);
  expect(result.kept).toBe(0);
  for (const dim of result.pairs) {
    expect(dim.matched.predBirth.length + dim.unmatchedPred.birth.length + dim.unmatchedTarget.birth.length).toBe(0);
  }
});

test('errors name the argument', () => {
  const shape = [2, 3];
  const ok = new Float32Array(6);
  expect(() => new SparseBettiMatching(shape, undefined as never)).toThrow(
    'options.threshold: expected a finite number, got undefined',
  );
  expect(() => new SparseBettiMatching(shape, { threshold: NaN })).toThrow(
    'options.threshold: expected a finite number, got NaN',
  );
  expect(() => new SparseBettiMatching(shape, { threshold: 0, sparse: 1 } as never)).toThrow('options.sparse');
  expect(() => new SparseBettiMatching([2], { threshold: 0 })).toThrow('shape: expected 2 or 3 axes');
  const engine = new SparseBettiMatching(shape, { threshold: 0.5 });
  expect(() => engine.match(new Float32Array(5), ok)).toThrow('prediction: expected length 6');
  expect(() => engine.match(ok, [0, 0, 0, 0, 0, 0] as never)).toThrow(
    'target: expected a Float32Array or Float64Array',
  );
  expect(() => engine.match(Float32Array.of(0, 0, NaN, 0, 0, 0), ok)).toThrow(
    'prediction: expected finite numbers, got NaN at index 2',
  );
  expect(() => engine.match(ok, Float32Array.of(0, 0, 0, 0, Infinity, 0))).toThrow(
    'target: expected finite numbers, got Infinity at index 4',
  );
  // Two blobs of the prediction, kept apart: the younger dies at the floor.
  const result = new SparseBettiMatching(shape, { superlevel: true, threshold: 0.5 }).match(
    Float32Array.of(1, 0, 0, 0, 0, 1),
    ok,
  );
  expect(result.pairs[0].matched.predDeath).toEqual(Int32Array.of(-1));
  expect(() => bettiMatchingLoss(result.pairs, ok, ok)).toThrow(
    "floor: deaths at the floor (index −1) need the sparse result's floor",
  );
});
