import { RadixArgsort } from '../../../src/persistence/toolkit/radix-argsort';
import { mulberry32, randomInt } from '../../reference/mulberry32';

/** The argsort by (value, index), or (−value, index): JavaScript's stable comparison sort. */
function referenceOrder(keys: ArrayLike<number>, descending: boolean): number[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  return idx.sort((a, b) => (descending ? keys[b] - keys[a] : keys[a] - keys[b]) || a - b);
}

describe('RadixArgsort', () => {
  const sorter = new RadixArgsort();

  test.each([
    ['float32 with heavy ties', () => Float32Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 13) - 6)],
    [
      'float32 of every magnitude and sign',
      () => {
        const random = mulberry32(3);
        return Float32Array.from(
          { length: 5000 },
          () => (random() - 0.5) * 10 ** (randomInt(random, 76) - 38) * (random() < 0.1 ? 0 : 1),
        );
      },
    ],
    [
      'float64 that are float32 values (one word)',
      () => Float64Array.from({ length: 2000 }, (_, i) => Math.fround(Math.sin(i) * 1e3)),
    ],
    [
      'float64 needing both words, close pairs',
      () => {
        const random = mulberry32(5);
        return Float64Array.from(
          { length: 4000 },
          (_, i) => 1 + (i % 3) * Number.EPSILON + (random() < 0.5 ? -1e-300 : 1e300) * random(),
        );
      },
    ],
  ])('%s: ascending and descending equal a stable comparison sort', (_, make) => {
    const keys = make();
    for (const descending of [false, true])
      expect(Array.from(sorter.sort(keys, keys.length, descending))).toEqual(referenceOrder(keys, descending));
  });

  test('−0 and +0 tie (the index decides); a payload is carried; a prefix of the keys is sorted', () => {
    const keys = Float64Array.of(0, -0, -1, 0, 5, -0, 99);
    expect(Array.from(sorter.sort(keys, 6, false))).toEqual([2, 0, 1, 3, 5, 4]);
    const payload = Uint32Array.of(10, 11, 12, 13, 14, 15, 16);
    expect(Array.from(sorter.sort(keys, 6, true, payload))).toEqual([14, 10, 11, 13, 15, 12]);
  });

  test('spare: the inverse of the last order, and room for as many words as asked', () => {
    sorter.sort(
      Float32Array.from({ length: 50 }, (_, i) => i),
      50,
    ); // scratch longer than the next input
    const keys = Float32Array.of(5, -1, 5, 2, 0, 7, 2);
    const order = Array.from(sorter.sort(keys, keys.length));
    const { ranks, wordsA, wordsB } = sorter.spare(80);
    expect(Array.from(ranks)).toEqual([4, 0, 5, 2, 1, 6, 3]);
    expect(order.map((i) => ranks[i])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([wordsA.length, wordsB.length]).toEqual([80, 80]);
    wordsA.fill(-1);
    wordsB.fill(-2);
    expect(Array.from(ranks)).toEqual([4, 0, 5, 2, 1, 6, 3]); // three separate arrays
    expect(Array.from(sorter.sort(keys, keys.length))).toEqual(order); // and the sorter still sorts
  });

  test('reuses its memory and grows when a longer input comes', () => {
    const short = sorter.sort(Float32Array.of(3, 1, 2), 3);
    expect(Array.from(short.subarray(0, 3))).toEqual([1, 2, 0]);
    const keys = Float32Array.from({ length: 10_000 }, (_, i) => -i);
    expect(sorter.sort(keys, keys.length)[0]).toBe(9999);
  });

  test('non-finite keys are refused, naming the argument and the index', () => {
    expect(() => sorter.sort(Float32Array.of(1, NaN), 2)).toThrow(
      'values: expected finite numbers, got NaN at index 1',
    );
    expect(() => sorter.sort(Float64Array.of(Infinity), 1, false, undefined, 'distances')).toThrow(
      /^distances: .*Infinity at index 0/,
    );
  });
});
