import { DiagramBuilder, keepPair } from '../../src/persistence/diagram';
import { FiltrationOrder } from '../../src/persistence/cubical/filtration-order';
import { find } from '../../src/persistence/toolkit/union-find';
import { insertSorted, Z2Column, Z2ColumnStore } from '../../src/persistence/toolkit/z2-column';
import { PaddedGrid } from '../../src/persistence/cubical/padded-grid';

/**
 * Persistence of a 3-D cubical complex at the level of its cells, for the middle dimension (H1)
 * that no union-find reaches; the passes it needs give H0 and H2 on the way. Cells live on the doubled grid (T: 2n+1 per axis, input voxels at odd
 * coordinates; V: 2n−1 per axis, input vertices at even coordinates), padded by one layer of
 * cells that never enter; a cell's dimension is its number of odd coordinates. Each cell's *owner*
 * is the input element that brings it into the filtration (T: its first voxel coface; V: its last
 * vertex) and cells are ordered by (owner rank, dimension, cell index): the filtration whose
 * unique pairing the engine reports.
 *
 * Two union-find passes come first: Kruskal over the edges (H0, and which edges kill a component)
 * and its dual over the squares in reverse order (H2, and which squares close a void). H1 is
 * then one matrix reduction with clearing and compression (Bauer, Kerber & Reininghaus, "Clear and
 * Compress"), on the fly from the grid. Its direction follows the construction: cohomology
 * (columns: the edges that kill no component, in reverse order; entries: their coface squares,
 * less those that close a void) for T, homology (columns: the squares that close no void;
 * entries: their face edges, less those that kill a component) for V. The two are dual to each
 * other across the constructions, and each is the direction with little fill-in for its own.
 * The library pairs volumes lower star by lower star (BoxLowerStars, and BoxDual for T); this
 * engine, once the library's, is their cross-check in the tests.
 */
export class CubicalCells3D {
  private readonly strides: Int32Array; // cell index step along x, y, z
  private readonly inner: Int32Array; // doubled-grid sizes along x, y, z, without the padding
  private readonly lowIndex: 0 | 1; // parity of the doubled coordinates of input elements (T: 1, V: 0)
  private readonly cohomology: boolean; // reduction direction, see above
  private readonly ownerRank: Uint32Array; // per cell: rank of the element that brings it in
  private readonly parent: Int32Array; // per vertex and cube cell: union-find parent
  private readonly lowCells: Int32Array; // vertices and edges in filtration order, as 4·cell + code
  private readonly squares: Int32Array; // squares in filtration order, as 4·cell + the axis of its cofaces
  private readonly key: Uint32Array; // per edge or square cell: its row key in the reduction, or NO_ROW
  private readonly keyRank: Uint32Array; // per row key: owner rank
  private readonly columns: Int32Array; // the columns to reduce, as 4·cell + axis
  private readonly columnRank: Uint32Array; // owner rank of each column's cell
  private readonly pivotOwner: Int32Array; // per row key: the column whose pivot it is
  private readonly bucket: Uint32Array; // counting-sort cursors, one per rank
  private readonly elementOrder: Uint32Array; // element (not padded) index of each rank
  private readonly rank: Uint32Array; // rank of each element
  private readonly numEdges: number;
  private readonly working = new Z2Column(); // the column being reduced: row keys
  private readonly stored = new Z2ColumnStore(); // reduced columns, by the ids in pivotOwner
  private readonly rawColumn = new Int32Array(4); // an unstored column, recomputed

  constructor(
    private readonly grid: PaddedGrid,
    construction: 'T' | 'V',
  ) {
    const t = construction === 'T';
    this.lowIndex = t ? 1 : 0;
    this.cohomology = t;
    const { depth: d, height: h, width: w } = grid;
    this.inner = Int32Array.from([w, h, d], (n) => (t ? 2 * n + 1 : 2 * n - 1));
    const [gx, gy, gz] = Array.from(this.inner, (n) => n + 2);
    this.strides = Int32Array.of(1, gx, gx * gy);
    const numCells = gx * gy * gz;
    if (4 * numCells >= 2 ** 31)
      throw new Error(
        `shape: H1 of a ${d}×${h}×${w} volume needs more cells than this engine indexes; request options.dims [0, 2] or a smaller volume`,
      );
    const [ix, iy, iz] = this.inner;
    const count = (px: number, py: number, pz: number) =>
      countParity(ix, px) * countParity(iy, py) * countParity(iz, pz);
    const vertices = count(0, 0, 0);
    this.numEdges = count(1, 0, 0) + count(0, 1, 0) + count(0, 0, 1);
    const squares = count(1, 1, 0) + count(1, 0, 1) + count(0, 1, 1);
    const rows = this.cohomology ? squares : this.numEdges;
    this.ownerRank = new Uint32Array(numCells).fill(PADDING_RANK);
    this.parent = new Int32Array(numCells);
    // The padding never changes: in the dual sweep it is all one region, the outside.
    for (let c = 0; c < numCells; c++) {
      const x = c % gx;
      const y = ((c - x) / gx) % gy;
      const z = (c - x - y * gx) / (gx * gy);
      if (x === 0 || y === 0 || z === 0 || x === gx - 1 || y === gy - 1 || z === gz - 1) this.parent[c] = OUTSIDE;
    }
    this.lowCells = new Int32Array(vertices + this.numEdges);
    this.squares = new Int32Array(squares);
    this.key = new Uint32Array(numCells).fill(NO_ROW);
    this.keyRank = new Uint32Array(rows);
    this.columns = new Int32Array(this.cohomology ? this.numEdges : squares);
    this.columnRank = new Uint32Array(this.columns.length);
    this.pivotOwner = new Int32Array(rows);
    this.bucket = new Uint32Array(grid.size + 1);
    this.elementOrder = new Uint32Array(grid.size);
    this.rank = new Uint32Array(grid.size);
  }

  /** Pushes the pairs of each dimension into its builder. */
  compute(
    values: Float32Array | Float64Array,
    filtration: FiltrationOrder,
    [h0, h1, h2]: readonly DiagramBuilder[],
    keepZeroLength: boolean,
  ): void {
    const { elementOrder: order, rank, grid } = this;
    for (let r = 0; r < order.length; r++) {
      const e = grid.element(filtration.order[r]);
      order[r] = e;
      rank[e] = r;
    }
    this.assignOwners();
    this.sortCells();
    const kept = this.kruskal(values, order, h0, keepZeroLength);
    const columns = this.dualKruskal(values, order, kept, h2, keepZeroLength);
    this.pivotOwner.fill(UNCLAIMED);
    this.apparentPairs(values, order, h1, keepZeroLength);
    this.reduce(values, order, columns, h1, keepZeroLength);
  }

  /** Cell index of the cell at doubled coordinates (x, y, z), padding excluded. */
  private cellAt(x: number, y: number, z: number): number {
    return (x + 1) * this.strides[0] + (y + 1) * this.strides[1] + (z + 1) * this.strides[2];
  }

  /**
   * ownerRank of every cell: element ranks placed on their cells, then min (T) / max (V) along each
   * axis. The padding ranks last, so the T minimum ignores it; V cells never see it.
   */
  private assignOwners(): void {
    const { ownerRank: g, strides, inner, lowIndex: o, rank } = this;
    const { depth: d, height: h, width: w } = this.grid;
    for (let z = 0, e = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        const row = this.cellAt(o, 2 * y + o, 2 * z + o);
        for (let x = 0; x < w; x++, e++) g[row + 2 * x] = rank[e];
      }
    const useMin = o === 1;
    // Along x on the element rows, then along y on the element planes, then along z everywhere:
    // each pass fills the cells of the other parity from their two neighbours on that axis.
    for (let axis = 0; axis < 3; axis++) {
      const s = strides[axis];
      const n = inner[axis];
      const [u, v] = [0, 1, 2].filter((a) => a !== axis);
      for (let j = axis < 2 ? o : 0; j < inner[v]; j += axis < 2 ? 2 : 1)
        for (let i = axis === 0 ? o : 0; i < inner[u]; i += axis === 0 ? 2 : 1) {
          const start = (i + 1) * strides[u] + (j + 1) * strides[v] + s;
          for (let k = 1 - o; k < n; k += 2) {
            const at = start + k * s;
            const a = g[at - s];
            const b = g[at + s];
            g[at] = useMin === a < b ? a : b;
          }
        }
    }
  }

  /**
   * Counting sorts by owner rank, ties by cell index: vertices then edges into lowCells (vertices
   * first within an element, so faces precede cofaces), and squares into `squares`.
   */
  private sortCells(): void {
    const { bucket } = this;
    bucket.fill(0);
    this.visit(0, COUNT);
    this.visit(1, COUNT);
    prefixSums(bucket);
    this.visit(0, PLACE_LOW);
    this.visit(1, PLACE_LOW);
    bucket.fill(0);
    this.visit(2, COUNT);
    prefixSums(bucket);
    this.visit(2, PLACE_SQUARE);
  }

  /**
   * One raster pass over the cells of dimension `dim`: COUNT counts them per owner rank; PLACE_LOW
   * and PLACE_SQUARE write 4·cell + code at the rank's cursor in lowCells or squares. The code is
   * VERTEX for a vertex, the axis an edge runs along, the axis a square's cofaces lie along.
   */
  private visit(dim: number, action: number): void {
    const { bucket, ownerRank: g, inner } = this;
    const out = action === PLACE_LOW ? this.lowCells : this.squares;
    for (let z = 0; z < inner[2]; z++)
      for (let y = 0; y < inner[1]; y++) {
        const oddYZ = (y & 1) + (z & 1);
        // Along the row, x supplies the remaining odd coordinate, or none.
        const px = dim - oddYZ;
        if (px < 0 || px > 1) continue;
        const odd = [px, y & 1, z & 1];
        const code = dim === 0 ? VERTEX : odd.indexOf(dim === 1 ? 1 : 0);
        let c = this.cellAt(px, y, z);
        for (let x = px; x < inner[0]; x += 2, c += 2) {
          if (action === COUNT) bucket[g[c] + 1]++;
          else out[bucket[g[c]]++] = 4 * c + code;
        }
      }
  }

  /**
   * Kruskal over the edges in filtration order: H0 pairs into `h0`. In cohomology, the edges that
   * join a component to itself are the columns (returns their count); in homology the others lose
   * their rows and the kept edges get theirs, youngest first (returns 0).
   * Roots are the oldest vertex of their component: smallest (owner rank, cell index).
   */
  private kruskal(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    h0: DiagramBuilder,
    keepZeroLength: boolean,
  ): number {
    const { ownerRank: g, parent, lowCells, strides, columns, columnRank, key, keyRank, cohomology } = this;
    let kept = 0;
    let edge = this.numEdges; // counts down: in homology the youngest edge has the smallest key
    for (let k = 0; k < lowCells.length; k++) {
      const entry = lowCells[k];
      const c = entry >> 2;
      const code = entry & 3;
      if (code === VERTEX) {
        parent[c] = c;
        continue;
      }
      edge--;
      const step = strides[code];
      const a = find(parent, c - step);
      const b = find(parent, c + step);
      if (a === b) {
        if (cohomology) {
          key[c] = kept; // a column's key is its place among the columns
          columnRank[kept] = g[c];
          columns[kept++] = entry;
        } else {
          key[c] = edge;
          keyRank[edge] = g[c];
        }
        continue;
      }
      key[c] = NO_ROW; // a component killer is no column (clearing) and no pivot (compression)
      const aOlder = g[a] < g[b] || (g[a] === g[b] && a < b);
      const young = aOlder ? b : a;
      parent[young] = aOlder ? a : b;
      const born = order[g[young]];
      const dies = order[g[c]];
      if (keepPair(values, born, dies, keepZeroLength)) h0.push(values[born], values[dies], born, dies);
    }
    h0.push(values[order[0]], Infinity, order[0], -1);
    return kept;
  }

  /**
   * The dual sweep: squares in reverse filtration order join the regions (cubes, or the outside)
   * on their two sides. A square that joins two different regions closes a void: an H2 pair, by
   * the elder rule of the reverse sweep (a region's age is its last cube in the filtration, the
   * outside is oldest; the younger region is the void, filled at that cube), pushed into `h2`.
   * Such a square is never an H1 death: in cohomology it loses its row, and the other squares get
   * theirs in filtration order; in homology the other squares become the columns, collected in
   * reverse filtration order. Either way the columns are reduced from the last collected to the
   * first. Returns the column count.
   */
  private dualKruskal(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    cohomologyColumns: number,
    h2: DiagramBuilder,
    keepZeroLength: boolean,
  ): number {
    const { squares, parent, strides, inner, ownerRank: g, key, keyRank, columns, columnRank, cohomology } = this;
    // Every cube is a region of its own (the padding already points at the outside).
    for (let z = 1; z < inner[2]; z += 2)
      for (let y = 1; y < inner[1]; y += 2)
        for (let x = 1, c = this.cellAt(1, y, z); x < inner[0]; x += 2, c += 2) parent[c] = c;
    let kept = 0;
    for (let i = squares.length - 1; i >= 0; i--) {
      const entry = squares[i];
      const s = entry >> 2;
      const step = strides[entry & 3];
      const a = find(parent, s - step);
      const b = find(parent, s + step);
      if (a !== b) {
        const aOlder = a === OUTSIDE || (b !== OUTSIDE && (g[a] > g[b] || (g[a] === g[b] && a > b)));
        const young = aOlder ? b : a;
        parent[young] = aOlder ? a : b;
        key[s] = NO_ROW; // a void's birth is no column (clearing) and no pivot (compression)
        const born = order[g[s]];
        const dies = order[g[young]];
        if (keepPair(values, born, dies, keepZeroLength)) h2.push(values[born], values[dies], born, dies);
        continue;
      }
      if (cohomology) {
        key[s] = i;
        keyRank[i] = g[s];
      } else {
        key[s] = kept;
        columnRank[kept] = g[s];
        columns[kept++] = entry;
      }
    }
    return cohomology ? cohomologyColumns : kept;
  }

  /**
   * Apparent pairs (as in Ripser), found in one raster pass over the column cells, where the grid
   * is cache-friendly: a column whose pivot row appears in no column reduced before it is final
   * as it is. Such pivots are claimed up front and the columns marked DONE for the reduction.
   */
  private apparentPairs(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const { key, strides, inner, columns, columnRank, keyRank, pivotOwner, cohomology } = this;
    const dim = cohomology ? 1 : 2;
    for (let z = 0; z < inner[2]; z++)
      for (let y = 0; y < inner[1]; y++) {
        const oddYZ = (y & 1) + (z & 1);
        const px = dim - oddYZ;
        if (px < 0 || px > 1) continue;
        let c = this.cellAt(px, y, z);
        // The column's special axis: an edge's own (odd) axis, a square's even one.
        const axis = cohomology ? (px === 1 ? 0 : y & 1 ? 1 : 2) : px === 0 ? 0 : (y & 1) === 0 ? 1 : 2;
        for (let x = px; x < inner[0]; x += 2, c += 2) {
          const place = key[c];
          if (place === NO_ROW) continue; // not a column
          // The pivot: the smallest row key among the entries.
          let pivot = NO_ROW;
          let row = -1;
          let rowStep = 0;
          for (let a = 0; a < 3; a++) {
            if (a === axis) continue;
            const s = strides[a];
            if (key[c - s] < pivot) {
              pivot = key[c - s];
              row = c - s;
              rowStep = a;
            }
            if (key[c + s] < pivot) {
              pivot = key[c + s];
              row = c + s;
              rowStep = a;
            }
          }
          if (row < 0) continue;
          // The row's columns lie across its two axes other than its special one (the third).
          const rowAxis = 3 - axis - rowStep;
          let first = true;
          for (let b = 0; b < 3 && first; b++) {
            if (b === rowAxis) continue;
            const s = strides[b];
            const before = key[row - s];
            const after = key[row + s];
            if (
              (row - s !== c && before !== NO_ROW && before > place) ||
              (row + s !== c && after !== NO_ROW && after > place)
            )
              first = false;
          }
          if (!first) continue;
          pivotOwner[pivot] = RAW - columns[place];
          columns[place] = DONE;
          this.pushH1(values, order, columnRank[place], keyRank[pivot], h1, keepZeroLength);
        }
      }
  }

  /**
   * The matrix reduction over Z/2, pivot = smallest row key. A column whose first pivot is
   * unclaimed needs no reduction and is not stored: later columns that meet its pivot recompute
   * its entries (this covers the apparent pairs).
   */
  private reduce(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    count: number,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const { pivotOwner, keyRank, columns, columnRank, cohomology, working } = this;
    this.stored.reset();
    for (let at = count - 1; at >= 0; at--) {
      const column = columns[at];
      if (column === DONE) continue;
      working.size = this.entries(column, working.reserve(4));
      let owner = working.size > 0 ? pivotOwner[working.keys[0]] : UNCLAIMED;
      if (owner === UNCLAIMED) {
        if (working.size > 0) pivotOwner[working.keys[0]] = RAW - column;
      } else {
        // Add the columns that own the current pivot until it is free or the column vanishes.
        do {
          this.addColumn(owner);
          if (working.size === 0) break;
          owner = pivotOwner[working.keys[0]];
        } while (owner !== UNCLAIMED);
        if (working.size > 0) pivotOwner[working.keys[0]] = this.stored.store(working);
      }
      if (working.size === 0) {
        // Never happens in a box: every kept edge bounds, every kept square kills a loop.
        const own = order[columnRank[at]];
        if (cohomology) h1.push(values[own], Infinity, own, -1);
        continue;
      }
      this.pushH1(values, order, columnRank[at], keyRank[working.keys[0]], h1, keepZeroLength);
    }
  }

  /** The H1 pair of a column and its pivot, given their owner ranks, read in the reduction's direction. */
  private pushH1(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    columnRank: number,
    pivotRank: number,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    if (columnRank === pivotRank) return; // two cells of one element
    const own = order[columnRank];
    const other = order[pivotRank];
    const born = this.cohomology ? own : other;
    const dies = this.cohomology ? other : own;
    if (keepPair(values, born, dies, keepZeroLength)) h1.push(values[born], values[dies], born, dies);
  }

  /**
   * Writes the sorted row keys of a column 4·cell + axis into `out`; returns the count. The
   * entries are the cell's neighbours across the two other axes: an edge's coface squares, a
   * square's face edges.
   */
  private entries(column: number, out: Int32Array): number {
    const { key, strides } = this;
    const cell = column >> 2;
    const axis = column & 3;
    let n = 0;
    for (let a = 0; a < 3; a++) {
      if (a === axis) continue;
      const s = strides[a];
      const before = key[cell - s];
      const after = key[cell + s];
      if (before !== NO_ROW) n = insertSorted(out, n, before);
      if (after !== NO_ROW) n = insertSorted(out, n, after);
    }
    return n;
  }

  /** working ← working + the column a pivotOwner entry names: recomputed when raw, else stored. */
  private addColumn(column: number): void {
    if (column <= RAW) {
      const n = this.entries(RAW - column, this.rawColumn);
      this.working.add(this.rawColumn, 0, n);
    } else {
      this.working.add(this.stored.entries, this.stored.start(column), this.stored.end(column));
    }
  }
}

/** The code of a vertex in lowCells (an edge's code is the axis it runs along). */
const VERTEX = 3;
/** Actions of a pass over the cells (see visit). */
const COUNT = 0,
  PLACE_LOW = 1,
  PLACE_SQUARE = 2;
/** Owner rank of the padding cells: after every element. */
const PADDING_RANK = 0xffffffff;
/** Key of a cell that is no row of the reduction (padding, or removed by compression). */
const NO_ROW = PADDING_RANK;
/** The union-find node standing for everything outside the box: cell 0, a padding cell. */
const OUTSIDE = 0;

/** How many of 0..n−1 have the given parity. */
function countParity(n: number, parity: number): number {
  return parity === 0 ? (n + 1) >> 1 : n >> 1;
}

/** counts[r + 1] = how many of rank r  →  counts[r] = first place of rank r. */
function prefixSums(counts: Uint32Array): void {
  for (let r = 1; r < counts.length; r++) counts[r] += counts[r - 1];
}

const UNCLAIMED = -1;
/** A column already settled as an apparent pair. */
const DONE = -1;
/** pivotOwner entries ≤ RAW name an unreduced column: RAW − (4·cell + axis). */
const RAW = -2;
