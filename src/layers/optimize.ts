import * as tf from '@tensorflow/tfjs-core';
import { checkFunctional, topologicalTerm, TopologicalTermConfig } from '../ops/topological-term';
import { BlockSmear, BlockSmearOptions } from '../smear/block-smear';
import { smearedTerm } from './smeared-term';

export interface OptimizeOptions extends TopologicalTermConfig {
  /** Number of Adam steps. */
  steps: number;
  /** Adam learning rate. Default 0.05 (the paper's). */
  learningRate?: number;
  /**
   * Weight α of the topological term; the rest, 1 − α, weighs the mean squared distance to the
   * starting tensor. Default 1 − 1/size, the paper's choice.
   */
  alpha?: number;
  /** STUMP smearing (omit for vanilla gradient descent through the diagram). */
  smear?: BlockSmearOptions & { samples?: number };
  /**
   * Called after every `every`-th step and after the last, with the step's numbers and the current
   * tensor (valid during the call only: clone it to keep it). Return `false` to stop early.
   */
  onStep?: (info: StepInfo) => void | boolean | Promise<void | boolean>;
  /** How often `onStep` is called. Default 1. */
  every?: number;
}

export interface StepRecord {
  /** 1-based step number. */
  step: number;
  /** The objective of this step: α Φ + (1 − α) MSE (with Φ estimated on approximates if smeared). */
  loss: number;
  /** Seconds since the start. */
  seconds: number;
}

export interface StepInfo extends StepRecord {
  x: tf.Tensor;
}

export interface OptimizeResult {
  /** The optimized tensor (the caller disposes it). */
  result: tf.Tensor;
  history: StepRecord[];
}

/**
 * Direct topological optimization of a tensor, the paper's setting: minimizes
 * `α · Φ(PD(x)) + (1 − α) · MSE(x, x0)` with Adam, by vanilla backpropagation through the diagram
 * or, with `smear`, by STUMP. Resolves to the optimized tensor and the per-step history.
 *
 * ```js
 * const { result, history } = await optimize(image, {
 *   steps: 2000, functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [50, null], target: 'death' },
 *   smear: { block: 4, noise: 50, seed: 1 },
 * });
 * ```
 */
export async function optimize(x0: tf.Tensor, options: OptimizeOptions): Promise<OptimizeResult> {
  const { steps, learningRate = 0.05, smear, onStep, every = 1, ...rest } = options;
  const { alpha: alphaOption, ...term } = rest;
  if (!(x0 instanceof tf.Tensor)) throw new Error('x0: expected a tf.Tensor');
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`options.steps: expected an integer ≥ 1, got ${steps}`);
  if (!(learningRate > 0)) throw new Error(`options.learningRate: expected a positive number, got ${learningRate}`);
  if (!Number.isInteger(every) || every < 1) throw new Error(`options.every: expected an integer ≥ 1, got ${every}`);
  const alpha = alphaOption ?? 1 - 1 / x0.size;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`options.alpha: expected a number in [0, 1], got ${alpha}`);
  checkFunctional(term.functional, 'options.functional');
  const samples = smear?.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`options.smear.samples: expected an integer ≥ 1, got ${samples}`);
  const smearer = smear ? new BlockSmear(smear) : null;

  const start = tf.clone(x0);
  const x = tf.variable(tf.clone(x0), true);
  const adam = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  const objective = () => {
    const topo = smearer ? smearedTerm(x, term, smearer, samples) : topologicalTerm(x, term);
    return tf.add(tf.mul(topo, alpha), tf.mul(tf.losses.meanSquaredError(start, x), 1 - alpha)) as tf.Scalar;
  };
  const history: StepRecord[] = [];
  const t0 = performance.now();
  try {
    for (let step = 1; step <= steps; step++) {
      const cost = adam.minimize(objective, true, [x]) as tf.Scalar;
      const record = { step, loss: cost.dataSync()[0], seconds: (performance.now() - t0) / 1000 };
      cost.dispose();
      history.push(record);
      if (onStep && (step % every === 0 || step === steps) && (await onStep({ ...record, x })) === false) break;
    }
    return { result: tf.clone(x), history };
  } finally {
    x.dispose();
    start.dispose();
    adam.dispose();
    smearer?.dispose();
  }
}
