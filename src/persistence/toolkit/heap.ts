import { grown } from './growable.js';

/**
 * A binary min-heap of float64 keys, each carrying an int32 tag (say, which cursor produced the
 * key), in two typed arrays grown by doubling. Equal keys leave in no particular tag order.
 */
export class MinHeap {
  /** keys[0 .. size) in heap order: keys[0] is the smallest. */
  keys: Float64Array;
  /** tags[i] travels with keys[i]. */
  tags: Int32Array;
  size = 0;

  constructor(capacity = 256) {
    this.keys = new Float64Array(capacity);
    this.tags = new Int32Array(capacity);
  }

  push(key: number, tag: number): void {
    if (this.size === this.keys.length) this.reserve(1);
    this.siftUp(this.size++, key, tag);
  }

  /** Removes the smallest key (size ≥ 1). */
  pop(): void {
    const size = --this.size;
    if (size > 0) this.replaceTop(this.keys[size], this.tags[size]);
  }

  /**
   * Replaces the smallest key (size ≥ 1) by (key, tag), moving it down past smaller children: one
   * pass where a pop and a push take two. (Floyd's variant — the hole walks to a leaf first — was
   * 10 % slower for Rips cohomology, whose new keys mostly belong near the top.)
   */
  replaceTop(key: number, tag: number): void {
    const { keys, tags, size } = this;
    let i = 0;
    for (let child = 1; child < size; child = 2 * i + 1) {
      if (child + 1 < size && keys[child + 1] < keys[child]) child++;
      if (key <= keys[child]) break;
      keys[i] = keys[child];
      tags[i] = tags[child];
      i = child;
    }
    keys[i] = key;
    tags[i] = tag;
  }

  /** Puts (key, tag) at the free slot i, moving it up past larger parents. */
  private siftUp(i: number, key: number, tag: number): void {
    const { keys, tags } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk <= key) break;
      keys[i] = pk;
      tags[i] = tags[parent];
      i = parent;
    }
    keys[i] = key;
    tags[i] = tag;
  }

  /** Makes room for `extra` more entries without growing during the pushes. */
  reserve(extra: number): void {
    const need = this.size + extra;
    if (need <= this.keys.length) return;
    let length = 2 * this.keys.length;
    while (length < need) length *= 2;
    this.keys = grown(this.keys, length, this.size);
    this.tags = grown(this.tags, length, this.size);
  }
}
