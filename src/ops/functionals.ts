import * as tf from '@tensorflow/tfjs-core';
import { matchDiagrams } from './matching.js';
import { checkDiagramSet, DiagramSet } from './diagram-set.js';
import { checkOptions, describe, FLOAT32_MAX } from '../base/checks.js';

/**
 * Loss functionals Φ on persistence diagrams. Each takes a `DiagramSet` — from
 * `persistenceDiagrams(x)`, `ripsDiagrams(points)` or `lowerStarDiagrams(values)` — and returns a scalar whose gradient reaches `x` through the critical
 * cells. Pairs are chosen on the host (from `diagrams.values`); the arithmetic is tfjs ops on the
 * `[N, 2]` pairs tensor, multiplied by host masks rather than gathered, so every functional stays
 * connected to `x` (a zero gradient when nothing is selected, never a broken graph).
 *
 * Lifetime = |death − birth|, so sublevel and superlevel diagrams read alike. Essential classes
 * appear only when the diagrams were computed with `essential: 'clip'`; they then count as
 * ordinary pairs, except in `bettiLoss` (see there).
 */

/**
 * Which critical cell receives the gradient of a pair: its birth, its death, or both.
 *
 * @category Functionals
 */
export type GradientTarget = 'birth' | 'death' | 'both';

/**
 * Direction of optimization when the loss is used: maximize negates the functional.
 *
 * @category Functionals
 */
export type Goal = 'minimize' | 'maximize';

/**
 * How per-map losses combine over a batch: sum (default) or mean over the maps.
 *
 * @category Functionals
 */
export type MapReduction = 'sum' | 'mean';

/**
 * Which pairs of the diagrams a functional uses: by dimension, birth and lifetime.
 *
 * @category Functionals
 */
export interface PairFilter {
  /** Homology dimension(s) to use. Default: every dimension in the diagrams. */
  dim?: number | readonly number[];
  /** Keep pairs whose birth lies in [lo, hi] (null: unbounded). */
  birthRange?: readonly [number | null, number | null];
  /**
   * Keep pairs whose lifetime lies in (lo, hi]: the lower bound is strict, as in the paper's
   * "lifetime > 50". null: unbounded. Default: all.
   */
  lifetimeRange?: readonly [number | null, number | null];
}

/**
 * Options every functional shares: where the gradient goes, the direction, and the reduction over maps.
 *
 * @category Functionals
 */
export interface FunctionalOptions {
  /** Which cell of each pair receives the gradient. Default 'both'. */
  target?: GradientTarget;
  /** Default 'minimize'. */
  goal?: Goal;
  /** Default 'sum'. */
  reduction?: MapReduction;
}

/**
 * Options of `totalPersistence`.
 *
 * @category Functionals
 */
export interface TotalPersistenceOptions extends PairFilter, FunctionalOptions {
  /** Exponent p ≥ 1 (default 1): Σ lifetime^p. */
  p?: number;
}

/**
 * Σ lifetime^p over the selected pairs (the paper's Φ: p = 1 for STUMP, 2 for vanilla).
 *
 * @throws Error naming `diagrams` (not the output of an op, or its `pairs` disposed) or
 *   `options` / `options.<key>` (an unknown key, a `dim` not in `diagrams.dims`, a range not
 *   [lo, hi] with lo ≤ hi, `p` not a finite number ≥ 1, `target`, `goal` or `reduction` not one
 *   of its values).
 * @example
 * ```js
 * const x = tf.tensor2d([[0, 0, 0], [0, 1, 0], [0, 0, 0]]); // one loop, born at 0, filled at 1
 * const loss = totalPersistence(persistenceDiagrams(x), { dim: 1 }); // → 1, its lifetime
 * const grad = tf.grad((x) => totalPersistence(persistenceDiagrams(x), { dim: 1 }))(x);
 * // grad → [[0, 0, 0], [0, 1, 0], [0, -1, 0]]: on the death cell (the centre) and the birth cell
 * ```
 * @category Functionals
 */
export function totalPersistence(diagrams: DiagramSet, options?: TotalPersistenceOptions): tf.Scalar {
  checkDiagramSet(diagrams);
  options = checkFunctionalOptions(options, 'options', 'totalPersistence');
  const p = checkExponent(options.p ?? 1, 'options.p');
  const selected = selectPairs(diagrams, options);
  return finish(diagrams, options, () => weightedSum(tf.pow(lifetimes(diagrams, options.target), p), selected));
}

/**
 * Options of `topKLifetimes`.
 *
 * @category Functionals
 */
export interface TopKOptions extends PairFilter, FunctionalOptions {
  /** Number of pairs per map, the longest-lived among the selected ones. */
  k: number;
  /** Exponent p ≥ 1 (default 1). */
  p?: number;
}

/**
 * Σ lifetime^p of the k longest-lived selected pairs of each map.
 *
 * @throws Error naming `diagrams` or `options.<key>` as `totalPersistence` does, and `options.k`
 *   when it is not an integer ≥ 1 (it is required).
 * @example
 * ```js
 * const x = tf.tensor2d([[0, 5, 1, 5, 3]]); // minima 0, 1 and 3: the last two die at 5
 * const d = persistenceDiagrams(x); // H0 pairs (1, 5) and (3, 5), lifetimes 4 and 2
 * topKLifetimes(d, { k: 1 }); // → 4, the longest lifetime (totalPersistence would give 6)
 * ```
 * @category Functionals
 */
export function topKLifetimes(diagrams: DiagramSet, options: TopKOptions): tf.Scalar {
  checkDiagramSet(diagrams);
  options = checkFunctionalOptions(options, 'options', 'topK');
  const k = checkCount(options.k, 'options.k');
  const p = checkExponent(options.p ?? 1, 'options.p');
  const selected = selectPairs(diagrams, options);
  const weights = new Float32Array(selected.length);
  for (const group of groupsByMapAndDim(diagrams, selected))
    for (const i of longestFirst(diagrams, group).slice(0, k)) weights[i] = 1;
  return finish(diagrams, options, () => weightedSum(tf.pow(lifetimes(diagrams, options.target), p), weights));
}

/**
 * Options of `bettiLoss`.
 *
 * @category Functionals
 */
export interface BettiLossOptions extends Omit<FunctionalOptions, 'goal'> {
  /** The homology dimension whose Betti number is prescribed. */
  dim: number;
  /** Wanted number of classes: one for every map, or one per map (length `diagrams.maps`). */
  betti: number | readonly number[];
  /** Lifetime the kept classes are pushed to (e.g. 1 for probabilities). Default 1. */
  lifetime?: number;
  /** Exponent p ≥ 1 (default 2). */
  p?: number;
}

/**
 * Betti-number prior (as in topological segmentation losses): per map, the `betti` most
 * persistent classes of dimension `dim` are pushed to lifetime `lifetime` and every other class
 * to the diagonal: Σ_kept |lifetime − ℓ|^p + Σ_rest ℓ^p. Essential classes can never die, so they
 * count among the kept classes first and contribute no term (whether dropped or clipped).
 *
 * @throws Error naming `diagrams` (not the output of an op, or its `pairs` disposed) or
 *   `options` / `options.<key>` (an unknown key, `dim` not one integer among `diagrams.dims`,
 *   `betti` neither an integer ≥ 0 nor one per map, `lifetime` not a finite float32 number, `p`
 *   not a finite number ≥ 1, `target` or `reduction` not one of its values).
 * @example
 * ```js
 * const d = persistenceDiagrams(tf.tensor2d([[0, 5, 1, 5, 3]])); // H0: (1, 5), (3, 5) and one essential class
 * bettiLoss(d, { dim: 0, betti: 1 }); // → 20 = 4² + 2²: the essential class is the one kept
 * bettiLoss(d, { dim: 0, betti: 2 }); // → 13 = (1 − 4)² + 2²: the longest pair kept too, pushed to lifetime 1
 * ```
 * @category Functionals
 */
export function bettiLoss(diagrams: DiagramSet, options: BettiLossOptions): tf.Scalar {
  checkDiagramSet(diagrams);
  options = checkFunctionalOptions(options, 'options', 'betti');
  const wanted = perMapBetti(options.betti, diagrams.maps);
  const p = checkExponent(options.p ?? 2, 'options.p');
  const target = options.lifetime ?? 1;
  if (!Number.isFinite(target)) throw new Error(`options.lifetime: expected a finite number, got ${describe(target)}`);
  const selected = selectPairs(diagrams, { dim: options.dim });
  const kept = new Float32Array(selected.length);
  const rest = new Float32Array(selected.length);
  const k = diagrams.dims.indexOf(options.dim);
  for (const group of groupsByMapAndDim(diagrams, selected)) {
    const m = diagrams.map[group[0]];
    const essentials = diagrams.essentialCounts[m * diagrams.dims.length + k];
    const finite = group.filter((i) => diagrams.essential[i] === 0);
    longestFirst(diagrams, finite).forEach((i, rank) => {
      if (rank < wanted[m] - essentials) kept[i] = 1;
      else rest[i] = 1;
    });
  }
  return finish(diagrams, options, () => {
    const life = lifetimes(diagrams, options.target);
    const towardTarget = tf.pow(tf.abs(tf.sub(tf.scalar(target), life)), p);
    return tf.add(weightedSum(towardTarget, kept), weightedSum(tf.pow(life, p), rest));
  });
}

/** `betti` as one count per map: a number repeated, or a list of `maps` counts. */
function perMapBetti(betti: number | readonly number[], maps: number): readonly number[] {
  if (typeof betti === 'number') return new Array<number>(maps).fill(checkCount(betti, 'options.betti', true));
  if (!Array.isArray(betti) || betti.length !== maps)
    throw new Error(`options.betti: expected an integer ≥ 0 or one per map (${maps}), got ${describe(betti)}`);
  betti.forEach((b, m) => checkCount(b, `options.betti[${m}]`, true));
  return betti;
}

/**
 * Options of `wassersteinLoss` and `wassersteinToTargets`.
 *
 * @category Functionals
 */
export interface WassersteinOptions extends Omit<FunctionalOptions, 'goal'> {
  /** The homology dimension compared with `target`. */
  dim: number;
  /** Wasserstein order p ≥ 1. Default 2. */
  p?: number;
  /** Ground metric L_q between points, q = internalP ≥ 1. Default Infinity (as GUDHI; null too). */
  internalP?: number | null;
  /**
   * Match only the `maxPoints` longest-lived points of each map's diagram; the others go straight
   * to the diagonal (a noisy prediction has thousands of near-diagonal points whose best partner is
   * the diagonal anyway). Default: all points.
   */
  maxPoints?: number;
}

/**
 * W_p(PD_dim(x), target)^p, the p-th power of the p-Wasserstein distance of each map's diagram in
 * dimension `dim` to `target` (a list of [birth, death] points, the same for every map), with the
 * exact optimal matching (points may go to the diagonal). The matching is fixed for the step and
 * the gradient is that of the matched costs. The matching is exact and sparse (`matchDiagrams`):
 * about 0.1 s against a 3,000-point target for diagrams of noisy images (bench/MATCHING.md).
 *
 * @throws Error naming `target` (not an array of [birth, death] pairs of finite numbers),
 *   `diagrams` (not the output of an op, or its `pairs` disposed), or `options` /
 *   `options.<key>` (an unknown key, `dim` not one integer among `diagrams.dims`, `p` not a finite
 *   number ≥ 1, `internalP` below 1, `maxPoints` not an integer ≥ 1, `target` or `reduction` not
 *   one of its values).
 * @example
 * ```js
 * const d = persistenceDiagrams(tf.tensor2d([[0, 5, 1, 5, 3]])); // H0 pairs (1, 5) and (3, 5)
 * wassersteinLoss(d, [[1, 5]], { dim: 0 });
 * // → 1: (1, 5) sits on the target point; (3, 5) goes to the diagonal at cost (2 / 2)² (L∞, p = 2)
 * ```
 * @category Functionals
 */
export function wassersteinLoss(
  diagrams: DiagramSet,
  target: readonly (readonly [number, number])[],
  options: WassersteinOptions,
): tf.Scalar {
  if (!Array.isArray(target) || target.some((t) => !Array.isArray(t) || t.length !== 2 || !t.every(Number.isFinite)))
    throw new Error('target: expected an array of [birth, death] pairs of finite numbers');
  const flatTarget = Float64Array.from(target.flat());
  return wassersteinToTargets(diagrams, () => flatTarget, options);
}

/**
 * `wassersteinLoss` with a target diagram per map: `targetOf(m)` gives map m's target as
 * interleaved (birth, death) values (e.g. each label's own diagram).
 */
export function wassersteinToTargets(
  diagrams: DiagramSet,
  targetOf: (map: number) => Float64Array,
  options: WassersteinOptions,
): tf.Scalar {
  checkDiagramSet(diagrams);
  options = checkFunctionalOptions(options, 'options', 'wasserstein');
  const p = checkExponent(options.p ?? 2, 'options.p');
  const q = options.internalP ?? Infinity; // null (a saved Infinity) too
  const selected = selectPairs(diagrams, { dim: options.dim });
  const n = selected.length;
  const toPoint = new Float32Array(n); // 1: matched to a target point
  const toDiagonal = new Float32Array(n); // 1: matched to the diagonal
  const partnerBirth = new Float32Array(n);
  const partnerDeath = new Float32Array(n);
  const apart = new Float32Array(n); // 1: matched to a target point it does not coincide with
  let constant = 0; // target points left on the diagonal: no gradient, but part of the value
  const diagonalCost = (lifetime: number) => (lifetime * 2 ** (1 / q - 1)) ** p;
  const maxPoints = options.maxPoints === undefined ? Infinity : checkCount(options.maxPoints, 'options.maxPoints');
  const groups = new Map(groupsByMapAndDim(diagrams, selected).map((g) => [diagrams.map[g[0]], g]));
  for (let m = 0; m < diagrams.maps; m++) {
    const target = targetOf(m);
    let group = groups.get(m) ?? [];
    if (group.length > maxPoints) {
      const sorted = longestFirst(diagrams, group);
      for (const i of sorted.slice(maxPoints)) toDiagonal[i] = 1;
      group = sorted.slice(0, maxPoints);
    }
    const points = new Float64Array(2 * group.length);
    group.forEach((i, j) => points.set([diagrams.values[2 * i], diagrams.values[2 * i + 1]], 2 * j));
    const matching = matchDiagrams(points, target, { p, internalP: q });
    group.forEach((i, j) => {
      const partner = matching.partnerOfA[j];
      if (partner < 0) toDiagonal[i] = 1;
      else {
        toPoint[i] = 1;
        partnerBirth[i] = target[2 * partner];
        partnerDeath[i] = target[2 * partner + 1];
        const v = diagrams.values;
        apart[i] = v[2 * i] !== partnerBirth[i] || v[2 * i + 1] !== partnerDeath[i] ? 1 : 0;
      }
    });
    matching.partnerOfB.forEach((partner, t) => {
      if (partner < 0) constant += diagonalCost(Math.abs(target[2 * t + 1] - target[2 * t]));
    });
  }
  return finish(diagrams, options, () => {
    const [birth, death] = endpoints(diagrams, options.target);
    const db = tf.abs(tf.sub(birth, tf.tensor1d(partnerBirth)));
    const dd = tf.abs(tf.sub(death, tf.tensor1d(partnerDeath)));
    const pointCost = tf.pow(lqNorm(db, dd, q, apart), p);
    const life = tf.abs(tf.sub(death, birth));
    const diagonal = tf.pow(tf.mul(life, 2 ** (1 / q - 1)), p);
    return tf.addN([weightedSum(pointCost, toPoint), weightedSum(diagonal, toDiagonal), tf.scalar(constant)]);
  });
}

/**
 * Σ weights · values over the pairs. With no pair it is 0, summed over one appended zero: webgl's
 * sum fails on an empty tensor, and the result must stay a function of the pairs for `tf.grad`.
 */
function weightedSum(values: tf.Tensor, weights: Float32Array): tf.Tensor {
  const terms = tf.mul(values, tf.tensor1d(weights));
  return tf.sum(weights.length === 0 ? tf.concat([terms, tf.zeros([1])]) : terms);
}

/**
 * ‖(a, b)‖_q of non-negative a, b, with a finite gradient everywhere: (a^q + b^q)^(1/q) has an
 * infinite one at (0, 0) (a point on its partner, or a row masked out), so the sum is taken over
 * max(a, b) and replaced by 1 where `apart` (a host mask, as tfjs has no gradient for comparisons) is 0.
 */
function lqNorm(a: tf.Tensor, b: tf.Tensor, q: number, apart: Float32Array): tf.Tensor {
  const m = tf.maximum(a, b);
  // From q = 2^24 on, m ≤ ‖(a, b)‖_q ≤ 2^(1/q) · m < (1 + 2^-24) · m: the max in float32. And such a q
  // is no float32 exponent to raise to (1e300 becomes Infinity there, and its gradient NaN).
  if (q >= 2 ** 24) return m;
  const keep = tf.tensor1d(apart);
  const fill = tf.sub(1, keep);
  const scale = tf.add(tf.mul(m, keep), fill);
  const sum = tf.add(tf.pow(tf.div(a, scale), q), tf.pow(tf.div(b, scale), q));
  return tf.mul(m, tf.pow(tf.add(tf.mul(sum, keep), fill), 1 / q));
}

/** Births and deaths as [N] tensors, the one not receiving gradient detached. */
function endpoints(diagrams: DiagramSet, target: GradientTarget = 'both'): [tf.Tensor1D, tf.Tensor1D] {
  checkTarget(target);
  const n = diagrams.dim.length;
  const [b, d] = tf.split(diagrams.pairs, 2, 1).map((t) => tf.reshape(t, [n]) as tf.Tensor1D);
  return [target === 'death' ? stopGradient(b) : b, target === 'birth' ? stopGradient(d) : d];
}

function lifetimes(diagrams: DiagramSet, target?: GradientTarget): tf.Tensor1D {
  const [b, d] = endpoints(diagrams, target);
  return tf.abs(tf.sub(d, b)) as tf.Tensor1D;
}

/** Identity whose gradient is zero: lets a loss see a value without pushing on it. */
const stopGradient = tf.customGrad((...args) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(x: T) => T;

/** Applies goal and reduction, inside a tidy. */
function finish(diagrams: DiagramSet, options: FunctionalOptions, loss: () => tf.Tensor): tf.Scalar {
  const goal = options.goal ?? 'minimize';
  if (goal !== 'minimize' && goal !== 'maximize')
    throw new Error(`options.goal: expected 'minimize' or 'maximize', got ${describe(goal)}`);
  const reduction = options.reduction ?? 'sum';
  if (reduction !== 'sum' && reduction !== 'mean')
    throw new Error(`options.reduction: expected 'sum' or 'mean', got ${describe(reduction)}`);
  const scale = (goal === 'maximize' ? -1 : 1) / (reduction === 'mean' ? diagrams.maps : 1);
  return tf.tidy(() => tf.mul(loss(), scale) as tf.Scalar);
}

/** 1/0 per pair: in the requested dimensions and regions. */
function selectPairs(diagrams: DiagramSet, filter: PairFilter): Float32Array {
  const dims = checkDims(diagrams, filter.dim);
  const [bLo, bHi] = checkRange(filter.birthRange, 'options.birthRange');
  const [lLo, lHi] = checkRange(filter.lifetimeRange, 'options.lifetimeRange');
  const { values, dim } = diagrams;
  const out = new Float32Array(dim.length);
  for (let i = 0; i < dim.length; i++) {
    const birth = values[2 * i];
    const life = Math.abs(values[2 * i + 1] - birth);
    const inLifetime = filter.lifetimeRange === undefined || (life > lLo && life <= lHi);
    if (dims.includes(dim[i]) && birth >= bLo && birth <= bHi && inLifetime) out[i] = 1;
  }
  return out;
}

/** Indices of the selected pairs grouped by (map, dimension), in pair order. */
function groupsByMapAndDim(diagrams: DiagramSet, selected: Float32Array): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < selected.length; i++) {
    if (selected[i] === 0) continue;
    const key = diagrams.map[i] * 64 + diagrams.dim[i];
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(i);
  }
  return [...groups.values()];
}

/** The pairs of a group, longest-lived first (ties: pair order, hence deterministic). */
function longestFirst(diagrams: DiagramSet, group: number[]): number[] {
  const life = (i: number) => Math.abs(diagrams.values[2 * i + 1] - diagrams.values[2 * i]);
  return [...group].sort((a, b) => life(b) - life(a) || a - b);
}

function checkDims(diagrams: DiagramSet, dim: number | readonly number[] | undefined): readonly number[] {
  if (dim === undefined) return diagrams.dims;
  const dims = typeof dim === 'number' ? [dim] : dim;
  for (const k of dims)
    if (!diagrams.dims.includes(k))
      throw new Error(
        `options.dim: homology dimension ${k} was not computed (the diagrams have [${diagrams.dims.join(', ')}])`,
      );
  return dims;
}

/** [lo, hi]; null stands for an infinite end (JSON has no Infinity, and configs are saved as JSON). */
function checkRange(range: readonly [number | null, number | null] | undefined, name: string): [number, number] {
  if (range === undefined) return [-Infinity, Infinity];
  const bounds = Array.isArray(range) && range.length === 2 ? [range[0] ?? -Infinity, range[1] ?? Infinity] : [];
  if (bounds.length !== 2 || bounds.some((v) => typeof v !== 'number' || Number.isNaN(v)) || bounds[0] > bounds[1])
    throw new Error(`${name}: expected [lo, hi] with lo ≤ hi, got ${describe(range)}`);
  return [bounds[0], bounds[1]];
}

function checkExponent(p: number, name: string): number {
  if (typeof p !== 'number' || !(p >= 1) || !Number.isFinite(p))
    throw new Error(`${name}: expected a finite number ≥ 1, got ${describe(p)}`);
  return p;
}

function checkCount(k: number, name: string, allowZero = false): number {
  if (!Number.isInteger(k) || k < (allowZero ? 0 : 1))
    throw new Error(`${name}: expected an integer ≥ ${allowZero ? 0 : 1}, got ${describe(k)}`);
  return k;
}

function checkTarget(target: GradientTarget, name = 'options.target'): void {
  if (target !== 'birth' && target !== 'death' && target !== 'both')
    throw new Error(`${name}: expected 'birth', 'death' or 'both', got ${describe(target)}`);
}

/** The functionals, by the name configs give them. */
export type FunctionalKind = 'totalPersistence' | 'topK' | 'betti' | 'wasserstein';

/** The options each functional reads: anything else is a typo, refused. */
export const FUNCTIONAL_OPTION_KEYS: Record<FunctionalKind, readonly string[]> = {
  totalPersistence: ['dim', 'birthRange', 'lifetimeRange', 'p', 'target', 'goal', 'reduction'],
  topK: ['dim', 'birthRange', 'lifetimeRange', 'k', 'p', 'target', 'goal', 'reduction'],
  betti: ['dim', 'betti', 'lifetime', 'p', 'target', 'reduction'],
  wasserstein: ['dim', 'p', 'internalP', 'maxPoints', 'target', 'reduction'],
};

/**
 * Checks the options functional `kind` will read, before any diagram exists (so a layer or loss
 * refuses a bad config at construction, not at the first step): an object with known keys only,
 * `p`, `k`, `betti`, `lifetime`, the ranges, `target`, `goal`, `reduction`, and the single integer
 * `dim` that Betti and Wasserstein losses require. Errors name `name.key`. The per-diagram checks
 * (dimensions computed, per-map counts) stay in the functionals. Returns the options (`{}` for
 * undefined).
 */
export function checkFunctionalOptions<T extends object>(
  options: T | undefined,
  name: string,
  kind: FunctionalKind,
): T {
  const checked = checkOptions(options, name, FUNCTIONAL_OPTION_KEYS[kind]);
  const single = kind === 'betti' || kind === 'wasserstein';
  const { p, k, betti, lifetime, birthRange, lifetimeRange, target, goal, reduction, dim, internalP, maxPoints } =
    checked as Record<string, unknown>;
  if (single && (!Number.isInteger(dim) || (dim as number) < 0))
    throw new Error(`${name}.dim: expected one homology dimension (an integer ≥ 0), got ${describe(dim)}`);
  if (!single && dim !== undefined) {
    const dims = Array.isArray(dim) ? dim : [dim];
    if (dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 0))
      throw new Error(`${name}.dim: expected a homology dimension or a list of them, got ${describe(dim)}`);
  }
  if (p !== undefined) checkExponent(p as number, `${name}.p`);
  if (k !== undefined) checkCount(k as number, `${name}.k`);
  if (maxPoints !== undefined) checkCount(maxPoints as number, `${name}.maxPoints`);
  if (typeof betti === 'number') checkCount(betti, `${name}.betti`, true);
  else if (Array.isArray(betti)) betti.forEach((b, m) => checkCount(b, `${name}.betti[${m}]`, true));
  else if (betti !== undefined)
    throw new Error(`${name}.betti: expected an integer ≥ 0 or one per map, got ${describe(betti)}`);
  if (lifetime !== undefined && !(Number.isFinite(lifetime) && Math.abs(lifetime as number) <= FLOAT32_MAX))
    throw new Error(`${name}.lifetime: expected a finite float32 number, got ${describe(lifetime)}`);
  // null stands for a saved Infinity (JSON has none).
  if (internalP != null && !(typeof internalP === 'number' && internalP >= 1))
    throw new Error(`${name}.internalP: expected a number ≥ 1 or Infinity, got ${describe(internalP)}`);
  checkRange(birthRange as [number, number] | undefined, `${name}.birthRange`);
  checkRange(lifetimeRange as [number, number] | undefined, `${name}.lifetimeRange`);
  // Here `target` is the end receiving the gradient; a Wasserstein target diagram goes elsewhere.
  if (kind === 'wasserstein' && Array.isArray(target))
    throw new Error(
      `${name}.target: expected 'birth', 'death' or 'both' (the end receiving the gradient; the target diagram is wassersteinLoss's second argument), got ${describe(target)}`,
    );
  if (target !== undefined) checkTarget(target as GradientTarget, `${name}.target`);
  if (goal !== undefined && goal !== 'minimize' && goal !== 'maximize')
    throw new Error(`${name}.goal: expected 'minimize' or 'maximize', got ${describe(goal)}`);
  if (reduction !== undefined && reduction !== 'sum' && reduction !== 'mean')
    throw new Error(`${name}.reduction: expected 'sum' or 'mean', got ${describe(reduction)}`);
  return checked;
}
