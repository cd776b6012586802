import {
  ripsPersistence,
  ripsPersistenceFromDistances,
  RipsOptions,
  RipsPersistence,
} from '../../../src/persistence/rips/rips';

describe('Rips bad input fails loudly', () => {
  const square = [0, 0, 1, 0, 1, 1, 0, 1];

  test.each([
    [[0, NaN, 1, 1], /points: expected finite numbers, got NaN at index 1/],
    [[0, 0, Infinity, 1], /points: expected finite numbers, got Infinity at index 2/],
    [new Float32Array([0, 0, 1, -Infinity]), /points: expected finite numbers, got -Infinity/],
  ])('non-finite coordinates %#', (points, message) => {
    expect(() => ripsPersistence(points as ArrayLike<number>, 2)).toThrow(message);
  });

  test('no points, wrong dimension, length not a multiple of the dimension', () => {
    expect(() => ripsPersistence([], 2)).toThrow(/points: expected at least one point, got 0 points/);
    expect(() => ripsPersistence(square, 0)).toThrow(/dimension: expected a positive integer, got 0/);
    expect(() => ripsPersistence(square, 1.5)).toThrow(/dimension: expected a positive integer, got 1.5/);
    expect(() => ripsPersistence(square, 3)).toThrow(
      /points: expected a length that is a multiple of dimension 3, got 8/,
    );
    expect(() => ripsPersistence('abc' as unknown as number[], 1)).toThrow(/points: expected an array of numbers/);
    expect(() => ripsPersistence(['a', 'b'] as unknown as number[], 1)).toThrow(
      /points: expected finite numbers, got 'a'/,
    );
  });

  test('distance matrices: shape, symmetry, sign, finiteness, diagonal', () => {
    expect(() => ripsPersistenceFromDistances([], 0)).toThrow(/n: expected a positive integer, got 0/);
    expect(() => ripsPersistenceFromDistances([0, 1, 1], 2)).toThrow(
      /distances: expected n×n = 4 entries for n = 2, got 3/,
    );
    expect(() => ripsPersistenceFromDistances([0, 1, 2, 0], 2)).toThrow(
      /distances: expected a symmetric matrix, got 1 at \(0, 1\) but 2 at \(1, 0\)/,
    );
    expect(() => ripsPersistenceFromDistances([0, -1, -1, 0], 2)).toThrow(
      /distances: expected finite non-negative numbers, got -1 at \(1, 0\)/,
    );
    expect(() => ripsPersistenceFromDistances([0, NaN, NaN, 0], 2)).toThrow(
      /distances: expected finite non-negative numbers, got NaN/,
    );
    expect(() => ripsPersistenceFromDistances([0, Infinity, Infinity, 0], 2)).toThrow(
      /distances: expected finite non-negative numbers, got Infinity/,
    );
    expect(() => ripsPersistenceFromDistances([1, 1, 1, 0], 2)).toThrow(
      /distances: expected a zero diagonal, got 1 at \(0, 0\)/,
    );
  });

  test.each([
    [{ maxDim: 3 }, /options.maxDim: expected 0, 1 or 2, got 3/],
    [{ maxDim: -1 }, /options.maxDim: expected 0, 1 or 2, got -1/],
    [{ maxDim: 1.5 }, /options.maxDim: expected 0, 1 or 2, got 1.5/],
    [{ threshold: 0 }, /options.threshold: expected a positive number, got 0/],
    [{ threshold: -1 }, /options.threshold: expected a positive number, got -1/],
    [{ threshold: NaN }, /options.threshold: expected a positive number, got NaN/],
    [{ threshold: '1' }, /options.threshold: expected a positive number, got '1'/],
    [{ keepZeroLength: 1 }, /options.keepZeroLength: expected a boolean, got 1/],
  ])('options %p', (options, message) => {
    expect(() => ripsPersistence(square, 2, options as unknown as RipsOptions)).toThrow(message);
    expect(() => new RipsPersistence(options as unknown as RipsOptions)).toThrow(message);
  });

  test('valid edge cases: one point, two points, infinite threshold, duplicates only', () => {
    expect(ripsPersistence([3], 1)[0].deaths).toEqual(new Float64Array([Infinity]));
    const [h0] = ripsPersistenceFromDistances([0, 2, 2, 0], 2, { threshold: Infinity });
    expect(Array.from(h0.deaths)).toEqual([2, Infinity]);
    const [a0, a1, a2] = ripsPersistence([1, 1, 1, 1, 1, 1], 2, { maxDim: 2 });
    expect(Array.from(a0.deaths)).toEqual([Infinity]);
    expect(a1.births.length + a2.births.length).toBe(0);
    // an edge longer than the threshold leaves two essential components
    const [t0] = ripsPersistenceFromDistances([0, 2, 2, 0], 2, { threshold: 1 });
    expect(Array.from(t0.deaths)).toEqual([Infinity, Infinity]);
  });
});
