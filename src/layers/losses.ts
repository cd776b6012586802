import * as tf from '@tensorflow/tfjs-core';
import { checkedTerm, checkTermConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { smearedCheckedTerm } from '../smear/smeared-term.js';
import { scheduled, SmearArgs, SmearSchedule, smearScheduleOf } from '../smear/smear-schedule.js';
import { checkArgs, checkNumber, describe } from '../base/checks.js';
import { PERSISTENCE_OP_KEYS } from '../ops/persistence-op.js';
import { LabelTerm, LabelTermConfig } from '../ops/label-term.js';
import { ClassMaps } from './class-maps.js';

/**
 * The data-fitting part of a combined loss, a mean over the elements of `yPred` (over its pixels for
 * `'categoricalCrossentropy'`):
 *
 * - `'meanSquaredError'`: of (y − p)²;
 * - `'binaryCrossentropy'`: of −(y log p + (1 − y) log(1 − p)), each channel a binary problem;
 * - `'categoricalCrossentropy'`: over pixels (all axes but the last, the classes) of −Σ_c y_c log p_c,
 *   for mutually exclusive classes with one-hot labels;
 * - `'none'`: no base loss.
 *
 * From probabilities, the cross-entropies clip p to [1e-7, 1 − 1e-7] as Keras does, and
 * `'categoricalCrossentropy'` first divides each pixel's p by its sum over the classes (as Keras).
 */
export type BaseLoss = 'meanSquaredError' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'none';

/** The values of `BaseLoss`. */
const BASE_LOSSES: readonly BaseLoss[] = ['meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy', 'none'];

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
 *   one of `BaseLoss`), `args.weight` (not a finite number),
 *   `args.functional.<key>` (missing, no known `kind`, a required field missing, an option out of
 *   range, a `dim` outside `args.dims`), the persistence options `args.construction`,
 *   `args.superlevel`, `args.dims`, `args.essential`, and `args.smear.<key>` as `BlockSmear` and
 *   its schedule check them; when called, `args.base` for 'categoricalCrossentropy' on a prediction
 *   that is not a batch of maps with 2 or more channels.
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
  /**
   * Loss between labels and predictions, added to the term (see `BaseLoss`). Default
   * 'categoricalCrossentropy' with `fromLogits: 'softmax'`, else 'binaryCrossentropy'. With
   * `fromLogits`, the cross-entropies are computed from the logits (log-sigmoid, log-softmax), not
   * from clipped probabilities; 'categoricalCrossentropy' is refused with sigmoid logits (independent
   * channels), 'binaryCrossentropy' with softmax logits (apply the softmax in the model and pass
   * probabilities for that).
   */
  base?: BaseLoss;
  /** Weight of the term. Default 1. */
  weight?: number;
  /**
   * STUMP smearing of the predictions before a persistence term (omit for the vanilla term); a
   * schedule's steps are calls of the loss.
   */
  smear?: SmearArgs;
  /**
   * What `yPred` holds: `false` (default) probabilities; `true` or `'sigmoid'` logits of
   * independent channels, whose probabilities are sigmoid(yPred) channel by channel (Keras's
   * `fromLogits: true`); `'softmax'` logits of mutually exclusive classes (one-hot labels, two
   * channels or more), whose probabilities are their softmax over the last (channel) axis. The term
   * always compares the probabilities with the label.
   */
  fromLogits?: boolean | 'sigmoid' | 'softmax';
  /**
   * One weight w_c ≥ 0 per channel (class) of `yPred`, not all 0; default: no weighting. With the
   * term's `reduction: 'mean'` the term becomes (1/C) Σ_c w_c · term_c, with `'sum'` Σ_c w_c · term_c,
   * where term_c is the term of channel c alone (over the batch's maps of that channel): all ones
   * give the unweighted term, except for 'clDice', which pools all maps of a call and is then
   * evaluated per channel. A channel of weight 0 is not evaluated (e.g. `[0, 1, 1]` ignores the
   * background channel 0), and channels of equal weight share one evaluation. The base loss is
   * weighted alike: the cross-entropy or squared error of channel c's elements times w_c
   * ('binaryCrossentropy', 'meanSquaredError': (1/C) Σ_c w_c · mean of channel c;
   * 'categoricalCrossentropy': each pixel's −Σ_c w_c y_c log p_c, the −log p of its true class times
   * that class's weight, averaged over the pixels, not divided by the weights of the labels seen).
   */
  classWeights?: readonly number[];
}

/**
 * `base(yTrue, yPred) + weight · term(yTrue, yPred)` as a loss function for `model.compile`, where
 * the term compares the topology of each predicted map with that of its label (`LabelTermConfig`:
 * Betti numbers, Wasserstein to the label's diagram, Betti matching, clDice, Skeleton Recall or the
 * component graph):
 *
 * ```js
 * model.compile({ optimizer: 'adam', loss: tfjsTopo.losses.labelTopological({
 *   term: { kind: 'bettiMatching' }, weight: 0.1, smear: { block: 2, noise: 0.05 } }) });
 * ```
 *
 * Predictions and labels are `[B, H, W, C]` (or `[B, D, H, W, C]`) probabilities with foreground
 * high, or logits with `fromLogits`; every channel is compared with the same channel of the label,
 * weighted by `classWeights`.
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.term` /
 *   `args.term.<key>` (missing, an unknown key, no known `kind`, an option out of range or that
 *   the kind does not read, `construction` 'T' with 'bettiMatching'), `args.base` (not one of its
 *   values, or 'categoricalCrossentropy' with `fromLogits` true or 'sigmoid', or
 *   'binaryCrossentropy' with 'softmax'), `args.weight` (not a finite number), `args.smear` /
 *   `args.smear.<key>` (smearing a term that reads no persistence — 'clDice', 'skeletonRecall',
 *   'componentGraph' — or a setting out of range),
 *   `args.fromLogits` (not false, true, 'sigmoid' or 'softmax'), `args.classWeights` (not a
 *   non-empty array, or all 0) / `args.classWeights[c]` (not a finite number ≥ 0); when called,
 *   `yTrue` / `yPred` for shapes that differ or are not batches of maps, `yTrue` for a label
 *   outside [0, 1] (persistence terms), `args.classWeights` for a count other than the channels
 *   of `yPred`, `args.fromLogits` for 'softmax' and `args.base` for 'categoricalCrossentropy' on
 *   one channel, `args.term.dims` beyond the maps' rank and `args.smear.block` for a block larger
 *   than them.
 * @example
 * ```js
 * const loss = losses.labelTopological({ term: { kind: 'betti' }, base: 'none' });
 * const label = tf.tensor4d([1, 0, 0], [1, 1, 3, 1]); // one blob
 * const yPred = tf.tensor4d([0.9, 0, 0.8], [1, 1, 3, 1]); // two blobs
 * loss(label, yPred); // → 0.64 = 0.8²: the label has one component; the second blob goes to the diagonal
 * loss(label, label); // → 0
 * ```
 * @example
 * ```js
 * // Two mutually exclusive classes, [background, foreground], from a network's raw logits:
 * const loss = losses.labelTopological({
 *   term: { kind: 'betti' },
 *   fromLogits: 'softmax', // base 'categoricalCrossentropy' by default then, computed from the logits
 *   classWeights: [1, 2], // the foreground's pixels and topology count double
 * });
 * const label = tf.tensor4d([0, 1, 1, 0, 1, 0], [1, 1, 3, 2]); // one-hot: one foreground pixel, then background
 * const logits = tf.tensor4d([-1, 1, 2, -2, 0, 1.4], [1, 1, 3, 2]); // foreground p = 0.88, 0.02, 0.8
 * loss(label, logits); // → 1.246 = CCE 0.631 + (1/2)(1 · 0 + 2 · 0.615): the foreground's second blob costs 0.784²
 * ```
 */
export function labelTopological(args: LabelTopologicalLossArgs): LossFunction {
  const { weight = 1, smear } = checkArgs(args, 'args', [
    'term',
    'base',
    'weight',
    'smear',
    'fromLogits',
    'classWeights',
  ]);
  const term = new LabelTerm(args.term, 'args.term');
  const maps = new ClassMaps(args.fromLogits, args.classWeights, 'args');
  const base = args.base ?? (maps.activation === 'softmax' ? 'categoricalCrossentropy' : 'binaryCrossentropy');
  checkBase(base);
  checkBaseFromLogits(base, maps);
  checkNumber(weight, 'args.weight', 1);
  const schedule = labelSmear(term, smear, 'args.smear');
  return combined(base, weight, (yTrue, yPred) => maps.term(yTrue, yPred, term, schedule), maps);
}

/** The STUMP schedule of a label term's options (null for the vanilla term), validated. */
export function labelSmear(term: LabelTerm, smear: SmearArgs | undefined, name: string): SmearSchedule | null {
  if (smear !== undefined && !term.persistent)
    throw new Error(`${name}: the '${term.kind}' term reads no persistence and cannot be smeared`);
  return smearScheduleOf(smear, name);
}

function checkBase(base: BaseLoss): void {
  if (!BASE_LOSSES.includes(base))
    throw new Error(
      `args.base: expected ${BASE_LOSSES.slice(0, -1)
        .map((b) => `'${b}'`)
        .join(', ')} or 'none', got ${describe(base)}`,
    );
}

/** Refuses a cross-entropy that does not fit the logits: categorical with sigmoids, binary with a softmax. */
function checkBaseFromLogits(base: BaseLoss, maps: ClassMaps): void {
  if (base === 'categoricalCrossentropy' && maps.activation === 'sigmoid')
    throw new Error(
      `args.base: 'categoricalCrossentropy' needs mutually exclusive classes, but fromLogits ${describe(maps.fromLogits)} makes each channel its own sigmoid; expected fromLogits 'softmax' (or probabilities), or base 'binaryCrossentropy'`,
    );
  if (base === 'binaryCrossentropy' && maps.activation === 'softmax')
    throw new Error(
      `args.base: 'binaryCrossentropy' from logits needs independent sigmoid channels, but fromLogits is 'softmax'; expected base 'categoricalCrossentropy' (the default with 'softmax'), 'meanSquaredError' or 'none'`,
    );
}

/**
 * The loss function base(yTrue, yPred) + weight · term(yTrue, yPred), each call in one tidy; the
 * base reads the prediction as `maps` says (null: probabilities, unweighted).
 */
function combined(base: BaseLoss, weight: number, term: LossFunction, maps: ClassMaps | null = null): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const weighted = tf.mul(term(yTrue, yPred), weight);
      return (base === 'none' ? weighted : tf.add(baseLoss(base, yTrue, yPred, maps), weighted)) as tf.Scalar;
    });
}

/** Where the cross-entropies clip probabilities, as Keras does. */
const EPSILON = 1e-7;

/**
 * The base loss (see `BaseLoss`) of `yPred` against `yTrue`: of logits or probabilities and weighted
 * per channel as `maps` says (null: probabilities, unweighted).
 */
function baseLoss(
  base: Exclude<BaseLoss, 'none'>,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  maps: ClassMaps | null,
): tf.Scalar {
  const activation = maps?.activation ?? null;
  const weights = maps?.weights;
  if (base === 'categoricalCrossentropy') {
    const channels = yPred.shape[yPred.rank - 1];
    if ((yPred.rank !== 4 && yPred.rank !== 5) || channels < 2)
      throw new Error(
        `args.base: 'categoricalCrossentropy' needs a batch [B, H, W, C] or [B, D, H, W, C] with 2 or more channels (one per class), got yPred of shape [${yPred.shape.join(', ')}]`,
      );
    const logP =
      activation === 'softmax'
        ? tf.logSoftmax(yPred)
        : tf.log(tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
    return tf.neg(tf.mean(tf.sum(perChannel(tf.mul(yTrue, logP), weights), -1))) as tf.Scalar;
  }
  const losses =
    base === 'meanSquaredError'
      ? tf.losses.meanSquaredError(yTrue, maps ? maps.probabilities(yPred) : yPred, undefined, tf.Reduction.NONE)
      : activation === 'sigmoid'
        ? tf.losses.sigmoidCrossEntropy(yTrue, yPred, undefined, 0, tf.Reduction.NONE)
        : binaryCrossentropy(yTrue, yPred);
  return tf.mean(perChannel(losses, weights)) as tf.Scalar;
}

/** `losses` with channel c (the last axis) times `weights[c]`; as they are without weights. */
function perChannel(losses: tf.Tensor, weights: readonly number[] | undefined): tf.Tensor {
  return weights ? tf.mul(losses, tf.tensor1d(weights.slice())) : losses;
}

/** Binary cross-entropy of probabilities per element, clipped away from 0 and 1 as Keras does. */
function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
  const oneMinus = tf.sub(1, yTrue);
  return tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(oneMinus, tf.log(tf.sub(1, p)))));
}
