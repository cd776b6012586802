import { DiagramBuilder } from './diagram';
import { FiltrationOrder, PADDING_RANK } from './filtration-order';
import { find } from './grid-sweep';
import { PaddedGrid } from './padded-grid';

/**
 * H0 and H1 of a 3-D cubical complex at the level of its cells, for the middle dimension that no
 * union-find reaches. Cells live on the doubled grid (T: 2n+1 per axis, input voxels at odd
 * coordinates; V: 2n−1 per axis, input vertices at even coordinates), padded by one layer of
 * cells that never enter; a cell's dimension is its number of odd coordinates. Each cell's *owner*
 * is the input element that brings it into the filtration (T: its first voxel coface; V: its last
 * vertex) and cells are totally ordered by (owner rank, dimension, cell index): the filtration
 * whose unique pairing the engine reports.
 *
 * H0 runs Kruskal on the edges, which also finds the edges that kill components; H1 is persistent
 * cohomology over the remaining edges (the cleared columns would reduce to zero anyway), with
 * coboundaries computed on the fly and reduced columns kept only when a later column needs them.
 */
export class CubicalCells3D {
  private readonly strides: Int32Array; // cell index step along x, y, z
  private readonly inner: Int32Array; // doubled-grid sizes along x, y, z, without the padding
  private readonly lowIndex: 0 | 1; // parity of the doubled coordinates of input elements (T: 1, V: 0)
  private readonly ownerRank: Uint32Array; // per cell: rank of the element that brings it in
  private readonly parent: Int32Array; // per vertex cell: union-find parent
  private readonly lowCells: Int32Array; // vertices and edges in filtration order, as 4·cell + code
  private readonly positiveEdges: Int32Array; // 4·edge + axis, for edges joining a component to itself
  private readonly squarePosition: Uint32Array; // per square cell: its place among squares in the filtration
  private readonly squareRank: Uint32Array; // per square place: owner rank
  private readonly pivotOwner: Int32Array; // per square place: the column whose pivot it is
  private readonly bucket: Uint32Array; // counting-sort cursors, one per rank
  private readonly elementOrder: Uint32Array; // element (not padded) index of each rank
  private pool = new Int32Array(1 << 16); // stored reduced columns, back to back
  private poolStart: number[] = [];
  private poolEnd: number[] = [];
  private poolTop = 0;
  private working = new Int32Array(64); // the column being reduced: sorted square places
  private scratch = new Int32Array(64); // merge target, swapped with working
  private readonly rawColumn = new Int32Array(4); // an unstored column, recomputed

  constructor(
    private readonly grid: PaddedGrid,
    construction: 'T' | 'V',
  ) {
    const t = construction === 'T';
    this.lowIndex = t ? 1 : 0;
    const { depth: d, height: h, width: w } = grid;
    this.inner = Int32Array.from([w, h, d], (n) => (t ? 2 * n + 1 : 2 * n - 1));
    const [gx, gy, gz] = Array.from(this.inner, (n) => n + 2);
    this.strides = Int32Array.of(1, gx, gx * gy);
    const numCells = gx * gy * gz;
    if (4 * numCells >= 2 ** 31)
      throw new Error(`shape: H1 of a ${d}×${h}×${w} volume needs more cells than this engine indexes; request options.dims [0, 2] or a smaller volume`);
    const [ix, iy, iz] = this.inner;
    const count = (px: number, py: number, pz: number) => countParity(ix, px) * countParity(iy, py) * countParity(iz, pz);
    const vertices = count(0, 0, 0);
    const edges = count(1, 0, 0) + count(0, 1, 0) + count(0, 0, 1);
    const squares = count(1, 1, 0) + count(1, 0, 1) + count(0, 1, 1);
    this.ownerRank = new Uint32Array(numCells).fill(PADDING_RANK);
    this.parent = new Int32Array(numCells);
    this.lowCells = new Int32Array(vertices + edges);
    this.positiveEdges = new Int32Array(edges);
    this.squarePosition = new Uint32Array(numCells).fill(PADDING_RANK);
    this.squareRank = new Uint32Array(squares);
    this.pivotOwner = new Int32Array(squares);
    this.bucket = new Uint32Array(grid.size + 1);
    this.elementOrder = new Uint32Array(grid.size);
  }

  /** Pushes the H0 pairs into `h0` and the H1 pairs into `h1`. */
  compute(
    values: Float32Array | Float64Array,
    filtration: FiltrationOrder,
    h0: DiagramBuilder,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const order = this.elementOrder;
    for (let r = 0; r < order.length; r++) order[r] = this.grid.element(filtration.order[r]);
    this.assignOwners(filtration);
    this.sortCells();
    const positive = this.kruskal(values, order, h0, keepZeroLength);
    this.reduceColumns(values, order, positive, h1, keepZeroLength);
  }

  /** Cell index of the cell at doubled coordinates (x, y, z), padding excluded. */
  private cellAt(x: number, y: number, z: number): number {
    return (x + 1) * this.strides[0] + (y + 1) * this.strides[1] + (z + 1) * this.strides[2];
  }

  /**
   * ownerRank of every cell: element ranks placed on their cells, then min (T) / max (V) along each
   * axis. The padding ranks last, so the T minimum ignores it; V cells never see it.
   */
  private assignOwners({ rank, paddedIndex }: FiltrationOrder): void {
    const { ownerRank: g, strides, inner, lowIndex: o } = this;
    const { depth: d, height: h, width: w } = this.grid;
    for (let z = 0, e = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        const row = this.cellAt(o, 2 * y + o, 2 * z + o);
        for (let x = 0; x < w; x++, e++) g[row + 2 * x] = rank[paddedIndex[e]];
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
   * first within an element, so faces precede cofaces), and the squares' places in the filtration.
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
   * One raster pass over the cells of dimension `dim`: COUNT counts them per owner rank;
   * PLACE_LOW writes 4·cell + code at its rank's cursor in lowCells (code: the axis of an edge,
   * VERTEX for a vertex); PLACE_SQUARE records each square's place and the place's owner rank.
   */
  private visit(dim: number, action: number): void {
    const { bucket, ownerRank: g, inner, lowCells, squarePosition, squareRank } = this;
    for (let z = 0; z < inner[2]; z++)
      for (let y = 0; y < inner[1]; y++) {
        const oddYZ = (y & 1) + (z & 1);
        if (oddYZ > dim) continue;
        // Along the row, x must supply the remaining odd coordinate (or none).
        const px = dim - oddYZ;
        if (px > 1) continue;
        let c = this.cellAt(px, y, z);
        const code = dim === 0 ? VERTEX : px === 1 ? 0 : y & 1 ? 1 : 2;
        for (let x = px; x < inner[0]; x += 2, c += 2) {
          const r = g[c];
          if (action === COUNT) bucket[r + 1]++;
          else if (action === PLACE_LOW) lowCells[bucket[r]++] = 4 * c + code;
          else {
            const place = bucket[r]++;
            squarePosition[c] = place;
            squareRank[place] = r;
          }
        }
      }
  }

  /**
   * Kruskal over the edges in filtration order: H0 pairs into `h0`, and the edges that join a
   * component to itself (the only ones H1 needs) into positiveEdges. Returns their count.
   * Roots are the oldest vertex of their component: smallest (owner rank, cell index).
   */
  private kruskal(values: Float32Array | Float64Array, order: Uint32Array, h0: DiagramBuilder, keepZeroLength: boolean): number {
    const { ownerRank: g, parent, positiveEdges, lowCells, strides } = this;
    let positive = 0;
    for (let k = 0; k < lowCells.length; k++) {
      const entry = lowCells[k];
      const c = entry >> 2;
      const code = entry & 3;
      if (code === VERTEX) {
        parent[c] = c;
        continue;
      }
      const step = strides[code];
      const a = find(parent, c - step);
      const b = find(parent, c + step);
      if (a === b) {
        positiveEdges[positive++] = entry;
        continue;
      }
      const aOlder = g[a] < g[b] || (g[a] === g[b] && a < b);
      const young = aOlder ? b : a;
      parent[young] = aOlder ? a : b;
      const born = order[g[young]];
      const dies = order[g[c]];
      if (keep(values, born, dies, keepZeroLength)) h0.push(values[born], values[dies], born, dies);
    }
    h0.push(values[order[0]], Infinity, order[0], -1);
    return positive;
  }

  /**
   * Persistent cohomology in dimension 1: columns are the positive edges in reverse filtration
   * order, entries the places of their coface squares; the pivot is the earliest square. A column
   * whose first pivot is unclaimed needs no reduction and is not stored: later columns that meet
   * its pivot recompute its coboundary (this covers the apparent pairs).
   */
  private reduceColumns(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    positive: number,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const { pivotOwner, ownerRank: g, squareRank } = this;
    pivotOwner.fill(UNCLAIMED);
    this.poolStart.length = 0;
    this.poolEnd.length = 0;
    this.poolTop = 0;
    for (let i = positive - 1; i >= 0; i--) {
      const column = this.positiveEdges[i];
      let size = this.coboundary(column, this.working);
      let pivot = this.working[0];
      let owner = pivotOwner[pivot];
      if (owner === UNCLAIMED) {
        pivotOwner[pivot] = RAW - column;
      } else {
        // Add the columns that own the current pivot until it is free or the column vanishes.
        do {
          size = this.addColumn(owner, size);
          if (size === 0) break;
          pivot = this.working[0];
          owner = pivotOwner[pivot];
        } while (owner !== UNCLAIMED);
        if (size > 0) pivotOwner[pivot] = this.storeWorking(size);
      }
      const born = order[g[column >> 2]];
      if (size === 0) {
        h1.push(values[born], Infinity, born, -1); // essential; never happens in a box
        continue;
      }
      const dies = order[squareRank[pivot]];
      if (keep(values, born, dies, keepZeroLength)) h1.push(values[born], values[dies], born, dies);
    }
  }

  /**
   * Writes the sorted places of the squares having the edge `column` (4·edge + axis) as a face into
   * `out`; returns the count. Cofaces step off the edge along the two other axes.
   */
  private coboundary(column: number, out: Int32Array): number {
    const { squarePosition, strides } = this;
    const edge = column >> 2;
    const axis = column & 3;
    let n = 0;
    for (let a = 0; a < 3; a++) {
      if (a === axis) continue;
      const s = strides[a];
      const before = squarePosition[edge - s];
      const after = squarePosition[edge + s];
      if (before !== PADDING_RANK) n = insertSorted(out, n, before);
      if (after !== PADDING_RANK) n = insertSorted(out, n, after);
    }
    return n;
  }

  /** working ← working + column (over Z/2), `column` a pivotOwner entry; returns the new size. */
  private addColumn(column: number, size: number): number {
    let other = this.pool;
    let j = 0;
    let end = 0;
    if (column <= RAW) {
      other = this.rawColumn;
      end = this.coboundary(RAW - column, other);
    } else {
      j = this.poolStart[column];
      end = this.poolEnd[column];
    }
    if (this.scratch.length < size + end - j) this.scratch = new Int32Array(2 * (size + end - j));
    const a = this.working;
    const out = this.scratch;
    let i = 0;
    let n = 0;
    while (i < size && j < end) {
      const u = a[i];
      const v = other[j];
      if (u < v) {
        out[n++] = u;
        i++;
      } else if (v < u) {
        out[n++] = v;
        j++;
      } else {
        i++; // equal entries cancel over Z/2
        j++;
      }
    }
    while (i < size) out[n++] = a[i++];
    while (j < end) out[n++] = other[j++];
    this.working = out;
    this.scratch = a;
    return n;
  }

  /** Keeps working[0..size) for later additions; returns its column id. */
  private storeWorking(size: number): number {
    if (this.poolTop + size > this.pool.length) {
      const bigger = new Int32Array(Math.max(this.poolTop + size, 2 * this.pool.length));
      bigger.set(this.pool.subarray(0, this.poolTop));
      this.pool = bigger;
    }
    this.pool.set(this.working.subarray(0, size), this.poolTop);
    this.poolStart.push(this.poolTop);
    this.poolTop += size;
    this.poolEnd.push(this.poolTop);
    return this.poolStart.length - 1;
  }
}

/** The code of a vertex in lowCells (an edge's code is the axis it runs along). */
const VERTEX = 3;
/** Actions of a pass over the cells (see visit). */
const COUNT = 0, PLACE_LOW = 1, PLACE_SQUARE = 2;

/** How many of 0..n−1 have the given parity. */
function countParity(n: number, parity: number): number {
  return parity === 0 ? (n + 1) >> 1 : n >> 1;
}

/** counts[r + 1] = how many of rank r  →  counts[r] = first place of rank r. */
function prefixSums(counts: Uint32Array): void {
  for (let r = 1; r < counts.length; r++) counts[r] += counts[r - 1];
}

/**
 * Whether to report the pair of elements (born, dies): never when a cell pairs with another cell of
 * the same element (that depends on an arbitrary order inside the element's cells, and has length
 * zero), and zero-length pairs of two elements only on request.
 */
function keep(values: Float32Array | Float64Array, born: number, dies: number, keepZeroLength: boolean): boolean {
  return values[born] !== values[dies] || (keepZeroLength && born !== dies);
}

const UNCLAIMED = -1;
/** pivotOwner entries ≤ RAW name an unreduced column: RAW − (4·edge + axis). */
const RAW = -2;

/** Inserts `key` into the sorted run out[0..n) (tiny runs: an edge has at most four cofaces). */
function insertSorted(out: Int32Array, n: number, key: number): number {
  let i = n;
  while (i > 0 && out[i - 1] > key) {
    out[i] = out[i - 1];
    i--;
  }
  out[i] = key;
  return n + 1;
}
