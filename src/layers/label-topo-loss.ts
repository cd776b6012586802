import * as tf from '@tensorflow/tfjs-core';
import { layers, Shape } from '@tensorflow/tfjs-layers';
import { checkArgs, checkNumber, describe } from '../base/checks.js';
import { LabelTerm, LabelTermConfig } from '../ops/label-term.js';
import { SmearArgs, SmearSchedule } from '../smear/smear-schedule.js';
import { ClassMaps } from './class-maps.js';
import { labelSmear } from './losses.js';
import { LAYER_ARG_KEYS, LayerArgs, stripUndefined } from './topo-loss-base.js';

/** The keyword arguments of `Layer.call` (`training`, `mask`). */
type Kwargs = Parameters<layers.Layer['call']>[1];

/**
 * The arguments of `LabelTopoLoss`: the label-aware term, its weight, the smear settings, what the
 * prediction holds and the weights of its channels.
 */
export interface LabelTopoLossArgs extends LayerArgs {
  /** How each prediction is compared with its label, e.g. `{ kind: 'betti' }`. */
  term: LabelTermConfig;
  /** Weight of the term in the model's loss. Default 1. */
  weight?: number;
  /** STUMP smearing of the prediction before a persistence term (omit for the vanilla term). */
  smear?: SmearArgs;
  /**
   * What the prediction input holds: probabilities (`false`, the default) or logits (`true` /
   * `'sigmoid'`, `'softmax'`), as `LabelTopologicalLossArgs.fromLogits` says. The layer returns its
   * prediction input unchanged; only the term sees the probabilities.
   */
  fromLogits?: boolean | 'sigmoid' | 'softmax';
  /**
   * One weight ≥ 0 per channel of the prediction, for its term, as
   * `LabelTopologicalLossArgs.classWeights` says (the layer has no base loss).
   */
  classWeights?: readonly number[];
}

/**
 * A two-input identity layer for functional models: called on `[label, prediction]`, it returns
 * the prediction and, while training (`model.fit`, `trainOnBatch`; not `evaluate` or `predict`),
 * adds `weight · term(label, prediction)` to the model's loss — the label-aware form of the
 * topological loss layers, for models that take the label as an input. With `fromLogits`, the
 * prediction is logits and the term sees their sigmoid or softmax; with `classWeights`, the term of
 * each channel is weighted.
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.weight` (not
 *   a finite number), `args.term` / `args.term.<key>` (missing, an unknown key, no known `kind`, an
 *   option out of range or that the kind does not read, `construction` 'T' with 'bettiMatching'),
 *   `args.smear` / `args.smear.<key>` (smearing a term that reads no persistence — 'clDice',
 *   'skeletonRecall', 'componentGraph' — or a setting out of range), `args.fromLogits` (not false, true, 'sigmoid' or 'softmax'), `args.classWeights` (not a
 *   non-empty array, or all 0) / `args.classWeights[c]` (not a finite number ≥ 0); and, in a
 *   training step, an error naming the layer when it gets other than two inputs, `yTrue` / `yPred`
 *   (the label / the prediction) for shapes that differ or are not batches of maps or a label
 *   outside [0, 1], `args.classWeights` for a count other than the prediction's channels,
 *   `args.fromLogits` for 'softmax' on one channel, `args.term.dims` for a dimension beyond the
 *   input's rank, and `args.smear.block` for a block larger than the input.
 * @example
 * ```js
 * // Three classes from softmax logits; the background (channel 0) is left out of the term.
 * const image = tf.input({ shape: [8, 8, 1] });
 * const label = tf.input({ shape: [8, 8, 3] }); // one-hot
 * const logits = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(image);
 * const term = new layers.LabelTopoLoss({ term: { kind: 'betti' }, fromLogits: 'softmax', classWeights: [0, 1, 1] });
 * const model = tf.model({ inputs: [image, label], outputs: term.apply([label, logits]) });
 * model.compile({ optimizer: 'adam', loss: (y, z) => tf.losses.softmaxCrossEntropy(y, z) });
 * const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
 * const y = tf.oneHot(tf.randomUniform([2, 8, 8], 0, 3, 'int32', 2), 3).toFloat();
 * await model.fit([x, y], y, { epochs: 1, verbose: 0 }); // loss: CCE + (1/3)(term_1 + term_2)
 * ```
 */
export class LabelTopoLoss extends layers.Layer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'LabelTopoLoss';
  /** The label-aware term, built from `args.term`. */
  readonly term: LabelTerm;
  /** Weight of the term in the model's loss (`args.weight`). Default 1. */
  readonly weight: number;
  /** What the prediction input holds (`args.fromLogits`). Default false: probabilities. */
  readonly fromLogits: boolean | 'sigmoid' | 'softmax';
  /** The weight of each channel's term (`args.classWeights`), or undefined: unweighted. */
  readonly classWeights: readonly number[] | undefined;
  private readonly maps: ClassMaps;
  private readonly smearOptions: SmearArgs | undefined;
  private readonly schedule: SmearSchedule | null;
  private current: tf.Scalar | null = null; // this step's term, kept for the loss thunk

  constructor(args: LabelTopoLossArgs) {
    super(checkArgs(args, 'args', [...LAYER_ARG_KEYS, 'term', 'weight', 'smear', 'fromLogits', 'classWeights']));
    const { weight = 1, smear } = args;
    this.term = new LabelTerm(args.term, 'args.term');
    checkNumber(weight, 'args.weight', 1);
    this.weight = weight;
    this.maps = new ClassMaps(args.fromLogits, args.classWeights, 'args');
    this.fromLogits = this.maps.fromLogits;
    this.classWeights = this.maps.weights;
    this.schedule = labelSmear(this.term, smear, 'args.smear');
    // The seed drawn when none was given, so that a reloaded layer replays the same draws.
    this.smearOptions = smear && this.schedule ? { ...smear, seed: this.schedule.seed } : smear;
    // One thunk for the layer's lifetime: it hands fit() the term computed by this step's call().
    this.addLoss(() => this.current ?? tf.scalar(0));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const [label, prediction] = this.pair(inputs);
    if (kwargs['training'] === true) {
      const term = tf.tidy(
        () => tf.mul(this.maps.term(label, prediction, this.term, this.schedule), this.weight) as tf.Scalar,
      );
      this.current?.dispose();
      this.current = tf.keep(term);
    }
    return prediction;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    // One input's shape is a Shape (an array of sizes), several inputs' a Shape[].
    if (!Array.isArray(inputShape[0])) throw this.notPair(`one input of shape ${describe(inputShape)}`);
    return this.pair(inputShape as Shape[])[1];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own = stripUndefined({
      term: stripUndefined(this.term.config),
      weight: this.weight,
      smear: this.smearOptions,
      fromLogits: this.fromLogits === false ? undefined : this.fromLogits,
      classWeights: this.classWeights?.slice(),
    });
    return { ...super.getConfig(), ...own } as tf.serialization.ConfigDict;
  }

  override dispose() {
    this.current?.dispose();
    this.current = null;
    this.schedule?.dispose();
    return super.dispose();
  }

  /** The two inputs, the label then the prediction (exactly two). */
  private pair<T>(inputs: T | T[]): [T, T] {
    if (!Array.isArray(inputs))
      throw this.notPair(`one input${inputs instanceof tf.Tensor ? ` of shape ${describe(inputs.shape)}` : ''}`);
    if (inputs.length !== 2) throw this.notPair(`${inputs.length} input${inputs.length === 1 ? '' : 's'}`);
    return [inputs[0], inputs[1]];
  }

  /** The error for inputs other than a pair; `got` says what came. */
  private notPair(got: string): Error {
    return new Error(`${this.getClassName()} '${this.name}': expected two inputs [label, prediction], got ${got}`);
  }
}
tf.serialization.registerClass(LabelTopoLoss);
