import * as tf from '@tensorflow/tfjs-core';
import { persistenceDiagrams } from '../../src';
import { mulberry32 } from './mulberry32';

// Small images of scattered bright blobs, the common input of the layer, smear and optimize tests.

export const H = 12;
export const W = 12;

/** A batch of [B, H, W, 1] images of scattered bright blobs: many superlevel components. */
export function blobs(batch: number, seed: number): tf.Tensor4D {
  const random = mulberry32(seed);
  const data = new Float32Array(batch * H * W);
  for (let b = 0; b < batch; b++)
    for (let k = 0; k < 6; k++) {
      const cy = random() * H;
      const cx = random() * W;
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) data[(b * H + y) * W + x] += Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 2);
    }
  return tf.tensor4d(data, [batch, H, W, 1]);
}

/** Superlevel H0 classes of each map living longer than `threshold` (the essential one included). */
export function componentsAbove(x: tf.Tensor, threshold: number): number {
  return tf.tidy(() => {
    const d = persistenceDiagrams(x, { superlevel: true, dims: [0], essential: 'clip' });
    let count = 0;
    for (let i = 0; i < d.dim.length; i++) if (Math.abs(d.values[2 * i + 1] - d.values[2 * i]) > threshold) count++;
    return count;
  });
}

// Merge the components by raising their saddles (gradient to the death cells, as the paper does
// for its blobs): lowering peaks instead would dig dimples that are new components themselves.
export const componentTerm = {
  superlevel: true,
  functional: { kind: 'totalPersistence' as const, dim: 0, p: 2, target: 'death' as const },
};
