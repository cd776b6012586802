import * as tf from '@tensorflow/tfjs-core';
import { checkDimsComputed, checkedTerm, TopologicalTermConfig } from '../ops/topological-term.js';
import { smearedCheckedTerm } from '../smear/smeared-term.js';
import { scheduled, SMEAR_ARG_KEYS, SmearArgs, SmearSchedule } from '../smear/smear-schedule.js';
import { checkPersistenceOptions, PERSISTENCE_OP_KEYS } from '../ops/persistence-op.js';
import { TopoLossLayer, TopoLossLayerArgs } from './topo-loss-base.js';

/** The arguments of `VanillaTopoLoss`: the functional, the weight and the persistence options. */
export interface VanillaTopoLossArgs extends TopoLossLayerArgs, Omit<TopologicalTermConfig, 'functional'> {}

/**
 * Identity layer that adds `weight · Φ(PD(input))` to the model's loss during training (in
 * `model.fit` and `trainOnBatch`; not in `evaluate` or `predict`). The input is a batch of images
 * `[B, H, W, C]` or volumes `[B, D, H, W, C]`; every channel of every item is one map, and the
 * functional sums over maps (or averages with `reduction: 'mean'`).
 */
export class VanillaTopoLoss extends TopoLossLayer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'VanillaTopoLoss';
  static override argKeys = [...TopoLossLayer.argKeys, ...PERSISTENCE_OP_KEYS];
  protected readonly term: TopologicalTermConfig;

  constructor(args: VanillaTopoLossArgs) {
    super(args);
    checkPersistenceOptions(args, 'args');
    checkDimsComputed(this.functional, args.dims, 'args');
    const { construction, superlevel, dims, periodic, essential } = args;
    this.term = { functional: this.functional, construction, superlevel, dims, periodic, essential };
  }

  /** Φ(PD(x)); the smeared subclass averages approximates. */
  protected evaluate(x: tf.Tensor): tf.Scalar {
    return checkedTerm(x, this.term, 'args');
  }

  protected termConfig(): object {
    const { construction, superlevel, dims, periodic, essential } = this.term;
    return { construction, superlevel, dims, periodic, essential };
  }
}
tf.serialization.registerClass(VanillaTopoLoss);

/** `VanillaTopoLossArgs` and the smear settings (`block`, `noise`, …, `samples`, `schedule`). */
export type SmearedTopoLossArgs = VanillaTopoLossArgs & SmearArgs;

/**
 * `VanillaTopoLoss` with STUMP smearing: each training step draws `samples` random approximates
 * (noise U[−noise, noise], random convex pooling over `block`-sized blocks with the chosen
 * `measure`) and adds `weight ·` the mean of Φ over them. The gradient reaches every element of
 * each block, not only the critical ones, which is what makes the optimization faster and more
 * robust (Solomon, Wagner & Bendich 2021). With `schedule`, the settings change by stages of
 * training steps, e.g. coarse to fine and exact at the end.
 */
export class SmearedTopoLoss extends VanillaTopoLoss {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static override className = 'SmearedTopoLoss';
  static override argKeys = [...VanillaTopoLoss.argKeys, ...SMEAR_ARG_KEYS];
  private readonly schedule: SmearSchedule;
  private readonly smearOptions: SmearArgs;

  constructor(args: SmearedTopoLossArgs) {
    super(args);
    const { block, noise, measure, seed, range, samples, schedule } = args;
    this.schedule = new SmearSchedule({ block, noise, measure, seed, range }, schedule, samples, 'args');
    // The seed drawn when none was given, so that a reloaded layer replays the same draws.
    this.smearOptions = { block, noise, measure, seed: this.schedule.seed, range, samples, schedule };
  }

  /** Approximates averaged per step. */
  get samples(): number {
    return this.schedule.samples;
  }

  /** The current stage of the schedule (0 without one); training steps move it on. */
  get stage(): number {
    return this.schedule.stage;
  }

  protected override evaluate(x: tf.Tensor): tf.Scalar {
    return scheduled(this.schedule, (smear, samples) =>
      smear ? smearedCheckedTerm(x, this.term, smear, samples, 'args') : checkedTerm(x, this.term, 'args'),
    );
  }

  protected override termConfig(): object {
    return { ...super.termConfig(), ...this.smearOptions };
  }

  override dispose() {
    this.schedule.dispose();
    return super.dispose();
  }
}
tf.serialization.registerClass(SmearedTopoLoss);
