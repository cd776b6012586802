/**
 * The 1-skeleton of a Vietoris–Rips filtration: all pairwise distances, the edges kept under the
 * threshold sorted into the filtration's edge order, each edge's rank, and sparse neighbour lists.
 *
 * Edge order (the library's tie rule for Rips): by length, then by the colexicographic order of
 * the vertex pair, i.e. an edge {i, j} with i < j precedes {i', j'} of the same length when
 * j < j', or j = j' and i < i' (its combinatorial-number-system index j(j−1)/2 + i is smaller).
 * Computed by the toolkit's stable radix argsort of the lengths over the edges listed in
 * colexicographic order.
 */
import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { describe } from '../../base/checks.js';

/** Rank of a pair of vertices that is not an edge of the complex (and of the diagonal). */
export const NO_EDGE = 0x7fffffff;

/** Reusable working memory for the edges of Rips complexes on up to `n` points. */
export class RipsEdges {
  /** Number of points of the last load. */
  n = 0;
  /** Number of edges kept by the last `build`. */
  count = 0;
  /** distances[j(j−1)/2 + i] = d(i, j) for i < j (colexicographic lower triangle). */
  distances = new Float64Array(0);
  /** lengths[r] = length of the edge of rank r. */
  lengths = new Float64Array(0);
  /** vertexA[r] < vertexB[r]: the endpoints of the edge of rank r. */
  vertexA = new Int32Array(0);
  vertexB = new Int32Array(0);
  /** rank[i·n + j] = rank of edge {i, j}, NO_EDGE if it is not in the complex (or i = j). */
  rank = new Int32Array(0);
  /** neighbours[neighbourStart[v] .. neighbourStart[v+1]) = neighbours of v, ascending. */
  neighbourStart = new Int32Array(1);
  neighbours = new Int32Array(0);
  /** Same lists (same starts) ordered by edge rank: the neighbour, and the rank of the edge to it. */
  neighboursByRank = new Int32Array(0);
  neighbourRanks = new Int32Array(0);
  private fill = new Int32Array(0); // next free position per vertex while filling neighboursByRank
  private pairs = new Uint32Array(0); // j·n + i of each kept edge {i, j}, in colexicographic order
  private readonly sorter = new RadixArgsort();

  /** Euclidean distances of `n` points of dimension `d`, row-major in `points`, in float64. */
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
    const dist = this.distances;
    let p = 0;
    for (let j = 1; j < n; j++) {
      const oj = j * d;
      for (let i = 0; i < j; i++) {
        const oi = i * d;
        let s = 0;
        for (let k = 0; k < d; k++) {
          const t = points[oi + k] - points[oj + k];
          s += t * t;
        }
        // Squares overflow beyond ~1e154 and underflow below ~1e-154: recompute those scaled.
        dist[p++] = s < SAFE_SQUARES_MAX && s > SAFE_SQUARES_MIN ? Math.sqrt(s) : scaledDistance(points, oi, oj, d);
      }
    }
  }

  /** A full symmetric n×n distance matrix (row-major) with zero diagonal, checked. */
  loadDistances(matrix: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++) {
      const x = matrix[i * n + i];
      if (x !== 0) throw new Error(`distances: expected a zero diagonal, got ${describe(x)} at (${i}, ${i})`);
    }
    this.resize(n);
    const dist = this.distances;
    let p = 0;
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
        dist[p++] = x === 0 ? 0 : x; // −0 counts as 0
      }
    }
  }

  /**
   * min over vertices v of max over u of d(u, v): at this scale the complex is a cone over the
   * vertex attaining it, so truncating there changes no pair of positive length (as Ripser does).
   */
  enclosingRadius(): number {
    const n = this.n;
    const dist = this.distances;
    let best = Infinity;
    for (let v = 0; v < n; v++) {
      let far = 0;
      for (let u = 0; u < v; u++) {
        const x = dist[(v * (v - 1)) / 2 + u];
        if (x > far) far = x;
      }
      for (let u = v + 1; u < n; u++) {
        const x = dist[(u * (u - 1)) / 2 + v];
        if (x > far) far = x;
      }
      if (far < best) best = far;
    }
    return n < 2 ? 0 : best;
  }

  /** Keeps the edges of length ≤ threshold, sorts them, and fills ranks and neighbour lists. */
  build(threshold: number): void {
    const n = this.n;
    const dist = this.distances;
    const { lengths, pairs } = this;
    let e = 0;
    let p = 0;
    for (let j = 1; j < n; j++) {
      for (let i = 0; i < j; i++, p++) {
        const x = dist[p];
        if (!(x <= threshold)) continue;
        lengths[e] = x; // the sort's keys, overwritten in rank order below
        pairs[e] = j * n + i;
        e++;
      }
    }
    this.count = e;
    const sorted = this.sorter.sort(lengths, e, false, pairs, 'distances');

    const { vertexA, vertexB, rank } = this;
    rank.fill(NO_EDGE, 0, n * n);
    for (let r = 0; r < e; r++) {
      const code = sorted[r];
      const j = Math.floor(code / n);
      const i = code - j * n;
      vertexA[r] = i;
      vertexB[r] = j;
      lengths[r] = dist[(j * (j - 1)) / 2 + i];
      rank[i * n + j] = r;
      rank[j * n + i] = r;
    }

    // Neighbour lists, ascending: scan each row of the rank matrix.
    const start = this.neighbourStart;
    const nbr = this.neighbours;
    let q = 0;
    for (let v = 0; v < n; v++) {
      start[v] = q;
      const row = v * n;
      for (let u = 0; u < n; u++) if (rank[row + u] !== NO_EDGE) nbr[q++] = u;
    }
    start[n] = q;
    const fill = this.fill;
    const byRank = this.neighboursByRank;
    const ranks = this.neighbourRanks;
    fill.set(start.subarray(0, n));
    for (let r = 0; r < e; r++) {
      const i = vertexA[r];
      const j = vertexB[r];
      byRank[fill[i]] = j;
      ranks[fill[i]++] = r;
      byRank[fill[j]] = i;
      ranks[fill[j]++] = r;
    }
  }

  /** Makes room for n points and all n(n−1)/2 edges, reusing the buffers when they suffice. */
  private resize(n: number): void {
    this.n = n;
    const m = (n * (n - 1)) / 2;
    if (this.distances.length < m) {
      this.distances = new Float64Array(m);
      this.lengths = new Float64Array(m);
      this.vertexA = new Int32Array(m);
      this.vertexB = new Int32Array(m);
      this.pairs = new Uint32Array(m);
      this.neighbours = new Int32Array(2 * m);
      this.neighboursByRank = new Int32Array(2 * m);
      this.neighbourRanks = new Int32Array(2 * m);
    }
    if (this.rank.length < n * n) this.rank = new Int32Array(n * n);
    if (this.neighbourStart.length < n + 1) {
      this.neighbourStart = new Int32Array(n + 1);
      this.fill = new Int32Array(n + 1);
    }
  }
}

/** Range of Σ t² in which every term was computed without overflow or underflow. */
const SAFE_SQUARES_MAX = 2 ** 1000;
const SAFE_SQUARES_MIN = 2 ** -960;

/**
 * ‖x_i − x_j‖ without overflow or underflow, in 1-D the float64 |x_i − x_j| itself: the differences
 * are taken as they are (correctly rounded, subnormals included; no halving, which loses their last
 * bits) and divided by the power of two at most their largest magnitude (exact) before squaring. A
 * difference that overflows (coordinates of opposite sign near the float64 limit) means the distance
 * is beyond float64 too: that, like a distance that overflows once scaled back, is an error.
 */
function scaledDistance(points: ArrayLike<number>, oi: number, oj: number, d: number): number {
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
