import * as tf from '@tensorflow/tfjs-core';
import { flatIndex, mapLayout, readMap } from '../base/layout.js';
import { BettiMatching } from '../persistence/betti-matching/betti-matching.js';
import { bettiMatchingLoss } from '../persistence/betti-matching/loss.js';
import { MapReduction } from './functionals.js';
import { LruCache } from './lru-cache.js';

export interface BettiMatchingTermOptions {
  /** Foreground high (superlevel filtrations). */
  superlevel: boolean;
  /** Homology dimensions matched. */
  dims: readonly number[];
  /** Per-map losses summed or averaged over the maps. */
  reduction: MapReduction;
}

/**
 * The Betti-matching loss (Stucki et al. 2023) of every map of `yPred` against the same map of
 * `labels` (host data, the prediction's layout), differentiable in `yPred`:
 *
 *     Σ_dim [ 2 Σ_matched ((b − b')² + (d − d')²) + Σ_unmatched (b − d)² ]
 *
 * over the bars of the prediction and the label matched through the comparison image; unmatched
 * bars of both sides count (the label's are constant). Values sit on vertices (the V construction).
 * The forward pass builds the dense gradient on the host; the backward pass scales it.
 */
export function bettiMatchingTerm(
  yPred: tf.Tensor,
  labels: Float32Array,
  options: BettiMatchingTermOptions,
): tf.Scalar {
  const layout = mapLayout(yPred.shape, 'yPred');
  const data = yPred.dataSync() as Float32Array;
  const matcher = matcherFor(layout.spatial, options);
  const gradient = new Float32Array(yPred.size);
  const pred = new Float32Array(layout.mapSize);
  const label = new Float32Array(layout.mapSize);
  let loss = 0;
  for (let m = 0; m < layout.maps; m++) {
    const P = readMap(layout, data, m, pred);
    const L = readMap(layout, labels, m, label);
    const at = (i: number) => flatIndex(layout, m, i);
    const pairs = matcher.match(P, L).filter((bars) => options.dims.includes(bars.dim));
    loss += bettiMatchingLoss(pairs, P, L);
    // Its gradient in P: 4(b − b′) and 4(d − d′) on a matched pair's ends, ±2(b − d) on an unmatched bar's.
    for (const { matched, unmatchedPred } of pairs) {
      for (let j = 0; j < matched.predBirth.length; j++) {
        gradient[at(matched.predBirth[j])] += 4 * (P[matched.predBirth[j]] - L[matched.targetBirth[j]]);
        gradient[at(matched.predDeath[j])] += 4 * (P[matched.predDeath[j]] - L[matched.targetDeath[j]]);
      }
      for (let j = 0; j < unmatchedPred.birth.length; j++) {
        const life = P[unmatchedPred.birth[j]] - P[unmatchedPred.death[j]];
        gradient[at(unmatchedPred.birth[j])] += 2 * life;
        gradient[at(unmatchedPred.death[j])] -= 2 * life;
      }
    }
  }
  const scale = options.reduction === 'mean' ? 1 / layout.maps : 1;
  const op = tf.customGrad((x) => ({
    value: tf.scalar(loss * scale),
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.tensor(gradient, (x as tf.Tensor).shape, 'float32'), tf.mul(dy, scale)),
  }));
  return op(yPred) as tf.Scalar;
}

/** Matchers keep their working memory: one per (shape, direction), the few most recent kept. */
const matchers = new LruCache<BettiMatching>(8);

function matcherFor(spatial: readonly number[], options: BettiMatchingTermOptions): BettiMatching {
  const { superlevel } = options;
  return matchers.get(JSON.stringify([spatial, superlevel]), () => new BettiMatching(spatial, { superlevel }));
}
