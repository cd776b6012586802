import * as tf from '@tensorflow/tfjs-core';
import { persistenceDiagrams } from '../ops/persistence-op.js';
import { applyFunctional, FunctionalConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { asArgument } from '../base/checks.js';
import type { DiagramSet } from '../ops/diagram-set.js';
import { BlockSmear } from '../smear/block-smear.js';

/**
 * The optimization step of `optimize` on typed arrays, for the cpu backend: there, every tfjs op
 * on a whole image costs an allocation and a pass, and a step of a dozen of them (pooling, its
 * gradient, Adam) dwarfs the persistence itself. Here the approximate, the unspooling, the
 * fidelity term and Adam are single loops over the image; only the functional Φ — a few ops on
 * the small pairs tensor — stays in tfjs, so every functional works unchanged. Same objective,
 * same update as the tensor path.
 */
export class HostStep {
  private readonly x: Float32Array; // the iterate
  private readonly start: Float32Array; // x0, for the fidelity term
  private readonly grad: Float32Array;
  private readonly adam: HostAdam;

  constructor(
    x0: Float32Array,
    private readonly shape: readonly number[],
    private readonly term: TopologicalTermConfig,
    private readonly alpha: number,
    learningRate: number,
    private readonly samples: number,
  ) {
    this.x = x0.slice();
    this.start = x0.slice();
    this.grad = new Float32Array(x0.length);
    this.adam = new HostAdam(x0.length, learningRate);
  }

  /** The current iterate (live: copy it to keep it). */
  get values(): Float32Array {
    return this.x;
  }

  /**
   * One Adam step on α·Φ + (1 − α)·MSE(x, x0), with Φ on approximates drawn by `smear` (on x itself
   * when null); returns the objective before the step.
   */
  step(smear: BlockSmear | null): number {
    const { x, start, grad, alpha } = this;
    const n = x.length;
    let fidelity = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - start[i];
      fidelity += d * d;
      grad[i] = ((1 - alpha) * 2 * d) / n;
    }
    if (!Number.isFinite(fidelity)) return NaN; // the iterate diverged: the caller says so
    let phi = 0;
    for (let s = 0; s < this.samples; s++) phi += this.addTopologicalGradient(smear, alpha / this.samples);
    this.adam.update(x, grad);
    return (alpha * phi) / this.samples + ((1 - alpha) * fidelity) / n;
  }

  /** The objective at the iterate, unsmeared and without a step: α·Φ(PD(x)) + (1 − α)·MSE(x, x0). */
  objective(): number {
    const { x, start, alpha } = this;
    const { functional, ...persistence } = this.term;
    const phi = tf.tidy(
      () => phiOf(persistenceDiagrams(tf.tensor(x, this.shape.slice()), persistence), functional).dataSync()[0],
    );
    let fidelity = 0;
    for (let i = 0; i < x.length; i++) fidelity += (x[i] - start[i]) ** 2;
    return alpha * phi + ((1 - alpha) * fidelity) / x.length;
  }

  /** Adds `scale` · ∇Φ(PD(f)) to grad for one approximate f of x (x itself when not smeared); returns Φ. */
  private addTopologicalGradient(smear: BlockSmear | null, scale: number): number {
    const { functional, ...persistence } = this.term;
    const approximate = smear ? smear.sample(this.x, this.shape) : null;
    const pooled = approximate ? approximate.values : this.x;
    const pooledGrad = approximate ? new Float32Array(pooled.length) : this.grad;
    const value = tf.tidy(() => {
      const diagrams = persistenceDiagrams(
        tf.tensor(pooled, (approximate ? approximate.shape : this.shape).slice()),
        persistence,
      );
      const pairs = tf.tensor2d(diagrams.values, [diagrams.dim.length, 2]);
      const { value, grad } = tf.valueAndGrad((p: tf.Tensor) =>
        phiOf({ ...diagrams, pairs: p as tf.Tensor2D }, functional),
      )(pairs);
      const g = grad.dataSync();
      // Each pair's gradient lands on its birth and death elements of the (pooled) map.
      const { birthCell, deathCell } = diagrams;
      const into = approximate ? 1 : scale;
      for (let i = 0; i < birthCell.length; i++) {
        pooledGrad[birthCell[i]] += into * g[2 * i];
        pooledGrad[deathCell[i]] += into * g[2 * i + 1];
      }
      return value.dataSync()[0];
    });
    approximate?.unspool(pooledGrad, this.grad, scale);
    return value;
  }
}

/** Adam on a typed array, the same update as `tf.train.adam` (bias-corrected moments). */
export class HostAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  update(x: Float32Array, g: Float32Array): void {
    const { m, v, beta1, beta2, epsilon, learningRate } = this;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let i = 0; i < x.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      x[i] -= (learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }
}

/** Φ of the diagrams; a functional option that does not fit them names `options.functional.<key>` (optimize's). */
function phiOf(diagrams: DiagramSet, functional: FunctionalConfig): tf.Scalar {
  return asArgument('options.functional', () => applyFunctional(diagrams, functional));
}
