/**
 * Both gradients of a 2-D convolution written as *forward* convolutions, from tfjs ops, for backends
 * whose forward `Conv2D` is fast and whose backprop kernels are slow or missing (wasm: XNNPACK runs the
 * forward convolution; 4.22 has no `Conv2DBackpropFilter` and a naive `Conv2DBackpropInput`).
 *
 * Filter gradient. dW[kh, kw, ci, co] = Σ_{b, oh, ow} xpad[b, oh·s + kh·d, ow·s + kw·d, ci] · dy[b, oh, ow, co]
 * is the forward convolution of x with batch and channel axes swapped ([Ci, H, W, B]) by dy as the
 * filter ([OH, OW, B, Co]), with stride d and dilation s (stride and dilation trade places), padded
 * explicitly so that the output is [Ci, KH, KW, Co]. tfjs's conv2d takes stride > 1 or dilation > 1,
 * never both: when the convolution has both, im2col by strided slices and one matmul. A 1 × 1 filter
 * (stride 1, no padding) is one matmul, xᵀ·dy.
 *
 * Input gradient. dx[b, i, j, ci] = Σ dy[b, oh, ow, co] · W[kh, kw, ci, co] over i = oh·s + kh·d − top is
 * the forward convolution (stride 1, dilation d) of dy, with zeros inserted between its rows and
 * columns when s > 1, by the filter flipped in both spatial axes with its channel axes swapped (done on
 * the host, which reads the filter: these kernels are for backends whose memory is the host's).
 */
import * as tf from '@tensorflow/tfjs-core';
import { asTensor, attrsOf, convInfo, type ConvAttrs, type KernelArgs, type KernelFn } from './conv-info.js';

/** The filter gradient [KH, KW, Ci, Co] of a convolution of x by a filter of `filterShape`, given dy. */
export function filterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  attrs: ConvAttrs,
): tf.Tensor4D {
  const info = convInfo(x.shape, filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const channelsLast = info.dataFormat === 'channelsLast';
  // The padding below and right that makes the input just long enough for KH (KW) outputs; rows past
  // it are never read, and a longer input is cut by slicing the output.
  const bottom = Math.max(0, (kh - 1) * dh + (oh - 1) * sh + 1 - top - h);
  const right = Math.max(0, (kw - 1) * dw + (ow - 1) * sw + 1 - left - w);
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && top === 0 && left === 0 && oh === h && ow === w && channelsLast) {
    // A 1 × 1 filter: xᵀ·dy, one product. (x is transposed by a 4-D transpose: on wasm, matMul's
    // transposeA and 2-D transposes of tall matrices are several times slower.)
    const ci = info.inChannels;
    const co = info.outChannels;
    const m = info.batchSize * h * w;
    const xt = tf.reshape(tf.transpose(x, [3, 0, 1, 2]), [ci, m]);
    return tf.reshape(tf.matMul(xt, tf.reshape(dy, [m, co])), [1, 1, ci, co]);
  }
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    const xn = channelsLast ? x : tf.transpose(x, [0, 2, 3, 1]);
    const dyn = channelsLast ? dy : tf.transpose(dy, [0, 2, 3, 1]);
    return im2colFilterGradient(xn, dyn, info, bottom, right);
  }
  // x as [Ci, H, W, B], dy as [OH, OW, B, Co].
  const xt = tf.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
  const dyt = tf.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
  const padding: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  let g = tf.conv2d(xt, dyt, [dh, dw], padding, 'NHWC', [sh, sw]);
  if (g.shape[1] !== kh || g.shape[2] !== kw) g = tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
  return tf.transpose(g, [1, 2, 0, 3]);
}

/**
 * The filter gradient by im2col: the patch matrix transposed, [KH·KW·Ci, B·OH·OW] (one strided slice of
 * x as [Ci, B, H, W] per filter tap), times dy as [B·OH·OW, Co]. NHWC.
 */
function im2colFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  bottom: number,
  right: number,
): tf.Tensor4D {
  const { batchSize: b, inChannels: ci, outChannels: co, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const xp = tf.pad(tf.transpose(x, [3, 0, 1, 2]), [
    [0, 0],
    [0, 0],
    [top, bottom],
    [left, right],
  ]);
  const taps: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const end = [ci, b, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1];
      taps.push(tf.stridedSlice(xp, [0, 0, i * dh, j * dw], end, [1, 1, sh, sw]));
    }
  const patches = tf.reshape(tf.concat(taps, 0), [kh * kw * ci, b * oh * ow]);
  return tf.reshape(tf.matMul(patches, tf.reshape(dy, [b * oh * ow, co])), [kh, kw, ci, co]);
}

/**
 * The input gradient [B, H, W, Ci] of an NHWC convolution of an input of `inputShape` by a filter of
 * `filterShape` whose values are `filter`, given dy.
 */
export function inputGradient(
  dy: tf.Tensor4D,
  filter: Float32Array,
  filterShape: readonly number[],
  inputShape: readonly number[],
  attrs: ConvAttrs,
): tf.Tensor4D {
  const info = convInfo(inputShape, filterShape, attrs);
  const { batchSize: b, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  let d: tf.Tensor4D = dy;
  if (sh > 1 || sw > 1) {
    // Zeros between rows and columns: [B, OH, 1, OW, 1, Co] padded to [B, OH, sh, OW, sw, Co].
    const spread = tf.pad(tf.reshape(dy, [b, oh, 1, ow, 1, co]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    d = tf.reshape(spread, [b, oh * sh, ow * sw, co]);
  }
  const rows = fit(d.shape[1], (kh - 1) * dh - info.padInfo.top, h, (kh - 1) * dh);
  const cols = fit(d.shape[2], (kw - 1) * dw - info.padInfo.left, w, (kw - 1) * dw);
  if (rows.length <= 0 || cols.length <= 0) return tf.zeros(inputShape as [number, number, number, number]);
  if (rows.start > 0 || cols.start > 0 || rows.length < d.shape[1] || cols.length < d.shape[2])
    d = tf.slice(d, [0, rows.start, cols.start, 0], [-1, rows.length, cols.length, -1]);
  const flipped = tf.tensor4d(flip(filter, kh, kw, info.inChannels, co), [kh, kw, co, info.inChannels]);
  const padding: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [rows.before, rows.after],
    [cols.before, cols.after],
    [0, 0],
  ];
  return tf.conv2d(d, flipped, 1, padding, 'NHWC', [dh, dw]);
}

/**
 * The filter [KH, KW, Ci, Co] flipped in both spatial axes with its channel axes swapped ([KH, KW, Co, Ci]),
 * on the host: filters are small, and on wasm this loop is ≈20× faster than tf.reverse + tf.transpose.
 */
function flip(w: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(kh * kw * ci * co);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++) {
      const src = ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      const dst = (a * kw + b) * ci * co;
      for (let j = 0, o = dst; j < co; j++) for (let i = 0, q = src + j; i < ci; i++, o++, q += co) out[o] = w[q];
    }
  return out;
}

/**
 * Along one axis: dy has n entries, wants `before` zeros in front (negative: that many entries cut) and
 * as many after as make `out` outputs of a filter spanning `span + 1`; entries past that are cut.
 */
function fit(
  n: number,
  before: number,
  out: number,
  span: number,
): { start: number; length: number; before: number; after: number } {
  const start = Math.max(0, -before);
  const pad = Math.max(0, before);
  let length = n - start;
  let after = out + span - pad - length;
  if (after < 0) {
    length += after;
    after = 0;
  }
  return { start, length, before: pad, after };
}

/** `Conv2DBackpropFilter` as a forward convolution (inputs x, dy; attrs filterShape, strides, pad, …). */
export const forwardConvFilterGradient: KernelFn = (args: KernelArgs) => {
  const attrs = attrsOf<tf.Conv2DBackpropFilterAttrs & ConvAttrs>(args);
  const { x, dy } = args.inputs;
  return tf.tidy(() => filterGradient(asTensor<tf.Rank.R4>(x!), asTensor<tf.Rank.R4>(dy!), attrs.filterShape, attrs));
};

/**
 * `Conv2DBackpropInput` as a forward convolution; what it does not handle (NCHW) goes to `fallback`,
 * the kernel it replaces.
 */
export function forwardConvInputGradient(fallback: KernelFn | undefined): KernelFn {
  return (args: KernelArgs) => {
    const attrs = attrsOf<tf.Conv2DBackpropInputAttrs & ConvAttrs>(args);
    const { dy, filter } = args.inputs;
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
      if (!fallback) throw new Error(`Conv2DBackpropInput: the ${attrs.dataFormat} layout needs the built-in kernel`);
      return fallback(args);
    }
    const values = args.backend.readSync(filter!.dataId);
    const w = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return tf.tidy(() => inputGradient(asTensor<tf.Rank.R4>(dy!), w, filter!.shape, attrs.inputShape, attrs));
  };
}
