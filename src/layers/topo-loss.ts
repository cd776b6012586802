import * as tf from '@tensorflow/tfjs-core';
import { checkDimsComputed, topologicalTerm, TopologicalTermConfig } from '../ops/topological-term.js';
import { BLOCK_SMEAR_KEYS, BlockSmear, BlockSmearOptions } from '../smear/block-smear.js';
import { checkSamples, smearedTerm } from '../smear/smeared-term.js';
import { checkPersistenceOptions, PERSISTENCE_OP_KEYS } from '../ops/persistence-op.js';
import { asArgument } from '../base/checks.js';
import { TopoLossLayer, TopoLossLayerArgs } from './topo-loss-base.js';

export interface VanillaTopoLossArgs extends TopoLossLayerArgs, Omit<TopologicalTermConfig, 'functional'> {}

/**
 * Identity layer that adds `weight · Φ(PD(input))` to the model's loss during training (in
 * `model.fit` and `trainOnBatch`; not in `evaluate` or `predict`). The input is a batch of images
 * `[B, H, W, C]` or volumes `[B, D, H, W, C]`; every channel of every item is one map, and the
 * functional sums over maps (or averages with `reduction: 'mean'`).
 */
export class VanillaTopoLoss extends TopoLossLayer {
  static className = 'VanillaTopoLoss';
  static override argKeys = [...TopoLossLayer.argKeys, ...PERSISTENCE_OP_KEYS];
  protected readonly term: TopologicalTermConfig;

  constructor(args: VanillaTopoLossArgs) {
    super(args);
    checkPersistenceOptions(args, 'args');
    checkDimsComputed(this.functional, args.dims, 'args');
    const { construction, superlevel, dims, essential } = args;
    this.term = { functional: this.functional, construction, superlevel, dims, essential };
  }

  /** Φ(PD(x)); the smeared subclass averages approximates. */
  protected evaluate(x: tf.Tensor): tf.Scalar {
    return topologicalTerm(x, this.term);
  }

  protected termConfig(): object {
    const { construction, superlevel, dims, essential } = this.term;
    return { construction, superlevel, dims, essential };
  }
}
tf.serialization.registerClass(VanillaTopoLoss);

export interface SmearedTopoLossArgs extends VanillaTopoLossArgs, BlockSmearOptions {
  /** Approximates averaged per step. Default 1 (the paper's setting). */
  samples?: number;
}

/**
 * `VanillaTopoLoss` with STUMP smearing: each training step draws `samples` random approximates
 * (noise U[−noise, noise], random convex pooling over `block`-sized blocks with the chosen
 * `measure`) and adds `weight ·` the mean of Φ over them. The gradient reaches every element of
 * each block, not only the critical ones, which is what makes the optimization faster and more
 * robust (Solomon, Wagner & Bendich 2021).
 */
export class SmearedTopoLoss extends VanillaTopoLoss {
  static override className = 'SmearedTopoLoss';
  static override argKeys = [...VanillaTopoLoss.argKeys, ...BLOCK_SMEAR_KEYS, 'samples'];
  private readonly smear: BlockSmear;
  private readonly smearOptions: BlockSmearOptions;
  readonly samples: number;

  constructor(args: SmearedTopoLossArgs) {
    super(args);
    const { block, noise, measure, seed, range, samples = 1 } = args;
    this.smearOptions = { block, noise, measure, seed, range };
    this.smear = asArgument('args', () => new BlockSmear(this.smearOptions));
    checkSamples(samples, 'args.samples');
    this.samples = samples;
  }

  protected override evaluate(x: tf.Tensor): tf.Scalar {
    return smearedTerm(x, this.term, this.smear, this.samples);
  }

  protected override termConfig(): object {
    return { ...super.termConfig(), ...this.smearOptions, samples: this.samples };
  }

  override dispose() {
    this.smear.dispose();
    return super.dispose();
  }
}
tf.serialization.registerClass(SmearedTopoLoss);
