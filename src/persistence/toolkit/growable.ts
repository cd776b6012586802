/** Typed arrays the engines grow by doubling. */
export type GrowableArray = Int32Array | Uint32Array | Float32Array | Float64Array;

/** A new array of the same type and `length` (≥ a.length) holding a's first `keep` entries (default: all). */
export function grown<T extends GrowableArray>(a: T, length: number, keep = a.length): T {
  const out = new (a.constructor as new (length: number) => T)(length);
  out.set(a.subarray(0, keep));
  return out;
}

/**
 * `a` when it holds at least `need` entries; else a copy of its first `keep` entries in an array
 * at least twice as long, so that n appends cost O(n) copies in all.
 */
export function withRoom<T extends GrowableArray>(a: T, need: number, keep = a.length): T {
  if (need <= a.length) return a;
  let length = Math.max(2 * a.length, 16);
  while (length < need) length *= 2;
  return grown(a, length, keep);
}
