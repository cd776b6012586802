import * as tf from '@tensorflow/tfjs-core';
import { flatIndex, mapLayout, readMap } from '../base/layout.js';
import { BettiMatching } from '../persistence/betti-matching/betti-matching.js';
import { bettiMatchingLoss } from '../persistence/betti-matching/loss.js';
import { BettiMatchingPairs } from '../persistence/betti-matching/result.js';
import { SparseBettiMatching } from '../persistence/betti-matching/sparse-betti-matching.js';
import { MapReduction } from './functionals.js';
import { LruCache } from './lru-cache.js';

export interface BettiMatchingTermOptions {
  /** Foreground high (superlevel filtrations). */
  superlevel: boolean;
  /** Homology dimensions matched. */
  dims: readonly number[];
  /** Per-map losses summed or averaged over the maps. */
  reduction: MapReduction;
  /** Match only the cells the comparison image passes at this level (`SparseBettiMatching`); dense when undefined. */
  sparseThreshold?: number;
}

/**
 * The Betti-matching loss (Stucki et al. 2023) of every map of `yPred` against the same map of
 * `labels` (host data, the prediction's layout), differentiable in `yPred`:
 *
 *     Σ_dim [ 2 Σ_matched ((b − b')² + (d − d')²) + Σ_unmatched (b − d)² ]
 *
 * over the bars of the prediction and the label matched through the comparison image; unmatched
 * bars of both sides count (the label's are constant). Values sit on vertices (the V construction).
 * With `sparseThreshold`, only the cells passing it are matched and a death at the floor takes the
 * floor's value, a constant. The forward pass builds the dense gradient on the host; the backward
 * pass scales it.
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
    const [all, floor] = matchMaps(matcher, P, L);
    const pairs = all.filter((bars) => options.dims.includes(bars.dim));
    loss += bettiMatchingLoss(pairs, P, L, floor);
    // Its gradient in P: 4(b − b′) and 4(d − d′) on a matched pair's ends, ±2(b − d) on an unmatched
    // bar's; a death at the floor (index −1) is a constant.
    const p = (i: number) => (i < 0 ? floor : P[i]);
    const l = (i: number) => (i < 0 ? floor : L[i]);
    const add = (i: number, g: number) => {
      if (i >= 0) gradient[at(i)] += g;
    };
    for (const { matched, unmatchedPred } of pairs) {
      for (let j = 0; j < matched.predBirth.length; j++) {
        add(matched.predBirth[j], 4 * (P[matched.predBirth[j]] - L[matched.targetBirth[j]]));
        add(matched.predDeath[j], 4 * (p(matched.predDeath[j]) - l(matched.targetDeath[j])));
      }
      for (let j = 0; j < unmatchedPred.birth.length; j++) {
        const life = P[unmatchedPred.birth[j]] - p(unmatchedPred.death[j]);
        add(unmatchedPred.birth[j], 2 * life);
        add(unmatchedPred.death[j], -2 * life);
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

/** The matching of one map, and the value of its deaths at the floor (a sparse matching's; else unused). */
function matchMaps(
  matcher: BettiMatching | SparseBettiMatching,
  P: Float32Array,
  L: Float32Array,
): [BettiMatchingPairs[], number] {
  if (matcher instanceof BettiMatching) return [matcher.match(P, L), 0];
  const { pairs, floor } = matcher.match(P, L);
  return [pairs, floor];
}

/** Matchers keep their working memory: one per (shape, direction, threshold), the few most recent kept. */
const matchers = new LruCache<BettiMatching | SparseBettiMatching>(8);

function matcherFor(
  spatial: readonly number[],
  options: BettiMatchingTermOptions,
): BettiMatching | SparseBettiMatching {
  const { superlevel, sparseThreshold: threshold } = options;
  return matchers.get(JSON.stringify([spatial, superlevel, threshold ?? null]), () =>
    threshold === undefined
      ? new BettiMatching(spatial, { superlevel })
      : new SparseBettiMatching(spatial, { superlevel, threshold }),
  );
}
