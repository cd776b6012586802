import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOptions, describe } from '../base/checks.js';
import { checkDiagramSet, DiagramSet } from './diagram-set.js';

/**
 * Options of `paddedDiagrams`.
 *
 * @category Functionals
 */
export interface PaddedDiagramsOptions {
  /** The homology dimension read. Required. */
  dim: number;
  /**
   * Rows per map N: every map is padded to exactly N rows, and a map with more pairs keeps its N
   * longest-lived ones. Default: the largest number of pairs in a map (at least 1). Give it when
   * several calls must produce the same shape, e.g. the training and test sets of one model.
   */
  maxPairs?: number;
}

/**
 * Each map's diagram of one dimension as a padded tensor `[maps, N, 3]`: per row (lo, hi, 1) for a
 * pair — the interval between its ends, lo ≤ hi, so sublevel and superlevel diagrams read alike —
 * and (0, 0, 0) for padding. Rows are sorted by lifetime, longest first (ties in the set's order).
 * This is the input of `layers.persLay` (the third column is its mask, as in the PersLay paper's
 * code), and the form to batch diagrams of different sizes in. Differentiable through the pairs
 * tensor (so through the critical cells to the op's input); the mask column has no gradient. As
 * the vectorizations, only finite pairs count: a clipped essential class is left out.
 *
 * @throws Error naming `diagrams` (not an op's diagrams), `options` / `options.<key>` (an unknown
 *   key, `dim` not computed, `maxPairs` not an integer ≥ 1).
 * @example
 * ```js
 * const square = [[0, 0], [1, 0], [1, 1], [0, 1]];
 * const line = [[0, 0], [1, 0], [3, 0], [6, 0]];
 * const d = ripsDiagrams(tf.tensor3d([square, line])); // two clouds: maps 0 and 1
 * const h1 = paddedDiagrams(d, { dim: 1 }); // the square's loop; none on the line
 * // h1.arraySync() → [[[1, 1.414…, 1]], [[0, 0, 0]]], shape [2, 1, 3]
 * const h0 = paddedDiagrams(d, { dim: 0, maxPairs: 2 }); // each cloud's two longest H0 pairs
 * // h0.arraySync() → [[[0, 1, 1], [0, 1, 1]], [[0, 3, 1], [0, 2, 1]]]
 * ```
 * @category Functionals
 */
export function paddedDiagrams(diagrams: DiagramSet, options: PaddedDiagramsOptions): tf.Tensor3D {
  checkDiagramSet(diagrams);
  const opts = checkOptions(options, 'options', ['dim', 'maxPairs']);
  const dim = opts.dim as unknown;
  if (!Number.isInteger(dim) || !diagrams.dims.includes(dim as number))
    throw new Error(
      `options.dim: expected one of the dimensions computed ([${diagrams.dims.join(', ')}]), got ${describe(dim)}`,
    );
  const v = diagrams.values;
  const life = (i: number) => Math.abs(v[2 * i + 1] - v[2 * i]);
  // Per map, its finite pairs of dimension `dim`, longest-lived first.
  const rows: number[][] = Array.from({ length: diagrams.maps }, () => []);
  for (let i = 0; i < diagrams.dim.length; i++)
    if (diagrams.dim[i] === dim && !diagrams.essential[i]) rows[diagrams.map[i]].push(i);
  for (const r of rows) r.sort((a, b) => life(b) - life(a) || a - b);
  const n = checkInteger(opts.maxPairs, 'options.maxPairs', Math.max(1, ...rows.map((r) => r.length)), 1);
  // Row m·n + j reads pair index[m·n + j]; padding reads the extra zero row appended at the end.
  const total = diagrams.dim.length;
  const index = new Int32Array(diagrams.maps * n).fill(total);
  const mask = new Float32Array(diagrams.maps * n);
  rows.forEach((r, m) => {
    for (let j = 0; j < Math.min(n, r.length); j++) {
      index[m * n + j] = r[j];
      mask[m * n + j] = 1;
    }
  });
  return tf.tidy(() => {
    const padded = tf.concat([diagrams.pairs, tf.zeros([1, 2])]);
    const ends = tf.gather(padded, tf.tensor1d(index, 'int32')); // [maps · n, 2]
    const [a, b] = tf.split(ends, 2, 1);
    const rows3 = tf.concat([tf.minimum(a, b), tf.maximum(a, b), tf.tensor2d(mask, [mask.length, 1])], 1);
    return tf.reshape(rows3, [diagrams.maps, n, 3]) as tf.Tensor3D;
  });
}
