import { readFileSync } from 'fs';
import { join } from 'path';
import { packageRoot } from '../package-root';
import { PngChannel, readPngGrey } from '../io/png';
import { FunctionalConfig } from 'tfjs-topo';

/**
 * The paper's synthetic experiments, with the settings recovered from the authors' reference code
 * (Solomon, Wagner & Bendich 2021; see examples/data/ATTRIBUTION.md for the images).
 */
export interface PaperExperiment {
  name: 'wells' | 'circle' | 'blobs';
  title: string;
  file: string;
  channel: PngChannel;
  /** Crop [top, left, size]: the square image[top : top + size, left : left + size]. */
  crop: [number, number, number];
  /** −1 negates before scaling. */
  sign: 1 | -1;
  /** Homology dimension. */
  dim: 0 | 1;
  goal: 'minimize' | 'maximize';
  /** Which critical cells receive the gradient. */
  target: 'birth' | 'death';
  /** STUMP block edge k and noise ε. */
  block: number;
  noise: number;
  /** Pairs that count: lifetime > this (strict). */
  minLifetime: number;
  /** What the paper's Figure III.1 shows at the optimum. */
  expected: string;
  /** The paper's timings for 10,000 Adam steps (seconds), vanilla and STUMP. */
  paperSeconds: { vanilla: number; stump: number };
}

export const PAPER_EXPERIMENTS: readonly PaperExperiment[] = [
  {
    name: 'wells',
    title: 'Double well (H0, maximize: separate the wells by raising a wall)',
    file: 'wells.png',
    channel: 'G',
    crop: [20, 20, 310],
    sign: -1,
    dim: 0,
    goal: 'maximize',
    target: 'death',
    block: 5,
    noise: 50,
    minLifetime: 50,
    expected: 'the two wells separated by a wall',
    paperSeconds: { vanilla: 5015, stump: 202 },
  },
  {
    name: 'circle',
    title: 'Sampled circle (H1, maximize: close the circle)',
    file: 'circle.png',
    channel: 'G',
    crop: [0, 0, 210],
    sign: 1,
    dim: 1,
    goal: 'maximize',
    target: 'birth',
    block: 5,
    noise: 100,
    minLifetime: 50,
    expected: 'the sampled circle closed into one loop',
    paperSeconds: { vanilla: 2169, stump: 106 },
  },
  {
    name: 'blobs',
    title: 'Blobs (H0, minimize: connect the blobs by deepening bridges)',
    file: 'blobs.png',
    channel: 'R',
    crop: [0, 0, 256],
    sign: -1,
    dim: 0,
    goal: 'minimize',
    target: 'death',
    block: 4,
    noise: 50,
    minLifetime: 50,
    expected: 'the blobs joined by bridges into one component',
    paperSeconds: { vanilla: 3576, stump: 195 },
  },
];

/** Where the paper's images live: the package's examples/data. */
export const PAPER_IMAGE_DIR = join(packageRoot(), 'examples', 'data');

/**
 * The paper's preprocessing: one channel, crop, optional negation, then min–max scaling to
 * exactly [0, 255] in float32. Crops reaching past the image are an error, never padded.
 */
export function preprocess(
  grey: Float64Array | Float32Array,
  shape: readonly [number, number],
  crop: readonly [number, number, number],
  sign: 1 | -1,
): Float32Array {
  const [height, width] = shape;
  const [top, left, size] = crop;
  if (top < 0 || left < 0 || top + size > height || left + size > width)
    throw new Error(`crop: [${top}:${top + size}, ${left}:${left + size}] does not fit an image of ${height}×${width}`);
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) out[y * size + x] = sign * grey[(top + y) * width + left + x];
  return scaleTo255(out);
}

/** Min–max scaling to [0, 255] in place (a constant image becomes 0). */
export function scaleTo255(values: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - lo) * scale;
  return values;
}

/** The experiment's input image, preprocessed: values and shape. */
export function loadPaperImage(
  experiment: PaperExperiment,
  dir = PAPER_IMAGE_DIR,
): { values: Float32Array; shape: [number, number] } {
  const img = readPngGrey(readFileSync(join(dir, experiment.file)), experiment.channel);
  const size = experiment.crop[2];
  return { values: preprocess(img.data, img.shape, experiment.crop, experiment.sign), shape: [size, size] };
}

/**
 * The experiment's functional Φ: Σ lifetime^p over pairs of the dimension with lifetime above the
 * threshold, gradient to the paper's cells, minimized or maximized. p = 1 for STUMP, 2 for vanilla
 * (the paper's choice; vanilla W1 "tended not to adjust the topology at all").
 */
export function paperFunctional(
  experiment: PaperExperiment,
  p: number,
  minLifetime = experiment.minLifetime,
): FunctionalConfig {
  return {
    kind: 'totalPersistence',
    dim: experiment.dim,
    p,
    lifetimeRange: [minLifetime, null],
    target: experiment.target,
    goal: experiment.goal,
  };
}
