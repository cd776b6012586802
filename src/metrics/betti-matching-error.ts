import { checkOptions } from '../base/checks.js';
import { BettiMatching } from '../persistence/betti-matching/betti-matching.js';
import { bettiMatchingError } from '../persistence/betti-matching/loss.js';
import {
  Batch,
  binarize,
  checkBatchShape,
  checkLabels,
  checkPredictions,
  checkThreshold,
  HostMaps,
  MetricOptions,
} from './inputs.js';

/** Betti-matching errors of a checked batch: per map, the unmatched bars of both sides, all dimensions. */
export function bettiMatchingErrorsOf(pred: HostMaps, label: HostMaps, batch: Batch, threshold: number): Float64Array {
  const matcher = new BettiMatching(batch.spatial, { superlevel: true });
  const p = new Float32Array(batch.mapSize);
  const l = new Float32Array(batch.mapSize);
  const out = new Float64Array(batch.count);
  for (let m = 0; m < batch.count; m++) {
    binarize(pred, m, batch.mapSize, threshold, p);
    binarize(label, m, batch.mapSize, 0.5, l);
    out[m] = bettiMatchingError(matcher.match(p, l)).reduce((a, b) => a + b, 0);
  }
  return out;
}

/**
 * The Betti-matching error (Stucki et al. 2023) of each thresholded prediction against its label:
 * the number of bars, of both, left unmatched by the Betti matching of the binary maps (superlevel,
 * values on vertices as the authors' code: foreground 4-connected in 2-D), summed over the
 * dimensions. 0 means the prediction has the label's topology in the same places.
 *
 * @param pred predictions, row-major `[N, H, W]` or `[N, D, H, W]`; foreground where > `threshold`
 * @param label binary labels (0 or 1), same shape
 * @category Segmentation data and metrics
 */
export function bettiMatchingErrors(
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options?: Pick<MetricOptions, 'threshold'>,
): Float64Array {
  const batch = checkBatchShape(shape);
  const p = checkPredictions(pred, batch);
  const l = checkLabels(label, batch);
  const o = checkOptions(options, 'options', ['threshold']);
  return bettiMatchingErrorsOf(p, l, batch, checkThreshold(o.threshold));
}
