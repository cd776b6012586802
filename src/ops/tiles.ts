import * as tf from '@tensorflow/tfjs-core';
import { checkKeys, describe } from '../base/checks.js';

/**
 * Patch-wise evaluation: tiles of `size` elements per spatial axis, neighbours sharing `overlap`.
 *
 * @category Diagram ops
 */
export interface PatchOptions {
  /** Tile side (every spatial axis), an integer ≥ 2. */
  size: number;
  /** Elements shared by neighbouring tiles, 0 ≤ overlap < size. Default 0. */
  overlap?: number;
}

/** `patch` checked; errors name `name`. */
export function checkPatch(patch: unknown, name: string): Required<PatchOptions> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw new Error(`${name}: expected { size, overlap? }, got ${describe(patch)}`);
  checkKeys(patch, ['size', 'overlap'], name);
  const { size, overlap = 0 } = patch as PatchOptions;
  if (!Number.isInteger(size) || size < 2)
    throw new Error(`${name}.size: expected an integer ≥ 2, got ${describe(size)}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size)
    throw new Error(`${name}.overlap: expected an integer from 0 to ${size - 1}, got ${describe(overlap)}`);
  return { size, overlap };
}

/**
 * Start of every tile along an axis of n elements: steps of size − overlap, the last tile moved back
 * to end at n so that every element is covered and no tile is partial.
 */
export function tileStarts(n: number, size: number, overlap: number): number[] {
  if (size >= n) return [0];
  const starts: number[] = [];
  for (let s = 0; s + size < n; s += size - overlap) starts.push(s);
  starts.push(n - size);
  return starts;
}

/**
 * The tiles of a batch `[B, H, W, C]` or `[B, D, H, W, C]` stacked along the batch axis: each tile a
 * map of its own, so a term sees (and its gradient flows back through) every tile. Axes not longer
 * than `size` are kept whole.
 */
export function tileBatch(x: tf.Tensor, patch: Required<PatchOptions>): tf.Tensor {
  const spatial = x.shape.slice(1, -1);
  const starts = spatial.map((n) => tileStarts(n, patch.size, patch.overlap));
  const sizes = spatial.map((n) => Math.min(n, patch.size));
  const corners: number[][] = starts.reduce<number[][]>(
    (acc, axis) => acc.flatMap((corner) => axis.map((s) => [...corner, s])),
    [[]],
  );
  if (corners.length === 1 && sizes.every((s, a) => s === spatial[a])) return x;
  return tf.tidy(() =>
    tf.concat(
      corners.map((corner) => tf.slice(x, [0, ...corner, 0], [-1, ...sizes, -1])),
      0,
    ),
  );
}
