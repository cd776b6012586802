import { checkFlag, checkOptions } from '../base/checks.js';
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
import { thinningFor } from './skeleton.js';

/**
 * Options of `dice`.
 *
 * @category Segmentation data and metrics
 */
export interface DiceOptions extends MetricOptions {
  /**
   * The soft Dice 2·Σ p·l / (Σ p + Σ l) on the raw predictions instead of the Dice of the
   * thresholded ones (the threshold is then unused). Default false.
   */
  soft?: boolean;
}

/**
 * The Dice coefficient of each map: 2·|P ∩ L| / (|P| + |L|) with P = {pred > threshold} and L the
 * label's foreground; 1 when both are empty. Works for images and volumes.
 *
 * @param pred predictions (probabilities, scores or 0/1), row-major `[N, H, W]` or `[N, D, H, W]`
 * @param label binary labels (0 or 1), same shape
 * @returns one value per map
 * @category Segmentation data and metrics
 */
export function dice(pred: HostMaps, label: HostMaps, shape: readonly number[], options?: DiceOptions): Float64Array {
  const batch = checkBatchShape(shape);
  const p = checkPredictions(pred, batch);
  const l = checkLabels(label, batch);
  const o = checkOptions(options, 'options', ['threshold', 'soft']);
  const threshold = checkThreshold(o.threshold);
  const soft = checkFlag(o.soft, 'options.soft');
  return diceOf(p, l, batch, threshold, soft);
}

export function diceOf(p: HostMaps, l: HostMaps, batch: Batch, threshold: number, soft: boolean): Float64Array {
  const { count, mapSize } = batch;
  const out = new Float64Array(count);
  for (let m = 0; m < count; m++) {
    let both = 0;
    let sum = 0;
    for (let i = m * mapSize; i < (m + 1) * mapSize; i++) {
      const pi = soft ? p[i] : p[i] > threshold ? 1 : 0;
      both += pi * l[i];
      sum += pi + l[i];
    }
    out[m] = sum === 0 ? 1 : (2 * both) / sum;
  }
  return out;
}

/**
 * The two halves of clDice and their harmonic mean, one value per map each.
 *
 * @category Segmentation data and metrics
 */
export interface ClDiceParts {
  /** Topology precision |S(P) ∩ L| / |S(P)|: how much of the prediction's skeleton lies in the label. */
  readonly precision: Float64Array;
  /** Topology sensitivity |S(L) ∩ P| / |S(L)|: how much of the label's skeleton the prediction covers. */
  readonly sensitivity: Float64Array;
  /** 2 · precision · sensitivity / (precision + sensitivity); 0 when both are 0. */
  readonly clDice: Float64Array;
}

/**
 * clDice (Shit et al., CVPR 2021) of each map, on the host and exact: with P = {pred > threshold},
 * L the label and S the morphological skeleton (`skeletonize`: topology-preserving Zhang–Suen
 * thinning), topology precision = |S(P) ∩ L| / |S(P)|, sensitivity = |S(L) ∩ P| / |S(L)|, and
 * clDice their harmonic mean. An empty skeleton gives a ratio of 1 (0/0: nothing to miss), so two
 * empty masks score 1 and an empty prediction of a non-empty label scores 0.
 *
 * Images `[N, H, W]` and volumes `[N, D, H, W]` (skeletons of volumes: `Thinning3D`).
 *
 * @param pred predictions (probabilities, scores or 0/1), row-major `[N, H, W]` or `[N, D, H, W]`
 * @param label binary labels (0 or 1), same shape
 * @returns clDice per map, with its precision and sensitivity
 * @category Segmentation data and metrics
 */
export function clDice(
  pred: HostMaps,
  label: HostMaps,
  shape: readonly number[],
  options?: MetricOptions,
): ClDiceParts {
  const batch = checkBatchShape(shape);
  const p = checkPredictions(pred, batch);
  const l = checkLabels(label, batch);
  const o = checkOptions(options, 'options', ['threshold']);
  return clDiceOf(p, l, batch, checkThreshold(o.threshold));
}

export function clDiceOf(p: HostMaps, l: HostMaps, batch: Batch, threshold: number): ClDiceParts {
  const { count, mapSize } = batch;
  const thinning = thinningFor(batch.spatial);
  const binary = new Uint8Array(mapSize);
  const skeleton = new Uint8Array(mapSize);
  const precision = new Float64Array(count);
  const sensitivity = new Float64Array(count);
  const harmonic = new Float64Array(count);
  const ratio = (hit: number, of: number) => (of === 0 ? 1 : hit / of);
  for (let m = 0; m < count; m++) {
    const base = m * mapSize;
    binarize(p, m, mapSize, threshold, binary);
    thinning.run(binary, 0, skeleton);
    let hit = 0;
    let of = 0;
    for (let i = 0; i < mapSize; i++)
      if (skeleton[i]) {
        of++;
        hit += l[base + i];
      }
    precision[m] = ratio(hit, of);
    thinning.run(l, base, skeleton);
    hit = 0;
    of = 0;
    for (let i = 0; i < mapSize; i++)
      if (skeleton[i]) {
        of++;
        hit += binary[i];
      }
    sensitivity[m] = ratio(hit, of);
    const s = precision[m] + sensitivity[m];
    harmonic[m] = s === 0 ? 0 : (2 * precision[m] * sensitivity[m]) / s;
  }
  return { precision, sensitivity, clDice: harmonic };
}
