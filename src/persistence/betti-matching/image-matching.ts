import { MatchList } from './bars.js';
import { matchComponents } from './components.js';
import { FiltrationParts } from './filtration.js';
import { CubicalCells } from './grid.js';
import { imageHoles, matchHoles } from './holes.js';
import { imageLoops, matchLoops, SquareReduction } from './loops.js';

/** Working memory of `matchThroughImage`, sized for the complex (see there). */
export interface ImageBuffers {
  /** Union-find slots: max(vertexCount, nodeCount). */
  readonly parent: Int32Array;
  readonly oldestP: Int32Array;
  readonly oldestL: Int32Array;
  /** Per death cell of C, the birth cell of an image bar: max(nodeCount, the facet names of a volume). */
  readonly imageP: Int32Array;
  readonly imageL: Int32Array;
}

/** Buffers for `matchThroughImage` on `grid`. */
export function imageBuffers(grid: CubicalCells): ImageBuffers {
  const slots = Math.max(grid.vertexCount, grid.nodeCount);
  const images = Math.max(grid.nodeCount, grid.rank === 3 ? grid.facetNames : 0);
  return {
    parent: new Int32Array(slots),
    oldestP: new Int32Array(slots),
    oldestL: new Int32Array(slots),
    imageP: new Int32Array(images),
    imageL: new Int32Array(images),
  };
}

/**
 * The matches of the bars of P and L (their own bars already computed) through the comparison
 * image C (ordered), per dimension into `matches`: H0 by one Kruskal sweep over C's edges, the top
 * dimension by replaying the inputs' duality sweeps under C's ages, H1 of a volume by the image
 * reductions (C's columns over P's, then L's, rows). Flags C's killer edges and closer facets.
 */
export function matchThroughImage(
  grid: CubicalCells,
  P: FiltrationParts,
  L: FiltrationParts,
  C: FiltrationParts,
  buffers: ImageBuffers,
  reduction: SquareReduction | null,
  strict: boolean,
  matches: MatchList[],
): void {
  const { parent, oldestP, oldestL, imageP, imageL } = buffers;
  const [fp, fl, fc] = [P.values, L.values, C.values];
  const top = grid.rank - 1;
  matchComponents(
    grid,
    fc,
    fp,
    fl,
    C.edgeOrder,
    parent,
    oldestP,
    oldestL,
    P.bars[0],
    L.bars[0],
    strict,
    C.killer,
    matches[0],
  );
  imageHoles(grid, P.merges, P.mergeCount, fp, C.top, oldestP, strict, imageP);
  imageHoles(grid, L.merges, L.mergeCount, fl, C.top, oldestP, strict, imageL);
  matchHoles(grid, C.top, C.facetOrder, parent, imageP, imageL, P.bars[top], L.bars[top], C.closer, matches[top]);
  if (reduction === null) return;
  const columns = C.facetOrder.order;
  reduction.reduce(columns, C.closer, P.rowKey);
  imageLoops(grid, fp, fc, reduction, P.edgeOrder.order, strict, imageP);
  reduction.reduce(columns, C.closer, L.rowKey);
  imageLoops(grid, fl, fc, reduction, L.edgeOrder.order, strict, imageL);
  SquareReduction.rowKeys(C.edgeOrder.order, C.killer, C.rowKey);
  reduction.reduce(columns, C.closer, C.rowKey);
  matchLoops(grid, fc, reduction, C.edgeOrder.order, imageP, imageL, P.bars[1], L.bars[1], matches[1]);
}
