import { checkKeys, describe } from '../base/checks.js';
import { CubicalPersistence } from '../persistence/cubical/cubical.js';
import type { PersistenceDiagram } from '../persistence/diagram.js';
import { sortedPairOrder } from '../persistence/diagram.js';
import { BlockSmear, SMEAR_MEASURES } from '../smear/block-smear.js';
import type { SmearMeasure } from '../smear/block-smear.js';

/*
 * The critical smear runs entirely on the host: it uses no tfjs op. It reaches `BlockSmear` (whose
 * module imports `@tensorflow/tfjs-core`) only for its host method `sample`.
 */

/**
 * Options of `criticalSmear`: the points followed, the approximates drawn, and the complex.
 *
 * @category Diagnostics
 */
export interface CriticalSmearOptions {
  /** Homology dimension whose diagram is followed (the paper: H1 of the circle). */
  dim: number;
  /**
   * Which finite points of PD_dim(f) carry the unit pushes: those with lo < |death − birth| ≤ hi
   * (strict below, as the paper's "lifetime greater than 30"); null for an unbounded end, as in
   * the functionals' `lifetimeRange`. Default [0, ∞): every finite point.
   */
  lifetimeRange?: [number | null, number | null];
  /** Block edge length k of the approximates (one per spatial axis, or the same on all). */
  block: number | number[];
  /** Noise amplitude ε ≥ 0 of the approximates: U[−ε, ε] per element before pooling. */
  noise: number;
  /** Distribution of the block weights ω (see `SmearMeasure`). Default `'simplex'`, as `BlockSmear`. */
  measure?: SmearMeasure;
  /** Seed of the approximates' random stream. Default: random (the result is then not reproducible). */
  seed?: number;
  /** Number of approximates f_ω averaged (the paper: 1000). Default 200. */
  samples?: number;
  /** Number M of sliced-Wasserstein directions (the paper: 20). Default 20. */
  directions?: number;
  /** Cubical construction, `'T'` (default, the paper's) or `'V'`. */
  construction?: 'T' | 'V';
  /** Superlevel filtration instead of sublevel (default false, the paper's). */
  superlevel?: boolean;
  /** Called after every approximate with (approximates done, samples). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * One selected point of PD_dim(f) and its smears.
 *
 * @category Diagnostics
 */
export interface CriticalSmearPoint {
  /** The point's birth and death values in PD_dim(f). */
  birth: number;
  /** The point's death value in PD_dim(f). */
  death: number;
  /** Its own critical cells in f (flat row-major indices). */
  birthCell: number;
  /** The critical cell of its death in f (flat row-major index). */
  deathCell: number;
  /** Averaged pulled-back push on its birth, on the full image (row-major, size of `values`). */
  birthMap: Float32Array;
  /** Averaged pulled-back push on its death, on the full image. */
  deathMap: Float32Array;
}

/**
 * The result of `criticalSmear`: per selected point and summed, the heat maps on the full image.
 *
 * @category Diagnostics
 */
export interface CriticalSmear {
  /**
   * Per selected point of PD_dim(f), in increasing (birth, death) order: its (birth, death), its
   * critical cells in f, and the averaged pulled-back gradient heat maps on the full image.
   */
  points: CriticalSmearPoint[];
  /** Sums over all selected points. */
  birthMap: Float32Array;
  /** Sum of every selected point's `deathMap`. */
  deathMap: Float32Array;
}

/**
 * The critical smear (Solomon, Wagner & Bendich 2021, Section IV.A, Figure IV.2): a fuzzy
 * assignment of critical cells to the points of PD(f), obtained by transferring the gradient of a
 * loss on PD(f) to the diagrams of many random approximates of f and pulling it back to the image.
 *
 * Exactly what is computed, for `values` = f on `shape` ([H, W] or [D, H, W]):
 *
 * 1. PD(f) = the finite pairs of PD_dim(f) (cubical complex `construction`, sublevel or
 *    `superlevel` filtration; essential classes are left out everywhere, as in the paper's code).
 *    The *selected* points are those with lo < |d − b| ≤ hi for `lifetimeRange` = [lo, hi]. The
 *    "gradient on PD(f)" is, for each selected point p, a unit push on its birth (for its birth
 *    map) and, separately, a unit push on its death (for its death map).
 * 2. For s = 1 … `samples`, `BlockSmear({block, noise, measure, seed}).sample` draws an approximate
 *    f_ω = pool_ω(f + h): noise h ~ U[−ε, ε] per element, random convex weights ω per block (the
 *    paper's (f + h)_ω). Its diagram PD(f_ω) = the finite pairs of PD_dim(f_ω), same complex.
 * 3. Transfer by the sliced-Wasserstein matching of Carrière, Cuturi & Oudot (ICML 2017; the
 *    paper's [CCO17]) with M = `directions` directions θ_k = −π/2 + kπ/M, k = 0 … M−1 (evenly
 *    spaced in [−π/2, π/2), as GUDHI's sliced Wasserstein kernel). Both diagrams are augmented
 *    with the projections of the other's points onto the diagonal, π_Δ(b, d) = ((b+d)/2, (b+d)/2):
 *    A = PD(f) ∪ π_Δ(PD(f_ω)) and B = PD(f_ω) ∪ π_Δ(PD(f)), which have the same size. In direction
 *    θ every point x gets the key ⟨x, (cos θ, sin θ)⟩; A and B are each sorted by key and the i-th
 *    of A is matched with the i-th of B. Exact ties in the key are broken by ⟨x, (−sin θ, cos θ)⟩
 *    (as if θ were turned infinitesimally counter-clockwise), then real points before diagonal
 *    projections, then by index, so that equal diagrams are matched to themselves. The transfer
 *    weight w(p, q) between p ∈ PD(f) and q ∈ PD(f_ω) is the fraction of the M directions in which
 *    p is matched to q. A point matched to a diagonal projection transfers nothing in that
 *    direction, so Σ_q w(p, q) ≤ 1.
 * 4. The push transferred to q lands on q's critical cell in the pooled image: w(p, q) on
 *    q's birth cell (birth map of p), w(p, q) on q's death cell (death map of p), since
 *    q's birth and death values are the values of f_ω there. This pooled gradient is pulled back
 *    to the full image by the approximate's unspool (element i of block B receives ω_i times the
 *    gradient at B; the `sample(...).unspool` of `BlockSmear`), so each push spreads over its
 *    block by the weights ω of that draw.
 * 5. The maps are averaged over the samples (a sum divided by `samples` · M, in float64, rounded
 *    to float32 at the end). The summary `birthMap` / `deathMap` are the sums over selected points.
 *
 * Consequences: every map is ≥ 0; since Σ_{i ∈ B} ω_i = 1, the mass Σ_i of a point's birth map
 * equals that of its death map and is the mean fraction of directions in which it was transferred,
 * at most 1. With noise 0, block 1 and any measure, f_ω = f and every map is exactly one-hot on
 * the point's own critical cell. Given a `seed`, the result is a deterministic function of the
 * inputs.
 *
 * Cost per sample: one persistence computation on the pooled image, 2M sorts of |PD(f)| +
 * |PD(f_ω)| keys, and work proportional to the full image size (reading ω).
 *
 * @throws Error naming `shape` (not [H, W] or [D, H, W] of positive integers), `values` (not a
 *   Float32Array of the shape's size, a NaN or infinite entry), or `options` / `options.<key>`
 *   (not an object, an unknown key, `dim` not in 0..rank−1, `lifetimeRange` not [lo, hi] of
 *   numbers or null (an open end) with lo ≤ hi and lo < ∞, `block` missing, not positive
 *   integers, not one per axis of `shape` or larger than it, `noise`
 *   not a finite number ≥ 0, `measure`, `construction` or `superlevel` not one of its values,
 *   `seed` not a safe integer, `samples` or `directions` not a positive integer, `onProgress` not a
 *   function).
 * @example
 * ```js
 * const ring = Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0); // a 3×3 ring of 0s around a 1: one loop
 * const { points } = criticalSmear(ring, [3, 3], { dim: 1, block: 1, noise: 0.1, samples: 20, seed: 1 });
 * // points[0]: birth 0, death 1, birthCell 7, deathCell 4 (the centre)
 * // points[0].deathMap: about 0.94 on the centre, 0 elsewhere; birthMap: the same mass spread over
 * // the ring's four edge-adjacent cells 1, 3, 5, 7 (the noise decides which closes the loop)
 * ```
 * @category Diagnostics
 */
export function criticalSmear(
  values: Float32Array,
  shape: [number, number] | [number, number, number],
  options: CriticalSmearOptions,
): CriticalSmear {
  const spatial = checkShape(shape);
  const size = spatial.reduce((a, b) => a * b, 1);
  if (!(values instanceof Float32Array)) throw new Error(`values: expected a Float32Array, got ${describe(values)}`);
  if (values.length !== size)
    throw new Error(`values: expected ${size} entries for shape [${spatial.join(', ')}], got ${values.length}`);
  const opts = checkOptions(options, spatial.length);

  // The approximates; BlockSmear validates block, noise, measure and seed, and here the block
  // against the shape.
  const smear = new BlockSmear({ block: opts.block, noise: opts.noise, measure: opts.measure, seed: opts.seed });
  const blocks = typeof smear.block === 'number' ? spatial.map(() => smear.block as number) : smear.block.slice();
  if (blocks.length !== spatial.length)
    throw new Error(
      `options.block: expected one block size per axis of shape [${spatial.join(', ')}], got ${describe(opts.block)}`,
    );
  blocks.forEach((k, a) => {
    if (k > spatial[a])
      throw new Error(
        `options.block: block size ${k} along axis ${a} is larger than the size ${spatial[a]} of shape [${spatial.join(', ')}]`,
      );
  });
  const pooledShape = smear.outputShape(spatial);
  const geometry = new BlockGeometry(spatial, blocks, pooledShape);

  const complexOptions = { construction: opts.construction, superlevel: opts.superlevel, dims: [opts.dim] };
  const [full] = new CubicalPersistence(spatial, complexOptions).compute(values);
  const P = finitePoints(full, opts.superlevel);
  const [lo, hi] = opts.lifetimeRange;
  const selected: number[] = []; // indices into P
  for (let i = 0; i < P.length; i++) {
    const life = Math.abs(P.deaths[i] - P.births[i]);
    if (life > lo && life <= hi) selected.push(i);
  }
  const nSel = selected.length;
  const rowOf = new Int32Array(P.length).fill(-1); // P index → selected row
  selected.forEach((i, r) => (rowOf[i] = r));

  const birthAcc = selected.map(() => new Float64Array(size));
  const deathAcc = selected.map(() => new Float64Array(size));

  if (nSel > 0) {
    const pooled = new CubicalPersistence(pooledShape, complexOptions);
    const matcher = new SlicedMatcher(opts.directions);
    const outSize = geometry.outSize;
    const ones = new Float32Array(outSize).fill(1);
    const omega = new Float32Array(size);
    const counts = new Map<number, number>(); // row · |Q| + q → directions in which p_row ↔ q
    for (let s = 0; s < opts.samples; s++) {
      const approx = smear.sample(values, spatial);
      const [diagram] = pooled.compute(approx.values);
      const Q = finitePoints(diagram, opts.superlevel);
      const m = Q.length;
      if (m > 0) {
        counts.clear();
        matcher.match(P, Q, (i, q) => {
          const row = rowOf[i];
          if (row < 0) return;
          const key = row * m + q;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        });
        if (counts.size > 0) {
          // ω of this draw, element by element: the unspool of an all-ones pooled gradient.
          omega.fill(0);
          approx.unspool(ones, omega, 1);
          for (const [key, count] of counts) {
            const row = Math.floor(key / m);
            const q = key - row * m;
            geometry.scatter(Q.birthCells[q], count, omega, birthAcc[row]);
            geometry.scatter(Q.deathCells[q], count, omega, deathAcc[row]);
          }
        }
      }
      opts.onProgress?.(s + 1, opts.samples);
    }
  } else if (opts.onProgress) {
    opts.onProgress(opts.samples, opts.samples); // nothing to follow: no approximate is drawn
  }

  const norm = opts.samples * opts.directions;
  const birthMap = new Float32Array(size);
  const deathMap = new Float32Array(size);
  const sumB = new Float64Array(size);
  const sumD = new Float64Array(size);
  const points: CriticalSmearPoint[] = selected.map((i, r) => {
    const bm = new Float32Array(size);
    const dm = new Float32Array(size);
    const b = birthAcc[r];
    const d = deathAcc[r];
    for (let k = 0; k < size; k++) {
      if (b[k] !== 0) {
        bm[k] = b[k] / norm;
        sumB[k] += b[k];
      }
      if (d[k] !== 0) {
        dm[k] = d[k] / norm;
        sumD[k] += d[k];
      }
    }
    return {
      birth: P.births[i],
      death: P.deaths[i],
      birthCell: P.birthCells[i],
      deathCell: P.deathCells[i],
      birthMap: bm,
      deathMap: dm,
    };
  });
  for (let k = 0; k < size; k++) {
    birthMap[k] = sumB[k] / norm;
    deathMap[k] = sumD[k] / norm;
  }
  return { points, birthMap, deathMap };
}

/**
 * Points of a persistence diagram, as parallel arrays.
 *
 * @category Diagnostics
 */
export interface DiagramPoints {
  /** Birth value of every point. */
  readonly births: ArrayLike<number>;
  /** Death value of every point, in the order of `births`. */
  readonly deaths: ArrayLike<number>;
}

/**
 * The sliced-Wasserstein transfer weights of the critical smear (step 3 of `criticalSmear`):
 * entry [p · |to| + q] is the fraction of the M directions θ_k = −π/2 + kπ/M in which point p of
 * `from` is matched with point q of `to` by rank after sorting the projections of the augmented
 * diagrams from ∪ π_Δ(to) and to ∪ π_Δ(from). Rows sum to at most 1 (the rest went to the
 * diagonal). All points must be finite.
 * @category Diagnostics
 */
export function slicedWassersteinTransfer(from: DiagramPoints, to: DiagramPoints, directions = 20): Float64Array {
  const P = checkPoints(from, 'from');
  const Q = checkPoints(to, 'to');
  if (!Number.isSafeInteger(directions) || directions < 1)
    throw new Error(`directions: expected a positive integer, got ${describe(directions)}`);
  const m = Q.length;
  const w = new Float64Array(P.length * m);
  if (P.length === 0 || m === 0) return w;
  new SlicedMatcher(directions).match(P, Q, (p, q) => (w[p * m + q] += 1));
  for (let k = 0; k < w.length; k++) w[k] /= directions;
  return w;
}

interface Points {
  readonly length: number;
  readonly births: Float64Array;
  readonly deaths: Float64Array;
  readonly birthCells: Int32Array;
  readonly deathCells: Int32Array;
}

/** The finite pairs of a diagram, in increasing (birth, death) order. */
function finitePoints(d: PersistenceDiagram, superlevel: boolean): Points {
  const order = sortedPairOrder(d, superlevel);
  let n = 0;
  for (const i of order) if (d.deathCells[i] !== -1) n++;
  const births = new Float64Array(n);
  const deaths = new Float64Array(n);
  const birthCells = new Int32Array(n);
  const deathCells = new Int32Array(n);
  let k = 0;
  for (const i of order) {
    if (d.deathCells[i] === -1) continue;
    births[k] = d.births[i];
    deaths[k] = d.deaths[i];
    birthCells[k] = d.birthCells[i];
    deathCells[k] = d.deathCells[i];
    k++;
  }
  return { length: n, births, deaths, birthCells, deathCells };
}

/**
 * Rank matching of augmented diagrams along M evenly spaced directions, reusing its buffers.
 * `match(P, Q, onMatch)` calls onMatch(p, q) once per direction in which the real point p of P is
 * matched with the real point q of Q.
 */
class SlicedMatcher {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private keyA = new Float64Array(0);
  private key2A = new Float64Array(0);
  private keyB = new Float64Array(0);
  private key2B = new Float64Array(0);
  private orderA = new Uint32Array(0);
  private orderB = new Uint32Array(0);

  constructor(readonly directions: number) {
    this.cos = new Float64Array(directions);
    this.sin = new Float64Array(directions);
    for (let k = 0; k < directions; k++) {
      const theta = -Math.PI / 2 + (k * Math.PI) / directions;
      this.cos[k] = Math.cos(theta);
      this.sin[k] = Math.sin(theta);
    }
  }

  match(
    P: DiagramPoints & { length: number },
    Q: DiagramPoints & { length: number },
    onMatch: (p: number, q: number) => void,
  ): void {
    const n = P.length;
    const m = Q.length;
    const N = n + m;
    if (this.keyA.length < N) {
      this.keyA = new Float64Array(N);
      this.key2A = new Float64Array(N);
      this.keyB = new Float64Array(N);
      this.key2B = new Float64Array(N);
      this.orderA = new Uint32Array(N);
      this.orderB = new Uint32Array(N);
    }
    const { keyA, key2A, keyB, key2B } = this;
    const orderA = this.orderA.subarray(0, N);
    const orderB = this.orderB.subarray(0, N);
    // A = P (indices 0..n−1) then π_Δ(Q) (n..N−1); B = Q (0..m−1) then π_Δ(P) (m..N−1). Comparing
    // indices last puts real points before diagonal projections among exact ties.
    const byA = (a: number, b: number) => keyA[a] - keyA[b] || key2A[a] - key2A[b] || a - b;
    const byB = (a: number, b: number) => keyB[a] - keyB[b] || key2B[a] - key2B[b] || a - b;
    for (let k = 0; k < this.directions; k++) {
      const c = this.cos[k];
      const s = this.sin[k];
      for (let i = 0; i < n; i++) {
        const b = P.births[i];
        const d = P.deaths[i];
        keyA[i] = b * c + d * s;
        key2A[i] = d * c - b * s;
        const mid = (b + d) / 2;
        keyB[m + i] = mid * (c + s);
        key2B[m + i] = mid * (c - s);
      }
      for (let j = 0; j < m; j++) {
        const b = Q.births[j];
        const d = Q.deaths[j];
        keyB[j] = b * c + d * s;
        key2B[j] = d * c - b * s;
        const mid = (b + d) / 2;
        keyA[n + j] = mid * (c + s);
        key2A[n + j] = mid * (c - s);
      }
      for (let i = 0; i < N; i++) orderA[i] = orderB[i] = i;
      orderA.sort(byA);
      orderB.sort(byB);
      for (let r = 0; r < N; r++) {
        const a = orderA[r];
        const b = orderB[r];
        if (a < n && b < m) onMatch(a, b);
      }
    }
  }
}

/**
 * Block layout of `BlockSmear` (documented there): spatial size n splits into ceil(n / k) blocks
 * of k elements along each axis, the last one partial. `scatter(c, scale, ω, out)` adds
 * scale · ω_i to out[i] for every element i of pooled cell c: the unspool of a one-hot pooled
 * gradient, given the draw's ω.
 */
class BlockGeometry {
  private readonly dims: number[]; // [D, H, W] (D = 1 for images)
  private readonly blocks: number[];
  private readonly pooled: number[];
  readonly outSize: number;

  constructor(spatial: readonly number[], blocks: readonly number[], pooledShape: readonly number[]) {
    this.dims = spatial.length === 2 ? [1, ...spatial] : spatial.slice();
    this.blocks = blocks.length === 2 ? [1, ...blocks] : blocks.slice();
    this.pooled = this.dims.map((n, a) => Math.ceil(n / this.blocks[a]));
    const expected = pooledShape.length === 2 ? [1, ...pooledShape] : pooledShape.slice();
    if (this.pooled.some((n, a) => n !== expected[a]))
      throw new Error(`internal: pooled shape [${pooledShape.join(', ')}] does not follow the block layout`);
    this.outSize = this.pooled.reduce((a, b) => a * b, 1);
  }

  scatter(cell: number, scale: number, omega: Float32Array, out: Float64Array): void {
    const [, ph, pw] = this.pooled;
    const [D, H, W] = this.dims;
    const [kd, kh, kw] = this.blocks;
    const cx = cell % pw;
    const cy = Math.floor(cell / pw) % ph;
    const cz = Math.floor(cell / (pw * ph));
    const z1 = Math.min((cz + 1) * kd, D);
    const y1 = Math.min((cy + 1) * kh, H);
    const x1 = Math.min((cx + 1) * kw, W);
    for (let z = cz * kd; z < z1; z++)
      for (let y = cy * kh; y < y1; y++) {
        const row = (z * H + y) * W;
        for (let x = cx * kw; x < x1; x++) {
          const w = omega[row + x];
          if (w !== 0) out[row + x] += scale * w;
        }
      }
  }
}

interface CheckedOptions {
  dim: number;
  lifetimeRange: [number, number];
  block: number | number[];
  noise: number;
  measure: SmearMeasure;
  seed: number | undefined;
  samples: number;
  directions: number;
  construction: 'T' | 'V';
  superlevel: boolean;
  onProgress: ((done: number, total: number) => void) | undefined;
}

const CRITICAL_SMEAR_KEYS = [
  'dim',
  'lifetimeRange',
  'block',
  'noise',
  'measure',
  'seed',
  'samples',
  'directions',
  'construction',
  'superlevel',
  'onProgress',
];

function checkOptions(options: CriticalSmearOptions, rank: number): CheckedOptions {
  if (options == null || typeof options !== 'object')
    throw new Error(`options: expected an object { dim, block, noise, ... }, got ${describe(options)}`);
  checkKeys(options, CRITICAL_SMEAR_KEYS, 'options');
  const o = options;
  if (!Number.isInteger(o.dim) || o.dim < 0 || o.dim >= rank)
    throw new Error(
      `options.dim: expected a homology dimension in 0..${rank - 1} for a ${rank}-D input, got ${describe(o.dim)}`,
    );
  let lifetimeRange: [number, number] = [0, Infinity];
  if (o.lifetimeRange !== undefined) {
    const r = o.lifetimeRange;
    if (!Array.isArray(r) || r.length !== 2 || r.some((x) => x !== null && (typeof x !== 'number' || Number.isNaN(x))))
      throw new Error(`options.lifetimeRange: expected [lo, hi], two numbers (null: unbounded), got ${describe(r)}`);
    const [lo, hi] = [r[0] ?? -Infinity, r[1] ?? Infinity]; // null for an open end, as JSON has no Infinity
    if (!(lo <= hi) || lo === Infinity)
      throw new Error(`options.lifetimeRange: expected lo ≤ hi with lo < ∞, got ${describe(r)}`);
    lifetimeRange = [lo, hi];
  }
  if (o.block === undefined) throw new Error('options.block: required (a positive integer or one per spatial axis)');
  if (typeof o.noise !== 'number' || !Number.isFinite(o.noise) || o.noise < 0)
    throw new Error(`options.noise: expected a finite number ≥ 0, got ${describe(o.noise)}`);
  const measure = o.measure ?? 'simplex';
  if (!SMEAR_MEASURES.includes(measure))
    throw new Error(
      `options.measure: expected one of ${SMEAR_MEASURES.map((m) => `'${m}'`).join(', ')}, got ${describe(measure)}`,
    );
  const samples = o.samples ?? 200;
  if (!Number.isSafeInteger(samples) || samples < 1)
    throw new Error(`options.samples: expected a positive integer, got ${describe(samples)}`);
  const directions = o.directions ?? 20;
  if (!Number.isSafeInteger(directions) || directions < 1)
    throw new Error(`options.directions: expected a positive integer, got ${describe(directions)}`);
  const construction = o.construction ?? 'T';
  if (construction !== 'T' && construction !== 'V')
    throw new Error(`options.construction: expected 'T' or 'V', got ${describe(construction)}`);
  const superlevel = o.superlevel ?? false;
  if (typeof superlevel !== 'boolean')
    throw new Error(`options.superlevel: expected a boolean, got ${describe(superlevel)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new Error(`options.onProgress: expected a function, got ${describe(o.onProgress)}`);
  return {
    dim: o.dim,
    lifetimeRange,
    block: o.block,
    noise: o.noise,
    measure,
    seed: o.seed,
    samples,
    directions,
    construction,
    superlevel,
    onProgress: o.onProgress,
  };
}

function checkShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || (shape.length !== 2 && shape.length !== 3))
    throw new Error(`shape: expected [H, W] or [D, H, W], got ${describe(shape)}`);
  for (const n of shape)
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`shape: expected positive integer sizes, got ${describe(shape)}`);
  return shape.slice();
}

function checkPoints(d: DiagramPoints, name: string): Points {
  if (d == null || typeof d !== 'object' || d.births == null || d.deaths == null)
    throw new Error(`${name}: expected { births, deaths }, got ${describe(d)}`);
  const n = d.births.length;
  if (d.deaths.length !== n)
    throw new Error(`${name}: births and deaths differ in length (${n} vs ${d.deaths.length})`);
  const births = Float64Array.from(d.births);
  const deaths = Float64Array.from(d.deaths);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(births[i]) || !Number.isFinite(deaths[i]))
      throw new Error(`${name}: point ${i} is not finite: (${births[i]}, ${deaths[i]})`);
  return { length: n, births, deaths, birthCells: new Int32Array(n), deathCells: new Int32Array(n) };
}
