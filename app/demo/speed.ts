import {
  geometricCheckpoints,
  Method,
  noiseRobustness,
  RunResult,
  runMethod,
  stumpSchedule,
  stump,
  vanilla,
} from './experiments';
import { loadPaperImage, PAPER_EXPERIMENTS } from './paper';
import { lineChart } from './plots';
import { mulberry32 } from './random';
import { connectedComponents, quantileMarkers, randomWalkerSegmentation, toUnitScale } from './random-walker';
import { fileSlug, ReportFigure, ReportSection, round } from './report';

/** What the paper's Figure III.4 shows for blobs (its text: STUMP ~90 % within 4 min, vanilla ~25 % in 10 min). */
const PAPER_SPEED: Record<string, string> = {
  'blobs, vanilla W2': '~25 % removed in 600 s',
  'blobs, STUMP': '~90 % removed in ~240 s',
};

/** The fractions of the starting exact loss whose removal is timed. */
const REMOVED = [0.5, 0.9, 0.99, 1];

/** The noise level of the robustness column, and the random walker's marker quantile. */
const EPSILON = 20;
const WALKER_Q = 0.2;

export interface SpeedScale {
  /** Optimization time per method. */
  speedSeconds: number;
  /** Noise draws in the robustness column. */
  draws: number;
  /** Run the random-walker column. */
  walker: boolean;
  /** Also STUMP without noise and STUMP with the input range (the `--full` run's). */
  speedVariants: boolean;
}

/** The speed comparison's inputs: the paper's blobs image and a seeded 256² uniform-noise image. */
export const SPEED_IMAGES = ['blobs', 'uniform noise'] as const;
export type SpeedImage = (typeof SPEED_IMAGES)[number];

/** One image's share of the speed comparison: its table rows and its loss-against-time chart. */
export interface SpeedPart {
  rows: (string | number)[][];
  figure: ReportFigure;
}

/**
 * Every method on one image of the speed comparison (Figure III.2/III.4; H0, minimize): the same
 * exact loss for the same time, the seconds each takes to remove 50, 90, 99 and 100 % of it, and
 * how robust its optimum is. The two images are independent tasks.
 */
export async function speedRuns(
  image: SpeedImage,
  scale: SpeedScale,
  seed: number,
  log: (line: string) => void,
): Promise<SpeedPart> {
  const blobs = PAPER_EXPERIMENTS.find((e) => e.name === 'blobs')!;
  const random = mulberry32(seed + 1000);
  const x0 =
    image === 'blobs'
      ? loadPaperImage(blobs).values
      : Float32Array.from({ length: 256 * 256 }, () => Math.floor(random() * 256));
  const variants = scale.speedVariants ? [stump(blobs, 0), stump(blobs, blobs.noise, 'input')] : [];
  const methods: Method[] = [vanilla(2), vanilla(1), stump(blobs), ...variants, stumpSchedule(blobs)];
  const shape: [number, number] = [256, 256];
  const series = [];
  const rows: (string | number)[][] = [];
  for (const method of methods) {
    log(`[speed] ${image}, ${method.name}: ${scale.speedSeconds} s`);
    const run = await runMethod(blobs, method, x0, shape, {
      steps: 10_000_000,
      seed,
      budget: scale.speedSeconds,
      checkpoints: geometricCheckpoints(),
    });
    const start = run.curve[0].exact;
    series.push({
      name: method.name,
      points: run.curve.map((c) => [Math.max(c.seconds, 1e-3), c.exact / start] as [number, number]),
    });
    const [noisy] = noiseRobustness(blobs, run.result, shape, [EPSILON], scale.draws, seed);
    rows.push([
      image,
      method.name,
      run.steps,
      round(run.seconds, 1),
      `${round(100 * (1 - run.curve[run.curve.length - 1].exact / start), 1)} %`,
      ...REMOVED.map((fraction) => secondsToRemove(run, fraction)),
      round(noisy.mean, 0),
      scale.walker ? walkerComponents(run.result, shape) : '—',
      PAPER_SPEED[`${image}, ${method.name}`] ?? '—',
    ]);
  }
  const figure = {
    caption: `${image}: fraction of the starting exact loss left against time`,
    svg: lineChart({
      title: `${image}: exact loss left`,
      xLabel: 'seconds',
      yLabel: 'exact Φ / starting Φ',
      series,
      yRange: [0, 1.05],
    }),
    file: `speed-${fileSlug(image)}.svg`,
  };
  return { rows, figure };
}

/** The speed comparison's section, from its images' parts. */
export function speedSection(parts: readonly SpeedPart[], scale: SpeedScale): ReportSection {
  return {
    id: 'speed',
    title: 'Speed (Figure III.2)',
    text:
      `Each method runs for ${scale.speedSeconds} s of optimization time; the exact full-resolution loss (Σ lifetime of H0 bars longer than 50) ` +
      "is evaluated on a geometric schedule outside the timed steps, the same yardstick for every method (the reference code plotted STUMP's " +
      'stochastic surrogate instead), so the seconds to remove a fraction are those of the first checkpoint past it (checkpoints 15 % apart). ' +
      'The schedule runs STUMP until the exact objective stops falling (less than 1 % lower than 500 steps before), then exact steps. ' +
      `Robustness of the optimum: the noise test's mean Σ lifetime > 50 under U[−${EPSILON}, ${EPSILON}] noise (${scale.draws} draws), and ` +
      `the random walker's components (markers at q = ${WALKER_Q}). The paper: STUMP removes ~90 % of the blobs loss within 4 min, vanilla ~25 % in 10 min.`,
    figures: parts.map((part) => part.figure),
    table: {
      headers: [
        'image',
        'method',
        'steps',
        'seconds',
        'loss removed',
        ...REMOVED.map((fraction) => `seconds to remove ${100 * fraction} %`),
        `noise test (ε = ${EPSILON})`,
        'random-walker components',
        'paper (Figure III.4, read off the plot)',
      ],
      rows: parts.flatMap((part) => part.rows),
    },
  };
}

/** Seconds at the first checkpoint where at least `fraction` of the starting exact loss is gone. */
function secondsToRemove(run: RunResult, fraction: number): number | string {
  const start = run.curve[0].exact;
  const hit = run.curve.find((c) => c.exact <= (1 - fraction) * start);
  return hit ? round(hit.seconds, 2) : 'not reached';
}

/** Components of the random walker's segmentation of an optimum (the paper's robustness test). */
function walkerComponents(values: Float32Array, shape: [number, number]): number {
  const unit = toUnitScale(values);
  return connectedComponents(randomWalkerSegmentation(unit, shape, quantileMarkers(unit, WALKER_Q)), shape).count;
}
