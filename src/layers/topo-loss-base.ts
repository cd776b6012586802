import * as tf from '@tensorflow/tfjs-core';
import { layers, Shape } from '@tensorflow/tfjs-layers';
import { checkFunctional, FunctionalConfig } from '../ops/topological-term.js';
import { checkArgs, checkNumber } from '../base/checks.js';

/** The arguments every tfjs-layers layer takes (`name`, `inputShape`, `trainable`, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
/** The keys of `LayerArgs` (those tfjs-layers reads, and those its configs save). */
export const LAYER_ARG_KEYS = [
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'name',
  'trainable',
  'weights',
  'inputDType',
  'customObjects', // added by tfjs-layers when it deserializes a layer
];

/** The keyword arguments of `Layer.call` (`training`, `mask`). */
type Kwargs = Parameters<layers.Layer['call']>[1];

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
  /** The arguments a layer class reads besides `LayerArgs`: any other key is refused as a typo. */
  static argKeys: readonly string[] = ['functional', 'weight'];
  /** The functional Φ (`args.functional`). */
  readonly functional: FunctionalConfig;
  /** Weight of the term in the model's loss (`args.weight`). Default 1. */
  readonly weight: number;
  private current: tf.Scalar | null = null; // this step's term, kept for the loss thunk

  constructor(args: TopoLossLayerArgs) {
    // Checked before tfjs-layers reads them; `new.target` is the class being constructed.
    const keys = (new.target as unknown as { argKeys: readonly string[] }).argKeys;
    super(checkArgs(args, 'args', [...LAYER_ARG_KEYS, ...keys]));
    const { functional, weight = 1 } = args;
    checkFunctional(functional, 'args.functional');
    checkNumber(weight, 'args.weight', 1);
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
    const x = Array.isArray(inputs) ? this.only(inputs) : inputs;
    if (kwargs['training'] === true) {
      const loss = tf.keep(tf.tidy(() => tf.mul(this.evaluate(x), this.weight) as tf.Scalar));
      this.current?.dispose();
      this.current = loss;
    }
    return x;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const several = Array.isArray(inputShape[0]); // Shape[]: one shape per input
    return several ? this.only(inputShape as Shape[]) : inputShape;
  }

  /** The one input of an identity layer: several are refused, as tfjs-layers' own layers do. */
  private only<T>(inputs: T[]): T {
    if (inputs.length !== 1)
      throw new Error(`${this.getClassName()} '${this.name}': expected one input, got ${inputs.length}`);
    return inputs[0];
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
