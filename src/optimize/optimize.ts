import * as tf from '@tensorflow/tfjs-core';
import { checkedTerm, checkTermConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { HostStep } from './host-step.js';
import { smearedCheckedTerm } from '../smear/smeared-term.js';
import type { BlockSmear } from '../smear/block-smear.js';
import { SmearArgs, SmearSchedule, smearScheduleOf } from '../smear/smear-schedule.js';
import { checkInteger, checkNumber, checkOptions, describe } from '../base/checks.js';
import { PERSISTENCE_OP_KEYS } from '../ops/persistence-op.js';

/**
 * Where the steps run: `tensor` — tfjs ops end to end (any backend; pooling stays on the device);
 * `host` — typed-array loops with only the functional in tfjs (much faster on the cpu backend,
 * for unbatched images and volumes); `auto` (default) — `host` on the cpu backend when it applies.
 * @category Optimization
 */
export type OptimizePath = 'auto' | 'tensor' | 'host';

const OPTIMIZE_KEYS = [
  'steps',
  'learningRate',
  'alpha',
  'smear',
  'onStep',
  'every',
  'path',
  'functional',
  ...PERSISTENCE_OP_KEYS,
];

/**
 * Options of `optimize`: the topological term, the Adam steps, the weight α, smearing and the callback.
 *
 * @category Optimization
 */
export interface OptimizeOptions extends TopologicalTermConfig {
  /** Number of Adam steps. */
  steps: number;
  /** Adam learning rate. Default 0.05 (the paper's). */
  learningRate?: number;
  /**
   * Weight α of the topological term; the rest, 1 − α, weighs the mean squared distance to the
   * starting tensor. Default 1 − 1/size, the paper's choice.
   */
  alpha?: number;
  /**
   * STUMP smearing (omit for vanilla gradient descent through the diagram); with `smear.schedule`,
   * coarse-to-fine stages, e.g. `schedule: [{ block: 4, plateau: 1000 }, { block: 1, noise: 0 }]`.
   */
  smear?: SmearArgs;
  /**
   * Called after every `every`-th step and after the last, with the step's numbers and the current
   * tensor (disposed after the call: clone it to keep it). Return `false` to stop early.
   */
  onStep?: (info: StepInfo) => void | boolean | Promise<void | boolean>;
  /** How often `onStep` is called. Default 1. */
  every?: number;
  /** Default 'auto'. */
  path?: OptimizePath;
}

/**
 * The numbers of one step of `optimize`, as kept in `OptimizeResult.history`.
 *
 * @category Optimization
 */
export interface StepRecord {
  /** 1-based step number. */
  step: number;
  /** The objective of this step: α Φ + (1 − α) MSE (with Φ estimated on approximates if smeared). */
  loss: number;
  /** Seconds of optimization since the start (time spent in `onStep` is not counted). */
  seconds: number;
  /** The smear schedule's stage this step ran in (0 without a schedule). */
  stage: number;
}

/**
 * What `onStep` receives: the step's numbers and the current tensor.
 *
 * @category Optimization
 */
export interface StepInfo extends StepRecord {
  /** The tensor after this step, disposed when `onStep` returns: clone it to keep it. */
  x: tf.Tensor;
}

/**
 * What `optimize` resolves to: the optimized tensor and the per-step history.
 *
 * @category Optimization
 */
export interface OptimizeResult {
  /** The optimized tensor (the caller disposes it). */
  result: tf.Tensor;
  /** One record per step run, in order (fewer than `steps` when `onStep` stopped early). */
  history: StepRecord[];
}

/**
 * Direct topological optimization of a tensor, the paper's setting: minimizes
 * `α · Φ(PD(x)) + (1 − α) · MSE(x, x0)` with Adam, by vanilla backpropagation through the diagram
 * or, with `smear`, by STUMP. Resolves to the optimized tensor and the per-step history.
 *
 * ```js
 * const { result, history } = await optimize(image, {
 *   steps: 2000, functional: { kind: 'totalPersistence', dim: 0, lifetimeRange: [50, null], target: 'death' },
 *   smear: { block: 4, noise: 50, seed: 1 },
 * });
 * ```
 *
 * @throws Error (the promise rejects) naming `x0` (not a tf.Tensor), `options` / `options.<key>`
 *   (not an object, an unknown key, `steps` not an integer ≥ 1, `learningRate` not a positive
 *   number, `every` not an integer ≥ 1, `alpha` outside [0, 1], `onStep` not a function, `path`
 *   not 'auto', 'tensor' or 'host' — 'host' only for an unbatched float32 image or volume),
 *   `options.functional.<key>` and the persistence options as `topologicalTerm` checks them (a
 *   functional `dim` among `options.dims`), `options.smear.<key>` as `BlockSmear` and
 *   `SmearSchedule` check them (`options.smear.block` or `options.smear.schedule[i].block` for a
 *   block larger than x0), and `options.learningRate` when the iterate diverges.
 * @example
 * ```js
 * const x0 = tf.tensor2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]]); // a loop of lifetime 1
 * const { result, history } = await optimize(x0, { steps: 10, functional: { kind: 'totalPersistence', dim: 1 } });
 * // history[0].loss ≈ 0.89, history[9].loss ≈ 0.09: the centre sinks and a ring pixel rises
 * // result ≈ [[0, 0, 0], [0, 0.5, 0], [0, 0.5, 0]]: the loop nearly gone, close to x0 elsewhere
 * result.dispose();
 * ```
 */
export async function optimize(x0: tf.Tensor, options: OptimizeOptions): Promise<OptimizeResult> {
  if (!(x0 instanceof tf.Tensor)) throw new Error(`x0: expected a tf.Tensor, got ${describe(x0)}`);
  const { smear, onStep, path = 'auto', ...rest } = checkOptions(options, 'options', OPTIMIZE_KEYS);
  const { steps: stepsOption, learningRate: rate, alpha: alphaOption, every: everyOption, ...term } = rest;
  const steps = checkInteger(stepsOption, 'options.steps', undefined, 1);
  const learningRate = checkNumber(rate, 'options.learningRate', 0.05, 0);
  if (learningRate === 0) throw new Error('options.learningRate: expected a positive number, got 0');
  const every = checkInteger(everyOption, 'options.every', 1, 1);
  const alpha = checkNumber(alphaOption, 'options.alpha', 1 - 1 / x0.size, 0, 1);
  checkTermConfig(term, 'options');
  if (onStep !== undefined && typeof onStep !== 'function')
    throw new Error(`options.onStep: expected a function, got ${describe(onStep)}`);
  if (!['auto', 'tensor', 'host'].includes(path))
    throw new Error(`options.path: expected 'auto', 'tensor' or 'host', got ${describe(path)}`);
  const hostApplies = x0.rank <= 3 && x0.dtype === 'float32';
  if (path === 'host' && !hostApplies)
    throw new Error(`options.path: 'host' needs an unbatched float32 image or volume, got shape [${x0.shape}]`);
  const schedule = smearScheduleOf(smear, 'options.smear');
  try {
    schedule?.checkShape(x0.shape); // every stage's block fits x0
  } catch (e) {
    schedule?.dispose();
    throw e;
  }
  const onHost = path === 'host' || (path === 'auto' && hostApplies && tf.getBackend() === 'cpu');
  const run = onHost ? hostSteps : tensorSteps;
  try {
    return await run(x0, { steps, learningRate, alpha, term, schedule, onStep, every });
  } finally {
    schedule?.dispose();
  }
}

interface Plan {
  steps: number;
  learningRate: number;
  alpha: number;
  term: TopologicalTermConfig;
  schedule: SmearSchedule | null;
  onStep?: OptimizeOptions['onStep'];
  every: number;
}

/**
 * The step clock and the callback: `seconds` counts optimization time only — time spent inside
 * `onStep` (say, evaluating an exact loss for a plot) is left out, so it cannot distort timings.
 */
class Recorder {
  readonly history: StepRecord[] = [];
  private readonly t0 = tf.util.now();
  private paused = 0; // milliseconds spent in callbacks

  constructor(private readonly plan: Plan) {}

  /**
   * Records a step, moves the schedule on (`exact` computes the unsmeared objective at the iterate,
   * for a plateau rule) and runs the callback; false when the caller asked to stop.
   */
  async record(loss: number, current: () => tf.Tensor, exact: () => number): Promise<boolean> {
    const { onStep, every, steps, schedule } = this.plan;
    const stage = schedule?.stage ?? 0;
    schedule?.recordExact(exact);
    const callbackStart = tf.util.now();
    const entry = {
      step: this.history.length + 1,
      loss,
      seconds: (callbackStart - this.t0 - this.paused) / 1000,
      stage,
    };
    this.history.push(entry);
    if (!onStep || (entry.step % every !== 0 && entry.step !== steps)) return true;
    const x = current();
    try {
      return (await onStep({ ...entry, x })) !== false;
    } finally {
      x.dispose();
      this.paused += tf.util.now() - callbackStart;
    }
  }
}

async function hostSteps(x0: tf.Tensor, plan: Plan): Promise<OptimizeResult> {
  const { steps, learningRate, alpha, term, schedule } = plan;
  const samples = schedule?.samples ?? 1;
  const stepper = new HostStep(x0.dataSync() as Float32Array, x0.shape, term, alpha, learningRate, samples);
  const recorder = new Recorder(plan);
  for (let step = 1; step <= steps; step++) {
    const loss = stepper.step(schedule?.smear ?? null);
    if (!Number.isFinite(loss)) throw diverged(step, learningRate);
    if (
      !(await recorder.record(
        loss,
        () => tf.tensor(stepper.values, x0.shape),
        () => stepper.objective(),
      ))
    )
      break;
  }
  return { result: tf.tensor(stepper.values.slice(), x0.shape), history: recorder.history };
}

async function tensorSteps(x0: tf.Tensor, plan: Plan): Promise<OptimizeResult> {
  const { steps, learningRate, alpha, term, schedule } = plan;
  const start = tf.clone(x0);
  const x = tf.variable(x0, true); // shares x0's data until the first update replaces it
  const adam = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  const objective = (smear: BlockSmear | null) => {
    const topo = smear
      ? smearedCheckedTerm(x, term, smear, schedule?.samples ?? 1, 'options')
      : checkedTerm(x, term, 'options');
    return tf.add(tf.mul(topo, alpha), tf.mul(tf.losses.meanSquaredError(start, x), 1 - alpha)) as tf.Scalar;
  };
  const exact = () => tf.tidy(() => objective(null).dataSync()[0]);
  const recorder = new Recorder(plan);
  try {
    for (let step = 1; step <= steps; step++) {
      let cost: tf.Scalar;
      try {
        cost = adam.minimize(() => objective(schedule?.smear ?? null), true, [x]) as tf.Scalar;
      } catch (e) {
        // A diverged iterate fails inside the term (non-finite values): say what happened instead.
        if (tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0])) throw e;
        throw diverged(step, learningRate, e);
      }
      const loss = cost.dataSync()[0];
      cost.dispose();
      if (!Number.isFinite(loss)) throw diverged(step, learningRate);
      if (!(await recorder.record(loss, () => tf.clone(x), exact))) break;
    }
    return { result: tf.clone(x), history: recorder.history };
  } finally {
    x.dispose();
    start.dispose();
    adam.dispose();
  }
}

/** The error for an iterate that left the finite numbers: the step size is the usual cause. */
function diverged(step: number, learningRate: number, cause?: unknown): Error {
  return new Error(
    `options.learningRate: the optimization diverged at step ${step} (the tensor or the objective is no longer ` +
      `finite); lower the learning rate (now ${learningRate})`,
    { cause },
  );
}
