/**
 * A bounded cache keyed by the content of a float array: what lets a loss compute each label's
 * summary once, although `model.fit` hands it a fresh label tensor every batch. The key is the
 * length and two independent 32-bit hashes of the bits (a collision needs ~2^32 labels); the
 * least recently used entry goes first.
 */
export class ContentCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(readonly capacity: number) {}

  /** The value cached for `values`, made by `make()` on a miss. */
  get(values: Float32Array, make: () => T): T {
    const key = contentKey(values);
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

/** Length and two hashes (FNV-1a and a multiply-xorshift mix) of the array's bits. */
function contentKey(values: Float32Array): string {
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
