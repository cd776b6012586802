import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOptions, describe } from '../base/checks.js';
import { checkDiagramSet, DiagramSet } from './diagram-set.js';

/**
 * Vectorizations: each map's diagram of one dimension as a fixed-size vector, differentiable
 * through the pairs tensor (so through the critical cells to the op's input), with GUDHI's
 * `gudhi.representations` conventions and layouts. Only finite pairs count (a clipped essential
 * class is left out), each read as the interval [min, max] of its ends, so sublevel and
 * superlevel diagrams read alike. Maps without pairs give zeros.
 */

/**
 * Options of `persistenceLandscape`, `persistenceSilhouette` and `bettiCurve`.
 *
 * @category Functionals
 */
export interface LandscapeOptions {
  /** The homology dimension read. Required. */
  dim: number;
  /** The sample range [x_min, x_max]: `resolution` evenly spaced points, both ends included. Required. */
  range: readonly [number, number];
  /** Number of samples (default 100). */
  resolution?: number;
  /** `persistenceLandscape`: the landscapes λ_1..λ_levels (default 5). */
  levels?: number;
  /** `persistenceSilhouette`: each pair weighs its lifetime to this power (default 0: all alike). */
  power?: number;
  /**
   * `bettiCurve`: 0 (default) counts exactly, as GUDHI (its gradient is zero); ε > 0 replaces each
   * step by a logistic of width ε, σ((x − lo)/ε) − σ((x − hi)/ε), whose gradient moves the ends.
   */
  smoothing?: number;
}

/**
 * Options of `persistenceImage`.
 *
 * @category Functionals
 */
export interface PersistenceImageOptions {
  /** The homology dimension read. Required. */
  dim: number;
  /** The Gaussian's standard deviation (> 0). Required. */
  bandwidth: number;
  /** [x_min, x_max, y_min, y_max] in (birth, lifetime) coordinates, both ends of each sampled. Required. */
  range: readonly [number, number, number, number];
  /** Pixels [along birth, along lifetime] (default [20, 20]). */
  resolution?: readonly [number, number];
  /** Each pair weighs its lifetime to this power (default 0: all alike). */
  power?: number;
}

/**
 * Persistence landscapes (Bubenik 2015) sampled on a grid: per map, λ_1 … λ_levels at `resolution`
 * points of `range`, level by level — `[maps, levels · resolution]` — as GUDHI's `Landscape`
 * (its √2 scale included): λ_k(x) = √2 · the k-th largest of max(0, min(x − lo, hi − x)).
 *
 * @throws Error naming `diagrams` (not an op's diagrams), `options.<key>` (missing, out of range,
 *   unknown) or `options.dim` (not computed).
 * @example
 * ```js
 * // Two bumps: the 2 dies at 0, a pair (2, 0) read as the interval [0, 2].
 * const d = persistenceDiagrams(tf.tensor2d([[3, 0, 0], [0, 0, 0], [0, 0, 2]]), { superlevel: true, dims: [0] });
 * const l = persistenceLandscape(d, { dim: 0, range: [0, 2], resolution: 3, levels: 1 });
 * // l: [[0, √2, 0]], shape [1, 3]
 * ```
 * @category Functionals
 */
export function persistenceLandscape(diagrams: DiagramSet, options: LandscapeOptions): tf.Tensor2D {
  const { dim, range, resolution, levels } = checkSampling(diagrams, options, 'levels');
  const k = checkInteger(levels, 'options.levels', 5, 1);
  const grid = linspace(range[0], range[1], resolution);
  const { index, map } = finitePairs(diagrams, dim);
  // On the host: which pair is the k-th largest tent at each sample (ties by pair order).
  const vals = diagrams.values;
  const chosen: number[] = [];
  const at: number[] = [];
  const slot: number[] = [];
  for (let m = 0; m < diagrams.maps; m++) {
    const mine: number[] = [];
    for (let j = 0; j < index.length; j++) if (map[j] === m) mine.push(j);
    grid.forEach((x, r) => {
      const tents = mine
        .map((j) => [j, tent(vals[2 * index[j]], vals[2 * index[j] + 1], x)] as const)
        .filter(([, t]) => t > 0)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (let level = 0; level < Math.min(k, tents.length); level++) {
        chosen.push(tents[level][0]);
        at.push(x);
        slot.push((m * k + level) * resolution + r);
      }
    });
  }
  return assemble(diagrams, index, [diagrams.maps, k * resolution], (lo, hi) => {
    const j = tf.tensor1d(Int32Array.from(chosen), 'int32');
    const value = tentOf(tf.gather(lo, j), tf.gather(hi, j), tf.tensor1d(at));
    return tf.unsortedSegmentSum(
      tf.mul(value, Math.SQRT2),
      tf.tensor1d(Int32Array.from(slot), 'int32'),
      diagrams.maps * k * resolution,
    );
  });
}

/**
 * Persistence silhouettes (Chazal et al. 2014): per map, the lifetime-weighted mean of the tents,
 * `[maps, resolution]`, as GUDHI's `Silhouette` with weight lifetime^power (√2 scale included).
 *
 * @throws Error naming `diagrams`, `options.<key>` or `options.dim`, as `persistenceLandscape`.
 * @category Functionals
 */
export function persistenceSilhouette(diagrams: DiagramSet, options: LandscapeOptions): tf.Tensor2D {
  const { dim, range, resolution, power } = checkSampling(diagrams, options, 'power');
  const grid = tf.tensor1d(Float32Array.from(linspace(range[0], range[1], resolution)));
  const { index, map } = finitePairs(diagrams, dim);
  return assemble(diagrams, index, [diagrams.maps, resolution], (lo, hi) => {
    const weight = tf.pow(tf.sub(hi, lo), power);
    const tents = tentOf(tf.expandDims(lo, 1), tf.expandDims(hi, 1), tf.expandDims(grid, 0)); // [n, R]
    const maps = tf.tensor1d(map, 'int32');
    const total = tf.unsortedSegmentSum(weight, maps, diagrams.maps);
    const sum = tf.unsortedSegmentSum(tf.mul(tents, tf.expandDims(weight, 1)), maps, diagrams.maps);
    return tf.mul(tf.div(sum, tf.expandDims(tf.maximum(total, TINY), 1)), Math.SQRT2); // 0 for no pairs
  });
}

/**
 * Betti curves: per map, the number of pairs alive at each of `resolution` points of `range` —
 * lo ≤ x < hi, as GUDHI's `BettiCurve` — `[maps, resolution]`; with `smoothing` ε > 0, a smooth
 * count whose gradient reaches the pairs' ends (see `LandscapeOptions.smoothing`).
 *
 * @throws Error naming `diagrams`, `options.<key>` or `options.dim`, as `persistenceLandscape`.
 * @category Functionals
 */
export function bettiCurve(diagrams: DiagramSet, options: LandscapeOptions): tf.Tensor2D {
  const { dim, range, resolution, smoothing } = checkSampling(diagrams, options, 'smoothing');
  const eps = checkNumber(smoothing, 'options.smoothing', 0, 0);
  const grid = linspace(range[0], range[1], resolution);
  const { index, map } = finitePairs(diagrams, dim);
  const shape = [diagrams.maps, resolution];
  if (eps === 0) {
    const counts = new Float32Array(diagrams.maps * resolution);
    const v = diagrams.values;
    index.forEach((i, j) => {
      const [lo, hi] = v[2 * i] < v[2 * i + 1] ? [v[2 * i], v[2 * i + 1]] : [v[2 * i + 1], v[2 * i]];
      grid.forEach((x, r) => {
        if (lo <= x && x < hi) counts[map[j] * resolution + r]++;
      });
    });
    return tf.tidy(() => tf.add(tf.tensor2d(counts, [diagrams.maps, resolution]), tf.mul(tf.sum(diagrams.pairs), 0)));
  }
  const x = tf.tensor1d(Float32Array.from(grid));
  return assemble(diagrams, index, shape, (lo, hi) => {
    const step = (end: tf.Tensor) => tf.sigmoid(tf.div(tf.sub(tf.expandDims(x, 0), tf.expandDims(end, 1)), eps));
    return tf.unsortedSegmentSum(tf.sub(step(lo), step(hi)), tf.tensor1d(map, 'int32'), diagrams.maps);
  });
}

/**
 * Persistence images (Adams et al. 2017): per map, Gaussians of standard deviation `bandwidth`
 * centred at each pair's (birth, lifetime) = (lo, hi − lo), weighted by lifetime^power, normalized
 * as densities (÷ 2πσ²) and sampled on `resolution` points of `range` — `[maps, ny · nx]`, lifetime
 * outer, as GUDHI's `PersistenceImage`.
 *
 * @throws Error naming `diagrams`, `options.<key>` or `options.dim`.
 * @category Functionals
 */
export function persistenceImage(diagrams: DiagramSet, options: PersistenceImageOptions): tf.Tensor2D {
  checkDiagramSet(diagrams);
  const opts = checkOptions(options, 'options', ['dim', 'bandwidth', 'range', 'resolution', 'power']);
  const dim = checkDim(diagrams, opts.dim);
  const sigma = checkNumber(opts.bandwidth, 'options.bandwidth', undefined, Number.MIN_VALUE);
  const range = opts.range as unknown;
  if (
    !Array.isArray(range) ||
    range.length !== 4 ||
    !range.every(Number.isFinite) ||
    range[0] > range[1] ||
    range[2] > range[3]
  )
    throw new Error(
      `options.range: expected [x_min, x_max, y_min, y_max] (finite, each min ≤ max), got ${describe(range)}`,
    );
  const resolution = opts.resolution ?? [20, 20];
  if (!Array.isArray(resolution) || resolution.length !== 2 || !resolution.every((n) => Number.isInteger(n) && n >= 1))
    throw new Error(`options.resolution: expected [nx, ny], integers ≥ 1, got ${describe(opts.resolution)}`);
  const power = checkNumber(opts.power, 'options.power', 0, 0);
  const [nx, ny] = resolution;
  const xs = tf.tensor1d(Float32Array.from(linspace(range[0], range[1], nx)));
  const ys = tf.tensor1d(Float32Array.from(linspace(range[2], range[3], ny)));
  const { index, map } = finitePairs(diagrams, dim);
  return assemble(diagrams, index, [diagrams.maps, nx * ny], (lo, hi) => {
    const life = tf.sub(hi, lo);
    const gauss = (c: tf.Tensor, grid: tf.Tensor1D) =>
      tf.exp(tf.div(tf.neg(tf.square(tf.sub(tf.expandDims(c, 1), tf.expandDims(grid, 0)))), 2 * sigma * sigma));
    const gx = gauss(lo, xs); // [n, nx]
    const gy = tf.mul(gauss(life, ys), tf.expandDims(tf.pow(life, power), 1)); // [n, ny], weighted
    const images = Array.from({ length: diagrams.maps }, (_, m) => {
      const mine = Int32Array.from(Array.from(map.keys()).filter((j) => map[j] === m));
      if (mine.length === 0) return tf.zeros([ny * nx]);
      const rows = tf.tensor1d(mine, 'int32');
      return tf.reshape(tf.matMul(tf.gather(gy, rows), tf.gather(gx, rows), true, false), [ny * nx]);
    });
    return tf.div(tf.stack(images), 2 * Math.PI * sigma * sigma);
  });
}

/**
 * Persistent entropy (Chintakunta et al. 2015): per map, −Σ p_i log p_i with p_i the lifetimes'
 * shares — `[maps]`, as GUDHI's `Entropy` (mode `'scalar'`). A map without pairs gives 0.
 *
 * @throws Error naming `diagrams`, `options.<key>` or `options.dim`.
 * @category Functionals
 */
export function persistentEntropy(diagrams: DiagramSet, options: { dim: number }): tf.Tensor1D {
  checkDiagramSet(diagrams);
  const dim = checkDim(diagrams, checkOptions(options, 'options', ['dim']).dim);
  const { index, map } = finitePairs(diagrams, dim);
  return assemble(diagrams, index, [diagrams.maps], (lo, hi) => {
    const maps = tf.tensor1d(map, 'int32');
    const life = tf.sub(hi, lo);
    const share = tf.div(life, tf.maximum(tf.gather(tf.unsortedSegmentSum(life, maps, diagrams.maps), maps), TINY));
    // 0 · log 0 = 0 (a pair of length zero).
    const terms = tf.mul(share, tf.log(tf.maximum(share, TINY)));
    return tf.neg(tf.unsortedSegmentSum(terms, maps, diagrams.maps));
  }) as unknown as tf.Tensor1D;
}

/** The shared options of the sampled functions: dim, range, resolution, and one more key. */
function checkSampling(diagrams: DiagramSet, options: LandscapeOptions, extra: 'levels' | 'power' | 'smoothing') {
  checkDiagramSet(diagrams);
  const opts = checkOptions(options, 'options', ['dim', 'range', 'resolution', extra]);
  const dim = checkDim(diagrams, opts.dim);
  const range = opts.range as unknown;
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || range[0] > range[1])
    throw new Error(`options.range: expected [x_min, x_max] (finite, x_min ≤ x_max), got ${describe(range)}`);
  const resolution = checkInteger(opts.resolution, 'options.resolution', 100, 1);
  const power = checkNumber(opts.power, 'options.power', 0, 0);
  return { dim, range: range as [number, number], resolution, levels: opts.levels, power, smoothing: opts.smoothing };
}

function checkDim(diagrams: DiagramSet, dim: unknown): number {
  if (!Number.isInteger(dim) || !diagrams.dims.includes(dim as number))
    throw new Error(
      `options.dim: expected one of the dimensions computed ([${diagrams.dims.join(', ')}]), got ${describe(dim)}`,
    );
  return dim as number;
}

/** The finite pairs of dimension `dim`: their indices in the set, and their maps. */
function finitePairs(diagrams: DiagramSet, dim: number): { index: Int32Array; map: Int32Array } {
  const index: number[] = [];
  for (let i = 0; i < diagrams.dim.length; i++) if (diagrams.dim[i] === dim && !diagrams.essential[i]) index.push(i);
  return { index: Int32Array.from(index), map: Int32Array.from(index, (i) => diagrams.map[i]) };
}

/**
 * `compute(lo, hi)` on the selected pairs' ends, as a tensor of `shape`; zeros (still a function of
 * the pairs, so a gradient exists) when there are none.
 */
function assemble(
  diagrams: DiagramSet,
  index: Int32Array,
  shape: readonly number[],
  compute: (lo: tf.Tensor1D, hi: tf.Tensor1D) => tf.Tensor,
): tf.Tensor2D {
  return tf.tidy(() => {
    const none = tf.mul(tf.sum(diagrams.pairs), 0);
    if (index.length === 0) return tf.add(tf.zeros(shape.slice()), none) as tf.Tensor2D;
    const ends = tf.gather(diagrams.pairs, tf.tensor1d(index, 'int32'));
    const [a, b] = tf.unstack(ends, 1) as [tf.Tensor1D, tf.Tensor1D];
    return tf.reshape(compute(tf.minimum(a, b), tf.maximum(a, b)), shape.slice()) as unknown as tf.Tensor2D;
  });
}

/** A positive float32 far below any lifetime: the guard of divisions and logarithms at 0. */
const TINY = 1e-30;

/** n evenly spaced points from a to b, both included (NumPy's linspace, in float64 as GUDHI samples). */
function linspace(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}

/** The tent of the interval between two ends at x: max(0, min(x − lo, hi − x)). */
function tent(a: number, b: number, x: number): number {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return Math.max(0, Math.min(x - lo, hi - x));
}

function tentOf(lo: tf.Tensor, hi: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.relu(tf.minimum(tf.sub(x, lo), tf.sub(hi, x)));
}
