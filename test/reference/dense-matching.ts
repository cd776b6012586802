/**
 * Reference for the tests: the dense exact matching that src/ops/matching.ts used before the sparse
 * solver (kept verbatim apart from the argument checks and the size limit). The (n + m) × (n + m)
 * assignment problem of the diagonal reduction (Kerber, Morozov & Nigmetov 2017), solved by the
 * shortest augmenting path method of Jonker & Volgenant (1987) in Crouse's form (2016), O((n + m)³).
 * Independent of the library's sparse code: it shares no function with it.
 */

/** Optimal partial matching of A to B, as `matchDiagrams` returns it. */
export interface DenseMatching {
  cost: number;
  partnerOfA: Int32Array;
  partnerOfB: Int32Array;
}

// Hoisted once: a global lookup per call is slow inside vm contexts (jest runs tests in one).
const { abs, max, pow, sqrt } = Math;

/**
 * Optimal matching of diagram `a` to diagram `b` for the p-Wasserstein distance with the L_q ground
 * metric: point-to-point cost ‖(b1 − b2, d1 − d2)‖_q^p, point-to-diagonal cost
 * (|d − b| · 2^(1/q − 1))^p, i.e. the L_q distance to the closest diagonal point. `cost` is
 * W_p(a, b)^p. Ties are broken deterministically (lowest index first), so the result is reproducible.
 * No argument checks: the tests pass valid diagrams.
 */
export function denseMatchDiagrams(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { p?: number; internalP?: number } = {},
): DenseMatching {
  const p = options.p ?? 2;
  const q = options.internalP ?? Infinity;
  const n = a.length / 2;
  const m = b.length / 2;

  const ground = groundCost(p, q);
  const toDiagonal = pow(2, 1 / q - 1); // L_q distance to the diagonal per unit of |d − b|
  const diagA = new Float64Array(n); // diagA[i]: cost of sending A_i to the diagonal
  const diagB = new Float64Array(m); // diagB[j]: cost of sending B_j to the diagonal
  for (let i = 0; i < n; i++) diagA[i] = power(abs(a[2 * i + 1] - a[2 * i]) * toDiagonal, p);
  for (let j = 0; j < m; j++) diagB[j] = power(abs(b[2 * j + 1] - b[2 * j]) * toDiagonal, p);
  const pointCost = new Float64Array(n * m); // pointCost[i * m + j]: cost of matching A_i with B_j
  for (let i = 0; i < n; i++) {
    const ab = a[2 * i];
    const ad = a[2 * i + 1];
    for (let j = 0; j < m; j++) pointCost[i * m + j] = ground(ab - b[2 * j], ad - b[2 * j + 1]);
  }

  const colOfRow = solveAssignment(n, m, pointCost, diagA, diagB);

  const partnerOfA = new Int32Array(n).fill(-1);
  const partnerOfB = new Int32Array(m).fill(-1);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = colOfRow[i];
    if (j < m) {
      partnerOfA[i] = j;
      partnerOfB[j] = i;
      cost += pointCost[i * m + j];
    } else {
      cost += diagA[i];
    }
  }
  for (let j = 0; j < m; j++) if (partnerOfB[j] < 0) cost += diagB[j];
  return { cost, partnerOfA, partnerOfB };
}

/** x^p with the common orders exact and fast. */
function power(x: number, p: number): number {
  return p === 1 ? x : p === 2 ? x * x : pow(x, p);
}

/** (dx, dy) ↦ ‖(dx, dy)‖_q^p. */
function groundCost(p: number, q: number): (dx: number, dy: number) => number {
  if (q === Infinity) return (dx, dy) => power(max(abs(dx), abs(dy)), p);
  if (q === 1) return (dx, dy) => power(abs(dx) + abs(dy), p);
  if (q === 2) {
    if (p === 2) return (dx, dy) => dx * dx + dy * dy;
    return (dx, dy) => power(sqrt(dx * dx + dy * dy), p);
  }
  return (dx, dy) => power(pow(pow(abs(dx), q) + pow(abs(dy), q), 1 / q), p);
}

/**
 * Minimum-cost perfect assignment of the (n + m) × (n + m) matrix described in the header, by
 * shortest augmenting paths (Jonker–Volgenant / Crouse). Returns colOfRow. Duals u, v keep every
 * reduced cost c(i, j) − u[i] − v[j] ≥ 0, with equality on assigned pairs.
 */
function solveAssignment(
  n: number,
  m: number,
  pointCost: Float64Array,
  diagA: Float64Array,
  diagB: Float64Array,
): Int32Array {
  const N = n + m;
  const u = new Float64Array(N); // u[i]: dual of row i
  const v = new Float64Array(N); // v[j]: dual of column j
  const colOfRow = new Int32Array(N).fill(-1); // colOfRow[i]: column assigned to row i, or -1
  const rowOfCol = new Int32Array(N).fill(-1); // rowOfCol[j]: row assigned to column j, or -1
  const shortest = new Float64Array(N); // shortest[j]: length of the shortest path found to column j
  const pathRow = new Int32Array(N); // pathRow[j]: row preceding column j on that path
  const scannedCol = new Uint8Array(N); // scannedCol[j]: column j's distance is final
  const scannedRows = new Int32Array(N); // rows reached by the current search, in order

  // Column reduction (JV phase 1): v[j] = min_i c(i, j) with u = 0 is dual feasible; assign the
  // column to a minimizing row when one is free (ties: free rows first, then lowest index).
  for (let j = 0; j < N; j++) {
    let best = Infinity;
    let bestRow = -1;
    let bestFree = false;
    for (let i = 0; i < N; i++) {
      const c = cost(i, j);
      const free = colOfRow[i] < 0;
      if (c < best || (c === best && free && !bestFree)) {
        best = c;
        bestRow = i;
        bestFree = free;
      }
    }
    v[j] = best;
    if (bestFree) {
      colOfRow[bestRow] = j;
      rowOfCol[j] = bestRow;
    }
  }

  // Augmentation (JV phase 4): Dijkstra from each free row over reduced costs until a free column.
  for (let start = 0; start < N; start++) {
    if (colOfRow[start] >= 0) continue;
    shortest.fill(Infinity);
    scannedCol.fill(0);
    let scannedCount = 0;
    let minVal = 0; // distance to the last column made final
    let i = start;
    let sink = -1;
    while (sink < 0) {
      scannedRows[scannedCount++] = i;
      // Relax the edges out of row i and pick the closest unscanned column in the same pass.
      // Row i's costs: the B block reads pointCost (A rows) or diagB (diagonal rows); the
      // diagonal block is one constant.
      const src = i < n ? pointCost : diagB;
      const offset = i < n ? i * m : 0;
      const diagonalCost = i < n ? diagA[i] : 0;
      const base = minVal - u[i];
      let lowest = Infinity;
      let next = -1;
      let nextFree = false;
      for (let j = 0; j < N; j++) {
        if (scannedCol[j]) continue;
        let s = shortest[j];
        const d = base + (j < m ? src[offset + j] : diagonalCost) - v[j];
        if (d < s) {
          shortest[j] = s = d;
          pathRow[j] = i;
        }
        // Ties go to a free column (the search ends sooner), then to the lowest index.
        if (s < lowest || (s === lowest && !nextFree && rowOfCol[j] < 0)) {
          lowest = s;
          next = j;
          nextFree = rowOfCol[j] < 0;
        }
      }
      if (next < 0) throw new Error('matchDiagrams: internal error, no augmenting path');
      minVal = lowest;
      scannedCol[next] = 1;
      if (nextFree) sink = next;
      else i = rowOfCol[next];
    }

    // Dual update keeps reduced costs ≥ 0 and makes the new path tight.
    u[start] += minVal;
    for (let k = 1; k < scannedCount; k++) {
      const r = scannedRows[k];
      u[r] += minVal - shortest[colOfRow[r]];
    }
    for (let j = 0; j < N; j++) if (scannedCol[j]) v[j] -= minVal - shortest[j];

    // Flip the path: each row on it takes the column that follows it.
    let j = sink;
    for (;;) {
      const r = pathRow[j];
      rowOfCol[j] = r;
      const previous = colOfRow[r];
      colOfRow[r] = j;
      if (r === start) break;
      j = previous;
    }
  }
  return colOfRow;

  function cost(i: number, j: number): number {
    if (i < n) return j < m ? pointCost[i * m + j] : diagA[i];
    return j < m ? diagB[j] : 0;
  }
}
