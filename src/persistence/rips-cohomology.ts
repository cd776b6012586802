import { RipsDiagramBuilder } from './rips-diagram';
import { NO_EDGE, RipsEdges } from './rips-edges';
import { PivotMap } from './rips-pivots';

/**
 * Persistent cohomology of a Rips filtration in dimensions 1 and 2, the way Ripser computes it
 * (U. Bauer, "Ripser: efficient computation of Vietoris–Rips persistence barcodes", 2021):
 * coboundary columns processed in reverse filtration order, coboundaries enumerated on the fly
 * (never stored), clearing (a simplex already paired as a pivot one dimension down is skipped),
 * zero-persistence apparent pairs (§3.5) recognised locally and never reduced nor stored, the
 * emergent-pair shortcut, a binary heap with Z/2 cancellation as the working column, and the
 * reduction matrix V (not the reduced coboundaries) kept per stored column.
 *
 * Simplex keys. Every simplex of dimension ≥ 1 is named by its diameter edge — the edge of
 * largest rank in the edge order of RipsEdges — and its remaining vertices:
 * - an edge: its rank r;
 * - a triangle: r·n + c, with c the vertex off the diameter edge;
 * - a tetrahedron: r·P + y(y−1)/2 + x, with x < y the vertices off the diameter edge and
 *   P = n(n−1)/2.
 * Keys are integers below 2^53 held in doubles. For simplices of one dimension and one diameter
 * edge, ordering the remaining vertices colexicographically orders the whole vertex sets
 * colexicographically, so key order is the filtration order (diameter edge rank, colexicographic
 * order of the vertex set) within each dimension. Across dimensions, a simplex precedes its
 * cofaces of the same diameter: the order is (diameter edge rank, dimension, colex index).
 *
 * Cohomology pivots are the earliest (smallest-key) cofacet of a reduced column; apparent pairs
 * (σ, τ): σ is the latest facet of τ and τ the earliest cofacet of σ, both of equal diameter.
 */
export class RipsCohomology {
  private heap = new Float64Array(1 << 12); // working coboundary: min-heap of cofacet keys
  private heapSize = 0;
  private work = new Float64Array(64); // working reduction column: simplex keys, repeats cancel
  private workSize = 0;
  private columnStart = new Int32Array(1024); // stored column s: entries [columnStart[s], columnStart[s+1])
  private columnEntries = new Float64Array(1 << 12); // their simplex keys (the reduction matrix V)
  private columns = 0;
  private triangles = new Int32Array(16); // third vertices of the triangles with one diameter edge
  /** Triangle keys that are pivots of reduced H1 columns (non-apparent deaths in dimension 1). */
  readonly trianglePivots = new PivotMap();
  private readonly tetrahedronPivots = new PivotMap();

  constructor(private readonly edges: RipsEdges) {}

  /**
   * H1: columns are the edges that neither kill a component (`deathEdge[r]`, from the union-find
   * pass — clearing) nor form an apparent pair, in decreasing rank.
   */
  computeH1(deathEdge: Uint8Array, out: RipsDiagramBuilder, keepZeroLength: boolean): void {
    const { n, count, rank, vertexA, vertexB, lengths, neighbourStart, neighbours } = this.edges;
    this.trianglePivots.clear();
    this.resetColumns();
    for (let r = count - 1; r >= 0; r--) {
      if (deathEdge[r] === 1) continue;
      const a = vertexA[r];
      const b = vertexB[r];
      // Apparent pair: a triangle whose longest edge is r (its earliest one pairs with r).
      const rowA = a * n;
      const rowB = b * n;
      let apparent = false;
      for (let k = neighbourStart[a], end = neighbourStart[a + 1]; k < end; k++) {
        const c = neighbours[k];
        if (rank[rowA + c] < r && rank[rowB + c] < r) {
          apparent = true;
          break;
        }
      }
      if (apparent) continue;

      this.heapSize = 0;
      this.workSize = 0;
      this.addEdgeColumn(r);
      let pivot = this.popPivot();
      for (;;) {
        if (pivot < 0) {
          out.push(lengths[r], Infinity, a, b, -1, -1); // essential class
          break;
        }
        const slot = this.trianglePivots.get(pivot);
        if (slot >= 0) {
          this.heapPush(pivot); // cancels against the added column's pivot
          this.addStoredColumn(slot, 1);
        } else {
          const R = Math.floor(pivot / n);
          const c = pivot - R * n;
          if (this.isApparentTriangle(R, c)) {
            this.heapPush(pivot);
            this.addEdgeColumn(R);
          } else {
            this.trianglePivots.set(pivot, this.storeColumn());
            const birth = lengths[r];
            const death = lengths[R];
            if (R !== r && (keepZeroLength || birth !== death)) out.push(birth, death, a, b, vertexA[R], vertexB[R]);
            break;
          }
        }
        pivot = this.popPivot();
      }
    }
  }

  /**
   * H2: columns are the triangles in decreasing key order, skipping those paired in H1 (the
   * earliest triangle on each diameter edge is its apparent partner; the others are looked up in
   * `trianglePivots`) and those in apparent pairs with a tetrahedron. Call after computeH1.
   */
  computeH2(out: RipsDiagramBuilder, keepZeroLength: boolean): void {
    const { n, count, rank, vertexA, vertexB, lengths, neighbourStart, neighbours } = this.edges;
    const P = (n * (n - 1)) / 2;
    this.tetrahedronPivots.clear();
    this.resetColumns();
    if (this.triangles.length < n) this.triangles = new Int32Array(n);
    const tri = this.triangles;
    for (let r = count - 1; r >= 0; r--) {
      const a = vertexA[r];
      const b = vertexB[r];
      const rowA = a * n;
      const rowB = b * n;
      let m = 0;
      for (let k = neighbourStart[a], end = neighbourStart[a + 1]; k < end; k++) {
        const c = neighbours[k];
        if (rank[rowA + c] < r && rank[rowB + c] < r) tri[m++] = c;
      }
      // tri[0] is the apparent partner of edge r: skip it (clearing).
      for (let t = m - 1; t >= 1; t--) {
        const c = tri[t];
        const key = r * n + c;
        if (this.trianglePivots.get(key) >= 0) continue; // cleared
        // Earliest cofacet of equal diameter: the smallest d with {a,b,c,d} of diameter r.
        const rowC = c * n;
        let d = -1;
        for (let u = 0; u < m; u++) {
          if (rank[rowC + tri[u]] < r) {
            d = tri[u];
            break;
          }
        }
        if (d >= 0 && d < c) continue; // apparent pair: {a,b,c} is the latest facet of {a,b,c,d}
        if (d >= 0) {
          // Emergent pair: the earliest cofacet is the pivot if no earlier column claims it.
          const tkey = r * P + (d * (d - 1)) / 2 + c;
          if (this.tetrahedronPivots.get(tkey) < 0 && this.earliestCofacetVertex(tri, m, d, r) !== c) {
            this.workSize = 0;
            this.pushWork(key);
            this.tetrahedronPivots.set(tkey, this.storeColumn());
            continue;
          }
        }

        this.heapSize = 0;
        this.workSize = 0;
        this.addTriangleColumn(key);
        let pivot = this.popPivot();
        for (;;) {
          if (pivot < 0) {
            out.push(lengths[r], Infinity, a, b, -1, -1); // essential class
            break;
          }
          const slot = this.tetrahedronPivots.get(pivot);
          if (slot >= 0) {
            this.heapPush(pivot);
            this.addStoredColumn(slot, 2);
          } else {
            let R = Math.floor(pivot / P);
            if (R * P > pivot) R--;
            const rest = pivot - R * P;
            let y = Math.floor((1 + Math.sqrt(1 + 8 * rest)) / 2);
            while ((y * (y - 1)) / 2 > rest) y--;
            while (((y + 1) * y) / 2 <= rest) y++;
            const x = rest - (y * (y - 1)) / 2;
            if (this.isApparentTetrahedron(R, x, y)) {
              this.heapPush(pivot);
              this.addTriangleColumn(R * n + y);
            } else {
              this.tetrahedronPivots.set(pivot, this.storeColumn());
              const birth = lengths[r];
              const death = lengths[R];
              if (R !== r && (keepZeroLength || birth !== death)) out.push(birth, death, a, b, vertexA[R], vertexB[R]);
              break;
            }
          }
          pivot = this.popPivot();
        }
      }
    }
  }

  /** The smallest vertex z ≠ d among tri[0..m) with rank(d, z) < r, or −1: the earliest cofacet of triangle (r, d). */
  private earliestCofacetVertex(tri: Int32Array, m: number, d: number, r: number): number {
    const { n, rank } = this.edges;
    const rowD = d * n;
    for (let u = 0; u < m; u++) if (rank[rowD + tri[u]] < r) return tri[u];
    return -1;
  }

  /** Is triangle (R, c) the earliest cofacet of its diameter edge R (no z < c spans one)? */
  private isApparentTriangle(R: number, c: number): boolean {
    const { n, rank, vertexA, vertexB, neighbourStart, neighbours } = this.edges;
    const rowP = vertexA[R] * n;
    const rowQ = vertexB[R] * n;
    for (let k = neighbourStart[vertexA[R]], end = neighbourStart[vertexA[R] + 1]; k < end; k++) {
      const z = neighbours[k];
      if (z >= c) return true;
      if (rank[rowQ + z] < R && rank[rowP + z] < R) return false;
    }
    return true;
  }

  /**
   * Tetrahedron with diameter edge R and other vertices x < y: is it the earliest cofacet of its
   * latest equal-diameter facet, the triangle (R, y)? (No z < x spans a tetrahedron with it.)
   */
  private isApparentTetrahedron(R: number, x: number, y: number): boolean {
    const { n, rank, vertexA, vertexB, neighbourStart, neighbours } = this.edges;
    const p = vertexA[R];
    const rowP = p * n;
    const rowQ = vertexB[R] * n;
    const rowY = y * n;
    for (let k = neighbourStart[p], end = neighbourStart[p + 1]; k < end; k++) {
      const z = neighbours[k];
      if (z >= x) return true;
      if (rank[rowP + z] < R && rank[rowQ + z] < R && rank[rowY + z] < R) return false;
    }
    return true;
  }

  /** Adds edge r to the working reduction column and its coboundary (triangles) to the heap. */
  private addEdgeColumn(r: number): void {
    this.pushWork(r);
    const { n, rank, vertexA, vertexB, neighbourStart, neighbours } = this.edges;
    const p = vertexA[r];
    const q = vertexB[r];
    const rowP = p * n;
    const rowQ = q * n;
    const start = neighbourStart[p];
    const end = neighbourStart[p + 1];
    this.reserveHeap(end - start);
    const h = this.heap;
    let size = this.heapSize;
    for (let k = start; k < end; k++) {
      const c = neighbours[k];
      const rq = rank[rowQ + c];
      if (rq === NO_EDGE) continue;
      const rp = rank[rowP + c];
      let key: number;
      if (rp > r) key = rp > rq ? rp * n + q : rq * n + p;
      else key = rq > r ? rq * n + p : r * n + c;
      // sift up
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pk = h[parent];
        if (pk <= key) break;
        h[i] = pk;
        i = parent;
      }
      h[i] = key;
    }
    this.heapSize = size;
  }

  /** Adds triangle `key` to the working reduction column and its coboundary (tetrahedra) to the heap. */
  private addTriangleColumn(key: number): void {
    this.pushWork(key);
    const { n, rank, vertexA, vertexB, neighbourStart, neighbours } = this.edges;
    const P = (n * (n - 1)) / 2;
    const r = Math.floor(key / n);
    const c = key - r * n;
    const p = vertexA[r];
    const q = vertexB[r];
    const rowP = p * n;
    const rowQ = q * n;
    const rowC = c * n;
    const start = neighbourStart[c];
    const end = neighbourStart[c + 1];
    this.reserveHeap(end - start);
    const h = this.heap;
    let size = this.heapSize;
    for (let k = start; k < end; k++) {
      const d = neighbours[k];
      const rp = rank[rowP + d];
      if (rp === NO_EDGE) continue;
      const rq = rank[rowQ + d];
      if (rq === NO_EDGE) continue;
      const rc = rank[rowC + d];
      // The diameter edge and the two vertices off it.
      let R = r;
      let u = c;
      let v = d;
      if (rp > R) {
        R = rp;
        u = q;
        v = c;
      }
      if (rq > R) {
        R = rq;
        u = p;
        v = c;
      }
      if (rc > R) {
        R = rc;
        u = p;
        v = q;
      }
      const lo = u < v ? u : v;
      const hi = u < v ? v : u;
      const tkey = R * P + (hi * (hi - 1)) / 2 + lo;
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const pk = h[parent];
        if (pk <= tkey) break;
        h[i] = pk;
        i = parent;
      }
      h[i] = tkey;
    }
    this.heapSize = size;
  }

  /** Adds stored column `slot` (dimension 1: edges, 2: triangles) to the working column. */
  private addStoredColumn(slot: number, dim: number): void {
    for (let k = this.columnStart[slot], end = this.columnStart[slot + 1]; k < end; k++) {
      const s = this.columnEntries[k];
      if (dim === 1) this.addEdgeColumn(s);
      else this.addTriangleColumn(s);
    }
  }

  /** Removes and returns the smallest key of odd multiplicity (the pivot), or −1 if none. */
  private popPivot(): number {
    const h = this.heap;
    while (this.heapSize > 0) {
      const top = h[0];
      this.popTop();
      if (this.heapSize > 0 && h[0] === top) {
        this.popTop(); // a pair of equal entries cancels over Z/2
        continue;
      }
      return top;
    }
    return -1;
  }

  private popTop(): void {
    const h = this.heap;
    const size = --this.heapSize;
    if (size === 0) return;
    const last = h[size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && h[child + 1] < h[child]) child++;
      const ck = h[child];
      if (ck >= last) break;
      h[i] = ck;
      i = child;
    }
    h[i] = last;
  }

  private heapPush(key: number): void {
    this.reserveHeap(1);
    const h = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = h[parent];
      if (pk <= key) break;
      h[i] = pk;
      i = parent;
    }
    h[i] = key;
  }

  private reserveHeap(extra: number): void {
    const need = this.heapSize + extra;
    if (need <= this.heap.length) return;
    let size = this.heap.length * 2;
    while (size < need) size *= 2;
    const heap = new Float64Array(size);
    heap.set(this.heap.subarray(0, this.heapSize));
    this.heap = heap;
  }

  private pushWork(key: number): void {
    if (this.workSize === this.work.length) {
      const work = new Float64Array(this.work.length * 2);
      work.set(this.work);
      this.work = work;
    }
    this.work[this.workSize++] = key;
  }

  private resetColumns(): void {
    this.columns = 0;
    this.columnStart[0] = 0;
  }

  /** Stores the working reduction column (repeated keys cancelled) and returns its slot. */
  private storeColumn(): number {
    let size = this.workSize;
    const work = this.work;
    if (size > 1) {
      const sorted = work.subarray(0, size).sort();
      let kept = 0;
      for (let k = 0; k < size; ) {
        let j = k + 1;
        while (j < size && sorted[j] === sorted[k]) j++;
        if ((j - k) & 1) work[kept++] = sorted[k];
        k = j;
      }
      size = kept;
    }
    const slot = this.columns++;
    if (slot + 2 > this.columnStart.length) {
      const starts = new Int32Array(this.columnStart.length * 2);
      starts.set(this.columnStart);
      this.columnStart = starts;
    }
    const from = this.columnStart[slot];
    if (from + size > this.columnEntries.length) {
      let cap = this.columnEntries.length * 2;
      while (cap < from + size) cap *= 2;
      const entries = new Float64Array(cap);
      entries.set(this.columnEntries.subarray(0, from));
      this.columnEntries = entries;
    }
    this.columnEntries.set(work.subarray(0, size), from);
    this.columnStart[slot + 1] = from + size;
    return slot;
  }
}
