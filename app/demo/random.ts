/**
 * mulberry32, a seeded PRNG with a 32-bit state: the demo's inputs (noise, clouds, meshes, cells)
 * are the same on every run and machine for a given `--seed`. (The library's smears draw from
 * their own seeded generators; the app keeps its inputs' stream apart from them.)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
