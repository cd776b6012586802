import { LowerStarOrder } from './lower-star-order';
import { VertexPairs } from './lower-star-pairs';
import { SimplicialComplex } from './simplicial-complex';

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
 *
 * Cohomology rather than homology, measured: the homology reduction of ∂_{k+1} with compression
 * (rows of simplices that kill a class dropped) and the same shortcut gave identical diagrams but
 * needed many more full reductions — 27,464 vs 8,187 on a 316² triangulated torus (H1), 79,075 vs
 * 3,390 on a 24³ tetrahedral grid (H1), random values — and ran 1.8× (torus) to 2.8× (tetrahedra)
 * slower. Cohomology also gets its clearing for free from the pass below (the edges that kill an
 * H0 class are exactly the columns it may skip).
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

  /**
   * Reduces δ_k for the current `order`; marks the positions of the (k+1)-simplices that die in
   * `killedUpper` (those of the k-simplices that die are in `killed`, the clearing), and
   * reports pairs and essential classes of dimension k by owner vertex.
   */
  reduce(order: LowerStarOrder, killed: Uint8Array, killedUpper: Uint8Array, out: VertexPairs): void {
    const k = this.k;
    const { vertexAt } = order;
    const owner = order.ownerRank[k];
    const rowOwner = order.ownerRank[k + 1];
    const { starts, list } = this.complex.cofaces(k);
    const columns = order.order[k];
    const rowPosition = order.position[k + 1];
    const rowAt = order.order[k + 1];
    const { pivotColumn, storedStart, storedEnd } = this;
    pivotColumn.fill(-1);
    this.poolSize = 0;
    for (let p = columns.length - 1; p >= 0; p--) {
      if (killed[p]) continue; // clearing
      const sigma = columns[p];
      const s = starts[sigma];
      const e = starts[sigma + 1];
      // The unreduced pivot: the oldest coface.
      let low = -1;
      for (let i = s; i < e; i++) {
        const q = rowPosition[list[i]];
        if (low === -1 || q < low) low = q;
      }
      if (low === -1) {
        out.push(vertexAt[owner[sigma]], -1);
        continue;
      }
      let tau = rowAt[low];
      if (pivotColumn[tau] === -1) {
        pivotColumn[tau] = sigma;
        storedStart[sigma] = -1;
        killedUpper[low] = 1;
        out.push(vertexAt[owner[sigma]], vertexAt[rowOwner[tau]]);
        continue;
      }
      // A full reduction: add the columns that own the current pivot until it is free or zero.
      this.heapSize = 0;
      for (let i = s; i < e; i++) this.push(rowPosition[list[i]]);
      for (;;) {
        low = this.pivot();
        if (low === -1) {
          out.push(vertexAt[owner[sigma]], -1);
          break;
        }
        tau = rowAt[low];
        const j = pivotColumn[tau];
        if (j === -1) {
          pivotColumn[tau] = sigma;
          killedUpper[low] = 1;
          this.store(sigma);
          out.push(vertexAt[owner[sigma]], vertexAt[rowOwner[tau]]);
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
