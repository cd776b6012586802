import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';

/**
 * clDice (Shit et al., "clDice — a novel topology-preserving loss function for tubular structure
 * segmentation", CVPR 2021): the Dice of each mask with the other's soft skeleton, written in tfjs
 * ops so its gradient is plain autodiff. For probabilities P and labels L (channels-last,
 * `[B, H, W, C]` or `[B, D, H, W, C]`):
 *
 *     Tprec = (Σ S(P)·L + s) / (Σ S(P) + s),   Tsens = (Σ S(L)·P + s) / (Σ S(L) + s),
 *     clDice = 2 · Tprec · Tsens / (Tprec + Tsens),   loss = 1 − clDice,
 *
 * with S the soft skeleton after `iterations` steps and s the smoothing constant, as in the
 * authors' code. Sums run over the whole batch, per the reference.
 *
 * @throws Error naming `yPred` (not a float32 tf.Tensor of shape `[B, H, W, C]` or
 *   `[B, D, H, W, C]`), `yTrue` (not a float32 tf.Tensor of the same shape), `iterations` (not an
 *   integer ≥ 0) or `smooth` (not a finite float32 number ≥ 0).
 * @example
 * ```js
 * const bar = [0, 0, 1, 0, 0]; // a 5×5 label: one vertical line
 * const label = tf.tensor4d([...bar, ...bar, ...bar, ...bar, ...bar], [1, 5, 5, 1]);
 * clDiceLoss(label, label, 3, 1); // → 0: the prediction is the label
 * const broken = tf.tensor4d([...bar, ...bar, 0, 0, 0, 0, 0, ...bar, ...bar], [1, 5, 5, 1]);
 * clDiceLoss(label, broken, 3, 1); // → 0.09…: the line broken in the middle
 * ```
 * @category Diagram ops
 */
export function clDiceLoss(yTrue: tf.Tensor, yPred: tf.Tensor, iterations: number, smooth: number): tf.Scalar {
  for (const [name, t] of [
    ['yPred', yPred],
    ['yTrue', yTrue],
  ] as const) {
    if (!(t instanceof tf.Tensor)) throw new Error(`${name}: expected a tf.Tensor, got ${describe(t)}`);
    if (t.dtype !== 'float32') throw new Error(`${name}: expected a float32 tensor, got ${t.dtype}`);
  }
  if (yPred.rank !== 4 && yPred.rank !== 5)
    throw new Error(`yPred: expected a batch [B, H, W, C] or [B, D, H, W, C], got shape [${yPred.shape.join(', ')}]`);
  if (yTrue.shape.join() !== yPred.shape.join())
    throw new Error(
      `yTrue: expected the prediction's shape [${yPred.shape.join(', ')}], got [${yTrue.shape.join(', ')}]`,
    );
  checkInteger(iterations, 'iterations', undefined, 0);
  checkNumber(smooth, 'smooth', undefined, 0, FLOAT32_MAX);
  return tf.tidy(() => {
    const skelPred = softSkeleton(yPred, iterations);
    const skelTrue = softSkeleton(yTrue, iterations);
    const precision = tf.div(tf.add(tf.sum(tf.mul(skelPred, yTrue)), smooth), tf.add(tf.sum(skelPred), smooth));
    const sensitivity = tf.div(tf.add(tf.sum(tf.mul(skelTrue, yPred)), smooth), tf.add(tf.sum(skelTrue), smooth));
    const cl = tf.div(tf.mul(2, tf.mul(precision, sensitivity)), tf.add(precision, sensitivity));
    return tf.sub(1, cl) as tf.Scalar;
  });
}

/**
 * The soft skeleton of x in [0, 1] (Shit et al., Algorithm 1): soft erosion is a min-pool over the
 * cross (the axis-aligned neighbours), soft dilation a max-pool over the 3×3 (3×3×3) box, and
 *     skel = relu(x − open(x)),  then `iterations` times:
 *     x ← erode(x),  δ = relu(x − open(x)),  skel += relu(δ − skel · δ).
 * @category Diagram ops
 */
export function softSkeleton(x: tf.Tensor, iterations: number): tf.Tensor {
  return tf.tidy(() => {
    let image = x;
    let skeleton = tf.relu(tf.sub(image, softOpen(image)));
    // After as many erosions as the map's L1 diameter, x is constant and adds nothing more: so a
    // huge count costs no more than that (and never loops for ever).
    const diameter = x.shape.slice(1, -1).reduce((sum, n) => sum + n - 1, 0);
    for (let i = 0; i < Math.min(iterations, diameter); i++) {
      image = softErode(image);
      const delta = tf.relu(tf.sub(image, softOpen(image)));
      skeleton = tf.add(skeleton, tf.relu(tf.sub(delta, tf.mul(skeleton, delta))));
    }
    return skeleton;
  });
}

/** Min over each element and its axis-aligned neighbours: the min of 3-long line pools along every axis. */
export function softErode(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const lines =
      x.rank === 4
        ? [
            [3, 1],
            [1, 3],
          ]
        : [
            [3, 1, 1],
            [1, 3, 1],
            [1, 1, 3],
          ];
    const mins = lines.map((window) => tf.neg(maxPool(tf.neg(x), window)));
    return mins.reduce((a, b) => tf.minimum(a, b));
  });
}

/** Max over the 3×3 (3×3×3) box around each element. */
export function softDilate(x: tf.Tensor): tf.Tensor {
  return maxPool(x, x.rank === 4 ? [3, 3] : [3, 3, 3]);
}

function softOpen(x: tf.Tensor): tf.Tensor {
  return softDilate(softErode(x));
}

function maxPool(x: tf.Tensor, window: number[]): tf.Tensor {
  return x.rank === 4
    ? tf.maxPool(x as tf.Tensor4D, window as [number, number], 1, 'same')
    : tf.maxPool3d(x as tf.Tensor5D, window as [number, number, number], 1, 'same');
}
