import * as tf from '@tensorflow/tfjs-core';
import * as os from 'os';
import { join } from 'path';
import { TaskPool } from './pool';
import { criticalSmear, CubicalPersistence } from 'tfjs-topo';
import { syntheticCells } from './cells';
import { meshSection } from './mesh';
import { OwnImages, SEGMENTATION, segmentationSection, SegmentationScale } from './segmentation';
import { pointCloudSection } from './point-cloud';
import { gradientSection } from './gradients';
import { ExactLoss, featureOf, Method, noiseRobustness, RunResult, runMethod, stump, vanilla } from './experiments';
import { grayPng, grayRgb, heatmapPng, heatmapRgb, overlayMask, rgbGridPng } from './images';
import { loadPaperImage, PAPER_EXPERIMENTS, PaperExperiment } from './paper';
import { diagramPlot, lineChart } from './plots';
import { connectedComponents, quantileMarkers, randomWalkerSegmentation, toUnitScale } from './random-walker';
import { fileSlug, ReportFigure, ReportSection, round, writeReport } from './report';
import { SPEED_IMAGES, SpeedImage, SpeedPart, speedRuns, speedSection } from './speed';

export const DEMO_PARTS = [
  'wells',
  'circle',
  'blobs',
  'speed',
  'robustness',
  'smear',
  'gradients',
  'cells',
  'points',
  'mesh',
  'segmentation',
] as const;
export type DemoPart = (typeof DEMO_PARTS)[number];

export interface DemoOptions {
  /** Output folder for report.html, summary.md and figures/. */
  out: string;
  /** Adam steps per run of the paper's three experiments. Default 10,000 (the paper's). */
  steps?: number;
  /** The paper's sizes: 10,000 steps, 600 s speed runs, 1000 smear samples, 5000 cell steps. */
  full?: boolean;
  /** Only these parts. Default: all. */
  only?: readonly DemoPart[];
  seed?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** A user image for the cells experiment (2-D; membranes dark). */
  image?: DemoImage;
  /** The user's images and masks for the segmentation comparison, instead of synthetic membranes. */
  segmentationData?: OwnImages;
  /** Overrides of the run's sizes (for quick checks); `steps` and `full` set the defaults. */
  scale?: Partial<Scale>;
  /** Worker threads for the independent parts. Default: one per core (1: everything in this thread). */
  workers?: number;
}

export interface Scale {
  /** Adam steps per run of the paper's experiments. */
  steps: number;
  /** Optimization time per method in the speed comparison. */
  speedSeconds: number;
  /** The speed comparison also runs STUMP without noise and with the input range. */
  speedVariants: boolean;
  /** Noise draws per level in the robustness test. */
  draws: number;
  /** Approximates in the critical smear. */
  smearSamples: number;
  /** Adam steps per method in the gradient diagnostics (each step diagnosed). */
  gradientSteps: number;
  /** Random draws of the gradient at the input for the Gram matrix of Figure II.4 (the paper: 100). */
  gramDraws: number;
  /** Adam steps per run on the cells. */
  cellSteps: number;
  /** Adam steps per method on the point cloud. */
  cloudSteps: number;
  /** Adam steps per method on the torus mesh. */
  meshSteps: number;
  /** Run the random-walker test (about 0.1 s per solve on a 256² optimum). */
  walker: boolean;
  /** The U-Net comparison: shared BCE warm-up steps, steps per model, image side, images. */
  segmentation: SegmentationScale;
}

/**
 * Reproduces the paper's experiments (Figures II.4, III.1–III.4 and IV.2) and writes a self-contained
 * report: every experiment with vanilla and STUMP on the same exact loss, the speed comparison,
 * the robustness tests, the critical smear, gradient diagnostics, and membrane closing on synthetic cells.
 */
export async function runDemo(options: DemoOptions): Promise<{ html: string; markdown: string; seconds: number }> {
  const t0 = performance.now();
  const full = options.full ?? false;
  const scale: Scale = {
    steps: options.steps ?? 10000,
    speedSeconds: full ? 600 : 4,
    speedVariants: full,
    draws: full ? 50 : 30,
    smearSamples: full ? 1000 : 100,
    gradientSteps: full ? 2000 : 300,
    gramDraws: 100,
    cellSteps: full ? 5000 : 500,
    cloudSteps: full ? 1000 : 150,
    meshSteps: full ? 2000 : 300,
    walker: true,
    segmentation: full
      ? { warmupSteps: 600, fineTuneSteps: 400, size: 64, train: 1024, test: 100 }
      : {
          warmupSteps: SEGMENTATION.warmupSteps,
          fineTuneSteps: SEGMENTATION.fineTuneSteps,
          size: SEGMENTATION.size,
          ...SEGMENTATION.counts,
        },
    ...options.scale,
  };
  const seed = options.seed ?? 1;
  const only = new Set(options.only ?? DEMO_PARTS);
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const done = new Map<DemoPart, ReportSection>(); // finished sections, shown in DEMO_PARTS order
  const overview = new Map<string, (string | number)[][]>(); // rows per experiment
  const optima = new Map<string, Optimized>(); // the experiments shown, for Figure III.1
  const title = 'tfjs-topo: reproducing "A Fast and Robust Method for Global Topological Functional Optimization"';
  const settings = `seed ${seed}, ${scale.steps} steps per run, tfjs ${tf.getBackend()} backend`;
  // The report is written before any work (a bad --out fails at once) and after every part, so a
  // late failure or an interrupted run keeps everything finished so far.
  const save = (subtitle: string) => {
    const shown = PAPER_EXPERIMENTS.flatMap((e) => optima.get(e.name) ?? []);
    const rows = PAPER_EXPERIMENTS.flatMap((e) => overview.get(e.name) ?? []);
    const sections = [
      ...(shown.length > 0 ? [figureSection(shown)] : []),
      ...(rows.length > 0 ? [overviewSection(rows)] : []),
      ...DEMO_PARTS.flatMap((part) => done.get(part) ?? []),
    ];
    return writeReport(options.out, { title, subtitle, sections });
  };
  const add = (part: DemoPart, section: ReportSection) => {
    done.set(part, section);
    save(`In progress (${settings}): ${done.size} part(s) done after ${round((performance.now() - t0) / 1000, 0)} s.`);
  };
  save(`In progress (${settings}): nothing finished yet.`);

  // Independent runs go to worker threads, one per core by default (the tests run in this thread).
  const pool = new TaskPool<DemoTask>(
    options.workers ?? os.availableParallelism?.() ?? os.cpus().length,
    join(__dirname, 'worker.js'),
    { backend: tf.getBackend() },
    runTask,
    log,
  );
  if (pool.size > 1) log(`running the demo's parts on ${pool.size} worker threads`);
  const jobs: Promise<void>[] = [];
  const queueSection = (part: (typeof SECTION_TASKS)[number]) => {
    if (!only.has(part)) return;
    const task: DemoTask = { kind: 'section', part, scale, seed, image: options.image };
    if (part === 'segmentation') task.segmentationData = options.segmentationData;
    jobs.push(pool.run<ReportSection>(task).then((section) => add(part, section)));
  };
  try {
    // Longest first, so that no long task starts last: the segmentation comparison, then the
    // paper's runs (two per experiment; robustness reads their optima), then the rest.
    queueSection('segmentation');
    const experiments = PAPER_EXPERIMENTS.filter((e) => only.has(e.name) || only.has('robustness'));
    const optimized = experiments.map(async (experiment) => {
      const { values, shape } = loadPaperImage(experiment);
      const runs = await Promise.all(
        [vanilla(), stump(experiment)].map((method) =>
          pool.run<RunResult>({ kind: 'paper', experiment: experiment.name, method, steps: scale.steps, seed }),
        ),
      );
      overview.set(experiment.name, overviewRows(experiment, runs));
      if (only.has(experiment.name)) {
        optima.set(experiment.name, { experiment, x0: values, shape, runs });
        add(experiment.name, experimentSection(experiment, values, shape, runs));
      }
      return [experiment.name, { x0: values, shape, runs }] as const;
    });
    if (only.has('robustness')) {
      // Each experiment's robustness tests run as soon as its optima are there, before the queued parts.
      const tested = optimized.map((entry) =>
        entry.then(([experiment, optimum]) =>
          pool.run<RobustnessPart>({ kind: 'robustness', experiment, optimum, scale, seed }, true),
        ),
      );
      jobs.push(Promise.all(tested).then((parts) => add('robustness', robustnessSection(parts, scale))));
    }
    jobs.push(...optimized.map((o) => o.then(() => undefined)));
    if (only.has('speed')) {
      // One task per image, so that the two halves run side by side.
      const parts = SPEED_IMAGES.map((image) => pool.run<SpeedPart>({ kind: 'speed', image, scale, seed }));
      jobs.push(Promise.all(parts).then((done) => add('speed', speedSection(done, scale))));
    }
    for (const part of SECTION_TASKS) if (part !== 'segmentation') queueSection(part);
    await settleAll(jobs);
  } finally {
    await pool.close();
  }

  const seconds = (performance.now() - t0) / 1000;
  const paths = save(
    `${full ? 'Full' : options.scale && Object.keys(options.scale).length > 0 ? 'Resized' : 'Default'} run, ${settings}, ${round(seconds, 0)} s in all.`,
  );
  log(`wrote ${paths.html} and ${paths.markdown} (${round(seconds, 1)} s)`);
  return { ...paths, seconds };
}

/** Waits for every job (so that every part that can finish is saved), then throws the first failure. */
async function settleAll(jobs: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(jobs)).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** The parts that are one task each. */
const SECTION_TASKS = ['smear', 'gradients', 'cells', 'points', 'mesh', 'segmentation'] as const;

/** A unit of the demo's work, as posted to a worker thread (plain data: it is structured-cloned). */
export type DemoTask =
  | { kind: 'paper'; experiment: PaperExperiment['name']; method: Method; steps: number; seed: number }
  | {
      kind: 'section';
      part: (typeof SECTION_TASKS)[number];
      scale: Scale;
      seed: number;
      image?: DemoImage;
      segmentationData?: OwnImages;
    }
  | { kind: 'speed'; image: SpeedImage; scale: Scale; seed: number }
  | { kind: 'robustness'; experiment: PaperExperiment['name']; optimum: Optimum; scale: Scale; seed: number };

/** Runs one task (in a worker thread or in this one): a paper run's result, a report section, or a part of one. */
export async function runTask(
  task: DemoTask,
  log: (line: string) => void,
): Promise<RunResult | ReportSection | SpeedPart | RobustnessPart> {
  const progress = (label: string, total: number) => progressLogger(log, label, total);
  if (task.kind === 'paper') {
    const experiment = PAPER_EXPERIMENTS.find((e) => e.name === task.experiment)!;
    const { values, shape } = loadPaperImage(experiment);
    const label = `[${experiment.name}] ${task.method.name}`;
    log(`${label}: ${task.steps} steps`);
    return runMethod(experiment, task.method, values, shape, {
      steps: task.steps,
      seed: task.seed,
      progress: progress(label, task.steps),
    });
  }
  if (task.kind === 'speed') return speedRuns(task.image, task.scale, task.seed, log);
  if (task.kind === 'robustness') return robustnessTests(task.experiment, task.optimum, task.scale, task.seed, log);
  const { scale, seed } = task;
  switch (task.part) {
    case 'smear':
      return smearSection(scale, seed, log);
    case 'gradients':
      return gradientSection(scale, seed, log);
    case 'cells':
      return cellsSection(scale, seed, log, task.image);
    case 'points':
      return pointCloudSection(scale.cloudSteps, seed, log, progress);
    case 'mesh':
      return meshSection(scale.meshSteps, seed, log, progress);
    case 'segmentation':
      return segmentationSection(scale.segmentation, seed, log, progress, task.segmentationData);
  }
}

/** An experiment's rows of the overview table: exact Φ before and after each run, and its time. */
function overviewRows(experiment: PaperExperiment, runs: RunResult[]): (string | number)[][] {
  const before = runs[0].curve[0].exact;
  return runs.map((run) => {
    const after = run.curve[run.curve.length - 1].exact;
    const paper = run.method.startsWith('STUMP') ? experiment.paperSeconds.stump : experiment.paperSeconds.vanilla;
    return [
      experiment.name,
      run.method,
      run.steps,
      round(run.seconds, 1),
      round((1000 * run.seconds) / run.steps, 2),
      round(before, 0),
      round(after, 0),
      `${round((100 * (after - before)) / Math.max(before, 1e-9), 1)} %`,
      round((run.seconds / run.steps) * 10000, 0),
      paper,
    ];
  });
}

/** An experiment's input and its optima, as the paper's Figure III.1 shows them. */
interface Optimized {
  experiment: PaperExperiment;
  x0: Float32Array;
  shape: [number, number];
  runs: RunResult[];
}

/**
 * The paper's Figure III.1 at a glance: per experiment, the input, the vanilla and STUMP optima
 * (grey, 0–255) and their differences from the input (one diverging scale per row), with the
 * number that shows the expected feature before and after.
 */
function figureSection(optimized: readonly Optimized[]): ReportSection {
  const rows: (string | number)[][] = [];
  const figures = optimized.map(({ experiment, x0, shape, runs }) => {
    const differences = runs.map((r) => r.result.map((v, i) => v - x0[i]));
    const reach = Math.max(1e-9, ...differences.map((d) => d.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
    const tiles = [
      grayRgb(x0, shape, [0, 255]),
      ...runs.map((r) => grayRgb(r.result, shape, [0, 255])),
      ...differences.map((d) => heatmapRgb(d, shape, { colormap: 'diverging', range: [-reach, reach] })),
    ];
    const before = featureOf(experiment, x0, shape);
    const after = runs.map((r) => featureOf(experiment, r.result, shape));
    rows.push([experiment.name, before.label, round(before.value, 1), ...after.map((a) => round(a.value, 1))]);
    const names = runs.map((r) => r.method);
    return {
      caption:
        `${experiment.name}: input | ${names.join(' optimum | ')} optimum | ${names.map((n) => `${n} − input`).join(' | ')} ` +
        `(differences from −${round(reach, 0)} blue to +${round(reach, 0)} red). Expected: ${experiment.expected}; ` +
        `${before.label}: ${round(before.value, 1)} before, ${after.map((a, k) => `${round(a.value, 1)} (${names[k]})`).join(', ')} after.`,
      png: rgbGridPng([tiles], shape),
      file: `figure-III-1-${experiment.name}.png`,
    };
  });
  return {
    id: 'figure',
    title: 'Figure III.1: the optima at a glance',
    text:
      `Each row: the input, the optima of vanilla gradient descent and of STUMP after ${optimized[0].runs[0].steps} Adam steps, ` +
      'and what each changed. The table gives the number that shows the expected feature.',
    figures,
    table: {
      headers: ['experiment', 'feature', 'input', ...optimized[0].runs.map((r) => r.method)],
      rows,
    },
  };
}

/** The overview table of the paper's experiments: exact Φ before and after, and time per step. */
function overviewSection(overview: (string | number)[][]): ReportSection {
  return {
    id: 'overview',
    title: 'Overview',
    text:
      "Each experiment runs vanilla gradient descent through the persistence diagram (Φ with p = 2, the paper's choice) and STUMP " +
      '(Φ with p = 1 on one random approximate per step) with Adam (learning rate 0.05). "Exact Φ" is the same yardstick for both: ' +
      'Σ lifetime of the bars above the threshold on the full-resolution image. The last two columns compare time for 10,000 steps: ' +
      "ours (extrapolated from the measured time per step) and the paper's.",
    table: {
      headers: [
        'experiment',
        'method',
        'steps',
        'seconds',
        'ms / step',
        'exact Φ before',
        'exact Φ after',
        'change',
        's / 10k steps (ours)',
        's / 10k steps (paper)',
      ],
      rows: overview,
    },
  };
}

/** A progress callback printing about ten lines per run, with the time left. */
function progressLogger(
  log: (line: string) => void,
  label: string,
  total: number,
): (step: number, seconds: number) => void {
  const every = Math.max(1, Math.floor(total / 10));
  return (step, seconds) => {
    if (step % every !== 0 && step !== total) return;
    const eta = (seconds / step) * (total - step);
    log(`${label}: step ${step}/${total}, ${seconds.toFixed(1)} s, about ${eta.toFixed(0)} s left`);
  };
}

function experimentSection(
  experiment: PaperExperiment,
  x0: Float32Array,
  shape: [number, number],
  runs: RunResult[],
): ReportSection {
  const diagram = (values: Float32Array) => {
    const [d] = new CubicalPersistence(shape, { dims: [experiment.dim] }).compute(values);
    const points: [number, number][] = [];
    for (let i = 0; i < d.births.length; i++) if (d.deaths[i] !== Infinity) points.push([d.births[i], d.deaths[i]]);
    return points;
  };
  const difference = (values: Float32Array) => values.map((v, i) => v - x0[i]);
  return {
    id: experiment.name,
    title: experiment.title,
    text: `Expected optimum (paper, Figure III.1): ${experiment.expected}. STUMP: ${experiment.block}×${experiment.block} blocks, noise ε = ${experiment.noise}; gradient to the ${experiment.target} cells of H${experiment.dim} bars longer than ${experiment.minLifetime}.`,
    figures: [
      { caption: 'input', png: grayPng(x0, shape, [0, 255]), file: `${experiment.name}-input.png` },
      ...runs.map((r) => ({
        caption: `${r.method}: result`,
        png: grayPng(r.result, shape, [0, 255]),
        file: `${experiment.name}-${fileSlug(r.method)}.png`,
      })),
      ...runs.map((r) => ({
        caption: `${r.method}: result − input`,
        png: heatmapPng(difference(r.result), shape, { colormap: 'diverging' }),
        file: `${experiment.name}-${fileSlug(r.method)}-difference.png`,
      })),
      {
        caption: `H${experiment.dim} persistence diagrams`,
        svg: diagramPlot({
          title: `H${experiment.dim} diagrams`,
          diagrams: [
            { name: 'input', points: diagram(x0) },
            ...runs.map((r) => ({ name: r.method, points: diagram(r.result) })),
          ],
        }),
        file: `${experiment.name}-diagrams.svg`,
      },
      {
        caption: 'exact Φ against optimization time',
        svg: lineChart({
          title: `${experiment.name}: exact Φ (Σ lifetime > ${experiment.minLifetime})`,
          xLabel: 'seconds',
          yLabel: 'exact Φ',
          series: runs.map((r) => ({
            name: r.method,
            points: r.curve.map((c) => [c.seconds, c.exact] as [number, number]),
          })),
        }),
        file: `${experiment.name}-loss.svg`,
      },
    ],
  };
}

/** One experiment's optima, as the robustness tests read them. */
type Optimum = { x0: Float32Array; shape: [number, number]; runs: RunResult[] };

/** One experiment's share of the robustness section: its figures and table rows. */
interface RobustnessPart {
  figures: ReportFigure[];
  rows: (string | number)[][];
}

/** The noise test's levels ε per experiment. */
const NOISE_LEVELS: Record<PaperExperiment['name'], number[]> = {
  wells: [0, 5, 10, 15, 20, 25, 30],
  circle: [0, 5, 10, 15, 20, 25],
  blobs: [0, 5, 10, 15, 20, 25, 30, 35, 40],
};

/** The reference code's noise test and the paper's random-walker test on one experiment's optima. */
function robustnessTests(
  name: PaperExperiment['name'],
  optimum: Optimum,
  scale: Scale,
  seed: number,
  log: (line: string) => void,
): RobustnessPart {
  const experiment = PAPER_EXPERIMENTS.find((e) => e.name === name)!;
  const { shape, runs } = optimum;
  log(`[robustness] ${name}`);
  const figures: ReportFigure[] = [];
  const rows: (string | number)[][] = [];
  const series = [];
  for (const run of runs) {
    const noise = noiseRobustness(experiment, run.result, shape, NOISE_LEVELS[name], scale.draws, seed);
    for (const p of [1, 2]) {
      const mine = noise.filter((r) => r.p === p);
      series.push({
        name: `${run.method}, mean, p = ${p}`,
        points: mine.map((r) => [r.epsilon, r.mean] as [number, number]),
      });
      series.push({
        name: `${run.method}, worst, p = ${p}`,
        points: mine.map((r) => [r.epsilon, r.worst] as [number, number]),
        dashed: true,
      });
    }
    for (const q of scale.walker ? [0.1, 0.2, 0.3] : []) {
      const unit = toUnitScale(run.result);
      const mask = randomWalkerSegmentation(unit, shape, quantileMarkers(unit, q));
      const { count } = connectedComponents(mask, shape);
      rows.push([name, run.method, q, count]);
      if (q === 0.2)
        figures.push({
          caption: `${name}, ${run.method}: random-walker segmentation (q = 0.2), ${count} component(s)`,
          png: overlayMask(run.result, shape, mask, [230, 60, 40]),
          file: `${name}-${fileSlug(run.method)}-walker.png`,
        });
    }
  }
  figures.push({
    caption: `${name}: p-norm of lifetimes > ${experiment.minLifetime} under noise (${scale.draws} draws per ε)`,
    svg: lineChart({ title: `${name}: robustness to noise`, xLabel: 'noise ε', yLabel: 'norm of lifetimes', series }),
    file: `${name}-noise.svg`,
  });
  return { figures, rows };
}

/** The robustness section (Figures III.3 and III.4) from its experiments' parts, in order. */
function robustnessSection(parts: readonly RobustnessPart[], scale: Scale): ReportSection {
  return {
    id: 'robustness',
    title: 'Robustness (Figures III.3 and III.4)',
    text:
      `Noise test (reference code): clip(x* + U[−ε, ε], 0, 255), ${scale.draws} draws per ε; the p-norm of the lifetimes above the threshold, ` +
      'mean and worst case (dashed). Random-walker test (paper): markers at the top and bottom q of the values, random-walker ' +
      "segmentation (4-connected graph, scikit-image's weights with β = 130, on the optimum divided by 255 as scikit-image does " +
      'with 8-bit images), and its number of connected components (4-connected); the paper shows this for blobs.' +
      (scale.walker ? '' : ' Skipped in this run.'),
    figures: parts.flatMap((part) => part.figures),
    table: { headers: ['experiment', 'method', 'q', 'components'], rows: parts.flatMap((part) => part.rows) },
  };
}

/** The critical smear of the circle's H1 point (Section IV.A, Figure IV.2). */
function smearSection(scale: Scale, seed: number, log: (line: string) => void): ReportSection {
  const circle = PAPER_EXPERIMENTS.find((e) => e.name === 'circle')!;
  const { values, shape } = loadPaperImage(circle);
  log(`[smear] circle, ${scale.smearSamples} approximates`);
  const smear = criticalSmear(values, shape, {
    dim: 1,
    lifetimeRange: [30, Infinity],
    block: 5,
    noise: 50,
    samples: scale.smearSamples,
    directions: 20,
    seed,
  });
  return {
    id: 'smear',
    title: 'Critical smear (Figure IV.2)',
    text:
      `The gradient on the circle's H1 bars longer than 30 (${smear.points.length} of them), transferred to ${scale.smearSamples} random ` +
      'approximates (5×5 blocks, noise 50) by a sliced-Wasserstein matching with 20 directions and pulled back to the image: where ' +
      'a STUMP step pushes. Vanilla gradient descent would push on single pixels only.',
    figures: [
      { caption: 'input', png: grayPng(values, shape, [0, 255]), file: 'smear-input.png' },
      {
        caption: 'birth smear',
        png: heatmapPng(smear.birthMap, shape, { colormap: 'magma' }),
        file: 'smear-birth.png',
      },
      {
        caption: 'death smear',
        png: heatmapPng(smear.deathMap, shape, { colormap: 'magma' }),
        file: 'smear-death.png',
      },
    ],
  };
}

/** A user image for the cells experiment (`--image`): 2-D, any range (it is min–max scaled to [0, 255]). */
export interface DemoImage {
  values: ArrayLike<number>;
  shape: [number, number];
  /** Shown in the report (e.g. the file name). */
  name: string;
}

/** Cell-membrane settings: H1, maximize the loops above a lifetime, gradient to their birth cells. */
const CELLS: PaperExperiment = {
  name: 'blobs', // the runner only reads the settings below
  title: 'Cells',
  file: '',
  channel: 'luminance',
  crop: [0, 0, 256],
  sign: 1,
  dim: 1,
  goal: 'maximize',
  target: 'birth',
  block: 4,
  noise: 20,
  minLifetime: 70,
  expected: 'membrane gaps closed, each cell a loop',
  paperSeconds: { vanilla: NaN, stump: NaN },
};

/** Unsupervised membrane closing (the paper's cells, H1 maximize) on a synthetic EM-like image and on a user's image. */
async function cellsSection(
  scale: Scale,
  seed: number,
  log: (line: string) => void,
  user?: DemoImage,
): Promise<ReportSection> {
  // Faded gaps (gapDepth 0.8): a broken cell's loop still lives past 70, so the loss can see it.
  const cells = syntheticCells({ size: 256, seed, gapDepth: 0.8 });
  const figures = await closeMembranes('cells', cells.image, cells.shape, scale, seed, log);
  if (user)
    figures.push(
      ...(await closeMembranes(`image ${user.name}`, toByteRange(user.values), user.shape, scale, seed, log)),
    );
  return {
    id: 'cells',
    title: 'Cells: closing membrane gaps (synthetic EM slice)',
    text:
      'A seeded synthetic cell-membrane image (Voronoi cells, dark membranes, blur, noise, gaps) stands in for the ISBI 2012 slice, which ' +
      'is not shipped. Its gaps are faded membrane, which leaves the broken cells loops of lifetime 70–100 against > 100 for closed ones. ' +
      'H1, maximize the loops with lifetime > 70, gradient to birth cells; STUMP with 4×4 blocks and noise 20. Closed cells: loops > 100.' +
      (user
        ? ` The same on ${user.name} (min–max scaled to [0, 255]; membranes are expected dark).`
        : ' Pass `--image PATH` (.png or 2-D .npy) to run it on your own image.'),
    figures,
  };
}

async function closeMembranes(
  label: string,
  image: Float32Array,
  shape: [number, number],
  scale: Scale,
  seed: number,
  log: (line: string) => void,
): Promise<ReportFigure[]> {
  const runs: RunResult[] = [];
  for (const method of [vanilla(), stump(CELLS)]) {
    log(`[${label}] ${method.name}: ${scale.cellSteps} steps`);
    runs.push(
      await runMethod(CELLS, method, image, shape, {
        steps: scale.cellSteps,
        seed,
        progress: progressLogger(log, `[${label}] ${method.name}`, scale.cellSteps),
      }),
    );
  }
  const exact = new ExactLoss(shape, CELLS);
  const engine = new CubicalPersistence(shape, { dims: [1] });
  const loops = (v: Float32Array) => {
    const [d] = engine.compute(v);
    let n = 0;
    for (let i = 0; i < d.births.length; i++) if (d.deaths[i] - d.births[i] > 100) n++;
    return n;
  };
  const file = fileSlug(label);
  return [
    {
      caption: `${label}, input: ${loops(image)} loops > 100, exact Φ ${round(exact.of(image), 0)}`,
      png: grayPng(image, shape, [0, 255]),
      file: `${file}-input.png`,
    },
    ...runs.map((r) => ({
      caption: `${label}, ${r.method}: ${loops(r.result)} loops > 100, exact Φ ${round(exact.of(r.result), 0)}`,
      png: grayPng(r.result, shape, [0, 255]),
      file: `${file}-${fileSlug(r.method)}.png`,
    })),
  ];
}

/** Min–max scaling to [0, 255], the range the cells settings (lifetimes 70, 100, noise 20) are written for. */
function toByteRange(values: ArrayLike<number>): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const out = new Float32Array(values.length);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - lo) * k;
  return out;
}
