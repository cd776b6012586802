import * as tf from '@tensorflow/tfjs-core';
import { layers, Shape } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { checkFunctional, FunctionalConfig } from '../ops/topological-term.js';

export interface TopoLossLayerArgs extends LayerArgs {
  /** The functional Φ, e.g. `{ kind: 'totalPersistence', dim: 0, lifetimeRange: [0.2, null] }`. */
  functional: FunctionalConfig;
  /** Weight of the term in the model's loss. Default 1. */
  weight?: number;
}

/**
 * What every topological loss layer shares: an identity layer that, while training, adds
 * `weight · term(input)` to the model's loss (in `model.fit` and `trainOnBatch`; not in `evaluate`
 * or `predict`). Subclasses say how the term is computed (`evaluate`) and which settings it has
 * (`termConfig`, serialized with the layer).
 */
export abstract class TopoLossLayer extends layers.Layer {
  readonly functional: FunctionalConfig;
  readonly weight: number;
  private current: tf.Scalar | null = null; // this step's term, kept for the loss thunk

  constructor(args: TopoLossLayerArgs) {
    super(args);
    const { functional, weight = 1 } = args;
    checkFunctional(functional, 'args.functional');
    if (!Number.isFinite(weight)) throw new Error(`args.weight: expected a finite number, got ${weight}`);
    this.functional = functional;
    this.weight = weight;
    // One thunk for the layer's lifetime: it hands fit() the term computed by this step's call().
    this.addLoss(() => this.current ?? tf.scalar(0));
  }

  /** The unweighted term for one input. */
  protected abstract evaluate(x: tf.Tensor): tf.Scalar;

  /** The layer's own settings besides `functional` and `weight`, as saved in its config. */
  protected abstract termConfig(): object;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs['training'] === true) {
      const loss = tf.keep(tf.tidy(() => tf.mul(this.evaluate(x), this.weight) as tf.Scalar));
      this.current?.dispose();
      this.current = loss;
    }
    return x;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own = stripUndefined({ functional: this.functional, ...this.termConfig(), weight: this.weight });
    return { ...super.getConfig(), ...own } as tf.serialization.ConfigDict;
  }

  override dispose() {
    this.current?.dispose();
    this.current = null;
    return super.dispose();
  }
}

/** Drops undefined fields so configs serialize to JSON and round-trip to the same defaults. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
