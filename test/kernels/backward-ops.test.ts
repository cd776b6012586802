import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of core ops in Node
import { registerTrainingKernels } from '../../src/kernels/index';
import { mulberry32 } from '../reference/mulberry32';

// The cpu SplitV, Sum and MaxPoolGrad kernels against the built-ins: every axis, uneven and inferred
// split sizes, the dtypes a split sees, keepDims; the cases the fast Sum leaves to the built-in; pools
// with ties, overlapping windows and padding.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tensor(shape: number[], dtype: 'float32' | 'int32' | 'bool', seed: number): tf.Tensor {
  const random = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, () => (dtype === 'float32' ? 2 * random() - 1 : Math.floor(3 * random())));
  return tf.tensor(v, shape, dtype);
}

/** fn's outputs as plain arrays with shapes and dtypes, first with the built-ins, then with ours. */
function both(fn: () => tf.Tensor | tf.Tensor[]) {
  const run = () =>
    tf.tidy(() => {
      const out = fn();
      return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) })); // prettier-ignore
    });
  const expected = run();
  const kernels = registerTrainingKernels({ backends: ['cpu'], kernels: ['SplitV', 'Sum', 'MaxPoolGrad'] });
  try {
    const before = tf.memory().numTensors;
    const actual = run();
    expect(tf.memory().numTensors).toBe(before);
    return { expected, actual };
  } finally {
    kernels.restore();
  }
}

test.each([
  [[2, 3, 4, 5], 3, [2, 3]],
  [[2, 3, 4, 5], 3, [1, -1, 1]],
  [[2, 3, 4, 5], 0, 2],
  [[2, 3, 4, 5], 1, [1, 2]],
  [[2, 3, 40, 5], 2, [30, 10]],
  [[6, 70], -1, [64, 6]],
] as const)('SplitV of %j on axis %d into %j', (shape, axis, split) => {
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    const { expected, actual } = both(() =>
      tf.split(tensor([...shape], dtype, 1), typeof split === 'number' ? split : [...split], axis),
    );
    expect(actual).toEqual(expected);
  }
});

test('the concatenate gradient through SplitV', () => {
  const a = tensor([2, 5, 5, 3], 'float32', 2);
  const b = tensor([2, 5, 5, 4], 'float32', 3);
  const { expected, actual } = both(() =>
    tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.concat([p, q], 3))))([a, b]),
  );
  expect(actual).toEqual(expected);
});

test.each([
  [[8, 6, 5, 3], [0, 1, 2], false],
  [[8, 6, 5, 3], [0, 1, 2], true],
  [[8, 6, 5, 3], [2, 1, 0], false],
  [[8, 6, 5, 3], 0, true],
  [[8, 6, 5, 3], undefined, false],
  [[8, 6, 5, 3], [1, 2], false], // not leading: the built-in
  [[8, 6, 5, 3], [3], true], // not leading: the built-in
  [[7], [0], false],
] as const)('Sum of %j over %j (keepDims %s)', (shape, axis, keepDims) => {
  const x = tensor([...shape], 'float32', 4);
  const { expected, actual } = both(() => tf.sum(x, axis === undefined ? undefined : (axis as number | number[]), keepDims)); // prettier-ignore
  expect(actual.map((t) => [t.shape, t.dtype])).toEqual(expected.map((t) => [t.shape, t.dtype]));
  actual.forEach((t, i) => t.values.forEach((v, j) => expect(v).toBeCloseTo(expected[i].values[j], 5)));
  x.dispose();
});

test('Sum of int32 and bool goes to the built-in (which upcasts bool to int32)', () => {
  for (const dtype of ['int32', 'bool'] as const) {
    const x = tensor([4, 3, 2], dtype, 5);
    const { expected, actual } = both(() => tf.sum(x, [0, 1]));
    expect(actual).toEqual(expected);
    x.dispose();
  }
});

test.each([
  [[2, 8, 8, 3], 2, 2, 'valid'],
  [[1, 7, 9, 5], 2, 2, 'same'],
  [[2, 7, 6, 4], 3, 1, 'same'],
  [[2, 9, 7, 1], 3, 2, 'valid'],
  [[1, 6, 8, 2], [3, 2], [2, 1], 'same'],
] as const)('MaxPoolGrad of %j, pool %j, strides %j, %s padding (ties included)', (shape, pool, strides, pad) => {
  const random = mulberry32(6);
  const n = (shape as readonly number[]).reduce((a, b) => a * b, 1);
  // Few distinct values, so that windows hold ties; some -Infinity.
  const v = Float32Array.from({ length: n }, () => (random() < 0.05 ? -Infinity : Math.floor(4 * random())));
  const x = tf.tensor4d(v, [...shape] as [number, number, number, number]);
  const { expected, actual } = both(() =>
    tf.grad((a: tf.Tensor) => {
      const y = tf.maxPool(a as tf.Tensor4D, pool as [number, number], strides as [number, number], pad);
      return tf.sum(tf.mul(y, tf.reshape(tf.range(0, y.size), y.shape)));
    })(x),
  );
  expect(actual).toEqual(expected);
  x.dispose();
});
