import { withRoom } from '../toolkit/growable.js';
import { insertSorted, Z2Column, Z2ColumnStore } from '../toolkit/z2-column.js';
import { BarTable, matchBars, MatchList } from './bars.js';
import { CubicalCells } from './grid.js';

/**
 * H1 of a volume, the dimension no union-find reaches: the boundary matrix of the squares
 * (columns) over the edges (rows) reduced over Z/2, left to right, pivot = the row last in the
 * row order. The columns come in one function's order and the rows in another's: the same
 * function for a barcode, C's columns over P's (or L's) rows for the image barcode of
 * H1(P) → H1(C) (Bauer & Schmahl, "Efficient computation of image persistence", 2023).
 *
 * Two shortcuts, both exact: columns of squares that close a void (found by the duality sweep of
 * the column function) reduce to zero and are skipped (clearing); rows of edges that join two
 * components under the row function are never pivots — a reduced column is a cycle, whose last
 * edge in the row order creates it — and are dropped (compression).
 */
export class SquareReduction {
  /** After `reduce`: the pairs (column square, pivot row key), `count` of them. */
  pairSquares = new Int32Array(256);
  pairRows = new Int32Array(256);
  count = 0;
  private readonly pivotOwner: Int32Array; // per row key: owning column (stored id ≥ 0, or RAW − square), or UNCLAIMED
  private readonly working = new Z2Column(); // the column being reduced: row keys, increasing
  private readonly stored = new Z2ColumnStore(); // reduced columns, by the ids in pivotOwner
  private readonly raw = new Int32Array(4); // an unstored column, recomputed
  private readonly edges = new Int32Array(4); // a square's edges

  constructor(private readonly grid: CubicalCells) {
    this.pivotOwner = new Int32Array(grid.edgeCount);
  }

  /**
   * Row keys for rows in the order `edgeOrder` (one function's filtration order of the edges):
   * rowKey[e] = position of e counted from the last, so the pivot is the smallest key; −1 for an
   * edge flagged in `killer` (compression).
   */
  static rowKeys(edgeOrder: Uint32Array, killer: Uint8Array, rowKey: Int32Array): void {
    const last = edgeOrder.length - 1;
    for (let r = 0; r <= last; r++) {
      const e = edgeOrder[r];
      rowKey[e] = killer[e] ? -1 : last - r;
    }
  }

  /**
   * Reduces the columns `columnOrder` (square names, in column order) except those flagged in
   * `skip`, over rows keyed by `rowKey`; the pairs land in pairSquares / pairRows.
   */
  reduce(columnOrder: Uint32Array, skip: Uint8Array, rowKey: Int32Array): void {
    const { pivotOwner, working, stored } = this;
    pivotOwner.fill(UNCLAIMED);
    stored.reset();
    this.count = 0;
    for (let i = 0; i < columnOrder.length; i++) {
      const s = columnOrder[i];
      if (skip[s]) continue;
      working.size = this.entries(s, rowKey, working.reserve(4));
      if (working.size === 0) continue;
      let owner = pivotOwner[working.keys[0]];
      if (owner === UNCLAIMED) {
        // Already reduced: the column is kept implicitly and recomputed when needed.
        pivotOwner[working.keys[0]] = RAW - s;
        this.emit(s, working.keys[0]);
        continue;
      }
      do {
        this.addColumn(owner, rowKey);
        if (working.size === 0) break;
        owner = pivotOwner[working.keys[0]];
      } while (owner !== UNCLAIMED);
      if (working.size === 0) continue;
      pivotOwner[working.keys[0]] = stored.store(working);
      this.emit(s, working.keys[0]);
    }
  }

  private emit(square: number, row: number): void {
    const n = this.count++;
    if (n === this.pairSquares.length) {
      this.pairSquares = withRoom(this.pairSquares, n + 1);
      this.pairRows = withRoom(this.pairRows, n + 1);
    }
    this.pairSquares[n] = square;
    this.pairRows[n] = row;
  }

  /** Writes the sorted row keys of square s's four edges (less the dropped rows) to out; returns their count. */
  private entries(s: number, rowKey: Int32Array, out: Int32Array): number {
    const edges = this.edges;
    this.grid.squareEdges(s, edges);
    let n = 0;
    for (let i = 0; i < 4; i++) n = insertSorted(out, n, rowKey[edges[i]]); // −1: a dropped row
    return n;
  }

  /** working ← working + the column a pivotOwner entry names: recomputed when raw, else stored. */
  private addColumn(owner: number, rowKey: Int32Array): void {
    if (owner <= RAW) {
      const n = this.entries(RAW - owner, rowKey, this.raw);
      this.working.add(this.raw, 0, n);
    } else this.working.add(this.stored.entries, this.stored.start(owner), this.stored.end(owner));
  }
}

/** The bars of positive length (birth edge, death square) among the pairs of a reduction under f. */
export function loopBars(
  grid: CubicalCells,
  f: Float64Array,
  reduction: SquareReduction,
  edgeOrder: Uint32Array,
  bars: BarTable,
): void {
  bars.reset();
  const last = edgeOrder.length - 1;
  const { pairSquares, pairRows, count } = reduction;
  for (let i = 0; i < count; i++) {
    const s = pairSquares[i];
    const e = edgeOrder[last - pairRows[i]];
    if (grid.edgeValue(f, e) !== grid.squareValue3D(f, s)) bars.push(e, s);
  }
}

/**
 * The image pairs of a reduction of C's columns over X's rows: image[square] = the birth edge of
 * the image bar that dies at that square of C (−1 where none). `strict` keeps only those of
 * positive length (birth value in X below the death value in C).
 */
export function imageLoops(
  grid: CubicalCells,
  fx: Float64Array,
  fc: Float64Array,
  reduction: SquareReduction,
  edgeOrderX: Uint32Array,
  strict: boolean,
  image: Int32Array,
): void {
  image.fill(-1);
  const last = edgeOrderX.length - 1;
  const { pairSquares, pairRows, count } = reduction;
  for (let i = 0; i < count; i++) {
    const s = pairSquares[i];
    const e = edgeOrderX[last - pairRows[i]];
    if (strict && grid.edgeValue(fx, e) >= grid.squareValue3D(fc, s)) continue;
    image[s] = e;
  }
}

/**
 * C's H1 bars of positive length from its own reduction, matched: a bar dying at square s matches
 * the bars of P and of L born at the edges whose image bars die at s.
 */
export function matchLoops(
  grid: CubicalCells,
  fc: Float64Array,
  reduction: SquareReduction,
  edgeOrderC: Uint32Array,
  imageP: Int32Array,
  imageL: Int32Array,
  barsP: BarTable,
  barsL: BarTable,
  out: MatchList,
): void {
  const last = edgeOrderC.length - 1;
  const { pairSquares, pairRows, count } = reduction;
  for (let i = 0; i < count; i++) {
    const s = pairSquares[i];
    const e = edgeOrderC[last - pairRows[i]];
    if (grid.edgeValue(fc, e) === grid.squareValue3D(fc, s)) continue; // C's bar has length zero
    matchBars(barsP, imageP[s], barsL, imageL[s], out);
  }
}

const UNCLAIMED = -1;
/** pivotOwner entries ≤ RAW name an unreduced column: RAW − square. */
const RAW = -2;

/**
 * The H1 bars of a sparse volume that die at the floor, after the reduction of its own columns:
 * the edges that neither join two components (killer) nor are a pivot, in the order `edgeOrder`.
 */
export function floorLoops(
  reduction: SquareReduction,
  edgeOrder: Uint32Array,
  killer: Uint8Array,
  bars: BarTable,
): void {
  const last = edgeOrder.length - 1;
  const pivot = new Uint8Array(edgeOrder.length); // by row key
  for (let i = 0; i < reduction.count; i++) pivot[reduction.pairRows[i]] = 1;
  for (let r = 0; r <= last; r++) {
    const e = edgeOrder[r];
    if (!killer[e] && !pivot[last - r]) bars.pushFloor(e);
  }
}
