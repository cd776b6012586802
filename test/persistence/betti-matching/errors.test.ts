import { bettiMatching, BettiMatching } from '../../../src/persistence/betti-matching/betti-matching';

// Bad input fails loudly with a message naming the argument (DESIGN.md §3), never a wrong answer.
// `as any` lets the tests pass what a JavaScript caller could.
/* eslint-disable @typescript-eslint/no-explicit-any */

const ok = new Float64Array(12); // a valid 3×4 image

describe('shape', () => {
  test.each([
    ['rank 1', [12]],
    ['rank 4', [1, 3, 2, 2]],
    ['empty', []],
    ['a zero-size axis', [0, 12]],
    ['a zero-size axis in 3-D', [3, 0, 4]],
    ['a negative size', [-3, -4]],
    ['a fractional size', [1.5, 8]],
    ['NaN size', [NaN, 12]],
    ['too many elements', [1 << 16, 1 << 16]],
  ])('%s is rejected', (_, shape) => {
    expect(() => new BettiMatching(shape)).toThrow(/^shape: /);
  });

  test('a non-array shape is rejected', () => {
    expect(() => new BettiMatching('3,4' as any)).toThrow(/^shape: expected an array/);
    expect(() => bettiMatching(ok, ok, undefined as any)).toThrow(/^shape: /);
  });
});

describe('options', () => {
  test.each([null, 'superlevel', 3, [true]])('options %p is rejected', (options) => {
    expect(() => new BettiMatching([3, 4], options as any)).toThrow(/^options: expected an object/);
  });

  test.each(['yes', 1, null])('superlevel %p is rejected', (superlevel) => {
    expect(() => new BettiMatching([3, 4], { superlevel: superlevel as any })).toThrow(
      /^options\.superlevel: expected a boolean/,
    );
  });

  test.each(['no', 0])('strict %p is rejected', (strict) => {
    expect(() => new BettiMatching([3, 4], { strict: strict as any })).toThrow(/^options\.strict: expected a boolean/);
  });

  test('a misspelt option is rejected, not ignored', () => {
    expect(() => new BettiMatching([3, 4], { superLevel: true } as any)).toThrow(
      /^options\.superLevel: unknown option/,
    );
  });

  test('the options are read once, into fields', () => {
    const engine = new BettiMatching([3, 4], { superlevel: true });
    expect([engine.superlevel, engine.strict, engine.size, engine.shape]).toEqual([true, false, 12, [3, 4]]);
  });
});

describe('inputs', () => {
  const engine = new BettiMatching([64, 64]);
  const good = new Float32Array(4096);

  test('a wrong length names the input, the expected and the actual length', () => {
    expect(() => engine.match(new Float32Array(10), good)).toThrow(
      "prediction: expected length 4096 (the shape's size), got 10",
    );
    expect(() => engine.match(good, new Float64Array(4097))).toThrow(/^target: expected length 4096/);
    expect(() => engine.setTarget(new Float64Array(1))).toThrow(/^target: expected length 4096/);
    expect(() => engine.matchToTarget(new Float64Array(1))).toThrow(/^(prediction|target): /);
  });

  test.each([
    ['a plain array', [0, 1, 2, 3]],
    ['null', null],
    ['undefined', undefined],
    ['an Int32Array', Int32Array.of(0, 1, 2, 3)],
  ])('%s is rejected', (_, x) => {
    const small = new BettiMatching([2, 2]);
    const fine = new Float64Array(4);
    expect(() => small.match(x as any, fine)).toThrow(/^prediction: expected a Float32Array or Float64Array/);
    expect(() => small.match(fine, x as any)).toThrow(/^target: expected a Float32Array or Float64Array/);
    expect(() => bettiMatching(x as any, fine, [2, 2])).toThrow(/^prediction: /);
  });

  test.each([
    ['NaN', Float64Array.of(0, 1, NaN, 3)],
    ['NaN in float32', Float32Array.of(0, NaN, 2, 3)],
    ['+Infinity', Float64Array.of(0, 1, 2, Infinity)],
    ['−Infinity', Float32Array.of(-Infinity, 1, 2, 3)],
  ])('%s is rejected, with its index', (_, bad) => {
    const fine = new Float64Array(4);
    const index = bad.findIndex((x) => !Number.isFinite(x));
    for (const superlevel of [false, true]) {
      const small = new BettiMatching([2, 2], { superlevel });
      expect(() => small.match(bad, fine)).toThrow(
        new RegExp(`^prediction: expected finite numbers, got .* at index ${index}$`),
      );
      expect(() => small.match(fine, bad)).toThrow(
        new RegExp(`^target: expected finite numbers, got .* at index ${index}$`),
      );
    }
  });

  test('matchToTarget needs a target first', () => {
    const small = new BettiMatching([2, 2]);
    expect(() => small.matchToTarget(new Float64Array(4))).toThrow(/^target: none set/);
    // A target that fails its check is no target either.
    expect(() => small.setTarget(Float64Array.of(0, 1, NaN, 3))).toThrow(/^target: /);
    expect(() => small.matchToTarget(new Float64Array(4))).toThrow(/^target: none set/);
  });
});
