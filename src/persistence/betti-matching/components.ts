import { find } from '../toolkit/union-find.js';
import { BarTable, matchBars, MatchList } from './bars.js';
import { CubicalCells, SortedCells } from './grid.js';

/**
 * H0 by Kruskal's sweep over the edges in filtration order; vertices are ordered by (value,
 * index), and when an edge joins two components the younger one dies (elder rule).
 */

/** Whether vertex a precedes vertex b in the order (value under f, index). */
function before(f: Float64Array, a: number, b: number): boolean {
  return f[a] < f[b] || (f[a] === f[b] && a < b);
}

/**
 * One step of Kruskal's sweep: joins the components at the ends of edge e, the younger under the
 * older (parent[young]); returns the younger root, or −1 when both ends are already one component.
 */
function joinEnds(grid: CubicalCells, f: Float64Array, parent: Int32Array, e: number): number {
  const a = find(parent, (e / grid.rank) | 0);
  const b = find(parent, grid.edgeEnd(e));
  if (a === b) return -1;
  const aOlder = before(f, a, b);
  const young = aOlder ? b : a;
  parent[young] = aOlder ? a : b;
  return young;
}

/**
 * The image side of C's join of root `young` into root `old`: of the two components' oldest
 * vertices under X, the younger dies (returned) and the elder becomes the merged component's.
 */
function imageJoin(fx: Float64Array, oldest: Int32Array, young: number, old: number): number {
  const x = oldest[old];
  const y = oldest[young];
  const xOlder = before(fx, x, y);
  oldest[old] = xOlder ? x : y;
  return xOlder ? y : x;
}

/**
 * The H0 bars of one input (birth vertex, death edge) into `bars`, and in a sparse complex those
 * dying at the floor (every component left but the oldest). `killer[e]` is set to 1 for
 * the edges that join two components (the negative edges: never an H1 pivot, so the H1
 * reductions of a volume drop their rows) and to 0 for the others.
 */
export function componentBars(
  grid: CubicalCells,
  f: Float64Array,
  edgeOrder: SortedCells,
  parent: Int32Array,
  bars: BarTable,
  killer: Uint8Array,
): void {
  const { order, values } = edgeOrder;
  for (let v = 0; v < grid.vertexCount; v++) parent[v] = v;
  bars.reset();
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const young = joinEnds(grid, f, parent, e);
    killer[e] = young < 0 ? 0 : 1;
    if (young < 0) continue;
    if (f[young] !== values[i]) bars.push(young, e);
  }
  // The components left (one in a whole grid) die at the floor, but for the oldest: essential.
  let oldest = -1;
  for (let v = 0; v < grid.vertexCount; v++) {
    if (parent[v] !== v) continue;
    if (oldest >= 0) bars.pushFloor(before(f, v, oldest) ? oldest : v);
    if (oldest < 0 || before(f, v, oldest)) oldest = v;
  }
}

/**
 * H0 of the comparison image C and the images of H0(P) → H0(C) and H0(L) → H0(C), matched: one
 * Kruskal sweep over C's edges. The image barcodes are the pivots of C's boundary matrix with its
 * rows (vertices) ordered by P (resp. L): the components are C's, and each remembers its oldest
 * vertex under P and under L; when two merge, the younger of those two dies in the image. A bar
 * of C of positive length whose death edge ends an image bar of both inputs matches the bars of P
 * and of L born at those image bars' birth vertices. Flags C's joining edges in `killer`, as
 * `componentBars` does. `strict` keeps only image bars of positive
 * length (birth value in P below the death value in C); the reference keeps them all.
 */
export function matchComponents(
  grid: CubicalCells,
  fc: Float64Array,
  fp: Float64Array,
  fl: Float64Array,
  edgeOrder: SortedCells,
  parent: Int32Array,
  oldestP: Int32Array,
  oldestL: Int32Array,
  barsP: BarTable,
  barsL: BarTable,
  strict: boolean,
  killer: Uint8Array,
  out: MatchList,
): void {
  const { order, values } = edgeOrder;
  for (let v = 0; v < grid.vertexCount; v++) {
    parent[v] = v;
    oldestP[v] = v;
    oldestL[v] = v;
  }
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const young = joinEnds(grid, fc, parent, e);
    killer[e] = young < 0 ? 0 : 1;
    if (young < 0) continue;
    const old = parent[young];
    // The images: the partition is C's, the ages those of P and of L.
    const pBorn = imageJoin(fp, oldestP, young, old);
    const lBorn = imageJoin(fl, oldestL, young, old);
    const death = values[i];
    if (fc[young] === death) continue; // C's bar has length zero
    if (strict && (fp[pBorn] >= death || fl[lBorn] >= death)) continue;
    matchBars(barsP, pBorn, barsL, lBorn, out);
  }
}
