import { Construction, CubicalPersistence } from '../persistence/cubical/cubical.js';
import {
  Batch,
  binarize,
  checkBatchShape,
  checkConstruction,
  checkLabels,
  checkPredictions,
  checkThreshold,
  HostMaps,
  MetricOptions,
} from './inputs.js';
import { checkOptions } from '../base/checks.js';

/**
 * Betti numbers of thresholded maps, computed with the library's cubical engine.
 *
 * Convention (the cubical complex of construction 'T': each pixel or voxel a closed unit square or
 * cube, the union of those of the foreground):
 * - 2-D: β0 counts the foreground components with pixels joined to all 8 neighbours; β1 counts the
 *   holes, the background components with pixels joined to their 4 edge neighbours that do not
 *   touch the image border (the outside of the image is background).
 * - 3-D: β0 counts the foreground components joined across faces, edges and corners (26
 *   neighbours); β2 counts the cavities, background components joined across faces (6 neighbours)
 *   off the border; β1 counts the tunnels (handles), by the cubical homology of the union.
 *
 * A binary mask's Betti numbers are read from the persistence of the superlevel filtration of its
 * 0/1 image: the classes born at 1 (the foreground) are the foreground's homology, whether they
 * die at 0 or never. The datasets' `maskBetti` counts the same way by flood fill.
 */
export class BettiCounter {
  readonly dims: number;
  private readonly engine: CubicalPersistence;
  private readonly binary: Float32Array;

  /** @param spatial `[H, W]` or `[D, H, W]` */
  constructor(
    readonly spatial: readonly number[],
    construction: Construction = 'T',
  ) {
    this.dims = spatial.length;
    this.engine = new CubicalPersistence(spatial, { construction, superlevel: true });
    this.binary = new Float32Array(spatial.reduce((a, b) => a * b, 1));
  }

  /** β0..β_{d−1} of map `m` of `maps` thresholded at `threshold` (`> threshold` is foreground), into `out` at `at`. */
  count(maps: HostMaps, m: number, threshold: number, out: Int32Array, at: number): void {
    binarize(maps, m, this.binary.length, threshold, this.binary);
    const diagrams = this.engine.compute(this.binary);
    for (let k = 0; k < this.dims; k++) {
      let n = 0;
      for (const b of diagrams[k].births) if (b === 1) n++;
      out[at + k] = n;
    }
  }
}

/** Betti numbers of a batch: `[N, d]` (d = 2 for images, 3 for volumes). */
function bettiOf(maps: HostMaps, batch: Batch, threshold: number, construction: Construction): Int32Array {
  const counter = new BettiCounter(batch.spatial, construction);
  const out = new Int32Array(batch.count * counter.dims);
  for (let m = 0; m < batch.count; m++) counter.count(maps, m, threshold, out, m * counter.dims);
  return out;
}

/**
 * The Betti numbers of each thresholded map of a batch (see `BettiCounter` for the connectivity):
 * `[N, d]` row-major, β0..β_{d−1} per map, for maps `[N, H, W]` (d = 2) or `[N, D, H, W]` (d = 3).
 *
 * @param maps values (probabilities or a 0/1 mask), row-major
 * @param shape `[N, H, W]` or `[N, D, H, W]`
 * @param options `threshold`: foreground where a value is greater (default 0.5)
 * @category Segmentation data and metrics
 */
export function bettiNumbers(maps: HostMaps, shape: readonly number[], options?: MetricOptions): Int32Array {
  const batch = checkBatchShape(shape);
  const checked = checkPredictions(maps, batch, 'maps');
  const o = checkOptions(options, 'options', ['threshold', 'construction']);
  return bettiOf(checked, batch, checkThreshold(o.threshold), checkConstruction(o.construction));
}

/**
 * The Betti numbers of the thresholded predictions and of the labels, both `[N, d]`.
 *
 * @category Segmentation data and metrics
 */
export interface BettiComparison {
  /** β0..β_{d−1} of each thresholded prediction, `[N, d]` row-major. */
  readonly pred: Int32Array;
  /** β0..β_{d−1} of each label, `[N, d]` row-major. */
  readonly label: Int32Array;
  /** d: 2 for images, 3 for volumes. */
  readonly dims: number;
}

/** Betti numbers of `pred > threshold` and of `label`, checked. */
export function compareBetti(
  pred: HostMaps,
  label: HostMaps,
  batch: Batch,
  threshold: number,
  construction: Construction,
): BettiComparison {
  return {
    pred: bettiOf(pred, batch, threshold, construction),
    label: bettiOf(label, batch, 0.5, construction),
    dims: batch.spatial.length,
  };
}

function checked(
  pred: unknown,
  label: unknown,
  shape: unknown,
  options: MetricOptions | undefined,
): [HostMaps, HostMaps, Batch, number, Construction] {
  const batch = checkBatchShape(shape);
  const p = checkPredictions(pred, batch);
  const l = checkLabels(label, batch);
  const o = checkOptions(options, 'options', ['threshold', 'construction']);
  return [p, l, batch, checkThreshold(o.threshold), checkConstruction(o.construction)];
}

/**
 * The Betti errors |β_k(pred > threshold) − β_k(label)| of each map: `[N, d]` row-major.
 *
 * @param pred predictions (probabilities, scores or 0/1), row-major `[N, H, W]` or `[N, D, H, W]`
 * @param label binary labels (0 or 1), same shape
 * @category Segmentation data and metrics
 */
export function bettiErrors(
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options?: MetricOptions,
): Int32Array {
  const [p, l, batch, threshold, construction] = checked(pred, label, shape, options);
  const b = compareBetti(p, l, batch, threshold, construction);
  return b.pred.map((v, i) => Math.abs(v - b.label[i]));
}

/**
 * The fraction of maps whose thresholded prediction has exactly the label's Betti numbers.
 *
 * @category Segmentation data and metrics
 */
export function topologyAccuracy(
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options?: MetricOptions,
): number {
  const [p, l, batch, threshold, construction] = checked(pred, label, shape, options);
  const b = compareBetti(p, l, batch, threshold, construction);
  return matches(b).reduce((a, v) => a + v, 0) / batch.count;
}

/** Per map, 1 when all its Betti numbers match, else 0. */
export function matches(b: BettiComparison): Float64Array {
  const n = b.pred.length / b.dims;
  const out = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    let same = 1;
    for (let k = 0; k < b.dims; k++) if (b.pred[m * b.dims + k] !== b.label[m * b.dims + k]) same = 0;
    out[m] = same;
  }
  return out;
}
