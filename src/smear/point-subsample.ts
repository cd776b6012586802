import { mulberry32 } from '../base/random.js';
import { checkInteger, checkKeys, checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';

/**
 * How the points of an approximate are chosen.
 *
 * @category Smearing
 */
export type PointSampling = 'uniform' | 'farthest';

/**
 * Options of `PointSubsample`: points per approximate, jitter, sampling and seed.
 *
 * @category Smearing
 */
export interface PointSubsampleOptions {
  /** Points per approximate, m ≥ 2 (clouds with at most m points are used whole). */
  size: number;
  /** Half-width ε ≥ 0 of the jitter: every coordinate of every chosen point gets U[−ε, ε] added. Default 0. */
  jitter?: number;
  /**
   * `'uniform'` (default): m distinct points, uniformly at random. `'farthest'`: greedy
   * farthest-point sampling from a random first point — an even cover of the cloud, so small
   * features survive subsampling; random only through its start (and the jitter).
   */
  sampling?: PointSampling;
  /** Seed of the random stream; successive draws are fresh samples from it. Default: random. */
  seed?: number;
}

/**
 * One approximate of a cloud: the chosen points and their displacement.
 *
 * @category Smearing
 */
export interface PointDraw {
  /** Indices into the cloud of the m chosen points. */
  readonly indices: Int32Array;
  /** m × d displacements, row-major; absent when jitter is 0. */
  readonly jitter?: Float64Array;
}

/**
 * STUMP approximates of a point cloud (paper, Section IV.B): a random subset of m points, each
 * jittered by uniform noise. The Rips diagram of an approximate costs a fraction of the whole
 * cloud's (Rips cost grows like n³ in H1), and averaging Φ over draws spreads the gradient over
 * many points instead of the few on the whole cloud's critical edges.
 *
 * @throws Error naming `options` / `options.<key>` when constructed: not an object, an unknown
 *   key, `size` not an integer ≥ 2, `jitter` not a finite float32 number ≥ 0, `sampling` other
 *   than 'uniform' or 'farthest', `seed` not a safe integer; `draw` names its arguments likewise.
 * @example
 * ```js
 * const subsample = new PointSubsample({ size: 3, jitter: 0.01, seed: 1 });
 * const cloud = [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5]; // n = 5 points in the plane (d = 2), row-major
 * const { indices, jitter } = subsample.draw(cloud, 5, 2);
 * // indices: 3 distinct points of the 5; jitter: 3 × 2 displacements in [−0.01, 0.01]
 * ```
 * @category Smearing
 */
export class PointSubsample {
  /** Points per approximate, m. */
  readonly size: number;
  /** Half-width ε of the jitter. */
  readonly jitter: number;
  /** How the points of an approximate are chosen. */
  readonly sampling: PointSampling;
  /** Seed of the random stream (drawn at construction when none was given): reuse it to replay a run. */
  readonly seed: number;
  private readonly random: () => number;
  private permutation = new Int32Array(0); // uniform: a permutation of 0..n−1, shuffled in place
  private nearest = new Float64Array(0); // farthest: squared distance of each point to the chosen set

  constructor(options: PointSubsampleOptions) {
    if (options === null || typeof options !== 'object')
      throw new Error(`options: expected an object { size, jitter?, sampling?, seed? }, got ${describe(options)}`);
    checkKeys(options, ['size', 'jitter', 'sampling', 'seed'], 'options');
    const { size, jitter = 0, sampling = 'uniform', seed } = options;
    if (!Number.isInteger(size) || size < 2)
      throw new Error(`options.size: expected an integer ≥ 2 (points per approximate), got ${describe(size)}`);
    checkNumber(jitter, 'options.jitter', 0, 0, FLOAT32_MAX); // added to float32 values
    if (sampling !== 'uniform' && sampling !== 'farthest')
      throw new Error(`options.sampling: expected 'uniform' or 'farthest', got ${describe(sampling)}`);
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
      throw new Error(`options.seed: expected an integer, got ${describe(seed)}`);
    this.size = size;
    this.jitter = jitter;
    this.sampling = sampling;
    this.seed = seed ?? Math.floor(Math.random() * 2 ** 32);
    this.random = mulberry32(this.seed);
  }

  /**
   * Draws one approximate of the cloud of n points in R^d stored row-major in `coords` (offset
   * `start` points in).
   *
   * @throws Error naming `coords` (not an array or typed array, or too short for the cloud), `n`
   *   or `d` (not an integer ≥ 1), or `start` (not an integer ≥ 0).
   */
  draw(coords: ArrayLike<number>, n: number, d: number, start = 0): PointDraw {
    if (!(Array.isArray(coords) || (ArrayBuffer.isView(coords) && !(coords instanceof DataView))))
      throw new Error(`coords: expected an array or typed array of coordinates, got ${describe(coords)}`);
    checkInteger(n, 'n', undefined, 1);
    checkInteger(d, 'd', undefined, 1);
    checkInteger(start, 'start', 0, 0);
    if (coords.length < (start + n) * d)
      throw new Error(
        `coords: expected at least ${(start + n) * d} values (${n} points of ${d} coordinates from point ${start}), got ${coords.length}`,
      );
    const m = Math.min(this.size, n);
    const indices = this.sampling === 'uniform' ? this.uniform(n, m) : this.farthest(coords, n, d, m, start);
    if (this.jitter === 0) return { indices };
    const jitter = new Float64Array(m * d);
    for (let i = 0; i < jitter.length; i++) jitter[i] = (2 * this.random() - 1) * this.jitter;
    return { indices, jitter };
  }

  /** m distinct indices by a partial Fisher–Yates shuffle: O(m) per draw after the first. */
  private uniform(n: number, m: number): Int32Array {
    if (this.permutation.length !== n) this.permutation = Int32Array.from({ length: n }, (_, i) => i);
    const p = this.permutation;
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(this.random() * (n - i));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p.slice(0, m);
  }

  /** Greedy farthest-point sampling from a random start: each next point is the farthest from those chosen (ties: lowest index). */
  private farthest(coords: ArrayLike<number>, n: number, d: number, m: number, start: number): Int32Array {
    if (this.nearest.length < n) this.nearest = new Float64Array(n);
    const nearest = this.nearest.fill(Infinity, 0, n);
    const indices = new Int32Array(m);
    let next = Math.floor(this.random() * n);
    const base = start * d;
    for (let c = 0; c < m; c++) {
      indices[c] = next;
      nearest[next] = -1; // chosen: never chosen again, even among duplicate points
      const o = base + next * d;
      let best = -1;
      let bestDistance = -1;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0, q = base + i * d; k < d; k++) {
          const t = coords[q + k] - coords[o + k];
          s += t * t;
        }
        if (s < nearest[i]) nearest[i] = s; // (a chosen point's −1 is never replaced)
        if (nearest[i] > bestDistance) {
          bestDistance = nearest[i];
          best = i;
        }
      }
      next = best;
    }
    return indices;
  }
}
