import type * as tf from '@tensorflow/tfjs-core';
import { asArgument, checkInteger, checkOptions, describe } from '../base/checks.js';
import { BLOCK_SMEAR_KEYS, BlockSmear, BlockSmearOptions } from './block-smear.js';

/**
 * One stage of a coarse-to-fine schedule: the smear's settings for a run of steps (those left out
 * are the smear's own), and when the stage ends. A stage with block 1 and no noise is exact: its
 * steps are the vanilla term's.
 * @category Smearing
 */
export interface SmearStage extends Partial<Omit<BlockSmearOptions, 'seed'>> {
  /** The stage ends after this many steps. */
  steps?: number;
  /**
   * The stage ends when its objective stops falling: compared every `plateau` steps, it fell less
   * than 1 % since the last comparison. In `optimize` the objective compared is the exact one (no
   * smearing) at the iterate, read at the stage's step 1, then at its steps `plateau`,
   * 2·`plateau`, …: the stage ends when it no longer lowers the true loss. In layers and losses,
   * whose batches differ, it is the mean of the term over each window of `plateau` steps.
   */
  plateau?: number;
}

/** The keys of `SmearStage`. */
export const SMEAR_STAGE_KEYS = ['block', 'noise', 'measure', 'range', 'steps', 'plateau'];

/**
 * The fraction by which a plateau stage's objective must fall from one comparison to the next to go on.
 *
 * @category Smearing
 */
export const PLATEAU_TOLERANCE = 0.01;

/**
 * The smear of every step of an optimization: one `BlockSmear` for the whole run, or, with a
 * `schedule`, a smear per stage — e.g. `[{ block: 4, steps: 3000 }, { block: 2, plateau: 500 },
 * { block: 1, noise: 0 }]` does the fast global moves on coarse approximates and ends exact. Each
 * stage draws from its own stream, seeded from the smear's seed and the stage's index, so a run
 * replays from its seed. Call `record` (training) or `recordExact` (direct optimization) once per
 * step; `dispose` frees every stage's smear.
 * @category Smearing
 */
export class SmearSchedule {
  // Per stage: its smear (null when exact), when it ends, and the argument that set its block.
  private readonly stages: { smear: BlockSmear | null; steps: number; plateau: number; block: string }[];
  private index = 0;
  private stepsInStage = 0;
  private windowSum = 0;
  private previous = NaN; // the plateau stage's objective at its last comparison

  /** Approximates averaged per step. */
  readonly samples: number;

  /** The smear's seed (drawn when none was given); stage i draws from seed + i. Reuse it to replay a run. */
  readonly seed: number;

  /**
   * `base`: the smear's settings; `stages`: its schedule (undefined for one stage); `samples`:
   * approximates per step (default 1). Errors name `name`.
   */
  constructor(base: BlockSmearOptions, stages: readonly SmearStage[] | undefined, samples: unknown, name: string) {
    this.samples = checkInteger(samples, `${name}.samples`, 1, 1);
    // The smear's own settings are checked where they were given; with a schedule, a stage may
    // supply the block instead.
    const own = stages === undefined || base.block !== undefined ? asArgument(name, () => new BlockSmear(base)) : null;
    if (stages === undefined) {
      this.stages = [{ smear: own, steps: Infinity, plateau: 0, block: `${name}.block` }];
      this.seed = (own as BlockSmear).seed;
      return;
    }
    own?.dispose();
    if (!Array.isArray(stages) || stages.length === 0)
      throw new Error(`${name}.schedule: expected a non-empty array of stages, got ${describe(stages)}`);
    const seed = own?.seed ?? asArgument(name, () => new BlockSmear({ block: 1, seed: base.seed })).seed;
    this.seed = seed;
    this.stages = stages.map((stage, i) => {
      const where = `${name}.schedule[${i}]`;
      const { steps, plateau, ...settings } = checkOptions(stage, where, SMEAR_STAGE_KEYS);
      const last = i === stages.length - 1;
      if (last && (steps !== undefined || plateau !== undefined))
        throw new Error(`${where}: the last stage lasts to the end of the run, so it takes no steps or plateau`);
      if (!last && steps === undefined && plateau === undefined)
        throw new Error(`${where}: expected steps or plateau (when the stage ends); only the last stage has neither`);
      const options = { ...base, ...settings, seed: seed + i <= Number.MAX_SAFE_INTEGER ? seed + i : seed - i };
      if (options.block === undefined)
        throw new Error(`${name}.block: expected a block edge length (${where} gives none), got undefined`);
      const smear = asArgument(where, () => new BlockSmear(options)); // checks the settings, exact or not
      return {
        smear: isExact(options) ? null : smear,
        steps: steps === undefined ? Infinity : checkInteger(steps, `${where}.steps`, undefined, 1),
        plateau: plateau === undefined ? 0 : checkInteger(plateau, `${where}.plateau`, undefined, 1),
        block: settings.block === undefined ? `${name}.block` : `${where}.block`,
      };
    });
  }

  /** The smear of the current step; null when the stage is exact (block 1, no noise). */
  get smear(): BlockSmear | null {
    return this.stages[this.index].smear;
  }

  /** The current stage's index (0 without a schedule). */
  get stage(): number {
    return this.index;
  }

  /**
   * Counts one training step, and moves on when the stage is over. `term` reads the step's term; it
   * is called only in a plateau stage (reading a tensor back costs a sync), whose windows compare
   * their mean terms.
   */
  record(term: () => number): void {
    this.count((window) => {
      this.windowSum += term();
      if (this.stepsInStage % window !== 0) return NaN;
      const mean = this.windowSum / window;
      this.windowSum = 0;
      return mean;
    });
  }

  /**
   * Counts one step of a direct optimization, and moves on when the stage is over. `objective`
   * computes the exact objective at the iterate; a plateau stage calls it at its step 1, then at
   * its steps `plateau`, 2·`plateau`, …, and compares.
   */
  recordExact(objective: () => number): void {
    this.count((window) => (this.stepsInStage === 1 || this.stepsInStage % window === 0 ? objective() : NaN));
  }

  /**
   * `run()`, with an error about the current smear's block not fitting the input (known only with
   * the input's shape) naming the argument that set the block, e.g. `args.smear.block`.
   */
  named<T>(run: () => T): T {
    return asArgument(this.stages[this.index].block, run, 'options.block');
  }

  /** Throws, naming the argument that set it, when a stage's block does not fit inputs of `shape`. */
  checkShape(shape: readonly number[]): void {
    for (const { smear, block } of this.stages)
      if (smear) asArgument(block, () => smear.outputShape(shape), 'options.block');
  }

  /** Frees every stage's smear. */
  dispose(): void {
    for (const { smear } of this.stages) smear?.dispose();
  }

  /**
   * Counts a step; `compared(window)` gives the objective to compare at this step of a plateau
   * stage (NaN: none). Moves on after the stage's steps, or when the objective fell too little.
   */
  private count(compared: (window: number) => number): void {
    const { steps, plateau } = this.stages[this.index];
    this.stepsInStage++;
    let flat = false;
    if (plateau > 0) {
      const value = compared(plateau);
      if (!Number.isNaN(value)) {
        const previous = this.previous;
        this.previous = value;
        flat = previous - value <= PLATEAU_TOLERANCE * Math.abs(previous); // false at the first comparison (NaN)
      }
    }
    if (flat || this.stepsInStage >= steps) this.next();
  }

  private next(): void {
    if (this.index === this.stages.length - 1) return;
    this.index++;
    this.stepsInStage = 0;
    this.windowSum = 0;
    this.previous = NaN;
  }
}

/** Whether smearing with `options` is the identity: block 1 on every axis and no noise. */
function isExact({ block, noise = 0 }: BlockSmearOptions): boolean {
  return noise === 0 && (Array.isArray(block) ? block.every((k) => k === 1) : block === 1);
}

/**
 * The STUMP settings of a layer, loss or `optimize`: block smearing, approximates per step, and a schedule.
 *
 * @category Smearing
 */
export type SmearArgs = BlockSmearOptions & {
  /** Approximates averaged per step. Default 1 (the paper's setting). */
  samples?: number;
  /** Coarse-to-fine stages (see `SmearStage`); omit to smear every step alike. */
  schedule?: readonly SmearStage[];
};

/** The keys of `SmearArgs`. */
export const SMEAR_ARG_KEYS = [...BLOCK_SMEAR_KEYS, 'samples', 'schedule'];

/** The schedule described by `smear` (null when it is undefined: the vanilla term); errors name `name.key`. */
export function smearScheduleOf(smear: SmearArgs | undefined, name: string): SmearSchedule | null {
  if (smear === undefined) return null;
  const { samples, schedule, ...options } = checkOptions(smear, name, SMEAR_ARG_KEYS);
  return new SmearSchedule(options, schedule, samples, name);
}

/**
 * One step of a (possibly smeared) term: `term` with the schedule's current smear (null: the
 * vanilla term) and samples; the step is then counted, reading the value only for a plateau rule.
 */
export function scheduled(
  schedule: SmearSchedule | null,
  term: (smear: BlockSmear | null, samples: number) => tf.Scalar,
): tf.Scalar {
  const value = schedule ? schedule.named(() => term(schedule.smear, schedule.samples)) : term(null, 1);
  schedule?.record(() => value.dataSync()[0]);
  return value;
}
