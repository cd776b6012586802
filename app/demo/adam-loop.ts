import * as tf from '@tensorflow/tfjs-core';
import { CurvePoint } from './experiments';

export interface AdamLoopOptions {
  steps: number;
  learningRate: number;
  /** The yardstick evaluated on the iterate on a schedule, outside the timed steps. */
  exact: (values: Float32Array) => number;
  /** Evaluate `exact` after this step (default: 50 times over the run, and at the end). */
  checkpoint?: (step: number) => boolean;
  progress?: (step: number, seconds: number) => void;
}

export interface AdamLoopResult {
  result: Float32Array;
  steps: number;
  /** Optimization time (exact evaluations excluded). */
  seconds: number;
  curve: CurvePoint[];
}

/**
 * A plain custom training loop, as a tfjs user writes one: Adam on a variable holding `x0`,
 * minimizing `loss(x)` — the loop the point-cloud and mesh experiments share.
 */
export async function adamLoop(
  x0: Float32Array,
  shape: number[],
  loss: (x: tf.Variable) => tf.Scalar,
  options: AdamLoopOptions,
): Promise<AdamLoopResult> {
  const { steps, exact } = options;
  const every = Math.max(1, Math.floor(steps / 50));
  const checkpoint = options.checkpoint ?? ((step: number) => step % every === 0);
  const x = tf.variable(tf.tensor(x0, shape));
  const optimizer = tf.train.adam(options.learningRate);
  const curve: CurvePoint[] = [{ step: 0, seconds: 0, exact: exact(x0) }];
  let seconds = 0;
  for (let step = 1; step <= steps; step++) {
    const t0 = performance.now();
    optimizer.minimize(() => loss(x));
    seconds += (performance.now() - t0) / 1000;
    options.progress?.(step, seconds);
    if (step === steps || checkpoint(step)) curve.push({ step, seconds, exact: exact(x.dataSync() as Float32Array) });
    if (step % 100 === 0) await new Promise((resolve) => setImmediate(resolve)); // let progress output through
  }
  const result = Float32Array.from(x.dataSync());
  x.dispose();
  optimizer.dispose();
  return { result, steps, seconds, curve };
}
