import * as tf from '@tensorflow/tfjs-core';
import { mapLayout } from '../ops/layout';

/**
 * Distribution μ of the convex weights ω inside each block (paper, Section II.A):
 *
 * - `'center'`: the atom at the centre of the simplex, ω_i = 1/|block| (plain average pooling);
 * - `'vertex'`: uniform on the simplex's vertices, all weight on one uniformly random element;
 * - `'simplex'`: uniform on the whole simplex, i.e. Dirichlet(1, …, 1) (normalised Exp(1) draws);
 * - `'uniform-normalized'`: U(0, 1) draws divided by their sum, as in the authors' reference code
 *   (not uniform on the simplex, slightly more concentrated at its centre).
 */
export type SmearMeasure = 'center' | 'vertex' | 'simplex' | 'uniform-normalized';

export const SMEAR_MEASURES: readonly SmearMeasure[] = ['center', 'vertex', 'simplex', 'uniform-normalized'];

export interface BlockSmearOptions {
  /** Block edge length k (same on every spatial axis) or one per spatial axis. */
  block: number | readonly number[];
  /** Noise amplitude ε ≥ 0: each element gets U[−ε, ε] added before pooling. Default 0. */
  noise?: number;
  /** Distribution of the convex weights inside each block. Default `'simplex'`. */
  measure?: SmearMeasure;
  /** Seed of the random stream; successive calls draw fresh samples from it. Default: random. */
  seed?: number;
}

// Uniform draws for the weights come from [TINY, 1): never 0, so a block's weight sum is never 0
// (a partial block may hold a single element). The bias this adds is below float32 resolution.
const TINY = 2 ** -24;

/**
 * STUMP random approximates of images and volumes (Solomon, Wagner & Bendich 2021, Section II):
 * each call of `apply(x)` draws noise h ~ U[−ε, ε] for every element and, for every k×k (or
 * k×k×k) block of every map, random convex weights ω from the chosen `measure`, and returns the
 * pooled approximate
 *
 *     f_ω[block] = Σ_{i ∈ block} ω_i · (x_i + h_i).
 *
 * Spatial sizes shrink to ceil(n / k); the last block along an axis may be partial (it pools only
 * its real elements, weights normalised over them; no element is ever dropped). Inputs are `[H, W]`,
 * `[D, H, W]`, `[B, H, W, C]` or `[B, D, H, W, C]` (channels-last); every batch item and channel
 * draws its own weights. Everything is tfjs ops, so `tf.grad` through `apply` gives the paper's
 * "unspool": a block's upstream gradient times ω_i on each of its elements. Only the small pooled
 * tensor needs to be read back to the host.
 *
 * The random stream is the instance's own: two instances built with the same `seed` produce the
 * same sequence of approximates for the same sequence of input shapes (on any backend: tfjs draws
 * random numbers on the host). Call `dispose()` to free the cached constant tensors.
 *
 * ```js
 * const smear = new BlockSmear({block: 5, noise: 50, measure: 'simplex', seed: 1});
 * const loss = () => totalPersistence(smear.apply(image));   // one approximate per step
 * optimizer.minimize(loss);
 * smear.dispose();
 * ```
 */
export class BlockSmear {
  /** Block edge length(s), as given. */
  readonly block: number | readonly number[];
  /** Noise amplitude ε. */
  readonly noise: number;
  /** Distribution of the block weights. */
  readonly measure: SmearMeasure;
  /** The seed of the random stream (drawn at construction when none was given): reuse it to replay a run. */
  readonly seed: number;

  private state: number; // the stream's 32-bit state, advanced once per apply()
  private readonly axisConstants = new Map<string, AxisConstants>(); // per (axis length, block size)

  constructor(options: BlockSmearOptions) {
    if (options == null || typeof options !== 'object')
      throw new Error(`options: expected an object { block, noise?, measure?, seed? }, got ${String(options)}`);
    const { block, noise = 0, measure = 'simplex', seed } = options;
    this.block = checkBlock(block);
    if (typeof noise !== 'number' || !(noise >= 0) || !Number.isFinite(noise))
      throw new Error(`options.noise: expected a finite number ≥ 0, got ${String(noise)}`);
    if (!SMEAR_MEASURES.includes(measure))
      throw new Error(`options.measure: expected one of ${SMEAR_MEASURES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(measure)}`);
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
      throw new Error(`options.seed: expected an integer, got ${String(seed)}`);
    this.noise = noise;
    this.measure = measure;
    this.seed = seed ?? Math.floor(Math.random() * 2 ** 32);
    // Fold the high bits into the low ones so seeds differing only above 2^32 still differ.
    this.state = mix32((this.seed >>> 0) ^ mix32(Math.floor(this.seed / 2 ** 32) >>> 0));
  }

  /**
   * The shape of `apply(x)` for an input of shape `shape`: every spatial size n becomes ceil(n / k).
   * Throws if the block does not fit the shape.
   */
  outputShape(shape: readonly number[]): number[] {
    const layout = mapLayout(shape, 'x');
    const blocks = this.blockSizes(layout.spatial, shape);
    const out = shape.slice();
    const first = shape.length >= 4 ? 1 : 0;
    blocks.forEach((k, a) => (out[first + a] = Math.ceil(shape[first + a] / k)));
    return out;
  }

  /**
   * One random approximate f_ω = pool_ω(x + h) of `x` (float32, any layout above), drawn afresh
   * from this instance's stream. Differentiable in `x`; the gradient is the unspool through ω.
   */
  apply(x: tf.Tensor): tf.Tensor {
    if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${String(x)}`);
    if (x.dtype !== 'float32') throw new Error(`x: expected a float32 tensor, got dtype '${x.dtype}'`);
    const shape = x.shape;
    const outShape = this.outputShape(shape);
    // blocks[a]: the block size along tensor axis a (1 on batch and channel axes); axes with block
    // size 1 need no pooling.
    const first = shape.length >= 4 ? 1 : 0;
    const blocks = shape.map(() => 1);
    this.blockSizes(mapLayout(shape).spatial, shape).forEach((k, a) => (blocks[first + a] = k));
    const pooled = blocks.map((_, a) => a).filter((a) => blocks[a] > 1);

    // One step of the instance's stream per call; the call's random tensors get seeds derived from it.
    this.state = (this.state + 0x9e3779b9) >>> 0;
    const callKey = mix32(this.state);
    const seedFor = (stream: number) => mix32((callKey ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0);

    return tf.tidy(() => {
      const noisy = this.noise > 0 ? tf.add(x, tf.randomUniform(shape, -this.noise, this.noise, 'float32', seedFor(0))) : x;
      if (pooled.length === 0) return this.noise > 0 ? noisy : tf.clone(x); // 1×1 blocks: every ω is 1
      let current: number[] = shape.slice();
      const reduce = (t: tf.Tensor, a: number, weigh?: (v: tf.Tensor4D, c: AxisConstants) => tf.Tensor4D) => {
        const c = this.constantsFor(current[a], blocks[a]);
        const pre = current.slice(0, a).reduce((p, n) => p * n, 1);
        const post = current.slice(a + 1).reduce((p, n) => p * n, 1);
        let v: tf.Tensor = tf.reshape(t, [pre, current[a], post]);
        if (c.padding > 0) v = tf.pad(v, [[0, 0], [0, c.padding], [0, 0]]); // zeros: they add nothing to a sum
        let blocksView = tf.reshape(v, [pre, c.count, blocks[a], post]) as tf.Tensor4D;
        if (weigh) blocksView = weigh(blocksView, c);
        return tf.sum(blocksView, 2) as tf.Tensor3D; // [pre, blocks along a, post]
      };
      const step = (a: number) => (current = current.map((n, b) => (b === a ? outShape[a] : n)));

      switch (this.measure) {
        case 'center': {
          // Block averages one axis at a time: the product of per-axis averages is the block average.
          let t: tf.Tensor = noisy;
          for (const a of pooled) {
            t = tf.mul(reduce(t, a), this.constantsFor(current[a], blocks[a]).inverseSizes);
            step(a);
          }
          return tf.reshape(t, outShape);
        }
        case 'vertex': {
          // A uniform element of a (possibly partial) box block is a uniform coordinate along each
          // axis, chosen independently: pick one along each axis in turn, independently for every
          // line of the block. The chosen element is uniform over the block, independent across
          // blocks, maps and calls; the selection is exact (the other weights are exactly 0).
          let t: tf.Tensor = noisy;
          for (const a of pooled) {
            t = reduce(t, a, (v, c) => {
              const [pre, n, , post] = v.shape;
              const r = tf.randomUniform([pre, n, 1, post], 0, 1, 'float32', seedFor(1 + a));
              const pick = tf.minimum(tf.floor(tf.mul(r, c.sizes)), c.lastOffsets); // offset in [0, size)
              return tf.mul(v, tf.cast(tf.equal(c.offsets, pick), 'float32'));
            });
            step(a);
          }
          return tf.reshape(t, outShape);
        }
        case 'simplex':
        case 'uniform-normalized': {
          // f_ω = Σ u_i (x_i + h_i) / Σ u_i over the block: the weights are normalised on the small
          // pooled tensor, and autodiff gives ∂f/∂x_i = u_i / Σ u = ω_i. Padding (zeros in both sums)
          // takes no weight, so partial blocks are normalised over their real elements.
          const u = tf.randomUniform(shape, TINY, 1, 'float32', seedFor(0x5eed));
          // Dirichlet(1) = normalised Exp(1) = normalised −log U. The sign cancels in the ratio, so
          // log U ≤ −TINY (kept away from 0: a lone element of a partial block needs nonzero weight).
          const w = this.measure === 'simplex' ? tf.minimum(tf.log(u), -TINY) : u;
          let num: tf.Tensor = tf.mul(noisy, w);
          let den: tf.Tensor = w;
          for (const a of pooled) {
            num = reduce(num, a);
            den = reduce(den, a);
            step(a);
          }
          return tf.reshape(tf.div(num, den), outShape);
        }
      }
    });
  }

  /** Frees the cached constant tensors. The instance stays usable (they are rebuilt on demand). */
  dispose(): void {
    for (const c of this.axisConstants.values()) c.dispose();
    this.axisConstants.clear();
  }

  /** Block size per spatial axis, checked against the input's spatial shape. */
  private blockSizes(spatial: readonly number[], shape: readonly number[]): number[] {
    const blocks = typeof this.block === 'number' ? spatial.map(() => this.block as number) : this.block.slice();
    if (blocks.length !== spatial.length)
      throw new Error(
        `options.block: expected ${spatial.length} block sizes for the ${spatial.length} spatial axes of x (shape [${shape.join(', ')}]), got ${blocks.length}`,
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

  /** Constants for pooling an axis of `length` elements in blocks of `k`, made once and kept. */
  private constantsFor(length: number, k: number): AxisConstants {
    const key = `${length}/${k}`;
    let c = this.axisConstants.get(key);
    if (!c) {
      c = new AxisConstants(length, k);
      this.axisConstants.set(key, c);
    }
    return c;
  }
}

/**
 * Per (axis length, block size): the element counts of the blocks along the axis (the last one may
 * be partial) in the shapes the pooling broadcasts them to. Tensors are made lazily and `tf.keep`
 * so an enclosing `tf.tidy` (e.g. a training step) does not free them.
 */
class AxisConstants {
  readonly count: number; // blocks along the axis
  readonly padding: number; // zeros appended to fill the last block
  private readonly k: number;
  private readonly tensors: tf.Tensor[] = [];
  private inverse?: tf.Tensor2D;
  private sizesT?: tf.Tensor3D;
  private lastT?: tf.Tensor3D;
  private offsetsT?: tf.Tensor2D;

  constructor(private readonly length: number, k: number) {
    this.k = k;
    this.count = Math.ceil(length / k);
    this.padding = this.count * k - length;
  }

  /** Elements per block, [count, 1, 1] (broadcasts against [pre, count, 1, post]). */
  get sizes(): tf.Tensor3D {
    return (this.sizesT ??= this.keep(tf.tensor3d(this.blockSizes(), [this.count, 1, 1])));
  }

  /** Elements per block minus 1: the last valid offset, [count, 1, 1]. */
  get lastOffsets(): tf.Tensor3D {
    return (this.lastT ??= this.keep(tf.tensor3d(this.blockSizes().map((m) => m - 1), [this.count, 1, 1])));
  }

  /** 1 / elements per block, [count, 1] (broadcasts against [pre, count, post]). */
  get inverseSizes(): tf.Tensor2D {
    return (this.inverse ??= this.keep(tf.tensor2d(this.blockSizes().map((m) => 1 / m), [this.count, 1])));
  }

  /** Offset of each position inside its block, 0 … k−1, [k, 1] (broadcasts against [pre, count, k, post]). */
  get offsets(): tf.Tensor2D {
    return (this.offsetsT ??= this.keep(tf.tensor2d(Array.from({ length: this.k }, (_, i) => i), [this.k, 1])));
  }

  dispose(): void {
    for (const t of this.tensors) t.dispose();
    this.tensors.length = 0;
    this.inverse = this.sizesT = this.lastT = this.offsetsT = undefined;
  }

  private blockSizes(): number[] {
    return Array.from({ length: this.count }, (_, b) => Math.min(this.k, this.length - b * this.k));
  }

  private keep<T extends tf.Tensor>(t: T): T {
    this.tensors.push(tf.keep(t));
    return t;
  }
}

function checkBlock(block: unknown): number | readonly number[] {
  const ok = (k: unknown) => typeof k === 'number' && Number.isSafeInteger(k) && k >= 1;
  if (typeof block === 'number') {
    if (!ok(block)) throw new Error(`options.block: expected a positive integer, got ${block}`);
    return block;
  }
  if (Array.isArray(block)) {
    if (block.length !== 2 && block.length !== 3)
      throw new Error(`options.block: expected one block size per spatial axis (2 or 3 of them), got ${block.length}: [${block.join(', ')}]`);
    const bad = block.findIndex((k) => !ok(k));
    if (bad >= 0) throw new Error(`options.block: expected positive integers, got ${String(block[bad])} at index ${bad} of [${block.join(', ')}]`);
    return Object.freeze(block.slice()) as readonly number[];
  }
  throw new Error(`options.block: expected a positive integer or an array of them, got ${block === undefined ? 'undefined' : JSON.stringify(block)}`);
}

/** A 32-bit integer hash (the murmur3 finaliser): decorrelates successive states into seeds. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
