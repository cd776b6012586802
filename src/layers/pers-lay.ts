import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { checkArgs, checkInteger, checkKeys, checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';
import { mulberry32 } from '../base/random.js';
import { LAYER_ARG_KEYS, LayerArgs, stripUndefined } from './topo-loss-base.js';

/*
 * PersLay (Carrière, Chazal, Ike, Lacombe, Royer & Umeda, AISTATS 2020): a diagram D becomes the
 * vector  pool_{p ∈ D} w(p) · φ(p)  — a per-pair transformation φ, a weight function w and a
 * permutation-invariant pooling. The layer works on padded diagrams [B, N, 2 or 3] (the third
 * column a mask, as the paper's own code pads them) and reads every pair as the interval
 * [lo, hi] between its ends, in (birth, lifetime) = (lo, hi − lo) coordinates unless said otherwise.
 */

/**
 * φ with learned centres c_u and widths s_u = (s_u,birth, s_u,lifetime), one per output unit u, in
 * (birth, lifetime) coordinates: `'gaussian'` φ_u(p) = exp(−½ Σ_axes ((p − c_u) / s_u)²) (the
 * paper's Gaussian structure elements, widths per axis); `'tent'` φ_u(p) = max(0, 1 − max_axes
 * |p − c_u| / s_u) (the tent template functions of Perea, Munch & Khasawneh), a pyramid. The
 * layer's weights are `centres` and `logWidths`, both `[U, 2]`: the widths are learned as their
 * logarithms, so they stay positive and a step scales them rather than taking them through 0
 * (where a unit would go silent for good).
 *
 * @category Layers and losses
 */
export interface PersLayStructurePhi {
  /** `'gaussian'` or `'tent'`. */
  kind: 'gaussian' | 'tent';
  /** Output units U: the number of centres. Required. */
  units: number;
  /** [x_min, x_max, y_min, y_max] in (birth, lifetime): the centres start uniformly at random in it. Required. */
  range: readonly [number, number, number, number];
  /** The widths' initial value along both axes (from 1e-12 to 1e12). Required. */
  bandwidth: number;
  /** Seed of the centres' initial draw (a safe integer); drawn at random, and saved in the config, when omitted. */
  seed?: number;
}

/**
 * φ a fixed grid of Gaussians, as persistence images (Adams et al. 2017) and GUDHI's
 * `GaussianPerslayPhi`: centres at `resolution` = [nx, ny] points of `range` (both ends sampled)
 * in (birth, lifetime), density exp(−‖p − c‖² / 2σ²) / 2πσ², one learned σ (the weight
 * `logBandwidth`: log σ). Units ny · nx, lifetime outer — so with `pooling: 'sum'`, weight
 * `{ kind: 'power', power: q }` and σ at its initial `bandwidth`, the output is
 * `persistenceImage` with `power: q`.
 *
 * @category Layers and losses
 */
export interface PersLayImagePhi {
  /** `'image'`. */
  kind: 'image';
  /** [x_min, x_max, y_min, y_max] in (birth, lifetime), both ends of each sampled. Required. */
  range: readonly [number, number, number, number];
  /** Grid points [along birth, along lifetime] (default [20, 20]). */
  resolution?: readonly [number, number];
  /** σ's initial value (from 1e-12 to 1e12); σ is learned. Required. */
  bandwidth: number;
}

/**
 * φ the tents of the pair's interval at `resolution` fixed points t_r of `range` (both ends
 * included): φ_r(p) = √2 · max(0, min(t_r − lo, hi − t_r)), as `persistenceLandscape` (GUDHI's
 * scale). No trainable weight. With `pooling: 'topk'` and the constant weight the output is the
 * landscape λ_1 … λ_k; with `'sum'` and a power weight, an unnormalized silhouette.
 *
 * @category Layers and losses
 */
export interface PersLayLandscapePhi {
  /** `'landscape'`. */
  kind: 'landscape';
  /** Where the samples lie, `[x_min, x_max]` (on the axis of the ends). Required. */
  range: readonly [number, number];
  /** Number of samples, the output units (default 100). */
  resolution?: number;
}

/**
 * The per-pair transformation φ of `layers.persLay`.
 *
 * @category Layers and losses
 */
export type PersLayPhi = PersLayStructurePhi | PersLayImagePhi | PersLayLandscapePhi;

/**
 * w(p) = 1 for every pair (the default).
 *
 * @category Layers and losses
 */
export interface PersLayConstantWeight {
  /** `'constant'`. */
  kind: 'constant';
}

/**
 * w(p) = c · lifetime^power with a learned c (the weight `constant`), as GUDHI's
 * `PowerPerslayWeight`: the exponent is fixed (a learned exponent's gradient, lifetime^power · ln lifetime, has no value at lifetime 0).
 *
 * @category Layers and losses
 */
export interface PersLayPowerWeight {
  /** `'power'`. */
  kind: 'power';
  /** The fixed exponent (≥ 0; default 1). Below 1 the gradient to a pair's ends is infinite at lifetime 0. */
  power?: number;
  /** c's initial value (a finite float32 number; default 1). */
  constant?: number;
}

/**
 * w(p) = the learned value of the grid cell that holds p, as GUDHI's `GridPerslayWeight`: a
 * `resolution` = [nx, ny] grid of cells over `range` in (birth, lifetime) (the weight `grid`,
 * `[ny, nx]`, lifetime outer), every value starting at 1; a pair outside the range takes the
 * nearest border cell. Piecewise constant: its gradient reaches the grid values, not the pairs.
 *
 * @category Layers and losses
 */
export interface PersLayGridWeight {
  /** `'grid'`. */
  kind: 'grid';
  /** [x_min, x_max, y_min, y_max] in (birth, lifetime), each min < max. Required. */
  range: readonly [number, number, number, number];
  /** Cells [along birth, along lifetime]. Required. */
  resolution: readonly [number, number];
}

/**
 * The weight function w of `layers.persLay`.
 *
 * @category Layers and losses
 */
export type PersLayWeight = PersLayConstantWeight | PersLayPowerWeight | PersLayGridWeight;

/**
 * How `layers.persLay` pools w(p) · φ(p) over a diagram's pairs: `'sum'`, `'mean'`, `'max'` (0 for
 * a diagram without pairs), or `'topk'`: the k largest values per unit, largest first, 0 where a
 * diagram has fewer than k pairs.
 *
 * @category Layers and losses
 */
export type PersLayPooling = 'sum' | 'mean' | 'max' | 'topk';

/**
 * The arguments of `PersLay`.
 *
 * @category Layers and losses
 */
export interface PersLayArgs extends LayerArgs {
  /** The per-pair transformation φ, e.g. `{ kind: 'gaussian', units: 16, range: [0, 1, 0, 1], bandwidth: 0.1 }`. Required. */
  phi: PersLayPhi;
  /** The weight function w (default `{ kind: 'constant' }`). */
  weight?: PersLayWeight;
  /** The pooling over the pairs (default `'sum'`). */
  pooling?: PersLayPooling;
  /** With `pooling: 'topk'` (and only then): how many values per unit. Required there. */
  k?: number;
}

const PHI_KEYS: Record<PersLayPhi['kind'], readonly string[]> = {
  gaussian: ['kind', 'units', 'range', 'bandwidth', 'seed'],
  tent: ['kind', 'units', 'range', 'bandwidth', 'seed'],
  image: ['kind', 'range', 'resolution', 'bandwidth'],
  landscape: ['kind', 'range', 'resolution'],
};
const WEIGHT_KEYS: Record<PersLayWeight['kind'], readonly string[]> = {
  constant: ['kind'],
  power: ['kind', 'power', 'constant'],
  grid: ['kind', 'range', 'resolution'],
};
const POOLINGS: readonly PersLayPooling[] = ['sum', 'mean', 'max', 'topk'];
/** The most output units (or grid cells) a layer may have. */
const MAX_UNITS = 65536;

/**
 * A PersLay layer (Carrière et al. 2020): each diagram of a batch becomes the fixed-size vector
 * pool_{p ∈ D} w(p) · φ(p), with a per-pair transformation φ (`phi`), a weight function w
 * (`weight`) and a permutation-invariant pooling (`pooling`). Its input is a batch of padded
 * diagrams `[B, N, 3]` — rows (birth, death, 1) for pairs and (·, ·, 0) for padding, what
 * `paddedDiagrams` gives — or `[B, N, 2]` when every row is a pair; its output `[B, units]`, or
 * `[B, k · units]` for `'topk'` (level outer). Each pair is read as the interval [lo, hi] between
 * its ends. The output is differentiable with respect to the pairs and the layer's weights;
 * padding rows change nothing, values or gradients.
 *
 * @category Layers and losses
 */
export class PersLay extends layers.Layer {
  /** The name the class is registered and serialized under (`tf.serialization.registerClass`). */
  static className = 'PersLay';
  /** φ (`args.phi`), with its defaults and (for `'gaussian'` and `'tent'`) its seed filled in. */
  readonly phi: PersLayPhi;
  /** w (`args.weight`), with its defaults filled in. */
  readonly weighting: PersLayWeight;
  /** The pooling (`args.pooling`). */
  readonly pooling: PersLayPooling;
  /** Values per unit with `'topk'` (`args.k`); 1 otherwise. */
  readonly k: number;
  /** Output units of φ (before `k`). */
  readonly units: number;
  private centres: LayerVariable | null = null; // gaussian, tent: [U, 2] in (birth, lifetime)
  private logWidths: LayerVariable | null = null; // gaussian, tent: [U, 2], log s_u
  private logSigma: LayerVariable | null = null; // image: [1], log σ
  private constant: LayerVariable | null = null; // power weight: [1]
  private grid: LayerVariable | null = null; // grid weight: [ny, nx], lifetime outer

  constructor(args: PersLayArgs) {
    super(checkArgs(args, 'args', ['phi', 'weight', 'pooling', 'k', ...LAYER_ARG_KEYS]));
    this.phi = checkPhi(args.phi, 'args.phi');
    this.weighting = checkWeight(args.weight, 'args.weight');
    const pooling = args.pooling ?? 'sum';
    if (!POOLINGS.includes(pooling))
      throw new Error(`args.pooling: expected one of 'sum', 'mean', 'max', 'topk', got ${describe(args.pooling)}`);
    this.pooling = pooling;
    if (pooling === 'topk') this.k = checkInteger(args.k, 'args.k', undefined, 1, MAX_UNITS);
    else if (args.k !== undefined)
      throw new Error(`args.k: read only with pooling 'topk' (the pooling is '${pooling}'); remove it`);
    else this.k = 1;
    this.units = unitsOf(this.phi);
    if (this.units * this.k > MAX_UNITS)
      throw new Error(`args.k: the output would have ${this.units} units × k ${this.k} values, more than ${MAX_UNITS}`);
  }

  override build(inputShape: Shape | Shape[]): void {
    checkInputShape(this, Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape));
    const phi = this.phi;
    if (isStructure(phi)) {
      const U = phi.units;
      this.centres = this.addWeight('centres', [U, 2], 'float32', initializers.zeros(), undefined, true);
      const logWidth = initializers.constant({ value: Math.log(phi.bandwidth) });
      this.logWidths = this.addWeight('logWidths', [U, 2], 'float32', logWidth);
      const [x0, x1, y0, y1] = phi.range;
      const random = mulberry32(phi.seed!);
      const start = new Float32Array(2 * U);
      for (let u = 0; u < U; u++) {
        start[2 * u] = x0 + (x1 - x0) * random();
        start[2 * u + 1] = y0 + (y1 - y0) * random();
      }
      const initial = tf.tensor2d(start, [U, 2]);
      this.centres.write(initial);
      initial.dispose();
    } else if (phi.kind === 'image') {
      const logSigma = initializers.constant({ value: Math.log(phi.bandwidth) });
      this.logSigma = this.addWeight('logBandwidth', [1], 'float32', logSigma);
    }
    const w = this.weighting;
    if (w.kind === 'power')
      this.constant = this.addWeight('constant', [1], 'float32', initializers.constant({ value: w.constant! }));
    else if (w.kind === 'grid')
      this.grid = this.addWeight(
        'grid',
        [w.resolution[1], w.resolution[0]],
        'float32',
        initializers.constant({ value: 1 }),
      );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    return [shape[0], this.units * this.k];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      checkInputShape(this, x.shape);
      const [B, N] = x.shape;
      const column = (c: number) => tf.reshape(tf.slice(x, [0, 0, c], [B, N, 1]), [B, N]);
      // Padding rows become (0, 0) before anything reads them, so that no value there (NaN,
      // Infinity) reaches an output or a gradient.
      const valid: tf.Tensor2D =
        x.shape[2] === 3
          ? (tf.cast(
              withoutGradient(x, () => tf.greater(column(2), 0)),
              'bool',
            ) as tf.Tensor2D)
          : tf.ones([B, N], 'bool');
      const zero = tf.zeros([B, N]);
      const [a, b] = [tf.where(valid, column(0), zero), tf.where(valid, column(1), zero)];
      const lo: tf.Tensor2D = tf.minimum(a, b);
      const hi: tf.Tensor2D = tf.maximum(a, b);
      const life: tf.Tensor2D = tf.sub(hi, lo);
      let values = this.transform(lo, hi, life); // [B, N, U]
      const w = this.weightOf(lo, life, valid);
      if (w !== null) values = tf.mul(values, tf.expandDims(w, 2));
      return this.pool(values, valid);
    });
  }

  /** φ of every row: [B, N, U]. */
  private transform(lo: tf.Tensor2D, hi: tf.Tensor2D, life: tf.Tensor2D): tf.Tensor3D {
    const phi = this.phi;
    const at = (t: tf.Tensor) => tf.expandDims(t, 2); // [B, N] → [B, N, 1]
    if (isStructure(phi)) {
      const c = this.centres!.read();
      const s = tf.exp(this.logWidths!.read());
      const axis = (p: tf.Tensor, k: number) =>
        tf.div(
          tf.sub(at(p), tf.reshape(tf.slice(c, [0, k], [-1, 1]), [-1])),
          tf.reshape(tf.slice(s, [0, k], [-1, 1]), [-1]),
        );
      const dx = axis(lo, 0);
      const dy = axis(life, 1);
      if (phi.kind === 'gaussian') return tf.exp(tf.mul(tf.add(tf.square(dx), tf.square(dy)), -0.5)) as tf.Tensor3D;
      return tf.relu(tf.sub(1, tf.maximum(tf.abs(dx), tf.abs(dy)))) as tf.Tensor3D;
    }
    if (phi.kind === 'image') {
      const [nx, ny] = phi.resolution!;
      const twoVar = tf.mul(tf.exp(tf.mul(this.logSigma!.read(), 2)), 2); // 2σ²
      const gauss = (p: tf.Tensor, grid: number[]) =>
        tf.exp(tf.neg(tf.div(tf.square(tf.sub(at(p), tf.tensor1d(grid))), twoVar))); // [B, N, n]
      const gx = gauss(lo, linspace(phi.range[0], phi.range[1], nx));
      const gy = gauss(life, linspace(phi.range[2], phi.range[3], ny));
      const [B, N] = lo.shape;
      const image = tf.mul(tf.expandDims(gy, 3), tf.expandDims(gx, 2)); // [B, N, ny, nx]
      return tf.div(tf.reshape(image, [B, N, ny * nx]), tf.mul(twoVar, Math.PI)) as tf.Tensor3D;
    }
    const t = tf.tensor1d(linspace(phi.range[0], phi.range[1], phi.resolution!));
    return tf.mul(tf.relu(tf.minimum(tf.sub(t, at(lo)), tf.sub(at(hi), t))), Math.SQRT2) as tf.Tensor3D;
  }

  /** w of every row, [B, N]; null for the constant weight. */
  private weightOf(lo: tf.Tensor2D, life: tf.Tensor2D, valid: tf.Tensor2D): tf.Tensor2D | null {
    const w = this.weighting;
    if (w.kind === 'power') {
      const c = this.constant!.read();
      if (w.power === 0) return tf.mul(tf.onesLike(life), c) as tf.Tensor2D;
      // Padding rows read lifetime 1, so that 0^(power − 1) never meets their zero gradient.
      return tf.mul(tf.pow(tf.where(valid, life, tf.onesLike(life)), w.power!), c) as tf.Tensor2D;
    }
    if (w.kind === 'grid') {
      const [nx, ny] = w.resolution;
      const [x0, x1, y0, y1] = w.range;
      const cell = (p: tf.Tensor, min: number, max: number, n: number) =>
        tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.sub(p, min), n / (max - min))), 0, n - 1), 'int32');
      const index = tf.add(tf.mul(cell(life, y0, y1, ny), tf.scalar(nx, 'int32')), cell(lo, x0, x1, nx)); // [B, N]
      const [B, N] = lo.shape;
      // A one-hot product rather than a gather: its gradient is cheap on every backend.
      const picked = tf.matMul(tf.oneHot(tf.reshape(index, [-1]), nx * ny), tf.reshape(this.grid!.read(), [-1, 1]));
      return tf.reshape(picked, [B, N]);
    }
    return null;
  }

  /** Pools [B, N, U] over the valid rows: [B, k · U]. */
  private pool(values: tf.Tensor3D, valid: tf.Tensor2D): tf.Tensor2D {
    const [B, N, U] = values.shape;
    const mask = tf.broadcastTo(tf.expandDims(valid, 2), [B, N, U]);
    const kept = tf.where(mask, values, tf.zerosLike(values));
    if (this.pooling === 'sum') return tf.sum(kept, 1);
    const count = tf.sum(tf.cast(valid, 'float32'), 1, true); // [B, 1]
    if (this.pooling === 'mean') return tf.div(tf.sum(kept, 1), tf.maximum(count, 1));
    const below = tf.fill([B, N, U], -Infinity);
    if (this.pooling === 'max') {
      const max: tf.Tensor2D = tf.max(tf.where(mask, values, below), 1);
      const any = tf.broadcastTo(tf.cast(tf.minimum(count, 1), 'bool'), [B, U]);
      return tf.where(any, max, tf.zerosLike(max));
    }
    // top-k: the indices on the masked values (padding last), the values by a one-hot product.
    const k = Math.min(this.k, N);
    const ranked = tf.transpose(tf.where(mask, values, below), [0, 2, 1]); // [B, U, N]
    const indices = tf.cast(
      withoutGradient(ranked, () => tf.topk(ranked, k).indices),
      'int32',
    );
    const pick = tf.reshape(tf.oneHot(tf.reshape(indices, [-1]), N), [B, U, k, N]);
    let top = tf.sum(tf.mul(pick, tf.expandDims(tf.transpose(kept, [0, 2, 1]), 2)), 3); // [B, U, k]
    if (k < this.k) top = tf.concat([top, tf.zeros([B, U, this.k - k])], 2);
    return tf.reshape(tf.transpose(top, [0, 2, 1]), [B, this.k * U]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own = stripUndefined({
      phi: this.phi,
      weight: this.weighting,
      pooling: this.pooling,
      k: this.pooling === 'topk' ? this.k : undefined,
    });
    return { ...super.getConfig(), ...own } as unknown as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(PersLay);

/**
 * `f()`, a tensor computed from `x` (a mask, indices), as a constant of the gradient tape: tfjs has
 * no gradient for comparisons or top-k, and every op between an input and the output needs one.
 * Computed inside a custom gradient's forward pass (where nothing is recorded), with a zero
 * gradient to `x`; float32, to be cast back by the caller.
 */
function withoutGradient(x: tf.Tensor, f: () => tf.Tensor): tf.Tensor {
  return tf.customGrad((...inputs) => ({
    value: tf.cast(f(), 'float32'),
    gradFunc: () => tf.zerosLike(inputs[0] as tf.Tensor),
  }))(x);
}

/** Checks `shape` of the layer's input: [B, N, 2] or [B, N, 3]. */
function checkInputShape(layer: PersLay, shape: readonly (number | null)[]): void {
  if (shape.length !== 3 || (shape[2] !== 2 && shape[2] !== 3))
    throw new Error(
      `PersLay '${layer.name}': expected padded diagrams of shape [batch, pairs, 3] (birth, death, mask) or ` +
        `[batch, pairs, 2], got [${shape.map((n) => (n === null ? 'null' : n)).join(', ')}]`,
    );
}

/** Output units of φ. */
function unitsOf(phi: PersLayPhi): number {
  if (isStructure(phi)) return phi.units;
  if (phi.kind === 'image') return phi.resolution![0] * phi.resolution![1];
  return phi.resolution!;
}

/** An object with a known `kind`, no unknown key, and no value for a key its kind does not read. */
function checkKind<K extends string>(x: unknown, name: string, keys: Record<K, readonly string[]>): K {
  const kinds = Object.keys(keys) as K[];
  const all = [...new Set(kinds.flatMap((k) => keys[k]))];
  if (x === null || typeof x !== 'object' || Array.isArray(x))
    throw new Error(
      `${name}: expected an object { kind: ${kinds.map((k) => `'${k}'`).join(' | ')}, … }, got ${describe(x)}`,
    );
  const kind = (x as { kind?: unknown }).kind;
  if (!kinds.includes(kind as K))
    throw new Error(`${name}.kind: expected one of ${kinds.map((k) => `'${k}'`).join(', ')}, got ${describe(kind)}`);
  checkKeys(x, all, name);
  const own = keys[kind as K];
  for (const [key, value] of Object.entries(x))
    if (value !== undefined && !own.includes(key))
      throw new Error(`${name}.${key}: not an option of kind '${kind}' (its options: ${own.join(', ')})`);
  return kind as K;
}

/** φ checked, with its defaults (and a seed) filled in. */
function checkPhi(phi: unknown, name: string): PersLayPhi {
  const kind = checkKind(phi, name, PHI_KEYS);
  const p = phi as Record<string, unknown>;
  if (kind === 'landscape') {
    const range = p.range as unknown;
    if (!Array.isArray(range) || range.length !== 2 || !range.every(isFiniteNumber) || range[0] > range[1])
      throw new Error(`${name}.range: expected [x_min, x_max] (finite, x_min ≤ x_max), got ${describe(range)}`);
    const resolution = checkInteger(p.resolution, `${name}.resolution`, 100, 1, MAX_UNITS);
    return { kind, range: [range[0], range[1]], resolution };
  }
  const range = checkRange(p.range, `${name}.range`, false);
  const bandwidth = checkNumber(p.bandwidth, `${name}.bandwidth`, undefined, 1e-12, 1e12);
  if (kind === 'image') {
    const resolution = checkResolution(p.resolution, `${name}.resolution`, [20, 20]);
    return { kind, range, resolution, bandwidth };
  }
  const units = checkInteger(p.units, `${name}.units`, undefined, 1, MAX_UNITS);
  const seed = p.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : p.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new Error(`${name}.seed: expected a safe integer, got ${describe(seed)}`);
  return { kind, units, range, bandwidth, seed };
}

/** w checked, with its defaults filled in. */
function checkWeight(weight: unknown, name: string): PersLayWeight {
  if (weight === undefined) return { kind: 'constant' };
  const kind = checkKind(weight, name, WEIGHT_KEYS);
  const w = weight as Record<string, unknown>;
  if (kind === 'constant') return { kind };
  if (kind === 'power') {
    const power = checkNumber(w.power, `${name}.power`, 1, 0, FLOAT32_MAX);
    const constant = checkNumber(w.constant, `${name}.constant`, 1, -FLOAT32_MAX, FLOAT32_MAX);
    return { kind, power, constant };
  }
  return {
    kind,
    range: checkRange(w.range, `${name}.range`, true),
    resolution: checkResolution(w.resolution, `${name}.resolution`, undefined),
  };
}

/** [x_min, x_max, y_min, y_max], finite, each min ≤ max (< max when `strict`). */
function checkRange(x: unknown, name: string, strict: boolean): [number, number, number, number] {
  const ordered = (lo: number, hi: number) => (strict ? lo < hi : lo <= hi);
  if (!Array.isArray(x) || x.length !== 4 || !x.every(isFiniteNumber) || !ordered(x[0], x[1]) || !ordered(x[2], x[3]))
    throw new Error(
      `${name}: expected [x_min, x_max, y_min, y_max] (finite, each min ${strict ? '<' : '≤'} max), got ${describe(x)}`,
    );
  return [x[0], x[1], x[2], x[3]];
}

/** [nx, ny], integers ≥ 1 with nx · ny ≤ MAX_UNITS; `fallback` when undefined (required without one). */
function checkResolution(x: unknown, name: string, fallback: [number, number] | undefined): [number, number] {
  if (x === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(x) || x.length !== 2 || !x.every((n) => Number.isInteger(n) && n >= 1) || x[0] * x[1] > MAX_UNITS)
    throw new Error(`${name}: expected [nx, ny], integers ≥ 1 with nx · ny ≤ ${MAX_UNITS}, got ${describe(x)}`);
  return [x[0], x[1]];
}

function isStructure(phi: PersLayPhi): phi is PersLayStructurePhi {
  return phi.kind === 'gaussian' || phi.kind === 'tent';
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** n evenly spaced points from a to b, both included (as the vectorizations sample). */
function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}
