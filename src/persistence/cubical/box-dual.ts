import { PairSink } from '../diagram.js';
import { notFinite } from '../toolkit/radix-argsort.js';
import { BoxLowerStars } from './box-lower-stars.js';
import { PaddedGrid } from './padded-grid.js';

/**
 * Persistence of a box under the T construction, by duality. The voxels are the vertices of the
 * dual grid, which, padded by one layer that enters first, is a V volume whose filtration is T's
 * read backwards: a cell of T enters with its first voxel, its dual cell (spanned by the voxels
 * around it) with its last, and the complement of a sublevel set of T in the 3-sphere retracts onto
 * the dual's complex of the voxels not yet in it (Alexander duality). So a T pair of dimension k,
 * born at voxel b and dying at voxel d, is a pair of dimension 2 − k of the dual born at d and
 * dying at b, and T's essential component is the void inside the padding's shell, which the dual
 * fills with T's first voxel. Each level of either filtration is one voxel, so BoxLowerStars pairs
 * the dual exactly as T's own order (owner rank, dimension) pairs T.
 *
 * The dual's values: the input negated for a sublevel filtration (as is for a superlevel one), the
 * padding −∞, on the padded grid reflected through its centre (its flat index reversed), so that
 * the sort's ties, by increasing index, fall in the reverse of T's tie order.
 */
export class BoxDual {
  private readonly grid: PaddedGrid; // the input's, padded: the dual grid before its reflection
  private readonly lowerStars: BoxLowerStars;
  private dual32: Float32Array | null = null; // the dual's values, for float32 input
  private dual64: Float64Array | null = null; // and for float64 input
  private values: Float32Array | Float64Array = NO_VALUES; // the call's input, during the call
  private targets: readonly PairSink[] = []; // the call's T builders, by dimension
  private readonly sinks: PairSink[] = [0, 1, 2].map((dim) => ({
    push: (_birth: number, _death: number, bornAt: number, diesAt: number) => this.pushDual(dim, bornAt, diesAt),
  }));

  /**
   * @param shape `[depth, height, width]`
   * @param loops whether to pair H1 (else only H0 and H2)
   */
  constructor(shape: readonly number[], loops: boolean) {
    const grid = (this.grid = new PaddedGrid(shape));
    if (grid.paddedSize >= BoxLowerStars.maxSize)
      throw new Error(
        `shape: H1 of a ${shape.join('×')} volume needs more elements ranked than this engine packs (2^28, with the padding of its dual grid); request options.dims [0, 2] or a smaller volume`,
      );
    const dualShape = [grid.paddedDepth, grid.paddedHeight, grid.paddedWidth];
    this.lowerStars = new BoxLowerStars(dualShape, loops, grid.paddedSize - grid.size);
  }

  /** Pushes the pairs of each dimension into its builder. */
  compute(
    values: Float32Array | Float64Array,
    superlevel: boolean,
    builders: readonly PairSink[],
    keepZeroLength: boolean,
  ): void {
    const { depth: d, height: h, width: w, paddedSize } = this.grid;
    const dual = this.dualValues(values);
    const sign = superlevel ? 1 : -1;
    for (let z = 0, i = 0; z < d; z++)
      for (let y = 0; y < h; y++) {
        // The voxel's padded index ((z + 1)·(h + 2) + y + 1)·(w + 2) + x + 1, reflected.
        let at = paddedSize - 2 - ((z + 1) * (h + 2) + y + 1) * (w + 2);
        for (let x = 0; x < w; x++, i++, at--) {
          const v = values[i];
          if (v - v !== 0) throw notFinite('values', v, i);
          dual[at] = sign * v;
        }
      }
    this.values = values;
    this.targets = builders;
    try {
      this.lowerStars.compute(dual, false, this.sinks, keepZeroLength);
    } finally {
      this.values = NO_VALUES; // the caller's array is not kept alive between calls
      this.targets = [];
    }
  }

  /** The dual's values for this input's type, the padding −∞ (written once). */
  private dualValues(values: Float32Array | Float64Array): Float32Array | Float64Array {
    const size = this.grid.paddedSize;
    if (values instanceof Float32Array) return (this.dual32 ??= new Float32Array(size).fill(-Infinity));
    return (this.dual64 ??= new Float64Array(size).fill(-Infinity));
  }

  /** A pair of the dual, born at dual vertex bornAt and dying at diesAt (−1: never), as T's. */
  private pushDual(dim: number, bornAt: number, diesAt: number): void {
    const birth = this.voxel(diesAt);
    if (birth < 0) return; // a class of the padding alone
    const death = this.voxel(bornAt);
    const values = this.values;
    if (death >= 0) this.targets[2 - dim].push(values[birth], values[death], birth, death);
    else if (dim === 2) this.targets[0].push(values[birth], Infinity, birth, -1); // the shell's void
  }

  /** The input index of a dual vertex, or −1 for the padding (and for −1). */
  private voxel(at: number): number {
    return at < 0 ? -1 : this.grid.element(this.grid.paddedSize - 1 - at);
  }
}

const NO_VALUES = new Float64Array(0);
