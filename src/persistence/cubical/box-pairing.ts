import { BoxDual } from './box-dual.js';
import { BoxLowerStars } from './box-lower-stars.js';
import { DiagramBuilder } from '../diagram.js';
import { FiltrationOrder } from './filtration-order.js';
import { GridSweep } from './grid-sweep.js';
import { PaddedGrid } from './padded-grid.js';

/**
 * Pairing of a volume bounded on every axis (a box): lower star by lower star, V volumes as they
 * are (BoxLowerStars), T volumes through their dual (BoxDual). Volumes too large to rank whole,
 * when H1 is not requested, are paired by union-find sweeps over the input grid for H0 and H2.
 */
export class BoxPairing {
  private readonly lowerStars: BoxLowerStars | BoxDual | null;
  private readonly grid: PaddedGrid;
  private readonly filtration: FiltrationOrder | null;
  private readonly sweep: GridSweep | null;
  private readonly componentOffsets: Int32Array; // H0 neighbours in the sweep's padded grid
  private readonly holeOffsets: Int32Array; // their dual, for the top dimension

  constructor(
    shape: readonly number[],
    construction: 'T' | 'V',
    private readonly dims: readonly number[],
  ) {
    this.grid = new PaddedGrid(shape);
    const t = construction === 'T';
    const loops = dims.includes(1);
    const ranked = t ? this.grid.paddedSize : this.grid.size; // T's dual grid is padded
    const lowerStars = loops || ranked < BoxLowerStars.maxSize;
    // First of the large buffers, so that a volume too large for its H1 is refused before any.
    this.lowerStars = !lowerStars ? null : t ? new BoxDual(shape, loops) : new BoxLowerStars(shape, loops);
    this.filtration = lowerStars ? null : new FiltrationOrder(this.grid);
    this.sweep = lowerStars ? null : new GridSweep(this.grid);
    // H0 of T sees every touching voxel, H0 of V only face neighbours; duality swaps them.
    this.componentOffsets = this.grid.stencil(t ? 'full' : 'faces');
    this.holeOffsets = this.grid.stencil(t ? 'faces' : 'full');
  }

  /** Pushes the pairs of each requested dimension k into builders[k]. */
  compute(
    values: Float32Array | Float64Array,
    superlevel: boolean,
    builders: readonly DiagramBuilder[],
    keepZeroLength: boolean,
  ): void {
    const { filtration, sweep, dims } = this;
    if (this.lowerStars !== null) return this.lowerStars.compute(values, superlevel, builders, keepZeroLength);
    filtration!.compute(values, superlevel);
    if (dims.includes(0)) sweep!.components(values, filtration!, this.componentOffsets, keepZeroLength, builders[0]);
    if (dims.includes(2)) sweep!.holes(values, filtration!, this.holeOffsets, keepZeroLength, builders[2]);
  }
}
