import { describe } from '../../base/checks.js';
import { find } from '../toolkit/union-find.js';
import { CubicalCells } from './grid.js';

/**
 * The part of the cubical complex of a `[H, W]` or `[D, H, W]` grid that a threshold keeps: the
 * kept vertices, renumbered 0..count−1 in flat order, and the cells all of whose vertices are kept
 * (a subcomplex), named as VertexGrid names them but by the new numbers — so the order (value,
 * name) of the kept cells is the dense one. Every other cell enters after all of these, at one
 * floor value.
 *
 * For the duality sweep, the tops that are not kept group into floor regions — the components of
 * their union with the outside, joined across the facets that are not kept — found once per call
 * by a union-find over the grid's tops. Node numbers: the kept tops by the number of their first
 * vertex, then the outside (count) and the bounded floor regions (count + 1, …).
 *
 * Memory: arrays per kept vertex and cell, plus two Int32 per grid element (the renumbering and the
 * floor regions) reused across calls.
 */
export class SparseGrid implements CubicalCells {
  readonly rank: 2 | 3;
  readonly size: number;
  readonly strides: Int32Array;
  /** Per grid element: its number when kept, else −1. */
  private readonly index: Int32Array;
  /** Per top position, for the tops not kept: its floor region (union-find, then coded). */
  private readonly region: Int32Array;
  /** The floor: the largest value of either function (sublevel), reached by every cell not kept. */
  floor = 0;
  /** Kept vertices: vertexCount of them, vertex[i] the flat index of number i. */
  vertexCount = 0;
  vertex = new Int32Array(0);
  /** Per kept vertex: bit a when the grid has a successor along axis a, bit 3 + a a predecessor. */
  room = new Uint8Array(0);
  /** next[rank·i + a]: the number of the successor of vertex i along axis a, −1 when not kept — also the second end of edge rank·i + a. */
  next = new Int32Array(0);
  /** Per kept vertex: 1 when it is the first vertex of a kept top. */
  topAt = new Uint8Array(0);
  /** The kept edges, facets and tops, by increasing name. */
  edges = new Uint32Array(0);
  facets = new Uint32Array(0);
  tops = new Uint32Array(0);
  edgeNames = 0;
  facetNames = 0;
  nodeCount = 0;
  floorFrom = 0;
  edgeCount = 0;

  constructor(readonly shape: readonly number[]) {
    this.rank = shape.length as 2 | 3;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.strides = Int32Array.from(shape, (_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
    this.index = new Int32Array(this.size);
    this.region = new Int32Array(this.size + 1);
  }

  /**
   * Keeps the vertices where min(sign·p, sign·l) ≤ t and builds their complex and the floor
   * regions; the floor becomes the largest of sign·p and sign·l. Checks that every entry is
   * finite (an error naming `pName` or `lName` and the index).
   */
  keep(
    p: Float32Array | Float64Array,
    l: Float32Array | Float64Array,
    sign: 1 | -1,
    t: number,
    pName = 'prediction',
    lName = 'target',
  ): void {
    const { index, size } = this;
    let count = 0;
    let floor = -Infinity;
    for (let i = 0; i < size; i++) {
      const a = sign * p[i];
      const b = sign * l[i];
      if (a - a !== 0) throw new Error(`${pName}: expected finite numbers, got ${describe(p[i])} at index ${i}`);
      if (b - b !== 0) throw new Error(`${lName}: expected finite numbers, got ${describe(l[i])} at index ${i}`);
      if (a > floor) floor = a;
      if (b > floor) floor = b;
      index[i] = (a < b ? a : b) <= t ? count++ : -1;
    }
    this.floor = floor;
    this.vertexCount = count;
    this.vertex = new Int32Array(count);
    for (let i = 0; i < size; i++) if (index[i] >= 0) this.vertex[index[i]] = i;
    this.linkVertices();
    this.listCells();
    const regions = this.findFloorRegions();
    this.nodeCount = count + regions;
    this.floorFrom = count + 1;
  }

  /** room and next of every kept vertex. */
  private linkVertices(): void {
    const { rank, shape, strides, vertex, index } = this;
    const n = this.vertexCount;
    this.room = new Uint8Array(n);
    this.next = new Int32Array(rank * n);
    for (let i = 0; i < n; i++) {
      const v = vertex[i];
      let bits = 0;
      for (let a = 0; a < rank; a++) {
        const c = Math.floor(v / strides[a]) % shape[a];
        if (c > 0) bits |= 8 << a;
        const has = c < shape[a] - 1;
        if (has) bits |= 1 << a;
        this.next[rank * i + a] = has ? index[v + strides[a]] : -1;
      }
      this.room[i] = bits;
    }
  }

  /** The kept edges, facets (squares of a volume) and tops, by increasing name (views of arrays sized for all). */
  private listCells(): void {
    const { rank, next } = this;
    const n = this.vertexCount;
    const edges = new Uint32Array(rank * n);
    const squares = new Uint32Array(rank === 3 ? 3 * n : 0);
    const tops = new Uint32Array(n);
    let [e, q, t] = [0, 0, 0];
    this.topAt = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < rank; a++) if (next[rank * i + a] >= 0) edges[e++] = rank * i + a;
      if (rank === 3)
        for (let a = 0; a < 3; a++) {
          const b = next[3 * i + (a === 0 ? 1 : 0)];
          const c = a === 2 ? 1 : 2;
          if (b >= 0 && next[3 * i + c] >= 0 && next[3 * b + c] >= 0) squares[q++] = 3 * i + a;
        }
      if (this.topCorners(i, this.corners) > 0) {
        tops[t++] = i;
        this.topAt[i] = 1;
      }
    }
    this.edges = edges.subarray(0, e);
    this.facets = rank === 2 ? this.edges : squares.subarray(0, q);
    this.tops = tops.subarray(0, t);
    this.edgeNames = rank * n;
    this.facetNames = (rank === 2 ? 2 : 3) * n;
    this.edgeCount = e;
  }

  private readonly corners = new Int32Array(8);

  /**
   * Writes the vertices of the top with first vertex i into out, in increasing number, and
   * returns their count (4 or 8); 0 when some of them is not kept.
   */
  private topCorners(i: number, out: Int32Array): number {
    const { rank, next } = this;
    out[0] = i;
    let n = 1;
    for (let a = rank - 1; a >= 0; a--) {
      for (let j = 0; j < n; j++) {
        const w = next[rank * out[j] + a];
        if (w < 0) return 0;
        out[n + j] = w;
      }
      n *= 2;
    }
    return n;
  }

  /**
   * Labels the tops that are not kept by floor region: union-find over the grid's top positions
   * and the outside (the node `size`), joined across every facet with a vertex not kept; then the
   * roots are coded −(label + 1), the outside's label 0. Returns the number of labels.
   */
  private findFloorRegions(): number {
    const { rank, shape, strides, index, size, topAt } = this;
    const parent = this.region;
    const outside = size;
    const last = shape.map((s) => s - 2); // the largest coordinate of a top position
    const coord = new Int32Array(rank);
    const isFloorTop = (w: number) => index[w] < 0 || topAt[index[w]] === 0;
    // Pass 1: every top position not kept is its own root; the rest are never read.
    parent.fill(-1);
    parent[outside] = outside;
    forEachTop(coord, last, strides, (w) => {
      if (isFloorTop(w)) parent[w] = w;
    });
    // Pass 2: joins across the facets not kept, within the grid and onto the outside.
    const keptFacet = (u: number, normal: number) => {
      if (index[u] < 0) return false;
      for (let a = 0; a < rank; a++) if (a !== normal && index[u + strides[a]] < 0) return false;
      return rank === 2 || index[u + strides[0] + strides[1] + strides[2] - strides[normal]] >= 0;
    };
    const join = (x: number, y: number) => {
      const rx = find(parent, x);
      const ry = find(parent, y);
      if (rx !== ry) parent[rx < ry ? ry : rx] = rx < ry ? rx : ry;
    };
    forEachTop(coord, last, strides, (w) => {
      if (!isFloorTop(w)) return;
      for (let a = 0; a < rank; a++) {
        if (coord[a] === 0 && !keptFacet(w, a)) join(w, outside);
        const u = w + strides[a];
        if (!keptFacet(u, a)) join(w, coord[a] < last[a] ? u : outside);
      }
    });
    // Pass 3: point every floor top at its root, then code the roots (the outside's first).
    forEachTop(coord, last, strides, (w) => {
      if (isFloorTop(w)) parent[w] = find(parent, w);
    });
    const outsideRoot = find(parent, outside);
    parent[outside] = outsideRoot;
    parent[outsideRoot] = -1;
    let labels = 1;
    forEachTop(coord, last, strides, (w) => {
      if (parent[w] === w) parent[w] = -1 - labels++;
    });
    return labels;
  }

  /** The node of the top with first vertex w (a top position of the grid). */
  private topNode(w: number): number {
    const i = this.index[w];
    if (i >= 0 && this.topAt[i]) return i;
    const p = this.region[w];
    return this.vertexCount - 1 - (p < 0 ? p : this.region[p]);
  }

  edgeEnd(e: number): number {
    return this.next[e];
  }

  facetSide(c: number, side: 0 | 1): number {
    const i = this.rank === 3 ? (c / 3) | 0 : c >> 1;
    const normal = this.rank === 3 ? c - 3 * i : 1 - (c & 1);
    const v = this.vertex[i];
    if (side === 0) return this.room[i] & (8 << normal) ? this.topNode(v - this.strides[normal]) : this.vertexCount;
    return this.room[i] & (1 << normal) ? this.topNode(v) : this.vertexCount;
  }

  edgeValue(f: Float64Array, e: number): number {
    const x = f[(e / this.rank) | 0];
    const y = f[this.next[e]];
    return x > y ? x : y;
  }

  facetValue(f: Float64Array, c: number): number {
    return this.rank === 2 ? this.edgeValue(f, c) : this.squareValue3D(f, c);
  }

  squareValue3D(f: Float64Array, s: number): number {
    this.squareEdges(s, this.corners);
    const x = this.edgeValue(f, this.corners[0]); // (i, i + b)
    const y = this.edgeValue(f, this.corners[2]); // (i + c, i + b + c)
    return x > y ? x : y;
  }

  /** The edges of square 3i + a: (i, b), (i, c), (i + c, b), (i + b, c) for the axes b < c it spans. */
  squareEdges(s: number, out: Int32Array): void {
    const i = (s / 3) | 0;
    const a = s - 3 * i;
    const b = a === 0 ? 1 : 0;
    const c = a === 2 ? 1 : 2;
    out[0] = 3 * i + b;
    out[1] = 3 * i + c;
    out[2] = 3 * this.next[3 * i + c] + b;
    out[3] = 3 * this.next[3 * i + b] + c;
  }

  /** The top value of every node under f: kept tops their largest vertex, floor regions above every value, the outside +∞. */
  topValues(f: Float64Array, top: Float64Array): void {
    const corners = this.corners;
    for (const i of this.tops) {
      const n = this.topCorners(i, corners);
      let x = f[i];
      for (let j = 1; j < n; j++) if (f[corners[j]] > x) x = f[corners[j]];
      top[i] = x;
    }
    top.fill(Number.MAX_VALUE, this.floorFrom, this.nodeCount);
    top[this.vertexCount] = Infinity;
  }

  /** The flat index of the critical vertex (last of the largest value) of a kept cell; f by vertex number. */
  criticalVertex(f: Float64Array, dim: number, name: number, scratch: Int32Array): number {
    let n: number;
    if (dim === 0) {
      scratch[0] = name;
      n = 1;
    } else if (dim === 1) {
      scratch[0] = (name / this.rank) | 0;
      scratch[1] = this.next[name];
      n = 2;
    } else if (dim === this.rank) n = this.topCorners(name, scratch);
    else {
      const i = (name / 3) | 0;
      this.squareEdges(name, this.corners);
      scratch[0] = i;
      scratch[1] = this.next[this.corners[0]]; // i + b
      scratch[2] = this.next[this.corners[1]]; // i + c
      scratch[3] = this.next[this.corners[2]]; // i + b + c
      n = 4;
    }
    let best = scratch[0];
    for (let j = 1; j < n; j++) {
      const x = scratch[j];
      if (f[x] > f[best] || (f[x] === f[best] && x > best)) best = x;
    }
    return this.vertex[best];
  }
}

/** Calls visit(w) for every top position w of the grid (every coordinate ≤ last), coord holding its coordinates. */
function forEachTop(coord: Int32Array, last: number[], strides: Int32Array, visit: (w: number) => void): void {
  const rank = coord.length;
  coord.fill(0);
  if (last.some((x) => x < 0)) return;
  for (;;) {
    let w = 0;
    for (let a = 0; a < rank; a++) w += coord[a] * strides[a];
    visit(w);
    let a = rank - 1;
    while (a >= 0 && coord[a] === last[a]) coord[a--] = 0;
    if (a < 0) return;
    coord[a]++;
  }
}
