import { BettiMatchingPairs } from './result.js';

/**
 * The Betti-matching loss of a matching on the host (Stucki et al.; the reference code's):
 * Σ over dimensions of 2·Σ_matched ((b − b′)² + (d − d′)²) + Σ_unmatched in P (b − d)² +
 * Σ_unmatched in L (b − d)², with the values read from the inputs at the matching's elements —
 * and, for a sparse matching, `floor` (its result's) at the deaths at index −1.
 * @category Engines
 */
export function bettiMatchingLoss(
  pairs: readonly BettiMatchingPairs[],
  prediction: Float32Array | Float64Array,
  target: Float32Array | Float64Array,
  floor?: number,
): number {
  const atFloor = () => {
    if (floor === undefined) throw new Error("floor: deaths at the floor (index −1) need the sparse result's floor");
    return floor;
  };
  const p = (i: number) => (i < 0 ? atFloor() : prediction[i]);
  const t = (i: number) => (i < 0 ? atFloor() : target[i]);
  let loss = 0;
  for (const { matched, unmatchedPred, unmatchedTarget } of pairs) {
    const { predBirth, predDeath, targetBirth, targetDeath } = matched;
    for (let i = 0; i < predBirth.length; i++) {
      const db = prediction[predBirth[i]] - target[targetBirth[i]];
      const dd = p(predDeath[i]) - t(targetDeath[i]);
      loss += 2 * (db * db + dd * dd);
    }
    for (let i = 0; i < unmatchedPred.birth.length; i++) {
      const d = prediction[unmatchedPred.birth[i]] - p(unmatchedPred.death[i]);
      loss += d * d;
    }
    for (let i = 0; i < unmatchedTarget.birth.length; i++) {
      const d = target[unmatchedTarget.birth[i]] - t(unmatchedTarget.death[i]);
      loss += d * d;
    }
  }
  return loss;
}

/**
 * The Betti-matching error per dimension: the number of bars of both inputs left unmatched. As a
 * metric it is read from the matching of binarized inputs under a superlevel filtration
 * (binarizing is the caller's choice, e.g. prediction ≥ 0.5 and target ≠ 0).
 * @category Engines
 */
export function bettiMatchingError(pairs: readonly BettiMatchingPairs[]): number[] {
  return pairs.map((p) => p.unmatchedPred.birth.length + p.unmatchedTarget.birth.length);
}
