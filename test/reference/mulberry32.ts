/** The library's seeded PRNG, so property tests are reproducible; plus integer draws. */
export { mulberry32 } from '../../src/base/random';

/** A uniform integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
