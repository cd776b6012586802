import { checkDims, checkFlag, checkOptions, describe } from '../../base/checks.js';
import { DiagramBuilder, PersistenceDiagram } from '../diagram.js';
import { LowerStarOrder } from './order.js';
import { VertexPairs } from './vertex-pairs.js';
import { CoboundaryReduction } from './reduction.js';
import { cofacePairs, componentPairs, dualPairs } from './union-find-passes.js';
import { SimplicialComplex } from './simplicial-complex.js';

/** The keys of `LowerStarOptions`. */
export const LOWER_STAR_OPTION_KEYS = ['superlevel', 'dims', 'keepZeroLength', 'dualTop'] as const;

/**
 * Options of `LowerStarPersistence` and `lowerStarPersistence`.
 *
 * @category Engines
 */
export interface LowerStarOptions {
  /** Persistence of the superlevel filtration (vertices entering from the largest value). Default false. */
  superlevel?: boolean;
  /** Homology dimensions to compute, each in 0..complex.dimension. Default: all of them. */
  dims?: readonly number[];
  /**
   * Also report pairs whose birth value equals their death value, when birth and death come from
   * different vertices. Default false (as GUDHI).
   */
  keepZeroLength?: boolean;
  /**
   * Pair the top dimension d of a complex whose (d−1)-simplices have at most two cofaces (a surface
   * mesh, a tetrahedral volume) by union-find on its dual graph. Default true; false forces the
   * general matrix reduction, which gives the same diagrams (for tests and benchmarks).
   */
  dualTop?: boolean;
}

/**
 * Lower-star persistence of one simplicial complex under changing vertex values, reusing its
 * working memory across calls: build one per complex and call `compute` in a training loop.
 *
 * The filtration of `values` on the vertices gives every simplex the maximum of its vertices'
 * values (the minimum for a superlevel filtration). Tie-breaking makes it a total order:
 * - vertices are ranked by (value, vertex index), or (−value, vertex index) when superlevel;
 * - a simplex's owner is its vertex of largest rank (the one that brings it in);
 * - simplices are ordered by (owner rank, dimension, index in the lexicographic list of the
 *   simplices of that dimension).
 * The diagrams report the unique persistence pairing of that order, with each simplex replaced by
 * its owner: `birthCells`/`deathCells` are vertex indices, `births[i] === values[birthCells[i]]`
 * bit for bit. Pairs of two simplices with the same owner are never reported; those of equal values
 * (zero length) only with `keepZeroLength`. Essential classes have death Infinity and death cell −1.
 *
 * Algorithms (coefficients Z/2): H0 by Kruskal's union-find with the elder rule; the top dimension
 * of a pseudo-manifold (every (d−1)-simplex in at most two d-simplices: surface meshes, tetrahedral
 * meshes) by union-find on the dual graph (lower-star-union-find.ts); every other dimension by
 * persistent cohomology with clearing and the emergent/apparent-pair shortcut
 * (lower-star-reduction.ts). Cohomology because its clearing comes for free from the pass below:
 * the edges that kill an H0 class are exactly the columns it may skip. `compute` only ranks the
 * vertices (radix argsort) and counting-sorts the simplices by owner; the complex's structure is
 * computed once, in SimplicialComplex.
 * @category Engines
 */
export class LowerStarPersistence {
  /** The complex whose vertex values `compute` takes. */
  readonly complex: SimplicialComplex;
  /** Whether the filtration is superlevel (the option `superlevel`). */
  readonly superlevel: boolean;
  /** The homology dimensions computed, sorted (the option `dims`; default all). */
  readonly dims: readonly number[];
  /** Whether zero-length pairs are reported (the option `keepZeroLength`). */
  readonly keepZeroLength: boolean;
  private readonly order: LowerStarOrder;
  private readonly pairs: VertexPairs[]; // per dimension: the pairs found, by owner vertex
  private readonly builders: DiagramBuilder[]; // per dimension
  private readonly lastReduced: number; // the passes cover δ_0..δ_lastReduced
  private readonly killed: Uint8Array[]; // per dimension k ≥ 1, by position: 1 for a k-simplex that kills a (k−1)-class
  private readonly ends: Int32Array; // the edges' endpoints in filtration order (carried by the order)
  private readonly parent: Int32Array; // H0 union-find over vertices
  private readonly dual: { cofaces: Int32Array; parent: Int32Array; topOwner: Int32Array } | null; // top-dimension union-find, when it applies: cofaces in order, parents, owners
  private readonly reductions: CoboundaryReduction[]; // δ_k for the 1 ≤ k ≤ lastReduced not done by union-find
  private copy: Float64Array | null = null; // values given as a plain array, as float64

  constructor(complex: SimplicialComplex, options?: LowerStarOptions) {
    if (!(complex instanceof SimplicialComplex))
      throw new Error(`complex: expected a SimplicialComplex, got ${describe(complex)}`);
    const checked = checkOptions(options, 'options', LOWER_STAR_OPTION_KEYS);
    this.complex = complex;
    const top = complex.dimension;
    this.superlevel = checkFlag(checked.superlevel, 'options.superlevel');
    this.keepZeroLength = checkFlag(checked.keepZeroLength, 'options.keepZeroLength');
    const dualTop = checkFlag(checked.dualTop, 'options.dualTop', true);
    this.dims = checkDims(checked.dims, top, `a complex of dimension ${top}`);
    const maxDim = this.dims[this.dims.length - 1];
    this.pairs = Array.from({ length: top + 1 }, () => new VertexPairs());
    this.builders = Array.from({ length: top + 1 }, (_, k) => new DiagramBuilder(k));
    // H_k needs the pairs of δ_{k−1} (which k-simplices die) and of δ_k (which are born and die).
    this.lastReduced = Math.min(maxDim, top - 1);
    const pairsOfCofaces = dualTop && top >= 2 && this.lastReduced === top - 1 ? cofacePairs(complex) : null;
    const byDual = pairsOfCofaces !== null;
    const lastGeneral = this.lastReduced - (byDual ? 1 : 0);
    // The passes walk the simplices of dimensions 1..lastGeneral + 1 in order (edges at least); the
    // dual pass needs only the owners of the top simplices.
    this.order = new LowerStarOrder(complex, Math.min(top, Math.max(1, lastGeneral + 1)));
    this.killed = [new Uint8Array(0)];
    for (let k = 1; k <= Math.min(maxDim + 1, top); k++) this.killed.push(new Uint8Array(complex.count(k)));
    this.parent = new Int32Array(complex.numVertices);
    this.ends = top >= 1 ? this.order.carryPairs(1, complex.faces(1)) : new Int32Array(0);
    this.dual = byDual
      ? {
          cofaces: this.order.carryPairs(top - 1, pairsOfCofaces),
          parent: new Int32Array(complex.count(top) + 1),
          topOwner: new Int32Array(complex.count(top)),
        }
      : null;
    this.reductions = [];
    for (let k = 1; k <= lastGeneral; k++) this.reductions.push(new CoboundaryReduction(complex, k));
  }

  /** Persistence diagrams of `values` (one per vertex), one per requested dimension, increasing. */
  compute(values: ArrayLike<number>): PersistenceDiagram[] {
    const x = this.checkValues(values);
    const { complex, order, pairs, killed } = this;
    const top = complex.dimension;
    order.compute(x, this.superlevel);
    for (const p of pairs) p.reset();
    for (const k of killed) k.fill(0);
    componentPairs(complex, order, this.ends, this.parent, top >= 1 ? killed[1] : killed[0], pairs[0]);
    for (const r of this.reductions) r.reduce(order, killed[r.k], killed[r.k + 1], pairs[r.k]);
    if (this.dual) {
      const { cofaces, topOwner, parent } = this.dual;
      dualPairs(complex, order, cofaces, topOwner, parent, killed[top - 1], pairs[top - 1], pairs[top]);
    } else if (top >= 1 && this.lastReduced === top - 1) {
      // Top-dimensional simplices that kill nothing create classes that live forever.
      const dead = killed[top];
      const start = order.ownerStart[top];
      for (let p = 0, r = 0; p < dead.length; p++) {
        while (start[r + 1] <= p) r++;
        if (!dead[p]) pairs[top].push(order.vertexAt[r], -1);
      }
    }
    return this.dims.map((k) => this.diagram(k, x));
  }

  /** Attaches values to the pairs of dimension k, dropping those of one owner or of zero length. */
  private diagram(k: number, x: Float32Array | Float64Array): PersistenceDiagram {
    const out = this.builders[k];
    const { births, deaths, length } = this.pairs[k];
    const keep = this.keepZeroLength;
    out.reset();
    for (let i = 0; i < length; i++) {
      const b = births[i];
      const d = deaths[i];
      if (d === -1) out.push(x[b], Infinity, b, -1);
      else if (b !== d && (keep || x[b] !== x[d])) out.push(x[b], x[d], b, d);
    }
    return out.build();
  }

  private checkValues(values: ArrayLike<number>): Float32Array | Float64Array {
    const n = this.complex.numVertices;
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number')
      throw new Error(`values: expected an array of ${n} numbers (one per vertex), got ${describe(values)}`);
    if (values.length !== n)
      throw new Error(`values: expected ${n} entries (one per vertex of the complex), got ${values.length}`);
    if (values instanceof Float32Array || values instanceof Float64Array) return values;
    const copy = (this.copy ??= new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'number') throw new Error(`values: expected numbers, got ${describe(v)} at index ${i}`);
      copy[i] = v;
    }
    return copy;
  }
}

/**
 * Lower-star persistence diagrams of vertex `values` on a simplicial complex (or on the complex of
 * a list of simplices, with vertices 0..values.length−1), one per requested homology dimension
 * (default: all), in increasing dimension. For repeated calls on one complex, keep a
 * `LowerStarPersistence` instead.
 *
 * @throws Error naming `complex` (neither a SimplicialComplex nor a list of simplices), `simplices`
 *   or `simplices[i]` (see `SimplicialComplex.fromSimplices`; a vertex ≥ values.length among
 *   them), `values` (not an array of numbers, a length other than the number of vertices, a NaN
 *   or infinite entry), or `options` / `options.<key>` (an unknown key, a non-boolean flag, `dims`
 *   outside 0..complex.dimension or repeated).
 * @example
 * ```js
 * // A square 0–1–2–3 filled by two triangles, values 0, 3, 1, 2: one component, no loop.
 * const [h0, h1] = lowerStarPersistence([[0, 1, 2], [0, 2, 3]], [0, 3, 1, 2]);
 * // h0: births [0], deaths [Infinity]; h1: no pair
 * // Its boundary alone (four edges): vertex 2 is a second minimum, and the loop never fills.
 * const [b0, b1] = lowerStarPersistence([[0, 1], [1, 2], [2, 3], [3, 0]], [0, 3, 1, 2]);
 * // b0: births [1, 0], deaths [2, Infinity]; b1: births [3] (vertex 1 closes it), deaths [Infinity]
 * ```
 * @category Engines
 */
export function lowerStarPersistence(
  complex: SimplicialComplex | ArrayLike<ArrayLike<number>>,
  values: ArrayLike<number>,
  options?: LowerStarOptions,
): PersistenceDiagram[] {
  const k =
    complex instanceof SimplicialComplex
      ? complex
      : SimplicialComplex.fromSimplices(
          complex,
          values !== null && typeof values === 'object' && typeof values.length === 'number' && values.length > 0
            ? values.length
            : undefined,
        );
  return new LowerStarPersistence(k, options).compute(values);
}
