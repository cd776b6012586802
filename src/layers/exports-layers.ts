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
import { PersLay, PersLayArgs } from './pers-lay.js';
import { SmearedTopoLoss, SmearedTopoLossArgs, VanillaTopoLoss, VanillaTopoLossArgs } from './topo-loss.js';

export {
  LabelTopoLoss,
  PersLay,
  SmearedComplexTopoLoss,
  SmearedPointCloudTopoLoss,
  SmearedTopoLoss,
  VanillaComplexTopoLoss,
  VanillaPointCloudTopoLoss,
  VanillaTopoLoss,
};
export type {
  LabelTopoLossArgs,
  PersLayArgs,
  SmearedComplexTopoLossArgs,
  SmearedPointCloudTopoLossArgs,
  SmearedTopoLossArgs,
  VanillaComplexTopoLossArgs,
  VanillaPointCloudTopoLossArgs,
  VanillaTopoLossArgs,
};
// The parts of PersLayArgs, for users who build them separately.
export type {
  PersLayConstantWeight,
  PersLayGridWeight,
  PersLayImagePhi,
  PersLayLandscapePhi,
  PersLayPhi,
  PersLayPooling,
  PersLayPowerWeight,
  PersLayStructurePhi,
  PersLayWeight,
} from './pers-lay.js';

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
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key,
 *   `args.functional.<key>` (missing, no known `kind`, a required field missing, an option out of
 *   range, a `dim` outside `args.dims`), `args.weight` (not a finite number), or the persistence
 *   options `args.construction`, `args.superlevel`, `args.dims`, `args.essential` out of range.
 * @example
 * ```js
 * const model = tf.sequential();
 * const conv = { inputShape: [8, 8, 1], filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' };
 * model.add(tf.layers.conv2d(conv)); // maps in [0, 1]
 * model.add(layers.vanillaTopoLoss({ superlevel: true, functional: { kind: 'betti', dim: 0, betti: 1 },
 *   weight: 0.1 })); // one component per predicted map
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * const xs = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
 * const { history } = await model.fit(xs, xs, { epochs: 2, verbose: 0 });
 * // history.loss: per epoch, the MSE plus 0.1 × the Betti term of the predicted maps
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
 *
 * @throws Error naming `args` or `args.<key>` as `vanillaTopoLoss` does, and the smear settings:
 *   `args.block` (missing without a schedule that gives one, not positive integers),
 *   `args.noise`, `args.measure`, `args.seed`, `args.range`, `args.samples` out of range, and
 *   `args.schedule` / `args.schedule[i].<key>` (not a non-empty array, an unknown key, a stage
 *   but the last without `steps` or `plateau`, the last with one).
 * @example
 * ```js
 * const model = tf.sequential();
 * const conv = { inputShape: [8, 8, 1], filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' };
 * model.add(tf.layers.conv2d(conv)); // maps in [0, 1]
 * model.add(layers.smearedTopoLoss({ superlevel: true, functional: { kind: 'betti', dim: 0, betti: 1 },
 *   block: 2, noise: 0.05, seed: 1, weight: 0.1 }));
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * const xs = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
 * const { history } = await model.fit(xs, xs, { epochs: 2, verbose: 0 }); // the term on 4×4 approximates
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
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key,
 *   `args.functional.<key>` (missing, no known `kind`, a required field missing, an option out of
 *   range, a `dim` above `maxDim`), `args.weight` (not a finite number), `args.maxDim` (not 0, 1
 *   or 2), `args.threshold` (not a positive number).
 * @example
 * ```js
 * const model = tf.sequential();
 * model.add(tf.layers.dense({ inputShape: [8, 2], units: 2 })); // 8 points in the plane per item
 * model.add(layers.vanillaPointCloudTopoLoss({ functional: { kind: 'topK', dim: 1, k: 1, goal: 'maximize' } }));
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const clouds = tf.randomNormal([2, 8, 2], 0, 1, 'float32', 1);
 * const { history } = await model.fit(clouds, clouds, { epochs: 2, verbose: 0 });
 * // history.loss: the MSE minus, summed over the output clouds, each one's longest H1 lifetime
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
 *
 * @throws Error naming `args` or `args.<key>` as `vanillaPointCloudTopoLoss` does, and
 *   `args.size` (not an integer ≥ 2), `args.jitter`, `args.sampling`, `args.seed`, `args.samples`
 *   out of range.
 * @example
 * ```js
 * const model = tf.sequential();
 * model.add(tf.layers.dense({ inputShape: [8, 2], units: 2 }));
 * model.add(layers.smearedPointCloudTopoLoss({ size: 6, jitter: 0.01, seed: 1,
 *   functional: { kind: 'topK', dim: 1, k: 1, goal: 'maximize' } })); // Rips of 6 of the 8 points per step
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const clouds = tf.randomNormal([2, 8, 2], 0, 1, 'float32', 1);
 * const { history } = await model.fit(clouds, clouds, { epochs: 2, verbose: 0 });
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
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key,
 *   `args.functional.<key>` (missing, no known `kind`, a required field missing, an option out of
 *   range, a `dim` outside `args.dims`), `args.weight` (not a finite number), `args.superlevel`,
 *   `args.dims` (outside 0..dimension of the complex), `args.essential`, and `args.simplices`,
 *   `args.simplices[i]` or `args.numVertices` for a malformed complex.
 * @example
 * ```js
 * const model = tf.sequential();
 * model.add(tf.layers.dense({ inputShape: [4], units: 4 })); // one value per vertex of the complex
 * model.add(layers.vanillaComplexTopoLoss({ simplices: [[0, 1], [1, 2], [2, 3], [3, 0]], // a square's boundary
 *   functional: { kind: 'totalPersistence', dim: 0 } })); // fewer, shallower local minima
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const xs = tf.randomUniform([2, 4], 0, 1, 'float32', 1);
 * const { history } = await model.fit(xs, xs, { epochs: 2, verbose: 0 });
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
 *
 * @throws Error naming `args` or `args.<key>` as `vanillaComplexTopoLoss` does, `args.noise`,
 *   `args.measure`, `args.seed`, `args.samples` out of range, `args.cover` / `args.cover[i]` for
 *   a `cover` that is not a cover of the vertices, and `args.coverRadius` when it is not an
 *   integer ≥ 0.
 * @example
 * ```js
 * const ring = Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8]); // a cycle of 8 vertices
 * const model = tf.sequential();
 * model.add(tf.layers.dense({ inputShape: [8], units: 8 }));
 * model.add(layers.smearedComplexTopoLoss({ simplices: ring, coverRadius: 1, noise: 0.05, seed: 1,
 *   functional: { kind: 'totalPersistence', dim: 0 } })); // on the nerve of balls of 1 edge
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const xs = tf.randomUniform([2, 8], 0, 1, 'float32', 1);
 * await model.fit(xs, xs, { epochs: 2, verbose: 0 });
 * ```
 */
export function smearedComplexTopoLoss(args: SmearedComplexTopoLossArgs): SmearedComplexTopoLoss {
  return new SmearedComplexTopoLoss(args);
}

/**
 * A two-input identity layer for functional models: `labelTopoLoss(args).apply([label, prediction])`
 * returns the prediction and, while training, adds `weight ·` a label-aware term (Betti numbers,
 * Wasserstein to the label's diagram, Betti matching, clDice, Skeleton Recall, the component graph;
 * STUMP-smeared with `smear`; of logits with `fromLogits`, per class weighted by `classWeights`).
 *
 * ```js
 * const label = tf.input({ shape: [64, 64, 1] });
 * const out = topo.layers.labelTopoLoss({ term: { kind: 'bettiMatching' }, weight: 0.1 }).apply([label, prediction]);
 * ```
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.weight` (not
 *   a finite number), `args.term` / `args.term.<key>` (missing, an unknown key, no known `kind`,
 *   an option out of range, `construction` 'T' with 'bettiMatching'), `args.smear` /
 *   `args.smear.<key>` (smearing 'clDice', 'skeletonRecall' or 'componentGraph', which read no
 *   persistence, or a setting out of range); an option that the term's kind does not read
 *   (`args.term.<key>`); `args.fromLogits` (not false, true, 'sigmoid' or 'softmax');
 *   `args.classWeights` (not a non-empty array, or all 0) / `args.classWeights[c]` (not a finite
 *   number ≥ 0); and, when called, an error naming the layer when it gets other than two inputs,
 *   `args.classWeights` for a count other than the prediction's channels, `args.fromLogits` for
 *   'softmax' over one channel, `args.term.dims` for a dimension beyond the input's rank, and
 *   `args.smear.block` for a block larger than the input.
 * @example
 * ```js
 * const image = tf.input({ shape: [8, 8, 1] });
 * const label = tf.input({ shape: [8, 8, 1] });
 * const conv = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' });
 * const prediction = conv.apply(image);
 * const out = layers.labelTopoLoss({ term: { kind: 'bettiMatching' }, weight: 0.1 }).apply([label, prediction]);
 * const model = tf.model({ inputs: [image, label], outputs: out }); // the label is an input too
 * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
 * const masks = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1).round();
 * await model.fit([masks, masks], masks, { epochs: 2, verbose: 0 });
 * ```
 */
export function labelTopoLoss(args: LabelTopoLossArgs): LabelTopoLoss {
  return new LabelTopoLoss(args);
}

/**
 * A PersLay layer (Carrière et al., AISTATS 2020): a batch of padded persistence diagrams
 * `[B, N, 3]` (what `paddedDiagrams` gives) in, one fixed-size vector per diagram out —
 * pool_{p ∈ D} w(p) · φ(p) — to feed dense layers. φ is `'gaussian'` or `'tent'` (learned
 * centres and widths), `'image'` (a persistence image with a learned σ) or `'landscape'` (fixed
 * samples); w is constant, a learned multiple of lifetime^power, or a learned grid; the pooling
 * `'sum'`, `'mean'`, `'max'` or `'topk'` (with `k`). Trainable in `model.fit`, saved and loaded
 * with the model.
 *
 * ```js
 * const diagrams = tf.input({ shape: [32, 3] }); // 32 rows per diagram: (birth, death, mask)
 * const features = topo.layers.persLay({
 *   phi: { kind: 'gaussian', units: 16, range: [0, 1, 0, 1], bandwidth: 0.2 },
 *   weight: { kind: 'power', power: 1 },
 *   pooling: 'sum',
 * }).apply(diagrams); // [B, 16]
 * ```
 *
 * @throws Error naming `args` (not an object) or `args.<key>`: an unknown key, `args.phi` /
 *   `args.phi.<key>` (no known `kind`, a key the kind does not read, `units`, `range`,
 *   `resolution`, `bandwidth`, `seed` missing or out of range), `args.weight` / `args.weight.<key>`
 *   (likewise, `power`, `constant`, a grid's `range` and `resolution`), `args.pooling` (not 'sum',
 *   'mean', 'max' or 'topk'), `args.k` (missing or not an integer ≥ 1 with 'topk', given with
 *   another pooling); when built or called, an error naming the layer for an input other than
 *   `[batch, pairs, 3]` or `[batch, pairs, 2]`.
 * @example
 * ```js
 * // Rips H1 diagrams of 4 small clouds, padded to 4 rows each, into a trainable classifier.
 * const clouds = tf.randomNormal([4, 12, 2], 0, 1, 'float32', 1);
 * const x = paddedDiagrams(ripsDiagrams(clouds), { dim: 1, maxPairs: 4 }); // [4, 4, 3]
 * const model = tf.sequential();
 * model.add(layers.persLay({ inputShape: [4, 3], pooling: 'topk', k: 2,
 *   phi: { kind: 'tent', units: 3, range: [0, 2, 0, 0.5], bandwidth: 0.3, seed: 1 } })); // [B, 2 · 3]
 * model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
 * await model.fit(x, tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2), { epochs: 2, verbose: 0 });
 * // model.predict(x): [4, 2] class probabilities
 * ```
 */
export function persLay(args: PersLayArgs): PersLay {
  return new PersLay(args);
}
