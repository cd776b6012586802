import * as tf from '@tensorflow/tfjs-core';
import { layers, Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { checkFunctional, FunctionalConfig, topologicalTerm, TopologicalTermConfig } from '../ops/topological-term';
import { BlockSmear, BlockSmearOptions } from '../smear/block-smear';
import { smearedTerm } from './smeared-term';

export interface VanillaTopoLossArgs extends LayerArgs, Omit<TopologicalTermConfig, 'functional'> {
  /** The functional Φ, e.g. `{ kind: 'totalPersistence', dim: 0, lifetimeRange: [0.2, Infinity] }`. */
  functional: FunctionalConfig;
  /** Weight of the term in the model's loss. Default 1. */
  weight?: number;
}

/**
 * Identity layer that adds `weight · Φ(PD(input))` to the model's loss during training (in
 * `model.fit` and `trainOnBatch`; not in `evaluate` or `predict`). The input is a batch of images
 * `[B, H, W, C]` or volumes `[B, D, H, W, C]`; every channel of every item is one map, and the
 * functional sums over maps (or averages with `reduction: 'mean'`).
 */
export class VanillaTopoLoss extends layers.Layer {
  static className = 'VanillaTopoLoss';
  protected readonly term: TopologicalTermConfig;
  readonly weight: number;
  private current: tf.Scalar | null = null; // this step's term, kept for the loss thunk

  constructor(args: VanillaTopoLossArgs) {
    super(args);
    const { functional, construction, superlevel, dims, essential, weight = 1 } = args;
    checkFunctional(functional, 'args.functional');
    if (!Number.isFinite(weight)) throw new Error(`args.weight: expected a finite number, got ${weight}`);
    this.term = { functional, construction, superlevel, dims, essential };
    this.weight = weight;
    // One thunk for the layer's lifetime: it hands fit() the term computed by this step's call().
    this.addLoss(() => this.current ?? tf.scalar(0));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs['training'] === true) {
      const loss = tf.keep(tf.tidy(() => tf.mul(this.evaluate(x), this.weight) as tf.Scalar));
      this.current?.dispose();
      this.current = loss;
    }
    return x;
  }

  /** The unweighted term Φ(PD(x)) for one input; the smeared subclass averages approximates. */
  protected evaluate(x: tf.Tensor): tf.Scalar {
    return topologicalTerm(x, this.term);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...stripUndefined({ ...this.term, weight: this.weight }) } as tf.serialization.ConfigDict;
  }

  override dispose() {
    this.current?.dispose();
    this.current = null;
    return super.dispose();
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
  private readonly smear: BlockSmear;
  private readonly smearOptions: BlockSmearOptions;
  readonly samples: number;

  constructor(args: SmearedTopoLossArgs) {
    super(args);
    const { block, noise, measure, seed, samples = 1 } = args;
    this.smearOptions = { block, noise, measure, seed };
    this.smear = new BlockSmear(this.smearOptions);
    if (!Number.isInteger(samples) || samples < 1) throw new Error(`args.samples: expected an integer ≥ 1, got ${samples}`);
    this.samples = samples;
  }

  protected override evaluate(x: tf.Tensor): tf.Scalar {
    return smearedTerm(x, this.term, this.smear, this.samples);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...stripUndefined({ ...this.smearOptions, samples: this.samples }) } as tf.serialization.ConfigDict;
  }

  override dispose() {
    this.smear.dispose();
    return super.dispose();
  }
}
tf.serialization.registerClass(SmearedTopoLoss);

/** Drops undefined fields so configs serialize to JSON and round-trip to the same defaults. */
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
