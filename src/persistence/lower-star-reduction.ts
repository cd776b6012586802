import { LowerStarOrder } from './lower-star-order';
import { SimplicialComplex } from './simplicial-complex';

/** Where the passes report the pairs they find, by simplex index; the engine maps them to vertices. */
export interface PairSink {
  /** A finite pair: the `dim`-simplex `birth` creates the class, the (dim+1)-simplex `death` kills it. */
  pair(dim: number, birth: number, death: number): void;
  /** An essential class of dimension `dim`, created by `birth`. */
  essential(dim: number, birth: number): void;
}

/**
 * H0 by Kruskal's sweep (elder rule): edges in filtration order join the components of their
 * vertices; a merge kills the younger component (the one whose oldest vertex has the larger rank).
 * Marks the edges that kill a component in `killedEdges` (they are cleared from H1), and reports
 * one essential class per final component, born at its oldest vertex.
 */
export function componentPairs(
  complex: SimplicialComplex,
  order: LowerStarOrder,
  parent: Int32Array,
  killedEdges: Uint8Array,
  out: PairSink,
): void {
  const { rank, vertexAt } = order;
  const n = complex.numVertices;
  // A root is the oldest vertex of its component and stores −1 − its rank.
  for (let v = 0; v < n; v++) parent[v] = -1 - rank[v];
  if (complex.dimension >= 1) {
    const edges = complex.faces(1);
    const edgeOrder = order.order[1];
    for (let p = 0; p < edgeOrder.length; p++) {
      const e = edgeOrder[p];
      const a = findRoot(parent, edges[2 * e]);
      const b = findRoot(parent, edges[2 * e + 1]);
      if (a === b) continue; // the edge closes a cycle: positive, left for H1
      // Elder rule: the younger root has the larger rank, i.e. the smaller code.
      const young = parent[a] < parent[b] ? a : b;
      parent[young] = young === a ? b : a;
      killedEdges[e] = 1;
      out.pair(0, young, e);
    }
  }
  for (let r = 0; r < n; r++) {
    const v = vertexAt[r];
    if (parent[v] < 0) out.essential(0, v);
  }
}

/**
 * Pairs of dimensions (d−1, d) for the top dimension d ≥ 2 of a complex in which every
 * (d−1)-simplex has at most two cofaces (a pseudo-manifold, possibly with boundary), by union-find
 * on the dual graph: the coboundary matrix of the (d−1)-simplices then has at most two entries
 * per column, i.e. it is the incidence matrix of the graph whose nodes are the d-simplices plus
 * one node "outside" (for a column with a single entry) that is older than all of them; reducing it
 * is Kruskal's algorithm with the elder rule, run in reverse filtration order. A (d−1)-simplex σ
 * that joins two components pairs with the younger one's first (largest-position) d-simplex;
 * one that joins a component to itself, or has no coface, is essential in H_{d−1} unless it kills a
 * (d−2)-class (`killedLower`, cleared). Marks the d-simplices that die in `killedTop`.
 * Exact over Z/2, identical to the general reduction.
 */
export function dualPairs(
  complex: SimplicialComplex,
  order: LowerStarOrder,
  parent: Int32Array,
  killedLower: Uint8Array,
  killedTop: Uint8Array,
  out: PairSink,
): void {
  const d = complex.dimension;
  const { starts, list } = complex.cofaces(d - 1);
  const topPosition = order.position[d];
  const m = topPosition.length;
  const outside = m;
  // A root is the first node of its component in the reverse sweep (its largest position) and
  // stores −1 − that position; the outside is older than every simplex.
  for (let t = 0; t < m; t++) parent[t] = -1 - topPosition[t];
  parent[outside] = -1 - m;
  const lowerOrder = order.order[d - 1];
  for (let p = lowerOrder.length - 1; p >= 0; p--) {
    const sigma = lowerOrder[p];
    if (killedLower[sigma]) continue; // cleared: it kills a (d−2)-class, its column is zero
    const s = starts[sigma];
    const count = starts[sigma + 1] - s;
    if (count === 0) {
      out.essential(d - 1, sigma);
      continue;
    }
    const a = findRoot(parent, list[s]);
    const b = findRoot(parent, count === 2 ? list[s + 1] : outside);
    if (a === b) {
      out.essential(d - 1, sigma); // closes a cycle of the dual graph: the column reduces to zero
      continue;
    }
    // The younger component has the smaller largest position, i.e. the larger code.
    const young = parent[a] > parent[b] ? a : b;
    parent[young] = young === a ? b : a;
    killedTop[young] = 1;
    out.pair(d - 1, sigma, young);
  }
}

/**
 * Persistent cohomology of one dimension k by the standard column reduction of the coboundary
 * matrix δ_k (columns: k-simplices in reverse filtration order; rows: (k+1)-simplices; a column's
 * pivot is its entry of smallest position), with:
 * - clearing (twist): columns of k-simplices that kill a (k−1)-class are zero, skipped;
 * - the emergent-pair shortcut: a column whose unreduced pivot is still free is already reduced and
 *   is kept implicitly (its coboundary, read from the complex). This includes every apparent pair
 *   (τ the oldest coface of σ and σ the youngest facet of τ), the bulk of the pairs of a mesh.
 * Other columns are reduced in a binary heap of row positions with Z/2 cancellation, and stored
 * (their reduced entries) for later additions.
 */
export class CoboundaryReduction {
  private readonly pivotColumn: Int32Array; // per (k+1)-simplex: the k-simplex whose column has it as pivot, or −1
  private readonly storedStart: Int32Array; // per k-simplex: offset of its reduced column in pool, −1 when implicit
  private readonly storedEnd: Int32Array; // per k-simplex: end of its reduced column in pool
  private heap: Int32Array = new Int32Array(256); // the working column: row positions, a min-heap with repeats
  private heapSize = 0;
  private pool: Int32Array = new Int32Array(1024); // reduced columns, back to back, increasing positions
  private poolSize = 0;

  constructor(
    private readonly complex: SimplicialComplex,
    readonly k: number,
  ) {
    this.pivotColumn = new Int32Array(complex.count(k + 1));
    this.storedStart = new Int32Array(complex.count(k));
    this.storedEnd = new Int32Array(complex.count(k));
  }

  /** Reduces δ_k for the current `order`; marks the (k+1)-simplices that die in `killedUpper`. */
  reduce(order: LowerStarOrder, killed: Uint8Array, killedUpper: Uint8Array, out: PairSink): void {
    const k = this.k;
    const { starts, list } = this.complex.cofaces(k);
    const columns = order.order[k];
    const rowPosition = order.position[k + 1];
    const rowAt = order.order[k + 1];
    const { pivotColumn, storedStart, storedEnd } = this;
    pivotColumn.fill(-1);
    this.poolSize = 0;
    for (let p = columns.length - 1; p >= 0; p--) {
      const sigma = columns[p];
      if (killed[sigma]) continue; // clearing
      const s = starts[sigma];
      const e = starts[sigma + 1];
      // The unreduced pivot: the oldest coface.
      let low = -1;
      for (let i = s; i < e; i++) {
        const q = rowPosition[list[i]];
        if (low === -1 || q < low) low = q;
      }
      if (low === -1) {
        out.essential(k, sigma);
        continue;
      }
      let tau = rowAt[low];
      if (pivotColumn[tau] === -1) {
        pivotColumn[tau] = sigma;
        storedStart[sigma] = -1;
        killedUpper[tau] = 1;
        out.pair(k, sigma, tau);
        continue;
      }
      // A full reduction: add the columns that own the current pivot until it is free or zero.
      this.heapSize = 0;
      for (let i = s; i < e; i++) this.push(rowPosition[list[i]]);
      for (;;) {
        low = this.pivot();
        if (low === -1) {
          out.essential(k, sigma);
          break;
        }
        tau = rowAt[low];
        const j = pivotColumn[tau];
        if (j === -1) {
          pivotColumn[tau] = sigma;
          killedUpper[tau] = 1;
          this.store(sigma);
          out.pair(k, sigma, tau);
          break;
        }
        if (storedStart[j] === -1) {
          for (let i = starts[j], end = starts[j + 1]; i < end; i++) this.push(rowPosition[list[i]]);
        } else {
          for (let i = storedStart[j], end = storedEnd[j]; i < end; i++) this.push(this.pool[i]);
        }
      }
    }
  }

  /** The smallest entry of the working column after Z/2 cancellation (left in it), or −1 if zero. */
  private pivot(): number {
    while (this.heapSize > 0) {
      const top = this.pop();
      if (this.heapSize > 0 && this.heap[0] === top) {
        this.pop(); // x + x = 0 over Z/2
        continue;
      }
      this.push(top);
      return top;
    }
    return -1;
  }

  /** Drains the working column into the pool as the reduced column of `sigma`. */
  private store(sigma: number): void {
    this.storedStart[sigma] = this.poolSize;
    for (let x = this.pivot(); x !== -1; x = this.pivot()) {
      this.pop();
      if (this.poolSize === this.pool.length) this.pool = grow(this.pool);
      this.pool[this.poolSize++] = x;
    }
    this.storedEnd[sigma] = this.poolSize;
  }

  private push(x: number): void {
    if (this.heapSize === this.heap.length) this.heap = grow(this.heap);
    const h = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (h[up] <= x) break;
      h[i] = h[up];
      i = up;
    }
    h[i] = x;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0];
    const x = h[--this.heapSize];
    const n = this.heapSize;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1] < h[c]) c++;
      if (h[c] >= x) break;
      h[i] = h[c];
      i = c;
    }
    if (n > 0) h[i] = x;
    return top;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Root of i's component in a union-find whose roots hold negative codes, halving the path. */
function findRoot(parent: Int32Array, i: number): number {
  for (;;) {
    const p = parent[i];
    if (p < 0) return i;
    const g = parent[p];
    if (g < 0) return p;
    parent[i] = g;
    i = g;
  }
}
