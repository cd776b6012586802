import { find } from '../toolkit/union-find.js';
import { BarTable, MatchList } from './bars.js';
import { CellOrder } from './cell-order.js';
import { VertexGrid } from './grid.js';

/**
 * H0 by Kruskal's sweep over the edges in filtration order; vertices are ordered by (value,
 * index), and when an edge joins two components the younger one dies (elder rule).
 */

/** Whether vertex a precedes vertex b in the order (value under f, index). */
function before(f: Float64Array, a: number, b: number): boolean {
  return f[a] < f[b] || (f[a] === f[b] && a < b);
}

/**
 * The H0 bars of one input (birth vertex, death edge) into `bars`. `killer[e]` is set to 1 for
 * the edges that join two components (the negative edges: never an H1 pivot, so the H1
 * reductions of a volume drop their rows) and to 0 for the others.
 */
export function componentBars(
  grid: VertexGrid,
  f: Float64Array,
  edgeOrder: CellOrder,
  parent: Int32Array,
  bars: BarTable,
  killer: Uint8Array,
): void {
  const { rank, strides } = grid;
  const { order, values } = edgeOrder;
  for (let v = 0; v < grid.size; v++) parent[v] = v;
  bars.reset();
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const u = (e / rank) | 0;
    const w = u + strides[e - rank * u];
    const a = find(parent, u);
    const b = find(parent, w);
    if (a === b) {
      killer[e] = 0;
      continue;
    }
    killer[e] = 1;
    const aOlder = before(f, a, b);
    const young = aOlder ? b : a;
    parent[young] = aOlder ? a : b;
    if (f[young] !== values[i]) bars.push(young, e);
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
  grid: VertexGrid,
  fc: Float64Array,
  fp: Float64Array,
  fl: Float64Array,
  edgeOrder: CellOrder,
  parent: Int32Array,
  oldestP: Int32Array,
  oldestL: Int32Array,
  barsP: BarTable,
  barsL: BarTable,
  strict: boolean,
  killer: Uint8Array,
  out: MatchList,
): void {
  const { rank, strides } = grid;
  const { order, values } = edgeOrder;
  for (let v = 0; v < grid.size; v++) {
    parent[v] = v;
    oldestP[v] = v;
    oldestL[v] = v;
  }
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const u = (e / rank) | 0;
    const w = u + strides[e - rank * u];
    const a = find(parent, u);
    const b = find(parent, w);
    killer[e] = a === b ? 0 : 1;
    if (a === b) continue;
    const aOlder = before(fc, a, b);
    const young = aOlder ? b : a;
    const old = aOlder ? a : b;
    parent[young] = old;
    // The images: the partition is C's, the ages those of P and of L.
    let x = oldestP[a];
    let y = oldestP[b];
    const pOlder = before(fp, x, y);
    const pBorn = pOlder ? y : x;
    oldestP[old] = pOlder ? x : y;
    x = oldestL[a];
    y = oldestL[b];
    const lOlder = before(fl, x, y);
    const lBorn = lOlder ? y : x;
    oldestL[old] = lOlder ? x : y;
    const death = values[i];
    if (fc[young] === death) continue; // C's bar has length zero
    if (strict && (fp[pBorn] >= death || fl[lBorn] >= death)) continue;
    const pDeath = barsP.deathOf[pBorn];
    const lDeath = barsL.deathOf[lBorn];
    if (pDeath < 0 || lDeath < 0) continue;
    barsP.matched[pBorn] = 1;
    barsL.matched[lBorn] = 1;
    out.push(pBorn, pDeath, lBorn, lDeath);
  }
}
