import * as tf from '@tensorflow/tfjs-core';
import { complexTerm, ComplexTermConfig } from '../ops/lower-star-op';
import { SimplicialComplex } from '../persistence/simplicial-complex';
import { topologicalTerm, TopologicalTermConfig } from '../ops/topological-term';
import { BlockSmear } from '../smear/block-smear';
import { CoverSmear } from '../smear/cover-smear';

/**
 * The STUMP estimate of a topological term: the mean of Φ(PD(f_ω)) over `samples` random
 * approximates f_ω of x. Its gradient, pulled back through the pooling, is the smeared gradient.
 */
export function smearedTerm(x: tf.Tensor, term: TopologicalTermConfig, smear: BlockSmear, samples: number): tf.Scalar {
  return tf.tidy(() => mean(Array.from({ length: samples }, () => topologicalTerm(smear.apply(x), term))));
}

/**
 * The STUMP estimate of a term on a complex (paper, Section II.A): the mean of Φ over `samples`
 * approximates f_ω of `values` on the nerve `nerveComplex` of the smear's cover.
 */
export function smearedComplexTerm(values: tf.Tensor, term: ComplexTermConfig, smear: CoverSmear, nerveComplex: SimplicialComplex, samples: number): tf.Scalar {
  return tf.tidy(() => mean(Array.from({ length: samples }, () => complexTerm(smear.apply(values), nerveComplex, term))));
}

/** The mean of scalar terms. */
export function mean(terms: tf.Scalar[]): tf.Scalar {
  return (terms.length === 1 ? terms[0] : tf.div(tf.addN(terms), terms.length)) as tf.Scalar;
}
