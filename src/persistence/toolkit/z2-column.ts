import { withRoom } from './growable.js';
import { MinHeap } from './heap.js';

/**
 * A column of a (co)boundary matrix over Z/2 while it is reduced: its nonzero rows as increasing
 * integer keys, so its pivot (the smallest key) is `keys[0]`. Adding another column is a merge in
 * which equal keys cancel (1 + 1 = 0). The cubical and lower-star reductions use it; Rips, whose
 * columns are long and mostly cancel, uses the heap form below.
 */
export class Z2Column {
  /** keys[0 .. size): the column's rows, increasing. */
  keys = new Int32Array(64);
  size = 0;
  private spare = new Int32Array(64); // merge target, swapped with keys

  /** Makes room for `n` keys, keeping none: the caller then writes keys[0..n) and sets size. */
  reserve(n: number): Int32Array {
    if (n > this.keys.length) this.keys = withRoom(this.keys, n, 0);
    return this.keys;
  }

  /** this ← src[from .. to) (increasing keys). */
  set(src: Int32Array, from: number, to: number): void {
    const keys = this.reserve(to - from);
    for (let i = from; i < to; i++) keys[i - from] = src[i];
    this.size = to - from;
  }

  /** this ← this + src[from .. to) over Z/2: a merge of two increasing lists, equal keys cancel. */
  add(src: Int32Array, from: number, to: number): void {
    const na = this.size;
    if (this.spare.length < na + to - from) this.spare = withRoom(this.spare, na + to - from, 0);
    const a = this.keys;
    const out = this.spare;
    let i = 0;
    let j = from;
    let n = 0;
    while (i < na && j < to) {
      const x = a[i];
      const y = src[j];
      if (x < y) {
        out[n++] = x;
        i++;
      } else if (y < x) {
        out[n++] = y;
        j++;
      } else {
        i++; // equal keys cancel
        j++;
      }
    }
    while (i < na) out[n++] = a[i++];
    while (j < to) out[n++] = src[j++];
    this.keys = out;
    this.spare = a;
    this.size = n;
  }
}

/**
 * Reduced columns kept back to back for later additions, each named by the id `store` returns:
 * column `id` is entries[start(id) .. end(id)).
 */
export class Z2ColumnStore {
  entries = new Int32Array(1024);
  private starts = new Int32Array(65); // starts[id], and starts[count] = the next free entry
  private count = 0;

  /** Forgets every column, keeping the memory. */
  reset(): void {
    this.count = 0;
  }

  /** Keeps a copy of `column`; returns its id. */
  store(column: Z2Column): number {
    const id = this.count++;
    const from = this.starts[id];
    const to = from + column.size;
    this.starts = withRoom(this.starts, id + 2);
    this.entries = withRoom(this.entries, to, from);
    this.entries.set(column.keys.subarray(0, column.size), from);
    this.starts[id + 1] = to;
    return id;
  }

  start(id: number): number {
    return this.starts[id];
  }

  end(id: number): number {
    return this.starts[id + 1];
  }
}

/**
 * A column over Z/2 kept as a min-heap of keys in which repeated keys cancel in pairs when they
 * reach the top (Ripser's working coboundary): adding a column pushes its keys, overlap or not.
 * A full heap is first compacted — sorted (a sorted array is a heap), equal pairs cancelled — and
 * grown only if that frees too little: the column is usually far smaller than the sum of the
 * columns added to it.
 */
export class Z2HeapColumn {
  private readonly heap = new MinHeap(1 << 12); // tags unused

  clear(): void {
    this.heap.size = 0;
  }

  /** Makes room for `extra` pushes. */
  reserve(extra: number): void {
    const heap = this.heap;
    if (heap.size + extra <= heap.keys.length) return;
    heap.size = cancelPairs(heap.keys, heap.size);
    if (2 * (heap.size + extra) > heap.keys.length) heap.reserve(heap.size + 2 * extra);
  }

  push(key: number): void {
    this.heap.push(key, 0);
  }

  /** Removes and returns the pivot, the smallest key of odd multiplicity; −1 when the column is zero. */
  popPivot(): number {
    const heap = this.heap;
    const keys = heap.keys;
    while (heap.size > 0) {
      const top = keys[0];
      heap.pop();
      if (heap.size > 0 && keys[0] === top) {
        heap.pop(); // a pair of equal keys cancels
        continue;
      }
      return top;
    }
    return -1;
  }
}

/** Sorts a[0..size) and keeps one copy of each value of odd multiplicity (Z/2); returns the new size. */
export function cancelPairs(a: Float64Array, size: number): number {
  if (size < 2) return size;
  const sorted = a.subarray(0, size).sort();
  let kept = 0;
  for (let k = 0; k < size;) {
    let j = k + 1;
    while (j < size && sorted[j] === sorted[k]) j++;
    if ((j - k) & 1) a[kept++] = sorted[k];
    k = j;
  }
  return kept;
}

/**
 * Inserts `key` into the sorted run out[0..n) (tiny runs: an edge has four cofaces, a square four
 * sides) and returns the new count; a negative key is a row left out, and skipped.
 */
export function insertSorted(out: Int32Array, n: number, key: number): number {
  if (key < 0) return n;
  let i = n;
  while (i > 0 && out[i - 1] > key) {
    out[i] = out[i - 1];
    i--;
  }
  out[i] = key;
  return n + 1;
}
