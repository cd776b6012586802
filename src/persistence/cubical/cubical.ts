import { checkDims, checkFlag, checkGridShape, checkOptions, describe } from '../../base/checks.js';
import { CubicalCells3D } from './cells-3d.js';
import { DiagramBuilder, PersistenceDiagram } from '../diagram.js';
import { FiltrationOrder } from './filtration-order.js';
import { GridSweep } from './grid-sweep.js';
import { PaddedGrid } from './padded-grid.js';

/**
 * How an array becomes a cubical complex.
 * - `T`: entries are top-dimensional cells (pixels/voxels); lower cells take the minimum of their
 *   cofaces (GUDHI's convention; H0 is 8-connected in 2-D, 26-connected in 3-D).
 * - `V`: entries are vertices; every cube takes the maximum of its vertices (H0 4-/6-connected).
 * @category Engines
 */
export type Construction = 'T' | 'V';

/** The keys of `CubicalOptions` (an unknown key is an error). */
export const CUBICAL_OPTION_KEYS = ['construction', 'superlevel', 'dims', 'keepZeroLength'] as const;

/**
 * Options of `CubicalPersistence` and `cubicalPersistence`.
 *
 * @category Engines
 */
export interface CubicalOptions {
  /** `T` (default) or `V`. */
  construction?: Construction;
  /** Persistence of the superlevel filtration (values entering from the largest). Default false. */
  superlevel?: boolean;
  /** Homology dimensions to compute, each in 0..rank−1. Default: all of them. */
  dims?: readonly number[];
  /**
   * Also report pairs whose birth value equals their death value, when birth and death come from
   * different input elements. Default false (as GUDHI).
   */
  keepZeroLength?: boolean;
}

/**
 * Persistence of cubical complexes of a fixed shape, reusing its working memory across calls:
 * build one per shape and call `compute` in a training loop.
 *
 * Tie-breaking: the filtration orders input elements by (value, flat row-major index) — for a
 * superlevel filtration by (−value, flat index) — so among equal values the lower index enters
 * first. The reported critical cells are those of the unique persistence pairing of that order,
 * hence identical run to run and machine to machine.
 *
 * @throws Error naming `shape` (not 2 or 3 positive integer sizes), `options` or `options.<key>`
 *   (an unknown key, `construction` other than 'T' or 'V', a non-boolean flag, `dims` outside
 *   0..rank−1 or repeated) when constructed; naming `values` when `compute` gets other than a
 *   Float32Array or Float64Array of `size` finite entries.
 * @example
 * ```js
 * const engine = new CubicalPersistence([3, 3], { dims: [1] }); // H1 of 3×3 images only
 * // A ring of 0s around a centre of 1, then of 2: the loop fills when the centre enters.
 * const deaths = [1, 2].map((c) => engine.compute(Float64Array.of(0, 0, 0, 0, c, 0, 0, 0, 0))[0].deaths[0]);
 * // deaths → [1, 2]
 * ```
 * @category Engines
 */
export class CubicalPersistence {
  /** The input shape: `[height, width]` or `[depth, height, width]`. */
  readonly shape: readonly number[];
  /** How the array becomes a complex (the option `construction`; default `T`). */
  readonly construction: Construction;
  /** Whether the filtration is superlevel (the option `superlevel`). */
  readonly superlevel: boolean;
  /** The homology dimensions computed, sorted (the option `dims`; default all). */
  readonly dims: readonly number[];
  /** Whether zero-length pairs are reported (the option `keepZeroLength`). */
  readonly keepZeroLength: boolean;
  /** Number of input elements: the product of `shape`. */
  readonly size: number;
  private readonly grid: PaddedGrid;
  private readonly filtration: FiltrationOrder;
  private readonly sweep: GridSweep;
  private readonly builders: DiagramBuilder[]; // one per dimension of the complex
  private readonly componentOffsets: Int32Array; // H0 neighbours in the sweep's padded grid
  private readonly holeOffsets: Int32Array; // their dual, for the top dimension
  private readonly cells: CubicalCells3D | null; // only for H1 of volumes

  constructor(shape: readonly number[], options?: CubicalOptions) {
    this.shape = checkGridShape(shape);
    const rank = shape.length;
    const { construction, superlevel, keepZeroLength, dims } = checkOptions(options, 'options', CUBICAL_OPTION_KEYS);
    this.construction = checkConstruction(construction);
    this.superlevel = checkFlag(superlevel, 'options.superlevel');
    this.keepZeroLength = checkFlag(keepZeroLength, 'options.keepZeroLength');
    this.dims = checkDims(dims, rank - 1, `a ${rank}-D input`);
    this.size = shape.reduce((a, b) => a * b, 1);
    this.grid = new PaddedGrid(this.shape);
    // First of the large buffers, so that a volume too large for its H1 is refused before any.
    this.cells = rank === 3 && this.dims.includes(1) ? new CubicalCells3D(this.grid, this.construction) : null;
    this.filtration = new FiltrationOrder(this.grid);
    this.sweep = new GridSweep(this.grid);
    this.builders = Array.from({ length: rank }, (_, k) => new DiagramBuilder(k));
    // H0 of T sees every touching element, H0 of V only face neighbours; duality swaps them.
    const t = this.construction === 'T';
    this.componentOffsets = this.grid.stencil(t ? 'full' : 'faces');
    this.holeOffsets = this.grid.stencil(t ? 'faces' : 'full');
  }

  /** Persistence diagrams of `values` (row-major, `this.shape`), one per requested dimension. */
  compute(values: Float32Array | Float64Array): PersistenceDiagram[] {
    checkValues(values, this.size);
    const { filtration, builders, dims, keepZeroLength } = this;
    filtration.compute(values, this.superlevel);
    for (const b of builders) b.reset();
    const top = this.shape.length - 1;
    const wants = (k: number) => dims.includes(k);
    if (this.cells !== null) {
      // The middle dimension of a volume needs the cells; the same passes give H0 and H2.
      this.cells.compute(values, filtration, builders, keepZeroLength);
    } else {
      if (wants(0)) this.sweep.components(values, filtration, this.componentOffsets, keepZeroLength, builders[0]);
      if (wants(top)) this.sweep.holes(values, filtration, this.holeOffsets, keepZeroLength, builders[top]);
    }
    return dims.map((k) => builders[k].build());
  }
}

/**
 * Persistence diagrams of a 2-D or 3-D array under a cubical complex, one per requested homology
 * dimension (default: all), in increasing dimension. For repeated calls on one shape, keep a
 * `CubicalPersistence` instead.
 *
 * @param values row-major (C-order) entries, last axis fastest
 * @param shape  `[height, width]` or `[depth, height, width]`
 * @throws Error naming `values` (not a Float32Array or Float64Array, a length other than the
 *   shape's size, a NaN or infinite entry), `shape` (not 2 or 3 positive integer sizes), or
 *   `options` / `options.<key>` (an unknown key, `construction` other than 'T' or 'V', a
 *   non-boolean flag, `dims` outside 0..rank−1 or repeated).
 * @example
 * ```js
 * // A 3×3 image: a ring of 0s around a 1 (row-major).
 * const [h0, h1] = cubicalPersistence(Float64Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0), [3, 3]);
 * // h0: one component, born at 0, never dies: births [0], deaths [Infinity], deathCells [-1]
 * // h1: the ring's loop, born at 0, filled when the centre enters: births [0], deaths [1], deathCells [4]
 * ```
 * @category Engines
 */
export function cubicalPersistence(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  options?: CubicalOptions,
): PersistenceDiagram[] {
  // The length is checked against the shape first: a wrong shape must not allocate the engine's buffers.
  checkValues(
    values,
    checkGridShape(shape).reduce((a, b) => a * b, 1),
  );
  return new CubicalPersistence(shape, options).compute(values);
}

function checkConstruction(c: unknown): Construction {
  if (c === undefined) return 'T';
  if (c !== 'T' && c !== 'V') throw new Error(`options.construction: expected 'T' or 'V', got ${describe(c)}`);
  return c;
}

function checkValues(values: unknown, size: number): void {
  if (!(values instanceof Float32Array || values instanceof Float64Array))
    throw new Error(`values: expected a Float32Array or Float64Array, got ${describe(values)}`);
  if (values.length !== size)
    throw new Error(`values: expected ${size} entries to match the shape, got ${values.length}`);
}
