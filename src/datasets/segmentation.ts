import {
  checkFlag,
  checkInteger,
  checkInterval,
  checkKeys,
  checkNumber,
  checkOptions,
  describe,
} from '../base/checks.js';
import { Canvas } from './canvas.js';

import { gaussianBlur, valueNoise } from './fields.js';
import { drawMembranes, MembraneParams } from './membranes.js';
import { childSeed, Draws } from './random.js';
import { fillSmallHoles, maskBetti } from './topology.js';
import { drawVessels, VesselParams } from './vessels.js';

/**
 * Seeded synthetic segmentation data: images with the masks of the structures drawn in them, for
 * training and testing segmentation networks with topological losses.
 *
 * - `'vessels'`: thin curvilinear branching structures (random trees of smooth curves, widths 1–3 px,
 *   a few branches, sometimes a loop where a bridge rejoins two branches), one or a few components.
 * - `'membranes'`: cell membranes 1–2 px wide, the closed boundaries of a warped Voronoi tessellation,
 *   whose image has gaps (the membrane intensity drops to the background on short stretches) while
 *   the mask stays complete: the case where a topological term helps.
 *
 * Image formation, per image: a background level drawn from `background`, plus smooth texture
 * (value noise of amplitude `texture`; for membranes also a shade per cell); the structure added at
 * a contrast drawn from `contrast`, varying smoothly along it by up to `contrastVariation` of
 * itself; a separable Gaussian blur of standard deviation `blur`; additive Gaussian noise of
 * standard deviation `noise`; clamping to [0, 1]; with `invert`, 1 − that (dark structures).
 *
 * Everything is a deterministic function of the options: image i of a split depends only on
 * (`seed`, the split, i, the other options), not on how many images are drawn, so a test split
 * stays the same when the training split grows.
 * @category Segmentation data and metrics
 */
export type SegmentationKind = 'vessels' | 'membranes';

/**
 * The options shared by `segmentationSet` and `segmentationDataset`.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationOptions {
  /** `'vessels'` or `'membranes'`. */
  kind: SegmentationKind;
  /** Image side in pixels, an integer from 16 to 2048, or `[height, width]`. */
  size: number | readonly [number, number];
  /** Seed of every random draw, an integer from 0 to 2^32 − 1. Default 0. */
  seed?: number;

  /** `[min, max]` of the background level, within [0, 1]. Default [0.05, 0.25]. */
  background?: readonly [number, number];
  /** `[min, max]` of the structure's intensity above the background, within [0, 1]. Default [0.5, 0.9]. */
  contrast?: readonly [number, number];
  /** How much the structure's intensity varies along it (a fraction of it, 0 to 1). Default 0.3. */
  contrastVariation?: number;
  /** Amplitude of the smooth background texture, 0 to 1. Default 0.08. */
  texture?: number;
  /** Standard deviation of the Gaussian blur in pixels, 0 (none) to 8. Default 1. */
  blur?: number;
  /** Standard deviation of the additive Gaussian noise, 0 to 1. Default 0.05. */
  noise?: number;
  /** Dark structures on a light background (the image is 1 − itself). Default false. */
  invert?: boolean;

  /** `[min, max]` stroke width in pixels, within [1, 8]. Default [1, 3] for vessels, [1, 2] for membranes. */
  widths?: readonly [number, number];
  /**
   * Gaps in the image (not the mask): on average this many per 100 px of structure, 0 to 100.
   * Default 0 for vessels, 1.5 for membranes.
   */
  gapDensity?: number;
  /** `[min, max]` length of a gap in pixels, within [1, 64]. Default [4, 8]. */
  gapLength?: readonly [number, number];
  /**
   * Holes of the mask (background enclosed by the structure) of at most this many pixels are filled
   * (in the mask and the image), removing the specks left where strokes meet at acute angles or
   * two seeds nearly coincide; an integer ≥ 0. Default 4.
   */
  minHoleArea?: number;

  /** Vessels: `[min, max]` number of trees (integers, 1 to 20). Default [1, 2]. */
  trees?: readonly [number, number];
  /** Vessels: `[min, max]` number of branches per tree (integers, 0 to 50). Default [2, 5]. */
  branches?: readonly [number, number];
  /** Vessels: the probability that a tree gets a bridge closing a loop, 0 to 1. Default 0.3. */
  loopProbability?: number;
  /** Vessels: how much the curves bend, 0 (straight) to 5. Default 1. */
  tortuosity?: number;

  /** Membranes: mean cell diameter in pixels, from 6 to 256. Default 16. */
  cellSize?: number;
  /** Membranes: how far the tessellation is warped, as a fraction of `cellSize`, 0 to 0.5. Default 0.25. */
  irregularity?: number;
}

/**
 * A split of a dataset: which random stream its images come from.
 *
 * @category Segmentation data and metrics
 */
export type SegmentationSplit = 'train' | 'validation' | 'test';

/**
 * Options of `segmentationSet`: one split, or a window of it.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationSetOptions extends SegmentationOptions {
  /** Number of images, an integer ≥ 0. */
  count: number;
  /** Which split's stream to draw. Default `'train'`. */
  split?: SegmentationSplit;
  /** Index of the first image in the split's stream (to draw a large split in chunks). Default 0. */
  start?: number;
}

/**
 * Options of `segmentationDataset`.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationDatasetOptions extends SegmentationOptions {
  /** Images per split, integers ≥ 0; a missing split has none. */
  count: {
    /** Training images. */
    train?: number;
    /** Validation images. */
    validation?: number;
    /** Test images. */
    test?: number;
  };
}

/**
 * A batch of images and masks as plain arrays, ready for `tf.tensor(images, [...shape, 1])`.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationSet {
  /** Row-major `[N, H, W]` intensities in [0, 1]. */
  readonly images: Float32Array;
  /** Row-major `[N, H, W]` masks: 1 on the structure, 0 elsewhere. */
  readonly masks: Float32Array;
  /** `[N, H, W]`. */
  readonly shape: [number, number, number];
  /**
   * `[N, 2]`: β0 and β1 of each mask, foreground 8-connected and background 4-connected (holes
   * are background components off the image border); the convention of `bettiNumbers` in the
   * metrics, the cubical complex of construction 'T'.
   */
  readonly betti: Int32Array;
}

/**
 * The three splits of a dataset.
 *
 * @category Segmentation data and metrics
 */
export interface SegmentationDataset {
  /** The training split: `count.train` images (none when missing). */
  readonly train: SegmentationSet;
  /** The validation split: `count.validation` images (none when missing). */
  readonly validation: SegmentationSet;
  /** The test split: `count.test` images (none when missing). */
  readonly test: SegmentationSet;
}

const SPLITS: readonly SegmentationSplit[] = ['train', 'validation', 'test'];

const COMMON_KEYS = [
  'kind',
  'size',
  'seed',
  'background',
  'contrast',
  'contrastVariation',
  'texture',
  'blur',
  'noise',
  'invert',
  'widths',
  'gapDensity',
  'gapLength',
  'minHoleArea',
];
const VESSEL_KEYS = ['trees', 'branches', 'loopProbability', 'tortuosity'];
const MEMBRANE_KEYS = ['cellSize', 'irregularity'];

interface Resolved {
  kind: SegmentationKind;
  height: number;
  width: number;
  seed: number;
  background: [number, number];
  contrast: [number, number];
  contrastVariation: number;
  texture: number;
  blur: number;
  noise: number;
  invert: boolean;
  minHoleArea: number;
  vessels: VesselParams;
  membranes: MembraneParams;
}

/**
 * `count` images of one split (default `'train'`) starting at index `start` of its stream: the same
 * images as `segmentationDataset` gives for that split.
 *
 * @throws Error naming `options` (not an object) or `options.<key>`: an unknown key, one of the
 *   other kind's keys, `kind` not 'vessels' or 'membranes', `size` not an integer from 16 to 2048
 *   (or two), `count` not an integer ≥ 0, `split` not 'train', 'validation' or 'test', `start` or
 *   `seed` out of range, a range or amount outside the bounds its option gives.
 * @example
 * ```js
 * const { images, masks, shape, betti } = segmentationSet({ kind: 'membranes', size: 32, count: 4, seed: 1 });
 * const x = tf.tensor4d(images, [...shape, 1]); // shape → [4, 32, 32]: x is [4, 32, 32, 1]
 * const y = tf.tensor4d(masks, [...shape, 1]); // 1 on the membranes, 0 elsewhere
 * // betti → [β0, β1] of each mask, e.g. [1, 2] for image 0
 * ```
 * @category Segmentation data and metrics
 */
export function segmentationSet(options: SegmentationSetOptions): SegmentationSet {
  if (options === undefined) throw new Error('options: expected an object with kind, size and count, got undefined');
  const o = checkOptions(options);
  const resolved = resolve(o, ['count', 'split', 'start']);
  const count = checkInteger(o.count, 'options.count', undefined, 0);
  const split = o.split ?? 'train';
  if (!SPLITS.includes(split))
    throw new Error(`options.split: expected 'train', 'validation' or 'test', got ${describe(split)}`);
  const start = checkInteger(o.start, 'options.start', 0, 0);
  return generate(resolved, SPLITS.indexOf(split), start, count);
}

/**
 * Train, validation and test splits of a synthetic segmentation dataset, each its own random
 * stream under `seed`.
 *
 * @throws Error naming `options` or `options.<key>` as `segmentationSet` does, `options.count`
 *   (missing or not an object) and `options.count.<key>` (an unknown split, a count that is not
 *   an integer ≥ 0).
 * @example
 * ```js
 * const data = segmentationDataset({ kind: 'vessels', size: 32, count: { train: 8, test: 2 }, seed: 7 });
 * data.train.images; // Float32Array of 8 × 32 × 32 intensities, data.train.shape → [8, 32, 32]
 * data.validation.shape; // → [0, 32, 32]: a split left out of `count` has no image
 * ```
 * @category Segmentation data and metrics
 */
export function segmentationDataset(options: SegmentationDatasetOptions): SegmentationDataset {
  if (options === undefined) throw new Error('options: expected an object with kind, size and count, got undefined');
  const o = checkOptions(options);
  const resolved = resolve(o, ['count']);
  if (o.count === undefined)
    throw new Error('options.count: expected { train, validation, test } image counts, got undefined');
  const counts = checkOptions(o.count, 'options.count', SPLITS);
  const sets = SPLITS.map((split, s) =>
    generate(resolved, s, 0, checkInteger(counts[split], `options.count.${split}`, 0, 0)),
  );
  return { train: sets[0], validation: sets[1], test: sets[2] };
}

function resolve(o: Partial<SegmentationOptions> & object, extra: readonly string[]): Resolved {
  const kind = o.kind;
  if (kind !== 'vessels' && kind !== 'membranes')
    throw new Error(`options.kind: expected 'vessels' or 'membranes', got ${describe(kind)}`);
  const own = kind === 'vessels' ? VESSEL_KEYS : MEMBRANE_KEYS;
  const other = kind === 'vessels' ? MEMBRANE_KEYS : VESSEL_KEYS;
  for (const key of other)
    if (key in o && (o as Record<string, unknown>)[key] !== undefined)
      throw new Error(`options.${key}: applies to kind '${kind === 'vessels' ? 'membranes' : 'vessels'}' only`);
  checkKeys(o, [...COMMON_KEYS, ...own, ...other, ...extra], 'options');

  let height: number;
  let width: number;
  if (Array.isArray(o.size)) {
    if (o.size.length !== 2)
      throw new Error(`options.size: expected an integer or [height, width], got ${describe(o.size)}`);
    height = checkInteger(o.size[0], 'options.size[0]', undefined, 16, 2048);
    width = checkInteger(o.size[1], 'options.size[1]', undefined, 16, 2048);
  } else {
    height = width = checkInteger(o.size, 'options.size', undefined, 16, 2048);
  }
  const vessels = kind === 'vessels';
  const widths = checkInterval(o.widths, 'options.widths', vessels ? [1, 3] : [1, 2], 1, 8);
  const gapDensity = checkNumber(o.gapDensity, 'options.gapDensity', vessels ? 0 : 1.5, 0, 100);
  const gapLength = checkInterval(o.gapLength, 'options.gapLength', [4, 8], 1, 64);
  return {
    kind,
    height,
    width,
    seed: checkInteger(o.seed, 'options.seed', 0, 0, 4294967295),
    background: checkInterval(o.background, 'options.background', [0.05, 0.25], 0, 1),
    contrast: checkInterval(o.contrast, 'options.contrast', [0.5, 0.9], 0, 1),
    contrastVariation: checkNumber(o.contrastVariation, 'options.contrastVariation', 0.3, 0, 1),
    texture: checkNumber(o.texture, 'options.texture', 0.08, 0, 1),
    blur: checkNumber(o.blur, 'options.blur', 1, 0, 8),
    noise: checkNumber(o.noise, 'options.noise', 0.05, 0, 1),
    invert: checkFlag(o.invert, 'options.invert'),
    minHoleArea: checkInteger(o.minHoleArea, 'options.minHoleArea', 4, 0),
    vessels: {
      widths,
      gapDensity,
      gapLength,
      trees: checkInterval(o.trees, 'options.trees', [1, 2], 1, 20, true),
      branches: checkInterval(o.branches, 'options.branches', [2, 5], 0, 50, true),
      loopProbability: checkNumber(o.loopProbability, 'options.loopProbability', 0.3, 0, 1),
      tortuosity: checkNumber(o.tortuosity, 'options.tortuosity', 1, 0, 5),
    },
    membranes: {
      widths,
      gapDensity,
      gapLength,
      cellSize: checkNumber(o.cellSize, 'options.cellSize', 16, 6, 256),
      irregularity: checkNumber(o.irregularity, 'options.irregularity', 0.25, 0, 0.5),
    },
  };
}

function generate(r: Resolved, stream: number, start: number, count: number): SegmentationSet {
  const { height, width } = r;
  const n = height * width;
  const images = new Float32Array(count * n);
  const masks = new Float32Array(count * n);
  const betti = new Int32Array(2 * count);
  const scratch = new Float32Array(n);
  for (let i = 0; i < count; i++) {
    const draws = new Draws(childSeed(r.seed, stream, start + i));
    let canvas: Canvas;
    let shade: Float32Array | undefined;
    if (r.kind === 'vessels') canvas = drawVessels(height, width, r.vessels, draws);
    else ({ canvas, shade } = drawMembranes(height, width, r.membranes, draws));
    fillSmallHoles(canvas.mask, height, width, r.minHoleArea, canvas.intensity, 1);
    const image = images.subarray(i * n, (i + 1) * n);
    formImage(image, canvas, shade, r, draws, scratch);
    const mask = masks.subarray(i * n, (i + 1) * n);
    for (let p = 0; p < n; p++) mask[p] = canvas.mask[p];
    betti.set(maskBetti(canvas.mask, [1, height, width]), 2 * i);
  }
  return { images, masks, shape: [count, height, width], betti };
}

/** Background, texture and structure, then blur, noise, clamping (see the file comment). */
function formImage(
  image: Float32Array,
  canvas: Canvas,
  shade: Float32Array | undefined,
  r: Resolved,
  draws: Draws,
  scratch: Float32Array,
): void {
  const { height, width } = r;
  const n = height * width;
  const scale = Math.sqrt(n);
  image.fill(draws.between(r.background));
  valueNoise(height, width, scale / 4, draws, r.texture, image);
  valueNoise(height, width, scale / 12, draws, r.texture / 2, image);
  if (shade) for (let p = 0; p < n; p++) image[p] += 0.5 * r.texture * shade[p];
  const contrast = draws.between(r.contrast);
  scratch.fill(0);
  const variation = valueNoise(height, width, scale / 5, draws, 1, scratch);
  const { intensity } = canvas;
  for (let p = 0; p < n; p++)
    if (intensity[p] > 0) image[p] += contrast * intensity[p] * (1 - (r.contrastVariation * (variation[p] + 1)) / 2);
  gaussianBlur(image, height, width, r.blur, scratch);
  for (let p = 0; p < n; p++) {
    const v = r.noise > 0 ? image[p] + r.noise * draws.normal() : image[p];
    const c = v < 0 ? 0 : v > 1 ? 1 : v;
    image[p] = r.invert ? 1 - c : c;
  }
}
