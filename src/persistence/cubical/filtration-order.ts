import { RadixArgsort } from '../toolkit/radix-argsort.js';
import { PaddedGrid } from './padded-grid.js';

/**
 * The filtration's total order on input elements: (value, flat index) ascending for sublevel
 * filtrations, (−value, flat index) for superlevel ones — the toolkit's stable radix argsort.
 * Elements are named by their index in the padded grid (see PaddedGrid), the layout the sweeps
 * work in.
 */
export class FiltrationOrder {
  /** After `compute`: order[r] = padded index of the element of rank r. */
  order: Uint32Array;
  readonly size: number;
  private readonly paddedIndex: Uint32Array; // padded index of each element
  private readonly sorter: RadixArgsort;

  constructor(grid: PaddedGrid) {
    this.size = grid.size;
    this.paddedIndex = new Uint32Array(grid.size);
    grid.paddedIndices(this.paddedIndex);
    this.sorter = new RadixArgsort(grid.size);
    this.order = this.paddedIndex;
  }

  /** Ranks `values` (length `size`); throws on NaN or infinite values, naming the first index. */
  compute(values: Float32Array | Float64Array, superlevel: boolean): void {
    this.order = this.sorter.sort(values, this.size, superlevel, this.paddedIndex);
  }
}
