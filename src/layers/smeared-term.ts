import * as tf from '@tensorflow/tfjs-core';
import { topologicalTerm, TopologicalTermConfig } from '../ops/topological-term';
import { BlockSmear } from '../smear/block-smear';

/**
 * The STUMP estimate of a topological term: the mean of Φ(PD(f_ω)) over `samples` random
 * approximates f_ω of x. Its gradient, pulled back through the pooling, is the smeared gradient.
 */
export function smearedTerm(x: tf.Tensor, term: TopologicalTermConfig, smear: BlockSmear, samples: number): tf.Scalar {
  return tf.tidy(() => {
    const terms = Array.from({ length: samples }, () => topologicalTerm(smear.apply(x), term));
    return (samples === 1 ? terms[0] : tf.div(tf.addN(terms), samples)) as tf.Scalar;
  });
}
