import { RipsDiagramBuilder } from './diagram.js';
import { RipsEdges } from './edges.js';
// NO_EDGE from its own module: a re-export compiles (CommonJS) to a getter, read in advance's hot loop.
import { NO_EDGE, RankTable } from './edge-ranks.js';
import { PivotMap } from './pivot-map.js';
import { grown, withRoom } from '../toolkit/growable.js';
import { MinHeap } from '../toolkit/heap.js';
import { cancelPairs, Z2HeapColumn } from '../toolkit/z2-column.js';

/**
 * Persistent cohomology of a Rips filtration in dimensions 1 and 2, the way Ripser computes it
 * (U. Bauer, "Ripser: efficient computation of Vietoris–Rips persistence barcodes", 2021):
 * coboundary columns processed in reverse filtration order, coboundaries enumerated on the fly
 * (never stored), clearing (a simplex already paired as a pivot one dimension down is skipped),
 * zero-persistence apparent pairs (§3.5) recognised locally and never reduced nor stored, the
 * emergent-pair shortcut, a binary heap with Z/2 cancellation as the working column (in H1 a heap
 * of lazy coboundary cursors, one per added edge; in H2 the toolkit's Z2HeapColumn of cofacet
 * keys), and the reduction matrix V (not the reduced coboundaries) kept per stored column.
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
  private readonly coboundary = new Z2HeapColumn(); // H2 working coboundary: cofacet keys
  private work = new Float64Array(64); // working reduction column: simplex keys, repeats cancel
  private workSize = 0;
  private columnStart = new Int32Array(1024); // stored column s: entries [columnStart[s], columnStart[s+1])
  private columnEntries = new Float64Array(1 << 12); // their simplex keys (the reduction matrix V)
  private columns = 0;
  private readonly lazy = new MinHeap(); // H1 working coboundary: each cursor's next key, tagged with the cursor
  private cursors = 0; // cursors of the current H1 column
  private cursorEdge = new Int32Array(256); // the edge whose coboundary a cursor walks
  // Triangles of equal diameter: the cursor walks the ascending list of the endpoint with fewer
  // edges before its edge, at cursorZero, with cursorLeft of those edges still to see and the
  // other endpoint's row (n × vertex) at cursorRow for the lookups.
  private cursorZero = new Int32Array(256);
  private cursorLeft = new Int32Array(256);
  private cursorRow = new Int32Array(256);
  private cursorP = new Int32Array(256); // position in the first endpoint's rank-ordered list
  private cursorQ = new Int32Array(256); // position in the second endpoint's rank-ordered list
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
    const { n, count, vertexA, vertexB, lengths } = this.edges;
    this.trianglePivots.clear();
    this.resetColumns();
    for (let r = count - 1; r >= 0; r--) {
      if (deathEdge[r] === 1) continue;
      // Apparent pair: a triangle of diameter r (its earliest one pairs with r).
      if (this.hasTriangle(r)) continue;
      const a = vertexA[r];
      const b = vertexB[r];

      this.lazy.size = 0;
      this.cursors = 0;
      this.workSize = 0;
      this.addEdgeCoboundary(r);
      let pivot = this.peekPivot();
      for (;;) {
        if (pivot < 0) {
          out.push(lengths[r], Infinity, a, b, -1, -1); // essential class
          break;
        }
        const slot = this.trianglePivots.get(pivot);
        if (slot >= 0) {
          for (let k = this.columnStart[slot], end = this.columnStart[slot + 1]; k < end; k++) {
            this.addEdgeCoboundary(this.columnEntries[k]);
          }
        } else {
          const R = Math.floor(pivot / n);
          const c = pivot - R * n;
          if (this.isApparentTriangle(R, c)) {
            this.addEdgeCoboundary(R);
          } else {
            this.trianglePivots.set(pivot, this.storeColumn());
            const birth = lengths[r];
            const death = lengths[R];
            if (R !== r && (keepZeroLength || birth !== death)) out.push(birth, death, a, b, vertexA[R], vertexB[R]);
            break;
          }
        }
        pivot = this.peekPivot();
      }
    }
  }

  /**
   * Adds edge s to the working reduction column and its coboundary to the working coboundary, as
   * a cursor that yields the cofacets in increasing key order on demand (so the heap holds one
   * entry per added edge, and cofacets past the final pivot are never enumerated): first the
   * triangles of diameter s by increasing third vertex, then the others in increasing diameter,
   * by walking the two endpoints' neighbour lists in rank order — triangle {p, q, c} appears
   * when the later of its edges (p, c), (q, c) is reached.
   */
  private addEdgeCoboundary(s: number): void {
    this.pushWork(s);
    const { n, vertexA, vertexB, neighbourStart, positionA, positionB } = this.edges;
    const id = this.cursors++;
    if (id === this.cursorEdge.length) this.growCursors();
    const p = vertexA[s];
    const q = vertexB[s];
    const beforeP = positionA[s] - neighbourStart[p];
    const beforeQ = positionB[s] - neighbourStart[q];
    const walkP = beforeP <= beforeQ;
    this.cursorEdge[id] = s;
    this.cursorZero[id] = neighbourStart[walkP ? p : q];
    this.cursorLeft[id] = walkP ? beforeP : beforeQ;
    this.cursorRow[id] = (walkP ? q : p) * n;
    this.cursorP[id] = positionA[s] + 1; // past s in each endpoint's rank-ordered list
    this.cursorQ[id] = positionB[s] + 1;
    const key = this.advance(id);
    if (key >= 0) this.lazy.push(key, id);
  }

  /** The next cofacet key of cursor `id`, or −1 when its coboundary is exhausted. */
  private advance(id: number): number {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const { n, vertexA, vertexB, neighbourStart, neighbours, neighbourEdges, neighboursByRank, neighbourRanks } = edges;
    const s = this.cursorEdge[id];
    const p = vertexA[s];
    const q = vertexB[s];
    const rowP = p * n;
    const rowQ = q * n;
    let left = this.cursorLeft[id];
    if (left > 0) {
      const row = this.cursorRow[id];
      for (let z = this.cursorZero[id]; left > 0; z++) {
        if (neighbourEdges[z] >= s) continue;
        left--;
        const c = neighbours[z];
        if (rankAt(rows, table, row + c) < s) {
          this.cursorZero[id] = z + 1;
          this.cursorLeft[id] = left;
          return s * n + c;
        }
      }
      this.cursorLeft[id] = 0;
    }
    let kp = this.cursorP[id];
    let kq = this.cursorQ[id];
    const endP = neighbourStart[p + 1];
    const endQ = neighbourStart[q + 1];
    for (;;) {
      const rp = kp < endP ? neighbourRanks[kp] : NO_EDGE;
      const rq = kq < endQ ? neighbourRanks[kq] : NO_EDGE;
      if (rp < rq) {
        const c = neighboursByRank[kp++];
        if (rankAt(rows, table, rowQ + c) < rp) {
          this.cursorP[id] = kp;
          this.cursorQ[id] = kq;
          return rp * n + q;
        }
      } else if (rq !== NO_EDGE) {
        const c = neighboursByRank[kq++];
        if (rankAt(rows, table, rowP + c) < rq) {
          this.cursorP[id] = kp;
          this.cursorQ[id] = kq;
          return rq * n + p;
        }
      } else {
        this.cursorP[id] = kp;
        this.cursorQ[id] = kq;
        return -1;
      }
    }
  }

  /**
   * The pivot of the working coboundary — its smallest key of odd multiplicity — or −1 if it is
   * zero. While the smallest key has a twin (in a binary heap, the second smallest is a child of
   * the root), the two cancel: each of their cursors moves on. The pivot's cursor stays put, so the
   * pivot stays in the column until a column with that pivot is added.
   */
  private peekPivot(): number {
    const lazy = this.lazy;
    const keys = lazy.keys;
    for (;;) {
      const size = lazy.size;
      if (size === 0) return -1;
      const key = keys[0];
      if (!((size > 1 && keys[1] === key) || (size > 2 && keys[2] === key))) return key;
      this.advanceTop();
      this.advanceTop(); // the twin, now on top
    }
  }

  /** Moves the cursor of the heap's smallest key on to its next cofacet (or drops it when done). */
  private advanceTop(): void {
    const lazy = this.lazy;
    const id = lazy.tags[0];
    const next = this.advance(id);
    if (next >= 0) lazy.replaceTop(next, id);
    else lazy.pop();
  }

  private growCursors(): void {
    const size = 2 * this.cursorEdge.length;
    this.cursorEdge = grown(this.cursorEdge, size);
    this.cursorZero = grown(this.cursorZero, size);
    this.cursorLeft = grown(this.cursorLeft, size);
    this.cursorRow = grown(this.cursorRow, size);
    this.cursorP = grown(this.cursorP, size);
    this.cursorQ = grown(this.cursorQ, size);
  }

  /**
   * H2: columns are the triangles in decreasing key order, skipping those paired in H1 (the
   * earliest triangle on each diameter edge is its apparent partner; the others are looked up in
   * `trianglePivots`) and those in apparent pairs with a tetrahedron. Call after computeH1.
   */
  computeH2(out: RipsDiagramBuilder, keepZeroLength: boolean): void {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const { n, count, vertexA, vertexB, lengths, neighbourStart, neighbours, neighbourEdges, positionA, positionB } =
      edges;
    const P = (n * (n - 1)) / 2;
    this.tetrahedronPivots.clear();
    this.resetColumns();
    if (this.triangles.length < n) this.triangles = new Int32Array(n);
    const tri = this.triangles;
    for (let r = count - 1; r >= 0; r--) {
      const a = vertexA[r];
      const b = vertexB[r];
      // The triangles of diameter r, by increasing third vertex c: walk the ascending list of the
      // endpoint with fewer edges before r, until all of those are seen; look up the other edge.
      const beforeA = positionA[r] - neighbourStart[a];
      const beforeB = positionB[r] - neighbourStart[b];
      if (beforeA < 2 || beforeB < 2) continue; // at most one triangle: r's apparent partner
      const walkA = beforeA <= beforeB;
      const row = (walkA ? b : a) * n;
      let m = 0;
      for (let k = neighbourStart[walkA ? a : b], left = walkA ? beforeA : beforeB; left > 0; k++) {
        if (neighbourEdges[k] >= r) continue;
        left--;
        const c = neighbours[k];
        if (rankAt(rows, table, row + c) < r) tri[m++] = c;
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
          if (rankAt(rows, table, rowC + tri[u]) < r) {
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

        this.coboundary.clear();
        this.workSize = 0;
        this.addTriangleColumn(key);
        let pivot = this.coboundary.popPivot();
        for (;;) {
          if (pivot < 0) {
            out.push(lengths[r], Infinity, a, b, -1, -1); // essential class
            break;
          }
          const slot = this.tetrahedronPivots.get(pivot);
          if (slot >= 0) {
            this.coboundary.push(pivot); // popped above; the stored column cancels it
            this.addStoredColumn(slot);
          } else {
            let R = Math.floor(pivot / P);
            if (R * P > pivot) R--;
            const rest = pivot - R * P;
            let y = Math.floor((1 + Math.sqrt(1 + 8 * rest)) / 2);
            while ((y * (y - 1)) / 2 > rest) y--;
            while (((y + 1) * y) / 2 <= rest) y++;
            const x = rest - (y * (y - 1)) / 2;
            if (this.isApparentTetrahedron(R, x, y)) {
              this.coboundary.push(pivot);
              this.addTriangleColumn(R * n + y);
            } else {
              this.tetrahedronPivots.set(pivot, this.storeColumn());
              const birth = lengths[r];
              const death = lengths[R];
              if (R !== r && (keepZeroLength || birth !== death)) out.push(birth, death, a, b, vertexA[R], vertexB[R]);
              break;
            }
          }
          pivot = this.coboundary.popPivot();
        }
      }
    }
  }

  /**
   * Is edge r the diameter of a triangle {a, b, c} — edges (a, c) and (b, c) both earlier? Such a
   * c is in the part of a's and of b's rank-ordered neighbour lists before r: the shorter is
   * walked, the other edge looked up.
   */
  private hasTriangle(r: number): boolean {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const { n, vertexA, vertexB, neighbourStart, neighboursByRank, positionA, positionB } = edges;
    const a = vertexA[r];
    const b = vertexB[r];
    const walkA = positionA[r] - neighbourStart[a] <= positionB[r] - neighbourStart[b];
    const row = (walkA ? b : a) * n;
    for (let k = neighbourStart[walkA ? a : b], end = walkA ? positionA[r] : positionB[r]; k < end; k++) {
      if (rankAt(rows, table, row + neighboursByRank[k]) < r) return true;
    }
    return false;
  }

  /** The smallest vertex z ≠ d among tri[0..m) with rank(d, z) < r, or −1: the earliest cofacet of triangle (r, d). */
  private earliestCofacetVertex(tri: Int32Array, m: number, d: number, r: number): number {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const rowD = d * edges.n;
    for (let u = 0; u < m; u++) if (rankAt(rows, table, rowD + tri[u]) < r) return tri[u];
    return -1;
  }

  /** Is triangle (R, c) the earliest cofacet of its diameter edge R (no z < c spans one)? */
  private isApparentTriangle(R: number, c: number): boolean {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const { vertexA, vertexB, neighbourStart, neighbours, neighbourEdges } = edges;
    const rowQ = vertexB[R] * edges.n;
    for (let k = neighbourStart[vertexA[R]], end = neighbourStart[vertexA[R] + 1]; k < end; k++) {
      const z = neighbours[k];
      if (z >= c) return true;
      if (neighbourEdges[k] < R && rankAt(rows, table, rowQ + z) < R) return false;
    }
    return true;
  }

  /**
   * Tetrahedron with diameter edge R and other vertices x < y: is it the earliest cofacet of its
   * latest equal-diameter facet, the triangle (R, y)? (No z < x spans a tetrahedron with it.)
   */
  private isApparentTetrahedron(R: number, x: number, y: number): boolean {
    const edges = this.edges;
    const { rankRows: rows, rankTable: table } = edges;
    const { vertexA, vertexB, neighbourStart, neighbours, neighbourEdges } = edges;
    const p = vertexA[R];
    const rowQ = vertexB[R] * edges.n;
    const rowY = y * edges.n;
    for (let k = neighbourStart[p], end = neighbourStart[p + 1]; k < end; k++) {
      const z = neighbours[k];
      if (z >= x) return true;
      if (neighbourEdges[k] < R && rankAt(rows, table, rowQ + z) < R && rankAt(rows, table, rowY + z) < R) return false;
    }
    return true;
  }

  /**
   * Adds triangle `key` to the working reduction column and its coboundary (tetrahedra) to the
   * heap: the common neighbours d of its vertices p, q, c, found by walking their ascending
   * neighbour lists together (no rank lookups: the lists carry the ranks).
   */
  private addTriangleColumn(key: number): void {
    this.pushWork(key);
    const { n, vertexA, vertexB, neighbourStart, neighbours, neighbourEdges } = this.edges;
    const P = (n * (n - 1)) / 2;
    const r = Math.floor(key / n);
    const c = key - r * n;
    const p = vertexA[r];
    const q = vertexB[r];
    let kp = neighbourStart[p];
    const endP = neighbourStart[p + 1];
    let kq = neighbourStart[q];
    const endQ = neighbourStart[q + 1];
    const start = neighbourStart[c];
    const end = neighbourStart[c + 1];
    const coboundary = this.coboundary;
    coboundary.reserve(end - start);
    for (let k = start; k < end; k++) {
      const d = neighbours[k];
      while (kp < endP && neighbours[kp] < d) kp++;
      if (kp === endP) break;
      if (neighbours[kp] !== d) continue;
      while (kq < endQ && neighbours[kq] < d) kq++;
      if (kq === endQ) break;
      if (neighbours[kq] !== d) continue;
      const rp = neighbourEdges[kp];
      const rq = neighbourEdges[kq];
      const rc = neighbourEdges[k];
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
      coboundary.push(R * P + (hi * (hi - 1)) / 2 + lo);
    }
  }

  /** Adds stored H2 column `slot` (triangles) to the working column. */
  private addStoredColumn(slot: number): void {
    for (let k = this.columnStart[slot], end = this.columnStart[slot + 1]; k < end; k++) {
      this.addTriangleColumn(this.columnEntries[k]);
    }
  }

  private pushWork(key: number): void {
    this.work = withRoom(this.work, this.workSize + 1);
    this.work[this.workSize++] = key;
  }

  private resetColumns(): void {
    this.columns = 0;
    this.columnStart[0] = 0;
  }

  /** Stores the working reduction column (repeated keys cancelled) and returns its slot. */
  private storeColumn(): number {
    const work = this.work;
    const size = cancelPairs(work, this.workSize);
    const slot = this.columns++;
    this.columnStart = withRoom(this.columnStart, slot + 2);
    const from = this.columnStart[slot];
    this.columnEntries = withRoom(this.columnEntries, from + size, from);
    this.columnEntries.set(work.subarray(0, size), from);
    this.columnStart[slot + 1] = from + size;
    return slot;
  }
}

/**
 * The rank of the edge with key i·n + j: from the rank matrix's rows when the build made them,
 * else from the hash table. The callers hoist `rows` into a local, so that a dense complex pays
 * a predictable null test per lookup: 3–5 % over reading the matrix alone (the table's call, never
 * taken there, still costs), where a field read or a method on either type cost 5–13 %.
 */
function rankAt(rows: Int32Array | null, table: RankTable, key: number): number {
  return rows !== null ? rows[key] : table.rankAt(key);
}
