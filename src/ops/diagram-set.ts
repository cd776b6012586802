import * as tf from '@tensorflow/tfjs-core';
import { describe } from '../base/checks.js';

/**
 * Persistence diagrams of one or more maps (images, point clouds, functions on a complex) as one
 * differentiable `[N, 2]` tensor, plus the plain host data that says which pair is which: what
 * every loss functional reads. Each op adds the critical cells behind the pairs in its own terms
 * (pixels, edges, vertices).
 * @category Diagram ops
 */
export interface DiagramSet {
  /** [N, 2] float32 (birth, death) pairs; gradients flow to the op's input through the critical cells. */
  readonly pairs: tf.Tensor2D;
  /** The same values on the host, interleaved (birth, death), so selection needs no read-back. */
  readonly values: Float32Array;
  /** Per pair: homology dimension. */
  readonly dim: Int32Array;
  /** Per pair: index of the map it belongs to. */
  readonly map: Int32Array;
  /** Per pair: 1 when the pair is a clipped essential class. */
  readonly essential: Uint8Array;
  /** essentialCounts[map · dims.length + k]: essential classes of dimension dims[k] in that map. */
  readonly essentialCounts: Int32Array;
  /** The homology dimensions computed, increasing. */
  readonly dims: readonly number[];
  /** Number of maps. */
  readonly maps: number;
}

/** An error naming `name` unless `x` looks like a `DiagramSet` (an op's output). */
export function checkDiagramSet(x: unknown, name = 'diagrams'): void {
  const d = x as DiagramSet | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    !(d.pairs instanceof tf.Tensor) ||
    !(d.values instanceof Float32Array) ||
    !Array.isArray(d.dims) ||
    !Number.isInteger(d.maps)
  )
    throw new Error(
      `${name}: expected the diagrams of an op (persistenceDiagrams, ripsDiagrams, lowerStarDiagrams), got ${describe(x)}`,
    );
  if (d.pairs.isDisposed) throw new Error(`${name}.pairs: the tensor is disposed (compute the diagrams again)`);
}
