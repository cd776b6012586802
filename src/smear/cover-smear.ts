import * as tf from '@tensorflow/tfjs-core';
import { uniformOpen } from '../base/random.js';
import { checkCover, Cover } from './cover.js';
import { SMEAR_MEASURES, SmearMeasure } from './block-smear.js';
import { checkNumber, checkOptions, describe, FLOAT32_MAX } from '../base/checks.js';

/** Options of `CoverSmear`: noise, weight distribution and seed. */
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
 * @throws Error naming `cover` (not a Cover) or `options` / `options.<key>` (not an object, an
 *   unknown key, `noise` not a finite float32 number ≥ 0, `measure` not one of `SMEAR_MEASURES`,
 *   `seed` not a safe integer) when constructed; `values` when `apply` gets other than a float32
 *   tensor of shape `[n]` or `[B, n]`.
 * @example
 * ```js
 * const cover = coverFromSets([[0, 1], [2, 3]], 4); // two cover elements of a 4-vertex complex
 * const smear = new CoverSmear(cover, { measure: 'center' }); // plain averages, no noise
 * smear.apply(tf.tensor1d([0, 2, 4, 6])).arraySync(); // → [1, 5], one value per cover element
 * // With the default measure ('simplex') each call draws fresh random convex weights instead.
 * ```
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
    checkCover(cover, cover?.numVertices);
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
    if (!(values instanceof tf.Tensor)) throw new Error(`values: expected a tf.Tensor, got ${typeof values}`);
    if (values.dtype !== 'float32') throw new Error(`values: expected a float32 tensor, got ${values.dtype}`);
    const { numVertices: n, size: m, starts, members } = this.cover;
    const shape = values.shape;
    if ((shape.length !== 1 && shape.length !== 2) || shape[shape.length - 1] !== n)
      throw new Error(
        `values: expected shape [${n}] or [B, ${n}] (one value per vertex of the cover), got [${shape.join(', ')}]`,
      );
    const batch = shape.length === 1 ? 1 : shape[0];
    const f = values.dataSync();
    const weights = new Float32Array(batch * members.length); // ω_{i,v} per (item, membership)
    const pooled = new Float32Array(batch * m);
    const h = new Float64Array(n);
    for (let b = 0; b < batch; b++) {
      for (let v = 0; v < n; v++) h[v] = this.noise === 0 ? 0 : (2 * this.random() - 1) * this.noise;
      const w = weights.subarray(b * members.length, (b + 1) * members.length);
      for (let i = 0; i < m; i++) {
        this.drawWeights(w, starts[i], starts[i + 1]);
        let acc = 0;
        for (let e = starts[i]; e < starts[i + 1]; e++) acc += w[e] * (f[b * n + members[e]] + h[members[e]]);
        pooled[b * m + i] = acc;
      }
    }
    const outShape = shape.length === 1 ? [m] : [batch, m];
    const op = tf.customGrad((...args) => ({
      value: tf.tensor(pooled, outShape, 'float32'),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const grad = new Float32Array(batch * n);
        for (let b = 0; b < batch; b++)
          for (let i = 0; i < m; i++)
            for (let e = starts[i]; e < starts[i + 1]; e++)
              grad[b * n + members[e]] += weights[b * members.length + e] * g[b * m + i];
        return tf.tensor(grad, (args[0] as tf.Tensor).shape, 'float32');
      },
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
