/**
 * The 1-skeleton of a Vietoris–Rips filtration: the edges kept under the threshold, sorted into
 * the filtration's edge order, each edge's rank by its endpoints, and neighbour lists.
 *
 * Edge order (the library's tie rule for Rips): by length, then by the colexicographic order of
 * the vertex pair, i.e. an edge {i, j} with i < j precedes {i', j'} of the same length when
 * j < j', or j = j' and i < i' (its combinatorial-number-system index j(j−1)/2 + i is smaller).
 * Computed by the toolkit's stable radix argsort of the lengths over the kept edges listed in
 * colexicographic order.
 *
 * Memory is linear in the kept edges, as in Ripser's sparse mode: distances are computed one row
 * at a time and only those under the threshold are stored. The rank of an edge given its
 * endpoints is read from an n×n matrix when that is small or the complex dense, else from a hash
 * table over the kept edges.
 */
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { withRoom } from '../toolkit/growable.js';
import { NO_EDGE, RankMatrix, RankTable } from './edge-ranks.js';
import { describe } from '../../base/checks.js';

/** Up to this many points the rank lookup is the n×n matrix whatever the density (16 MB). */
const MATRIX_RANKS_UP_TO = 2048;
/** Beyond this many points the n×n matrix has more than 2³¹ − 1 entries. */
const MAX_MATRIX_POINTS = 46340;
/** Edges kept at most (the neighbour lists hold two entries per edge). */
const MAX_EDGES = 2 ** 30;

/** Reusable working memory for the edges of Rips complexes. */
export class RipsEdges {
  /** Number of points of the last load. */
  n = 0;
  /** Number of edges kept by the last `build`. */
  count = 0;
  /** lengths[r] = length of the edge of rank r. */
  lengths = new Float64Array(0);
  /** vertexA[r] < vertexB[r]: the endpoints of the edge of rank r. */
  vertexA = new Int32Array(0);
  vertexB = new Int32Array(0);
  /** neighbours[neighbourStart[v] .. neighbourStart[v+1]) = neighbours of v, ascending. */
  neighbourStart = new Int32Array(1);
  neighbours = new Int32Array(0);
  /** neighbourEdges[k] = rank of the edge to neighbours[k]. */
  neighbourEdges = new Int32Array(0);
  /** Same lists (same starts) ordered by edge rank: the neighbour, and the rank of the edge to it. */
  neighboursByRank = new Int32Array(0);
  neighbourRanks = new Int32Array(0);
  /** Where edge r sits in those lists: at positionA[r] in vertexA[r]'s, at positionB[r] in vertexB[r]'s. */
  positionA = new Int32Array(0);
  positionB = new Int32Array(0);
  /**
   * Which `ranks` a build makes: 'auto' (the default) takes the n×n matrix up to 2048 points or when
   * at least one pair in eight is an edge (then it is no larger than the table), else the table.
   * Either gives the same ranks; the tests force both.
   */
  rankLookup: 'auto' | 'matrix' | 'table' = 'auto';
  /**
   * The ranks of the last build by key i·n + j: the n×n matrix `rankRows` (read it directly: the
   * hot loops hoist it), or null when they are in `rankTable`. See `rankAt` in cohomology.ts.
   */
  rankRows: Int32Array | null = null;
  readonly rankTable = new RankTable();
  private readonly rankMatrix = new RankMatrix();
  private coordinates = new Float64Array(0); // the points, row-major n × dimension (loadPoints)
  private dimension = 0; // 0 when the distances come from a matrix (loadDistances)
  private matrix: ArrayLike<number> = []; // the distance matrix of the last loadDistances, while building
  private row = new Float64Array(0); // d(i, j) for i < j of the row j being read
  private farthest = new Float64Array(0); // max over u of d(u, v) so far, for the enclosing radius
  private colexLengths = new Float64Array(0); // lengths of the kept edges in colexicographic order
  private colexPairs = new Uint32Array(0); // j·n + i of each kept edge {i, j}, same order
  private colexRanks = new Int32Array(0); // their ranks
  private fill = new Int32Array(0); // next free position per vertex (or slab) while filling lists
  private slabOf = new Int32Array(0); // slabOf[v]: the slab of point v along the axis of largest extent
  private slabStart = new Int32Array(1); // slabPoints[slabStart[b] .. slabStart[b+1]): the points of slab b, ascending
  private slabPoints = new Int32Array(0);
  private slabs = 0;
  private readonly sorter = new RadixArgsort();

  /** n points of dimension `d`, row-major in `points`; distances are Euclidean, in float64. */
  loadPoints(points: ArrayLike<number>, n: number, d: number): void {
    for (let k = 0; k < n * d; k++) {
      const x = points[k];
      if (typeof x !== 'number' || x - x !== 0) {
        throw new Error(
          `points: expected finite numbers, got ${describe(x)} at index ${k} (point ${Math.floor(k / d)})`,
        );
      }
    }
    this.resize(n);
    this.coordinates = withRoom(this.coordinates, n * d, 0);
    for (let k = 0; k < n * d; k++) this.coordinates[k] = points[k];
    this.dimension = d;
  }

  /** A full symmetric n×n distance matrix (row-major) with zero diagonal, checked. */
  loadDistances(matrix: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++) {
      const x = matrix[i * n + i];
      if (x !== 0) throw new Error(`distances: expected a zero diagonal, got ${describe(x)} at (${i}, ${i})`);
    }
    for (let j = 1; j < n; j++) {
      for (let i = 0; i < j; i++) {
        const x = matrix[j * n + i];
        if (typeof x !== 'number' || x - x !== 0 || x < 0) {
          throw new Error(`distances: expected finite non-negative numbers, got ${describe(x)} at (${j}, ${i})`);
        }
        const y = matrix[i * n + j];
        if (x !== y) {
          throw new Error(
            `distances: expected a symmetric matrix, got ${describe(y)} at (${i}, ${j}) but ${x} at (${j}, ${i})`,
          );
        }
      }
    }
    this.resize(n);
    this.matrix = matrix;
    this.dimension = 0;
  }

  /**
   * Keeps the edges of length ≤ threshold — by default ≤ the enclosing radius min_v max_u d(u, v),
   * at which the complex is a cone over the vertex attaining it, so that truncating there changes
   * no pair of positive length (as Ripser does) — sorts them, and fills ranks and neighbour lists.
   */
  build(threshold?: number): void {
    if (this.dimension > 0 && threshold !== undefined && threshold < Infinity && this.bucketPoints(threshold)) {
      this.collectNearEdges(threshold);
    } else {
      this.collectAllPairs(threshold === undefined);
      this.keepPairsUpTo(threshold ?? this.enclosingRadius());
    }
    this.matrix = [];
    this.reserveEdges(this.count);
    const { n, count, colexLengths, colexPairs, colexRanks, vertexA, vertexB, lengths } = this;
    const order = this.sorter.sort(colexLengths, count, false, undefined, 'distances');
    const byTable = !this.useMatrix();
    const start = this.neighbourStart;
    start.fill(0, 0, n + 1);
    for (let r = 0; r < count; r++) {
      const e = order[r];
      const code = colexPairs[e];
      const j = Math.floor(code / n);
      const i = code - j * n;
      vertexA[r] = i;
      vertexB[r] = j;
      lengths[r] = colexLengths[e];
      if (byTable) colexRanks[e] = r;
      start[i + 1]++;
      start[j + 1]++;
    }
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    (byTable ? this.rankTable : this.rankMatrix).index(n, count, vertexA, vertexB);
    this.rankRows = byTable ? null : this.rankMatrix.rows;
    this.fillNeighbourLists();
  }

  /** Fills the neighbour lists, ascending and by rank, from the ranks (after `indexRanks`). */
  private fillNeighbourLists(): void {
    const { n, count, vertexA, vertexB, fill, neighbourStart: start } = this;
    const { neighbours, neighbourEdges, neighboursByRank, neighbourRanks, positionA, positionB } = this;
    const rank = this.rankRows;
    if (rank !== null) {
      // Each row of the rank matrix, ascending.
      let q = 0;
      for (let v = 0, row = 0; v < n; v++, row += n) {
        for (let u = 0; u < n; u++) {
          const r = rank[row + u];
          if (r === NO_EDGE) continue;
          neighbours[q] = u;
          neighbourEdges[q++] = r;
        }
      }
    } else {
      // In colexicographic order, v's neighbours i < v come (as {i, v}) before those j > v (as
      // {v, j}), each ascending.
      const { colexPairs, colexRanks } = this;
      fill.set(start.subarray(0, n));
      for (let e = 0; e < count; e++) {
        const code = colexPairs[e];
        const j = Math.floor(code / n);
        const i = code - j * n;
        neighbourEdges[fill[i]] = colexRanks[e];
        neighbours[fill[i]++] = j;
        neighbourEdges[fill[j]] = colexRanks[e];
        neighbours[fill[j]++] = i;
      }
    }
    fill.set(start.subarray(0, n));
    for (let r = 0; r < count; r++) {
      const i = vertexA[r];
      const j = vertexB[r];
      positionA[r] = fill[i];
      neighboursByRank[fill[i]] = j;
      neighbourRanks[fill[i]++] = r;
      positionB[r] = fill[j];
      neighboursByRank[fill[j]] = i;
      neighbourRanks[fill[j]++] = r;
    }
  }

  /** Distances d(i, j), i < j, into `row`, from the points or the matrix. */
  private readRow(j: number): void {
    const { row, dimension: d } = this;
    if (d === 0) {
      const m = this.matrix;
      const o = j * this.n;
      for (let i = 0; i < j; i++) {
        const x = m[o + i];
        row[i] = x === 0 ? 0 : x; // −0 counts as 0
      }
      return;
    }
    const points = this.coordinates;
    for (let i = 0; i < j; i++) row[i] = pointDistance(points, i * d, j * d, d);
  }

  /** Every pair's distance at its colexicographic index; each vertex's farthest point when asked. */
  private collectAllPairs(trackFarthest: boolean): void {
    const { n, row, farthest } = this;
    const m = (n * (n - 1)) / 2;
    if (this.colexLengths.length < m) {
      this.colexLengths = new Float64Array(m); // exactly: no doubling
      this.colexPairs = new Uint32Array(m);
    }
    const all = this.colexLengths;
    if (trackFarthest) farthest.fill(0, 0, n);
    for (let j = 1, p = 0; j < n; j++) {
      this.readRow(j);
      let far = 0;
      for (let i = 0; i < j; i++, p++) {
        const x = row[i];
        all[p] = x;
        if (trackFarthest) {
          if (x > far) far = x;
          if (x > farthest[i]) farthest[i] = x;
        }
      }
      if (trackFarthest && far > farthest[j]) farthest[j] = far;
    }
  }

  /** Keeps the pairs of length ≤ keep among all pairs, in place, and names them. */
  private keepPairsUpTo(keep: number): void {
    const { n, colexLengths, colexPairs } = this;
    let e = 0;
    for (let j = 1, p = 0; j < n; j++) {
      for (let i = 0; i < j; i++, p++) {
        const x = colexLengths[p];
        if (!(x <= keep)) continue;
        colexLengths[e] = x;
        colexPairs[e++] = j * n + i;
      }
    }
    this.count = e;
  }

  /**
   * Sorts the points into slabs of width ≥ threshold along the axis of largest extent, each slab's
   * points ascending, so that an edge joins points of the same or adjacent slabs. False when the
   * extent overflows float64 (then every pair is read).
   */
  private bucketPoints(threshold: number): boolean {
    const { n, dimension: d, coordinates } = this;
    let axis = 0;
    let low = 0;
    let extent = -1;
    for (let k = 0; k < d; k++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let o = k; o < n * d; o += d) {
        const x = coordinates[o];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (hi - lo > extent) [axis, low, extent] = [k, lo, hi - lo];
    }
    if (!(extent < Infinity)) return false;
    // The margin keeps rounding in (x − low) / width from separating points closer than threshold.
    const width = Math.max(threshold, extent / n) * (1 + 1e-6);
    const slabs = Math.floor(extent / width) + 1; // ≤ n + 1
    const { slabOf } = this;
    const start = (this.slabStart = withRoom(this.slabStart, slabs + 1, 0));
    start.fill(0, 0, slabs + 1);
    for (let v = 0; v < n; v++) {
      const b = Math.min(slabs - 1, Math.floor((coordinates[v * d + axis] - low) / width));
      slabOf[v] = b;
      start[b + 1]++;
    }
    for (let b = 0; b < slabs; b++) start[b + 1] += start[b];
    const fill = this.fill;
    fill.set(start.subarray(0, slabs));
    for (let v = 0; v < n; v++) this.slabPoints[fill[slabOf[v]]++] = v;
    this.slabs = slabs;
    return true;
  }

  /**
   * Stores the edges of length ≤ threshold in colexicographic order, reading for each point j
   * only the points i < j of its own and the adjacent slabs, merged in ascending order.
   */
  private collectNearEdges(threshold: number): void {
    const { n, dimension: d, coordinates, slabOf, slabStart, slabPoints, slabs } = this;
    let e = 0;
    for (let j = 1; j < n; j++) {
      const b = slabOf[j];
      // Three ascending lists: slabs b − 1, b, b + 1 (empty where they do not exist).
      let p0 = b > 0 ? slabStart[b - 1] : 0;
      const end0 = b > 0 ? slabStart[b] : 0;
      let p1 = slabStart[b];
      const end1 = slabStart[b + 1];
      let p2 = b + 1 < slabs ? slabStart[b + 1] : 0;
      const end2 = b + 1 < slabs ? slabStart[b + 2] : 0;
      for (;;) {
        const i0 = p0 < end0 ? slabPoints[p0] : n;
        const i1 = p1 < end1 ? slabPoints[p1] : n;
        const i2 = p2 < end2 ? slabPoints[p2] : n;
        let i: number;
        if (i0 < i1 && i0 < i2) {
          i = i0;
          p0++;
        } else if (i1 < i2) {
          i = i1;
          p1++;
        } else {
          i = i2;
          p2++;
        }
        if (i >= j) break;
        const x = pointDistance(coordinates, i * d, j * d, d);
        if (!(x <= threshold)) continue;
        if (e === this.colexLengths.length) this.growEdges(e + 1);
        this.colexLengths[e] = x;
        this.colexPairs[e] = j * n + i;
        e++;
      }
    }
    this.count = e;
  }

  /** min over v of the farthest point from v (0 for one point). */
  private enclosingRadius(): number {
    let best = Infinity;
    for (let v = 0; v < this.n; v++) if (this.farthest[v] < best) best = this.farthest[v];
    return this.n < 2 ? 0 : best;
  }

  /** Whether the ranks go into the n×n matrix (else the hash table), as `rankLookup` asks. */
  private useMatrix(): boolean {
    const { n, count, rankLookup } = this;
    if (n > MAX_MATRIX_POINTS) return false;
    if (rankLookup === 'auto') return n <= MATRIX_RANKS_UP_TO || 8 * count >= n * n;
    return rankLookup === 'matrix';
  }

  /** Room for at least `need` kept edges in the colexicographic arrays. */
  private growEdges(need: number): void {
    if (need > MAX_EDGES) {
      throw new Error(
        `options.threshold: expected at most ${MAX_EDGES} edges under it, got more at ${this.n} points; lower the threshold`,
      );
    }
    this.colexLengths = withRoom(this.colexLengths, need);
    this.colexPairs = withRoom(this.colexPairs, need);
  }

  /** Room for the kept edges in the arrays by rank and the neighbour lists. */
  private reserveEdges(count: number): void {
    if (this.lengths.length >= count) return;
    this.lengths = new Float64Array(count);
    this.vertexA = new Int32Array(count);
    this.vertexB = new Int32Array(count);
    this.colexRanks = new Int32Array(count);
    this.neighbours = new Int32Array(2 * count);
    this.neighbourEdges = new Int32Array(2 * count);
    this.neighboursByRank = new Int32Array(2 * count);
    this.neighbourRanks = new Int32Array(2 * count);
    this.positionA = new Int32Array(count);
    this.positionB = new Int32Array(count);
  }

  /** Makes room for n points; the edge arrays grow as edges are kept. */
  private resize(n: number): void {
    this.n = n;
    if (this.row.length < n) {
      this.row = new Float64Array(n);
      this.farthest = new Float64Array(n);
      this.neighbourStart = new Int32Array(n + 1);
      this.fill = new Int32Array(n + 1);
      this.slabOf = new Int32Array(n);
      this.slabPoints = new Int32Array(n);
    }
  }
}
/** Range of Σ t² in which every term was computed without overflow or underflow. */
const SAFE_SQUARES_MAX = 2 ** 1000;
const SAFE_SQUARES_MIN = 2 ** -960;

/** ‖x_i − x_j‖ of the points at offsets oi and oj of `points` (dimension d), in float64. */
function pointDistance(points: Float64Array, oi: number, oj: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = points[oi + k] - points[oj + k];
    s += t * t;
  }
  // Squares overflow beyond ~1e154 and underflow below ~1e-154: recompute those scaled.
  return s < SAFE_SQUARES_MAX && s > SAFE_SQUARES_MIN ? Math.sqrt(s) : scaledDistance(points, oi, oj, d);
}

/**
 * ‖x_i − x_j‖ without overflow or underflow, in 1-D the float64 |x_i − x_j| itself: the differences
 * are taken as they are (correctly rounded, subnormals included; no halving, which loses their last
 * bits) and divided by the power of two at most their largest magnitude (exact) before squaring. A
 * difference that overflows (coordinates of opposite sign near the float64 limit) means the distance
 * is beyond float64 too: that, like a distance that overflows once scaled back, is an error.
 */
function scaledDistance(points: Float64Array, oi: number, oj: number, d: number): number {
  let largest = 0;
  for (let k = 0; k < d; k++) {
    const t = Math.abs(points[oi + k] - points[oj + k]);
    if (t === Infinity) throw distanceOverflow(oi / d, oj / d);
    if (t > largest) largest = t;
  }
  if (largest === 0) return 0;
  const scale = powerOfTwoAtMost(largest);
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = (points[oi + k] - points[oj + k]) / scale; // exact (or negligible when it underflows): |t| < 2
    s += t * t;
  }
  const distance = Math.sqrt(s) * scale;
  if (distance === Infinity) throw distanceOverflow(oi / d, oj / d);
  return distance;
}

function distanceOverflow(i: number, j: number): Error {
  return new Error(
    `points: the distance between points ${i} and ${j} exceeds the largest float64 (about 1.8e308); rescale the points`,
  );
}

const float64Bits = new DataView(new ArrayBuffer(8));

/** The largest power of two ≤ x, for a positive finite x (subnormal or not), read off its bits. */
function powerOfTwoAtMost(x: number): number {
  const bits = float64Bits;
  bits.setFloat64(0, x);
  const high = bits.getUint32(0); // sign (0), 11 exponent bits, top 20 mantissa bits
  const low = bits.getUint32(4);
  const exponent = high >>> 20;
  if (exponent > 0) {
    bits.setUint32(0, exponent << 20); // a normal number: keep the exponent, clear the mantissa
    bits.setUint32(4, 0);
  } else if (high !== 0) {
    bits.setUint32(0, 1 << (31 - Math.clz32(high))); // a subnormal: keep its leading mantissa bit
    bits.setUint32(4, 0);
  } else {
    bits.setUint32(0, 0);
    bits.setUint32(4, 1 << (31 - Math.clz32(low))); // 2^31 wraps to −2^31, stored as 2^31
  }
  return bits.getFloat64(0);
}
