import * as tf from '@tensorflow/tfjs-core';
import { losses, registerTrainingKernels, segmentationDataset, segmentationMetrics } from 'tfjs-topo';
import type { LabelTermConfig } from 'tfjs-topo';
import { rgbGridPng } from './images';
import { lineChart } from './plots';
import { connectedComponents } from './random-walker';
import { ReportSection, round } from './report';
import { predictAll, trainSteps, TrainingData, TrainingLoss } from './segmentation-training';
import { unet } from './unet';

/** Settings of the segmentation experiment: a U-Net on synthetic vessels, one loss per model. */
export const SEGMENTATION = {
  kind: 'membranes' as const,
  size: 64,
  batch: 8,
  counts: { train: 512, test: 64 },
  filters: [8, 16, 32, 64],
  learningRate: 2e-3,
  /** Steps of plain BCE every model starts from (one shared run), then steps with its own loss. */
  warmupSteps: 300,
  fineTuneSteps: 100,
  threshold: 0.5,
  smear: { block: 2, noise: 0.05 },
};

/** One model of the comparison: its name and the term added to BCE (none for the baseline). */
interface ModelSpec {
  name: string;
  term?: LabelTermConfig;
  weight?: number;
  smeared?: boolean;
}

export const SEGMENTATION_MODELS: readonly ModelSpec[] = [
  { name: 'BCE' },
  { name: 'BCE + clDice', term: { kind: 'clDice', iterations: 5 }, weight: 0.5 },
  { name: 'BCE + Skeleton Recall', term: { kind: 'skeletonRecall' }, weight: 1 },
  { name: 'BCE + component graph', term: { kind: 'componentGraph' }, weight: 0.1 },
  { name: 'BCE + component graph (regions alone)', term: { kind: 'componentGraph', clusters: false }, weight: 0.1 },
  { name: 'BCE + Betti (vanilla)', term: { kind: 'betti' }, weight: 0.05 },
  { name: 'BCE + Wasserstein (vanilla)', term: { kind: 'wasserstein' }, weight: 0.05 },
  { name: 'BCE + Betti (STUMP)', term: { kind: 'betti' }, weight: 0.05, smeared: true },
  { name: 'BCE + Betti matching (vanilla)', term: { kind: 'bettiMatching' }, weight: 0.02 },
  { name: 'BCE + Betti matching (STUMP)', term: { kind: 'bettiMatching' }, weight: 0.02, smeared: true },
];

/** Images `[N, H, W]` in [0, 1] and their 0/1 masks: a synthetic split or a user's folder. */
export interface ImageSet {
  images: Float32Array;
  masks: Float32Array;
  shape: [number, number, number];
}

/** A user's images and masks (e.g. read from PNG folders), square, with sides a multiple of 8. */
export interface OwnImages extends ImageSet {
  /** Where they came from, for the report. */
  source: string;
}

export interface SegmentationScale {
  warmupSteps: number;
  fineTuneSteps: number;
  train: number;
  test: number;
  size: number;
}

interface ModelResult {
  spec: ModelSpec;
  losses: number[];
  seconds: number;
  fastestStep: number;
  probabilities: Float32Array;
  metrics: ReturnType<typeof segmentationMetrics>['mean'];
}

/**
 * Trains the U-Net once with BCE (the warm-up), then each model from those weights with its own
 * loss for the same number of steps on the same batches, and scores every model on the test split.
 */
export async function segmentationSection(
  scale: SegmentationScale,
  seed: number,
  log: (line: string) => void,
  progress: (label: string, total: number) => (step: number, seconds: number) => void,
  own?: OwnImages,
): Promise<ReportSection> {
  const data = own ? splitOwn(own) : syntheticData(scale, seed);
  const trainer = await useTrainer(log);
  try {
    return await compareModels(data, scale, seed, log, progress);
  } finally {
    await trainer.restore();
  }
}

/**
 * The fastest CPU trainer at hand: tfjs's wasm backend with the library's training kernels when
 * the demo runs on cpu and @tensorflow/tfjs-backend-wasm is installed (it trains a U-Net ≈ 40×
 * faster than the cpu backend's built-in kernels), else the current backend with the kernels.
 */
async function useTrainer(log: (line: string) => void): Promise<{ restore(): Promise<void> }> {
  const previous = tf.getBackend();
  let switched = false;
  if (previous === 'cpu') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      switched = await tf.setBackend('wasm');
    } catch {
      switched = false;
    }
  }
  const kernels = registerTrainingKernels();
  log(`[segmentation] training on the ${tf.getBackend()} backend with the training kernels`);
  return {
    async restore() {
      kernels.restore();
      if (switched) await tf.setBackend(previous);
    },
  };
}

interface Split {
  train: ImageSet;
  test: ImageSet;
  /** What the images are, for the report. */
  description: string;
}

function syntheticData(scale: SegmentationScale, seed: number): Split {
  const { train, test } = segmentationDataset({
    kind: SEGMENTATION.kind,
    size: scale.size,
    seed,
    count: { train: scale.train, test: scale.test },
  });
  const description = `synthetic ${SEGMENTATION.kind} (${scale.size}×${scale.size}, ${scale.train} training and ${scale.test} test images, seeded)`;
  return { train, test, description };
}

/** A user's images: the last fifth (at least one) held out for the test. */
function splitOwn(own: OwnImages): Split {
  const [n, h, w] = own.shape;
  const testCount = Math.max(1, Math.round(n / 5));
  const cut = (from: number, to: number): ImageSet => ({
    images: own.images.slice(from * h * w, to * h * w),
    masks: own.masks.slice(from * h * w, to * h * w),
    shape: [to - from, h, w],
  });
  const description = `${own.source} (${h}×${w}, ${n - testCount} training and ${testCount} test images, the last ones held out)`;
  return { train: cut(0, n - testCount), test: cut(n - testCount, n), description };
}

async function compareModels(
  data: Split,
  scale: SegmentationScale,
  seed: number,
  log: (line: string) => void,
  progress: (label: string, total: number) => (step: number, seconds: number) => void,
): Promise<ReportSection> {
  const size = data.train.shape[1];
  const batch = SEGMENTATION.batch;
  const train = toTensors(data.train);
  const test = toTensors(data.test);
  const build = () => unet({ size, filters: SEGMENTATION.filters, seed });
  const options = { batch, learningRate: SEGMENTATION.learningRate, seed };

  log(`[segmentation] warm-up: U-Net, BCE, ${scale.warmupSteps} steps of batch ${batch} (${size}×${size})`);
  const warm = build();
  const warmup = await trainSteps(warm, 'binaryCrossentropy', train, {
    ...options,
    steps: scale.warmupSteps,
    progress: progress('[segmentation] warm-up', scale.warmupSteps),
  });
  const start = warm.getWeights().map((w) => tf.keep(tf.clone(w)));
  warm.dispose();

  const results: ModelResult[] = [];
  for (const spec of SEGMENTATION_MODELS) {
    const model = build();
    model.setWeights(start);
    const run = await trainSteps(model, lossOf(spec, seed), train, {
      ...options,
      seed: seed + 1, // every model sees the same batches after the warm-up
      steps: scale.fineTuneSteps,
      progress: progress(`[segmentation] ${spec.name}`, scale.fineTuneSteps),
    });
    const probabilities = predictAll(model, test.images, batch);
    model.dispose();
    const metrics = segmentationMetrics(probabilities, data.test.masks, data.test.shape, {
      threshold: SEGMENTATION.threshold,
      construction: 'V',
    }).mean;
    results.push({ spec, ...run, probabilities, metrics });
    log(
      `[segmentation] ${spec.name}: Dice ${round(metrics.dice, 3)}, β0 error ${round(metrics.betti0Error, 2)}, ` +
        `β1 error ${round(metrics.betti1Error, 2)}, ${round(run.seconds / scale.fineTuneSteps, 2)} s/step`,
    );
  }
  tf.dispose([train.images, train.masks, test.images, test.masks, ...start]);
  return report(scale, data, results, warmup.seconds / scale.warmupSteps, tf.getBackend());
}

function lossOf(spec: ModelSpec, seed: number): TrainingLoss {
  if (spec.term === undefined) return 'binaryCrossentropy';
  const smear = spec.smeared ? { ...SEGMENTATION.smear, seed } : undefined;
  return losses.labelTopological({ term: spec.term, weight: spec.weight, smear });
}

function toTensors(set: ImageSet): TrainingData {
  const shape: [number, number, number, number] = [...set.shape, 1];
  return { images: tf.tensor4d(set.images, shape), masks: tf.tensor4d(set.masks, shape) };
}

function report(
  scale: SegmentationScale,
  data: Split,
  results: ModelResult[],
  warmupStep: number,
  backend: string,
): ReportSection {
  const rows = results.map(({ spec, metrics, seconds }) => [
    spec.name,
    round(metrics.dice, 3),
    round(metrics.clDice ?? NaN, 3),
    round(metrics.betti0Error, 2),
    round(metrics.betti1Error, 2),
    round(metrics.bettiMatchingError, 2),
    `${round(100 * metrics.topologyMatch, 0)} %`,
    round(seconds / scale.fineTuneSteps, 2),
  ]);
  const curves = lineChart({
    title: 'Training loss after the warm-up (each model its own loss)',
    xLabel: 'step',
    yLabel: 'loss',
    logY: true,
    series: results.map((r) => ({ name: r.spec.name, points: smooth(r.losses).map((v, i) => [i + 1, v]) })),
  });
  return {
    id: 'segmentation',
    title: 'Segmentation: a U-Net trained with topological terms that read the label',
    text:
      `A U-Net (filters ${SEGMENTATION.filters.join('-')}) segments ${data.description}. Every model starts from the same ${scale.warmupSteps} steps of ` +
      `binary cross-entropy (${round(warmupStep, 2)} s/step), then trains ${scale.fineTuneSteps} more steps on the same batches ` +
      `(batch ${SEGMENTATION.batch}, Adam ${SEGMENTATION.learningRate}, tfjs ${backend} backend with the training kernels) with BCE plus its term. Metrics on the test split, at ` +
      `threshold ${SEGMENTATION.threshold}: Dice, clDice, the mean β0 and β1 errors |β(P) − β(L)| and the Betti-matching error ` +
      `of the binarized prediction (foreground 4-connected, as the Betti-matching reference), and the share of images whose ` +
      'prediction has exactly the Betti numbers of its label. STUMP terms pool the prediction over ' +
      `${SEGMENTATION.smear.block}×${SEGMENTATION.smear.block} blocks with noise ${SEGMENTATION.smear.noise}.` +
      '\n\nIn the pictures: white, predicted foreground; blue, label foreground the prediction missed; red, predicted components ' +
      'that touch no label foreground; orange, predicted holes where the label has foreground.',
    table: {
      headers: ['model', 'Dice', 'clDice', 'β0 error', 'β1 error', 'BM error', 'exact topology', 's / step'],
      rows,
    },
    figures: [
      {
        caption: 'Test images: input, label, then each model in the table order',
        png: pictureGrid(data.test, results),
      },
      { caption: 'Training loss (moving average of 10 steps)', svg: curves },
    ],
  };
}

/** Moving average over 10 steps. */
function smooth(values: number[]): number[] {
  return values.map((_, i) => {
    const from = Math.max(0, i - 9);
    const window = values.slice(from, i + 1);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
}

/** Rows of test images: the input, the label, and each model's prediction with its topological errors marked. */
function pictureGrid(test: ImageSet, results: ModelResult[], rows = 4): Uint8Array {
  const [, h, w] = test.shape;
  const n = h * w;
  const tiles = Array.from({ length: Math.min(rows, test.shape[0]) }, (_, i) => {
    const image = test.images.subarray(i * n, (i + 1) * n);
    const label = test.masks.subarray(i * n, (i + 1) * n);
    return [
      grayTile(image),
      grayTile(label),
      ...results.map((r) => errorTile(r.probabilities.subarray(i * n, (i + 1) * n), label, [h, w])),
    ];
  });
  return rgbGridPng(tiles, [h, w], 2);
}

function grayTile(values: ArrayLike<number>): Uint8Array {
  const rgb = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++)
    rgb.fill(Math.round(255 * Math.min(1, Math.max(0, values[i]))), 3 * i, 3 * i + 3);
  return rgb;
}

const WHITE = [255, 255, 255];
const BLUE = [60, 110, 230];
const RED = [230, 50, 40];
const ORANGE = [240, 160, 30];

/** The thresholded prediction, with missed label pixels, spurious components and false holes coloured. */
function errorTile(probabilities: ArrayLike<number>, label: ArrayLike<number>, shape: [number, number]): Uint8Array {
  const n = probabilities.length;
  const fg = Uint8Array.from({ length: n }, (_, i) => (probabilities[i] >= SEGMENTATION.threshold ? 1 : 0));
  const bg = fg.map((v) => 1 - v);
  const rgb = new Uint8Array(3 * n);
  const paint = (i: number, c: number[]) => rgb.set(c, 3 * i);
  for (let i = 0; i < n; i++)
    if (fg[i]) paint(i, WHITE);
    else if (label[i]) paint(i, BLUE);
  const components = connectedComponents(fg, shape, 4);
  const touches = new Uint8Array(components.count + 1);
  for (let i = 0; i < n; i++) if (fg[i] && label[i]) touches[components.labels[i]] = 1;
  for (let i = 0; i < n; i++) if (fg[i] && !touches[components.labels[i]]) paint(i, RED);
  const holes = connectedComponents(bg, shape, 8);
  const [h, w] = shape;
  const open = new Uint8Array(holes.count + 1); // background components reaching the border are not holes
  const onLabelBackground = new Uint8Array(holes.count + 1);
  for (let i = 0; i < n; i++) {
    if (!bg[i]) continue;
    const y = Math.floor(i / w);
    const x = i % w;
    if (y === 0 || x === 0 || y === h - 1 || x === w - 1) open[holes.labels[i]] = 1;
    if (!label[i]) onLabelBackground[holes.labels[i]] = 1;
  }
  for (let i = 0; i < n; i++) {
    const hole = holes.labels[i];
    if (bg[i] && !open[hole] && !onLabelBackground[hole]) paint(i, ORANGE);
  }
  return rgb;
}
