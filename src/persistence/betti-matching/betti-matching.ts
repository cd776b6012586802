import { checkFlag, checkGridShape, checkOptions, describe } from '../../base/checks.js';
import { MatchList } from './bars.js';
import { Filtration } from './filtration.js';
import { VertexGrid } from './grid.js';
import { imageBuffers, ImageBuffers, matchThroughImage } from './image-matching.js';
import { SquareReduction } from './loops.js';
import { BettiMatchingPairs, buildPairs } from './result.js';

/** Cells are indexed up to three per element in an Int32Array. */
export const MAX_ELEMENTS = Math.floor((2 ** 31 - 1) / 3);

/**
 * Options of `BettiMatching` and `bettiMatching`.
 *
 * @category Engines
 */
export interface BettiMatchingOptions {
  /**
   * Match superlevel filtrations (foreground = high values, as in the Betti-matching papers): the
   * sublevel computation on the negated inputs, with the elementwise maximum as the comparison
   * image. Default false: sublevel filtrations, comparison image the elementwise minimum.
   */
  superlevel?: boolean;
  /**
   * Match only through image bars of positive length, which makes each half of the matching the
   * Bauer–Lesnick induced matching of the inclusion. Default false: every pivot pair of the image
   * reduction matches, as in the reference code, including the few whose birth in the input comes
   * no earlier than their death in the comparison image (an empty interval).
   */
  strict?: boolean;
}

/**
 * Betti matching (Stucki et al., ICML 2023) of a prediction P and a target L of one fixed shape,
 * reusing its working memory across calls: build one per shape and call `match` in a training loop.
 *
 * Array entries are the vertices of the cubical complex (V construction: every edge, square and
 * cube takes the largest value of its vertices). With C = min(P, L) (sublevel), P_t ⊆ C_t and
 * L_t ⊆ C_t; a bar of P and a bar of L are matched when the induced matchings of the two
 * inclusions (through the image barcodes of H(P_t) → H(C_t) and H(L_t) → H(C_t)) send them to the
 * same bar of C. Per dimension 0..rank−1, the matched pairs and both inputs' unmatched bars, each
 * end the flat index of the element whose value the bar takes; essential classes and bars of
 * length zero are left out, as in the reference code (Betti-Matching-3D).
 *
 * Ties: the cells of each dimension are ordered by (value, name) — a cell named by its first
 * vertex (flat index) and, for edges and the squares of a volume, its axis — the reference's own
 * order, so its pairs and matches are reproduced exactly. A cell's critical element is its last
 * vertex of the largest value (largest index): the reference's rule, except that for the cubes of
 * a volume the reference takes the first such vertex.
 * @category Engines
 */
export class BettiMatching {
  /** The input shape: `[height, width]` or `[depth, height, width]`. */
  readonly shape: readonly number[];
  /** Whether superlevel filtrations are matched (the option `superlevel`). */
  readonly superlevel: boolean;
  /** Whether only image bars of positive length match (the option `strict`). */
  readonly strict: boolean;
  /** Number of input elements: the product of `shape`. */
  readonly size: number;
  private readonly grid: VertexGrid;
  private readonly sign: 1 | -1;
  private readonly prediction: Filtration;
  private readonly target: Filtration;
  private readonly comparison: Filtration;
  private readonly reduction: SquareReduction | null; // H1 of a volume
  private readonly buffers: ImageBuffers; // union-find slots and image births
  private readonly matches: MatchList[]; // per dimension, as cell names
  private hasTarget = false;

  constructor(shape: readonly number[], options?: BettiMatchingOptions) {
    this.shape = checkGridShape(shape, MAX_ELEMENTS);
    const opts = checkOptions(options, 'options', ['superlevel', 'strict']);
    this.superlevel = checkFlag(opts.superlevel, 'options.superlevel');
    this.strict = checkFlag(opts.strict, 'options.strict');
    this.sign = this.superlevel ? -1 : 1;
    const grid = new VertexGrid(this.shape);
    this.grid = grid;
    this.size = grid.size;
    this.prediction = new Filtration(grid, true);
    this.target = new Filtration(grid, true);
    this.comparison = new Filtration(grid, false);
    this.reduction = grid.rank === 3 ? new SquareReduction(grid) : null;
    this.buffers = imageBuffers(grid);
    this.matches = Array.from({ length: grid.rank }, () => new MatchList());
  }

  /**
   * The Betti matching of `prediction` and `target` (row-major, `this.shape`), one entry per
   * homology dimension 0..rank−1. The target becomes the one `matchToTarget` uses.
   */
  match(prediction: Float32Array | Float64Array, target: Float32Array | Float64Array): BettiMatchingPairs[] {
    checkInput(prediction, this.size, 'prediction');
    checkInput(target, this.size, 'target');
    this.setTarget(target);
    return this.matchToTarget(prediction);
  }

  /**
   * Computes the target's own side of the matching once (its orders and bars, which do not depend
   * on the prediction; the image barcodes do), for `matchToTarget`: it saves about a quarter of
   * each `match` when one target meets many predictions.
   */
  setTarget(target: Float32Array | Float64Array): void {
    checkInput(target, this.size, 'target');
    this.hasTarget = false;
    this.target.load(target, this.sign, 'target');
    this.target.order();
    this.target.ownBars(this.buffers.parent, this.reduction);
    this.hasTarget = true;
  }

  /** The Betti matching of `prediction` and the target last given to `setTarget` or `match`. */
  matchToTarget(prediction: Float32Array | Float64Array): BettiMatchingPairs[] {
    if (!this.hasTarget) throw new Error('target: none set; call setTarget(target) or match(prediction, target) first');
    checkInput(prediction, this.size, 'prediction');
    const { grid, prediction: P, target: L, comparison: C, buffers, matches, strict } = this;
    P.load(prediction, this.sign, 'prediction');
    P.order();
    P.ownBars(buffers.parent, this.reduction);
    C.loadMinimum(P, L);
    C.order();
    for (const m of matches) m.reset();
    for (const bars of [...P.bars, ...L.bars]) bars.clearMatches();
    matchThroughImage(grid, P, L, C, buffers, this.reduction, strict, matches);
    return matches.map((m, dim) => buildPairs(grid, dim, m, P.values, L.values, P.bars[dim], L.bars[dim]));
  }
}

/**
 * The Betti matching of a prediction and a target of shape `[H, W]` or `[D, H, W]` (row-major
 * entries, last axis fastest), one entry per homology dimension. For repeated calls on one shape,
 * keep a `BettiMatching` instead.
 *
 * @throws Error naming `shape` (not 2 or 3 positive integer sizes, too many elements),
 *   `prediction` or `target` (not a Float32Array or Float64Array, a length other than the shape's
 *   size, a NaN or infinite entry), or `options` / `options.<key>` (an unknown key, a non-boolean
 *   flag).
 * @example
 * ```js
 * // 2×3 maps, foreground high: the target has one blob, the prediction a second one at index 2.
 * const target = Float32Array.of(1, 0, 0, 0, 0, 0);
 * const prediction = Float32Array.of(0.9, 0, 0.8, 0, 0, 0);
 * const [h0] = bettiMatching(prediction, target, [2, 3], { superlevel: true });
 * // h0.unmatchedPred.birth → [2]: the spurious blob, matched to nothing (h0.unmatchedTarget is empty)
 * ```
 * @category Engines
 */
export function bettiMatching(
  prediction: Float32Array | Float64Array,
  target: Float32Array | Float64Array,
  shape: readonly number[],
  options?: BettiMatchingOptions,
): BettiMatchingPairs[] {
  return new BettiMatching(shape, options).match(prediction, target);
}

/** An error naming `name` unless x is a Float32Array or Float64Array of `size` entries. */
export function checkInput(x: unknown, size: number, name: string): void {
  if (!(x instanceof Float32Array || x instanceof Float64Array))
    throw new Error(`${name}: expected a Float32Array or Float64Array, got ${describe(x)}`);
  if (x.length !== size) throw new Error(`${name}: expected length ${size} (the shape's size), got ${x.length}`);
}
