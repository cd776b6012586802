import { LowerStarOrder } from './order.js';
import { VertexPairs } from './vertex-pairs.js';
import { SimplicialComplex } from './simplicial-complex.js';
import { withRoom } from '../toolkit/growable.js';
import { Z2Column, Z2ColumnStore } from '../toolkit/z2-column.js';

/**
 * Persistent cohomology of one dimension k by the standard column reduction of the coboundary
 * matrix δ_k (columns: k-simplices in reverse filtration order; rows: (k+1)-simplices; a column's
 * pivot is its entry of smallest position), with:
 * - clearing (twist): columns of k-simplices that kill a (k−1)-class are zero, skipped;
 * - the emergent-pair shortcut: a column whose unreduced pivot is still free is already reduced and
 *   is kept implicitly (its coboundary, read from the complex). This includes every apparent pair
 *   (τ the oldest coface of σ and σ the youngest facet of τ), the bulk of the pairs of a mesh.
 * Other columns are reduced as sorted lists of row positions (adding a column is a merge in which
 * equal entries cancel, Z/2), and stored (their reduced entries) for later additions.
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
  private readonly storedId: Int32Array; // per k-simplex: the id of its reduced column in `stored`, −1 when implicit
  private readonly work = new Z2Column(); // the working column: increasing row positions
  private readonly stored = new Z2ColumnStore(); // reduced columns
  private column: Int32Array = new Int32Array(64); // one unstored column, recomputed and sorted

  constructor(
    private readonly complex: SimplicialComplex,
    readonly k: number,
  ) {
    this.pivotColumn = new Int32Array(complex.count(k + 1));
    this.storedId = new Int32Array(complex.count(k));
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
    const { pivotColumn, storedId, work, stored } = this;
    pivotColumn.fill(-1);
    stored.reset();
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
        storedId[sigma] = -1;
        killedUpper[low] = 1;
        out.push(vertexAt[owner[sigma]], vertexAt[rowOwner[tau]]);
        continue;
      }
      // A full reduction: add the columns that own the current pivot until it is free or zero.
      const n = this.sortedCoboundary(sigma, starts, list, rowPosition); // (may replace this.column)
      work.set(this.column, 0, n);
      for (;;) {
        if (work.size === 0) {
          out.push(vertexAt[owner[sigma]], -1);
          break;
        }
        low = work.keys[0];
        tau = rowAt[low];
        const j = pivotColumn[tau];
        if (j === -1) {
          pivotColumn[tau] = sigma;
          killedUpper[low] = 1;
          storedId[sigma] = stored.store(work);
          out.push(vertexAt[owner[sigma]], vertexAt[rowOwner[tau]]);
          break;
        }
        if (storedId[j] === -1) {
          const m = this.sortedCoboundary(j, starts, list, rowPosition);
          work.add(this.column, 0, m);
        } else {
          work.add(stored.entries, stored.start(storedId[j]), stored.end(storedId[j]));
        }
      }
    }
  }

  /** The cofaces' positions of `sigma`, sorted, into `column`; returns their number. */
  private sortedCoboundary(sigma: number, starts: Int32Array, list: Int32Array, rowPosition: Int32Array): number {
    const s = starts[sigma];
    const n = starts[sigma + 1] - s;
    this.column = withRoom(this.column, n, 0);
    const c = this.column;
    for (let i = 0; i < n; i++) {
      const x = rowPosition[list[s + i]];
      let j = i - 1;
      while (j >= 0 && c[j] > x) {
        c[j + 1] = c[j];
        j--;
      }
      c[j + 1] = x;
    }
    return n;
  }
}
