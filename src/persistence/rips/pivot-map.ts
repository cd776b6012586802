/**
 * Pivot lookup for the cohomology reduction: an open-addressing hash map from simplex keys
 * (non-negative integers below 2^53, stored as doubles) to column slots (non-negative int32).
 * Linear probing in typed arrays, load factor ≤ 1/2, grows by doubling; `clear` keeps the memory.
 */
const EMPTY = -1;

export class PivotMap {
  private keys: Float64Array; // the key in each bucket, EMPTY if free
  private values: Int32Array; // the slot stored with it
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < 2 * capacity) c *= 2;
    this.keys = new Float64Array(c).fill(EMPTY);
    this.values = new Int32Array(c);
    this.mask = c - 1;
  }

  clear(): void {
    if (this.size > 0) this.keys.fill(EMPTY);
    this.size = 0;
  }

  /** The slot stored under `key`, or −1. */
  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let b = hash(key) & mask;
    for (;;) {
      const k = keys[b];
      if (k === key) return this.values[b];
      if (k === EMPTY) return -1;
      b = (b + 1) & mask;
    }
  }

  /** Stores `value` under `key` (which must not be present yet). */
  set(key: number, value: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let b = hash(key) & mask;
    while (keys[b] !== EMPTY) b = (b + 1) & mask;
    keys[b] = key;
    this.values[b] = value;
    this.size++;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const c = oldKeys.length * 2;
    this.keys = new Float64Array(c).fill(EMPTY);
    this.values = new Int32Array(c);
    this.mask = c - 1;
    this.size = 0;
    for (let b = 0; b < oldKeys.length; b++) if (oldKeys[b] !== EMPTY) this.set(oldKeys[b], oldValues[b]);
  }
}

/** Mixes both 32-bit halves of an integer-valued double (murmur3's finalizer). */
export function hash(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
