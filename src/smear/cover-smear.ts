import * as tf from '@tensorflow/tfjs-core';
import { uniformOpen } from '../base/random.js';
import { checkCover, Cover } from './cover.js';
import { SparseMatrix } from '../ops/sparse-matrix.js';
import { SMEAR_MEASURES, SmearMeasure } from './block-smear.js';
import { checkNumber, checkOptions, describe, FLOAT32_MAX } from '../base/checks.js';

/**
 * Options of `CoverSmear`: noise, weight distribution and seed.
 *
 * @category Smearing
 */
export interface CoverSmearOptions {
  /** Noise amplitude ε ≥ 0: each vertex value gets U[−ε, ε] added before pooling. Default 0. */
  noise?: number;
  /** Distribution of the convex weights inside each cover element (as `BlockSmear`). Default `'simplex'`. */
  measure?: SmearMeasure;
  /** Seed of the random stream; successive calls draw fresh samples. Default: random. */
  seed?: number;
}

/**
 * STUMP approximates of functions on a simplicial complex (paper, Section II.A): for a cover
 * U = {U_i} of the vertices, the approximate lives on the vertices of the nerve of U,
 *
 *     f_ω(U_i) = Σ_{v ∈ U_i} ω_{i,v} · (f(v) + h(v)),   ω_i ~ μ on the simplex of U_i, h ~ U[−ε, ε],
 *
 * and its lower-star diagram on the nerve (see `nerve`) stands in for f's. The gradient of a loss
 * on f_ω pulls back to f through ω: every vertex of a cover element receives its share.
 *
 * `apply(values)` takes `[n]` or `[B, n]` (n = cover.numVertices) and returns `[m]` or `[B, m]`
 * (m = cover.size), differentiable in `values`; the pooling runs on the host in O(Σ|U_i|) (values
 * are read back for the persistence engine anyway), and each batch item draws its own ω and h.
 *
 * @throws Error naming `cover` / `cover.<key>` (not a well-formed Cover) or `options` /
 *   `options.<key>` (not an object, an unknown key, `noise` not a finite float32 number ≥ 0,
 *   `measure` not one of `SMEAR_MEASURES`, `seed` not a safe integer) when constructed; `values`
 *   when `apply` gets other than a float32 tensor of shape `[n]` or `[B, n]` with finite values.
 * @example
 * ```js
 * const cover = coverFromSets([[0, 1], [2, 3]], 4); // two cover elements of a 4-vertex complex
 * const smear = new CoverSmear(cover, { measure: 'center' }); // plain averages, no noise
 * smear.apply(tf.tensor1d([0, 2, 4, 6])).arraySync(); // → [1, 5], one value per cover element
 * // With the default measure ('simplex') each call draws fresh random convex weights instead.
 * ```
 * @category Smearing
 */
export class CoverSmear {
  /** The cover U whose elements are pooled. */
  readonly cover: Cover;
  /** Noise amplitude ε. */
  readonly noise: number;
  /** Distribution of the weights inside each cover element. */
  readonly measure: SmearMeasure;
  /** Seed of the random stream (drawn at construction when none was given): reuse it to replay a run. */
  readonly seed: number;
  private readonly random: () => number;

  constructor(cover: Cover, options?: CoverSmearOptions) {
    checkCover(cover);
    const { noise = 0, measure = 'simplex', seed } = checkOptions(options, 'options', ['noise', 'measure', 'seed']);
    checkNumber(noise, 'options.noise', 0, 0, FLOAT32_MAX); // added to float32 values
    if (!SMEAR_MEASURES.includes(measure))
      throw new Error(
        `options.measure: expected one of ${SMEAR_MEASURES.map((m) => `'${m}'`).join(', ')}, got ${describe(measure)}`,
      );
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
      throw new Error(`options.seed: expected an integer, got ${describe(seed)}`);
    this.cover = cover;
    this.noise = noise;
    this.measure = measure;
    this.seed = seed ?? Math.floor(Math.random() * 2 ** 32);
    this.random = uniformOpen(this.seed);
  }

  /** One random approximate f_ω of every function in `values` (see the class comment). */
  apply(values: tf.Tensor): tf.Tensor {
    const batch = this.checkValues(values);
    // One read: pooling would spread a NaN over its elements, or hide it (vertex measure).
    const f = values.dataSync();
    for (let i = 0; i < f.length; i++)
      if (f[i] - f[i] !== 0) throw new Error(`values: expected finite values, got ${f[i]} at index ${i}`);
    return this.pool(values, batch);
  }

  /**
   * `apply` without reading `values` back: a NaN or ±Infinity makes the approximates of its cover
   * elements non-finite instead of raising (every member enters its elements' sums, with weight 0
   * too), for a caller that reads the approximate anyway (the smeared complex term's op refuses it).
   * @internal
   */
  approximate(values: tf.Tensor): tf.Tensor {
    return this.pool(values, this.checkValues(values));
  }

  /** The checks of `values` that need no read; returns its batch size. */
  private checkValues(values: tf.Tensor): number {
    if (!(values instanceof tf.Tensor)) throw new Error(`values: expected a tf.Tensor, got ${describe(values)}`);
    if (values.dtype !== 'float32') throw new Error(`values: expected a float32 tensor, got ${values.dtype}`);
    const n = this.cover.numVertices;
    const shape = values.shape;
    if ((shape.length !== 1 && shape.length !== 2) || shape[shape.length - 1] !== n)
      throw new Error(
        `values: expected shape [${n}] or [B, ${n}] (one value per vertex of the cover), got [${shape.join(', ')}]`,
      );
    return shape.length === 1 ? 1 : shape[0];
  }

  /**
   * f_ω = W·(values + h) on the device: noise h and weights W drawn on the host from the stream
   * (per item: the noise of every vertex, then the weights of each element in turn), W uploaded as
   * a sparse matrix; the gradient is Wᵀ·dy.
   */
  private pool(values: tf.Tensor, batch: number): tf.Tensor {
    const { numVertices: n, size: m, starts, members } = this.cover;
    const pooling = new SparseMatrix(batch * m, batch * n, batch * members.length);
    const noise = new Float32Array(batch * n);
    const w = new Float32Array(members.length);
    for (let b = 0; b < batch; b++) {
      for (let v = 0; v < n; v++) noise[b * n + v] = this.noise === 0 ? 0 : (2 * this.random() - 1) * this.noise;
      for (let i = 0; i < m; i++) {
        this.drawWeights(w, starts[i], starts[i + 1]);
        for (let e = starts[i]; e < starts[i + 1]; e++) pooling.add(b * m + i, b * n + members[e], w[e]);
      }
    }
    const outShape = values.shape.length === 1 ? [m] : [batch, m];
    const transposed = pooling.transpose();
    const op = tf.customGrad((...args) => ({
      value: pooling.multiply(tf.add(args[0] as tf.Tensor, tf.tensor(noise, values.shape, 'float32')), outShape),
      gradFunc: (dy: tf.Tensor) => transposed.multiply(dy, (args[0] as tf.Tensor).shape),
    }));
    return op(values);
  }

  /** Convex weights for the members [from, to) of one cover element, drawn from the measure. */
  private drawWeights(w: Float32Array, from: number, to: number): void {
    const count = to - from;
    if (this.measure === 'center') w.fill(1 / count, from, to);
    else if (this.measure === 'vertex') {
      w.fill(0, from, to);
      w[from + Math.floor(this.random() * count)] = 1;
    } else {
      let sum = 0;
      for (let e = from; e < to; e++)
        sum += w[e] = this.measure === 'simplex' ? -Math.log(this.random()) : this.random();
      for (let e = from; e < to; e++) w[e] /= sum;
    }
  }
}
