import { Construction } from '../persistence/cubical/cubical.js';
import { describe } from '../base/checks.js';

/**
 * The inputs of the segmentation metrics: batches of maps on the host, row-major, the batch axis
 * first — `[N, H, W]` for images, `[N, D, H, W]` for volumes (one image is `[1, H, W]`); no
 * channel axis (a shape `[N, H, W, 1]` is refused: volumes of width 1 are not a realistic input). Any
 * array-like of numbers will do: a Float32Array from `tensor.dataSync()`, a Uint8Array mask, a
 * plain array.
 * @category Segmentation data and metrics
 */
export type HostMaps = ArrayLike<number>;

/**
 * The options every metric takes.
 *
 * @category Segmentation data and metrics
 */
export interface MetricOptions {
  /** A prediction is foreground where its value is greater than this. Default 0.5. */
  threshold?: number;
  /**
   * The cubical complex the Betti numbers are counted in: `'T'` (default; pixels are squares:
   * foreground 8-connected, background 4-connected in 2-D) or `'V'` (pixels are vertices:
   * foreground 4-connected, background 8-connected; the convention of the Betti-matching reference
   * and of the label-aware losses' default).
   */
  construction?: Construction;
}

/** The `construction` option, `'T'` when undefined. */
export function checkConstruction(c: unknown, name = 'options.construction'): Construction {
  if (c === undefined) return 'T';
  if (c !== 'T' && c !== 'V') throw new Error(`${name}: expected 'T' or 'V', got ${describe(c)}`);
  return c;
}

/** A checked batch shape. */
export interface Batch {
  /** The whole shape, `[N, ...spatial]`. */
  readonly shape: readonly number[];
  /** Number of maps, N. */
  readonly count: number;
  /** `[H, W]` or `[D, H, W]`. */
  readonly spatial: readonly number[];
  /** Elements in one map. */
  readonly mapSize: number;
}

/**
 * `shape` as `[N, H, W]` or `[N, D, H, W]` of positive integers. A last size of 1 in four sizes is
 * refused: it is a tensor's channel axis (`[N, H, W, 1]`), not volumes of width 1, which no
 * realistic input has.
 */
export function checkBatchShape(shape: unknown, name = 'shape'): Batch {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4))
    throw new Error(
      `${name}: expected [N, H, W] (a batch of images) or [N, D, H, W] (a batch of volumes), got ${describe(shape)}`,
    );
  for (const n of shape)
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      throw new Error(`${name}: expected positive integer sizes, got [${shape.map(describe).join(', ')}]`);
  if (shape.length === 4 && shape[3] === 1)
    throw new Error(
      `${name}: expected [N, H, W] or [N, D, H, W] without a channel axis, got ${describe(shape)}: drop the channel axis ([${shape.slice(0, 3).join(', ')}]); volumes of width 1 are not supported`,
    );
  const spatial = (shape as number[]).slice(1);
  const mapSize = spatial.reduce((a, b) => a * b, 1);
  if (mapSize >= 2 ** 31)
    throw new Error(`${name}: at most 2^31 − 1 elements per map are supported, got [${shape.join(', ')}]`);
  return { shape: (shape as number[]).slice(), count: shape[0], spatial, mapSize };
}

function checkArrayLike(x: unknown, length: number, name: string, batch: Batch): ArrayLike<number> {
  if (!(Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))))
    throw new Error(`${name}: expected a typed array or an array of numbers, got ${describe(x)}`);
  const a = x as ArrayLike<number>;
  if (a.length !== length)
    throw new Error(`${name}: expected ${length} entries for shape [${batch.shape.join(', ')}], got ${a.length}`);
  return a;
}

/** Predictions: `count · mapSize` finite numbers (probabilities, scores or 0/1). */
export function checkPredictions(x: unknown, batch: Batch, name = 'pred'): HostMaps {
  const a = checkArrayLike(x, batch.count * batch.mapSize, name, batch);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    // v − v is NaN for NaN and ±Infinity (and, unlike Number.isFinite, needs no global lookup).
    if (typeof v !== 'number' || v - v !== 0)
      throw new Error(`${name}: expected finite numbers, got ${describe(v)} at index ${i}`);
  }
  return a;
}

/** Labels: `count · mapSize` entries, each 0 or 1. */
export function checkLabels(x: unknown, batch: Batch, name = 'label'): HostMaps {
  const a = checkArrayLike(x, batch.count * batch.mapSize, name, batch);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== 0 && v !== 1)
      throw new Error(`${name}: expected a binary mask (0 or 1), got ${describe(v)} at index ${i}`);
  }
  return a;
}

/** The threshold: a finite number, 0.5 when undefined. */
export function checkThreshold(t: unknown, name = 'options.threshold'): number {
  if (t === undefined) return 0.5;
  if (typeof t !== 'number' || !Number.isFinite(t))
    throw new Error(`${name}: expected a finite number, got ${describe(t)}`);
  return t;
}

/** Writes map `m` of `x` thresholded (`x > t` → 1, else 0) into `out` (length mapSize). */
export function binarize(x: HostMaps, m: number, mapSize: number, t: number, out: Uint8Array | Float32Array): void {
  const base = m * mapSize;
  for (let i = 0; i < mapSize; i++) out[i] = x[base + i] > t ? 1 : 0;
}
