import { BarTable, FLOOR, MatchList } from './bars.js';
import { CubicalCells } from './grid.js';

/**
 * Unmatched bars of one input, each end given as the flat index of the input element whose value it takes.
 *
 * @category Engines
 */
export interface UnmatchedBars {
  /** Per bar, the flat index of the element giving its birth value. */
  readonly birth: Int32Array;
  /** Per bar, the flat index of the element giving its death value (−1: the floor of a sparse matching). */
  readonly death: Int32Array;
}

/**
 * Matched bars: the prediction's bar (predBirth[i], predDeath[i]) is matched to the target's (targetBirth[i], targetDeath[i]).
 *
 * @category Engines
 */
export interface MatchedBars {
  /** Per match, the flat index of the prediction element giving its bar's birth value. */
  readonly predBirth: Int32Array;
  /** Per match, the flat index of the prediction element giving its bar's death value (−1: the floor of a sparse matching). */
  readonly predDeath: Int32Array;
  /** Per match, the flat index of the target element giving its bar's birth value. */
  readonly targetBirth: Int32Array;
  /** Per match, the flat index of the target element giving its bar's death value (−1: the floor). */
  readonly targetDeath: Int32Array;
}

/**
 * The Betti matching in one homology dimension.
 *
 * @category Engines
 */
export interface BettiMatchingPairs {
  /** The homology dimension, 0..rank−1. */
  readonly dim: number;
  /** The matched pairs of bars, one entry per match. */
  readonly matched: MatchedBars;
  /** The prediction's bars matched to none of the target. */
  readonly unmatchedPred: UnmatchedBars;
  /** The target's bars matched to none of the prediction. */
  readonly unmatchedTarget: UnmatchedBars;
}

/**
 * The matching of dimension `dim` with every cell replaced by its critical vertex (see
 * VertexGrid.criticalVertex; −1 for a death at the floor), in new arrays the caller owns.
 */
export function buildPairs(
  grid: CubicalCells,
  dim: number,
  matches: MatchList,
  fp: Float64Array,
  fl: Float64Array,
  barsP: BarTable,
  barsL: BarTable,
): BettiMatchingPairs {
  const scratch = new Int32Array(8);
  const vertex = (f: Float64Array, d: number, cell: number) =>
    cell === FLOOR ? -1 : grid.criticalVertex(f, d, cell, scratch);
  const n = matches.length;
  const matched = {
    predBirth: new Int32Array(n),
    predDeath: new Int32Array(n),
    targetBirth: new Int32Array(n),
    targetDeath: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    matched.predBirth[i] = vertex(fp, dim, matches.predBirth[i]);
    matched.predDeath[i] = vertex(fp, dim + 1, matches.predDeath[i]);
    matched.targetBirth[i] = vertex(fl, dim, matches.targetBirth[i]);
    matched.targetDeath[i] = vertex(fl, dim + 1, matches.targetDeath[i]);
  }
  const unmatched = (f: Float64Array, bars: BarTable): UnmatchedBars => {
    let count = 0;
    for (let i = 0; i < bars.length; i++) if (!bars.matched[bars.births[i]]) count++;
    const birth = new Int32Array(count);
    const death = new Int32Array(count);
    for (let i = 0, j = 0; i < bars.length; i++) {
      if (bars.matched[bars.births[i]]) continue;
      birth[j] = vertex(f, dim, bars.births[i]);
      death[j++] = vertex(f, dim + 1, bars.deaths[i]);
    }
    return { birth, death };
  };
  return { dim, matched, unmatchedPred: unmatched(fp, barsP), unmatchedTarget: unmatched(fl, barsL) };
}
