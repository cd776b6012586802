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
  private readonly numCells: number;
  private readonly lowIndex: 0 | 1; // parity of the doubled coordinates of input elements (T: 1, V: 0)
  private readonly ownerRank: Uint32Array; // per cell: rank of the element that brings it in
  private readonly links: Int32Array; // per cell: union-find parent (H0), then pivot owner (H1)
  private readonly positiveEdges: Int32Array; // 4·edge + axis, for edges joining a component to itself
  private readonly lowCells: LowCells; // the vertices and edges around an element
  private readonly elementOrder: Uint32Array; // element (not padded) index of each rank
  private pool = new Float64Array(1 << 16); // stored reduced columns, back to back
  private poolStart: number[] = [];
  private poolEnd: number[] = [];
  private poolTop = 0;
  private working = new Float64Array(64); // the column being reduced: sorted square keys
  private scratch = new Float64Array(64); // merge target, swapped with working
  private readonly rawColumn = new Float64Array(4); // an unstored column, recomputed

  constructor(
    private readonly grid: PaddedGrid,
    construction: 'T' | 'V',
  ) {
    const t = construction === 'T';
    this.lowIndex = t ? 1 : 0;
    const { depth: d, height: h, width: w } = grid;
    // Doubled sizes plus the padding layer on both sides.
    const [gx, gy, gz] = [w, h, d].map((n) => (t ? 2 * n + 1 : 2 * n - 1) + 2);
    this.strides = Int32Array.of(1, gx, gx * gy);
    this.numCells = gx * gy * gz;
    if (this.numCells * this.numCells >= 2 ** 53)
      throw new Error(
        `shape: H1 of a ${d}×${h}×${w} volume is beyond this engine's cell indexing (at most ~9e7 cells); ` +
          'request options.dims [0, 2] or a smaller volume',
      );
    this.ownerRank = new Uint32Array(this.numCells).fill(PADDING_RANK);
    this.links = new Int32Array(this.numCells);
    this.positiveEdges = new Int32Array(3 * this.numCells / 2);
    this.lowCells = lowCells(this.strides, t);
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
    const positive = this.kruskal(values, order, h0, keepZeroLength);
    this.reduceColumns(values, order, positive, h1, keepZeroLength);
  }

  /** Cell index of the element with coordinates (x, y, z). */
  private cellOf(x: number, y: number, z: number): number {
    const o = this.lowIndex + 1; // + 1 for the padding layer
    return (2 * x + o) * this.strides[0] + (2 * y + o) * this.strides[1] + (2 * z + o) * this.strides[2];
  }

  /**
   * ownerRank of every cell: element ranks placed on their cells, then min (T) / max (V) along each
   * axis. The padding ranks last, so the T minimum ignores it; V cells never see it.
   */
  private assignOwners({ rank, paddedIndex }: FiltrationOrder): void {
    const { ownerRank: g, strides, lowIndex: o } = this;
    const { depth: d, height: h, width: w } = this.grid;
    for (let z = 0, e = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        const row = this.cellOf(0, y, z);
        for (let x = 0; x < w; x++, e++) g[row + 2 * x] = rank[paddedIndex[e]];
      }
    const useMin = o === 1;
    const inner = [2 * w - 1 + 2 * o, 2 * h - 1 + 2 * o, 2 * d - 1 + 2 * o]; // doubled sizes
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
   * Kruskal over the edges in filtration order: H0 pairs into `h0`, and the edges that join a
   * component to itself (the only ones H1 needs) into positiveEdges. Returns their count.
   * Roots are the oldest vertex of their component: smallest (owner rank, cell index).
   */
  private kruskal(values: Float32Array | Float64Array, order: Uint32Array, h0: DiagramBuilder, keepZeroLength: boolean): number {
    const { ownerRank: g, links: parent, positiveEdges } = this;
    const { offsets, dims, axes } = this.lowCells;
    const { width: w, height: h } = this.grid;
    let positive = 0;
    for (let r = 0; r < order.length; r++) {
      const e = order[r];
      const x = e % w;
      const yz = (e - x) / w;
      const y = yz % h;
      const c0 = this.cellOf(x, y, (yz - y) / h);
      for (let k = 0; k < offsets.length; k++) {
        const c = c0 + offsets[k];
        if (g[c] !== r) continue; // brought in by another element
        if (dims[k] === 0) {
          parent[c] = c;
          continue;
        }
        const axis = axes[k];
        const step = this.strides[axis];
        const a = find(parent, c - step);
        const b = find(parent, c + step);
        if (a === b) {
          positiveEdges[positive++] = 4 * c + axis;
          continue;
        }
        const aOlder = g[a] < g[b] || (g[a] === g[b] && a < b);
        const young = aOlder ? b : a;
        parent[young] = aOlder ? a : b;
        const born = order[g[young]];
        if (keep(values, born, e, keepZeroLength)) h0.push(values[born], values[e], born, e);
      }
    }
    h0.push(values[order[0]], Infinity, order[0], -1);
    return positive;
  }

  /**
   * Persistent cohomology in dimension 1: columns are the positive edges in reverse filtration
   * order, entries their coface squares keyed by (owner rank, cell index); the pivot is the
   * smallest key. A column whose first pivot is unclaimed needs no reduction and is not stored:
   * later columns that meet its pivot recompute its coboundary (this covers the apparent pairs).
   */
  private reduceColumns(
    values: Float32Array | Float64Array,
    order: Uint32Array,
    positive: number,
    h1: DiagramBuilder,
    keepZeroLength: boolean,
  ): void {
    const { links: pivotOwner, ownerRank: g, numCells } = this;
    pivotOwner.fill(UNCLAIMED);
    this.poolStart.length = 0;
    this.poolEnd.length = 0;
    this.poolTop = 0;
    for (let i = positive - 1; i >= 0; i--) {
      const column = this.positiveEdges[i];
      let size = this.coboundary(column, this.working);
      let pivot = this.working[0] % numCells;
      let owner = pivotOwner[pivot];
      if (owner === UNCLAIMED) {
        pivotOwner[pivot] = RAW - column;
      } else {
        // Add the columns that own the current pivot until it is free or the column vanishes.
        do {
          size = this.addColumn(owner, size);
          if (size === 0) break;
          pivot = this.working[0] % numCells;
          owner = pivotOwner[pivot];
        } while (owner !== UNCLAIMED);
        if (size > 0) pivotOwner[pivot] = this.storeWorking(size);
      }
      const born = order[g[column >> 2]];
      if (size === 0) {
        h1.push(values[born], Infinity, born, -1); // essential; never happens in a box
        continue;
      }
      const dies = order[g[pivot]];
      if (keep(values, born, dies, keepZeroLength)) h1.push(values[born], values[dies], born, dies);
    }
  }

  /**
   * Writes the sorted keys of the squares having the edge `column` (4·edge + axis) as a face into
   * `out`; returns the count. Cofaces step off the edge along the two other axes.
   */
  private coboundary(column: number, out: Float64Array): number {
    const { ownerRank: g, numCells, strides } = this;
    const edge = column >> 2;
    const axis = column & 3;
    let n = 0;
    for (let a = 0; a < 3; a++) {
      if (a === axis) continue;
      const s = strides[a];
      if (g[edge - s] !== PADDING_RANK) n = insertSorted(out, n, g[edge - s] * numCells + edge - s);
      if (g[edge + s] !== PADDING_RANK) n = insertSorted(out, n, g[edge + s] * numCells + edge + s);
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
    if (this.scratch.length < size + end - j) this.scratch = new Float64Array(2 * (size + end - j));
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
      const bigger = new Float64Array(Math.max(this.poolTop + size, 2 * this.pool.length));
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

/** Vertices and edges of the 3×3×3 block of cells around an element, by (dimension, index). */
interface LowCells {
  readonly offsets: Int32Array; // cell index offsets from the element's cell
  readonly dims: Uint8Array; // 0 or 1
  readonly axes: Uint8Array; // for edges, the axis along which the edge runs
}

function lowCells(strides: Int32Array, t: boolean): LowCells {
  const cells: { offset: number; dim: number; axis: number }[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const steps = [dx, dy, dz];
        const moved = steps.filter((s) => s !== 0).length;
        // T: elements are voxels, each step lowers the dimension; V: elements are vertices.
        const dim = t ? 3 - moved : moved;
        if (dim > 1) continue;
        // An edge runs along its one odd coordinate: T keeps it unmoved, V moves it.
        const axis = dim === 0 ? 0 : steps.findIndex((s) => (t ? s === 0 : s !== 0));
        cells.push({ offset: dx * strides[0] + dy * strides[1] + dz * strides[2], dim, axis });
      }
  cells.sort((a, b) => a.dim - b.dim || a.offset - b.offset);
  return {
    offsets: Int32Array.from(cells, (c) => c.offset),
    dims: Uint8Array.from(cells, (c) => c.dim),
    axes: Uint8Array.from(cells, (c) => c.axis),
  };
}

/** Inserts `key` into the sorted run out[0..n) (tiny runs: an edge has at most four cofaces). */
function insertSorted(out: Float64Array, n: number, key: number): number {
  let i = n;
  while (i > 0 && out[i - 1] > key) {
    out[i] = out[i - 1];
    i--;
  }
  out[i] = key;
  return n + 1;
}
