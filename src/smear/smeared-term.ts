import * as tf from '@tensorflow/tfjs-core';
import { checkComplexTermConfig, complexTerm, ComplexTermConfig } from '../ops/lower-star-op.js';
import { SimplicialComplex } from '../persistence/lower-star/simplicial-complex.js';
import { checkPointCloudTermConfig, cloudDiagramsOf, cloudLayout, PointCloudTermConfig } from '../ops/rips-op.js';
import { applyFunctional, checkedTerm, checkTermConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { checkInteger, describe } from '../base/checks.js';
import { BlockSmear } from './block-smear.js';
import { CoverSmear } from './cover-smear.js';
import { PointSubsample } from './point-subsample.js';

/**
 * The STUMP estimate of a topological term: the mean of Φ(PD(f_ω)) over `samples` random
 * approximates f_ω of x. Its gradient, pulled back through the pooling, is the smeared gradient.
 *
 * @throws Error naming `term` / `term.<key>` and `term.functional.<key>` as `topologicalTerm`
 *   names its `config`, `smear` (not a BlockSmear), `samples` (not an integer ≥ 1) — all before
 *   any approximate is drawn — and `x` or `options.block` as `BlockSmear.apply` does (x not a
 *   finite float32 image or volume batch, a block that does not fit it).
 * @example
 * ```js
 * const x = tf.randomUniform([8, 8], 0, 1, 'float32', 1);
 * const smear = new BlockSmear({ block: 2, noise: 0.05, seed: 1 });
 * const term = { functional: { kind: 'totalPersistence', dim: 0 } };
 * const estimate = smearedTerm(x, term, smear, 4); // the mean of Φ over 4 approximates (4×4 each)
 * const grad = tf.grad((x) => smearedTerm(x, term, smear, 4))(x); // spread over whole blocks
 * smear.dispose();
 * ```
 * @category Smearing
 */
export function smearedTerm(x: tf.Tensor, term: TopologicalTermConfig, smear: BlockSmear, samples: number): tf.Scalar {
  checkTermConfig(term, 'term');
  if (!(smear instanceof BlockSmear)) throw new Error(`smear: expected a BlockSmear, got ${describe(smear)}`);
  checkInteger(samples, 'samples', undefined, 1);
  return smearedCheckedTerm(x, term, smear, samples, 'term');
}

/**
 * `smearedTerm` with `term`, `smear` and `samples` already checked (by a layer, loss or
 * `optimize`); errors about `term` that depend on x name `name` (see `checkedTerm`).
 */
export function smearedCheckedTerm(
  x: tf.Tensor,
  term: TopologicalTermConfig,
  smear: BlockSmear,
  samples: number,
  name: string,
): tf.Scalar {
  return tf.tidy(() =>
    mean(Array.from({ length: samples }, () => finiteInput('x', () => checkedTerm(smear.approximate(x), term, name)))),
  );
}

/**
 * Runs a term on an approximate made without reading its input (the smears' `approximate`): a
 * non-finite input makes the approximate non-finite, which the term's persistence op refuses on
 * the read it makes anyway. Its message names the approximate; the caller's argument is `name`.
 */
function finiteInput<T>(name: string, term: () => T): T {
  try {
    return term();
  } catch (e) {
    if (/^(x|values)( \(map \d+\))?: expected finite/.test((e as Error).message))
      throw new Error(`${name}: expected finite values, got NaN or ±Infinity`, { cause: e });
    throw e;
  }
}

/**
 * The STUMP estimate of a term on a complex (paper, Section II.A): the mean of Φ over `samples`
 * approximates f_ω of `values` on the nerve `nerveComplex` of the smear's cover.
 *
 * @throws Error naming `nerveComplex` (not a SimplicialComplex), `term` / `term.<key>` (an
 *   unknown key, a lower-star option out of range for the nerve) and `term.functional.<key>`,
 *   `smear` (not a CoverSmear), `samples` (not an integer ≥ 1) — all before any approximate is
 *   drawn — and `values` as `CoverSmear.apply` does.
 * @category Smearing
 */
export function smearedComplexTerm(
  values: tf.Tensor,
  term: ComplexTermConfig,
  smear: CoverSmear,
  nerveComplex: SimplicialComplex,
  samples: number,
): tf.Scalar {
  if (!(nerveComplex instanceof SimplicialComplex))
    throw new Error(`nerveComplex: expected a SimplicialComplex, got ${describe(nerveComplex)}`);
  checkComplexTermConfig(term, nerveComplex, 'term');
  if (!(smear instanceof CoverSmear)) throw new Error(`smear: expected a CoverSmear, got ${describe(smear)}`);
  checkInteger(samples, 'samples', undefined, 1);
  return tf.tidy(() =>
    mean(
      Array.from({ length: samples }, () =>
        finiteInput('values', () => complexTerm(smear.approximate(values), nerveComplex, term)),
      ),
    ),
  );
}

/**
 * The STUMP estimate of a point-cloud term (paper, Section IV.B): the mean of Φ over `samples`
 * approximates of every cloud in `points` ([n, d] or [B, n, d]), each a random subset of the points
 * with jitter. Its gradient reaches only the chosen points, a different few every draw.
 *
 * @throws Error naming `points` as `ripsDiagrams` does, `term` / `term.<key>` (an unknown key,
 *   `maxDim` or `threshold` out of range) and `term.functional.<key>`, `subsample` (not a
 *   PointSubsample) and `samples` (not an integer ≥ 1), before any approximate is drawn.
 * @category Smearing
 */
export function smearedPointCloudTerm(
  points: tf.Tensor,
  term: PointCloudTermConfig,
  subsample: PointSubsample,
  samples: number,
): tf.Scalar {
  checkPointCloudTermConfig(term, 'term');
  if (!(subsample instanceof PointSubsample))
    throw new Error(`subsample: expected a PointSubsample, got ${describe(subsample)}`);
  checkInteger(samples, 'samples', undefined, 1);
  const { functional, ...rips } = term;
  const { batch, points: n, dimension: d } = cloudLayout(points);
  const coords = points.dataSync() as Float32Array; // the one read: every draw is made from it
  return tf.tidy(() => {
    const draw = () =>
      Array.from({ length: batch }, (_, item) => ({ item, ...subsample.draw(coords, n, d, item * n) }));
    return mean(
      Array.from({ length: samples }, () => applyFunctional(cloudDiagramsOf(points, coords, draw(), rips), functional)),
    );
  });
}

/** The mean of scalar terms. */
export function mean(terms: tf.Scalar[]): tf.Scalar {
  return (terms.length === 1 ? terms[0] : tf.div(tf.addN(terms), terms.length)) as tf.Scalar;
}
