/**
 * Layer factories, in the style of `tf.layers`: `topo.layers.smearedTopoLoss({...})`.
 */
import { SmearedTopoLoss, SmearedTopoLossArgs, VanillaTopoLoss, VanillaTopoLossArgs } from './topo-loss';

export { SmearedTopoLoss, VanillaTopoLoss };
export type { SmearedTopoLossArgs, VanillaTopoLossArgs };

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
 * over whole blocks — faster and more robust optimization than the vanilla layer.
 *
 * ```js
 * model.add(topo.layers.smearedTopoLoss({
 *   superlevel: true,
 *   functional: { kind: 'betti', dim: 0, betti: 1 },
 *   block: 4, noise: 0.05, measure: 'simplex', weight: 0.1,
 * }));
 * ```
 */
export function smearedTopoLoss(args: SmearedTopoLossArgs): SmearedTopoLoss {
  return new SmearedTopoLoss(args);
}
