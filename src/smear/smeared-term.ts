import * as tf from '@tensorflow/tfjs-core';
import { complexTerm, ComplexTermConfig } from '../ops/lower-star-op.js';
import { SimplicialComplex } from '../persistence/lower-star/simplicial-complex.js';
import { cloudDiagrams, cloudLayout, PointCloudTermConfig } from '../ops/rips-op.js';
import { applyFunctional, topologicalTerm, TopologicalTermConfig } from '../ops/topological-term.js';
import { BlockSmear } from './block-smear.js';
import { CoverSmear } from './cover-smear.js';
import { PointSubsample } from './point-subsample.js';

/**
 * The STUMP estimate of a topological term: the mean of Φ(PD(f_ω)) over `samples` random
 * approximates f_ω of x. Its gradient, pulled back through the pooling, is the smeared gradient.
 *
 * @throws Error naming `x` or `options.block` as `BlockSmear.apply` does (x not a finite float32
 *   image or volume batch, a block that does not fit it), and `config.<key>`,
 *   `config.functional.<key>` or `options.<key>` as `topologicalTerm` does for `term`. Neither
 *   `smear` nor `samples` is checked (a `samples` below 1 fails inside tfjs).
 * @example
 * ```js
 * const x = tf.randomUniform([8, 8], 0, 1, 'float32', 1);
 * const smear = new BlockSmear({ block: 2, noise: 0.05, seed: 1 });
 * const term = { functional: { kind: 'totalPersistence', dim: 0 } };
 * const estimate = smearedTerm(x, term, smear, 4); // the mean of Φ over 4 approximates (4×4 each)
 * const grad = tf.grad((x) => smearedTerm(x, term, smear, 4))(x); // spread over whole blocks
 * smear.dispose();
 * ```
 */
export function smearedTerm(x: tf.Tensor, term: TopologicalTermConfig, smear: BlockSmear, samples: number): tf.Scalar {
  return tf.tidy(() => mean(Array.from({ length: samples }, () => topologicalTerm(smear.apply(x), term))));
}

/**
 * The STUMP estimate of a term on a complex (paper, Section II.A): the mean of Φ over `samples`
 * approximates f_ω of `values` on the nerve `nerveComplex` of the smear's cover.
 */
export function smearedComplexTerm(
  values: tf.Tensor,
  term: ComplexTermConfig,
  smear: CoverSmear,
  nerveComplex: SimplicialComplex,
  samples: number,
): tf.Scalar {
  return tf.tidy(() =>
    mean(Array.from({ length: samples }, () => complexTerm(smear.apply(values), nerveComplex, term))),
  );
}

/**
 * The STUMP estimate of a point-cloud term (paper, Section IV.B): the mean of Φ over `samples`
 * approximates of every cloud in `points` ([n, d] or [B, n, d]), each a random subset of the points
 * with jitter. Its gradient reaches only the chosen points, a different few every draw.
 */
export function smearedPointCloudTerm(
  points: tf.Tensor,
  term: PointCloudTermConfig,
  subsample: PointSubsample,
  samples: number,
): tf.Scalar {
  const { functional, ...rips } = term;
  const { batch, points: n, dimension: d } = cloudLayout(points);
  const coords = points.dataSync();
  return tf.tidy(() => {
    const draw = () =>
      Array.from({ length: batch }, (_, item) => ({ item, ...subsample.draw(coords, n, d, item * n) }));
    return mean(
      Array.from({ length: samples }, () => applyFunctional(cloudDiagrams(points, draw(), rips), functional)),
    );
  });
}

/** The mean of scalar terms. */
export function mean(terms: tf.Scalar[]): tf.Scalar {
  return (terms.length === 1 ? terms[0] : tf.div(tf.addN(terms), terms.length)) as tf.Scalar;
}
