import { find } from '../toolkit/union-find.js';
import { BarTable, matchBars, MatchList } from './bars.js';
import { CubicalCells, SortedCells, VertexGrid } from './grid.js';

/**
 * The top dimension (H1 of an image, H2 of a volume) by Alexander duality: the facets are swept
 * in reverse filtration order, each joining the two tops (or the outside) on its sides. When a
 * facet c joins two regions, the younger region — the one whose last top in the order (value,
 * name) comes first; the outside is oldest — is a hole born at c that dies at that last top.
 */

/** Whether top a comes after top b in the order (value, name): a is the older in the reverse sweep. */
function after(top: Float64Array, a: number, b: number): boolean {
  return top[a] > top[b] || (top[a] === top[b] && a > b);
}

/**
 * One step of the reverse sweep: joins the regions on the two sides of facet c (across its normal,
 * see VertexGrid), the younger under the older (parent[young]); returns the younger root, or −1
 * when both sides are already one region.
 */
function joinSides(grid: CubicalCells, top: Float64Array, parent: Int32Array, c: number): number {
  const a = find(parent, grid.facetSide(c, 0));
  const b = find(parent, grid.facetSide(c, 1));
  if (a === b) return -1;
  const aOlder = after(top, a, b);
  const young = aOlder ? b : a;
  parent[young] = aOlder ? a : b;
  return young;
}

/**
 * Writes the value of every top under f into `top` (indexed by name; slots that name no top get
 * values never read), and +∞ for the outside: the maximum over the top's corners, taken one axis
 * at a time in place.
 */
export function topValues(grid: VertexGrid, f: Float64Array, top: Float64Array): void {
  const n = grid.size;
  for (let v = 0; v < n - 1; v++) top[v] = f[v] > f[v + 1] ? f[v] : f[v + 1];
  for (let a = grid.rank - 2; a >= 0; a--) {
    const s = grid.strides[a];
    for (let v = 0; v < n - s; v++) if (top[v + s] > top[v]) top[v] = top[v + s];
  }
  top[grid.outside] = Infinity;
}

/**
 * The top-dimensional bars of one input (birth facet, death top) into `bars`. Each join is written,
 * in sweep order, to `merges` as (facet, younger root, older root) — returns their count — and
 * the joining facets are flagged in `closer` (they are no H1 deaths: the H1 reductions of a volume
 * skip them, clearing). In a sparse complex, a join that closes a floor region is a bar dying at
 * the floor: only its birth is kept (`bars.pushFloor`).
 */
export function holeBars(
  grid: CubicalCells,
  f: Float64Array,
  top: Float64Array,
  facetOrder: SortedCells,
  parent: Int32Array,
  bars: BarTable,
  closer: Uint8Array,
  merges: Int32Array,
): number {
  const { order, values } = facetOrder;
  for (let t = 0; t < grid.nodeCount; t++) parent[t] = t;
  bars.reset();
  let count = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i];
    const young = joinSides(grid, top, parent, c);
    closer[c] = young < 0 ? 0 : 1;
    if (young < 0) continue;
    merges[3 * count] = c;
    merges[3 * count + 1] = young;
    merges[3 * count + 2] = parent[young];
    count++;
    if (young >= grid.floorFrom) bars.pushFloor(c);
    else if (values[i] !== top[young]) bars.push(c, young);
  }
  return count;
}

/**
 * The image of the top homology of an input X in that of C: its pivots are those of the dual
 * sweep with X's regions aged by C. X's joins are replayed from its `merges` (the roots they
 * joined: no search needed), each region remembering its oldest top under C; at each join the
 * younger of the two under C ends the image bar born at the joining facet: image[top] = facet (−1
 * where none). `strict` keeps only image bars of positive length (birth value in X below the death
 * value in C); the reference keeps them all.
 */
export function imageHoles(
  grid: CubicalCells,
  merges: Int32Array,
  count: number,
  fx: Float64Array,
  topC: Float64Array,
  oldest: Int32Array,
  strict: boolean,
  image: Int32Array,
): void {
  for (let t = 0; t < grid.nodeCount; t++) {
    oldest[t] = t;
    image[t] = -1;
  }
  for (let i = 0; i < count; i++) {
    const c = merges[3 * i];
    const young = merges[3 * i + 1];
    const old = merges[3 * i + 2];
    const x = oldest[old];
    const y = oldest[young];
    const xOlder = after(topC, x, y);
    const dies = xOlder ? y : x;
    oldest[old] = xOlder ? x : y;
    if (strict && grid.facetValue(fx, c) >= topC[dies]) continue;
    image[dies] = c;
  }
}

/**
 * The top-dimensional bars of C, matched: a bar of positive length (facet, top) matches the bars
 * of P and of L born at the facets whose image bars die at that top. Flags C's joining facets in
 * `closer`, as `holeBars` does.
 */
export function matchHoles(
  grid: CubicalCells,
  topC: Float64Array,
  facetOrder: SortedCells,
  parent: Int32Array,
  imageP: Int32Array,
  imageL: Int32Array,
  barsP: BarTable,
  barsL: BarTable,
  closer: Uint8Array,
  out: MatchList,
): void {
  const { order, values } = facetOrder;
  for (let t = 0; t < grid.nodeCount; t++) parent[t] = t;
  for (let i = order.length - 1; i >= 0; i--) {
    const c = order[i];
    const young = joinSides(grid, topC, parent, c);
    closer[c] = young < 0 ? 0 : 1;
    if (young < 0) continue;
    if (young >= grid.floorFrom || values[i] === topC[young]) continue; // matched at the floor, or C's bar has length zero
    matchBars(barsP, imageP[young], barsL, imageL[young], out);
  }
}
