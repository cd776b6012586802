import { MinHeap } from '../persistence/toolkit/heap.js';

/**
 * Sparse rectangular assignment with a private way out for every row, solved exactly by successive
 * shortest paths, with warm restarts when edges are added.
 *
 * Problem: rows 0..n−1, shared columns 0..m−1, a sparse set of edges (row i, column j) with costs
 * c(i, j) of any sign, and for every row i a cost out(i) of taking its own private column instead
 * (a column no other row can take). Assign every row to one of its edges or to its way out, each
 * shared column at most once, at minimum total cost. Its linear program has duals u (rows) and
 * v ≤ 0 (shared columns; the private ones keep v = 0): an assignment is optimal when every reduced
 * cost c(i, j) − u(i) − v(j) and out(i) − u(i) is ≥ 0, assigned ones are 0, and free columns have
 * v = 0 (complementary slackness).
 *
 * Method (the Hungarian method as successive shortest paths: Kuhn 1955, Jonker & Volgenant 1987;
 * Ahuja, Magnanti & Orlin, "Network Flows", 1993, ch. 9 and 12). Rows are placed one by one, each
 * by a Dijkstra search from it over reduced costs, through assigned columns to the rows holding
 * them, until the closest free end: a free column, or the way out of a row reached on the way
 * (which leaves its column and goes out). The duals of what the search settled then move by their
 * distance to that end, which keeps every reduced cost ≥ 0 and makes the new path tight.
 *
 * Warm restart (after edges were added): the rows with a negative new edge are taken off their
 * columns and placed again as above. A column so freed may keep v < 0 — a *hole*, against
 * complementary slackness. Each hole is then filled by the mirror search: Dijkstra from the hole
 * over the rows with an edge into it, the hole moving to the column of a row that would take its
 * place, until the closest end — a column whose v may be raised to 0 (it stays free) or an out
 * row that comes in. The same dual argument, mirrored, keeps every reduced cost ≥ 0.
 *
 * Sparsity is what makes this fast: a row that went out is never reached by a forward search (only
 * it has an edge to its private column), and a search stops at its first free end, keeping no
 * label past the closest end seen, so it visits only the rows that compete for the same columns.
 * The frontier is a binary heap with lazy deletion; only the touched entries are reset. Ties go
 * deterministically (a way out before a column at the same distance; equal distances in the
 * heap's fixed order), so equal inputs give equal assignments.
 */
export interface SparseAssignmentProblem {
  rows: number;
  cols: number;
  /** Row i's edges are rowStart[i] .. rowStart[i + 1] − 1 (CSR); length rows + 1. */
  rowStart: Int32Array;
  /** Column of each edge. */
  edgeCol: Int32Array;
  /** Cost of each edge. */
  edgeCost: Float64Array;
  /** out[i]: cost of row i's private way out. */
  out: Float64Array;
}

export interface SparseAssignment {
  /** Column of each row, or −1 when it takes its way out. */
  colOfRow: Int32Array;
  /** Row of each shared column, or −1 when free. */
  rowOfCol: Int32Array;
  /** Row duals: c(i, j) − u(i) − v(j) ≥ 0 on every edge and out(i) − u(i) ≥ 0, equality where assigned. */
  u: Float64Array;
  /** Column duals, ≤ 0, and 0 on free columns. */
  v: Float64Array;
}

/**
 * Reduced costs below −SLACK · (|c| + |u| + |v|) count as negative: rounding leaves the duals'
 * tight edges a few ulps either side of 0. Accepting −SLACK per row costs at most that fraction.
 */
export const SLACK = 1e-12;

/**
 * The optimal assignment of `problem` (see the file header), with the duals that certify it.
 * `warm`: an optimal solution of the same problem with fewer edges, reused in place, and the rows
 * that have a new edge of negative reduced cost under its duals (the other new edges must be ≥ 0).
 */
export function solveSparseAssignment(
  problem: SparseAssignmentProblem,
  warm?: { solution: SparseAssignment; redo: Uint8Array },
): SparseAssignment {
  const { rows, cols } = problem;
  const solution = warm?.solution ?? {
    colOfRow: new Int32Array(rows).fill(-1),
    rowOfCol: new Int32Array(cols).fill(-1),
    u: new Float64Array(rows),
    v: new Float64Array(cols),
  };
  const { colOfRow, rowOfCol, v } = solution;
  // All taken off before any search: a search must not relax a negative edge of a row it reaches.
  const redo = warm?.redo ?? new Uint8Array(rows).fill(1);
  for (let i = 0; i < rows; i++) {
    if (!redo[i] || colOfRow[i] < 0) continue;
    rowOfCol[colOfRow[i]] = -1; // a hole if its v < 0
    colOfRow[i] = -1;
  }
  const solver = new Solver(problem, solution);
  for (let i = 0; i < rows; i++) if (redo[i]) solver.placeRow(i);
  if (warm) {
    for (let j = 0; j < cols; j++) if (rowOfCol[j] < 0 && v[j] < 0) solver.fillHole(j);
  }
  return solution;
}

/** The search state of one problem, shared by its searches and reset after each. */
class Solver {
  private readonly label: Float64Array; // tentative distance of each column
  private readonly pathRow: Int32Array; // forward: the row that gave a column its label
  private readonly prevCol: Int32Array; // mirror: the column the holder of a column moves to
  private readonly final: Uint8Array; // the label is final (popped from the heap)
  private readonly touched: Int32Array; // columns labelled by this search
  private touchedCount = 0;
  private readonly reached: Int32Array; // forward: rows relaxed by this search, the start first
  private readonly heap = new MinHeap(64);
  /** Mirror searches: the edges into each column (CSR by column: their rows and edge indices). */
  private colStart: Int32Array | null = null;
  private colEdge: Int32Array | null = null;
  private colRow: Int32Array | null = null;

  constructor(
    private readonly problem: SparseAssignmentProblem,
    private readonly solution: SparseAssignment,
  ) {
    const { rows, cols } = problem;
    this.label = new Float64Array(cols).fill(Infinity);
    this.pathRow = new Int32Array(cols);
    this.prevCol = new Int32Array(cols);
    this.final = new Uint8Array(cols);
    this.touched = new Int32Array(cols);
    this.reached = new Int32Array(rows);
  }

  /** Places the unassigned row `start` by a forward search (see the file header). */
  placeRow(start: number): void {
    const { rowStart, edgeCol, edgeCost, out } = this.problem;
    const { colOfRow, rowOfCol, u, v } = this.solution;
    const { label, pathRow, final, touched, reached, heap } = this;
    if (rowStart[start] === rowStart[start + 1]) {
      u[start] = out[start]; // no edge: straight out, tight
      return;
    }
    heap.size = 0;
    let touchedCount = 0;
    let reachedCount = 0;
    let bestOut = Infinity; // distance of the closest way out seen, and its row
    let bestOutRow = -1;
    let bound = Infinity; // distance of the closest free end seen (column or way out)
    let sinkCol = -1;
    let row = start;
    let rowDistance = 0;
    u[start] = 0;
    for (;;) {
      reached[reachedCount++] = row;
      const base = rowDistance - u[row];
      if (base + out[row] < bestOut) {
        bestOut = base + out[row];
        bestOutRow = row;
        if (bestOut < bound) bound = bestOut;
      }
      for (let e = rowStart[row], end = rowStart[row + 1]; e < end; e++) {
        const j = edgeCol[e];
        const d = base + edgeCost[e] - v[j];
        // A label at or past the closest free end seen can never be settled: none is kept.
        if (d < label[j] && d < bound && !final[j]) {
          if (label[j] === Infinity) touched[touchedCount++] = j;
          label[j] = d;
          pathRow[j] = row;
          heap.push(d, j);
          if (rowOfCol[j] < 0) bound = d;
        }
      }
      const next = closestColumn(heap, label, final);
      if (next < 0 || label[next] >= bestOut) break; // the way out of bestOutRow is the closest end
      heap.pop();
      final[next] = 1;
      if (rowOfCol[next] < 0) {
        sinkCol = next;
        break;
      }
      row = rowOfCol[next];
      rowDistance = label[next];
    }
    const distance = sinkCol >= 0 ? label[sinkCol] : bestOut;

    // Duals: rows and columns settled closer than `distance` move by the difference.
    u[start] = distance;
    for (let k = 1; k < reachedCount; k++) {
      const r = reached[k];
      u[r] += distance - label[colOfRow[r]];
    }
    for (let k = 0; k < touchedCount; k++) {
      const j = touched[k];
      if (final[j]) v[j] -= distance - label[j];
    }

    // Augment: walk the path back from its end, each row taking the column that follows it.
    let j = sinkCol;
    if (j < 0 && bestOutRow !== start) {
      j = colOfRow[bestOutRow];
      colOfRow[bestOutRow] = -1; // it goes out; its column passes down the path
    }
    while (j >= 0) {
      const r = pathRow[j];
      rowOfCol[j] = r;
      const previous = colOfRow[r];
      colOfRow[r] = j;
      j = r === start ? -1 : previous;
    }
    this.touchedCount = touchedCount;
    this.reset();
  }

  /**
   * Fills the hole `hole` (a free column with v < 0) by a mirror search (see the file header).
   * Labels are distances of the hole's position; moving it from column c to the column of a row r
   * with an edge into c costs that edge's reduced cost. Ends: leaving the hole at c, which raises
   * v(c) to 0 (cost −v(c)), or an out row entering c (cost: its reduced cost on c).
   */
  fillHole(hole: number): void {
    const { edgeCost } = this.problem;
    const { colOfRow, rowOfCol, u, v } = this.solution;
    const { label, prevCol, final, touched, heap } = this;
    this.transpose();
    const colStart = this.colStart as Int32Array;
    const colEdge = this.colEdge as Int32Array;
    const colRow = this.colRow as Int32Array;
    heap.size = 0;
    let touchedCount = 0;
    let best = -v[hole]; // cost of the closest end seen: leave the hole where it is
    let bestCol = hole; // where the hole ends
    let bestRow = -1; // the out row that enters bestCol, or −1 (bestCol stays free)
    label[hole] = 0;
    touched[touchedCount++] = hole;
    heap.push(0, hole);
    for (;;) {
      const c = closestColumn(heap, label, final);
      if (c < 0 || label[c] >= best) break;
      heap.pop();
      final[c] = 1;
      const lc = label[c];
      const holder = rowOfCol[c]; // the row leaving c (none for the hole itself)
      for (let s = colStart[c]; s < colStart[c + 1]; s++) {
        const r = colRow[s];
        if (r === holder) continue;
        const d = lc + edgeCost[colEdge[s]] - u[r] - v[c];
        if (!(d < best)) continue;
        const to = colOfRow[r];
        if (to < 0) {
          best = d; // r comes in from its way out
          bestCol = c;
          bestRow = r;
        } else if (d < label[to] && !final[to]) {
          if (label[to] === Infinity) touched[touchedCount++] = to;
          label[to] = d;
          prevCol[to] = c;
          heap.push(d, to);
          if (d - v[to] < best) {
            best = d - v[to]; // the hole could stop at `to`, raising its v to 0
            bestCol = to;
            bestRow = -1;
          }
        }
      }
    }

    // Duals: each settled column rises, and the row on it falls, by its distance to the end.
    for (let k = 0; k < touchedCount; k++) {
      const c = touched[k];
      if (!final[c]) continue;
      const delta = best - label[c];
      v[c] += delta;
      if (c !== hole) u[rowOfCol[c]] -= delta;
    }
    if (bestRow < 0) v[bestCol] = 0; // exact, where rounding would leave a trace

    // Move the hole: from the hole out to bestCol, each column's holder steps back one column.
    let c = bestCol;
    let holder = bestRow;
    while (c !== hole) {
      const leaving = rowOfCol[c];
      rowOfCol[c] = holder;
      if (holder >= 0) colOfRow[holder] = c;
      holder = leaving;
      c = prevCol[c];
    }
    rowOfCol[hole] = holder;
    if (holder >= 0) colOfRow[holder] = hole;
    this.touchedCount = touchedCount;
    this.reset();
  }

  private reset(): void {
    const { label, final, touched } = this;
    for (let k = 0; k < this.touchedCount; k++) {
      const c = touched[k];
      label[c] = Infinity;
      final[c] = 0;
    }
    this.touchedCount = 0;
  }

  /** Builds the edges by column, once, for the mirror searches. */
  private transpose(): void {
    if (this.colStart) return;
    const { rows, cols, rowStart, edgeCol } = this.problem;
    const edges = rowStart[rows];
    const colStart = new Int32Array(cols + 1);
    for (let e = 0; e < edges; e++) colStart[edgeCol[e] + 1]++;
    for (let j = 0; j < cols; j++) colStart[j + 1] += colStart[j];
    const next = colStart.slice(0, cols);
    const colEdge = new Int32Array(edges);
    const colRow = new Int32Array(edges);
    for (let i = 0; i < rows; i++) {
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const at = next[edgeCol[e]]++;
        colEdge[at] = e;
        colRow[at] = i;
      }
    }
    this.colStart = colStart;
    this.colEdge = colEdge;
    this.colRow = colRow;
  }
}

/** The unsettled column with the smallest label, dropping stale heap entries on the way; −1 if none. */
function closestColumn(heap: MinHeap, label: Float64Array, final: Uint8Array): number {
  while (heap.size > 0) {
    const j = heap.tags[0];
    if (!final[j] && heap.keys[0] === label[j]) return j;
    heap.pop();
  }
  return -1;
}
