/**
 * Layer factories, in the style of `tf.layers`: `topo.layers.smearedTopoLoss({...})`.
 */
import {
  SmearedComplexTopoLoss,
  SmearedComplexTopoLossArgs,
  VanillaComplexTopoLoss,
  VanillaComplexTopoLossArgs,
} from './complex-loss.js';
import {
  SmearedPointCloudTopoLoss,
  SmearedPointCloudTopoLossArgs,
  VanillaPointCloudTopoLoss,
  VanillaPointCloudTopoLossArgs,
} from './point-cloud-loss.js';
import { LabelTopoLoss, LabelTopoLossArgs } from './label-topo-loss.js';
import { SmearedTopoLoss, SmearedTopoLossArgs, VanillaTopoLoss, VanillaTopoLossArgs } from './topo-loss.js';

export {
  LabelTopoLoss,
  SmearedComplexTopoLoss,
  SmearedPointCloudTopoLoss,
  SmearedTopoLoss,
  VanillaComplexTopoLoss,
  VanillaPointCloudTopoLoss,
  VanillaTopoLoss,
};
export type {
  LabelTopoLossArgs,
  SmearedComplexTopoLossArgs,
  SmearedPointCloudTopoLossArgs,
  SmearedTopoLossArgs,
  VanillaComplexTopoLossArgs,
  VanillaPointCloudTopoLossArgs,
  VanillaTopoLossArgs,
};

/**
 * An identity layer that adds `weight · Φ(PD(input))` to the model's loss while training, with
 * the gradient of vanilla backpropagation through the persistence diagram.
 *
 * ```js
 * model.add(topo.layers.vanillaTopoLoss({
 *   superlevel: true,
 *   functional: { kind: 'betti', dim: 0, betti: 1 },
 *   weight: 0.1,
 * }));
 * ```
 */
export function vanillaTopoLoss(args: VanillaTopoLossArgs): VanillaTopoLoss {
  return new VanillaTopoLoss(args);
}

/**
 * An identity layer that adds the STUMP estimate of `weight · Φ(PD(input))` to the model's loss
 * while training: Φ is averaged over `samples` random approximates of the input (noise in
 * [−noise, noise], random convex pooling over `block`-sized blocks), which spreads the gradient
 * over whole blocks — faster and more robust optimization than the vanilla layer. A `schedule`
 * changes the smear by stages of training steps, e.g. exact for the last ones.
 *
 * ```js
 * model.add(topo.layers.smearedTopoLoss({
 *   superlevel: true,
 *   functional: { kind: 'betti', dim: 0, betti: 1 },
 *   block: 4, noise: 0.05, measure: 'simplex', weight: 0.1,
 *   schedule: [{ steps: 2000 }, { block: 2, steps: 1000 }, { block: 1, noise: 0 }], // optional
 * }));
 * ```
 */
export function smearedTopoLoss(args: SmearedTopoLossArgs): SmearedTopoLoss {
  return new SmearedTopoLoss(args);
}

/**
 * An identity layer on a batch of point clouds `[B, n, d]` that adds `weight · Φ(PD(Rips))` to the
 * model's loss while training, with the gradient of vanilla backpropagation through the critical
 * edges.
 *
 * ```js
 * model.add(topo.layers.vanillaPointCloudTopoLoss({
 *   maxDim: 1,
 *   functional: { kind: 'topK', dim: 1, k: 1, goal: 'maximize' },   // one strong loop per cloud
 * }));
 * ```
 */
export function vanillaPointCloudTopoLoss(args: VanillaPointCloudTopoLossArgs): VanillaPointCloudTopoLoss {
  return new VanillaPointCloudTopoLoss(args);
}

/**
 * The STUMP version of `vanillaPointCloudTopoLoss`: Φ averaged over `samples` random subsets of
 * `size` points per cloud, jittered by U[−jitter, jitter] — a fraction of the cost on large clouds,
 * with the gradient spread over many points.
 *
 * ```js
 * model.add(topo.layers.smearedPointCloudTopoLoss({
 *   maxDim: 1, size: 200, jitter: 0.01, samples: 2,
 *   functional: { kind: 'topK', dim: 1, k: 1, goal: 'maximize' },
 * }));
 * ```
 */
export function smearedPointCloudTopoLoss(args: SmearedPointCloudTopoLossArgs): SmearedPointCloudTopoLoss {
  return new SmearedPointCloudTopoLoss(args);
}

/**
 * An identity layer on a batch `[B, n]` of functions on the vertices of a fixed simplicial complex
 * (a mesh's triangles, a graph's edges) that adds `weight · Φ(PD(lower star))` to the model's loss
 * while training.
 *
 * ```js
 * model.add(topo.layers.vanillaComplexTopoLoss({
 *   simplices: mesh.triangles,                                   // [[0, 1, 2], [1, 2, 3], ...]
 *   functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [null, 0.1] },  // remove small extrema
 * }));
 * ```
 */
export function vanillaComplexTopoLoss(args: VanillaComplexTopoLossArgs): VanillaComplexTopoLoss {
  return new VanillaComplexTopoLoss(args);
}

/**
 * The STUMP version of `vanillaComplexTopoLoss`: Φ on random approximates of the function on the
 * nerve of a cover (your vertex sets in `cover`, or graph balls of `coverRadius` edges), with
 * random convex weights (`measure`) and noise.
 *
 * ```js
 * model.add(topo.layers.smearedComplexTopoLoss({
 *   simplices: mesh.triangles, coverRadius: 2, noise: 0.05, samples: 2,
 *   functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [null, 0.1] },
 * }));
 * ```
 */
export function smearedComplexTopoLoss(args: SmearedComplexTopoLossArgs): SmearedComplexTopoLoss {
  return new SmearedComplexTopoLoss(args);
}

/**
 * A two-input identity layer for functional models: `labelTopoLoss(args).apply([label, prediction])`
 * returns the prediction and, while training, adds `weight ·` a label-aware term (Betti numbers,
 * Wasserstein to the label's diagram, Betti matching, clDice; STUMP-smeared with `smear`).
 *
 * ```js
 * const label = tf.input({ shape: [64, 64, 1] });
 * const out = topo.layers.labelTopoLoss({ term: { kind: 'bettiMatching' }, weight: 0.1 }).apply([label, prediction]);
 * ```
 */
export function labelTopoLoss(args: LabelTopoLossArgs): LabelTopoLoss {
  return new LabelTopoLoss(args);
}
