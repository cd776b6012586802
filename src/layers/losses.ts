import * as tf from '@tensorflow/tfjs-core';
import { checkedTerm, checkTermConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { smearedCheckedTerm } from '../smear/smeared-term.js';
import { scheduled, SmearArgs, SmearSchedule, smearScheduleOf } from '../smear/smear-schedule.js';
import { checkArgs, checkNumber, describe } from '../base/checks.js';
import { PERSISTENCE_OP_KEYS } from '../ops/persistence-op.js';
import { LabelTerm, LabelTermConfig } from '../ops/label-term.js';
import { smearedLabelTerm } from '../smear/smeared-label-term.js';

/** The data-fitting part of a combined loss. */
export type BaseLoss = 'meanSquaredError' | 'binaryCrossentropy' | 'none';

/** The arguments of `topological`: the topological term, the base loss, the weight and the smear settings. */
export interface TopologicalLossArgs extends TopologicalTermConfig {
  /** Loss between labels and predictions, added to the topological term. Default 'meanSquaredError'. */
  base?: BaseLoss;
  /** Weight of the topological term. Default 1. */
  weight?: number;
  /**
   * STUMP smearing of the predictions before the term (omit for the vanilla term); a schedule's
   * steps are calls of the loss.
   */
  smear?: SmearArgs;
}

/** A loss function for `model.compile({ loss })`: (labels, predictions) → scalar. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * `base(yTrue, yPred) + weight · Φ(PD(yPred))` as a loss function for `model.compile`. The
 * topological term looks only at the predictions — it needs no topological labels — e.g.
 * `{ base: 'binaryCrossentropy', superlevel: true, functional: { kind: 'betti', dim: 0, betti: 1 } }`
 * asks each predicted mask for one connected component. With `smear`, the term is the STUMP
 * estimate over random approximates of the predictions.
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.base` (not
 *   'meanSquaredError', 'binaryCrossentropy' or 'none'), `args.weight` (not a finite number),
 *   `args.functional.<key>` (missing, no known `kind`, a required field missing, an option out of
 *   range, a `dim` outside `args.dims`), the persistence options `args.construction`,
 *   `args.superlevel`, `args.dims`, `args.essential`, and `args.smear.<key>` as `BlockSmear` and
 *   its schedule check them.
 * @example
 * ```js
 * const loss = losses.topological({ base: 'none', superlevel: true, functional: { kind: 'betti', dim: 0, betti: 1 } });
 * const yPred = tf.tensor4d([0.9, 0, 0.8], [1, 1, 3, 1]); // two blobs where one is wanted
 * loss(yPred, yPred); // → 0.64 = 0.8²: the second blob (born at 0.8, merged at 0) pushed to the diagonal
 * // In training: model.compile({ optimizer: 'adam', loss }), here with base 'binaryCrossentropy'
 * ```
 */
export function topological(args: TopologicalLossArgs): LossFunction {
  const {
    base = 'meanSquaredError',
    weight = 1,
    smear,
    ...term
  } = checkArgs(args, 'args', ['base', 'weight', 'smear', 'functional', ...PERSISTENCE_OP_KEYS]);
  checkTermConfig(term, 'args');
  checkBase(base);
  checkNumber(weight, 'args.weight', 1);
  const schedule = smearScheduleOf(smear, 'args.smear');
  return combined(base, weight, (_, yPred) =>
    scheduled(schedule, (smearer, samples) =>
      smearer ? smearedCheckedTerm(yPred, term, smearer, samples, 'args') : checkedTerm(yPred, term, 'args'),
    ),
  );
}

/** The arguments of `labelTopological`: the label-aware term, the base loss, the weight and the smear settings. */
export interface LabelTopologicalLossArgs {
  /** How each prediction is compared with its label, e.g. `{ kind: 'bettiMatching' }`. */
  term: LabelTermConfig;
  /** Loss between labels and predictions, added to the term. Default 'binaryCrossentropy'. */
  base?: BaseLoss;
  /** Weight of the term. Default 1. */
  weight?: number;
  /**
   * STUMP smearing of the predictions before a persistence term (omit for the vanilla term); a
   * schedule's steps are calls of the loss.
   */
  smear?: SmearArgs;
}

/**
 * `base(yTrue, yPred) + weight · term(yTrue, yPred)` as a loss function for `model.compile`, where
 * the term compares the topology of each predicted map with that of its label (`LabelTermConfig`:
 * Betti numbers, Wasserstein to the label's diagram, Betti matching, or clDice):
 *
 * ```js
 * model.compile({ optimizer: 'adam', loss: tfjsTopo.losses.labelTopological({
 *   term: { kind: 'bettiMatching' }, weight: 0.1, smear: { block: 2, noise: 0.05 } }) });
 * ```
 *
 * Predictions and labels are `[B, H, W, C]` (or `[B, D, H, W, C]`) probabilities with foreground
 * high; every channel is compared with the same channel of the label.
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.term` /
 *   `args.term.<key>` (missing, an unknown key, no known `kind`, an option out of range or that
 *   the kind does not read, `construction` 'T' with 'bettiMatching'), `args.base` (not one of its
 *   values), `args.weight` (not a finite number), `args.smear` / `args.smear.<key>` (smearing
 *   'clDice' or 'skeletonRecall', or a setting out of range); when called, `yTrue` / `yPred` for shapes that differ or
 *   are not batches of maps, `yTrue` for a label outside [0, 1] (persistence terms),
 *   `args.term.dims` beyond the maps' rank and `args.smear.block` for a block larger than them.
 * @example
 * ```js
 * const loss = losses.labelTopological({ term: { kind: 'betti' }, base: 'none' });
 * const label = tf.tensor4d([1, 0, 0], [1, 1, 3, 1]); // one blob
 * const yPred = tf.tensor4d([0.9, 0, 0.8], [1, 1, 3, 1]); // two blobs
 * loss(label, yPred); // → 0.64 = 0.8²: the label has one component; the second blob goes to the diagonal
 * loss(label, label); // → 0
 * ```
 */
export function labelTopological(args: LabelTopologicalLossArgs): LossFunction {
  const {
    base = 'binaryCrossentropy',
    weight = 1,
    smear,
  } = checkArgs(args, 'args', ['term', 'base', 'weight', 'smear']);
  const term = new LabelTerm(args.term, 'args.term');
  checkBase(base);
  checkNumber(weight, 'args.weight', 1);
  const schedule = labelSmear(term, smear, 'args.smear');
  return combined(base, weight, (yTrue, yPred) =>
    scheduled(schedule, (smearer, samples) =>
      smearer ? smearedLabelTerm(yTrue, yPred, term, smearer, samples) : term.evaluate(yTrue, yPred),
    ),
  );
}

/** The STUMP schedule of a label term's options (null for the vanilla term), validated. */
export function labelSmear(term: LabelTerm, smear: SmearArgs | undefined, name: string): SmearSchedule | null {
  if (smear !== undefined && !term.persistent)
    throw new Error(`${name}: the '${term.kind}' term reads no persistence and cannot be smeared`);
  return smearScheduleOf(smear, name);
}

function checkBase(base: BaseLoss): void {
  if (!['meanSquaredError', 'binaryCrossentropy', 'none'].includes(base))
    throw new Error(`args.base: expected 'meanSquaredError', 'binaryCrossentropy' or 'none', got ${describe(base)}`);
}

/** The loss function base(yTrue, yPred) + weight · term(yTrue, yPred), each call in one tidy. */
function combined(base: BaseLoss, weight: number, term: LossFunction): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const weighted = tf.mul(term(yTrue, yPred), weight);
      if (base === 'none') return weighted as tf.Scalar;
      const fit =
        base === 'meanSquaredError' ? tf.losses.meanSquaredError(yTrue, yPred) : binaryCrossentropy(yTrue, yPred);
      return tf.add(fit, weighted) as tf.Scalar;
    });
}

/** Mean binary cross-entropy of probabilities, clipped away from 0 and 1 as Keras does. */
function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const eps = 1e-7;
  const p = tf.clipByValue(yPred, eps, 1 - eps);
  const oneMinus = tf.sub(1, yTrue);
  return tf.neg(tf.mean(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(oneMinus, tf.log(tf.sub(1, p)))))) as tf.Scalar;
}
