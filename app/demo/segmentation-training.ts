import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mulberry32 } from './random';

/** What a model is trained with: a tfjs-layers loss name or a loss function for `compile`. */
export type TrainingLoss = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar);

export interface TrainingData {
  /** `[N, H, W, 1]` images and masks. */
  images: tf.Tensor4D;
  masks: tf.Tensor4D;
}

export interface TrainingOptions {
  steps: number;
  batch: number;
  learningRate: number;
  /** Seed of the batch order. */
  seed: number;
  /** Called after every step with its number (1-based) and the seconds so far. */
  progress?: (step: number, seconds: number) => void;
}

export interface TrainingRun {
  /** The loss of every step. */
  losses: number[];
  /** Wall-clock seconds of the whole run, and of its fastest step. */
  seconds: number;
  fastestStep: number;
}

/**
 * Trains `model` for a fixed number of Adam steps on mini-batches drawn in a seeded order (a fresh
 * permutation of the images per epoch), so that runs with different losses see the same batches.
 */
export async function trainSteps(
  model: tfl.LayersModel,
  loss: TrainingLoss,
  data: TrainingData,
  options: TrainingOptions,
): Promise<TrainingRun> {
  const { steps, batch, learningRate, seed, progress } = options;
  model.compile({ optimizer: tf.train.adam(learningRate), loss });
  const n = data.images.shape[0];
  const random = mulberry32(seed);
  let order: Int32Array = new Int32Array(0);
  let cursor = n;
  const losses: number[] = [];
  let fastestStep = Infinity;
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    if (cursor + batch > n) {
      order = permutation(n, random);
      cursor = 0;
    }
    const indices = tf.tensor1d(order.subarray(cursor, cursor + batch), 'int32');
    cursor += batch;
    const x = tf.gather(data.images, indices);
    const y = tf.gather(data.masks, indices);
    const start = performance.now();
    const value = await model.trainOnBatch(x, y);
    fastestStep = Math.min(fastestStep, (performance.now() - start) / 1000);
    tf.dispose([indices, x, y]);
    losses.push(Array.isArray(value) ? value[0] : value);
    progress?.(step, (performance.now() - t0) / 1000);
  }
  return { losses, seconds: (performance.now() - t0) / 1000, fastestStep };
}

/** Predicted probabilities `[N, H, W, 1]` for every image, in batches, read back to the host. */
export function predictAll(model: tfl.LayersModel, images: tf.Tensor4D, batch: number): Float32Array {
  const out = new Float32Array(images.size);
  const n = images.shape[0];
  const per = images.size / n;
  for (let i = 0; i < n; i += batch) {
    const count = Math.min(batch, n - i);
    const probabilities = tf.tidy(
      () => model.predict(tf.slice(images, [i, 0, 0, 0], [count, -1, -1, -1])) as tf.Tensor,
    );
    out.set(probabilities.dataSync(), i * per);
    probabilities.dispose();
  }
  return out;
}

function permutation(n: number, random: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
