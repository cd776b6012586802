/** Typed arrays the engines grow by doubling. */
export type GrowableArray = Int32Array | Float64Array;

/** A new array of the same type and `length` (≥ a.length) holding a's first `keep` entries (default: all). */
export function grown<T extends GrowableArray>(a: T, length: number, keep = a.length): T {
  const out = new (a.constructor as new (length: number) => T)(length);
  out.set(a.subarray(0, keep));
  return out;
}
