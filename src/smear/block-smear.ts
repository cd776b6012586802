import * as tf from '@tensorflow/tfjs-core';
import { mapLayout } from '../base/layout.js';
import { uniformOpen } from '../base/random.js';
import { checkKeys, checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';

/**
 * Distribution μ of the convex weights ω inside each block (paper, Section II.A):
 *
 * - `'center'`: the atom at the centre of the simplex, ω_i = 1/|block| (plain average pooling);
 * - `'vertex'`: uniform on the simplex's vertices: all weight on one uniformly random element;
 * - `'simplex'`: uniform on the whole simplex, i.e. Dirichlet(1, …, 1) (normalised Exp(1) draws);
 * - `'uniform-normalized'`: U(0, 1) draws divided by their sum, as in the authors' reference code
 *   (not uniform on the simplex: more concentrated near its centre).
 * @category Smearing
 */
export type SmearMeasure = 'center' | 'vertex' | 'simplex' | 'uniform-normalized';

/**
 * Every `SmearMeasure`: the values the `measure` option accepts.
 *
 * @category Smearing
 */
export const SMEAR_MEASURES: readonly SmearMeasure[] = ['center', 'vertex', 'simplex', 'uniform-normalized'];

/**
 * One approximate drawn on the host by `BlockSmear.sample`.
 *
 * @category Smearing
 */
export interface HostApproximate {
  /** f_ω, row-major in `shape`. */
  readonly values: Float32Array;
  /** The input shape with every spatial size n replaced by ceil(n / k). */
  readonly shape: number[];
  /**
   * The unspool on the host: adds `scale · ω_i · pooledGrad[block(i)]` to `grad[i]` for every
   * element i of the input (`grad` has the input's size, `pooledGrad` the approximate's).
   */
  unspool(pooledGrad: ArrayLike<number>, grad: Float32Array, scale?: number): void;
}

/** The keys of `BlockSmearOptions`. */
export const BLOCK_SMEAR_KEYS = ['block', 'noise', 'measure', 'seed', 'range'] as const;

/**
 * The value range of an approximate: see `BlockSmearOptions.range`.
 *
 * @category Smearing
 */
export type SmearRange = 'pooled' | 'input';

/**
 * Options of `BlockSmear`: block size, noise, weight distribution, seed and value range.
 *
 * @category Smearing
 */
export interface BlockSmearOptions {
  /** Block edge length k (same on every spatial axis) or one per spatial axis. */
  block: number | readonly number[];
  /** Noise amplitude ε ≥ 0: each element gets U[−ε, ε] added before pooling. Default 0. */
  noise?: number;
  /** Distribution of the convex weights inside each block. Default `'simplex'`. */
  measure?: SmearMeasure;
  /** Seed of the random stream; successive calls draw fresh samples from it. Default: random. */
  seed?: number;
  /**
   * The approximate's value range. `'pooled'` (default, the paper's) keeps the pooled values, whose
   * spread shrinks with the block on high-frequency input (a block mean of k² i.i.d. values has
   * 1/k of their spread), so an absolute lifetime threshold of the functional may see no bar at
   * all. `'input'` maps each approximate affinely, per map, onto its input's [min, max], so that
   * thresholds and ranges keep their meaning in the input's units; the map's slope counts as a
   * constant in the gradient.
   */
  range?: SmearRange;
}

/** Input shapes whose constants are kept at once; the least recently used is dropped beyond. */
const MAX_CACHED_SHAPES = 8;

/** The most negative finite float32: for |x| < 1e38, x + LOWEST never beats a real x in a max. */
const LOWEST = -3.4028234663852886e38;

/**
 * STUMP random approximates of images and volumes (Solomon, Wagner & Bendich 2021, Section II).
 *
 * Each call of `apply(x)` draws noise h ~ U[−ε, ε] for every element and, for every k×k (or k×k×k)
 * block of every map, random convex weights ω from the chosen `measure`, and returns the pooled
 * approximate
 *
 *     f_ω[block] = Σ_{i ∈ block} ω_i · (x_i + h_i).
 *
 * Spatial sizes shrink to ceil(n / k). The last block along an axis may be partial: it pools only
 * its real elements, with weights normalised over them; no element is ever dropped. Inputs are
 * `[H, W]`, `[D, H, W]`, `[B, H, W, C]` or `[B, D, H, W, C]` (channels-last, float32); every batch
 * item and channel draws its own weights.
 *
 * The result is differentiable in `x`: its gradient is the paper's "unspool", a block's upstream
 * gradient times ω_i on each of the block's elements (Section II.B). Only the small pooled tensor
 * needs to be read back to the host.
 *
 * The random stream belongs to the instance: two instances built with the same `seed` produce the
 * same sequence of approximates for the same sequence of input shapes, on every backend. The draws
 * are made on the host (as tfjs's own random ops do) and uploaded once per call: one weight per
 * element, and the noise already pooled (Σ ω_i h_i per block). Call `dispose()` to free the
 * constant tensors cached per input shape (the last 8 shapes are kept).
 *
 * @throws Error naming `options` / `options.<key>` when constructed (not an object, an unknown
 *   key, `block` not a positive integer or 2–3 of them, `noise` not a finite float32 number ≥ 0,
 *   `measure` or `range` not one of its values, `seed` not a safe integer); `x` when `apply` or
 *   `sample` gets other than a float32 tensor (a Float32Array of the shape's size for `sample`) of
 *   rank 2 to 5 with no empty axis and finite values; `options.block` when the block sizes do not
 *   fit x (one per spatial axis, none larger than the axis).
 * @example
 * ```js
 * const smear = new BlockSmear({ block: 2, noise: 0.05, measure: 'simplex', seed: 1 });
 * const image = tf.variable(tf.randomUniform([8, 8], 0, 1, 'float32', 1));
 * smear.apply(image).shape; // → [4, 4]: one random convex combination (plus noise) per 2×2 block
 * // One fresh approximate per step; the gradient reaches every pixel of each block.
 * const optimizer = tf.train.adam(0.01);
 * optimizer.minimize(() => totalPersistence(persistenceDiagrams(smear.apply(image)), { dim: 0 }));
 * smear.dispose();
 * ```
 * @category Smearing
 */
export class BlockSmear {
  /** Block edge length(s), as given. */
  readonly block: number | readonly number[];
  /** Noise amplitude ε. */
  readonly noise: number;
  /** Distribution of the block weights. */
  readonly measure: SmearMeasure;
  /** Seed of the random stream (drawn at construction when none was given): reuse it to replay a run. */
  readonly seed: number;
  /** The approximates' value range. */
  readonly range: SmearRange;

  private state: number; // the stream's 32-bit state, advanced once per apply()
  private readonly plans = new Map<string, ShapePlan>(); // per input shape, most recently used last

  constructor(options: BlockSmearOptions) {
    if (options == null || typeof options !== 'object' || Array.isArray(options))
      throw new Error(`options: expected an object { block, noise?, measure?, seed? }, got ${describe(options)}`);
    checkKeys(options, BLOCK_SMEAR_KEYS, 'options');
    const { block, noise = 0, measure = 'simplex', seed, range = 'pooled' } = options;
    if (range !== 'pooled' && range !== 'input')
      throw new Error(`options.range: expected 'pooled' or 'input', got ${describe(range)}`);
    this.range = range;
    this.block = checkBlock(block);
    checkNumber(noise, 'options.noise', 0, 0, FLOAT32_MAX); // added to float32 values
    if (!SMEAR_MEASURES.includes(measure))
      throw new Error(
        `options.measure: expected one of ${SMEAR_MEASURES.map((m) => `'${m}'`).join(', ')}, got ${describe(measure)}`,
      );
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
      throw new Error(`options.seed: expected an integer, got ${describe(seed)}`);
    this.noise = noise;
    this.measure = measure;
    this.seed = seed ?? Math.floor(Math.random() * 2 ** 32);
    // Fold the high bits into the low ones so that seeds differing only above 2^32 still differ.
    this.state = mix32((this.seed >>> 0) ^ mix32(Math.floor(this.seed / 2 ** 32) >>> 0));
  }

  /**
   * Shape of `apply(x)` for an input of shape `shape`: every spatial size n becomes ceil(n / k).
   * Throws if the block does not fit the shape.
   */
  outputShape(shape: readonly number[]): number[] {
    const layout = mapLayout(shape, 'x');
    const blocks = this.blockSizes(layout.spatial, shape);
    const first = shape.length >= 4 ? 1 : 0;
    const out = shape.slice();
    blocks.forEach((k, a) => (out[first + a] = Math.ceil(shape[first + a] / k)));
    return out;
  }

  /**
   * One random approximate f_ω = pool_ω(x + h) of `x`, drawn afresh from this instance's stream.
   * Differentiable in `x`; the gradient is the unspool through ω.
   */
  apply(x: tf.Tensor): tf.Tensor {
    const plan = this.checkInput(x);
    // One boolean read: pooling would spread a NaN over its block, or hide it (vertex measure).
    if (tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(x))).dataSync()[0]))
      throw new Error('x: expected finite values, got NaN or ±Infinity');
    return this.pool(x, plan);
  }

  /**
   * `apply` without reading `x` back: a NaN or ±Infinity anywhere in `x` makes the whole
   * approximate non-finite instead of raising, for a caller that reads the approximate anyway (the
   * smeared terms' persistence op refuses it), so that a smeared step reads the device once.
   * @internal
   */
  approximate(x: tf.Tensor): tf.Tensor {
    const plan = this.checkInput(x);
    return tf.tidy(() => {
      const f = this.pool(x, plan);
      // Weighted pooling carries a non-finite value on (NaN · ω is NaN, even for ω = 0); the
      // vertex measure's selection could drop it, so add Σ(0 · x): 0 when x is finite, else NaN.
      return this.measure === 'vertex' ? tf.add(f, tf.sum(tf.mul(x, 0))) : f;
    });
  }

  /** The input's checks that need no read: a float32 tensor whose shape the blocks fit. */
  private checkInput(x: tf.Tensor): ShapePlan {
    if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${describe(x)}`);
    const plan = this.planFor(x.shape); // validates the shape and the block against it
    if (x.dtype !== 'float32') throw new Error(`x: expected a float32 tensor, got dtype '${x.dtype}'`);
    return plan;
  }

  /** One draw from the stream, pooled on the device. */
  private pool(x: tf.Tensor, plan: ShapePlan): tf.Tensor {
    const { weights, pooledNoise } = this.draw(plan);
    return tf.tidy(() => {
      const xc = tf.reshape(x, plan.canonical);
      let f =
        plan.volume === 1 // 1×1 blocks: every ω is 1, f = x + h
          ? tf.clone(xc)
          : this.measure === 'vertex'
            ? selectPool(plan, weights!)(xc)
            : weightedSumPool(plan, weights ? tf.tensor(weights, plan.canonical, 'float32') : plan.centerWeights())(xc);
      if (pooledNoise) f = tf.add(f, tf.tensor(pooledNoise, plan.canonicalOut, 'float32'));
      if (this.range === 'input') f = ontoRangeOf(f, xc);
      return tf.reshape(f, plan.outShape);
    });
  }

  /**
   * The same draw as `apply`, on the host: one approximate of `x`, a row-major array in the layout
   * `shape`, taking the next sample of the same stream (so a seed gives the same approximates
   * through either method, up to float32 rounding). For loops that keep the iterate on the host
   * (the cpu backend); creates no tensors.
   */
  sample(x: Float32Array, shape: readonly number[]): HostApproximate {
    if (!(x instanceof Float32Array))
      throw new Error(`x: expected a Float32Array, got ${Object.prototype.toString.call(x)}`);
    const plan = this.planFor(shape);
    if (x.length !== plan.size)
      throw new Error(`x: expected ${plan.size} values for shape ${describe(shape)}, got ${x.length}`);
    for (let i = 0; i < x.length; i++)
      if (x[i] - x[i] !== 0) throw new Error(`x: expected finite values, got ${x[i]} at index ${i}`);
    const { weights, pooledNoise } = this.draw(plan);
    const { size, outSize, blockOf, counts, volume } = plan;
    const acc = new Float64Array(outSize);
    if (volume === 1) for (let i = 0; i < size; i++) acc[i] = x[i];
    else if (!weights) {
      for (let i = 0; i < size; i++) acc[blockOf[i]] += x[i];
      for (let b = 0; b < outSize; b++) acc[b] /= counts[b];
    } else for (let i = 0; i < size; i++) acc[blockOf[i]] += weights[i] * x[i];
    const values = new Float32Array(outSize);
    for (let b = 0; b < outSize; b++) values[b] = pooledNoise ? Math.fround(acc[b]) + pooledNoise[b] : acc[b];
    const slopes = this.range === 'input' ? mapOntoRange(values, x, plan) : null;
    return {
      values,
      shape: plan.outShape.slice(),
      unspool(given: ArrayLike<number>, grad: Float32Array, scale = 1) {
        if (given.length !== outSize) throw new Error(`pooledGrad: expected ${outSize} values, got ${given.length}`);
        if (grad.length !== size) throw new Error(`grad: expected ${size} values, got ${grad.length}`);
        const pooledGrad = slopes ? Float64Array.from(given, (g, b) => g * slopes[plan.mapOfBlock(b)]) : given;
        if (volume === 1) for (let i = 0; i < size; i++) grad[i] += scale * pooledGrad[i];
        else if (!weights)
          for (let i = 0; i < size; i++) grad[i] += (scale * pooledGrad[blockOf[i]]) / counts[blockOf[i]];
        else
          for (let i = 0; i < size; i++) if (weights[i] !== 0) grad[i] += scale * weights[i] * pooledGrad[blockOf[i]];
      },
    };
  }

  /** Frees the cached constant tensors. The instance stays usable: they are rebuilt on demand. */
  dispose(): void {
    for (const plan of this.plans.values()) plan.dispose();
    this.plans.clear();
  }

  /**
   * Draws this call's weights ω (null for 'center': they are constant) and the pooled noise
   * Σ_{i∈block} ω_i h_i (null when ε = 0) on the host. The noise enters f_ω additively and has no
   * gradient, so only its pooled form is uploaded. For 'vertex' only the chosen element's h matters,
   * so only that one is drawn (the same distribution as drawing all of them). The weights are drawn
   * before the noise, so the same seed gives the same ω with or without noise.
   */
  private draw(plan: ShapePlan): { weights: Float32Array | null; pooledNoise: Float32Array | null } {
    // One step of the instance's stream per call; the call's draws come from a generator seeded by
    // it, so the k-th approximate depends only on (seed, k, shape).
    this.state = (this.state + 0x9e3779b9) >>> 0;
    const random = uniformOpen(mix32(this.state));
    const { size, outSize, blockOf } = plan;
    const eps = this.noise;
    const pooledNoise = eps > 0 ? new Float32Array(outSize) : null;
    if (plan.volume === 1) {
      // 1×1 blocks: every ω is 1 and the pooled noise is h itself.
      if (pooledNoise) for (let i = 0; i < size; i++) pooledNoise[i] = eps * (2 * random() - 1);
      return { weights: null, pooledNoise };
    }
    const acc = plan.scratch; // Float64Array(outSize), reused
    switch (this.measure) {
      case 'center': {
        if (pooledNoise) {
          acc.fill(0);
          for (let i = 0; i < size; i++) acc[blockOf[i]] += eps * (2 * random() - 1);
          const counts = plan.counts;
          for (let b = 0; b < outSize; b++) pooledNoise[b] = acc[b] / counts[b];
        }
        return { weights: null, pooledNoise };
      }
      case 'vertex': {
        // A uniformly random element of each block: the j-th of its members, j uniform in [0, m).
        const { members, start, counts } = plan.grouping();
        const weights = new Float32Array(size);
        for (let b = 0; b < outSize; b++) {
          const j = Math.min(Math.floor(random() * counts[b]), counts[b] - 1);
          weights[members[start[b] + j]] = 1;
        }
        if (pooledNoise) for (let b = 0; b < outSize; b++) pooledNoise[b] = eps * (2 * random() - 1);
        return { weights, pooledNoise };
      }
      case 'simplex':
      case 'uniform-normalized': {
        // Dirichlet(1) = Exp(1) draws (−log U) normalised by their block sum; the reference code's
        // measure normalises U itself. U ∈ (0, 1) strictly, so every weight is positive and finite.
        const e = plan.scratchElements; // Float32Array(size), reused
        acc.fill(0);
        const simplex = this.measure === 'simplex';
        for (let i = 0; i < size; i++) {
          const v = simplex ? -Math.log(random()) : random();
          e[i] = v;
          acc[blockOf[i]] += v;
        }
        const weights = new Float32Array(size);
        for (let i = 0; i < size; i++) weights[i] = e[i] / acc[blockOf[i]];
        if (pooledNoise) {
          acc.fill(0);
          for (let i = 0; i < size; i++) acc[blockOf[i]] += weights[i] * eps * (2 * random() - 1);
          for (let b = 0; b < outSize; b++) pooledNoise[b] = acc[b];
        }
        return { weights, pooledNoise };
      }
    }
  }

  /** Block size per spatial axis, checked against the input's spatial shape. */
  private blockSizes(spatial: readonly number[], shape: readonly number[]): number[] {
    const blocks = typeof this.block === 'number' ? spatial.map(() => this.block as number) : this.block.slice();
    if (blocks.length !== spatial.length)
      throw new Error(
        `options.block: expected ${spatial.length} block sizes for the ${spatial.length} spatial axes of x (shape ${describe(shape)}), got ${blocks.length}`,
      );
    const names = spatial.length === 2 ? ['H', 'W'] : ['D', 'H', 'W'];
    const first = shape.length >= 4 ? 1 : 0;
    blocks.forEach((k, a) => {
      if (k > spatial[a])
        throw new Error(
          `options.block: block size ${k} along spatial axis ${names[a]} (axis ${first + a} of x) is larger than the input size ${spatial[a]} (x shape [${shape.join(', ')}])`,
        );
    });
    return blocks;
  }

  private planFor(shape: readonly number[]): ShapePlan {
    const key = shape.join(',');
    let plan = this.plans.get(key);
    if (plan) {
      this.plans.delete(key); // re-insert: most recently used last
    } else {
      const layout = mapLayout(shape, 'x');
      plan = new ShapePlan(shape, this.blockSizes(layout.spatial, shape), layout.batch, layout.channels);
      if (this.plans.size >= MAX_CACHED_SHAPES) {
        const [oldestKey, oldest] = this.plans.entries().next().value as [string, ShapePlan];
        oldest.dispose();
        this.plans.delete(oldestKey);
      }
    }
    this.plans.set(key, plan);
    return plan;
  }
}

/**
 * f mapped affinely onto the range of x, per map (canonical [B, …, C]: over the spatial axes): f's
 * [min, max] onto x's (a constant map is left as it is). The gradient is dy times the slope.
 */
function ontoRangeOf(f: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: x.rank - 2 }, (_, a) => a + 1);
  const [lo, hi] = [tf.min(x, axes, true), tf.max(x, axes, true)];
  const affine = tf.customGrad((...args) => {
    const [g, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [fLo, fHi] = [tf.min(g, axes, true), tf.max(g, axes, true)];
    const spread = tf.sub(fHi, fLo);
    const varies = tf.greater(spread, 0);
    const slope = tf.where(
      varies,
      tf.div(tf.sub(hi, lo), tf.where(varies, spread, tf.onesLike(spread))),
      tf.onesLike(spread),
    );
    save([slope]);
    return {
      value: tf.add(tf.mul(tf.sub(g, fLo), slope), tf.where(varies, lo, fLo)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
    };
  });
  return affine(f);
}

/**
 * The host form of `ontoRangeOf`: maps `values` (the approximate) in place, per map, onto the range
 * of `x`; returns each map's slope.
 */
function mapOntoRange(values: Float32Array, x: Float32Array, plan: ShapePlan): Float64Array {
  const maps = plan.maps;
  const range = (a: ArrayLike<number>, mapOf: (i: number) => number) => {
    const lo = new Float64Array(maps).fill(Infinity);
    const hi = new Float64Array(maps).fill(-Infinity);
    for (let i = 0; i < a.length; i++) {
      const m = mapOf(i);
      if (a[i] < lo[m]) lo[m] = a[i];
      if (a[i] > hi[m]) hi[m] = a[i];
    }
    return { lo, hi };
  };
  const input = range(x, (i) => plan.mapOfElement(i));
  const pooled = range(values, (b) => plan.mapOfBlock(b));
  const slopes = new Float64Array(maps);
  for (let m = 0; m < maps; m++) {
    const spread = pooled.hi[m] - pooled.lo[m];
    slopes[m] = spread > 0 ? (input.hi[m] - input.lo[m]) / spread : 1;
  }
  for (let b = 0; b < values.length; b++) {
    const m = plan.mapOfBlock(b);
    if (pooled.hi[m] > pooled.lo[m]) values[b] = input.lo[m] + (values[b] - pooled.lo[m]) * slopes[m];
  }
  return slopes;
}

/**
 * Everything about one input shape: the canonical channels-last form [B, (D,) H, W, C] the pooling
 * runs on, block sizes, the output block of every element, and constant tensors (kept with
 * `tf.keep`, so an enclosing `tf.tidy` such as a training step does not free them).
 */
class ShapePlan {
  readonly canonical: number[]; // [B, (D,) H, W, C]
  readonly canonicalOut: number[]; // [B, (nD,) nH, nW, C]
  readonly outShape: number[]; // the caller's rank
  readonly blocks: number[]; // block size per spatial axis
  readonly volume: number; // full block size Π k
  readonly size: number; // elements of x
  readonly outSize: number; // blocks (elements of the output)
  readonly blockOf: Int32Array; // element (flat, row-major) → its block (flat index into the output)
  readonly counts: Int32Array; // block → its number of elements (smaller for partial blocks)
  readonly scratch: Float64Array; // per-block accumulators, reused by every call
  private elements?: Float32Array; // per-element scratch, reused by every call
  private groups?: { members: Int32Array; start: Int32Array; counts: Int32Array };
  private center?: tf.Tensor;
  private readonly pads = new Map<'zero' | 'lowest', (tf.Tensor | null)[]>();

  /** Number of maps (batch items × channels). */
  get maps(): number {
    return this.canonical[0] * this.canonical[this.canonical.length - 1];
  }

  /** The map (b · C + c) of element i of the input, row-major over [B, …, C]. */
  mapOfElement(i: number): number {
    const channels = this.canonical[this.canonical.length - 1];
    return Math.floor(i / (this.size / this.canonical[0])) * channels + (i % channels);
  }

  /** The map of block b of the output. */
  mapOfBlock(b: number): number {
    const channels = this.canonicalOut[this.canonicalOut.length - 1];
    return Math.floor(b / (this.outSize / this.canonicalOut[0])) * channels + (b % channels);
  }

  constructor(shape: readonly number[], blocks: number[], batch: number, channels: number) {
    const spatial = shape.length >= 4 ? shape.slice(1, -1) : shape.slice();
    const nOut = spatial.map((n, a) => Math.ceil(n / blocks[a]));
    this.canonical = [batch, ...spatial, channels];
    this.canonicalOut = [batch, ...nOut, channels];
    const first = shape.length >= 4 ? 1 : 0;
    this.outShape = shape.slice();
    nOut.forEach((n, a) => (this.outShape[first + a] = n));
    this.blocks = blocks;
    this.volume = blocks.reduce((p, k) => p * k, 1);
    this.size = shape.reduce((p, n) => p * n, 1);
    this.outSize = this.canonicalOut.reduce((p, n) => p * n, 1);

    // Row-major walk over [B, s_1 … s_d, C]: the block index is row-major over [B, n_1 … n_d, C].
    this.blockOf = new Int32Array(this.size);
    this.counts = new Int32Array(this.outSize);
    const dims = this.canonical;
    const coords = new Array<number>(dims.length).fill(0);
    for (let i = 0; i < this.size; i++) {
      let b = 0;
      for (let a = 0; a < dims.length; a++) {
        const k = a === 0 || a === dims.length - 1 ? 1 : blocks[a - 1];
        b = b * this.canonicalOut[a] + Math.floor(coords[a] / k);
      }
      this.blockOf[i] = b;
      this.counts[b]++;
      for (let a = dims.length - 1; a >= 0; a--) {
        if (++coords[a] < dims[a]) break;
        coords[a] = 0;
      }
    }
    this.scratch = new Float64Array(this.outSize);
  }

  get scratchElements(): Float32Array {
    return (this.elements ??= new Float32Array(this.size));
  }

  /** The elements grouped by block (a counting sort of blockOf): block b owns members[start[b] …]. */
  grouping(): { members: Int32Array; start: Int32Array; counts: Int32Array } {
    if (!this.groups) {
      const start = new Int32Array(this.outSize + 1);
      for (let b = 0; b < this.outSize; b++) start[b + 1] = start[b] + this.counts[b];
      const fill = start.slice(0, this.outSize);
      const members = new Int32Array(this.size);
      for (let i = 0; i < this.size; i++) members[fill[this.blockOf[i]]++] = i;
      this.groups = { members, start, counts: this.counts };
    }
    return this.groups;
  }

  /** The constant 'center' weights 1/|block|, in the canonical shape. */
  centerWeights(): tf.Tensor {
    if (!this.center) {
      const w = new Float32Array(this.size);
      for (let i = 0; i < this.size; i++) w[i] = 1 / this.counts[this.blockOf[i]];
      this.center = tf.keep(tf.tensor(w, this.canonical, 'float32'));
    }
    return this.center;
  }

  /**
   * Constant tensors that extend each spatial axis in turn to a multiple of its block size (null
   * where it divides): zeros for sums, the most negative float32 for max-selection.
   */
  padding(fill: 'zero' | 'lowest'): (tf.Tensor | null)[] {
    let pads = this.pads.get(fill);
    if (!pads) {
      const shape = this.canonical.slice();
      pads = this.blocks.map((k, a) => {
        const pad = Math.ceil(shape[a + 1] / k) * k - shape[a + 1];
        if (pad === 0) return null;
        const padShape = shape.map((n, b) => (b === a + 1 ? pad : n));
        shape[a + 1] += pad;
        return tf.keep(fill === 'zero' ? tf.zeros(padShape) : tf.fill(padShape, LOWEST));
      });
      this.pads.set(fill, pads);
    }
    return pads;
  }

  dispose(): void {
    this.center?.dispose();
    this.center = undefined;
    for (const pads of this.pads.values()) pads.forEach((t) => t?.dispose());
    this.pads.clear();
  }
}

type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

/** Pads `z` (canonical shape) to whole blocks with the plan's constant tensors. */
function padToBlocks(z: tf.Tensor, pads: (tf.Tensor | null)[]): tf.Tensor {
  pads.forEach((pad, a) => {
    if (pad) z = tf.concat([z, pad], a + 1);
  });
  return z;
}

/** The unspool: dy (pooled, canonical) repeated over every block, times the weights. */
function unspool(plan: ShapePlan, dy: tf.Tensor, weights: tf.Tensor): tf.Tensor {
  let g = dy;
  plan.blocks.forEach((k, a) => (g = repeatBlocks(g, a + 1, k, plan.canonical[a + 1])));
  return tf.mul(g, weights);
}

/**
 * x ↦ Σ_{i ∈ block} w_i x_i on the canonical shape, with the unspool as its gradient:
 * ∂/∂x_i = dy[block(i)] · w_i.
 *
 * Forward: multiply, zero-extend partial blocks, average-pool with stride = block, scale by the
 * block volume. Backward: `unspool`. Plain autodiff of the forward gives the same numbers, but the
 * cpu backend's gradients of avgPool and pad (and its transposes, were the pooling done by reshape
 * and sum) index element by element: measured in Node, pad + avgPool + their gradients take 17 ms
 * for a 256×256 image with k = 4 and 49 ms for 257×259, against 7 and 15 ms for a whole `apply`
 * with this backward. Every op used is a plain float32 elementwise, pooling or copy op on every
 * backend (no matmul: its TF32 mode on recent NVIDIA GPUs would round the values).
 */
function weightedSumPool(plan: ShapePlan, w: tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  const forward = (x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([w]);
    const z = padToBlocks(tf.mul(x, w), plan.padding('zero'));
    const pooled =
      plan.blocks.length === 2
        ? tf.avgPool(z as tf.Tensor4D, plan.blocks as [number, number], plan.blocks as [number, number], 'valid')
        : tf.avgPool3d(
            z as tf.Tensor5D,
            plan.blocks as [number, number, number],
            plan.blocks as [number, number, number],
            'valid',
          );
    return {
      value: tf.mul(pooled, plan.volume),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [unspool(plan, dy, saved[0])],
    };
  };
  return tf.customGrad(forward as unknown as CustomGradFunc);
}

/**
 * The 'vertex' approximate: x at one chosen element per block (`onehot[i]` = 1 there, 0 elsewhere),
 * bit for bit. Forward: max-pool x plus an additive mask (0 at the chosen element, the lowest
 * float32 elsewhere and on padding), which selects exactly x_chosen (a weighted sum with a
 * non-power-of-two block volume would round). Backward: `unspool` by the one-hot weights, uploaded
 * only when a gradient is asked for.
 */
function selectPool(plan: ShapePlan, onehot: Float32Array): (x: tf.Tensor) => tf.Tensor {
  const forward = (x: tf.Tensor) => {
    const mask = new Float32Array(onehot.length);
    for (let i = 0; i < mask.length; i++) mask[i] = onehot[i] === 1 ? 0 : LOWEST;
    const z = padToBlocks(tf.add(x, tf.tensor(mask, plan.canonical, 'float32')), plan.padding('lowest'));
    const value =
      plan.blocks.length === 2
        ? tf.maxPool(z as tf.Tensor4D, plan.blocks as [number, number], plan.blocks as [number, number], 'valid')
        : tf.maxPool3d(
            z as tf.Tensor5D,
            plan.blocks as [number, number, number],
            plan.blocks as [number, number, number],
            'valid',
          );
    return {
      value,
      gradFunc: (dy: tf.Tensor) => [unspool(plan, dy, tf.tensor(onehot, plan.canonical, 'float32'))],
    };
  };
  return tf.customGrad(forward as unknown as CustomGradFunc);
}

/** Repeats each entry of `t` along `axis` k times, the last one only enough to reach `length`. */
function repeatBlocks(t: tf.Tensor, axis: number, k: number, length: number): tf.Tensor {
  if (k === 1) return t;
  const shape = t.shape;
  const pre = shape.slice(0, axis).reduce((p, n) => p * n, 1);
  const post = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
  const n = shape[axis];
  const last = length - (n - 1) * k; // length of the last block, 1 … k
  const v = tf.reshape(t, [pre, n, 1, post]);
  const repeat = (u: tf.Tensor, times: number) => tf.concat(Array<tf.Tensor>(times).fill(u), 2);
  let up: tf.Tensor;
  if (last === k) {
    up = repeat(v, k);
  } else {
    const head = tf.reshape(repeat(tf.slice(v, [0, 0, 0, 0], [pre, n - 1, 1, post]), k), [pre, (n - 1) * k, post]);
    const tail = tf.reshape(repeat(tf.slice(v, [0, n - 1, 0, 0], [pre, 1, 1, post]), last), [pre, last, post]);
    up = tf.concat([head, tail], 1);
  }
  return tf.reshape(
    up,
    shape.map((s, a) => (a === axis ? length : s)),
  );
}

function checkBlock(block: unknown): number | readonly number[] {
  const ok = (k: unknown) => typeof k === 'number' && Number.isSafeInteger(k) && k >= 1;
  if (typeof block === 'number') {
    if (!ok(block)) throw new Error(`options.block: expected a positive integer, got ${describe(block)}`);
    return block;
  }
  if (Array.isArray(block)) {
    if (block.length !== 2 && block.length !== 3)
      throw new Error(
        `options.block: expected one block size per spatial axis (2 or 3 of them), got ${block.length}: ${describe(block)}`,
      );
    const bad = block.findIndex((k) => !ok(k));
    if (bad >= 0)
      throw new Error(
        `options.block: expected positive integers, got ${describe(block[bad])} at index ${bad} of ${describe(block)}`,
      );
    return Object.freeze(block.slice()) as readonly number[];
  }
  throw new Error(`options.block: expected a positive integer or an array of them, got ${describe(block)}`);
}

/** A 32-bit integer hash (the murmur3 finaliser): turns successive stream states into seeds. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
