import * as tf from '@tensorflow/tfjs-core';
import { layers, Shape } from '@tensorflow/tfjs-layers';
import { checkArgs, checkNumber, describe } from '../base/checks.js';
import { LabelTerm, LabelTermConfig } from '../ops/label-term.js';
import { smearedLabelTerm } from '../smear/smeared-label-term.js';
import { scheduled, SmearArgs, SmearSchedule } from '../smear/smear-schedule.js';
import { labelSmear } from './losses.js';
import { LAYER_ARG_KEYS, LayerArgs, stripUndefined } from './topo-loss-base.js';

/** The keyword arguments of `Layer.call` (`training`, `mask`). */
type Kwargs = Parameters<layers.Layer['call']>[1];

/** The arguments of `LabelTopoLoss`: the label-aware term, its weight and the smear settings. */
export interface LabelTopoLossArgs extends LayerArgs {
  /** How each prediction is compared with its label, e.g. `{ kind: 'betti' }`. */
  term: LabelTermConfig;
  /** Weight of the term in the model's loss. Default 1. */
  weight?: number;
  /** STUMP smearing of the prediction before a persistence term (omit for the vanilla term). */
  smear?: SmearArgs;
}

/**
 * A two-input identity layer for functional models: called on `[label, prediction]`, it returns
 * the prediction and, while training (`model.fit`, `trainOnBatch`; not `evaluate` or `predict`),
 * adds `weight · term(label, prediction)` to the model's loss — the label-aware form of the
 * topological loss layers, for models that take the label as an input.
 */
export class LabelTopoLoss extends layers.Layer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'LabelTopoLoss';
  /** The label-aware term, built from `args.term`. */
  readonly term: LabelTerm;
  /** Weight of the term in the model's loss (`args.weight`). Default 1. */
  readonly weight: number;
  private readonly smearOptions: SmearArgs | undefined;
  private readonly schedule: SmearSchedule | null;
  private current: tf.Scalar | null = null; // this step's term, kept for the loss thunk

  constructor(args: LabelTopoLossArgs) {
    super(checkArgs(args, 'args', [...LAYER_ARG_KEYS, 'term', 'weight', 'smear']));
    const { weight = 1, smear } = args;
    this.term = new LabelTerm(args.term, 'args.term');
    checkNumber(weight, 'args.weight', 1);
    this.weight = weight;
    this.schedule = labelSmear(this.term, smear, 'args.smear');
    // The seed drawn when none was given, so that a reloaded layer replays the same draws.
    this.smearOptions = smear && this.schedule ? { ...smear, seed: this.schedule.seed } : smear;
    // One thunk for the layer's lifetime: it hands fit() the term computed by this step's call().
    this.addLoss(() => this.current ?? tf.scalar(0));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const [label, prediction] = this.pair(inputs);
    if (kwargs['training'] === true) {
      const term = tf.tidy(() => {
        const t = scheduled(this.schedule, (smear, samples) =>
          smear
            ? smearedLabelTerm(label, prediction, this.term, smear, samples)
            : this.term.evaluate(label, prediction),
        );
        return tf.mul(t, this.weight) as tf.Scalar;
      });
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
