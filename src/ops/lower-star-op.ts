import * as tf from '@tensorflow/tfjs-core';
import { LowerStarOptions, LowerStarPersistence } from '../persistence/lower-star/lower-star.js';
import { SimplicialComplex } from '../persistence/lower-star/simplicial-complex.js';
import { cellDiagrams, checkEssential, ElementEngine, EssentialMode, TensorDiagrams } from './persistence-op.js';
import { asArgument, checkArgs, checkDims, checkFlag, checkOptions, describe } from '../base/checks.js';
import { applyFunctional, checkDimsComputed, checkFunctional, FunctionalConfig } from './topological-term.js';

/**
 * The engine's options (superlevel, dims) for every function, plus the essential classes.
 *
 * @category Diagram ops
 */
export interface LowerStarOpOptions extends Pick<LowerStarOptions, 'superlevel' | 'dims'> {
  /** As in `persistenceDiagrams`: 'drop' (default, counted in `essentialCounts`) or 'clip' to the last vertex. */
  essential?: EssentialMode;
}

/** The keys of `LowerStarOpOptions`. */
const LOWER_STAR_OP_KEYS = ['superlevel', 'dims', 'essential'] as const;

/**
 * Lower-star diagrams of functions on a complex; `birthCell` / `deathCell` are flat indices b · n + v of the critical vertices.
 *
 * @category Diagram ops
 */
export type ComplexDiagrams = Omit<TensorDiagrams, 'layout'>;

/**
 * Lower-star persistence diagrams of functions on the vertices of `complex` — `values` of shape
 * `[n]` or a batch `[B, n]`, n = complex.numVertices — as a differentiable `[N, 2]` tensor. Every
 * birth and death is the value of a vertex (the one whose entry brings the simplex in), and the
 * gradient lands on those vertices. The engine for a complex is built once and kept.
 *
 * @throws Error naming `values` (not a float32 tf.Tensor of shape `[n]` or `[B, n]` with B ≥ 1),
 *   `values` or `values (map m)` (a NaN or infinite value), `complex` (not a SimplicialComplex), or `options` /
 *   `options.<key>` (an unknown key, a non-boolean `superlevel`, `dims` outside
 *   0..complex.dimension or repeated, `essential` other than 'drop' or 'clip').
 * @example
 * ```js
 * const square = SimplicialComplex.fromSimplices([[0, 1], [1, 2], [2, 3], [3, 0]]); // a square's boundary
 * const d = lowerStarDiagrams(tf.tensor1d([0, 3, 1, 2]), square);
 * // d.pairs.arraySync() → [[1, 2]]: vertex 2's component (value 1) merges when vertex 3 (value 2) enters
 * // d.essentialCounts → [1, 1]: one component and the loop never die
 * ```
 * @category Diagram ops
 */
export function lowerStarDiagrams(
  values: tf.Tensor,
  complex: SimplicialComplex,
  options?: LowerStarOpOptions,
): ComplexDiagrams {
  if (!(values instanceof tf.Tensor)) throw new Error(`values: expected a tf.Tensor, got ${describe(values)}`);
  options = checkOptions(options, 'options', LOWER_STAR_OP_KEYS);
  if (values.dtype !== 'float32') throw new Error(`values: expected a float32 tensor, got ${values.dtype}`);
  if (!(complex instanceof SimplicialComplex))
    throw new Error('complex: expected a SimplicialComplex (SimplicialComplex.fromSimplices(...))');
  const n = complex.numVertices;
  const shape = values.shape;
  if ((shape.length !== 1 && shape.length !== 2) || shape[shape.length - 1] !== n)
    throw new Error(
      `values: expected shape [${n}] or [B, ${n}] (one value per vertex of the complex), got [${shape.join(', ')}]`,
    );
  if (shape[0] === 0) throw new Error(`values: expected no empty axis, got shape [${shape.join(', ')}]`);
  const maps = shape.length === 1 ? 1 : shape[0];
  const access = {
    maps,
    mapSize: n,
    read: (data: Float32Array, m: number) => data.subarray(m * n, (m + 1) * n),
    flat: (m: number, v: number) => m * n + v,
  };
  // cellDiagrams names the tensor x (as persistenceDiagrams's argument); here it is values.
  return asArgument('values', () => cellDiagrams(values, access, engineFor(complex, options), options.essential), 'x');
}

/**
 * A topological term on functions on a fixed simplicial complex: lower-star diagrams and the Φ to apply.
 *
 * @category Diagram ops
 */
export interface ComplexTermConfig extends LowerStarOpOptions {
  /** The functional Φ applied to the diagrams. */
  functional: FunctionalConfig;
}

/**
 * A complex term's config checked before any value is read: an object of known keys, the
 * functional, the lower-star options against `complex`, and the functional's dimensions among
 * `dims`. Errors name `name.key`.
 */
export function checkComplexTermConfig(config: ComplexTermConfig, complex: SimplicialComplex, name: string): void {
  const { functional, superlevel, dims, essential } = checkArgs(config, name, ['functional', ...LOWER_STAR_OP_KEYS]);
  checkFunctional(functional, `${name}.functional`);
  checkFlag(superlevel, `${name}.superlevel`);
  checkDims(dims, complex.dimension, `a complex of dimension ${complex.dimension}`, `${name}.dims`);
  checkEssential(essential, `${name}.essential`);
  checkDimsComputed(functional, dims, name);
}

/**
 * Φ(PD(lower star of values on complex)) as a scalar differentiable with respect to the values.
 *
 * @category Diagram ops
 */
export function complexTerm(values: tf.Tensor, complex: SimplicialComplex, config: ComplexTermConfig): tf.Scalar {
  const { functional, ...lowerStar } = checkOptions(config, 'config', ['functional', ...LOWER_STAR_OP_KEYS]);
  checkFunctional(functional, 'config.functional');
  return applyFunctional(lowerStarDiagrams(values, complex, lowerStar), functional);
}

/** Engines keep their working memory: per complex, one per (superlevel, dims). */
const engines = new WeakMap<SimplicialComplex, Map<string, ElementEngine>>();

function engineFor(complex: SimplicialComplex, options: LowerStarOpOptions): ElementEngine {
  const { superlevel = false, dims } = options;
  let forComplex = engines.get(complex);
  if (forComplex === undefined) engines.set(complex, (forComplex = new Map()));
  const key = JSON.stringify([superlevel, dims ?? null]);
  let engine = forComplex.get(key);
  if (engine === undefined) {
    const persistence = new LowerStarPersistence(complex, { superlevel, dims });
    const computed = [...(dims ?? Array.from({ length: complex.dimension + 1 }, (_, k) => k))].sort((a, b) => a - b);
    engine = { dims: computed, superlevel, compute: (v) => persistence.compute(v) };
    forComplex.set(key, engine);
  }
  return engine;
}
