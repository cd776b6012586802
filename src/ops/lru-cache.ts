/**
 * A bounded get-or-make cache: at most `capacity` entries, the least recently used dropped first.
 * What keeps the ops' engines (one per shape and options) and the label terms' summaries.
 */
export class LruCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(readonly capacity: number) {}

  /** The value cached under `key`, made by `make()` on a miss. */
  get(key: string, make: () => T): T {
    let value = this.entries.get(key);
    if (value === undefined) {
      value = make();
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    } else this.entries.delete(key); // re-inserted below as the most recent
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A key for the content of a float array: what lets a loss find each label's summary again,
 * although `model.fit` hands it a fresh label tensor every batch. The length and two independent
 * 32-bit hashes of the bits, FNV-1a and a multiply-xorshift mix (a collision needs ~2^32 labels).
 */
export function contentKey(values: Float32Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let fnv = 0x811c9dc5;
  let mix = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    fnv = Math.imul(fnv ^ w, 0x01000193);
    mix = Math.imul(mix ^ (w + i), 0x85ebca6b);
    mix ^= mix >>> 13;
  }
  return `${values.length}:${fnv >>> 0}:${mix >>> 0}`;
}
