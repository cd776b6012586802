import * as tf from '@tensorflow/tfjs-core';
import { checkFunctional, topologicalTerm, TopologicalTermConfig } from '../ops/topological-term.js';
import { BlockSmear, BlockSmearOptions } from '../smear/block-smear.js';
import { checkSamples, smearedTerm } from '../smear/smeared-term.js';

/** The data-fitting part of a combined loss. */
export type BaseLoss = 'meanSquaredError' | 'binaryCrossentropy' | 'none';

export interface TopologicalLossArgs extends TopologicalTermConfig {
  /** Loss between labels and predictions, added to the topological term. Default 'meanSquaredError'. */
  base?: BaseLoss;
  /** Weight of the topological term. Default 1. */
  weight?: number;
  /** STUMP smearing of the predictions before the term (omit for the vanilla term). */
  smear?: BlockSmearOptions & { samples?: number };
}

/** A loss function for `model.compile({ loss })`: (labels, predictions) → scalar. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * `base(yTrue, yPred) + weight · Φ(PD(yPred))` as a loss function for `model.compile`. The
 * topological term looks only at the predictions — it needs no topological labels — e.g.
 * `{ base: 'binaryCrossentropy', superlevel: true, functional: { kind: 'betti', dim: 0, betti: 1 } }`
 * asks each predicted mask for one connected component. With `smear`, the term is the STUMP
 * estimate over random approximates of the predictions.
 */
export function topological(args: TopologicalLossArgs): LossFunction {
  const { base = 'meanSquaredError', weight = 1, smear, ...term } = args;
  checkFunctional(term.functional, 'args.functional');
  if (!['meanSquaredError', 'binaryCrossentropy', 'none'].includes(base))
    throw new Error(
      `args.base: expected 'meanSquaredError', 'binaryCrossentropy' or 'none', got ${JSON.stringify(base)}`,
    );
  if (!Number.isFinite(weight)) throw new Error(`args.weight: expected a finite number, got ${weight}`);
  const samples = smear?.samples ?? 1;
  checkSamples(samples, 'args.smear.samples');
  const smearer = smear ? new BlockSmear(smear) : null;
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const topo = smearer ? smearedTerm(yPred, term, smearer, samples) : topologicalTerm(yPred, term);
      const weighted = tf.mul(topo, weight);
      if (base === 'none') return weighted as tf.Scalar;
      const fit =
        base === 'meanSquaredError' ? tf.losses.meanSquaredError(yTrue, yPred) : binaryCrossentropy(yTrue, yPred);
      return tf.add(fit, weighted) as tf.Scalar;
    });
}

/** Mean binary cross-entropy of probabilities, clipped away from 0 and 1 as Keras does. */
function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const eps = 1e-7;
  const p = tf.clipByValue(yPred, eps, 1 - eps);
  const oneMinus = tf.sub(1, yTrue);
  return tf.neg(tf.mean(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(oneMinus, tf.log(tf.sub(1, p)))))) as tf.Scalar;
}
