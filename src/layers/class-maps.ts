import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';
import { checkPair, LabelTerm } from '../ops/label-term.js';
import { smearedLabelTerm } from '../smear/smeared-label-term.js';
import { scheduled, SmearSchedule } from '../smear/smear-schedule.js';

/** The values `fromLogits` accepts. */
const FROM_LOGITS: readonly unknown[] = [false, true, 'sigmoid', 'softmax'];

/**
 * The class channels of a label-aware loss or layer: how its prediction becomes probabilities
 * (`fromLogits`) and how the terms of its channels are weighted (`classWeights`), both validated
 * where the loss or layer is built; errors name `<name>.fromLogits` and `<name>.classWeights`.
 *
 * With weights, the term is (1/C) Σ_c w_c · term_c for `reduction: 'mean'` and Σ_c w_c · term_c
 * for `'sum'`, term_c being the term of channel c alone. Channels of equal weight share one call
 * of the term (one host read) when it combines per-map terms (its kind reads `reduction`): that
 * call's mean over their maps is the mean of their terms. A term that pools all the maps it is
 * given (`'clDice'`) is called per channel. A channel of weight 0 is not evaluated.
 */
export class ClassMaps {
  /** `fromLogits` as given (default false), for a layer's config. */
  readonly fromLogits: boolean | 'sigmoid' | 'softmax';
  /** The activation that turns the prediction into probabilities, or null when it holds them. */
  readonly activation: 'sigmoid' | 'softmax' | null;
  /** The weight of each channel (a copy of `classWeights`), or undefined for the unweighted term. */
  readonly weights: readonly number[] | undefined;
  private readonly name: string;

  constructor(fromLogits: unknown, classWeights: unknown, name: string) {
    if (fromLogits !== undefined && !FROM_LOGITS.includes(fromLogits))
      throw new Error(`${name}.fromLogits: expected false, true, 'sigmoid' or 'softmax', got ${describe(fromLogits)}`);
    this.fromLogits = (fromLogits ?? false) as boolean | 'sigmoid' | 'softmax';
    this.activation = this.fromLogits === false ? null : this.fromLogits === 'softmax' ? 'softmax' : 'sigmoid';
    this.weights = checkClassWeights(classWeights, `${name}.classWeights`);
    this.name = name;
  }

  /**
   * Checks a call's tensors: a label and a prediction of one shape, batches of maps (`checkPair`),
   * one weight per channel, and two channels or more for a softmax.
   */
  check(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const { channels } = checkPair(yTrue, yPred);
    if (this.weights !== undefined && this.weights.length !== channels)
      throw new Error(
        `${this.name}.classWeights: expected ${channels} weight${channels === 1 ? '' : 's'}, one per channel of yPred, got ${this.weights.length}`,
      );
    if (this.activation === 'softmax' && channels < 2)
      throw new Error(
        `${this.name}.fromLogits: 'softmax' over one channel is 1 everywhere; expected yPred with 2 or more channels, got shape [${yPred.shape.join(', ')}]`,
      );
  }

  /** The probabilities of the prediction: `yPred` itself, or its sigmoid, or its softmax over channels. */
  probabilities(yPred: tf.Tensor): tf.Tensor {
    if (this.activation === null) return yPred;
    return this.activation === 'sigmoid' ? tf.sigmoid(yPred) : tf.softmax(yPred);
  }

  /**
   * `term` of the prediction's probabilities against `yTrue`, checked (`check`), per channel
   * weighted, and smeared as `schedule` says (null: the vanilla term); one step of the schedule.
   */
  term(yTrue: tf.Tensor, yPred: tf.Tensor, term: LabelTerm, schedule: SmearSchedule | null): tf.Scalar {
    this.check(yTrue, yPred);
    const probabilities = this.probabilities(yPred);
    return scheduled(schedule, (smear, samples) => {
      const evaluate = (t: tf.Tensor, p: tf.Tensor): tf.Scalar =>
        smear ? smearedLabelTerm(t, p, term, smear, samples) : term.evaluate(t, p);
      return this.weighted(yTrue, probabilities, term, evaluate);
    });
  }

  /** `evaluate`'s term weighted per channel (unweighted: one call on all channels). */
  private weighted(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    term: LabelTerm,
    evaluate: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar,
  ): tf.Scalar {
    const weights = this.weights;
    if (weights === undefined) return evaluate(yTrue, yPred);
    const axis = yPred.rank - 1;
    const terms = this.groups(weights, 'reduction' in term.config).map(({ weight, channels }) => {
      // The term's 'mean' over these channels' maps is the mean of their terms: × their count / C.
      const factor = term.reduction === 'sum' ? weight : (weight * channels.length) / weights.length;
      const value =
        channels.length === weights.length
          ? evaluate(yTrue, yPred)
          : this.apart(channels, () => evaluate(tf.gather(yTrue, channels, axis), tf.gather(yPred, channels, axis)));
      return factor === 1 ? value : tf.mul(value, factor);
    });
    return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
  }

  /** `evaluate()` on some channels taken apart: its errors about yTrue or yPred say which channels. */
  private apart(channels: readonly number[], evaluate: () => tf.Scalar): tf.Scalar {
    try {
      return evaluate();
    } catch (e) {
      if (!(e instanceof Error) || !/^y(True|Pred)\b/.test(e.message)) throw e;
      const which = `channel${channels.length === 1 ? '' : 's'} ${channels.join(', ')}`;
      throw new Error(`${e.message} (in ${which} alone, evaluated apart for ${this.name}.classWeights)`, { cause: e });
    }
  }

  /**
   * The channels evaluated together, with their weight: those of equal weight in one group when
   * `perMap` (the term combines per-map terms), else one channel each; weight 0 left out.
   */
  private groups(weights: readonly number[], perMap: boolean): { weight: number; channels: number[] }[] {
    const groups: { weight: number; channels: number[] }[] = [];
    weights.forEach((weight, c) => {
      if (weight === 0) return;
      const same = perMap ? groups.find((g) => g.weight === weight) : undefined;
      if (same) same.channels.push(c);
      else groups.push({ weight, channels: [c] });
    });
    return groups;
  }
}

/** `classWeights` (`name`) copied: a non-empty array of finite numbers ≥ 0, not all 0; undefined stays undefined. */
function checkClassWeights(weights: unknown, name: string): number[] | undefined {
  if (weights === undefined) return undefined;
  if (!Array.isArray(weights) || weights.length === 0)
    throw new Error(`${name}: expected a non-empty array of weights ≥ 0, one per channel, got ${describe(weights)}`);
  const copy = Array.from(weights as unknown[], (w, c) => checkNumber(w, `${name}[${c}]`, undefined, 0, FLOAT32_MAX));
  if (copy.every((w) => w === 0))
    throw new Error(`${name}: expected a weight above 0 for at least one channel, got ${describe(weights)}`);
  return copy;
}
