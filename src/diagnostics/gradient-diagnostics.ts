import * as tf from '@tensorflow/tfjs-core';
import type { CustomCallbackArgs } from '@tensorflow/tfjs-layers';
import { asArgument, checkArgs, checkInteger, checkNumber, checkOptions, describe } from '../base/checks.js';
import { mulberry32 } from '../base/random.js';
import { persistenceDiagrams } from '../ops/persistence-op.js';
import type { TensorDiagrams } from '../ops/persistence-op.js';
import { applyFunctional, checkTermConfig, FunctionalConfig, TopologicalTermConfig } from '../ops/topological-term.js';
import { BLOCK_SMEAR_KEYS, BlockSmear, BlockSmearOptions } from '../smear/block-smear.js';
import { smearedCheckedTerm } from '../smear/smeared-term.js';

/*
 * Gradient diagnostics: what a topological term's gradient does, step by step — the quantities
 * behind the paper's argument (Section II.C, Figure II.4) that vanilla gradients through the
 * diagram are unstable: how many elements a step touches, how often the pairing behind the
 * gradient changes, how large the gradient is, whether it agrees with finite differences, and how
 * aligned the gradients of successive steps or of random draws are (their Gram matrix).
 */

/**
 * The STUMP smear of the term under examination: `BlockSmear`'s options and the approximates
 * averaged per gradient.
 *
 * @category Diagnostics
 */
export interface DiagnosticsSmear extends BlockSmearOptions {
  /** Approximates averaged per gradient. Default 1 (the paper's setting). */
  samples?: number;
}

/**
 * When and how `GradientDiagnostics` checks a gradient against finite differences.
 *
 * @category Diagnostics
 */
export interface FiniteDifferenceSchedule extends FiniteDifferenceOptions {
  /** Check at every `every`-th record (the 1st, then the (every + 1)-th, …). Default: only on request (`record(x, { check: true })`). */
  every?: number;
}

/**
 * Options of `GradientDiagnostics`: the term examined, its smear, and what is kept.
 *
 * @category Diagnostics
 */
export interface GradientDiagnosticsOptions {
  /** The topological term whose gradient is examined: as `optimize` or `topologicalTerm` take it. */
  term: TopologicalTermConfig;
  /** STUMP: the smeared term's settings (omit for the vanilla term). A schedule is not taken: pass a stage's settings. */
  smear?: DiagnosticsSmear;
  /** Finite-difference checks of the gradient (default: none unless `record` asks for one). */
  finiteDifference?: FiniteDifferenceSchedule;
  /** Keep the gradients of the first `keepGradients` records, for `gram()`. Default 0. */
  keepGradients?: number;
}

/**
 * What `GradientDiagnostics.record` measured at one tensor.
 *
 * @category Diagnostics
 */
export interface GradientRecord {
  /** The step this record belongs to (given to `record`, else its 1-based count). */
  step: number;
  /** The term's value at x: Φ(PD(x)) for the vanilla term, the estimate on this record's approximate(s) when smeared. */
  value: number;
  /** Φ(PD(x)) on the full-resolution diagram (equal to `value` for the vanilla term). */
  exact: number;
  /** Elements of x whose gradient is not zero. */
  touched: number;
  /** `touched` / x.size. */
  touchedFraction: number;
  /** L2 norm of the gradient (summed in float64). */
  norm: number;
  /** Pairs of PD(x) (full resolution) that receive gradient from the functional: the pairs it acts on. */
  activePairs: number;
  /**
   * Active pairs whose critical cells (birth cell, death cell) were not an active pair at the
   * previous record: new pairings the gradient follows. NaN at the first record.
   */
  pairsChanged: number;
  /** Active pairs of the previous record whose critical cells are no longer an active pair. NaN at the first record. */
  pairsGone: number;
  /** `pairsChanged` / `activePairs` (0 when there is no active pair; NaN at the first record). */
  pairsChangedFraction: number;
  /** The finite-difference check, when one ran at this record. */
  finiteDifference?: FiniteDifferenceCheck;
}

/**
 * Options of `finiteDifferenceCheck`.
 *
 * @category Diagnostics
 */
export interface FiniteDifferenceOptions {
  /**
   * Step h: every element moves by ±h (random signs). Default 1e-4 · max(1, max |x|): small
   * against the data, large against float32 rounding of x.
   */
  epsilon?: number;
  /** Seed of the random signs. Default 1. */
  seed?: number;
  /** Largest relative disagreement accepted (see `FiniteDifferenceCheck.ok`). Default 0.01. */
  tolerance?: number;
}

/**
 * The result of a finite-difference check along one random direction: the measured change of f
 * against the change its gradient predicts.
 *
 * @category Diagnostics
 */
export interface FiniteDifferenceCheck {
  /** The step h used. */
  epsilon: number;
  /** f(x + δ₊) − f(x + δ₋), with δ± the float32 perturbations actually applied (±h per element, random signs). */
  measured: number;
  /** ⟨g, δ₊ − δ₋⟩: the change the gradient g predicts (in float64). */
  predicted: number;
  /** |measured − predicted| / max(|measured|, |predicted|); 0 when both are 0. */
  relativeError: number;
  /**
   * |measured − predicted| ≤ tolerance · max(|measured|, |predicted|) + a float32 allowance
   * 2⁻²⁰ · (|f(x + δ₊)| + |f(x + δ₋)|) (the rounding of f's own value).
   */
  ok: boolean;
}

/**
 * The Gram matrix of m gradients g_1 … g_m and what the paper reads from it (Section II.C,
 * Figure II.4): how orthogonal they are, and the weights of a robust average.
 *
 * @category Diagnostics
 */
export interface GradientGram {
  /** Number m of gradients. */
  size: number;
  /** m × m, row-major: entry [i · m + j] = ⟨g_i, g_j⟩ (the left of the paper's Figure II.4). */
  gram: Float64Array;
  /** m × m cosines ⟨g_i, g_j⟩ / (‖g_i‖ ‖g_j‖); NaN where a gradient is zero. */
  cosine: Float64Array;
  /** ‖g_i‖. */
  norms: Float64Array;
  /**
   * c_i = ‖g_i‖⁻² / Σ_j ‖g_j‖⁻² (the right of Figure II.4): the minimum-norm convex combination when
   * the gradients are pairwise orthogonal. Zero gradients share the weight equally (the limit).
   */
  weights: Float64Array;
  /** The convex weights c* of the minimum-norm element of conv(g_1 … g_m), solved on the Gram matrix without that assumption. */
  minNormWeights: Float64Array;
  /** ‖Σ c*_i g_i‖: the norm of the minimum-norm element. */
  minNorm: number;
  /** ‖(1/m) Σ g_i‖: the norm of the plain average (STUMP's direction with m samples). */
  meanNorm: number;
  /** Mean of |cos(g_i, g_j)| over i ≠ j (NaN for m = 1 or zero gradients): 0 for orthogonal gradients, 1 for parallel. */
  meanAbsCosine: number;
}

const OPTION_KEYS = ['term', 'smear', 'finiteDifference', 'keepGradients'];
const SMEAR_KEYS = [...BLOCK_SMEAR_KEYS, 'samples'];
const FD_KEYS = ['epsilon', 'seed', 'tolerance'];
const GRAM_KEYS = ['term', 'smear', 'draws'];
/** The float32 allowance of a finite-difference check, relative to |f|: 2⁻²⁰ (8 units in the last place). */
const FLOAT32_ALLOWANCE = 2 ** -20;

/**
 * Per-step gradient diagnostics of a topological term, vanilla or smeared (STUMP): call `record(x)`
 * with the current tensor at each step — or hand `onStep` to `optimize`, or `fitCallback(...)` to
 * `model.fit` — and read `records`, one `GradientRecord` per call:
 *
 * - the fraction of elements of x whose gradient is not zero (vanilla: the critical cells only;
 *   STUMP: whole blocks);
 * - the pairs of PD(x) the functional acts on (those that receive gradient), and how many of them
 *   changed their critical cells since the previous record — pairs are matched by (dimension,
 *   birth cell, death cell) on the full-resolution diagram, for both terms, so the two methods'
 *   trajectories are compared on the same pairing;
 * - the gradient's L2 norm;
 * - on request, a finite-difference check of the term along a random direction
 *   (`finiteDifferenceCheck`): does the gradient predict how the term's value changes? With a
 *   one-ended `target` ('birth' or 'death') the gradient leaves the other end of each pair out on
 *   purpose and is not the derivative of the value, so the check then differentiates the same
 *   term with `target: 'both'`;
 * - the gradients of the first `keepGradients` records, for `gram()`, their Gram matrix.
 *
 * The gradient is the term's own gradient at x, computed afresh (not the step the optimizer took,
 * which `optimize` does not expose, and which for Adam is a running average): one extra term
 * evaluation per record, plus one full-resolution persistence computation when smeared. A smeared
 * record draws its own approximates: draw k uses the seed `smear.seed + k` (k = 0, 1, …), so a
 * finite-difference check replays the very draw it checks, and the optimizer's random stream is
 * left alone. With `smear.range: 'input'` the rescaling's slope is a constant in the gradient,
 * which finite differences then see as a disagreement.
 *
 * @throws Error naming `options` / `options.<key>` (not an object, an unknown key, `keepGradients`
 *   not an integer ≥ 0), `options.term…` as `topologicalTerm` names its `config`,
 *   `options.smear.<key>` as `BlockSmear` names its options (`samples` not an integer ≥ 1),
 *   `options.finiteDifference.<key>` (`every` not an integer ≥ 1, `epsilon` or `tolerance` not a
 *   positive number, `seed` not an integer). `record` throws naming `x` (not a float32 tf.Tensor, a
 *   NaN), `options.term…` (a dimension beyond x's rank) and `options.smear.block` (larger than x).
 * @example
 * ```js
 * const x0 = tf.tensor2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]]); // a loop of lifetime 1
 * const diagnostics = new GradientDiagnostics({ term: { functional: { kind: 'totalPersistence', dim: 1 } } });
 * await optimize(x0, { steps: 3, functional: { kind: 'totalPersistence', dim: 1 }, onStep: diagnostics.onStep });
 * const [first] = diagnostics.records;
 * // first.touched → 2 of 9 elements (the loop's birth and death cells), first.norm → √2,
 * // first.activePairs → 1, first.pairsChanged → NaN (nothing to compare with yet)
 * diagnostics.dispose();
 * ```
 * @category Diagnostics
 */
export class GradientDiagnostics {
  /** One record per `record` call, in order. */
  readonly records: GradientRecord[] = [];

  /**
   * `optimize`'s `onStep`, recording every tensor it is given: `optimize(x0, { …, onStep: d.onStep })`.
   * To do more in the callback, call `record(info.x, { step: info.step })` from your own.
   */
  readonly onStep = (info: { step: number; x: tf.Tensor }): void => {
    this.record(info.x, { step: info.step });
  };

  private readonly term: TopologicalTermConfig;
  private readonly wholeTerm: TopologicalTermConfig; // the term with target 'both' (itself when it has no other)
  private readonly smear: BlockSmearOptions | null; // the smear's settings, without its seed
  private readonly samples: number;
  private readonly seed: number; // draw k is made from seed + k
  private readonly check: Required<Omit<FiniteDifferenceSchedule, 'epsilon' | 'every'>> & {
    epsilon?: number;
    every: number;
  };
  private readonly keep: number;
  private readonly kept: Float32Array[] = [];
  private previous: Set<string> | null = null; // active pairs of the previous record, by critical cells
  private draws = 0; // drawGradient's calls

  constructor(options: GradientDiagnosticsOptions) {
    const { term, smear, finiteDifference, keepGradients } = checkArgs(options, 'options', OPTION_KEYS);
    checkTermConfig(term, 'options.term');
    this.term = term;
    // (A Wasserstein functional's `target` is its target diagram: its gradient always has both ends.)
    const target = term.functional.kind === 'wasserstein' ? undefined : term.functional.target;
    this.wholeTerm =
      target === undefined || target === 'both'
        ? term
        : { ...term, functional: { ...term.functional, target: 'both' } as FunctionalConfig };
    if (smear === undefined) {
      this.smear = null;
      this.samples = 1;
      this.seed = 0;
    } else {
      const { samples, ...settings } = checkOptions(smear, 'options.smear', SMEAR_KEYS);
      this.samples = checkInteger(samples, 'options.smear.samples', 1, 1);
      const probe = asArgument('options.smear', () => new BlockSmear(settings)); // checks every setting
      this.seed = probe.seed;
      probe.dispose();
      const { seed: _seed, ...rest } = settings;
      this.smear = rest;
    }
    const fd = checkOptions(finiteDifference, 'options.finiteDifference', [...FD_KEYS, 'every']);
    this.check = {
      every: checkInteger(fd.every, 'options.finiteDifference.every', Infinity, 1),
      ...checkFiniteDifferenceOptions(fd, 'options.finiteDifference'),
    };
    this.keep = checkInteger(keepGradients, 'options.keepGradients', 0, 0);
  }

  /** The gradients kept (of the first `keepGradients` records), flat in x's row-major order. */
  get gradients(): readonly Float32Array[] {
    return this.kept;
  }

  /** Whether the term examined is smeared (STUMP). */
  get smeared(): boolean {
    return this.smear !== null;
  }

  /**
   * Measures the term's gradient at `x` (not disposed; unchanged) and appends a `GradientRecord`,
   * which it also returns. `options.step` labels it (default: the record's 1-based count);
   * `options.check` runs the finite-difference check at this record whatever the schedule.
   */
  record(x: tf.Tensor, options?: { step?: number; check?: boolean }): GradientRecord {
    if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${describe(x)}`);
    const { step: stepOption, check } = checkOptions(options, 'options', ['step', 'check']);
    const k = this.records.length;
    const step = checkNumber(stepOption, 'options.step', k + 1);
    const { exact, active, gradient: exactGradient } = this.exactPairs(x);
    const { value, gradient } =
      this.smear === null ? { value: exact, gradient: exactGradient! } : this.smearedGradient(x, k);

    let touched = 0;
    let squares = 0;
    for (let i = 0; i < gradient.length; i++) {
      const gi = gradient[i];
      if (gi !== 0) {
        touched++;
        squares += gi * gi;
      }
    }
    let pairsChanged = NaN;
    let pairsGone = NaN;
    if (this.previous !== null) {
      const before = this.previous;
      pairsChanged = 0;
      for (const key of active) if (!before.has(key)) pairsChanged++;
      pairsGone = 0;
      for (const key of before) if (!active.has(key)) pairsGone++;
    }
    this.previous = active;

    const record: GradientRecord = {
      step,
      value,
      exact,
      touched,
      touchedFraction: touched / x.size,
      norm: Math.sqrt(squares),
      activePairs: active.size,
      pairsChanged,
      pairsGone,
      pairsChangedFraction: this.records.length === 0 ? NaN : active.size === 0 ? 0 : pairsChanged / active.size,
    };
    const { every, ...fd } = this.check;
    if (check === true || (check !== false && Number.isFinite(every) && k % every === 0)) {
      // The derivative of the term's value: with a one-ended `target` the gradient recorded is
      // partial on purpose, so the check differentiates the term with both ends.
      const whole = this.wholeTerm;
      const options = { ...fd, seed: fd.seed + k, ...(whole === this.term ? { gradient } : {}) };
      record.finiteDifference =
        this.smear === null
          ? finiteDifferenceCheck(vanillaTerm(whole), x, options)
          : this.withSmearedTerm(k, (smeared) => finiteDifferenceCheck(smeared, x, options), whole);
    }
    if (this.kept.length < this.keep) this.kept.push(gradient);
    this.records.push(record);
    return record;
  }

  /**
   * One draw of the term's gradient at x, for `gradientGram`: the smeared term's k-th draw (k counts
   * the calls), or the vanilla gradient.
   * @internal
   */
  drawGradient(x: tf.Tensor): Float32Array {
    const k = this.draws++;
    return this.smear === null ? this.exactPairs(x, false).gradient! : this.smearedGradient(x, k).gradient;
  }

  /**
   * Φ(PD(x)) on the full-resolution diagram, its active pairs keyed by dimension and critical cells
   * (none when `withPairs` is false), and for the vanilla term its gradient in x (else null).
   */
  private exactPairs(
    x: tf.Tensor,
    withPairs = true,
  ): { exact: number; active: Set<string>; gradient: Float32Array | null } {
    const { functional, ...persistence } = this.term;
    // Host arrays are assigned from inside the tidy, not returned: tidy would walk them.
    let exact = 0;
    let cells: Pick<TensorDiagrams, 'dim' | 'birthCell' | 'deathCell'> | undefined;
    let pairGradient = new Float32Array(0);
    tf.tidy(() => {
      const d = asArgument('options.term', () => persistenceDiagrams(x, persistence));
      const phi = (pairs: tf.Tensor) =>
        tf.add(
          asArgument('options.term.functional', () =>
            applyFunctional({ ...d, pairs: pairs as tf.Tensor2D }, functional),
          ),
          tf.mul(tf.sum(pairs), 0), // a gradient (of zeros) even when Φ selects no pair
        ) as tf.Scalar;
      const { value, grad } = tf.valueAndGrad(phi)(d.pairs);
      exact = value.dataSync()[0];
      pairGradient = Float32Array.from(grad.dataSync());
      cells = { dim: d.dim, birthCell: d.birthCell, deathCell: d.deathCell };
    });
    const { dim, birthCell, deathCell } = cells!;
    const active = new Set<string>();
    if (withPairs)
      for (let i = 0; i < dim.length; i++)
        if (pairGradient[2 * i] !== 0 || pairGradient[2 * i + 1] !== 0)
          active.add(`${dim[i]},${birthCell[i]},${deathCell[i]}`);
    if (this.smear !== null) return { exact, active, gradient: null };
    // The vanilla gradient: the persistence op's backward pass on the host, each pair's gradient on its two cells.
    const g = new Float64Array(x.size);
    for (let i = 0; i < dim.length; i++) {
      g[birthCell[i]] += pairGradient[2 * i];
      g[deathCell[i]] += pairGradient[2 * i + 1];
    }
    return { exact, active, gradient: Float32Array.from(g) };
  }

  /** The smeared term's value and gradient at x on draw k. */
  private smearedGradient(x: tf.Tensor, k: number): { value: number; gradient: Float32Array } {
    let value = 0;
    let gradient = new Float32Array(0);
    this.withSmearedTerm(k, (term) =>
      tf.tidy(() => {
        const result = tf.valueAndGrad(term)(x);
        value = result.value.dataSync()[0];
        gradient = Float32Array.from(result.grad.dataSync());
      }),
    );
    return { value, gradient };
  }

  /**
   * A `model.fit` callback (tfjs-layers' `CustomCallbackArgs`): after every `every`-th batch it
   * records the term at `model.predict(inputs)` — a fixed batch, the model's current output — so
   * that `records` follows what the term does to the network's output during training. It measures
   * the gradient with respect to the output, not the weights; a topological loss layer inside the
   * model draws its own approximates, not these; and each record costs one `predict` of `inputs`.
   * Steps count batches from 1 across epochs.
   */
  fitCallback(
    model: { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] },
    inputs: tf.Tensor,
    options?: { every?: number },
  ): CustomCallbackArgs {
    if (model === null || typeof model !== 'object' || typeof model.predict !== 'function')
      throw new Error(`model: expected a tf.LayersModel (with predict), got ${describe(model)}`);
    if (!(inputs instanceof tf.Tensor)) throw new Error(`inputs: expected a tf.Tensor, got ${describe(inputs)}`);
    const { every: everyOption } = checkOptions(options, 'options', ['every']);
    const every = checkInteger(everyOption, 'options.every', 1, 1);
    let batches = 0;
    return {
      onBatchEnd: async () => {
        batches++;
        if (batches % every !== 0) return;
        const output = model.predict(inputs);
        try {
          if (!(output instanceof tf.Tensor))
            throw new Error(`model: expected a model with one output, got ${describe(output)}`);
          this.record(output, { step: batches });
        } finally {
          tf.dispose(output);
        }
      },
    };
  }

  /**
   * The Gram matrix of the gradients kept (those of the first `keepGradients` records): between the
   * gradients of successive steps, how much of each step's direction the next one keeps.
   */
  gram(): GradientGram {
    if (this.kept.length === 0)
      throw new Error('gram: no gradient kept (set options.keepGradients and record at least one step)');
    return gradientGramOf(this.kept);
  }

  /** Frees the kept gradients. The records stay readable. */
  dispose(): void {
    this.kept.length = 0;
    this.previous = null;
  }

  /**
   * `use` given the smeared term of draw k: every evaluation replays the same approximates (a
   * fresh smear seeded seed + k each time). The smears are disposed after `use` returns, once any
   * gradient through them is computed.
   */
  private withSmearedTerm<T>(
    k: number,
    use: (term: (t: tf.Tensor) => tf.Scalar) => T,
    config: TopologicalTermConfig = this.term,
  ): T {
    const settings = { ...(this.smear as BlockSmearOptions), seed: this.seed + k };
    const smears: BlockSmear[] = [];
    const term = (t: tf.Tensor) => {
      const smear = new BlockSmear(settings);
      smears.push(smear);
      return asArgument('options.smear', () =>
        tf.tidy(() => tf.add(smearedCheckedTerm(t, config, smear, this.samples, 'options.term'), tf.mul(tf.sum(t), 0))),
      ) as tf.Scalar;
    };
    try {
      return use(term);
    } finally {
      for (const smear of smears) smear.dispose();
    }
  }
}

/** The vanilla term of a config at a tensor, errors named as `GradientDiagnostics` names its term. */
function vanillaTerm(config: TopologicalTermConfig): (t: tf.Tensor) => tf.Scalar {
  const { functional, ...persistence } = config;
  return (t) =>
    asArgument('options.term.functional', () =>
      applyFunctional(
        asArgument('options.term', () => persistenceDiagrams(t, persistence)),
        functional,
      ),
    );
}

/** The finite-difference settings other than `every`, checked; errors name `name.<key>`. */
function checkFiniteDifferenceOptions(
  options: FiniteDifferenceOptions,
  name: string,
): { epsilon?: number; seed: number; tolerance: number } {
  const { epsilon, seed, tolerance } = options;
  if (epsilon !== undefined && (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)))
    throw new Error(`${name}.epsilon: expected a positive number, got ${describe(epsilon)}`);
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
    throw new Error(`${name}.seed: expected an integer, got ${describe(seed)}`);
  if (tolerance !== undefined && (typeof tolerance !== 'number' || !(tolerance > 0) || !Number.isFinite(tolerance)))
    throw new Error(`${name}.tolerance: expected a positive number, got ${describe(tolerance)}`);
  return { epsilon, seed: seed ?? 1, tolerance: tolerance ?? 0.01 };
}

/**
 * Checks a gradient against finite differences along one random direction: every element of x
 * moves by ±h (seeded random signs), and the measured change f(x + δ₊) − f(x + δ₋) is compared
 * with the change ⟨g, δ₊ − δ₋⟩ the gradient g predicts. δ± are the perturbations actually applied
 * after float32 rounding of x ± h, so the rounding of x does not count as an error.
 *
 * `g` is `options.gradient` when given (a tensor of x's shape or a Float32Array of x.size), else
 * `tf.grad(f)(x)`. Through a persistence diagram f is piecewise smooth: the check agrees while no
 * pairing changes within ±h of x, and a disagreement at a small h says that x sits next to a
 * change of pairing (or that the gradient is wrong). For a stochastic f, f must replay the same
 * random draw on every call (as `GradientDiagnostics` does for STUMP).
 *
 * @throws Error naming `f` (not a function, or not returning a scalar), `x` (not a float32
 *   tf.Tensor), `options` / `options.<key>` (an unknown key, `epsilon` or `tolerance` not a
 *   positive number, `seed` not an integer, `gradient` not of x's shape or size).
 * @example
 * ```js
 * const x = tf.tensor1d([0.5, -1, 2]);
 * const good = finiteDifferenceCheck((t) => tf.sum(tf.sin(t)), x); // tf.grad's gradient, cos(x)
 * // good.ok → true, good.relativeError ≈ 2e-3 (float32 rounding of f at h = 2e-4)
 * const bad = finiteDifferenceCheck((t) => tf.sum(tf.sin(t)), x, { gradient: tf.sin(x) });
 * // bad.ok → false: sin(x) is not the derivative of sin
 * ```
 * @category Diagnostics
 */
export function finiteDifferenceCheck(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  options?: FiniteDifferenceOptions & { gradient?: tf.Tensor | Float32Array },
): FiniteDifferenceCheck {
  if (typeof f !== 'function')
    throw new Error(`f: expected a function of a tensor returning a scalar, got ${describe(f)}`);
  if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${describe(x)}`);
  if (x.dtype !== 'float32') throw new Error(`x: expected a float32 tensor, got ${x.dtype}`);
  const { gradient: given, ...rest } = checkOptions(options, 'options', [...FD_KEYS, 'gradient']);
  const { epsilon: h0, seed, tolerance } = checkFiniteDifferenceOptions(rest, 'options');
  const n = x.size;
  let gradient: Float32Array;
  if (given === undefined) {
    gradient = tf.tidy(() => {
      const g = tf.grad((t: tf.Tensor) => tf.add(scalarOf(f, t), tf.mul(tf.sum(t), 0)) as tf.Scalar)(x);
      return Float32Array.from(g.dataSync());
    });
  } else if (given instanceof tf.Tensor) {
    if (!tf.util.arraysEqual(given.shape, x.shape))
      throw new Error(`options.gradient: expected a tensor of x's shape [${x.shape}], got shape [${given.shape}]`);
    gradient = Float32Array.from(given.dataSync());
  } else if (given instanceof Float32Array) {
    if (given.length !== n) throw new Error(`options.gradient: expected ${n} entries (x.size), got ${given.length}`);
    gradient = given;
  } else throw new Error(`options.gradient: expected a tf.Tensor or a Float32Array, got ${describe(given)}`);

  const data = x.dataSync() as Float32Array;
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(data[i]));
  if (!Number.isFinite(top)) throw new Error('x: expected finite values, got NaN or ±Infinity');
  const h = h0 ?? 1e-4 * Math.max(1, top);
  const random = mulberry32(seed);
  const plus = new Float32Array(n);
  const minus = new Float32Array(n);
  let predicted = 0;
  for (let i = 0; i < n; i++) {
    const s = random() < 0.5 ? -h : h;
    plus[i] = data[i] + s;
    minus[i] = data[i] - s;
    predicted += gradient[i] * (plus[i] - minus[i]); // the float32 perturbations applied, in float64
  }
  const at = (values: Float32Array) => tf.tidy(() => scalarOf(f, tf.tensor(values, x.shape, 'float32')).dataSync()[0]);
  const fPlus = at(plus);
  const fMinus = at(minus);
  const measured = fPlus - fMinus;
  const gap = Math.abs(measured - predicted);
  const scale = Math.max(Math.abs(measured), Math.abs(predicted));
  return {
    epsilon: h,
    measured,
    predicted,
    relativeError: scale === 0 ? 0 : gap / scale,
    ok: gap <= tolerance * scale + FLOAT32_ALLOWANCE * (Math.abs(fPlus) + Math.abs(fMinus)),
  };
}

/** f(t), checked to be a scalar tensor. */
function scalarOf(f: (x: tf.Tensor) => tf.Scalar, t: tf.Tensor): tf.Scalar {
  const y = f(t);
  if (!(y instanceof tf.Tensor) || y.size !== 1)
    throw new Error(`f: expected a function returning a scalar tensor, got ${describe(y)}`);
  return tf.reshape(y, []) as tf.Scalar;
}

/**
 * The paper's Figure II.4 at one tensor: the gradients of `draws` random draws of the term at x,
 * their Gram matrix, and the weights of a robust average. The paper draws m = 100 approximates at
 * the start of the blobs optimization (smear with noise: x_i ∈ x + [−ε, ε]^d, pooled by ω_i) and
 * finds the Gram matrix "somewhat diagonal" and the c_i close to 1/m: the draws' gradients are
 * nearly orthogonal, of similar norms, and averaging them approximates the minimum-norm (most
 * robust) descent direction of the gradient-sampling method. For the vanilla term at perturbed
 * points — gradient sampling without pooling — pass `smear: { block: 1, noise: ε }`; without a
 * smear every draw is the same gradient.
 *
 * @throws Error naming `x` (not a float32 tf.Tensor, a NaN), `options` / `options.<key>` (not an
 *   object, an unknown key, `draws` not an integer ≥ 1), `options.term…` as `topologicalTerm`
 *   names its `config`, and `options.smear.<key>` as `BlockSmear` names its options.
 * @example
 * ```js
 * const x = tf.randomUniform([16, 16], 0, 1, 'float32', 1);
 * const term = { dims: [0], functional: { kind: 'totalPersistence', dim: 0 } };
 * const { gram, cosine, weights, meanAbsCosine } = gradientGram(x, { term, smear: { block: 2, noise: 0.1, seed: 1 }, draws: 8 });
 * // gram: 8 × 8 inner products; weights: 8 values summing to 1; meanAbsCosine: how aligned the draws are
 * ```
 * @category Diagnostics
 */
export function gradientGram(
  x: tf.Tensor,
  options: { term: TopologicalTermConfig; smear?: DiagnosticsSmear; draws?: number },
): GradientGram {
  if (!(x instanceof tf.Tensor)) throw new Error(`x: expected a tf.Tensor, got ${describe(x)}`);
  const { term, smear, draws: drawsOption } = checkArgs(options, 'options', GRAM_KEYS);
  const draws = checkInteger(drawsOption, 'options.draws', 100, 1);
  const diagnostics = new GradientDiagnostics({ term, smear });
  return gradientGramOf(Array.from({ length: draws }, () => diagnostics.drawGradient(x)));
}

/**
 * The Gram matrix of gradients given as arrays of one length, with the paper's weights and the
 * minimum-norm convex combination (see `GradientGram`).
 *
 * @throws Error naming `gradients` (not a non-empty array of Float32Arrays of one length).
 * @example
 * ```js
 * const g = gradientGramOf([Float32Array.of(1, 0), Float32Array.of(0, 2)]);
 * // g.gram → [1, 0, 0, 4]; g.weights → [0.8, 0.2] (∝ 1/‖g_i‖²); g.minNorm → ‖(0.8, 0.4)‖ ≈ 0.894
 * ```
 * @category Diagnostics
 */
export function gradientGramOf(gradients: readonly Float32Array[]): GradientGram {
  if (!Array.isArray(gradients) || gradients.length === 0)
    throw new Error(`gradients: expected a non-empty array of Float32Arrays, got ${describe(gradients)}`);
  const n = gradients[0]?.length;
  gradients.forEach((g, i) => {
    if (!(g instanceof Float32Array)) throw new Error(`gradients[${i}]: expected a Float32Array, got ${describe(g)}`);
    if (g.length !== n) throw new Error(`gradients[${i}]: expected ${n} entries (as gradients[0]), got ${g.length}`);
  });
  const m = gradients.length;
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      const a = gradients[i];
      const b = gradients[j];
      let s = 0;
      for (let k = 0; k < n; k++) s += a[k] * b[k];
      gram[i * m + j] = s;
      gram[j * m + i] = s;
    }
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) norms[i] = Math.sqrt(gram[i * m + i]);
  const cosine = new Float64Array(m * m);
  let cosSum = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const c = norms[i] > 0 && norms[j] > 0 ? gram[i * m + j] / (norms[i] * norms[j]) : NaN;
      cosine[i * m + j] = c;
      if (i !== j) cosSum += Math.abs(c);
    }
  const weights = new Float64Array(m);
  const zeros = norms.filter((v) => v === 0).length;
  if (zeros > 0) for (let i = 0; i < m; i++) weights[i] = norms[i] === 0 ? 1 / zeros : 0;
  else {
    let total = 0;
    for (let i = 0; i < m; i++) total += 1 / (norms[i] * norms[i]);
    for (let i = 0; i < m; i++) weights[i] = 1 / (norms[i] * norms[i]) / total;
  }
  const minNormWeights = minimumNormWeights(gram, m);
  return {
    size: m,
    gram,
    cosine,
    norms,
    weights,
    minNormWeights,
    minNorm: Math.sqrt(Math.max(0, quadratic(gram, minNormWeights, m))),
    meanNorm: Math.sqrt(Math.max(0, quadratic(gram, new Float64Array(m).fill(1 / m), m))),
    meanAbsCosine: m > 1 ? cosSum / (m * (m - 1)) : NaN,
  };
}

/** cᵀ G c. */
function quadratic(gram: Float64Array, c: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) {
    if (c[i] === 0) continue;
    let row = 0;
    for (let j = 0; j < m; j++) row += gram[i * m + j] * c[j];
    s += c[i] * row;
  }
  return s;
}

/**
 * argmin cᵀ G c over the probability simplex (the minimum-norm point of the convex hull of the
 * gradients, Burke–Lewis–Overton's gradient sampling): accelerated projected gradient (FISTA),
 * stopped when the Frank–Wolfe duality gap cᵀGc − min_i (Gc)_i falls below 1e-10 of the scale.
 */
function minimumNormWeights(gram: Float64Array, m: number): Float64Array {
  let lipschitz = 0; // 2 · (largest Gershgorin row sum) bounds the gradient's Lipschitz constant
  let scale = 0;
  for (let i = 0; i < m; i++) {
    let row = 0;
    for (let j = 0; j < m; j++) row += Math.abs(gram[i * m + j]);
    lipschitz = Math.max(lipschitz, 2 * row);
    scale = Math.max(scale, gram[i * m + i]);
  }
  const c = new Float64Array(m).fill(1 / m);
  if (lipschitz === 0 || m === 1) return c;
  const y = Float64Array.from(c);
  const previous = new Float64Array(m);
  const gc = new Float64Array(m);
  let t = 1;
  for (let iteration = 0; iteration < 20000; iteration++) {
    // Gradient step from y, projected onto the simplex.
    for (let i = 0; i < m; i++) {
      let row = 0;
      for (let j = 0; j < m; j++) row += gram[i * m + j] * y[j];
      gc[i] = y[i] - (2 * row) / lipschitz;
    }
    previous.set(c);
    projectOntoSimplex(gc, c);
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    for (let i = 0; i < m; i++) y[i] = c[i] + ((t - 1) / tNext) * (c[i] - previous[i]);
    t = tNext;
    if (iteration % 20 === 19) {
      let value = 0;
      let lowest = Infinity;
      for (let i = 0; i < m; i++) {
        let row = 0;
        for (let j = 0; j < m; j++) row += gram[i * m + j] * c[j];
        value += c[i] * row;
        lowest = Math.min(lowest, row);
      }
      if (value - lowest <= 1e-10 * scale) break;
    }
  }
  return c;
}

/** Euclidean projection of v onto the probability simplex, into `out` (sort-based, Held et al.). */
function projectOntoSimplex(v: Float64Array, out: Float64Array): void {
  const sorted = Float64Array.from(v).sort().reverse();
  let sum = 0;
  let theta = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i];
    const candidate = (sum - 1) / (i + 1);
    if (sorted[i] - candidate > 0) theta = candidate;
  }
  for (let i = 0; i < v.length; i++) out[i] = Math.max(0, v[i] - theta);
}
