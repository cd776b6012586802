import { BoxLowerStars } from './box-lower-stars.js';
import { CubicalCells3D } from './cells-3d.js';
import { DiagramBuilder } from '../diagram.js';
import { FiltrationOrder } from './filtration-order.js';
import { GridSweep } from './grid-sweep.js';
import { PaddedGrid } from './padded-grid.js';

/**
 * Pairing of a volume bounded on every axis (a box). Vertex input (V) is paired lower star by lower
 * star (BoxLowerStars); voxel input (T) by union-find sweeps over the input grid for H0 and H2, and
 * its cells for H1 (as are V volumes too large for the lower stars, when H1 is not requested).
 */
export class BoxPairing {
  private readonly lowerStars: BoxLowerStars | null;
  private readonly grid: PaddedGrid;
  private readonly filtration: FiltrationOrder | null;
  private readonly sweep: GridSweep | null;
  private readonly componentOffsets: Int32Array; // H0 neighbours in the sweep's padded grid
  private readonly holeOffsets: Int32Array; // their dual, for the top dimension
  private readonly cells: CubicalCells3D | null; // only for H1 of T volumes

  constructor(
    shape: readonly number[],
    construction: 'T' | 'V',
    private readonly dims: readonly number[],
  ) {
    this.grid = new PaddedGrid(shape);
    const loops = dims.includes(1);
    const lowerStars = construction === 'V' && (loops || this.grid.size < BoxLowerStars.maxSize);
    this.lowerStars = lowerStars ? new BoxLowerStars(shape, loops) : null;
    // First of the large buffers, so that a volume too large for its H1 is refused before any.
    this.cells = !lowerStars && loops ? new CubicalCells3D(this.grid, construction) : null;
    this.filtration = lowerStars ? null : new FiltrationOrder(this.grid);
    this.sweep = lowerStars ? null : new GridSweep(this.grid);
    // H0 of T sees every touching voxel, H0 of V only face neighbours; duality swaps them.
    const t = construction === 'T';
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
    if (this.cells !== null) {
      // The middle dimension of a volume needs the cells; the same passes give H0 and H2.
      this.cells.compute(values, filtration!, builders, keepZeroLength);
      return;
    }
    if (dims.includes(0)) sweep!.components(values, filtration!, this.componentOffsets, keepZeroLength, builders[0]);
    if (dims.includes(2)) sweep!.holes(values, filtration!, this.holeOffsets, keepZeroLength, builders[2]);
  }
}
