import { BarTable } from './bars.js';
import { CellOrder } from './cell-order.js';
import { componentBars } from './components.js';
import { CubicalCells, SortedCells, VertexGrid } from './grid.js';
import { holeBars, topValues } from './holes.js';
import { loopBars, SquareReduction } from './loops.js';
import { describe } from '../../base/checks.js';

/**
 * What one function on the grid brings to a Betti matching, in buffers reused across calls: its
 * values as a sublevel filtration, the filtration orders of its cells, and — for an input (not for
 * the comparison image) — its own bars in every dimension and the joins of its duality sweep,
 * from which the image of its top homology is replayed.
 */
export class Filtration implements FiltrationParts {
  /** The function as a sublevel filtration: the input, negated for a superlevel one. */
  readonly values: Float64Array;
  readonly edgeOrder: CellOrder;
  /** The facets' order: the edges' own in 2-D. */
  readonly facetOrder: CellOrder;
  /** Per top name: its value; +∞ for the outside. */
  readonly top: Float64Array;
  /** Per edge: 1 when it joins two components (no H1 row of a volume). */
  readonly killer: Uint8Array;
  /** Per facet: 1 when it joins two regions in the duality sweep (no H1 column of a volume). */
  readonly closer: Uint8Array;
  /** Per edge of a volume: its H1 row key (see SquareReduction.rowKeys). */
  readonly rowKey: Int32Array;
  /** Bars of positive length per dimension (inputs only). */
  readonly bars: BarTable[];
  /** The joins of the duality sweep, (facet, younger root, older root) in sweep order, and their count (inputs only). */
  readonly merges: Int32Array;
  mergeCount = 0;

  constructor(
    private readonly grid: VertexGrid,
    input: boolean,
  ) {
    const volume = grid.rank === 3;
    this.values = new Float64Array(grid.size);
    this.edgeOrder = new CellOrder(grid, 'edges');
    this.facetOrder = volume ? new CellOrder(grid, 'facets') : this.edgeOrder;
    this.top = new Float64Array(grid.size + 1);
    this.killer = new Uint8Array(grid.edgeNames);
    this.closer = new Uint8Array(grid.facetNames);
    this.rowKey = new Int32Array(volume ? grid.edgeNames : 0);
    const births = [grid.size, grid.edgeNames, grid.facetNames];
    this.bars = input ? Array.from({ length: grid.rank }, (_, k) => new BarTable(births[k])) : [];
    this.merges = new Int32Array(input ? 3 * (grid.tops.length + 1) : 0);
  }

  /**
   * values ← sign · x, checking that every entry is finite (an error naming `name` otherwise).
   * x must hold `grid.size` entries.
   */
  load(x: Float32Array | Float64Array, sign: 1 | -1, name: string): void {
    const f = this.values;
    for (let i = 0; i < f.length; i++) {
      const v = x[i];
      if (v - v !== 0) throw new Error(`${name}: expected finite numbers, got ${describe(v)} at index ${i}`);
      f[i] = sign === 1 ? v : -v;
    }
  }

  /** values ← the elementwise minimum of two filtrations' values (the comparison image). */
  loadMinimum(a: Filtration, b: Filtration): void {
    const f = this.values;
    const x = a.values;
    const y = b.values;
    for (let i = 0; i < f.length; i++) f[i] = x[i] < y[i] ? x[i] : y[i];
  }

  /** Sorts the cells and computes the top values (every function). */
  order(): void {
    this.edgeOrder.compute(this.values);
    if (this.facetOrder !== this.edgeOrder) this.facetOrder.compute(this.values);
    topValues(this.grid, this.values, this.top);
  }

  /** An input's own bars in every dimension, after `order` (H1 of a volume uses `reduction`). */
  ownBars(parent: Int32Array, reduction: SquareReduction | null): void {
    this.mergeCount = ownBars(this.grid, this, parent, reduction);
  }
}

/** The parts of a filtration (dense or sparse) that an input's own bars are computed from and into. */
export interface FiltrationParts {
  readonly values: Float64Array;
  readonly edgeOrder: SortedCells;
  readonly facetOrder: SortedCells;
  readonly top: Float64Array;
  readonly killer: Uint8Array;
  readonly closer: Uint8Array;
  readonly rowKey: Int32Array;
  readonly bars: BarTable[];
  readonly merges: Int32Array;
  readonly mergeCount: number;
}

/**
 * The bars of an input in every dimension into x.bars (H1 of a volume through `reduction`), its
 * killer, closer and row keys set on the way; returns the number of joins written to x.merges.
 */
export function ownBars(
  grid: CubicalCells,
  x: FiltrationParts,
  parent: Int32Array,
  reduction: SquareReduction | null,
): number {
  const { values, bars } = x;
  componentBars(grid, values, x.edgeOrder, parent, bars[0], x.killer);
  const top = grid.rank - 1;
  const merges = holeBars(grid, values, x.top, x.facetOrder, parent, bars[top], x.closer, x.merges);
  if (reduction !== null) {
    SquareReduction.rowKeys(x.edgeOrder.order, x.killer, x.rowKey);
    reduction.reduce(x.facetOrder.order, x.closer, x.rowKey);
    loopBars(grid, values, reduction, x.edgeOrder.order, bars[1]);
  }
  return merges;
}
