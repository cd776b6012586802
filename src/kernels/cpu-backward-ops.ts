/**
 * Kernels of a conv net's backward pass besides the convolutions that the cpu backend runs on generic
 * slow paths, as block copies, column sums and scatters on typed arrays:
 *
 * - `SplitV`: the gradient of `concatenate` (a U-Net's skip connections) splits along the channel axis;
 *   the built-in slices element by element through index arithmetic (≈28 % of a U-Net step once the
 *   convolutions are fast). Here: for each output, one contiguous run per index of the leading axes.
 * - `Sum` over leading axes (a bias gradient: dy summed over batch, height and width): the built-in
 *   transposes the reduced axes to the end first. Here: column sums in doubles. Other axes, and dtypes
 *   other than float32, go to the built-in.
 * - `MaxPoolGrad` (NHWC): the built-in finds the maxima through `TensorBuffer.get` and gathers dy for
 *   every input pixel over every window. Here: one pass over the windows, all channels at once, adding
 *   dy at each window's first maximum (the built-in's choice among ties: rows, then columns).
 */
import * as tf from '@tensorflow/tfjs-core';
import { attrsOf, type KernelArgs, type KernelFn } from './conv-info.js';

type Values = Float32Array | Int32Array | Uint8Array;

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The kernel that was registered before, or an error naming the case. */
function fallbackOf(name: string, fallback: KernelFn | undefined): KernelFn {
  return (
    fallback ??
    (() => {
      throw new Error(`${name}: this case needs the built-in kernel, which is not registered`);
    })
  );
}

/** `SplitV` (input x; attrs numOrSizeSplits, axis) for numeric dtypes. */
export function cpuSplitV(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('SplitV', fallback);
  return (args: KernelArgs) => {
    const x = args.inputs.x!;
    if (x.dtype === 'string' || x.dtype === 'complex64') return other(args);
    const { numOrSizeSplits, axis } = attrsOf<tf.SplitVAttrs>(args);
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const values = args.backend.readSync(x.dataId) as Values;
    const outer = product(x.shape.slice(0, ax));
    const inner = product(x.shape.slice(ax + 1));
    const row = x.shape[ax] * inner;
    let start = 0;
    return sizes.map((size) => {
      const run = size * inner;
      const out = new (values.constructor as new (n: number) => Values)(outer * run);
      if (run >= 64)
        for (let o = 0; o < outer; o++) out.set(values.subarray(o * row + start, o * row + start + run), o * run);
      else
        for (let o = 0, dst = 0; o < outer; o++)
          for (let t = 0, src = o * row + start; t < run; t++, dst++, src++) out[dst] = values[src];
      start += run;
      const shape = x.shape.slice();
      shape[ax] = size;
      return { dataId: args.backend.write(out, shape, x.dtype), shape, dtype: x.dtype };
    });
  };
}

/** `Sum` (input x; attrs axis, keepDims) of float32 over leading axes; the rest to the built-in. */
export function cpuSum(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('Sum', fallback);
  return (args: KernelArgs) => {
    const x = args.inputs.x!;
    const { axis, keepDims } = attrsOf<tf.SumAttrs>(args);
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    if (x.dtype !== 'float32' || !axes.every((a, i) => a === i)) return other(args);
    const values = args.backend.readSync(x.dataId) as Float32Array;
    const k = axes.length;
    const outer = product(x.shape.slice(0, k));
    const inner = product(x.shape.slice(k));
    const sums = new Float64Array(inner);
    for (let o = 0, src = 0; o < outer; o++) for (let j = 0; j < inner; j++, src++) sums[j] += values[src];
    const shape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    return { dataId: args.backend.write(Float32Array.from(sums), shape, 'float32'), shape, dtype: 'float32' };
  };
}

/** `MaxPoolGrad` (inputs dy, input, output; attrs filterSize, strides, pad, dimRoundingMode). */
export function cpuMaxPoolGrad(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('MaxPoolGrad', fallback);
  return (args: KernelArgs) => {
    const { dy, input } = args.inputs;
    if (input!.dtype !== 'float32') return other(args);
    const { filterSize, strides, pad, dimRoundingMode } = attrsOf<tf.MaxPoolGradAttrs>(args);
    const info = tf.backend_util.computePool2DInfo(
      input!.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const x = args.backend.readSync(input!.dataId) as Float32Array;
    const g = args.backend.readSync(dy!.dataId) as Float32Array;
    const dx = new Float32Array(x.length);
    maxPoolBackward(x, g, info, dx);
    return { dataId: args.backend.write(dx, input!.shape, 'float32'), shape: input!.shape, dtype: 'float32' };
  };
}

/** dx[first maximum of each window] += dy[window], for every window and channel (NHWC). */
function maxPoolBackward(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let n = 0, o = 0; n < b; n++)
    for (let i = 0; i < oh; i++) {
      const r0 = Math.max(0, i * sh - top);
      const r1 = Math.min(h, i * sh - top + fh);
      for (let j = 0; j < ow; j++, o += c) {
        const c0 = Math.max(0, j * sw - left);
        const c1 = Math.min(w, j * sw - left + fw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = r0; r < r1; r++)
          for (let q = c0, base = ((n * h + r) * w + c0) * c; q < c1; q++, base += c)
            for (let d = 0; d < c; d++) {
              const v = x[base + d];
              if (v > best[d]) {
                best[d] = v;
                at[d] = base + d;
              }
            }
        for (let d = 0; d < c; d++) if (at[d] >= 0) dx[at[d]] += dy[o + d];
      }
    }
}
