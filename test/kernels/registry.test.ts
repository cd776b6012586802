import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels, TRAINING_KERNELS } from '../../src/kernels/index';

// registerTrainingKernels puts its kernels in the public registry, counts holders instead of stacking,
// and restore() leaves the registry exactly as it found it.

const NAMES = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'SplitV', 'Sum', 'MaxPoolGrad'];

/** The registered config of every kernel name on both backends (undefined where none). */
function snapshot(): Record<string, tf.KernelConfig | undefined> {
  const out: Record<string, tf.KernelConfig | undefined> = {};
  for (const backend of ['cpu', 'wasm'])
    for (const name of NAMES) out[`${backend}/${name}`] = tf.getKernel(name, backend);
  return out;
}

test('the default registers every kernel of both backends; restore brings back the built-ins', () => {
  const before = snapshot();
  expect(before['wasm/Conv2DBackpropFilter']).toBeUndefined(); // what the module is for
  const kernels = registerTrainingKernels();
  expect(kernels.kernels).toEqual([
    ...TRAINING_KERNELS.wasm.map((kernel) => ({ backend: 'wasm', kernel })),
    ...TRAINING_KERNELS.cpu.map((kernel) => ({ backend: 'cpu', kernel })),
  ]);
  expect(TRAINING_KERNELS.wasm).toEqual(['Conv2DBackpropInput', 'Conv2DBackpropFilter']);
  expect(TRAINING_KERNELS.cpu).toEqual(NAMES);
  const during = snapshot();
  for (const { backend, kernel } of kernels.kernels) {
    const key = `${backend}/${kernel}`;
    expect(during[key]).toBeDefined();
    expect(during[key]).not.toBe(before[key]);
    // A replaced kernel's setup stays, so that a backend initialized meanwhile is still set up.
    expect(during[key]!.setupFunc).toBe(before[key]?.setupFunc);
  }
  // wasm's own kernels are kept where they are fast (forward convolutions, split, sum, pooling).
  for (const name of ['Conv2D', 'FusedConv2D', 'SplitV', 'Sum', 'MaxPoolGrad'])
    expect(during[`wasm/${name}`]).toBe(before[`wasm/${name}`]);
  kernels.restore();
  expect(snapshot()).toEqual(before);
  for (const key of Object.keys(before)) expect(snapshot()[key]).toBe(before[key]);
});

test('a second call does not stack: the kernels stay until every handle has restored', () => {
  const before = snapshot();
  const a = registerTrainingKernels({ backends: ['wasm'] });
  const ours = snapshot();
  const b = registerTrainingKernels({ backends: ['wasm'], kernels: ['Conv2DBackpropFilter'] });
  expect(b.kernels).toEqual([{ backend: 'wasm', kernel: 'Conv2DBackpropFilter' }]);
  expect(snapshot()).toEqual(ours);
  expect(snapshot()['wasm/Conv2DBackpropFilter']).toBe(ours['wasm/Conv2DBackpropFilter']);
  a.restore();
  a.restore(); // again: nothing
  // b still holds the filter gradient; a's input gradient is back to the built-in.
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(ours['wasm/Conv2DBackpropFilter']);
  expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(before['wasm/Conv2DBackpropInput']);
  b.restore();
  expect(snapshot()).toEqual(before);
});

test('a kernel registered over ours meanwhile is left in place by restore', () => {
  const before = snapshot();
  const kernels = registerTrainingKernels({ backends: ['cpu'], kernels: ['Conv2D'] });
  const theirs: tf.KernelConfig = { ...before['cpu/Conv2D']!, kernelFunc: before['cpu/Conv2D']!.kernelFunc };
  tf.unregisterKernel('Conv2D', 'cpu');
  tf.registerKernel(theirs);
  kernels.restore();
  expect(tf.getKernel('Conv2D', 'cpu')).toBe(theirs);
  tf.unregisterKernel('Conv2D', 'cpu');
  tf.registerKernel(before['cpu/Conv2D']!);
  expect(snapshot()).toEqual(before);
});

test('options are validated, errors naming the argument', () => {
  const before = snapshot();
  expect(() => registerTrainingKernels(null as never)).toThrow('options: expected an object, got null');
  expect(() => registerTrainingKernels({ backend: ['wasm'] } as never)).toThrow(
    "options.backend: unknown option (did you mean 'backends'?); expected one of backends, kernels",
  );
  expect(() => registerTrainingKernels({ backends: 'wasm' as never })).toThrow(
    "options.backends: expected a non-empty array of 'wasm', 'cpu', got 'wasm'",
  );
  expect(() => registerTrainingKernels({ backends: [] })).toThrow('options.backends: expected a non-empty array');
  expect(() => registerTrainingKernels({ backends: ['webgl' as never] })).toThrow(
    "options.backends: 'webgl' is not one of 'wasm', 'cpu'",
  );
  expect(() => registerTrainingKernels({ backends: ['cpu', 'cpu'] })).toThrow(
    "options.backends: repeated entry in ['cpu', 'cpu']",
  );
  expect(() => registerTrainingKernels({ kernels: ['MatMul' as never] })).toThrow(
    "options.kernels: 'MatMul' is not one of 'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'SplitV', 'Sum', 'MaxPoolGrad'",
  );
  expect(snapshot()).toEqual(before); // nothing registered by a failed call
});

test('a kernel not on a chosen backend is skipped', () => {
  const kernels = registerTrainingKernels({ backends: ['wasm'], kernels: ['Conv2D'] });
  expect(kernels.kernels).toEqual([]);
  kernels.restore();
});
