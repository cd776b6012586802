/**
 * Exact optimal matching between two persistence diagrams (the p-Wasserstein distance).
 *
 * A partial matching of A (n points) to B (m points), where any point may go to the diagonal Δ, is
 * classically an assignment problem of size n + m with a dense block of diagonal copies (Kerber,
 * Morozov & Nigmetov, "Geometry helps to compare persistence diagrams", 2017). Two exact facts make
 * it small and sparse here:
 *
 * 1. Pruning. A pair with c(a, b) ≥ c(a, Δ) + c(b, Δ) can be replaced in any matching by two
 *    diagonal moves at no extra cost, so some optimum uses only the *candidate* pairs,
 *    c(a, b) < c(a, Δ) + c(b, Δ) (src/ops/matching-candidates.ts lists them without scanning all
 *    n · m pairs). Near the diagonal, where noise lives, almost every pair is pruned.
 * 2. No diagonal copies. Subtracting the constant Σ_B c(b, Δ), a matching costs
 *    Σ_{matched (a, b)} [c(a, b) − c(b, Δ)] + Σ_{a left out} c(a, Δ): B points left out cost nothing
 *    more. That is a rectangular assignment of the rows A to the columns B along the candidate
 *    edges, every row having a private way out at cost c(a, Δ) — its diagonal.
 *
 * The assignment is solved exactly by successive shortest paths (src/ops/sparse-assignment.ts),
 * whose duals u (rows) and v (columns) certify optimality: c(a, b) − c(b, Δ) − u_a − v_b ≥ 0 on
 * every candidate pair. A point far from the diagonal has many candidates (every point within its
 * reach) and a search through it relaxes them all, so a row with more than `ALL_EDGES` first keeps
 * only its `KEPT_EDGES` nearest, plus the pairs in which it is among a column's `KEPT_EDGES`
 * nearest such rows. After the solve, the pairs left out are checked against the duals; the most
 * negative ones are added and the problem solved again, warm from the previous solution, until no
 * pair is negative. The duals are then feasible for every candidate pair, so by LP duality the
 * optimum of the restricted graph is one of the full problem (the pricing step of column
 * generation). The smaller diagram gives the rows, since there is one search per row. The
 * returned cost is re-summed from the matching in the original terms, without the subtraction.
 *
 * Memory: 12 bytes per edge of the graph solved, at most `MAX_MATCHING_SIZE` edges.
 */

import { checkOptions, describe } from '../base/checks.js';
import { withRoom } from '../persistence/toolkit/growable.js';
import { CandidateFinder } from './matching-candidates.js';
import { SLACK, solveSparseAssignment, SparseAssignment, SparseAssignmentProblem } from './sparse-assignment.js';

/**
 * Optimal partial matching of diagram A to diagram B where any point may go to the diagonal.
 *
 * @category Functionals
 */
export interface DiagramMatching {
  /** p-th power of the p-Wasserstein distance: the total cost of the matching. */
  cost: number;
  /** For each point of A: index of its partner in B, or -1 when matched to the diagonal. */
  partnerOfA: Int32Array;
  /** For each point of B: index of its partner in A, or -1. */
  partnerOfB: Int32Array;
}

/**
 * Options of `matchDiagrams`: the Wasserstein order and the ground metric.
 *
 * @category Functionals
 */
export interface MatchingOptions {
  /** Wasserstein order p ≥ 1 (default 2). */
  p?: number;
  /** Ground metric between points: the L_q norm with q = internalP (default Infinity, as GUDHI's wasserstein_distance). */
  internalP?: number;
}

/**
 * Largest number of candidate pairs (pairs cheaper to match than to send both points to the
 * diagonal) that `matchDiagrams` holds as edges at once: 2^26, about 800 MB.
 */
export const MAX_MATCHING_SIZE = 2 ** 26;

/**
 * A row (a point of the smaller diagram) keeps all its candidate pairs when it has at most
 * `ALL_EDGES`; else only its `KEPT_EDGES` nearest, plus the pairs for which it is among a column's
 * `KEPT_EDGES` nearest such rows, and it is checked after each solve, which adds at most
 * `KEPT_EDGES` pairs to it. Points far from the diagonal have many candidates (all the points
 * within reach); a search through a row relaxes all its edges, so such rows would make every
 * search long.
 */
const ALL_EDGES = 64;
const KEPT_EDGES = 24;

/**
 * Optimal matching of diagram `a` to diagram `b` for the p-Wasserstein distance with the L_q ground
 * metric: point-to-point cost ‖(b1 − b2, d1 − d2)‖_q^p, point-to-diagonal cost
 * (|d − b| · 2^(1/q − 1))^p, i.e. the L_q distance to the closest diagonal point. `cost` is
 * W_p(a, b)^p. Exact (see the file header); ties are broken deterministically, so the result is
 * reproducible.
 *
 * @param a interleaved (birth, death) pairs [b0, d0, b1, d1, ...], finite values only.
 * @param b the same for the second diagram.
 * @throws Error naming the argument on odd lengths, non-finite values, p < 1 or q < 1, and when
 *   the solve needs more than `MAX_MATCHING_SIZE` candidate pairs at once.
 * @example
 * ```js
 * // a: (0, 1) and (0, 0.1); b: (0, 1.2)
 * const m = matchDiagrams([0, 1, 0, 0.1], [0, 1.2], { p: 1 });
 * // m.partnerOfA → [0, -1]: (0, 1) goes to (0, 1.2), the short-lived (0, 0.1) to the diagonal
 * // m.cost → 0.25 (up to rounding) = |1 − 1.2| + 0.1 / 2, in the L∞ ground metric
 * ```
 * @category Functionals
 */
export function matchDiagrams(a: ArrayLike<number>, b: ArrayLike<number>, options?: MatchingOptions): DiagramMatching {
  return matchWith(a, b, options, { allEdges: ALL_EDGES, keptEdges: KEPT_EDGES, maxEdges: MAX_MATCHING_SIZE });
}

/**
 * `matchDiagrams` with other graph sizes (internal, for tests: `allEdges` 0 and a small
 * `keptEdges` run the checks and warm restarts round after round on small diagrams; a small
 * `maxEdges` the memory limit's error).
 */
export function matchWith(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MatchingOptions | undefined,
  sizes: GraphSizes,
): DiagramMatching {
  checkDiagram(a, 'a');
  checkDiagram(b, 'b');
  const { p = 2, internalP } = checkOptions(options, 'options', ['p', 'internalP']);
  const q = internalP ?? Infinity;
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 1) {
    throw new Error(`options.p: expected a finite number ≥ 1, got ${describe(p)}`);
  }
  if (typeof q !== 'number' || Number.isNaN(q) || q < 1) {
    throw new Error(`options.internalP: expected a number ≥ 1 or Infinity, got ${describe(q)}`);
  }
  if (a.length > b.length) {
    const swapped = optimalMatching(b, a, p, q, sizes);
    return { cost: swapped.cost, partnerOfA: swapped.partnerOfB, partnerOfB: swapped.partnerOfA };
  }
  return optimalMatching(a, b, p, q, sizes);
}

/** How large the graph may be (see `ALL_EDGES`, `KEPT_EDGES`, `MAX_MATCHING_SIZE`). */
export interface GraphSizes {
  allEdges: number;
  keptEdges: number;
  maxEdges: number;
}

/** `matchDiagrams` on checked arguments, a (the rows) no larger than b. */
function optimalMatching(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  p: number,
  q: number,
  sizes: GraphSizes,
): DiagramMatching {
  const n = a.length / 2;
  const m = b.length / 2;
  const finder = new CandidateFinder(a, b, p, q);
  const scratch = { cols: new Int32Array(m), costs: new Float64Array(m) };
  const { problem: first, complete } = firstGraph(finder, n, m, scratch, sizes);
  let problem = first;
  let solution = solveSparseAssignment(problem);
  const redo = new Uint8Array(n);
  while (complete.includes(0)) {
    const grown = withNegativePairs(finder, problem, solution, complete, scratch, sizes, redo);
    if (grown === null) break;
    problem = grown;
    solution = solveSparseAssignment(problem, { solution, redo });
  }

  const { diagA, diagB, ground } = finder;
  const partnerOfA = new Int32Array(n).fill(-1);
  const partnerOfB = new Int32Array(m).fill(-1);
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = solution.colOfRow[i];
    if (j >= 0) {
      partnerOfA[i] = j;
      partnerOfB[j] = i;
      cost += ground(a[2 * i] - b[2 * j], a[2 * i + 1] - b[2 * j + 1]);
    } else {
      cost += diagA[i];
    }
  }
  for (let j = 0; j < m; j++) if (partnerOfB[j] < 0) cost += diagB[j];
  return { cost, partnerOfA, partnerOfB };
}

/** Reusable buffers of one row's candidates (m entries each). */
interface Scratch {
  cols: Int32Array;
  costs: Float64Array;
}

/** CSR edge lists in growable typed arrays, filled row by row. */
class EdgeLists {
  readonly rowStart: Int32Array;
  cols = new Int32Array(1024);
  costs = new Float64Array(1024);
  count = 0;

  constructor(
    private readonly rows: number,
    private readonly colCount: number,
    private readonly maxEdges: number,
  ) {
    this.rowStart = new Int32Array(rows + 1);
  }

  /** Room for `extra` more edges. */
  reserve(extra: number): void {
    this.cols = withRoom(this.cols, this.count + extra, this.count);
    this.costs = withRoom(this.costs, this.count + extra, this.count);
  }

  push(col: number, cost: number): void {
    if (this.count === this.cols.length) this.reserve(1);
    this.cols[this.count] = col;
    this.costs[this.count++] = cost;
  }

  /** Closes the last row; refuses a graph over the memory limit. */
  problem(out: Float64Array): SparseAssignmentProblem {
    if (this.count > this.maxEdges) throw tooManyCandidates(this.rows, this.colCount, this.maxEdges);
    const { rows, rowStart } = this;
    rowStart[rows] = this.count;
    return { rows, cols: this.colCount, rowStart, edgeCol: this.cols, edgeCost: this.costs, out };
  }
}

/**
 * The first graph (see `ALL_EDGES`): all candidates of the rows that have few, the nearest ones of
 * the others. Nearest by c(a, b) itself: ranking by the edge cost c(a, b) − c(b, Δ) would send
 * every row to the same few columns far from the diagonal. `complete[i]`: row i holds all its
 * candidates, so no check can add to it.
 */
function firstGraph(
  finder: CandidateFinder,
  n: number,
  m: number,
  { cols, costs }: Scratch,
  { allEdges, keptEdges, maxEdges }: GraphSizes,
): { problem: SparseAssignmentProblem; complete: Uint8Array } {
  const { diagA, diagB } = finder;
  const K = keptEdges;
  const complete = new Uint8Array(n);
  const whole = new EdgeLists(n, m, maxEdges); // the rows kept whole, in order
  const rowKept = new TopLists(n, K);
  const colKept = new TopLists(m, K); // among the rows not kept whole
  for (let i = 0; i < n; i++) {
    whole.rowStart[i] = whole.count;
    const count = finder.candidatesOf(i, cols, costs);
    if (count <= allEdges) {
      complete[i] = 1;
      for (let k = 0; k < count; k++) whole.push(cols[k], costs[k]);
      continue;
    }
    const rowWorst = rowKept.worst;
    const colWorst = colKept.worst;
    for (let k = 0; k < count; k++) {
      const j = cols[k];
      const distance = costs[k] + diagB[j];
      if (distance < rowWorst[i]) rowKept.offer(i, distance, j, costs[k]);
      if (distance < colWorst[j]) colKept.offer(j, distance, i, costs[k]);
    }
  }
  whole.rowStart[n] = whole.count;
  // Row i's edges: whole, or its own nearest, then the columns that kept it and are not among them.
  const byRow = colKept.transpose(n);
  const edges = new EdgeLists(n, m, maxEdges);
  const stamp = new Int32Array(m).fill(-1);
  for (let i = 0; i < n; i++) {
    edges.rowStart[i] = edges.count;
    if (complete[i]) {
      for (let e = whole.rowStart[i]; e < whole.rowStart[i + 1]; e++) edges.push(whole.cols[e], whole.costs[e]);
      continue;
    }
    for (let s = i * K, end = s + rowKept.size[i]; s < end; s++) {
      stamp[rowKept.id[s]] = i;
      edges.push(rowKept.id[s], rowKept.value[s]);
    }
    for (let s = byRow.start[i]; s < byRow.start[i + 1]; s++) {
      if (stamp[byRow.id[s]] !== i) edges.push(byRow.id[s], byRow.value[s]);
    }
  }
  return { problem: edges.problem(diagA), complete };
}

/**
 * For each of a number of owners, the (at most) k entries of smallest key offered to it, each with
 * an id and a value, in no particular order: a max-heap of size k per owner (a scan in birth order
 * offers ever nearer points, and sorted insertion would shift the whole list each time). Among
 * equal keys the earlier offer stays. Flat typed arrays, owner o's entries at o · k.
 */
class TopLists {
  readonly key: Float64Array;
  readonly id: Int32Array;
  readonly value: Float64Array;
  readonly size: Int32Array;
  /** worst[o]: the key an offer to o must beat (its largest key when full, else Infinity). */
  readonly worst: Float64Array;

  constructor(
    owners: number,
    private readonly k: number,
  ) {
    this.key = new Float64Array(owners * k);
    this.id = new Int32Array(owners * k);
    this.value = new Float64Array(owners * k);
    this.size = new Int32Array(owners);
    this.worst = new Float64Array(owners).fill(k > 0 ? Infinity : -Infinity);
  }

  /** Offers an entry; callers skip the call when `key < worst[owner]` fails (most offers, in a scan). */
  offer(owner: number, key: number, id: number, value: number): void {
    const { k, key: keys, id: ids, value: values, size, worst } = this;
    if (!(key < worst[owner])) return;
    const base = owner * k;
    if (size[owner] < k) {
      // Sift up from the new last slot.
      let s = size[owner]++;
      while (s > 0) {
        const parent = (s - 1) >> 1;
        if (!(keys[base + parent] < key)) break;
        keys[base + s] = keys[base + parent];
        ids[base + s] = ids[base + parent];
        values[base + s] = values[base + parent];
        s = parent;
      }
      keys[base + s] = key;
      ids[base + s] = id;
      values[base + s] = value;
    } else {
      // Replace the largest (the root) and sift down.
      let s = 0;
      for (;;) {
        let child = 2 * s + 1;
        if (child >= k) break;
        if (child + 1 < k && keys[base + child + 1] > keys[base + child]) child++;
        if (!(keys[base + child] > key)) break;
        keys[base + s] = keys[base + child];
        ids[base + s] = ids[base + child];
        values[base + s] = values[base + child];
        s = child;
      }
      keys[base + s] = key;
      ids[base + s] = id;
      values[base + s] = value;
    }
    if (size[owner] === k) worst[owner] = keys[base];
  }

  /** Empties owner o's list. */
  clear(owner: number): void {
    this.size[owner] = 0;
    this.worst[owner] = this.k > 0 ? Infinity : -Infinity;
  }

  /** The entries grouped by id (ids < `ids`) as CSR: for each id, the owners that kept it, ascending, with the values. */
  transpose(ids: number): { start: Int32Array; id: Int32Array; value: Float64Array } {
    const { k, size } = this;
    const start = new Int32Array(ids + 1);
    for (let o = 0; o < size.length; o++) for (let s = o * k; s < o * k + size[o]; s++) start[this.id[s] + 1]++;
    for (let x = 0; x < ids; x++) start[x + 1] += start[x];
    const next = start.slice(0, ids);
    const id = new Int32Array(start[ids]);
    const value = new Float64Array(start[ids]);
    for (let o = 0; o < size.length; o++) {
      for (let s = o * k; s < o * k + size[o]; s++) {
        const at = next[this.id[s]]++;
        id[at] = o;
        value[at] = this.value[s];
      }
    }
    return { start, id, value };
  }
}

/**
 * The graph plus, for each row not `complete`, its (at most `keptEdges`) candidate pairs of most
 * negative reduced cost c − u_i − v_j under the solution's duals; null when no pair outside the
 * graph is negative — then the duals are feasible for every candidate pair and the solution is
 * optimal for the full problem. Sets `redo` on the rows that got pairs, and clears it elsewhere.
 */
function withNegativePairs(
  finder: CandidateFinder,
  problem: SparseAssignmentProblem,
  { u, v }: SparseAssignment,
  complete: Uint8Array,
  { cols, costs }: Scratch,
  { keptEdges, maxEdges }: GraphSizes,
  redo: Uint8Array,
): SparseAssignmentProblem | null {
  const { rows, rowStart, edgeCol, edgeCost } = problem;
  const inGraph = new Int32Array(problem.cols).fill(-1); // inGraph[j] === i: (i, j) is an edge
  const negative = new TopLists(1, keptEdges); // this row's most negative pairs
  const edges = new EdgeLists(rows, problem.cols, maxEdges);
  let added = 0;
  for (let i = 0; i < rows; i++) {
    edges.rowStart[i] = edges.count;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) edges.push(edgeCol[e], edgeCost[e]);
    redo[i] = 0;
    if (complete[i]) continue;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) inGraph[edgeCol[e]] = i;
    // Negative needs an edge cost below u_i + v_j ≤ u_i: only those pairs are listed.
    const ui = u[i];
    const count = finder.candidatesOf(i, cols, costs, 0, ui);
    negative.clear(0);
    for (let k = 0; k < count; k++) {
      const j = cols[k];
      const reduced = costs[k] - ui - v[j];
      if (!(reduced < 0) || inGraph[j] === i || !(reduced < negative.worst[0])) continue;
      if (reduced < -SLACK * (Math.abs(costs[k]) + Math.abs(ui) + Math.abs(v[j]))) {
        negative.offer(0, reduced, j, costs[k]);
      }
    }
    for (let s = 0; s < negative.size[0]; s++) edges.push(negative.id[s], negative.value[s]);
    if (negative.size[0] > 0) redo[i] = 1;
    added += negative.size[0];
  }
  return added > 0 ? edges.problem(problem.out) : null;
}

function tooManyCandidates(n: number, m: number, maxEdges: number): Error {
  return new Error(
    `matchDiagrams: diagrams of ${n} + ${m} points need more than ${maxEdges} candidate pairs ` +
      '(pairs cheaper to match than to send both points to the diagonal) in memory at once; match fewer ' +
      'points, e.g. the most persistent ones, or split the diagrams into regions',
  );
}

function checkDiagram(x: ArrayLike<number>, name: string): void {
  if (x == null || typeof x.length !== 'number') {
    throw new Error(`${name}: expected an array of interleaved (birth, death) pairs`);
  }
  if (x.length % 2 !== 0) {
    throw new Error(`${name}: expected interleaved (birth, death) pairs, got odd length ${x.length}`);
  }
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(
        `${name}: expected finite values, got ${describe(v)} at index ${k} ` +
          `(point ${k >> 1}, ${k % 2 === 0 ? 'birth' : 'death'}); remove essential classes first`,
      );
    }
  }
}
