import * as tf from '@tensorflow/tfjs-core';
import { bettiLoss, PointSubsample, ripsDiagrams, ripsPersistence, smearedPointCloudTerm } from 'tfjs-topo';
import { mulberry32 } from './random';
import { adamLoop, AdamLoopResult } from './adam-loop';
import { diagramPlot, lineChart, pointsPlot } from './plots';
import { ReportSection, round } from './report';

/** Settings of the point-cloud experiment (paper, Section IV.B): one dominant loop, no spurious ones. */
export const CLOUD = {
  /** Points on the noisy circle, and uniform clutter points in the square around it. */
  circle: 240,
  clutter: 60,
  /** Radial noise of the circle points: radius 1 + U[−0.25, 0.25]. */
  radialNoise: 0.25,
  /** The kept loop is pushed to this lifetime; every other H1 class to 0. */
  lifetime: 1.5,
  learningRate: 0.01,
  /** STUMP: approximates of `size` points, `samples` per step, jitter U[−jitter, jitter]. */
  size: 100,
  samples: 2,
  jitter: 0.02,
};

/** A seeded 2-D cloud: a noisy circle of radius 1 and uniform clutter in [−1.5, 1.5]², flat [x, y, x, y, …]. */
export function noisyLoopCloud(seed: number): Float32Array {
  const random = mulberry32(seed);
  const n = CLOUD.circle + CLOUD.clutter;
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (i < CLOUD.circle) {
      const angle = 2 * Math.PI * random();
      const radius = 1 + CLOUD.radialNoise * (2 * random() - 1);
      points.set([radius * Math.cos(angle), radius * Math.sin(angle)], 2 * i);
    } else points.set([3 * random() - 1.5, 3 * random() - 1.5], 2 * i);
  }
  return points;
}

/** The yardstick on the whole cloud: Σ (L − ℓ)² for the longest H1 bar plus Σ ℓ² over the others (the Betti loss of the runs). */
export function loopLoss(points: Float32Array): number {
  const [, h1] = ripsPersistence(points, 2, { maxDim: 1 });
  const lifetimes = Array.from(h1.deaths, (d, i) => d - h1.births[i]).sort((a, b) => b - a);
  return lifetimes.reduce((sum, l, i) => sum + (i === 0 ? (CLOUD.lifetime - l) ** 2 : l * l), 0);
}

export interface CloudRun extends AdamLoopResult {
  method: string;
}

/** Vanilla (the whole cloud's diagram every step) and STUMP (random subsets with jitter), the same Betti loss. */
export async function shapeCloud(
  cloud: Float32Array,
  steps: number,
  seed: number,
  progress: (method: string) => (step: number, seconds: number) => void,
): Promise<CloudRun[]> {
  const n = cloud.length / 2;
  const functional = { dim: 1, betti: 1, lifetime: CLOUD.lifetime };
  const subsample = new PointSubsample({ size: CLOUD.size, jitter: CLOUD.jitter, seed });
  const methods: [string, (x: tf.Variable) => tf.Scalar][] = [
    ['vanilla', (x) => bettiLoss(ripsDiagrams(x, { maxDim: 1 }), functional)],
    [
      `STUMP (${CLOUD.samples} × ${CLOUD.size} points)`,
      (x) =>
        smearedPointCloudTerm(x, { maxDim: 1, functional: { kind: 'betti', ...functional } }, subsample, CLOUD.samples),
    ],
  ];
  const runs: CloudRun[] = [];
  for (const [method, loss] of methods)
    runs.push({
      method,
      ...(await adamLoop(cloud, [n, 2], loss, {
        steps,
        learningRate: CLOUD.learningRate,
        exact: loopLoss,
        progress: progress(method),
      })),
    });
  return runs;
}

/** The report section: the cloud before and after, H1 diagrams, and the exact loss against time. */
export async function pointCloudSection(
  steps: number,
  seed: number,
  log: (line: string) => void,
  progress: (label: string, total: number) => (step: number, seconds: number) => void,
): Promise<ReportSection> {
  const cloud = noisyLoopCloud(seed);
  const n = cloud.length / 2;
  log(`[points] ${n} points: ${steps} steps per method`);
  const runs = await shapeCloud(cloud, steps, seed, (method) => progress(`[points] ${method}`, steps));
  const h1 = (points: Float32Array): [number, number][] => {
    const [, d] = ripsPersistence(points, 2, { maxDim: 1 });
    return Array.from(d.births, (b, i) => [b, d.deaths[i]] as [number, number]);
  };
  const loops = (points: Float32Array, above: number) => h1(points).filter(([b, d]) => d - b > above).length;
  const range: [number, number] = [-1.8, 1.8];
  return {
    id: 'points',
    title: 'Point clouds: one dominant loop (Section IV.B)',
    text:
      `A seeded cloud of ${n} points: ${CLOUD.circle} on a circle of radius 1 with radial noise ±${CLOUD.radialNoise}, ${CLOUD.clutter} uniform in [−1.5, 1.5]². ` +
      `Loss: the Betti-number prior on Rips H1 — the longest loop pushed to lifetime ${CLOUD.lifetime}, every other loop to 0 — Adam with learning rate ` +
      `${CLOUD.learningRate}, ${steps} steps. Vanilla computes the whole cloud's diagram every step; STUMP averages ${CLOUD.samples} approximates ` +
      `of ${CLOUD.size} random points jittered by ±${CLOUD.jitter}. The exact loss is the prior on the whole cloud, evaluated outside the timed steps.`,
    figures: [
      {
        caption: `input: ${loops(cloud, 0.1)} loops longer than 0.1`,
        svg: pointsPlot({ title: 'input', points: cloud, range }),
        file: 'points-input.svg',
      },
      ...runs.map((r) => ({
        caption: `${r.method}: ${loops(r.result, 0.1)} loops longer than 0.1`,
        svg: pointsPlot({ title: r.method, points: r.result, range }),
        file: `points-${r.method.split(' ')[0].toLowerCase()}.svg`,
      })),
      {
        caption: 'Rips H1 diagrams before and after',
        svg: diagramPlot({
          title: 'H1 before and after',
          diagrams: [
            { name: 'input', points: h1(cloud) },
            ...runs.map((r) => ({ name: r.method, points: h1(r.result) })),
          ],
        }),
        file: 'points-diagrams.svg',
      },
      {
        caption: 'exact loss against optimization time',
        svg: lineChart({
          title: 'point cloud: exact loss',
          xLabel: 'seconds',
          yLabel: 'exact loss',
          series: runs.map((r) => ({
            name: r.method,
            points: r.curve.map((c) => [c.seconds, c.exact] as [number, number]),
          })),
        }),
        file: 'points-loss.svg',
      },
    ],
    table: {
      headers: ['method', 'steps', 'seconds', 'ms/step', 'exact loss before', 'after', 'loops > 0.1 after'],
      rows: runs.map((r) => [
        r.method,
        r.steps,
        round(r.seconds, 2),
        round((1000 * r.seconds) / r.steps, 1),
        round(r.curve[0].exact, 3),
        round(r.curve[r.curve.length - 1].exact, 3),
        loops(r.result, 0.1),
      ]),
    },
  };
}
