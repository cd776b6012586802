import { checkDims, checkFlag, checkGridShape, checkOptions, describe } from '../../base/checks.js';
import { BoxPairing } from './box-pairing.js';
import { DiagramBuilder, PersistenceDiagram } from '../diagram.js';
import { PeriodicCells } from './periodic-cells.js';
import { PlanePairing } from './plane-pairing.js';

/**
 * How an array becomes a cubical complex.
 * - `T`: entries are top-dimensional cells (pixels/voxels); lower cells take the minimum of their
 *   cofaces (GUDHI's convention; H0 is 8-connected in 2-D, 26-connected in 3-D).
 * - `V`: entries are vertices; every cube takes the maximum of its vertices (H0 4-/6-connected).
 * @category Engines
 */
export type Construction = 'T' | 'V';

/** The keys of `CubicalOptions` (an unknown key is an error). */
export const CUBICAL_OPTION_KEYS = ['construction', 'superlevel', 'dims', 'keepZeroLength', 'periodic'] as const;

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
  /**
   * Homology dimensions to compute, each in 0..rank−1, or 0..rank when every axis is periodic (a
   * torus has a top class). Default: all of them.
   */
  dims?: readonly number[];
  /**
   * Also report pairs whose birth value equals their death value, when birth and death come from
   * different input elements. Default false (as GUDHI).
   */
  keepZeroLength?: boolean;
  /**
   * Per axis, whether it wraps around: `[true, true]` makes an image a torus, `[false, true]` a
   * cylinder whose rows close into loops, as GUDHI's `PeriodicCubicalComplex`. Default: no axis.
   * Periodic complexes take a slower, cell-level path (about 22 bytes a cell: 4 cells an element
   * in 2-D, 8 in 3-D).
   */
  periodic?: readonly boolean[];
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
 *   0..rank−1 — 0..rank on a torus — or repeated, `periodic` not one boolean per axis) when
 *   constructed; naming `values` when `compute` gets other than a
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
  /** Per axis, whether it wraps around (the option `periodic`; default none). */
  readonly periodic: readonly boolean[];
  /** Number of input elements: the product of `shape`. */
  readonly size: number;
  private readonly pairing: PlanePairing | BoxPairing | PeriodicCells;
  private readonly builders: DiagramBuilder[]; // one per dimension of the complex

  constructor(shape: readonly number[], options?: CubicalOptions) {
    this.shape = checkGridShape(shape);
    const rank = shape.length;
    const { construction, superlevel, keepZeroLength, dims, periodic } = checkOptions(
      options,
      'options',
      CUBICAL_OPTION_KEYS,
    );
    this.construction = checkConstruction(construction);
    this.superlevel = checkFlag(superlevel, 'options.superlevel');
    this.keepZeroLength = checkFlag(keepZeroLength, 'options.keepZeroLength');
    this.periodic = checkPeriodic(periodic, rank);
    const torus = this.periodic.every(Boolean);
    const top = torus ? rank : rank - 1;
    this.dims = checkDims(dims, top, torus ? `a ${rank}-D torus` : `a ${rank}-D input`);
    this.size = shape.reduce((a, b) => a * b, 1);
    this.pairing = this.periodic.some(Boolean)
      ? new PeriodicCells(this.shape, this.periodic, this.construction)
      : rank === 2
        ? new PlanePairing(this.shape, this.construction, this.dims)
        : new BoxPairing(this.shape, this.construction, this.dims);
    this.builders = Array.from({ length: top + 1 }, (_, k) => new DiagramBuilder(k));
  }

  /** Persistence diagrams of `values` (row-major, `this.shape`), one per requested dimension. */
  compute(values: Float32Array | Float64Array): PersistenceDiagram[] {
    checkValues(values, this.size);
    const { builders } = this;
    for (const b of builders) b.reset();
    this.pairing.compute(values, this.superlevel, builders, this.keepZeroLength);
    return this.dims.map((k) => builders[k].build());
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
 *   non-boolean flag, `dims` outside 0..rank−1 — 0..rank on a torus — or repeated, `periodic`
 *   not one boolean per axis).
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

function checkPeriodic(periodic: unknown, rank: number): boolean[] {
  if (periodic === undefined) return new Array<boolean>(rank).fill(false);
  if (!Array.isArray(periodic) || periodic.length !== rank || !periodic.every((p) => typeof p === 'boolean'))
    throw new Error(
      `options.periodic: expected ${rank} booleans, one per axis of the shape, got ${describe(periodic)}`,
    );
  return periodic.slice();
}

function checkValues(values: unknown, size: number): void {
  if (!(values instanceof Float32Array || values instanceof Float64Array))
    throw new Error(`values: expected a Float32Array or Float64Array, got ${describe(values)}`);
  if (values.length !== size)
    throw new Error(`values: expected ${size} entries to match the shape, got ${values.length}`);
}
