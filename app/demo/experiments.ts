import * as tf from '@tensorflow/tfjs-core';
import { CubicalPersistence, optimize, SmearArgs } from 'tfjs-topo';
import { mulberry32 } from './random';
import { PaperExperiment, paperFunctional } from './paper';

/** One optimization method of the comparison. */
export interface Method {
  name: string;
  /** Exponent of Φ: 2 for vanilla (the paper's W2), 1 for STUMP. */
  p: number;
  /** STUMP smearing, or null for vanilla backpropagation. */
  smear: Pick<SmearArgs, 'block' | 'noise' | 'range' | 'schedule'> | null;
}

export const vanilla = (p = 2): Method => ({ name: p === 2 ? 'vanilla W2' : `vanilla W${p}`, p, smear: null });
export const stump = (
  experiment: PaperExperiment,
  noise = experiment.noise,
  range: 'pooled' | 'input' = 'pooled',
): Method => ({
  name: `STUMP${noise > 0 ? '' : ', no noise'}${range === 'input' ? ', input range' : ''}`,
  p: 1,
  smear: { block: experiment.block, noise, range },
});

/**
 * STUMP on a coarse-to-fine schedule: the experiment's blocks and noise until the exact objective
 * stops falling (less than 1 % lower than 500 steps before), then exact steps. The smeared stage
 * makes the fast global moves, the exact one removes what block moves cannot. Chosen by
 * `npm run bench:schedule` (bench/SCHEDULE.md) among step and plateau rules, with and without a
 * middle stage of 2×2 blocks.
 */
export const stumpSchedule = (experiment: PaperExperiment): Method => ({
  name: 'STUMP, schedule',
  p: 1,
  smear: {
    block: experiment.block,
    noise: experiment.noise,
    schedule: [{ plateau: 500 }, { block: 1, noise: 0 }],
  },
});

/** A point of a loss-vs-time curve: the exact full-resolution Φ after `step` steps. */
export interface CurvePoint {
  step: number;
  seconds: number;
  exact: number;
}

export interface RunResult {
  method: string;
  result: Float32Array;
  steps: number;
  /** Optimization time (exact-loss evaluations excluded). */
  seconds: number;
  curve: CurvePoint[];
  /** Where each stage of a smear schedule after the first began (empty without one). */
  stages: { stage: number; step: number; seconds: number }[];
}

/**
 * The comparison's yardstick, the same for every method: Φ₁ = Σ lifetime over the pairs of the
 * experiment's dimension living longer than its threshold, on the full-resolution image (not the
 * stochastic surrogate a STUMP step sees).
 */
export class ExactLoss {
  private readonly engine: CubicalPersistence;

  constructor(
    shape: readonly number[],
    private readonly experiment: Pick<PaperExperiment, 'dim' | 'minLifetime'>,
  ) {
    this.engine = new CubicalPersistence(shape, { dims: [experiment.dim] });
  }

  of(values: Float32Array): number {
    const [d] = this.engine.compute(values);
    let sum = 0;
    for (let i = 0; i < d.births.length; i++) {
      const life = d.deaths[i] - d.births[i];
      if (life > this.experiment.minLifetime && life !== Infinity) sum += life;
    }
    return sum;
  }
}

export interface RunOptions {
  steps: number;
  seed: number;
  /** Stop once this much optimization time is spent (seconds). Default: no limit. */
  budget?: number;
  /** When to evaluate the exact loss: after these many seconds (a growing schedule). */
  checkpoints?: (seconds: number, step: number) => boolean;
  progress?: (step: number, seconds: number) => void;
}

/** Runs `method` on the experiment from `x0`, evaluating the exact loss on a schedule. */
export async function runMethod(
  experiment: PaperExperiment,
  method: Method,
  x0: Float32Array,
  shape: [number, number],
  options: RunOptions,
): Promise<RunResult> {
  const exact = new ExactLoss(shape, experiment);
  const curve: CurvePoint[] = [{ step: 0, seconds: 0, exact: exact.of(x0) }];
  const checkpoint =
    options.checkpoints ?? ((_: number, step: number) => step % Math.max(1, Math.floor(options.steps / 50)) === 0);
  const input = tf.tensor(x0, shape);
  let last = { step: 0, seconds: 0 };
  const stages: RunResult['stages'] = [];
  const { result, history } = await optimize(input, {
    steps: options.steps,
    dims: [experiment.dim],
    functional: paperFunctional(experiment, method.p),
    smear: method.smear ? { ...method.smear, measure: 'uniform-normalized', seed: options.seed } : undefined,
    onStep: ({ step, seconds, x, stage }) => {
      if (stage > (stages[stages.length - 1]?.stage ?? 0)) stages.push({ stage, step, seconds });
      last = { step, seconds };
      options.progress?.(step, seconds);
      const done = step === options.steps || (options.budget !== undefined && seconds >= options.budget);
      if (done || checkpoint(seconds, step))
        curve.push({ step, seconds, exact: exact.of(x.dataSync() as Float32Array) });
      return !done;
    },
  });
  input.dispose();
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return {
    method: method.name,
    result: values,
    steps: last.step || history.length,
    seconds: last.seconds,
    curve,
    stages,
  };
}

/** A geometric schedule of checkpoints in seconds: first, first·ratio, first·ratio², … */
export function geometricCheckpoints(first = 0.05, ratio = 1.15): (seconds: number) => boolean {
  let next = first;
  return (seconds) => {
    if (seconds < next) return false;
    while (next <= seconds) next *= ratio;
    return true;
  };
}

/**
 * The reference code's robustness test: for each noise level ε, `draws` images clip(x + U[−ε, ε],
 * 0, 255), and the p-norm of the lifetimes above the threshold (p = 1, 2); mean and worst case
 * (worst = lowest when maximizing, highest when minimizing).
 */
export function noiseRobustness(
  experiment: PaperExperiment,
  values: Float32Array,
  shape: [number, number],
  levels: readonly number[],
  draws: number,
  seed: number,
): { epsilon: number; p: number; mean: number; worst: number }[] {
  const engine = new CubicalPersistence(shape, { dims: [experiment.dim] });
  const random = mulberry32(seed);
  const noisy = new Float32Array(values.length);
  const rows: { epsilon: number; p: number; mean: number; worst: number }[] = [];
  for (const epsilon of levels) {
    const norms: number[][] = [[], []];
    for (let k = 0; k < draws; k++) {
      for (let i = 0; i < values.length; i++)
        noisy[i] = Math.min(255, Math.max(0, values[i] + epsilon * (2 * random() - 1)));
      const [d] = engine.compute(noisy);
      let p1 = 0;
      let p2 = 0;
      for (let i = 0; i < d.births.length; i++) {
        const life = d.deaths[i] - d.births[i];
        if (life > experiment.minLifetime && life !== Infinity) {
          p1 += life;
          p2 += life * life;
        }
      }
      norms[0].push(p1);
      norms[1].push(Math.sqrt(p2));
    }
    norms.forEach((list, j) => {
      const mean = list.reduce((a, b) => a + b, 0) / list.length;
      const worst = experiment.goal === 'maximize' ? Math.min(...list) : Math.max(...list);
      rows.push({ epsilon, p: j + 1, mean, worst });
    });
  }
  return rows;
}

/** The number that shows an experiment's expected feature (paper, Figure III.1) in an image. */
export interface Feature {
  /** What is measured, e.g. "H1 lifetime of the circle". */
  label: string;
  value: number;
}

/**
 * The feature each experiment is after, measured on the full-resolution image: the wall between
 * the wells (the lifetime of the second well's H0 class), the circle's loop (its H1 lifetime), the
 * blobs left apart (H0 classes living longer than the threshold, the essential one included).
 */
export function featureOf(experiment: PaperExperiment, values: Float32Array, shape: [number, number]): Feature {
  const [d] = new CubicalPersistence(shape, { dims: [experiment.dim] }).compute(values);
  let longest = 0;
  let count = 0;
  for (let i = 0; i < d.births.length; i++) {
    const life = d.deaths[i] - d.births[i];
    if (life === Infinity) count++;
    else {
      longest = Math.max(longest, life);
      if (life > experiment.minLifetime) count++;
    }
  }
  switch (experiment.name) {
    case 'wells':
      return { label: 'wall between the wells (lifetime of the second H0 class)', value: longest };
    case 'circle':
      return { label: 'the loop (longest H1 lifetime)', value: longest };
    case 'blobs':
      return { label: `components apart (H0 classes with lifetime > ${experiment.minLifetime})`, value: count };
  }
}
