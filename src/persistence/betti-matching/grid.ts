/**
 * What the sweeps and reductions of a Betti matching need of a cubical complex whose cells are
 * named as VertexGrid names them: the whole grid (VertexGrid), or the part of it a threshold
 * keeps (SparseGrid), whose vertices are renumbered in order.
 */
export interface CubicalCells {
  readonly rank: 2 | 3;
  /** Vertices are 0 .. vertexCount − 1. */
  readonly vertexCount: number;
  /** Nodes of the duality sweep: the tops by name, the outside and, in a sparse complex, the floor regions. */
  readonly nodeCount: number;
  /** Nodes from this one on are floor regions: the classes that close there die at the floor. */
  readonly floorFrom: number;
  /** Number of edges. */
  readonly edgeCount: number;
  /** Size of the name space of facets. */
  readonly facetNames: number;
  /** The second vertex of edge e (the first is ⌊e / rank⌋). */
  edgeEnd(e: number): number;
  /** The node on side 0 (below) or 1 (above) of facet c across its normal. */
  facetSide(c: number, side: 0 | 1): number;
  edgeValue(f: Float64Array, e: number): number;
  facetValue(f: Float64Array, c: number): number;
  squareValue3D(f: Float64Array, s: number): number;
  /** Writes the names of the four edges of square s of a volume into out. */
  squareEdges(s: number, out: Int32Array): void;
  criticalVertex(f: Float64Array, dim: number, name: number, scratch: Int32Array): number;
}

/** Cells of one kind in filtration order: names, and the value of each. */
export interface SortedCells {
  readonly order: Uint32Array;
  readonly values: Float64Array;
}

/**
 * The cubical complex of a 2-D `[H, W]` or 3-D `[D, H, W]` array whose entries are its vertices
 * (the V construction: every cell takes the largest value of its vertices), with the cells named
 * as the reference code (Betti-Matching-3D) names them, by their first vertex v (flat C-order
 * index) and a type:
 *
 * - vertex: v;
 * - edge from v along axis a: `rank·v + a`;
 * - square: `v` in 2-D; `3v + a` in 3-D, where a is the axis it does not span (its normal);
 * - cube (3-D): `v`.
 *
 * The filtration orders the cells of one dimension by (value, name): the reference's order, so
 * that its pairs, critical cells and matches are reproduced exactly, ties included.
 *
 * Facets are the cells of dimension rank − 1 (edges in 2-D, squares in 3-D) and tops those of
 * dimension rank (squares in 2-D, cubes in 3-D). A facet with first vertex v lies between the tops
 * v − s and v across its normal (stride s; a 2-D edge's normal is the other axis), the outside —
 * the extra node `outside = size` of the duality sweeps — standing in for either where v has no
 * predecessor, resp. no successor, along the normal.
 */
export class VertexGrid implements CubicalCells {
  readonly rank: 2 | 3;
  /** Number of vertices (input entries). */
  readonly size: number;
  /** The node standing for everything beyond the box in the duality sweeps (= size). */
  readonly outside: number;
  /** Flat index step along each axis. */
  readonly strides: Int32Array;
  /** Per vertex: bit a when it has a successor along axis a, bit 3 + a when it has a predecessor. */
  readonly room: Uint8Array;
  /** The edges, by increasing name. */
  readonly edges: Uint32Array;
  /** The facets (edges in 2-D, squares in 3-D), by increasing name. */
  readonly facets: Uint32Array;
  /** The tops (squares in 2-D, cubes in 3-D), by increasing name. */
  readonly tops: Uint32Array;
  /** Size of the name space of edges (rank·size) and of facets (2·size in 2-D, 3·size in 3-D). */
  readonly edgeNames: number;
  readonly facetNames: number;
  readonly vertexCount: number;
  readonly nodeCount: number;
  readonly floorFrom: number;
  readonly edgeCount: number;

  constructor(readonly shape: readonly number[]) {
    this.rank = shape.length as 2 | 3;
    const r = this.rank;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.outside = this.size;
    this.strides = Int32Array.from(shape, (_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
    this.room = new Uint8Array(this.size);
    for (let v = 0; v < this.size; v++) {
      let bits = 0;
      for (let a = 0; a < r; a++) {
        const c = Math.floor(v / this.strides[a]) % shape[a];
        if (c < shape[a] - 1) bits |= 1 << a;
        if (c > 0) bits |= 8 << a;
      }
      this.room[v] = bits;
    }
    this.edgeNames = r * this.size;
    this.facetNames = (r === 2 ? 2 : 3) * this.size;
    const all = (1 << r) - 1;
    const edges: number[] = [];
    const squares: number[] = [];
    const tops: number[] = [];
    for (let v = 0; v < this.size; v++) {
      const bits = this.room[v];
      for (let a = 0; a < r; a++) if (bits & (1 << a)) edges.push(r * v + a);
      if (r === 3)
        for (let a = 0; a < 3; a++) {
          const spanned = all & ~(1 << a);
          if ((bits & spanned) === spanned) squares.push(3 * v + a);
        }
      if ((bits & all) === all) tops.push(v);
    }
    this.edges = Uint32Array.from(edges);
    this.facets = r === 2 ? this.edges : Uint32Array.from(squares);
    this.tops = Uint32Array.from(tops);
    this.vertexCount = this.size;
    this.nodeCount = this.size + 1;
    this.floorFrom = this.nodeCount; // no floor
    this.edgeCount = this.edges.length;
  }

  edgeEnd(e: number): number {
    const v = (e / this.rank) | 0;
    return v + this.strides[e - this.rank * v];
  }

  facetSide(c: number, side: 0 | 1): number {
    const v = this.rank === 3 ? (c / 3) | 0 : c >> 1;
    const normal = this.rank === 3 ? c - 3 * v : 1 - (c & 1);
    if (side === 0) return this.room[v] & (8 << normal) ? v - this.strides[normal] : this.outside;
    return this.room[v] & (1 << normal) ? v : this.outside;
  }

  squareEdges(s: number, out: Int32Array): void {
    const v = (s / 3) | 0;
    const a = s - 3 * v;
    const b = a === 0 ? 1 : 0; // the two axes the square spans, b < c
    const c = a === 2 ? 1 : 2;
    out[0] = 3 * v + b;
    out[1] = 3 * v + c;
    out[2] = 3 * (v + this.strides[c]) + b;
    out[3] = 3 * (v + this.strides[b]) + c;
  }

  /** Value of edge e. */
  edgeValue(f: Float64Array, e: number): number {
    const r = this.rank;
    const v = (e / r) | 0;
    const x = f[v];
    const y = f[v + this.strides[e - r * v]];
    return x > y ? x : y;
  }

  /** Value of facet c (an edge in 2-D, a square in 3-D). */
  facetValue(f: Float64Array, c: number): number {
    return this.rank === 2 ? this.edgeValue(f, c) : this.squareValue3D(f, c);
  }

  /** Value of square 3v + a of a volume. */
  squareValue3D(f: Float64Array, s: number): number {
    const v = (s / 3) | 0;
    const a = s - 3 * v;
    const sb = this.strides[a === 0 ? 1 : 0];
    const sc = this.strides[a === 2 ? 1 : 2];
    return max4(f[v], f[v + sb], f[v + sc], f[v + sb + sc]);
  }

  /**
   * Writes the vertices of the cell of dimension `dim` named `name` into `out` (up to 8), in
   * increasing index; returns their count.
   */
  cellVertices(dim: number, name: number, out: Int32Array): number {
    const r = this.rank;
    const s = this.strides;
    if (dim === 0) {
      out[0] = name;
      return 1;
    }
    if (dim === 1) {
      const v = (name / r) | 0;
      out[0] = v;
      out[1] = v + s[name - r * v];
      return 2;
    }
    if (dim === 2) {
      let v = name;
      let sb = s[0];
      let sc = s[1];
      if (r === 3) {
        v = (name / 3) | 0;
        const a = name - 3 * v;
        sb = s[a === 0 ? 1 : 0];
        sc = s[a === 2 ? 1 : 2];
      }
      out[0] = v;
      out[1] = v + sc;
      out[2] = v + sb;
      out[3] = v + sb + sc;
      return 4;
    }
    let n = 0;
    for (const dz of [0, s[0]]) for (const dy of [0, s[1]]) for (const dx of [0, 1]) out[n++] = name + dz + dy + dx;
    return n;
  }

  /**
   * The vertex whose value the cell takes: among its vertices of the largest f, the last one
   * (largest index) — its last vertex in the order (value, index).
   */
  criticalVertex(f: Float64Array, dim: number, name: number, scratch: Int32Array): number {
    const n = this.cellVertices(dim, name, scratch);
    let best = scratch[0];
    for (let i = 1; i < n; i++) if (f[scratch[i]] >= f[best]) best = scratch[i];
    return best;
  }
}

function max4(a: number, b: number, c: number, d: number): number {
  const x = a > b ? a : b;
  const y = c > d ? c : d;
  return x > y ? x : y;
}
