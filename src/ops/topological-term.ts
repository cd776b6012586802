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
import { asArgument, checkArgs, describe } from '../base/checks.js';
import {
  checkPersistenceOptions,
  PERSISTENCE_OP_KEYS,
  PersistenceOpOptions,
  persistenceDiagrams,
} from './persistence-op.js';

/**
 * A functional Φ as plain, serializable data: what layers, loss functions and `optimize` take.
 * `kind` picks the functional; the other fields are its options.
 * @category Diagram ops
 */
export type FunctionalConfig =
  | ({
      /** Σ lifetime^p over the selected pairs (`totalPersistence`). */
      kind: 'totalPersistence';
    } & TotalPersistenceOptions)
  | ({
      /** The k longest-lived pairs of each map (`topKLifetimes`). */
      kind: 'topK';
    } & TopKOptions)
  | ({
      /** Betti numbers pushed to a target (`bettiLoss`). */
      kind: 'betti';
    } & BettiLossOptions)
  | ({
      /** Wasserstein distance to a target diagram (`wassersteinLoss`). */
      kind: 'wasserstein';
      /** The target diagram, (birth, death) pairs (here not the gradient's end, as in `WassersteinOptions`). */
      target: [number, number][];
    } & Omit<WassersteinOptions, 'target'>);

/**
 * A topological term: how to compute the diagrams of a tensor and which Φ to apply to them.
 *
 * @category Diagram ops
 */
export interface TopologicalTermConfig extends PersistenceOpOptions {
  /** The functional Φ applied to the diagrams. */
  functional: FunctionalConfig;
}

const KINDS = ['totalPersistence', 'topK', 'betti', 'wasserstein'];

/**
 * Φ(PD(x)) as a scalar differentiable with respect to x.
 *
 * @throws Error naming `config` / `config.<key>` (not an object, an unknown key, a persistence
 *   option as `persistenceDiagrams` checks it, `dims` beyond the rank of x),
 *   `config.functional` / `config.functional.<key>` (missing, no known `kind`, a missing `k`,
 *   `betti` or Wasserstein `target`, an option out of range, a `dim` not among `config.dims`
 *   or beyond the rank of x), and `x` as `persistenceDiagrams` names it.
 * @example
 * ```js
 * const x = tf.tensor2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]]); // one loop, born at 0, filled at 1
 * const term = topologicalTerm(x, { functional: { kind: 'totalPersistence', dim: 1 } });
 * // term → 1, as totalPersistence(persistenceDiagrams(x), { dim: 1 }); differentiable in x
 * ```
 * @category Diagram ops
 */
export function topologicalTerm(x: tf.Tensor, config: TopologicalTermConfig): tf.Scalar {
  checkTermConfig(config, 'config');
  return checkedTerm(x, config, 'config');
}

/**
 * `topologicalTerm` of a config already checked (`checkTermConfig`), for a layer, loss or
 * `optimize`: what can only be checked against x — `dims` or the functional's `dim` beyond its
 * rank — names `name.dims` / `name.functional.dim`.
 */
export function checkedTerm(x: tf.Tensor, config: TopologicalTermConfig, name: string): tf.Scalar {
  const { functional, ...persistence } = config;
  const diagrams = asArgument(name, () => persistenceDiagrams(x, persistence));
  return asArgument(`${name}.functional`, () => applyFunctional(diagrams, functional));
}

/** Φ of diagrams already computed: differentiable with respect to `diagrams.pairs`. */
export function applyFunctional(diagrams: DiagramSet, functional: FunctionalConfig): tf.Scalar {
  switch (functional.kind) {
    case 'totalPersistence':
      return totalPersistence(diagrams, withoutKind(functional));
    case 'topK':
      return topKLifetimes(diagrams, withoutKind(functional));
    case 'betti':
      return bettiLoss(diagrams, withoutKind(functional));
    case 'wasserstein': {
      const { target, ...options } = withoutKind(functional);
      return wassersteinLoss(diagrams, target, options);
    }
  }
}

/** A functional config's options: the config without its `kind`. */
function withoutKind<T extends { kind: string }>(functional: T): Omit<T, 'kind'> {
  const { kind: _kind, ...options } = functional;
  return options;
}

/**
 * Throws a clear error for a malformed functional config — its kind, every option it reads, its
 * required fields, unknown keys — at construction time, not mid-training. Errors name `name.key`.
 */
export function checkFunctional(functional: FunctionalConfig | undefined, name = 'functional'): void {
  if (functional === null || typeof functional !== 'object')
    throw new Error(
      `${name}: expected an object such as { kind: 'totalPersistence', dim: 0 }, got ${describe(functional)}`,
    );
  if (!KINDS.includes(functional.kind))
    throw new Error(
      `${name}.kind: expected one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${describe(functional.kind)}`,
    );
  const { kind, ...rest } = functional;
  const options = rest as Record<string, unknown>;
  if (kind === 'topK' && options.k === undefined)
    throw new Error(`${name}.k: expected the number of pairs per map, got undefined`);
  if (kind === 'betti' && options.betti === undefined)
    throw new Error(`${name}.betti: expected the wanted number of classes, got undefined`);
  if (kind === 'wasserstein') {
    // Here `target` is the target diagram (wassersteinLoss's second argument), not a gradient end.
    const { target, ...others } = options;
    if (!Array.isArray(target) || target.some((t) => !Array.isArray(t) || t.length !== 2 || !t.every(Number.isFinite)))
      throw new Error(
        `${name}.target: expected an array of [birth, death] pairs of finite numbers (the target diagram), got ${describe(target)}`,
      );
    checkFunctionalOptions(others, name, kind);
  } else checkFunctionalOptions(options, name, kind);
}

/**
 * A term's config checked as a whole, when a layer, loss, `optimize` or `topologicalTerm` receives
 * it: an object of known keys, the functional, the persistence options, and the functional's
 * dimensions among those computed. Errors name `name.key`.
 */
export function checkTermConfig(config: TopologicalTermConfig, name: string): void {
  checkArgs(config, name, ['functional', ...PERSISTENCE_OP_KEYS]);
  checkFunctional(config.functional, `${name}.functional`);
  checkPersistenceOptions(config, name);
  checkDimsComputed(config.functional, config.dims, name);
}

/**
 * An error naming `name.functional.dim` when the functional reads a dimension not in `dims`
 * (undefined: all); `why` says what sets them (default: `name.dims`).
 */
export function checkDimsComputed(
  functional: FunctionalConfig,
  dims: readonly number[] | undefined,
  name: string,
  why = `${name}.dims is ${describe(dims)}`,
): void {
  const dim = (functional as { dim?: number | readonly number[] }).dim;
  if (dims === undefined || dim === undefined) return;
  for (const k of typeof dim === 'number' ? [dim] : dim)
    if (!dims.includes(k)) throw new Error(`${name}.functional.dim: homology dimension ${k} is not computed (${why})`);
}
