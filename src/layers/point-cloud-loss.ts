import * as tf from '@tensorflow/tfjs-core';
import { pointCloudTerm, PointCloudTermConfig, RipsOpOptions } from '../ops/rips-op.js';
import { checkDimsComputed } from '../ops/topological-term.js';
import { PointSubsample, PointSubsampleOptions } from '../smear/point-subsample.js';
import { smearedPointCloudTerm } from '../smear/smeared-term.js';
import { TopoLossLayer, TopoLossLayerArgs } from './topo-loss-base.js';
import { RipsPersistence } from '../persistence/rips/rips.js';
import { asArgument, checkInteger } from '../base/checks.js';

/** The arguments of `VanillaPointCloudTopoLoss`: the functional, the weight and the Rips options. */
export interface VanillaPointCloudTopoLossArgs extends TopoLossLayerArgs, RipsOpOptions {}

/**
 * Identity layer that adds `weight · Φ(PD(Rips(input)))` to the model's loss during training. The
 * input is a batch of point clouds `[B, n, d]` (e.g. embeddings or generated point sets); each
 * item is one map, and the functional sums over them (or averages with `reduction: 'mean'`).
 * Gradients reach the coordinates of the points on every pair's critical edges.
 */
export class VanillaPointCloudTopoLoss extends TopoLossLayer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'VanillaPointCloudTopoLoss';
  static override argKeys = [...TopoLossLayer.argKeys, 'maxDim', 'threshold'];
  protected readonly term: PointCloudTermConfig;

  constructor(args: VanillaPointCloudTopoLossArgs) {
    super(args);
    const { maxDim, threshold } = args;
    const engine = asArgument('args', () => new RipsPersistence({ maxDim, threshold })); // checks them now
    const dims = Array.from({ length: engine.maxDim + 1 }, (_, k) => k);
    checkDimsComputed(this.functional, dims, 'args', `args.maxDim is ${engine.maxDim}`);
    this.term = { functional: this.functional, maxDim, threshold };
  }

  protected evaluate(points: tf.Tensor): tf.Scalar {
    return pointCloudTerm(points, this.term);
  }

  protected termConfig(): object {
    const { maxDim, threshold } = this.term;
    return { maxDim, threshold };
  }
}
tf.serialization.registerClass(VanillaPointCloudTopoLoss);

/** The arguments of `SmearedPointCloudTopoLoss`: `VanillaPointCloudTopoLossArgs` and the subsample settings. */
export interface SmearedPointCloudTopoLossArgs extends VanillaPointCloudTopoLossArgs, PointSubsampleOptions {
  /** Approximates averaged per step. Default 1. */
  samples?: number;
}

/**
 * `VanillaPointCloudTopoLoss` with STUMP smearing (paper, Section IV.B): each training step draws
 * `samples` approximates of every cloud — `size` points chosen uniformly (or by farthest-point
 * sampling) and jittered by U[−jitter, jitter] — and adds `weight ·` the mean of Φ over them. Each
 * approximate is far cheaper than the whole cloud, and the gradient spreads over many points.
 */
export class SmearedPointCloudTopoLoss extends VanillaPointCloudTopoLoss {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static override className = 'SmearedPointCloudTopoLoss';
  static override argKeys = [...VanillaPointCloudTopoLoss.argKeys, 'size', 'jitter', 'sampling', 'seed', 'samples'];
  private readonly subsample: PointSubsample;
  private readonly subsampleOptions: PointSubsampleOptions;
  /** Approximates averaged per step (`args.samples`). Default 1. */
  readonly samples: number;

  constructor(args: SmearedPointCloudTopoLossArgs) {
    super(args);
    const { size, jitter, sampling, seed, samples = 1 } = args;
    this.subsampleOptions = { size, jitter, sampling, seed };
    this.subsample = asArgument('args', () => new PointSubsample(this.subsampleOptions));
    checkInteger(samples, 'args.samples', 1, 1);
    this.samples = samples;
  }

  protected override evaluate(points: tf.Tensor): tf.Scalar {
    return smearedPointCloudTerm(points, this.term, this.subsample, this.samples);
  }

  protected override termConfig(): object {
    // The seed drawn when none was given, so that a reloaded layer replays the same draws.
    return { ...super.termConfig(), ...this.subsampleOptions, seed: this.subsample.seed, samples: this.samples };
  }
}
tf.serialization.registerClass(SmearedPointCloudTopoLoss);
