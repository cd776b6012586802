import { checkFlag, checkGridShape, checkNumber, checkOptions } from '../../base/checks.js';
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { FLOOR, MatchList } from './bars.js';
import { BettiMatchingOptions, checkInput, MAX_ELEMENTS } from './betti-matching.js';
import { imageBuffers, matchThroughImage } from './image-matching.js';
import { SquareReduction } from './loops.js';
import { BettiMatchingPairs, buildPairs } from './result.js';
import { SparseFiltration } from './sparse-filtration.js';
import { SparseGrid } from './sparse-grid.js';

/**
 * Options of `SparseBettiMatching`.
 *
 * @category Engines
 */
export interface SparseBettiMatchingOptions extends BettiMatchingOptions {
  /**
   * The cells kept: those whose every vertex has max(P, L) ≥ threshold (superlevel), or
   * min(P, L) ≤ threshold (sublevel) — the comparison image passing it. Required.
   */
  threshold: number;
}

/**
 * A sparse Betti matching: the bars, their matching through the comparison image, and the floor.
 *
 * @category Engines
 */
export interface SparseBettiMatchingResult {
  /** Per homology dimension, as `BettiMatching` gives them; a death at index −1 is at the floor. */
  readonly pairs: BettiMatchingPairs[];
  /**
   * The value of a death at the floor: the smallest entry of either input (superlevel), or the
   * largest (sublevel) — where a class not killed among the kept cells dies in the whole grid
   * when everything outside them lies at the floor.
   */
  readonly floor: number;
  /** Number of vertices kept (elements passing the threshold). */
  readonly kept: number;
}

/**
 * Betti matching (see `BettiMatching`) restricted to the cells a threshold keeps, in time and memory
 * proportional to them (plus two Int32 per element of the grid and a pass over it): for the thin
 * structures of 3-D segmentation, where a few per cent of the voxels pass, it is what makes
 * volumes of 128³ and more affordable in a training step.
 *
 * The kept cells are those whose every vertex passes the threshold in the comparison image (the
 * same cells for P, L and C); every other cell enters after them, at the floor. Exactly, the
 * result is the Betti matching of the inputs set to a value beyond all others outside the kept
 * vertices, but for the classes still alive when the kept cells are all in — every component but
 * the oldest, every loop and cavity of the kept complex. They die at the floor, and which floor
 * cell kills which of them is a tie the dense engine breaks by cell names; here they are matched
 * by the induced matching's own rule for bars with one death: the prediction's and the target's,
 * each sorted by birth, pair off in order (their numbers are equal: the Betti numbers of the kept
 * complex). A death at the floor is reported as index −1 and has the value `floor`.
 *
 * So a sparse matching equals the dense one when the threshold keeps every bar that matters and
 * the rest is flat: outside the kept vertices both inputs lie at the floor, and at most one class
 * per dimension reaches it.
 * @category Engines
 */
export class SparseBettiMatching {
  /** The input shape: `[height, width]` or `[depth, height, width]`. */
  readonly shape: readonly number[];
  /** Whether superlevel filtrations are used (the option `superlevel`). */
  readonly superlevel: boolean;
  /** Whether only image bars of positive length match (the option `strict`). */
  readonly strict: boolean;
  /** The level the comparison image must pass (the option `threshold`). */
  readonly threshold: number;
  /** Number of input elements: the product of `shape`. */
  readonly size: number;
  private readonly grid: SparseGrid;
  private readonly sign: 1 | -1;
  private readonly sorter = new RadixArgsort();

  constructor(shape: readonly number[], options: SparseBettiMatchingOptions) {
    this.shape = checkGridShape(shape, MAX_ELEMENTS);
    const opts = checkOptions(options, 'options', ['superlevel', 'strict', 'threshold']);
    this.superlevel = checkFlag(opts.superlevel, 'options.superlevel');
    this.strict = checkFlag(opts.strict, 'options.strict');
    this.threshold = checkNumber(opts.threshold, 'options.threshold', undefined);
    this.sign = this.superlevel ? -1 : 1;
    this.grid = new SparseGrid(this.shape);
    this.size = this.grid.size;
  }

  /** The sparse Betti matching of `prediction` and `target` (row-major, `this.shape`). */
  match(prediction: Float32Array | Float64Array, target: Float32Array | Float64Array): SparseBettiMatchingResult {
    checkInput(prediction, this.size, 'prediction');
    checkInput(target, this.size, 'target');
    const { grid, sign, strict, sorter } = this;
    grid.keep(prediction, target, sign, sign * this.threshold);
    const P = new SparseFiltration(grid, sorter, true);
    const L = new SparseFiltration(grid, sorter, true);
    const C = new SparseFiltration(grid, sorter, false);
    P.load(prediction, sign);
    L.load(target, sign);
    const [fp, fl, fc] = [P.values, L.values, C.values];
    for (let i = 0; i < fc.length; i++) fc[i] = fp[i] < fl[i] ? fp[i] : fl[i];
    for (const X of [P, L, C]) X.order();
    const buffers = imageBuffers(grid);
    const reduction = grid.rank === 3 ? new SquareReduction(grid) : null;
    P.ownBars(buffers.parent, reduction);
    L.ownBars(buffers.parent, reduction);
    const matches = Array.from({ length: grid.rank }, () => new MatchList());
    matchThroughImage(grid, P, L, C, buffers, reduction, strict, matches);
    // The classes that reach the floor, matched in order of birth.
    for (let dim = 0; dim < grid.rank; dim++) {
      const births = P.floorBirths(dim);
      const others = L.floorBirths(dim);
      if (births.length !== others.length)
        throw new Error(`internal: ${births.length} and ${others.length} classes of dimension ${dim} reach the floor`);
      for (let i = 0; i < births.length; i++) matches[dim].push(births[i], FLOOR, others[i], FLOOR);
    }
    const pairs = matches.map((m, dim) => buildPairs(grid, dim, m, fp, fl, P.bars[dim], L.bars[dim]));
    return { pairs, floor: sign * grid.floor, kept: grid.vertexCount };
  }
}
