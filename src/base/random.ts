/**
 * mulberry32, a small seeded PRNG with a 32-bit state: reproducible random streams for smearing,
 * the demo's inputs and the tests.
 */
function mulberry32Bits(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform draws in [0, 1). */
export function mulberry32(seed: number): () => number {
  const bits = mulberry32Bits(seed);
  return () => bits() / 4294967296;
}

/** Uniform draws in the open interval (0, 1): never 0 or 1, so −log U is finite and positive. */
export function uniformOpen(seed: number): () => number {
  const bits = mulberry32Bits(seed);
  return () => (bits() + 0.5) / 4294967296;
}
