import { checkFlag, describe } from '../base/checks.js';
import { grown } from './toolkit/growable.js';

/**
 * Persistence pairs of one homology dimension, in the library's typed-array form. The arrays may
 * be views of longer buffers (the engine's own, handed over rather than copied), so read them
 * through the views, never through `.buffer`.
 *
 * @category Engines
 */
export interface PersistenceDiagram {
  /** Homology dimension of every pair in this diagram. */
  readonly dim: number;
  /** Birth values; each equals `values[birthCells[i]]` bit for bit. */
  readonly births: Float64Array;
  /** Death values; `Infinity` for essential classes (in both sublevel and superlevel filtrations). */
  readonly deaths: Float64Array;
  /** Flat (row-major) index into the input of the element whose entry creates the class. */
  readonly birthCells: Int32Array;
  /** Flat index of the element whose entry destroys the class; -1 for essential classes. */
  readonly deathCells: Int32Array;
}

/** Where an engine pushes the pairs of one dimension: a DiagramBuilder, or an adapter in front of one. */
export interface PairSink {
  push(birth: number, death: number, birthCell: number, deathCell: number): void;
}

/**
 * Grows the four arrays of a diagram without per-pair allocation, and hands them over as the
 * diagram when they are nearly full, so that a large diagram is never held twice.
 */
export class DiagramBuilder implements PairSink {
  private births: Float64Array;
  private deaths: Float64Array;
  private birthCells: Int32Array;
  private deathCells: Int32Array;
  private refill: number; // the capacity to take after handing the arrays over
  length = 0;

  constructor(
    readonly dim: number,
    capacity = 64,
  ) {
    this.refill = capacity;
    this.births = new Float64Array(capacity);
    this.deaths = new Float64Array(capacity);
    this.birthCells = new Int32Array(capacity);
    this.deathCells = new Int32Array(capacity);
  }

  /** Forgets all pairs, keeping the buffers. */
  reset(): void {
    this.length = 0;
  }

  push(birth: number, death: number, birthCell: number, deathCell: number): void {
    if (this.length === this.births.length) this.grow();
    const i = this.length++;
    this.births[i] = birth;
    this.deaths[i] = death;
    this.birthCells[i] = birthCell;
    this.deathCells[i] = deathCell;
  }

  /**
   * A diagram of the pairs pushed so far: the builder's own arrays (views of their first `length`
   * entries) when at most a quarter of them is unused — the builder then takes new ones, an
   * eighth larger than this diagram, at its next push — else copies.
   */
  build(): PersistenceDiagram {
    const n = this.length;
    const { dim, births, deaths, birthCells, deathCells } = this;
    if (4 * n < 3 * births.length)
      return {
        dim,
        births: births.slice(0, n),
        deaths: deaths.slice(0, n),
        birthCells: birthCells.slice(0, n),
        deathCells: deathCells.slice(0, n),
      };
    this.refill = Math.max(64, n + (n >> 3));
    this.births = this.deaths = EMPTY_VALUES;
    this.birthCells = this.deathCells = EMPTY_CELLS;
    this.length = 0;
    const view = <T extends Float64Array | Int32Array>(a: T) => (a.length === n ? a : (a.subarray(0, n) as T));
    return {
      dim,
      births: view(births),
      deaths: view(deaths),
      birthCells: view(birthCells),
      deathCells: view(deathCells),
    };
  }

  private grow(): void {
    const n = this.births.length === 0 ? this.refill : this.births.length * 2;
    this.births = grown(this.births, n);
    this.deaths = grown(this.deaths, n);
    this.birthCells = grown(this.birthCells, n);
    this.deathCells = grown(this.deathCells, n);
  }
}

/**
 * Whether to report the pair of elements (born, dies): never when a cell pairs with another cell of
 * the same element (that depends on an arbitrary order inside the element's cells, and has length
 * zero), and zero-length pairs of two elements only on request.
 */
export function keepPair(
  values: Float32Array | Float64Array,
  born: number,
  dies: number,
  keepZeroLength: boolean,
): boolean {
  return values[born] !== values[dies] || (keepZeroLength && born !== dies);
}

/** The arrays of a builder that has handed its own over (shared: never written, length 0). */
const EMPTY_VALUES = new Float64Array(0);
const EMPTY_CELLS = new Int32Array(0);

/**
 * Indices of the pairs of `diagram` sorted by (birth, death) ascending, where an essential class
 * counts as dying at +∞ in a sublevel filtration and at −∞ in a superlevel one (where it would
 * die if values kept falling). This is the order of the GUDHI oracle and of the command-line tool.
 *
 * @throws Error naming `diagram` (not an object whose `births`, `deaths` and `deathCells` are
 *   arrays of one length) or `superlevel` (not a boolean).
 * @example
 * ```js
 * // A 1×4 image 2, 0, 3, 1: minima 0 and 1, merging at 3.
 * const [h0] = cubicalPersistence(Float64Array.of(2, 0, 3, 1), [1, 4]);
 * // h0.births → [1, 0] (the engine's order)
 * const pairs = Array.from(sortedPairOrder(h0), (i) => [h0.births[i], h0.deaths[i]]);
 * // pairs → [[0, Infinity], [1, 3]]
 * ```
 * @category Engines
 */
export function sortedPairOrder(diagram: PersistenceDiagram, superlevel = false): Uint32Array {
  const d = diagram as Partial<PersistenceDiagram> | null;
  if (d === null || typeof d !== 'object' || ![d.births, d.deaths, d.deathCells].every(isArrayLike))
    throw new Error(
      `diagram: expected a PersistenceDiagram { births, deaths, deathCells, … }, got ${describe(diagram)}`,
    );
  const { births, deaths, deathCells } = diagram;
  const n = births.length;
  if (deaths.length !== n || deathCells.length !== n)
    throw new Error(
      `diagram: expected births, deaths and deathCells of one length, got ${n}, ${deaths.length} and ${deathCells.length}`,
    );
  checkFlag(superlevel, 'superlevel');
  const never = superlevel ? -Infinity : Infinity;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const death = (i: number) => (deathCells[i] === -1 ? never : deaths[i]);
  return idx.sort((a, b) => compare(births[a], births[b]) || compare(death(a), death(b)) || a - b);
}

function isArrayLike(x: unknown): boolean {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function compare(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
