/**
 * The cpu backend's four convolution kernels as im2col + a blocked Float32Array matmul (gemm.ts). The
 * built-ins walk every element through index arithmetic (`Conv2DBackpropFilter` through
 * `TensorBuffer.get`); these run a U-Net training step ≈40× faster. Values are read with
 * `backend.readSync` and written with `backend.write`, the public KernelBackend methods.
 *
 * NHWC only: NCHW goes to the built-in kernel each one replaces. The patch matrix is built in panels of
 * rows (≈256 KB) in one scratch buffer that grows and is kept, so a training loop allocates only the
 * outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { asTensor, attrsOf, convInfo, type ConvAttrs, type KernelArgs, type KernelFn } from './conv-info.js';
import { col2im, gemm, gemmAtB, im2col, type PatchGeometry } from './gemm.js';

/** Target size of one panel of the patch matrix, in floats. */
const PANEL_FLOATS = 1 << 16;

let scratch = new Float32Array(0);

/** The scratch buffer, at least `n` floats long. */
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

/** Rows per panel for patch rows of k entries: a multiple of 4, at least 16. */
function panelRows(k: number, m: number): number {
  return Math.min(m, Math.max(16, Math.floor(PANEL_FLOATS / k / 4) * 4));
}

/** A tensor's values as float32 (the cpu backend's own storage: never written). */
function floats(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  const v = backend.readSync(info.dataId);
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

/** A new float32 tensor holding `values` (which it takes, not copies, on the cpu backend). */
function output(backend: tf.KernelBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

function patchGeometry(info: tf.backend_util.Conv2DInfo): PatchGeometry {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Whether the patch matrix is the input itself: a 1 × 1 filter, stride 1, no padding. */
function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth
  );
}

/** y = conv(x, w) into `out` [B·OH·OW, Co]. */
export function convForward(
  x: Float32Array,
  w: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  out: Float32Array,
): void {
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (isPointwise(info)) {
    gemm(m, n, k, x, 0, k, w, 0, n, out, 0, n, false);
    return;
  }
  const g = patchGeometry(info);
  const p = panelRows(k, m);
  const col = scratchOf(p * k);
  for (let m0 = 0; m0 < m; m0 += p) {
    const rows = Math.min(p, m - m0);
    im2col(x, g, m0, rows, col);
    gemm(rows, n, k, col, 0, k, w, 0, n, out, m0 * n, n, false);
  }
}

/** dx = the input gradient, given dy [B·OH·OW, Co] and w [K, Co], into the zeroed `dx` [B, H, W, Ci]. */
export function convInputGradient(
  dy: Float32Array,
  w: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  dx: Float32Array,
): void {
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  // wᵀ [Co, K], so that the patch-matrix gradient dy·wᵀ is a plain product.
  const p = isPointwise(info) ? 0 : panelRows(k, m);
  const buffer = scratchOf(k * n + p * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) buffer[j * k + i] = w[i * n + j];
  if (isPointwise(info)) {
    gemm(m, k, n, dy, 0, n, buffer, 0, k, dx, 0, k, false);
    return;
  }
  const g = patchGeometry(info);
  const colOff = k * n;
  const col = buffer.subarray(colOff, colOff + p * k);
  for (let m0 = 0; m0 < m; m0 += p) {
    const rows = Math.min(p, m - m0);
    gemm(rows, k, n, dy, m0 * n, n, buffer, 0, k, col, 0, k, false);
    col2im(col, g, m0, rows, dx);
  }
}

/** dw = the filter gradient [K, Co], given x and dy [B·OH·OW, Co], into the zeroed `dw`. */
export function convFilterGradient(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  dw: Float32Array,
): void {
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (isPointwise(info)) {
    gemmAtB(m, k, n, x, 0, k, dy, 0, n, dw, 0, n);
    return;
  }
  const g = patchGeometry(info);
  const p = panelRows(k, m);
  const col = scratchOf(p * k);
  for (let m0 = 0; m0 < m; m0 += p) {
    const rows = Math.min(p, m - m0);
    im2col(x, g, m0, rows, col);
    gemmAtB(rows, k, n, col, 0, k, dy, m0 * n, n, dw, 0, n);
  }
}

/** The built-in kernel, for what these do not handle; an error naming the case when there is none. */
function fallbackOf(name: string, fallback: KernelFn | undefined): KernelFn {
  return (
    fallback ??
    (() => {
      throw new Error(`${name}: the NCHW layout needs the built-in kernel, which is not registered`);
    })
  );
}

/** `Conv2D` (inputs x, filter). */
export function cpuConv2D(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('Conv2D', fallback);
  return (args: KernelArgs) => {
    const { x, filter } = args.inputs;
    const info = convInfo(x!.shape, filter!.shape, attrsOf<ConvAttrs>(args));
    if (info.dataFormat !== 'channelsLast') return other(args);
    const out = new Float32Array(info.batchSize * info.outHeight * info.outWidth * info.outChannels);
    convForward(floats(args.backend, x!), floats(args.backend, filter!), info, out);
    return output(args.backend, info.outShape, out);
  };
}

/** `Conv2DBackpropInput` (inputs dy, filter; attrs inputShape, …). */
export function cpuConv2DBackpropInput(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('Conv2DBackpropInput', fallback);
  return (args: KernelArgs) => {
    const { dy, filter } = args.inputs;
    const attrs = attrsOf<tf.Conv2DBackpropInputAttrs & ConvAttrs>(args);
    const info = convInfo(attrs.inputShape, filter!.shape, attrs);
    if (info.dataFormat !== 'channelsLast') return other(args);
    const dx = new Float32Array(info.batchSize * info.inHeight * info.inWidth * info.inChannels);
    convInputGradient(floats(args.backend, dy!), floats(args.backend, filter!), info, dx);
    return output(args.backend, info.inShape, dx);
  };
}

/** `Conv2DBackpropFilter` (inputs x, dy; attrs filterShape, …). */
export function cpuConv2DBackpropFilter(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('Conv2DBackpropFilter', fallback);
  return (args: KernelArgs) => {
    const { x, dy } = args.inputs;
    const attrs = attrsOf<tf.Conv2DBackpropFilterAttrs & ConvAttrs>(args);
    const info = convInfo(x!.shape, attrs.filterShape, attrs);
    if (info.dataFormat !== 'channelsLast') return other(args);
    const dw = new Float32Array(info.filterHeight * info.filterWidth * info.inChannels * info.outChannels);
    convFilterGradient(floats(args.backend, x!), floats(args.backend, dy!), info, dw);
    return output(args.backend, attrs.filterShape, dw);
  };
}

type Activation = 'linear' | 'relu' | 'prelu' | 'elu' | 'relu6' | 'leakyrelu' | 'sigmoid';

/**
 * `FusedConv2D` (inputs x, filter, bias?, preluActivationWeights?; attrs as Conv2D plus activation,
 * leakyreluAlpha): the convolution above, then the bias and the activation in place when the bias and
 * PReLU weights are per channel (or scalars); other broadcasts through tfjs ops.
 */
export function cpuFusedConv2D(fallback?: KernelFn): KernelFn {
  const other = fallbackOf('FusedConv2D', fallback);
  return (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights: alpha } = args.inputs;
    const attrs = attrsOf<ConvAttrs & { activation?: Activation; leakyreluAlpha?: number }>(args);
    const info = convInfo(x!.shape, filter!.shape, attrs);
    if (info.dataFormat !== 'channelsLast') return other(args);
    const co = info.outChannels;
    const out = new Float32Array(info.batchSize * info.outHeight * info.outWidth * co);
    convForward(floats(args.backend, x!), floats(args.backend, filter!), info, out);
    const perChannel = (t: tf.TensorInfo | undefined): boolean => {
      const size = t ? tf.util.sizeFromShape(t.shape) : 1;
      return size === 1 || (size === co && t!.shape[t!.shape.length - 1] === co);
    };
    const activation = attrs.activation ?? 'linear';
    if (!perChannel(bias) || (activation === 'prelu' && !perChannel(alpha))) {
      // Broadcasts other than per channel: the convolution's output through tfjs ops.
      const y = output(args.backend, info.outShape, out);
      return tf.tidy(() => {
        let t: tf.Tensor = tf.engine().makeTensorFromTensorInfo(y);
        if (bias) t = tf.add(t, asTensor(bias));
        return activate(t, activation, alpha ? asTensor(alpha) : undefined, attrs.leakyreluAlpha);
      });
    }
    if (bias) addPerChannel(out, floats(args.backend, bias), co);
    activateInPlace(out, activation, alpha ? floats(args.backend, alpha) : undefined, attrs.leakyreluAlpha, co);
    return output(args.backend, info.outShape, out);
  };
}

/** out[i] += bias[channel of i] (a scalar bias: to every entry). */
function addPerChannel(out: Float32Array, bias: Float32Array, co: number): void {
  if (bias.length === 1) {
    const v = bias[0];
    for (let i = 0; i < out.length; i++) out[i] += v;
    return;
  }
  for (let i = 0; i < out.length; i += co) for (let c = 0; c < co; c++) out[i + c] += bias[c];
}

/** The fused activations of tfjs-core (`backend_util` applyActivation), in place. */
function activateInPlace(
  out: Float32Array,
  activation: Activation,
  alpha: Float32Array | undefined,
  leakyreluAlpha = 0.2,
  co: number,
): void {
  const n = out.length;
  switch (activation) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (out[i] < 0) out[i] = 0;
      return;
    case 'relu6':
      for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(out[i], 0), 6);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (out[i] < 0) out[i] = Math.exp(out[i]) - 1;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-out[i]));
      return;
    case 'leakyrelu':
      for (let i = 0; i < n; i++) if (out[i] < 0) out[i] *= leakyreluAlpha;
      return;
    case 'prelu': {
      const a = alpha!;
      for (let i = 0; i < n; i++) if (out[i] < 0) out[i] *= a.length === 1 ? a[0] : a[i % co];
      return;
    }
    default:
      throw new Error(`FusedConv2D: unknown activation '${String(activation)}'`);
  }
}

/** The activation by tfjs ops. */
function activate(t: tf.Tensor, activation: Activation, alpha: tf.Tensor | undefined, leak = 0.2): tf.Tensor {
  switch (activation) {
    case 'linear':
      return t;
    case 'relu':
      return tf.relu(t);
    case 'relu6':
      return tf.relu6(t);
    case 'elu':
      return tf.elu(t);
    case 'sigmoid':
      return tf.sigmoid(t);
    case 'leakyrelu':
      return tf.leakyRelu(t, leak);
    case 'prelu':
      return tf.prelu(t, alpha!);
    default:
      throw new Error(`FusedConv2D: unknown activation '${String(activation)}'`);
  }
}
