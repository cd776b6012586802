import { checkFlag, checkGridShape, checkNumber, checkOptions } from '../../base/checks.js';
import { DiagramBuilder, PersistenceDiagram } from '../diagram.js';
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { checkInput, MAX_ELEMENTS } from './betti-matching.js';
import { SquareReduction } from './loops.js';
import { SparseFiltration } from './sparse-filtration.js';
import { SparseGrid } from './sparse-grid.js';

/**
 * Options of `SparseCubicalPersistence` and `sparseCubicalPersistence`.
 *
 * @category Engines
 */
export interface SparseCubicalOptions {
  /** The cells kept: those whose every vertex has value ≥ threshold (superlevel) or ≤ it (sublevel). Required. */
  threshold: number;
  /** Superlevel filtration (foreground high). Default false. */
  superlevel?: boolean;
}

/**
 * The persistence of a sparse cubical complex, and where its floor lies.
 *
 * @category Engines
 */
export interface SparseDiagrams {
  /**
   * One diagram per dimension 0..rank−1. A class alive when every kept cell is in dies at the
   * floor: death `floor`, death cell −1 (the oldest component is essential: death `Infinity`).
   */
  readonly diagrams: PersistenceDiagram[];
  /** The smallest entry of the input (superlevel), or the largest (sublevel). */
  readonly floor: number;
  /** Number of vertices kept (entries passing the threshold). */
  readonly kept: number;
}

/**
 * Persistence of an image or volume (values on vertices, the V construction) restricted to the
 * cells a threshold keeps — all of whose vertices pass it — in time and memory proportional to them
 * (plus two Int32 per entry and a pass over the input); every other cell enters after them, at the
 * floor. The pairs among the kept cells are exactly those of the whole complex with the entries
 * that do not pass set beyond all others (ties broken as `BettiMatching` breaks them); what those
 * cells leave alive dies at the floor. Build one per shape and reuse it, as `CubicalPersistence`.
 * @category Engines
 */
export class SparseCubicalPersistence {
  /** The input shape: `[height, width]` or `[depth, height, width]`. */
  readonly shape: readonly number[];
  /** Whether superlevel filtrations are used (the option `superlevel`). */
  readonly superlevel: boolean;
  /** The level an entry must pass (the option `threshold`). */
  readonly threshold: number;
  /** Number of input elements: the product of `shape`. */
  readonly size: number;
  private readonly grid: SparseGrid;
  private readonly sign: 1 | -1;
  private readonly sorter = new RadixArgsort();

  constructor(shape: readonly number[], options: SparseCubicalOptions) {
    this.shape = checkGridShape(shape, MAX_ELEMENTS);
    const opts = checkOptions(options, 'options', ['superlevel', 'threshold']);
    this.superlevel = checkFlag(opts.superlevel, 'options.superlevel');
    this.threshold = checkNumber(opts.threshold, 'options.threshold', undefined);
    this.sign = this.superlevel ? -1 : 1;
    this.grid = new SparseGrid(this.shape);
    this.size = this.grid.size;
  }

  /** The diagrams of `values` (row-major, `this.shape`). */
  compute(values: Float32Array | Float64Array): SparseDiagrams {
    checkInput(values, this.size, 'values');
    const { grid, sign } = this;
    grid.keep(values, values, sign, sign * this.threshold, 'values', 'values');
    const X = new SparseFiltration(grid, this.sorter, true);
    X.load(values, sign);
    X.order();
    X.ownBars(
      new Int32Array(Math.max(grid.vertexCount, grid.nodeCount)),
      grid.rank === 3 ? new SquareReduction(grid) : null,
    );
    const floor = sign * grid.floor;
    const scratch = new Int32Array(8);
    const diagrams = X.bars.map((bars, dim) => {
      const out = new DiagramBuilder(dim);
      const at = (d: number, cell: number) => grid.criticalVertex(X.values, d, cell, scratch);
      for (let i = 0; i < bars.length; i++) {
        const [b, d] = [at(dim, bars.births[i]), at(dim + 1, bars.deaths[i])];
        out.push(values[b], values[d], b, d);
      }
      for (const cell of X.floorBirths(dim)) {
        const b = at(dim, cell);
        out.push(values[b], floor, b, -1);
      }
      if (dim === 0 && grid.vertexCount > 0) {
        const b = grid.vertex[oldest(X.values)];
        out.push(values[b], Infinity, b, -1);
      }
      return out.build();
    });
    return { diagrams, floor, kept: grid.vertexCount };
  }
}

/**
 * The persistence of the cells of `values` (shape `[H, W]` or `[D, H, W]`) that pass `threshold`;
 * for repeated calls on one shape, keep a `SparseCubicalPersistence` instead.
 *
 * @throws Error naming `shape`, `values` (not a Float32Array or Float64Array of the shape's size, a
 *   NaN or infinite entry) or `options` / `options.<key>` (an unknown key, `threshold` missing or not
 *   finite, a non-boolean flag).
 * @example
 * ```js
 * // Two blobs above 0.5 on a background of 0: the younger dies at the floor (0), the older lives on.
 * const image = Float32Array.of(0.9, 0, 0.7, 0, 0, 0);
 * const { diagrams } = sparseCubicalPersistence(image, [2, 3], { threshold: 0.5, superlevel: true });
 * // diagrams[0].births → [0.7, 0.9] (float32), diagrams[0].deaths → [0, Infinity]
 * ```
 * @category Engines
 */
export function sparseCubicalPersistence(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  options: SparseCubicalOptions,
): SparseDiagrams {
  return new SparseCubicalPersistence(shape, options).compute(values);
}

/** The first vertex in the order (value, number): the birth of the essential component. */
function oldest(f: Float64Array): number {
  let best = 0;
  for (let i = 1; i < f.length; i++) if (f[i] < f[best]) best = i;
  return best;
}
