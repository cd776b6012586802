/**
 * The 1-skeleton of a Vietoris–Rips filtration: all pairwise distances, the edges kept under the
 * threshold sorted into the filtration's edge order, each edge's rank, and sparse neighbour lists.
 *
 * Edge order (the library's tie rule for Rips): by length, then by the colexicographic order of
 * the vertex pair, i.e. an edge {i, j} with i < j precedes {i', j'} of the same length when
 * j < j', or j = j' and i < i' (its combinatorial-number-system index j(j−1)/2 + i is smaller).
 * Computed by a stable LSD radix sort of the float64 lengths (non-negative, so their IEEE bit
 * patterns order like the values) over the edges listed in colexicographic order.
 */

/** Rank of a pair of vertices that is not an edge of the complex (and of the diagonal). */
export const NO_EDGE = 0x7fffffff;

const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;
const DIGIT_MASK = DIGITS - 1;

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
  private keyHi = new Uint32Array(0); // radix sort: high word of the length, per slot
  private keyLo = new Uint32Array(0); // low word
  private payload = new Uint32Array(0); // j·n + i of the edge in the slot
  private tmpHi = new Uint32Array(0);
  private tmpLo = new Uint32Array(0);
  private tmpPayload = new Uint32Array(0);
  private readonly counts = new Uint32Array(DIGITS);
  private readonly f64 = new Float64Array(1);
  private readonly f64Words = new Uint32Array(this.f64.buffer);

  /** Euclidean distances of `n` points of dimension `d`, row-major in `points`, in float64. */
  loadPoints(points: ArrayLike<number>, n: number, d: number): void {
    for (let k = 0; k < n * d; k++) {
      const x = points[k];
      if (typeof x !== 'number' || x - x !== 0) {
        throw new Error(`points: expected finite numbers, got ${x} at index ${k} (point ${Math.floor(k / d)})`);
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
        dist[p++] = Math.sqrt(s);
      }
    }
  }

  /** A full symmetric n×n distance matrix (row-major) with zero diagonal, checked. */
  loadDistances(matrix: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++) {
      const x = matrix[i * n + i];
      if (x !== 0) throw new Error(`distances: expected a zero diagonal, got ${x} at (${i}, ${i})`);
    }
    this.resize(n);
    const dist = this.distances;
    let p = 0;
    for (let j = 1; j < n; j++) {
      for (let i = 0; i < j; i++) {
        const x = matrix[j * n + i];
        if (typeof x !== 'number' || x - x !== 0 || x < 0) {
          throw new Error(`distances: expected finite non-negative numbers, got ${x} at (${j}, ${i})`);
        }
        const y = matrix[i * n + j];
        if (x !== y) {
          throw new Error(`distances: expected a symmetric matrix, got ${y} at (${i}, ${j}) but ${x} at (${j}, ${i})`);
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
    const { f64, f64Words } = this;
    let e = 0;
    let p = 0;
    for (let j = 1; j < n; j++) {
      for (let i = 0; i < j; i++, p++) {
        const x = dist[p];
        if (!(x <= threshold)) continue;
        f64[0] = x;
        this.keyLo[e] = f64Words[0];
        this.keyHi[e] = f64Words[1];
        this.payload[e] = j * n + i;
        e++;
      }
    }
    this.count = e;
    this.sortEdges(e);

    const { payload, lengths, vertexA, vertexB, rank } = this;
    rank.fill(NO_EDGE, 0, n * n);
    for (let r = 0; r < e; r++) {
      const code = payload[r];
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

  /** Stable LSD radix sort of slots 0..count−1 by (keyHi, keyLo), carrying the payload. */
  private sortEdges(count: number): void {
    let hi = this.keyHi;
    let lo = this.keyLo;
    let pay = this.payload;
    let tHi = this.tmpHi;
    let tLo = this.tmpLo;
    let tPay = this.tmpPayload;
    const counts = this.counts;
    for (let pass = 0; pass < 4; pass++) {
      const onHi = pass >= 2;
      const key = onHi ? hi : lo;
      const shift = (pass & 1) * DIGIT_BITS;
      counts.fill(0);
      for (let k = 0; k < count; k++) counts[(key[k] >>> shift) & DIGIT_MASK]++;
      if (count === 0 || counts[(key[0] >>> shift) & DIGIT_MASK] === count) continue; // one digit
      let sum = 0;
      for (let b = 0; b < DIGITS; b++) {
        const c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (let k = 0; k < count; k++) {
        const slot = counts[(key[k] >>> shift) & DIGIT_MASK]++;
        tHi[slot] = hi[k];
        if (!onHi) tLo[slot] = lo[k];
        tPay[slot] = pay[k];
      }
      [hi, tHi] = [tHi, hi];
      if (!onHi) [lo, tLo] = [tLo, lo];
      [pay, tPay] = [tPay, pay];
    }
    // Keep the buffers under their names; the sorted payload is what later steps read.
    this.keyHi = hi;
    this.tmpHi = tHi;
    this.keyLo = lo;
    this.tmpLo = tLo;
    this.payload = pay;
    this.tmpPayload = tPay;
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
      this.keyHi = new Uint32Array(m);
      this.keyLo = new Uint32Array(m);
      this.payload = new Uint32Array(m);
      this.tmpHi = new Uint32Array(m);
      this.tmpLo = new Uint32Array(m);
      this.tmpPayload = new Uint32Array(m);
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
