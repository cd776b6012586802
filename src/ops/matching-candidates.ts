/**
 * The candidate pairs of a diagram matching: the pairs (A_i, B_j) cheaper to match than to send
 * both points to the diagonal, c(A_i, B_j) < c(A_i, Δ) + c(B_j, Δ). Only they can be needed by an
 * optimum (see src/ops/matching.ts), and near the diagonal they are few.
 *
 * They are listed row by row (one A point at a time) without scanning all n · m pairs. With r the
 * L_q distance of a point to the diagonal (so c(·, Δ) = r^p), a candidate has
 * ‖A_i − B_j‖_q < (r_i^p + r_j^p)^(1/p) ≤ r_i + r_j, hence |Δbirth| < r_i + r_j and
 * |Δdeath| < r_i + r_j (‖·‖_∞ ≤ ‖·‖_q). B is split into radius classes, class k holding the points
 * with r ∈ (R/2^(k+1), R/2^k] (R the largest radius), each sorted by birth: for A_i, class k can only
 * contribute births within r_i + R/2^k of A_i's, one binary search and a window scan per class. A
 * window is at most twice as wide as the births of its class's candidates can spread (r_j > R/2^(k+1)),
 * so on diagrams spread along the diagonal the work is close to the number of candidates plus
 * (number of classes) · log m per row, not n · m.
 */

// Hoisted once: a global lookup per call is slow inside vm contexts (jest runs tests in one).
const { abs, max, pow, sqrt, floor, log2 } = Math;

/** Classes below this one are lumped together (radii under R / 2^40, the diagonal itself included). */
const LAST_CLASS = 40;

/** x^p with the common orders exact and fast. */
function power(x: number, p: number): number {
  return p === 1 ? x : p === 2 ? x * x : pow(x, p);
}

/**
 * (dx, dy) ↦ ‖(dx, dy)‖_q^p, one flat closure per common (p, q): the candidate scan calls it for
 * every pair in reach, and a nested call there would cost as much as the rest of the test.
 */
function groundCost(p: number, q: number): (dx: number, dy: number) => number {
  if (q === Infinity) {
    if (p === 1) return (dx, dy) => max(abs(dx), abs(dy));
    if (p === 2) return (dx, dy) => max(dx * dx, dy * dy);
    return (dx, dy) => pow(max(abs(dx), abs(dy)), p);
  }
  if (q === 1) {
    if (p === 1) return (dx, dy) => abs(dx) + abs(dy);
    if (p === 2) return (dx, dy) => (abs(dx) + abs(dy)) * (abs(dx) + abs(dy));
    return (dx, dy) => pow(abs(dx) + abs(dy), p);
  }
  if (q === 2) {
    if (p === 1) return (dx, dy) => sqrt(dx * dx + dy * dy);
    if (p === 2) return (dx, dy) => dx * dx + dy * dy;
    return (dx, dy) => pow(sqrt(dx * dx + dy * dy), p);
  }
  // Scaled by the larger difference, so that a large q neither overflows nor underflows.
  return (dx, dy) => {
    const m = max(abs(dx), abs(dy));
    return m === 0 ? 0 : power(m * pow(pow(abs(dx) / m, q) + pow(abs(dy) / m, q), 1 / q), p);
  };
}

/** Lists the candidate partners of each A point (see the file header). */
export class CandidateFinder {
  /** c(A_i, Δ) and c(B_j, Δ). */
  readonly diagA: Float64Array;
  readonly diagB: Float64Array;
  readonly ground: (dx: number, dy: number) => number;
  private readonly a: ArrayLike<number>;
  private readonly p: number;
  private readonly radiusA: Float64Array;
  // B sorted by (class, birth): its index, birth, death, radius and diagonal cost in that order.
  private readonly order: Int32Array;
  private readonly births: Float64Array;
  private readonly deaths: Float64Array;
  private readonly radii: Float64Array;
  private readonly diagonals: Float64Array; // c(B_j, Δ)
  /** Class k is order[classStart[k] .. classStart[k + 1]); classRadius[k] bounds its radii. */
  private readonly classStart: Int32Array;
  private readonly classRadius: Float64Array;

  constructor(a: ArrayLike<number>, b: ArrayLike<number>, p: number, q: number) {
    const n = a.length / 2;
    const m = b.length / 2;
    this.a = a;
    this.p = p;
    this.ground = groundCost(p, q);
    const toDiagonal = pow(2, 1 / q - 1); // L_q distance to the diagonal per unit of |d − b|
    this.radiusA = new Float64Array(n);
    this.diagA = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.radiusA[i] = abs(a[2 * i + 1] - a[2 * i]) * toDiagonal;
      this.diagA[i] = power(this.radiusA[i], p);
    }
    const radiusB = new Float64Array(m);
    this.diagB = new Float64Array(m);
    let largest = 0;
    for (let j = 0; j < m; j++) {
      radiusB[j] = abs(b[2 * j + 1] - b[2 * j]) * toDiagonal;
      this.diagB[j] = power(radiusB[j], p);
      largest = max(largest, radiusB[j]);
    }

    this.classRadius = new Float64Array(LAST_CLASS + 1);
    for (let k = 0; k <= LAST_CLASS; k++) this.classRadius[k] = largest / 2 ** k;
    const classOf = new Int32Array(m);
    const classStart = new Int32Array(LAST_CLASS + 2);
    for (let j = 0; j < m; j++) {
      const r = radiusB[j];
      let k = r > 0 ? Math.min(LAST_CLASS, floor(log2(largest / r))) : LAST_CLASS;
      while (k > 0 && r > this.classRadius[k]) k--; // log2 may round across a class boundary
      classOf[j] = k;
      classStart[k + 1]++;
    }
    for (let k = 0; k <= LAST_CLASS; k++) classStart[k + 1] += classStart[k];
    this.classStart = classStart;
    const order = Int32Array.from({ length: m }, (_, j) => j);
    order.sort((x, y) => classOf[x] - classOf[y] || b[2 * x] - b[2 * y] || x - y);
    this.order = order;
    this.births = new Float64Array(m);
    this.deaths = new Float64Array(m);
    this.radii = new Float64Array(m);
    this.diagonals = new Float64Array(m);
    for (let s = 0; s < m; s++) {
      const j = order[s];
      this.births[s] = b[2 * j];
      this.deaths[s] = b[2 * j + 1];
      this.radii[s] = radiusB[j];
      this.diagonals[s] = this.diagB[j];
    }
  }

  /**
   * Writes A_i's candidate partners j to `cols` and the edge costs c(A_i, B_j) − c(B_j, Δ) (see
   * src/ops/matching.ts) to `costs`, both from index `at` on (room for m entries is needed), and
   * returns their number. The order is fixed by the input (class, then birth).
   *
   * `limit`: only the pairs of edge cost below it (a candidate's is below c(A_i, Δ)), found by the
   * same windows with A_i's radius replaced by limit^(1/p): c < limit + r_j^p implies
   * ‖A_i − B_j‖_q < limit^(1/p) + r_j (0 for limit ≤ 0).
   */
  candidatesOf(i: number, cols: Int32Array, costs: Float64Array, at = 0, limit = this.diagA[i]): number {
    const { births, deaths, radii, diagonals, order, classStart, classRadius, ground } = this;
    const birth = this.a[2 * i];
    const death = this.a[2 * i + 1];
    const diagonal = limit < this.diagA[i] ? limit : this.diagA[i];
    const radius =
      diagonal === this.diagA[i] ? this.radiusA[i] : diagonal > 0 ? pow(diagonal, 1 / this.p) * (1 + 2 ** -40) : 0;
    let count = at;
    for (let k = 0; k <= LAST_CLASS; k++) {
      const end = classStart[k + 1];
      if (classStart[k] === end) continue;
      // Widened by a relative 2^-40 so that rounding in the bounds never drops a window point.
      const reach = (radius + classRadius[k]) * (1 + 2 ** -40);
      let s = lowerBound(births, classStart[k], end, birth - reach);
      const last = birth + reach;
      for (; s < end && births[s] <= last; s++) {
        const r = radius + radii[s];
        const dx = birth - births[s];
        const dy = death - deaths[s];
        if (!(abs(dx) < r && abs(dy) < r)) continue;
        const c = ground(dx, dy);
        if (!(c < diagonal + diagonals[s])) continue;
        cols[count] = order[s];
        costs[count++] = c - diagonals[s];
      }
    }
    return count - at;
  }
}

/** First index s in [lo, hi) with sorted[s] ≥ x (hi if none). */
function lowerBound(sorted: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
