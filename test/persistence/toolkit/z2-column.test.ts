import { cancelPairs, Z2Column, Z2ColumnStore, Z2HeapColumn } from '../../../src/persistence/toolkit/z2-column';
import { mulberry32, randomInt } from '../../reference/mulberry32';

/** Keys of odd multiplicity among all the lists, sorted: their sum over Z/2, counted by a Map. */
function z2Sum(...lists: number[][]): number[] {
  const count = new Map<number, number>();
  for (const list of lists) for (const k of list) count.set(k, (count.get(k) ?? 0) + 1);
  return [...count]
    .filter(([, c]) => c % 2 === 1)
    .map(([k]) => k)
    .sort((a, b) => a - b);
}

function randomColumn(random: () => number, size: number, range: number): number[] {
  return [...new Set(Array.from({ length: size }, () => randomInt(random, range)))].sort((a, b) => a - b);
}

describe('Z2Column and Z2ColumnStore', () => {
  test('adding columns is their sum over Z/2, through storage and growth', () => {
    const random = mulberry32(7);
    const column = new Z2Column();
    const store = new Z2ColumnStore();
    for (let trial = 0; trial < 50; trial++) {
      const parts = Array.from({ length: 1 + randomInt(random, 6) }, () =>
        randomColumn(random, randomInt(random, 300), 400),
      );
      column.set(Int32Array.from(parts[0]), 0, parts[0].length);
      for (const part of parts.slice(1)) {
        const padded = Int32Array.from([-5, ...part, -5]); // a range inside a larger array
        column.add(padded, 1, 1 + part.length);
      }
      const expected = z2Sum(...parts);
      expect(Array.from(column.keys.subarray(0, column.size))).toEqual(expected);
      const id = store.store(column);
      expect(Array.from(store.entries.subarray(store.start(id), store.end(id)))).toEqual(expected);
    }
    store.reset();
    column.set(Int32Array.of(4, 9), 0, 2);
    expect(store.store(column)).toBe(0);
    expect(Array.from(store.entries.subarray(store.start(0), store.end(0)))).toEqual([4, 9]);
  });

  test('a column plus itself is zero', () => {
    const column = new Z2Column();
    const keys = Int32Array.of(1, 5, 8);
    column.set(keys, 0, 3);
    column.add(keys, 0, 3);
    expect(column.size).toBe(0);
  });
});

describe('Z2HeapColumn', () => {
  test('pops the keys of odd multiplicity in increasing order, compacting and growing as needed', () => {
    const random = mulberry32(11);
    for (const pushes of [10, 5000, 20_000]) {
      const column = new Z2HeapColumn();
      const pushed: number[] = [];
      for (let k = 0; k < pushes; k++) {
        const key = randomInt(random, pushes / 2) * 2 ** 30; // large integer keys, as Rips keys are
        column.reserve(1);
        column.push(key);
        pushed.push(key);
      }
      const popped: number[] = [];
      for (let pivot = column.popPivot(); pivot >= 0; pivot = column.popPivot()) popped.push(pivot);
      expect(popped).toEqual(z2Sum(pushed));
    }
  });

  test('cancelPairs keeps one copy of each value of odd multiplicity, sorted', () => {
    const a = Float64Array.of(3, 1, 3, 2, 3, 1, 7, 0);
    expect(Array.from(a.subarray(0, cancelPairs(a, 7)))).toEqual([2, 3, 7]);
  });
});
