import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from './mulberry32';

// Central finite differences against tf.grad. Inputs are generic: a random permutation of values
// j + 0.8·u_j (u_j random in [0, 1)): distinct, with no two lifetimes alike, perturbed by `step`,
// so no critical cell and no selection changes under the perturbation and each loss is smooth there.

export function genericValues(size: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const values = Float32Array.from({ length: size }, (_, j) => j + 0.8 * random());
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

export type Loss = (x: tf.Tensor) => tf.Scalar;

export function analyticGradient(loss: Loss, values: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => tf.grad(loss)(tf.tensor(values, shape)).dataSync() as Float32Array);
}

export function numericGradient(loss: Loss, values: Float32Array, shape: number[], step = 0.01): Float64Array {
  const out = new Float64Array(values.length);
  const at = (v: Float32Array) => tf.tidy(() => loss(tf.tensor(v, shape)).dataSync()[0]);
  for (let i = 0; i < values.length; i++) {
    const plus = values.slice();
    const minus = values.slice();
    plus[i] += step;
    minus[i] -= step;
    out[i] = (at(plus) - at(minus)) / (2 * step);
  }
  return out;
}

export function expectGradientsMatch(
  loss: Loss,
  shape: number[],
  seed: number,
  values = genericValues(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
): void {
  const analytic = analyticGradient(loss, values, shape);
  const numeric = numericGradient(loss, values, shape);
  const scale = Math.max(1, ...Array.from(numeric, Math.abs));
  // float32 rounding of the loss value L, divided by the 0.02 span of the difference quotient.
  const rounding = (4 * 2 ** -24 * Math.abs(tf.tidy(() => loss(tf.tensor(values, shape)).dataSync()[0]))) / 0.02;
  let nonZero = 0;
  for (let i = 0; i < values.length; i++) {
    expect(Math.abs(analytic[i] - numeric[i])).toBeLessThanOrEqual(1e-3 * scale + rounding);
    if (analytic[i] !== 0) nonZero++;
  }
  expect(nonZero).toBeGreaterThan(0); // the check saw real gradient, not an all-zero vector
}
