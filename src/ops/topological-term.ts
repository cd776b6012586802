import * as tf from '@tensorflow/tfjs-core';
import {
  BettiLossOptions,
  bettiLoss,
  topKLifetimes,
  TopKOptions,
  totalPersistence,
  TotalPersistenceOptions,
  WassersteinOptions,
  wassersteinLoss,
} from './functionals.js';
import { DiagramSet } from './diagram-set.js';
import { PersistenceOpOptions, persistenceDiagrams } from './persistence-op.js';

/**
 * A functional Φ as plain, serializable data: what layers, loss functions and `optimize` take.
 * `kind` picks the functional; the other fields are its options.
 */
export type FunctionalConfig =
  | ({ kind: 'totalPersistence' } & TotalPersistenceOptions)
  | ({ kind: 'topK' } & TopKOptions)
  | ({ kind: 'betti' } & BettiLossOptions)
  | ({ kind: 'wasserstein'; target: [number, number][] } & WassersteinOptions);

/** A topological term: how to compute the diagrams of a tensor and which Φ to apply to them. */
export interface TopologicalTermConfig extends PersistenceOpOptions {
  functional: FunctionalConfig;
}

const KINDS = ['totalPersistence', 'topK', 'betti', 'wasserstein'];

/** Φ(PD(x)) as a scalar differentiable with respect to x. */
export function topologicalTerm(x: tf.Tensor, config: TopologicalTermConfig): tf.Scalar {
  const { functional, ...persistence } = config;
  checkFunctional(functional);
  return applyFunctional(persistenceDiagrams(x, persistence), functional);
}

/** Φ of diagrams already computed: differentiable with respect to `diagrams.pairs`. */
export function applyFunctional(diagrams: DiagramSet, functional: FunctionalConfig): tf.Scalar {
  switch (functional.kind) {
    case 'totalPersistence':
      return totalPersistence(diagrams, functional);
    case 'topK':
      return topKLifetimes(diagrams, functional);
    case 'betti':
      return bettiLoss(diagrams, functional);
    case 'wasserstein':
      return wassersteinLoss(diagrams, functional.target, functional);
  }
}

/** Throws a clear error for a malformed functional config (at construction time, not mid-training). */
export function checkFunctional(functional: FunctionalConfig | undefined, name = 'functional'): void {
  if (functional === null || typeof functional !== 'object')
    throw new Error(
      `${name}: expected an object such as { kind: 'totalPersistence', dim: 0 }, got ${String(functional)}`,
    );
  if (!KINDS.includes(functional.kind))
    throw new Error(
      `${name}.kind: expected one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(functional.kind)}`,
    );
}
