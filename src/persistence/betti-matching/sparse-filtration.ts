import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { BarTable } from './bars.js';
import { FiltrationParts, ownBars } from './filtration.js';
import { SortedCells } from './grid.js';
import { floorLoops, SquareReduction } from './loops.js';
import { SparseGrid } from './sparse-grid.js';

/** One function on the kept cells of a sparse grid: its values by vertex number, its orders, its bars. */
export class SparseFiltration implements FiltrationParts {
  readonly values: Float64Array;
  edgeOrder: SortedCells = EMPTY;
  facetOrder: SortedCells = EMPTY;
  readonly top: Float64Array;
  readonly killer: Uint8Array;
  readonly closer: Uint8Array;
  readonly rowKey: Int32Array;
  readonly bars: BarTable[];
  readonly merges: Int32Array;
  mergeCount = 0;

  constructor(
    private readonly grid: SparseGrid,
    private readonly sorter: RadixArgsort,
    input: boolean,
  ) {
    const volume = grid.rank === 3;
    this.values = new Float64Array(grid.vertexCount);
    this.top = new Float64Array(grid.nodeCount);
    this.killer = new Uint8Array(grid.edgeNames);
    this.closer = new Uint8Array(grid.facetNames);
    this.rowKey = new Int32Array(volume ? grid.edgeNames : 0);
    const births = [grid.vertexCount, grid.edgeNames, grid.facetNames];
    this.bars = input ? Array.from({ length: grid.rank }, (_, k) => new BarTable(births[k])) : [];
    this.merges = new Int32Array(input ? 3 * grid.nodeCount : 0);
  }

  /** values ← sign · x at the kept vertices (checked finite by SparseGrid.keep). */
  load(x: Float32Array | Float64Array, sign: 1 | -1): void {
    const { values } = this;
    const vertex = this.grid.vertex;
    for (let i = 0; i < values.length; i++) values[i] = sign * x[vertex[i]];
  }

  /** Sorts the kept cells by (value, name) and computes the top values. */
  order(): void {
    const { grid, sorter, values: f } = this;
    this.edgeOrder = sortCells(grid.edges, (e) => grid.edgeValue(f, e), sorter);
    this.facetOrder =
      grid.rank === 2 ? this.edgeOrder : sortCells(grid.facets, (s) => grid.squareValue3D(f, s), sorter);
    grid.topValues(f, this.top);
  }

  /**
   * An input's own bars in every dimension, after `order`, those dying at the floor included
   * (H1 of a volume through `reduction`; `parent` holds max(vertexCount, nodeCount) slots).
   */
  ownBars(parent: Int32Array, reduction: SquareReduction | null): void {
    this.mergeCount = ownBars(this.grid, this, parent, reduction);
    if (reduction !== null) floorLoops(reduction, this.edgeOrder.order, this.killer, this.bars[1]);
  }

  /** The value of a cell of dimension `dim`. */
  cellValue(dim: number, cell: number): number {
    const { grid, values: f } = this;
    return dim === 0 ? f[cell] : dim === 1 ? grid.edgeValue(f, cell) : grid.squareValue3D(f, cell);
  }

  /** The birth cells of the bars of dimension `dim` dying at the floor, by (value, name). */
  floorBirths(dim: number): Int32Array {
    const bars = this.bars[dim];
    const value = (c: number) => this.cellValue(dim, c);
    return bars.floorBirths.slice(0, bars.floorLength).sort((a, b) => value(a) - value(b) || a - b);
  }
}

const EMPTY: SortedCells = { order: new Uint32Array(0), values: new Float64Array(0) };

/** Cells (names, increasing) sorted by (value, name): a stable sort of their values. */
function sortCells(names: Uint32Array, value: (name: number) => number, sorter: RadixArgsort): SortedCells {
  const values = Float64Array.from(names, value);
  const order = sorter.sort(values, names.length, false, names).slice(0, names.length);
  for (let i = 0; i < order.length; i++) values[i] = value(order[i]);
  return { order, values };
}
