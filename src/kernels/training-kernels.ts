/**
 * `registerTrainingKernels`: faster kernels for training conv nets on the CPU backends, put in place
 * through tfjs-core's public kernel registry and taken out again by the handle it returns.
 *
 *   wasm  Conv2DBackpropFilter   (4.22 has none: any conv net's training throws without it)
 *         Conv2DBackpropInput    (the built-in is a naive loop; ≈6–10× faster on U-Net shapes)
 *         — both as forward convolutions that XNNPACK runs (forward-conv.ts).
 *   cpu   Conv2D, FusedConv2D, Conv2DBackpropInput, Conv2DBackpropFilter
 *         — im2col + a blocked Float32Array matmul (cpu-conv.ts);
 *         SplitV, Sum over leading axes, MaxPoolGrad — the gradients of concatenate, of biases and
 *         of max pooling, as block copies, column sums and a scatter (cpu-backward-ops.ts).
 *
 * Registration is counted per (backend, kernel): a second call while the kernels are in place adds a
 * holder rather than a second layer, and the kernel that was registered before the first call comes
 * back when the last holder restores. A replaced kernel stays reachable: ours call it for the cases they
 * do not handle (NCHW; Sum over other axes; other dtypes), and its `setupFunc` is kept so that a backend
 * initialized meanwhile is set up.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkOptions, describe } from '../base/checks.js';
import type { KernelFn } from './conv-info.js';
import { cpuConv2D, cpuConv2DBackpropFilter, cpuConv2DBackpropInput, cpuFusedConv2D } from './cpu-conv.js';
import { cpuMaxPoolGrad, cpuSplitV, cpuSum } from './cpu-backward-ops.js';
import { forwardConvFilterGradient, forwardConvInputGradient } from './forward-conv.js';

/**
 * The backends that have training kernels here.
 *
 * @category Training kernels
 */
export type TrainingKernelBackend = 'wasm' | 'cpu';

/**
 * The kernels that can be replaced.
 *
 * @category Training kernels
 */
export type TrainingKernelName =
  'Conv2D' | 'FusedConv2D' | 'Conv2DBackpropInput' | 'Conv2DBackpropFilter' | 'SplitV' | 'Sum' | 'MaxPoolGrad';

/** Which kernels each backend gets, each made from the kernel it replaces (undefined: none registered). */
const FACTORIES: Record<
  TrainingKernelBackend,
  Partial<Record<TrainingKernelName, (replaced?: KernelFn) => KernelFn>>
> = {
  wasm: {
    Conv2DBackpropFilter: () => forwardConvFilterGradient,
    Conv2DBackpropInput: forwardConvInputGradient,
  },
  cpu: {
    Conv2D: cpuConv2D,
    FusedConv2D: cpuFusedConv2D,
    Conv2DBackpropInput: cpuConv2DBackpropInput,
    Conv2DBackpropFilter: cpuConv2DBackpropFilter,
    SplitV: cpuSplitV,
    Sum: cpuSum,
    MaxPoolGrad: cpuMaxPoolGrad,
  },
};

const BACKENDS: readonly TrainingKernelBackend[] = ['wasm', 'cpu'];
const KERNELS: readonly TrainingKernelName[] = [
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'SplitV',
  'Sum',
  'MaxPoolGrad',
];

/**
 * The kernels each backend gets: `{ wasm: ['Conv2DBackpropInput', 'Conv2DBackpropFilter'], cpu: all seven }`.
 *
 * @category Training kernels
 */
export const TRAINING_KERNELS: Readonly<Record<TrainingKernelBackend, readonly TrainingKernelName[]>> = {
  wasm: KERNELS.filter((k) => FACTORIES.wasm[k]),
  cpu: KERNELS.filter((k) => FACTORIES.cpu[k]),
};

/**
 * Options of `registerTrainingKernels`.
 *
 * @category Training kernels
 */
export interface TrainingKernelsOptions {
  /** The backends to give kernels to; default both, `['wasm', 'cpu']`. */
  backends?: readonly TrainingKernelBackend[];
  /** Only these kernels (on the chosen backends that have them); default all of `TRAINING_KERNELS`. */
  kernels?: readonly TrainingKernelName[];
}

/**
 * One kernel in place.
 *
 * @category Training kernels
 */
export interface TrainingKernel {
  /** The backend it is registered on, `'wasm'` or `'cpu'`. */
  backend: TrainingKernelBackend;
  /** The tfjs kernel name, e.g. `'Conv2DBackpropInput'`. */
  kernel: TrainingKernelName;
}

/**
 * What `registerTrainingKernels` returns.
 *
 * @category Training kernels
 */
export interface TrainingKernels {
  /** The kernels this call holds in place. */
  readonly kernels: readonly TrainingKernel[];
  /**
   * Gives them up: each kernel whose last holder this was goes back to what was registered before (or
   * is unregistered if nothing was). A kernel registered over ours since is left as it is. Calling it
   * again does nothing.
   */
  restore(): void;
}

interface Entry {
  config: tf.KernelConfig;
  replaced: tf.KernelConfig | undefined;
  holders: number;
}

/** The kernels in place, by 'backend/kernel'. */
const active = new Map<string, Entry>();

/**
 * Registers faster kernels for training conv nets on the wasm and cpu backends (see the module comment
 * for which; `TRAINING_KERNELS` lists them) and returns a handle whose `restore()` puts the previous kernels back. Call it
 * after importing the backends: a backend imported later registers its own kernels over these. Calling
 * it again while they are in place does not stack: it adds a holder, and the kernels stay until every
 * handle has restored.
 *
 * ```ts
 * import '@tensorflow/tfjs-backend-wasm';
 * const kernels = registerTrainingKernels({ backends: ['wasm'] });
 * await tf.setBackend('wasm');
 * await model.fit(xs, ys, { epochs: 10 });
 * kernels.restore();
 * ```
 *
 * @throws Error naming `options` / `options.<key>` (not an object, a key other than `backends`
 *   and `kernels`, an empty list, a name not in `TRAINING_KERNELS`' backends or kernels, a
 *   repeated entry).
 * @example
 * ```js
 * const handle = registerTrainingKernels({ backends: ['cpu'] }); // the cpu backend's seven kernels
 * // handle.kernels.length → 7; conv nets trained on the cpu backend now run them
 * const x = tf.ones([1, 4, 4, 1]);
 * const grad = tf.grad((w) => tf.conv2d(x, w, 1, 'same').sum())(tf.ones([3, 3, 1, 1]));
 * // grad → [[9, 12, 9], [12, 16, 12], [9, 12, 9]] (as [3, 3, 1, 1]), as with tfjs's own kernels
 * handle.restore(); // the previous kernels are back
 * ```
 * @category Training kernels
 */
export function registerTrainingKernels(options?: TrainingKernelsOptions): TrainingKernels {
  const opts = checkOptions(options, 'options', ['backends', 'kernels']);
  const backends = checkNames(opts.backends, BACKENDS, 'options.backends');
  const names = checkNames(opts.kernels, KERNELS, 'options.kernels');
  const held: { key: string; entry: Entry }[] = [];
  const kernels: TrainingKernel[] = [];
  for (const backend of backends)
    for (const kernel of names) {
      const factory = FACTORIES[backend][kernel];
      if (!factory) continue;
      const key = `${backend}/${kernel}`;
      let entry = active.get(key);
      const current = tf.getKernel(kernel, backend);
      if (entry && current === entry.config) entry.holders++;
      else {
        // Not in place (never, or registered over since): replace whatever is there now.
        const config: tf.KernelConfig = {
          kernelName: kernel,
          backendName: backend,
          kernelFunc: factory(current?.kernelFunc as KernelFn | undefined) as unknown as tf.KernelFunc,
          setupFunc: current?.setupFunc,
          disposeFunc: current?.disposeFunc,
        };
        if (current) tf.unregisterKernel(kernel, backend);
        tf.registerKernel(config);
        entry = { config, replaced: current, holders: 1 };
        active.set(key, entry);
      }
      held.push({ key, entry });
      kernels.push({ backend, kernel });
    }
  let restored = false;
  return {
    kernels,
    restore(): void {
      if (restored) return;
      restored = true;
      for (const { key, entry } of held) {
        if (active.get(key) !== entry || --entry.holders > 0) continue;
        active.delete(key);
        const { kernelName, backendName } = entry.config;
        if (tf.getKernel(kernelName, backendName) !== entry.config) continue;
        tf.unregisterKernel(kernelName, backendName);
        if (entry.replaced) tf.registerKernel(entry.replaced);
      }
    },
  };
}

/** `value` as a list of distinct entries of `allowed`; all of them when undefined. */
function checkNames<T extends string>(value: unknown, allowed: readonly T[], name: string): T[] {
  if (value === undefined) return [...allowed];
  const expected = `a non-empty array of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (!Array.isArray(value) || value.length === 0)
    throw new Error(`${name}: expected ${expected}, got ${describe(value)}`);
  for (const v of value)
    if (!allowed.includes(v as T)) throw new Error(`${name}: ${describe(v)} is not one of ${expected.slice(21)}`);
  if (new Set(value).size !== value.length) throw new Error(`${name}: repeated entry in ${describe(value)}`);
  return value as T[];
}
