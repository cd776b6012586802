import { DiagramBuilder } from './diagram';
import { FiltrationOrder } from './filtration-order';
import { find } from './grid-sweep';
import { PaddedGrid } from './padded-grid';

/**
 * H0 and H1 of a 3-D cubical complex at the level of its cells, for the middle dimension that no
 * union-find reaches. Cells live on the doubled grid (T: 2n+1 per axis, input voxels at odd
 * coordinates; V: 2n−1 per axis, input vertices at even coordinates); a cell's dimension is its
 * number of odd coordinates. Each cell's *owner* is the input element that brings it into the
 * filtration (T: its first voxel coface; V: its last vertex) and cells are totally ordered by
 * (owner rank, dimension, cell index): the filtration whose unique pairing the engine reports.
 *
 * H0 runs Kruskal on the edges, which also finds the edges that kill components; H1 is persistent
 * cohomology over the remaining edges (those cleared columns would reduce to zero anyway), with
 * coboundaries computed on the fly and reduced columns kept only when a later column needs them.
 */
export class CubicalCells3D {
  private readonly gx: number; // doubled-grid sizes
  private readonly gy: number;
  private readonly gz: number;
  private readonly numCells: number;
  private readonly lowIndex: 0 | 1; // parity of the coordinates of input elements (T: 1, V: 0)
  private readonly ownerRank: Uint32Array; // per cell: rank of the element that brings it in
  private readonly vertexParent: Int32Array; // union-find over vertex cells, by vertex id
  private readonly vertexRank: Uint32Array; // per vertex id: owner rank (its age, with the id)
  private readonly positiveEdges: Int32Array; // edges that do not kill a component, in filtration order
  private readonly pivotColumn: Int32Array; // per cell: column whose pivot it is (see reduceColumns)
  private readonly neighbourhood: NeighbourCell[]; // the 27 cells around an element, by (dim, index)
  private readonly elementOrder: Uint32Array; // element (not padded) index of each rank
  private pool = new Float64Array(1 << 16); // stored reduced columns, back to back
  private poolStart: number[] = [];
  private poolEnd: number[] = [];
  private poolTop = 0;
  private working = new Float64Array(64); // the column being reduced: sorted square keys
  private scratch = new Float64Array(64); // merge target, swapped with working
  private readonly rawColumn = new Float64Array(6); // an unstored column, recomputed

  constructor(
    private readonly grid: PaddedGrid,
    construction: 'T' | 'V',
  ) {
    const t = construction === 'T';
    this.lowIndex = t ? 1 : 0;
    const { depth: d, height: h, width: w } = grid;
    this.gz = t ? 2 * d + 1 : 2 * d - 1;
    this.gy = t ? 2 * h + 1 : 2 * h - 1;
    this.gx = t ? 2 * w + 1 : 2 * w - 1;
    this.numCells = this.gx * this.gy * this.gz;
    if (this.numCells * this.numCells >= 2 ** 53)
      throw new Error(
        `shape: H1 of a ${d}×${h}×${w} volume is beyond this engine's cell indexing (at most ~9e7 cells); ` +
          'request options.dims [0, 2] or a smaller volume',
      );
    this.ownerRank = new Uint32Array(this.numCells);
    const numVertices = (t ? (d + 1) * (h + 1) * (w + 1) : d * h * w);
    this.vertexParent = new Int32Array(numVertices);
    this.vertexRank = new Uint32Array(numVertices);
    const numEdges = (this.gz * this.gy * this.gx * 3) / 2; // an upper bound
    this.positiveEdges = new Int32Array(Math.ceil(numEdges));
    this.pivotColumn = new Int32Array(this.numCells);
    this.neighbourhood = neighbourhood(this.gy, this.gx, t);
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
    this.assignOwners(filtration);
    const order = this.elementOrder;
    for (let r = 0; r < order.length; r++) order[r] = this.grid.element(filtration.order[r]);
    const positive = this.kruskal(values, order, h0, keepZeroLength);
    this.reduceColumns(values, order, positive, h1, keepZeroLength);
  }

  /** ownerRank of every cell: ranks placed on the elements, then min (T) / max (V) along each axis. */
  private assignOwners({ rank, paddedIndex }: FiltrationOrder): void {
    const { gx, gy, gz, ownerRank: g, lowIndex: o } = this;
    const { depth: d, height: h, width: w } = this.grid;
    for (let z = 0, e = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        const rowStart = ((2 * z + o) * gy + 2 * y + o) * gx + o;
        for (let x = 0; x < w; x++, e++) g[rowStart + 2 * x] = rank[paddedIndex[e]];
      }
    const useMin = o === 1;
    // Each pass fills the cells whose coordinate along one axis has the other parity, from the
    // two (or, on the T border, one) neighbours along that axis.
    for (let z = o; z < gz; z += 2)
      for (let y = o; y < gy; y += 2) spread(g, (z * gy + y) * gx, 1, gx, o, useMin);
    for (let z = o; z < gz; z += 2) for (let x = 0; x < gx; x++) spread(g, z * gy * gx + x, gx, gy, o, useMin);
    for (let y = 0; y < gy; y++) for (let x = 0; x < gx; x++) spread(g, y * gx + x, gx * gy, gz, o, useMin);
  }

  /**
   * Kruskal over the edges in filtration order: H0 pairs into `h0`, and the edges that join a
   * component to itself (the only ones H1 needs) into positiveEdges. Returns their count.
   */
  private kruskal(values: Float32Array | Float64Array, order: Uint32Array, h0: DiagramBuilder, keepZeroLength: boolean): number {
    const { gx, gy, gz, ownerRank: g, vertexParent: parent, vertexRank, positiveEdges, lowIndex: o } = this;
    const t = o === 1;
    const { height: h, width: w } = this.grid;
    // Vertex ids are row-major over the even coordinates: the same order as cell indices.
    const vy = t ? h + 1 : h;
    const vx = t ? w + 1 : w;
    const cells = this.neighbourhood;
    let positive = 0;
    for (let r = 0; r < order.length; r++) {
      const e = order[r];
      const ex = e % w;
      const ey = ((e - ex) / w) % h;
      const ez = (e - ex - ey * w) / (w * h);
      const X = 2 * ex + o, Y = 2 * ey + o, Z = 2 * ez + o;
      for (let k = 0; k < cells.length; k++) {
        const cell = cells[k];
        if (cell.dim > 1) break;
        const cx = X + cell.dx, cy = Y + cell.dy, cz = Z + cell.dz;
        if (cx < 0 || cy < 0 || cz < 0 || cx >= gx || cy >= gy || cz >= gz) continue;
        const c = (cz * gy + cy) * gx + cx;
        if (g[c] !== r) continue; // brought in by another element
        if (cell.dim === 0) {
          const v = ((cz >> 1) * vy + (cy >> 1)) * vx + (cx >> 1);
          parent[v] = v;
          vertexRank[v] = r;
          continue;
        }
        // An edge: its two vertices differ along its odd axis.
        const ax = cx & 1, ay = cy & 1, az = cz & 1;
        const a = (((cz - az) >> 1) * vy + ((cy - ay) >> 1)) * vx + ((cx - ax) >> 1);
        const b = (((cz + az) >> 1) * vy + ((cy + ay) >> 1)) * vx + ((cx + ax) >> 1);
        const ra = find(parent, a);
        const rb = find(parent, b);
        if (ra === rb) {
          positiveEdges[positive++] = c;
          continue;
        }
        // Elder rule on (owner rank, vertex id).
        const aOlder = vertexRank[ra] < vertexRank[rb] || (vertexRank[ra] === vertexRank[rb] && ra < rb);
        const young = aOlder ? rb : ra;
        parent[young] = aOlder ? ra : rb;
        const born = order[vertexRank[young]];
        if (keepZeroLength || values[born] !== values[e]) h0.push(values[born], values[e], born, e);
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
    const { pivotColumn, ownerRank: g, numCells } = this;
    pivotColumn.fill(UNCLAIMED);
    this.poolStart.length = 0;
    this.poolEnd.length = 0;
    this.poolTop = 0;
    for (let i = positive - 1; i >= 0; i--) {
      const edge = this.positiveEdges[i];
      let size = this.coboundary(edge, this.working);
      let pivot = this.working[0] % numCells;
      let owner = pivotColumn[pivot];
      if (owner === UNCLAIMED) {
        pivotColumn[pivot] = RAW - edge;
      } else {
        // Add the columns that own the current pivot until it is free or the column vanishes.
        do {
          size = this.addColumn(owner, size);
          if (size === 0) break;
          pivot = this.working[0] % numCells;
          owner = pivotColumn[pivot];
        } while (owner !== UNCLAIMED);
        if (size > 0) pivotColumn[pivot] = this.storeWorking(size);
      }
      const born = order[g[edge]];
      if (size === 0) {
        h1.push(values[born], Infinity, born, -1); // essential; never happens in a box
        continue;
      }
      const dies = order[g[pivot]];
      if (keepZeroLength || values[born] !== values[dies]) h1.push(values[born], values[dies], born, dies);
    }
  }

  /** Writes the sorted keys of the squares having `edge` as a face into `out`; returns the count. */
  private coboundary(edge: number, out: Float64Array): number {
    const { gx, gy, gz, ownerRank: g, numCells } = this;
    const x = edge % gx;
    const yz = (edge - x) / gx;
    const y = yz % gy;
    const z = (yz - y) / gy;
    const s = gx * gy;
    let n = 0;
    // Cofaces step off the edge along each axis where its coordinate is even, within the grid.
    if ((x & 1) === 0) {
      if (x > 0) n = insertSorted(out, n, g[edge - 1] * numCells + edge - 1);
      if (x < gx - 1) n = insertSorted(out, n, g[edge + 1] * numCells + edge + 1);
    }
    if ((y & 1) === 0) {
      if (y > 0) n = insertSorted(out, n, g[edge - gx] * numCells + edge - gx);
      if (y < gy - 1) n = insertSorted(out, n, g[edge + gx] * numCells + edge + gx);
    }
    if ((z & 1) === 0) {
      if (z > 0) n = insertSorted(out, n, g[edge - s] * numCells + edge - s);
      if (z < gz - 1) n = insertSorted(out, n, g[edge + s] * numCells + edge + s);
    }
    return n;
  }

  /** working ← working + column (over Z/2), `column` a pivotColumn entry; returns the new size. */
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

const UNCLAIMED = -1;
/** pivotColumn entries ≤ RAW name an unreduced column: RAW − edge. */
const RAW = -2;

interface NeighbourCell {
  readonly dx: number;
  readonly dy: number;
  readonly dz: number;
  readonly dim: number;
}

/** The cells of the 3×3×3 block around an element, sorted by (dimension, cell index). */
function neighbourhood(gy: number, gx: number, t: boolean): NeighbourCell[] {
  const cells: (NeighbourCell & { offset: number })[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const moved = (dx !== 0 ? 1 : 0) + (dy !== 0 ? 1 : 0) + (dz !== 0 ? 1 : 0);
        // T: elements are voxels, each step lowers the dimension; V: elements are vertices.
        cells.push({ dx, dy, dz, dim: t ? 3 - moved : moved, offset: (dz * gy + dy) * gx + dx });
      }
  cells.sort((a, b) => a.dim - b.dim || a.offset - b.offset);
  return cells.map(({ dx, dy, dz, dim }) => ({ dx, dy, dz, dim }));
}

/**
 * Fills the cells of one line of the doubled grid whose coordinate has parity 1 − o from their
 * neighbours along the line (min for T, max for V).
 */
function spread(g: Uint32Array, start: number, stride: number, length: number, o: number, useMin: boolean): void {
  for (let i = 1 - o; i < length; i += 2) {
    const at = start + i * stride;
    const lo = i > 0 ? g[at - stride] : -1;
    const hi = i < length - 1 ? g[at + stride] : -1;
    if (lo === -1) g[at] = hi;
    else if (hi === -1) g[at] = lo;
    else g[at] = useMin ? (lo < hi ? lo : hi) : lo > hi ? lo : hi;
  }
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
