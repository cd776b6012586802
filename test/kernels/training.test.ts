import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { registerTrainingKernels } from '../../src/kernels/index';
import { mulberry32 } from '../reference/mulberry32';

// A tiny U-Net (Conv2D, MaxPooling2D, UpSampling2D, Concatenate, a sigmoid output) trained with
// model.fit on the wasm backend, which cannot train it without the kernels (it has no
// Conv2DBackpropFilter): the loss goes down, and no step leaves tensors behind.

function tinyUnet(optimizer: tf.Optimizer): tfl.LayersModel {
  let seed = 1;
  const conv = (t: tfl.SymbolicTensor, filters: number, kernelSize = 3, activation: 'relu' | 'sigmoid' = 'relu') =>
    tfl.layers
      .conv2d({
        filters,
        kernelSize,
        padding: 'same',
        activation,
        kernelInitializer: tfl.initializers.heNormal({ seed: seed++ }),
      }) // prettier-ignore
      .apply(t) as tfl.SymbolicTensor;
  const input = tfl.input({ shape: [12, 12, 1] });
  const skip = conv(input, 4);
  const down = conv(tfl.layers.maxPooling2d({ poolSize: 2 }).apply(skip) as tfl.SymbolicTensor, 8);
  const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(down) as tfl.SymbolicTensor;
  const merged = tfl.layers.concatenate().apply([up, skip]) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: conv(conv(merged, 4), 1, 1, 'sigmoid') });
  model.compile({ optimizer, loss: 'binaryCrossentropy' });
  return model;
}

/** Noisy images and their masks (pixels above 0.5). */
function data(n: number): [tf.Tensor4D, tf.Tensor4D] {
  const random = mulberry32(3);
  const x = tf.tensor4d(
    Float32Array.from({ length: n * 144 }, () => random()),
    [n, 12, 12, 1],
  );
  return [x, tf.tidy(() => tf.cast(tf.greater(x, 0.5), 'float32') as tf.Tensor4D)];
}

let kernels: ReturnType<typeof registerTrainingKernels>;

beforeAll(async () => {
  await tf.setBackend('wasm');
  kernels = registerTrainingKernels({ backends: ['wasm'] });
});

afterAll(() => kernels.restore());

test('a small U-Net trains on wasm with model.fit: the loss decreases, tensors stay flat', async () => {
  expect(tf.getBackend()).toBe('wasm');
  const model = tinyUnet(tf.train.adam(0.03));
  const [x, y] = data(6);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let epoch = 0; epoch < 12; epoch++) {
    // One epoch per fit call (within a call, tfjs-layers keeps a tensor per epoch until it returns).
    const h = await model.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    losses.push((h.history.loss as number[])[0]);
    counts.push(tf.memory().numTensors);
  }
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(losses[losses.length - 1]).toBeLessThan(0.7 * losses[0]);
  expect(new Set(counts.slice(1)).size).toBe(1); // the first call makes the optimizer's moments
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
});

test('the same model trained on the cpu backend with its kernels: the same losses', async () => {
  // Plain SGD (Adam's normalized steps would turn float rounding in near-zero gradients into ±lr).
  const losses: number[][] = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const cpuKernels = registerTrainingKernels({ backends: ['cpu'] });
    const model = tinyUnet(tf.train.sgd(0.5));
    const [x, y] = data(6);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 });
    losses.push(h.history.loss as number[]);
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
    cpuKernels.restore();
  }
  expect(losses[0][2]).toBeLessThan(losses[0][0]);
  for (let i = 0; i < 3; i++) expect(Math.abs(losses[0][i] - losses[1][i])).toBeLessThan(1e-4 * losses[1][i]);
});
