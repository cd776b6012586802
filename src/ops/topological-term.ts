import * as tf from '@tensorflow/tfjs-core';
import {
  BettiLossOptions,
  bettiLoss,
  checkFunctionalOptions,
  topKLifetimes,
  TopKOptions,
  totalPersistence,
  TotalPersistenceOptions,
  WassersteinOptions,
  wassersteinLoss,
} from './functionals.js';
import { DiagramSet } from './diagram-set.js';
import { checkKeys, describe } from '../base/checks.js';
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

/** The options each functional reads besides `kind`: anything else is a typo, refused. */
const KEYS: Record<FunctionalConfig['kind'], readonly string[]> = {
  totalPersistence: ['dim', 'birthRange', 'lifetimeRange', 'p', 'target', 'goal', 'reduction'],
  topK: ['dim', 'birthRange', 'lifetimeRange', 'k', 'p', 'target', 'goal', 'reduction'],
  betti: ['dim', 'betti', 'lifetime', 'p', 'target', 'reduction'],
  wasserstein: ['dim', 'target', 'p', 'internalP', 'maxPoints', 'reduction'],
};

/**
 * Throws a clear error for a malformed functional config — its kind, every option it reads, its
 * required fields, unknown keys — at construction time, not mid-training. Errors name `name.key`.
 */
export function checkFunctional(functional: FunctionalConfig | undefined, name = 'functional'): void {
  if (functional === null || typeof functional !== 'object')
    throw new Error(
      `${name}: expected an object such as { kind: 'totalPersistence', dim: 0 }, got ${String(functional)}`,
    );
  if (!KINDS.includes(functional.kind))
    throw new Error(
      `${name}.kind: expected one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(functional.kind)}`,
    );
  checkKeys(functional, ['kind', ...KEYS[functional.kind]], name);
  const options = functional as unknown as Record<string, unknown>;
  if (functional.kind === 'topK' && options.k === undefined)
    throw new Error(`${name}.k: expected the number of pairs per map, got undefined`);
  if (functional.kind === 'betti' && options.betti === undefined)
    throw new Error(`${name}.betti: expected the wanted number of classes, got undefined`);
  if (functional.kind === 'wasserstein') {
    const target = options.target;
    if (!Array.isArray(target) || target.some((t) => !Array.isArray(t) || t.length !== 2 || !t.every(Number.isFinite)))
      throw new Error(`${name}.target: expected an array of [birth, death] pairs of finite numbers`);
    if (options.internalP != null && !((options.internalP as number) >= 1))
      throw new Error(`${name}.internalP: expected a number ≥ 1 or Infinity, got ${describe(options.internalP)}`);
  }
  checkFunctionalOptions(options, name, functional.kind === 'betti' || functional.kind === 'wasserstein');
}
