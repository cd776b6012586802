import { checkFlag, checkOptions, describe } from '../../base/checks.js';
import { RipsCohomology } from './cohomology.js';
import { RipsComponents } from './components.js';
import { RipsDiagram, RipsDiagramBuilder } from './diagram.js';
import { RipsEdges } from './edges.js';

export type { RipsDiagram } from './diagram.js';

/**
 * Options of `RipsPersistence` and `ripsPersistence`.
 *
 * @category Engines
 */
export interface RipsOptions {
  /** Highest homology dimension to compute, 0, 1 or 2. Default 1. */
  maxDim?: number;
  /**
   * Keep only edges of length ≤ threshold (a positive number, `Infinity` allowed). Default: no
   * threshold — computed, like Ripser, with the enclosing radius min_v max_u d(u, v) as threshold,
   * where the complex becomes a cone; that changes no pair (see `keepZeroLength` for the one
   * exception). A finite threshold makes the engine sparse: memory and most of the time follow
   * the edges under it, not the n² pairs, and up to 65,535 points are accepted (46,340 otherwise).
   */
  threshold?: number;
  /**
   * Also report pairs with birth === death whose birth and death edges differ (ties, duplicate
   * points). Default false (as Ripser). Pairs whose birth and death simplices share their diameter
   * edge are never reported. With this option and no threshold, the full complex is used (no
   * enclosing-radius truncation), so zero-length pairs above the enclosing radius are kept too.
   */
  keepZeroLength?: boolean;
}

/**
 * Vietoris–Rips persistence (Z/2 coefficients) with critical edges, reusing its working memory
 * across calls: build one and call `fromPoints` / `fromDistances` in a training loop.
 *
 * The filtration's total order (the tie rule), which fixes the reported critical edges:
 * - edges by (length, colexicographic vertex pair): {i, j} (i < j) precedes {i', j'} of equal
 *   length when j < j', or j = j' and i < i';
 * - a simplex's diameter edge is its largest edge in that order; vertices come before all edges,
 *   by index;
 * - simplices by (diameter edge rank, dimension, colexicographic order of the vertex set, i.e.
 *   the combinatorial-number-system index Σ_k C(v_k, k+1) over v_0 < v_1 < …).
 * A pair reports the diameter edges of its birth and death simplices; for H0 the birth is the
 * smallest vertex v of the dying component, given as (v, v). Pair values do not depend on the
 * tie rule; the critical edges do.
 * @category Engines
 */
export class RipsPersistence {
  /** Highest homology dimension computed, 0, 1 or 2 (the option `maxDim`; default 1). */
  readonly maxDim: number;
  /** Edge-length threshold (the option `threshold`); undefined when none was given. */
  readonly threshold: number | undefined;
  /** Whether zero-length pairs are reported (the option `keepZeroLength`). */
  readonly keepZeroLength: boolean;
  private readonly edges = new RipsEdges();
  private readonly components = new RipsComponents();
  private readonly cohomology = new RipsCohomology(this.edges);
  private readonly builders: RipsDiagramBuilder[];
  private countName = 'points'; // the argument that gave the points, for errors found while computing

  constructor(options?: RipsOptions) {
    const {
      maxDim = 1,
      threshold,
      keepZeroLength = false,
    } = checkOptions(options, 'options', ['maxDim', 'threshold', 'keepZeroLength']);
    if (!Number.isInteger(maxDim) || maxDim < 0 || maxDim > 2) {
      throw new Error(`options.maxDim: expected 0, 1 or 2, got ${describe(maxDim)}`);
    }
    if (threshold !== undefined && (typeof threshold !== 'number' || !(threshold > 0))) {
      throw new Error(`options.threshold: expected a positive number, got ${describe(threshold)}`);
    }
    this.maxDim = maxDim;
    this.threshold = threshold;
    this.keepZeroLength = checkFlag(keepZeroLength, 'options.keepZeroLength');
    this.builders = Array.from({ length: maxDim + 1 }, (_, k) => new RipsDiagramBuilder(k));
  }

  /** Diagrams 0..maxDim of the Euclidean distances of n points (flat row-major n×dimension). */
  fromPoints(points: ArrayLike<number>, dimension: number): RipsDiagram[] {
    if (!isArrayLike(points)) throw new Error(`points: expected an array of numbers, got ${typeof points}`);
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new Error(`dimension: expected a positive integer, got ${describe(dimension)}`);
    }
    if (points.length % dimension !== 0) {
      throw new Error(`points: expected a length that is a multiple of dimension ${dimension}, got ${points.length}`);
    }
    const n = points.length / dimension;
    this.checkCount(n, 'points', `${points.length / dimension} points`);
    this.edges.loadPoints(points, n, dimension);
    return this.compute();
  }

  /** Diagrams 0..maxDim of a full symmetric n×n distance matrix (flat row-major, zero diagonal). */
  fromDistances(distances: ArrayLike<number>, n: number): RipsDiagram[] {
    if (!isArrayLike(distances)) throw new Error(`distances: expected an array of numbers, got ${typeof distances}`);
    if (!Number.isInteger(n) || n < 1) throw new Error(`n: expected a positive integer, got ${describe(n)}`);
    if (distances.length !== n * n) {
      throw new Error(`distances: expected n×n = ${n * n} entries for n = ${n}, got ${distances.length}`);
    }
    this.checkCount(n, 'n', `${n}`);
    this.edges.loadDistances(distances, n);
    return this.compute();
  }

  private checkCount(n: number, name: string, got: string): void {
    if (n < 1) throw new Error(`${name}: expected at least one point, got ${got}`);
    if (this.threshold === undefined || this.threshold === Infinity) {
      // Every pair up to the enclosing radius may be an edge: at most 2³⁰ of them.
      if (n > 46340) throw new Error(`${name}: expected at most 46340 points without a finite threshold, got ${got}`);
    } else if (n > 65535) throw new Error(`${name}: expected at most 65535 points, got ${got}`);
    this.countName = name;
  }

  private compute(): RipsDiagram[] {
    const { edges, builders, keepZeroLength } = this;
    edges.build(this.threshold ?? (keepZeroLength ? Infinity : undefined));
    // Tetrahedron keys r·P + … (r < edges kept, P = n(n−1)/2) must stay below 2⁵³.
    const P = (edges.n * (edges.n - 1)) / 2;
    if (this.maxDim === 2 && edges.count * P >= 2 ** 53) {
      throw new Error(
        `${this.countName}: expected fewer edges for maxDim 2 (edges × n(n−1)/2 below 2⁵³), got ${edges.count} edges on ${edges.n} points; lower options.threshold`,
      );
    }
    for (const b of builders) b.reset();
    this.components.compute(edges, builders[0], keepZeroLength);
    if (this.maxDim >= 1) this.cohomology.computeH1(this.components.deathEdge, builders[1], keepZeroLength);
    if (this.maxDim >= 2) this.cohomology.computeH2(builders[2], keepZeroLength);
    return builders.map((b) => b.build());
  }
}

/**
 * Vietoris–Rips persistence diagrams 0..maxDim of a point cloud: `points` holds n points of
 * `dimension` coordinates each, row-major; distances are Euclidean, in float64. See
 * RipsPersistence for the tie rule that fixes the critical edges.
 *
 * @throws Error naming `points` (not an array or typed array of finite numbers, a length not a
 *   multiple of `dimension`, no point, more than 46340 points without a finite threshold or 65535
 *   with one, too many edges for maxDim 2 (edges kept × n(n−1)/2 ≥ 2⁵³), a distance
 *   beyond float64), `dimension` (not a positive integer), or `options` / `options.<key>` (an
 *   unknown key, `maxDim` other than 0, 1 or 2, `threshold` not a positive number, a non-boolean
 *   `keepZeroLength`).
 * @example
 * ```js
 * const square = [0, 0, 1, 0, 1, 1, 0, 1]; // the corners of a unit square, (x, y) per point
 * const [h0, h1] = ripsPersistence(square, 2);
 * // h0.deaths → [1, 1, 1, Infinity]: the 4 points join at length 1, one component lives on
 * // h1: one loop, born at 1 (the sides) and filled at √2 (the diagonals): births [1], deaths [1.414…]
 * ```
 * @category Engines
 */
export function ripsPersistence(points: ArrayLike<number>, dimension: number, options?: RipsOptions): RipsDiagram[] {
  return new RipsPersistence(options).fromPoints(points, dimension);
}

/**
 * Vietoris–Rips persistence diagrams 0..maxDim of a full n×n distance matrix (row-major).
 *
 * @throws Error naming `distances` (not an array or typed array, a length other than n·n, a
 *   nonzero diagonal, an entry negative or not finite, an asymmetric pair), `n` (not a positive
 *   integer, more than 46340 points without a finite threshold or 65535 with one, too many edges
 *   for maxDim 2), or `options` / `options.<key>` (as
 *   `ripsPersistence`).
 * @example
 * ```js
 * const s = Math.SQRT2; // the corners of a unit square, by their distances
 * const distances = [0, 1, s, 1, 1, 0, 1, s, s, 1, 0, 1, 1, s, 1, 0];
 * const [h0, h1] = ripsPersistenceFromDistances(distances, 4, { maxDim: 1 });
 * // h0.deaths → [1, 1, 1, Infinity]; h1: births [1], deaths [√2], as ripsPersistence of the points
 * ```
 * @category Engines
 */
export function ripsPersistenceFromDistances(
  distances: ArrayLike<number>,
  n: number,
  options?: RipsOptions,
): RipsDiagram[] {
  return new RipsPersistence(options).fromDistances(distances, n);
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return (Array.isArray(x) || ArrayBuffer.isView(x)) && !(x instanceof DataView);
}
