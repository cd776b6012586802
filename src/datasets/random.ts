import { mulberry32 } from '../base/random.js';

// Local aliases: the hot loops avoid looking up globals, which is slow in sandboxed contexts (jest's vm).
const { floor, sqrt, log, sin, cos, imul, PI } = Math;

/**
 * The draws a generator needs, on one mulberry32 stream (`src/base/random.ts`): every image is
 * drawn from its own stream, so it depends only on its seed.
 */
export class Draws {
  private readonly next: () => number;
  private spare = NaN; // the second normal of the last Box–Muller pair (NaN: none)

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform in [lo, hi) for a `[lo, hi]` pair. */
  between([lo, hi]: readonly [number, number]): number {
    return lo + (hi - lo) * this.next();
  }

  /** A uniform integer in lo..hi (both included). */
  int(lo: number, hi: number): number {
    return lo + floor((hi - lo + 1) * this.next());
  }

  /** Standard normal (Box–Muller, both of each pair used; 1 − U is in (0, 1], so its logarithm is finite). */
  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const r = sqrt(-2 * log(1 - this.next()));
    const a = 2 * PI * this.next();
    this.spare = r * sin(a);
    return r * cos(a);
  }

  /** −1 or +1 with equal odds. */
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }

  /** An integer whose mean is `mean` ≥ 0: ⌊mean⌋, plus one with probability mean − ⌊mean⌋. */
  count(mean: number): number {
    const whole = floor(mean);
    return whole + (this.next() < mean - whole ? 1 : 0);
  }
}

/** A 32-bit integer hash (the finaliser of MurmurHash3 with better constants; bijective on 32 bits). */
export function hash32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A seed for item `index` of stream `stream` under `seed`: independent-looking streams, no shared state. */
export function childSeed(seed: number, stream: number, index: number): number {
  return hash32((hash32((hash32(seed >>> 0) ^ imul(stream + 1, 0x9e3779b9)) >>> 0) + index) >>> 0);
}
