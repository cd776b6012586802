/**
 * What the convolution kernels share: the geometry of a 2-D convolution read from a kernel's
 * attributes (through tfjs-core's own `computeConv2DInfo`, so 'same', 'valid', explicit padding and
 * `dimRoundingMode` mean exactly what they mean to the built-in kernels), and the kernel-function types.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The padding a convolution kernel accepts. */
export type ConvPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** What a kernel function receives (tfjs's `KernelFunc` parameters, with the backend typed). */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/**
 * A kernel function as registered: it returns the outputs' TensorInfos (or Tensors, which the engine
 * takes as they are).
 */
export type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** The attributes shared by the four convolution kernels; backprop kernels may carry `dilations` (TensorFlow's do). */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The geometry of a convolution of an input of `xShape` by a filter of `filterShape` ([KH, KW, Ci, Co]),
 * in the layout `attrs.dataFormat` names (NHWC when absent).
 */
export function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
}

/** A kernel's attributes, typed. */
export function attrsOf<T>(args: KernelArgs): T {
  return (args.attrs ?? {}) as unknown as T;
}

/**
 * A kernel input as a Tensor that tfjs ops accept. The engine passes the op's own tensors; anything
 * else (a bare TensorInfo from another kernel) is wrapped by the Identity kernel, which shares its data
 * and is released with the surrounding `tf.tidy`.
 */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as unknown as tf.Tensor<R>;
  return tf.engine().runKernel(tf.Identity, { x: info } as unknown as tf.NamedTensorMap) as tf.Tensor<R>;
}
