import { checkFlag, checkOptions, describe } from '../base/checks.js';
import { BettiComparison, compareBetti, matches } from './betti.js';
import { bettiMatchingErrorsOf } from './betti-matching-error.js';
import {
  checkBatchShape,
  checkConstruction,
  checkLabels,
  checkPredictions,
  checkThreshold,
  HostMaps,
  MetricOptions,
} from './inputs.js';
import { clDiceOf, diceOf } from './overlap.js';

/**
 * A further per-map metric for `segmentationMetrics` (e.g. a Betti-matching error): given the
 * checked inputs and the threshold, one value per map.
 * @category Segmentation data and metrics
 */
export type ExtraMetric = (
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options: { threshold: number },
) => ArrayLike<number>;

/**
 * Options of `segmentationMetrics`.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationMetricsOptions extends MetricOptions {
  /** Whether to compute clDice. Default true for images, false for volumes (their thinning costs more). */
  clDice?: boolean;
  /**
   * Further metrics by name, each giving one value per map; they appear in `perImage` and `mean`
   * beside the built-in ones (whose names they may not take).
   */
  extra?: Record<string, ExtraMetric>;
}

/**
 * One entry per metric: `perImage` holds arrays (one value per map), `mean` their means.
 *
 * @category Segmentation data and metrics
 */
export interface MetricTable<T> {
  /** Dice of the thresholded prediction. */
  dice: T;
  /** clDice (when computed), with its topology precision and sensitivity. */
  clDice?: T;
  /** Topology precision |S(P) ∩ L| / |S(P)|: how much of the prediction's skeleton lies in the label. */
  clDicePrecision?: T;
  /** Topology sensitivity |S(L) ∩ P| / |S(L)|: how much of the label's skeleton the prediction covers. */
  clDiceSensitivity?: T;
  /** |β0(pred > t) − β0(label)|. */
  betti0Error: T;
  /** |β1(pred > t) − β1(label)|. */
  betti1Error: T;
  /** |β2(pred > t) − β2(label)| (volumes). */
  betti2Error?: T;
  /** 1 when every Betti number matches the label's, else 0; its mean is the fraction of such maps. */
  topologyMatch: T;
  /** The Betti-matching error: bars of both left unmatched by the Betti matching of the binary maps (`bettiMatchingErrors`). */
  bettiMatchingError: T;
  /** The extra metrics, by their names. */
  [extra: string]: T | undefined;
}

/**
 * What `segmentationMetrics` returns.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationMetrics {
  /** Number of maps, N. */
  readonly count: number;
  /** The threshold used: `pred > threshold` is foreground. */
  readonly threshold: number;
  /** Each metric per map: N values. */
  readonly perImage: MetricTable<Float64Array>;
  /** Each metric's mean over the N maps. */
  readonly mean: MetricTable<number>;
  /** The Betti numbers behind the errors, `[N, d]` each. */
  readonly betti: BettiComparison;
}

const BUILT_IN = [
  'dice',
  'clDice',
  'clDicePrecision',
  'clDiceSensitivity',
  'betti0Error',
  'betti1Error',
  'betti2Error',
  'topologyMatch',
  'bettiMatchingError',
];

/**
 * The segmentation metrics of a batch, per map and averaged: Dice, clDice, the Betti
 * errors |β_k(pred > threshold) − β_k(label)| for k = 0..d−1, whether all Betti numbers match
 * (`mean.topologyMatch` is the fraction of maps that do), and any `extra` metrics.
 * Connectivity: `construction` (default `'T'`: foreground 8-connected, background 4-connected in 2-D; `'V'`: the dual, as the Betti-matching error always uses).
 *
 * @param pred predictions (probabilities, scores or 0/1), row-major `[N, H, W]` or `[N, D, H, W]`
 * @param label binary labels (0 or 1), same shape
 * @param shape `[N, H, W]` or `[N, D, H, W]`, without a channel axis: a tensor's `[N, H, W, 1]`
 *   is refused (read as volumes it would have width 1, which no realistic input has)
 * @throws Error naming `shape` (not `[N, H, W]` or `[N, D, H, W]` of positive integers, a last
 *   size of 1 in four sizes), `pred` (not an array or typed array of the
 *   shape's size, a NaN or infinite
 *   entry), `label` (the same, or an entry other than 0 and 1), or `options` / `options.<key>` (an
 *   unknown key, `threshold` not finite, `construction` other than 'T' or 'V', a non-boolean
 *   `clDice`, an `extra` metric that is not a function, takes a built-in name, or does not give
 *   one value per map).
 * @example
 * ```js
 * const test = segmentationSet({ kind: 'vessels', size: 32, count: 2, split: 'test', seed: 3 });
 * // pred: probabilities of the same shape, e.g. model.predict(x).dataSync(); here the images themselves
 * const m = segmentationMetrics(test.images, test.masks, test.shape);
 * // m.mean.dice, m.mean.clDice, m.mean.betti0Error, m.mean.topologyMatch, …; m.perImage: one value per image
 * const perfect = segmentationMetrics(test.masks, test.masks, test.shape);
 * // perfect.mean.dice → 1, perfect.mean.betti0Error → 0, perfect.mean.topologyMatch → 1
 * ```
 * @category Segmentation data and metrics
 */
export function segmentationMetrics(
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options?: SegmentationMetricsOptions,
): SegmentationMetrics {
  const batch = checkBatchShape(shape);
  const p = checkPredictions(pred, batch);
  const l = checkLabels(label, batch);
  const o = checkOptions(options, 'options', ['threshold', 'construction', 'clDice', 'extra']);
  const threshold = checkThreshold(o.threshold);
  const images = batch.spatial.length === 2;
  const withClDice = checkFlag(o.clDice, 'options.clDice', images);
  const extra = checkExtra(o.extra);

  // Built in the order the table lists them: Dice, clDice, the Betti errors, the match, the extras.
  const table: Record<string, Float64Array> = { dice: diceOf(p, l, batch, threshold, false) };
  if (withClDice) {
    const cl = clDiceOf(p, l, batch, threshold);
    table.clDice = cl.clDice;
    table.clDicePrecision = cl.precision;
    table.clDiceSensitivity = cl.sensitivity;
  }
  const construction = checkConstruction(o.construction);
  const betti = compareBetti(p, l, batch, threshold, construction);
  for (let k = 0; k < betti.dims; k++) {
    const errors = new Float64Array(batch.count);
    for (let m = 0; m < batch.count; m++)
      errors[m] = Math.abs(betti.pred[m * betti.dims + k] - betti.label[m * betti.dims + k]);
    table[`betti${k}Error`] = errors;
  }
  table.topologyMatch = matches(betti);
  table.bettiMatchingError = bettiMatchingErrorsOf(p, l, batch, threshold);
  const perImage = table as MetricTable<Float64Array>;
  for (const [name, metric] of extra) {
    const values = metric(p, l, batch.shape, { threshold });
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number')
      throw new Error(`options.extra.${name}: expected an array of ${batch.count} values, got ${describe(values)}`);
    if (values.length !== batch.count)
      throw new Error(`options.extra.${name}: expected ${batch.count} values (one per map), got ${values.length}`);
    perImage[name] = Float64Array.from(values);
  }

  const mean = {} as MetricTable<number>;
  for (const [name, values] of Object.entries(perImage))
    if (values) mean[name] = values.reduce((a, v) => a + v, 0) / values.length;
  return { count: batch.count, threshold, perImage, mean, betti };
}

function checkExtra(extra: unknown): [string, ExtraMetric][] {
  if (extra === undefined) return [];
  const o = checkOptions(extra as object, 'options.extra');
  const out: [string, ExtraMetric][] = [];
  for (const [name, metric] of Object.entries(o)) {
    if (BUILT_IN.includes(name))
      throw new Error(`options.extra.${name}: '${name}' is a built-in metric; give the extra one another name`);
    if (typeof metric !== 'function')
      throw new Error(
        `options.extra.${name}: expected a function (pred, label, shape, options) → one value per map, got ${describe(metric)}`,
      );
    out.push([name, metric as ExtraMetric]);
  }
  return out;
}
