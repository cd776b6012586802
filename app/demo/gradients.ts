import * as tf from '@tensorflow/tfjs-core';
import { GradientDiagnostics, gradientGram, GradientGram, GradientRecord, optimize } from 'tfjs-topo';
import { Method, stump, vanilla } from './experiments';
import { heatmapPng } from './images';
import { loadPaperImage, PAPER_EXPERIMENTS, paperFunctional } from './paper';
import { lineChart, LineSeries } from './plots';
import { fileSlug, formatCell, ReportFigure, ReportSection, round } from './report';

/** The sizes of the gradient-diagnostics part. */
export interface GradientScale {
  /** Adam steps per method, each recorded. */
  gradientSteps: number;
  /** Random draws of the gradient at the input for Figure II.4 (the paper: 100). */
  gramDraws: number;
}

/** Gradients kept from the start of each run for the step-to-step Gram matrix. */
const KEPT_STEPS = 100;
/** Finite-difference checks per run (evenly spaced, the first at step 1). */
const CHECKS = 15;

/** One method's diagnosed run. */
interface Diagnosed {
  method: Method;
  records: GradientRecord[];
  /** Cosines between the gradients of the first steps (their Gram matrix, normalized). */
  steps: GradientGram;
  /** Figure II.4: the Gram matrix of random draws of the gradient at the input. */
  draws: GradientGram;
  /** What the draws were: the method's smear, or for vanilla noise alone (gradient sampling). */
  drawsLabel: string;
  seconds: number;
}

/**
 * Gradient diagnostics on the paper's blobs experiment, vanilla against STUMP: per step the
 * fraction of pixels the gradient touches, the pairs whose critical cells changed, the gradient's
 * norm and finite-difference checks; the Gram matrix of the first steps' gradients; and the
 * paper's Figure II.4, the Gram matrix of random draws of the gradient at the input with the
 * weights c_i of the robust average.
 */
export async function gradientSection(
  scale: GradientScale,
  seed: number,
  log: (line: string) => void,
): Promise<ReportSection> {
  const blobs = PAPER_EXPERIMENTS.find((e) => e.name === 'blobs')!;
  const { values, shape } = loadPaperImage(blobs);
  const x0 = tf.tensor(values, shape);
  const steps = scale.gradientSteps;
  const every = Math.max(1, Math.ceil(steps / CHECKS));
  const runs: Diagnosed[] = [];
  try {
    for (const method of [vanilla(), stump(blobs)]) {
      const t0 = performance.now();
      log(`[gradients] ${method.name}: ${steps} steps, each diagnosed`);
      const term = { dims: [blobs.dim], functional: paperFunctional(blobs, method.p) };
      // The optimizer's smear and the diagnostics' draws come from different seeds: the records
      // look at the iterate without taking draws from the run.
      const smearOf = (s: number) =>
        method.smear ? { ...method.smear, measure: 'uniform-normalized' as const, seed: s } : undefined;
      const diagnostics = new GradientDiagnostics({
        term,
        smear: smearOf(seed + 1),
        finiteDifference: { every },
        keepGradients: Math.min(KEPT_STEPS, steps),
      });
      const { result } = await optimize(x0, { steps, ...term, smear: smearOf(seed), onStep: diagnostics.onStep });
      result.dispose();
      const trajectory = diagnostics.gram();
      diagnostics.dispose();
      log(`[gradients] ${method.name}: Figure II.4, ${scale.gramDraws} draws at the input`);
      // Vanilla's draws: the gradient at points x + U[−ε, ε] (gradient sampling, no pooling).
      const drawSmear = method.smear
        ? smearOf(seed + 2)!
        : { block: 1, noise: blobs.noise, measure: 'uniform-normalized' as const, seed: seed + 2 };
      const draws = gradientGram(x0, { term, smear: drawSmear, draws: scale.gramDraws });
      runs.push({
        method,
        records: diagnostics.records,
        steps: trajectory,
        draws,
        drawsLabel: method.smear
          ? `${blobs.block}×${blobs.block} blocks, noise ${blobs.noise}`
          : `noise ${blobs.noise}, no pooling`,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  } finally {
    x0.dispose();
  }
  return {
    id: 'gradients',
    title: 'Gradient diagnostics (Figure II.4)',
    text: [intro(steps, every, values.length, scale.gramDraws), reading(runs, values.length)].join('\n\n'),
    figures: figures(runs),
    table: {
      headers: [
        'method',
        'steps',
        'pixels touched / step',
        'active pairs',
        'pairs changed / step',
        'steps with a change',
        'median ‖g‖',
        'FD checks agreeing',
        'median FD rel. error',
        'cos(g_t, g_t+1)',
        'Fig. II.4 draws',
        'mean |cos| of draws',
        'c_i range (1/m)',
        '‖mean‖ / ‖min-norm‖',
        'seconds',
      ],
      rows: runs.map((run) => {
        const s = stats(run);
        return [
          run.method.name,
          run.records.length,
          round(s.touched, 1),
          round(s.active, 1),
          round(s.changed, 2),
          `${round(100 * s.changedSteps, 0)} %`,
          round(s.medianNorm, 3),
          `${s.agreeing} / ${s.checks}`,
          s.medianError,
          s.successive,
          run.drawsLabel,
          round(run.draws.meanAbsCosine, 3),
          `${round(s.weightRange[0], 4)}–${round(s.weightRange[1], 4)} (${round(1 / run.draws.size, 4)})`,
          round(run.draws.meanNorm / run.draws.minNorm, 3),
          round(run.seconds, 1),
        ];
      }),
    },
  };
}

/** The numbers the table and the reading share. */
function stats(run: Diagnosed) {
  const { records } = run;
  const mean = (of: (r: GradientRecord) => number) => {
    const v = records.map(of).filter(Number.isFinite);
    return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  const compared = records.slice(1);
  const checks = records.flatMap((r) => (r.finiteDifference ? [r.finiteDifference] : []));
  const m = run.steps.size;
  let successive = 0;
  for (let t = 0; t + 1 < m; t++) successive += run.steps.cosine[t * m + t + 1];
  const weights = Array.from(run.draws.weights);
  return {
    touched: mean((r) => r.touched),
    touchedFraction: mean((r) => r.touchedFraction),
    active: mean((r) => r.activePairs),
    changed: mean((r) => r.pairsChanged),
    changedSteps: compared.length > 0 ? compared.filter((r) => r.pairsChanged > 0).length / compared.length : NaN,
    medianNorm: median(records.map((r) => r.norm)),
    checks: checks.length,
    agreeing: checks.filter((c) => c.ok).length,
    medianError: median(checks.map((c) => c.relativeError)),
    epsilon: checks[0]?.epsilon ?? NaN,
    successive: m > 1 ? successive / (m - 1) : NaN,
    weightRange: [Math.min(...weights), Math.max(...weights)] as [number, number],
  };
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function intro(steps: number, every: number, size: number, draws: number): string {
  return (
    'The paper argues that gradients through a persistence diagram are unstable: each lands on a few critical pixels, ' +
    'and which pixels those are changes as the image moves. `GradientDiagnostics` measures this at every step of the blobs ' +
    `experiment (${size.toLocaleString('en-US')} pixels, ${steps} Adam steps per method, each method with its own Φ as in the runs above): ` +
    "the pixels the term's gradient touches; the pairs of the full-resolution diagram the functional acts on, and how many of " +
    "them changed their critical cells (birth, death) since the previous step; the gradient's norm; and, every " +
    `${every} steps, a finite-difference check of the term along a random direction (every pixel moved by ±h, h = 10⁻⁴ of the ` +
    "image's largest value), exact up to float32 rounding where no critical cell changes within ±h. STUMP's numbers are those of one fresh " +
    'random draw at each iterate, not the draws of the run. The Gram matrices: cosines between the gradients of the first ' +
    `steps, and the paper's Figure II.4 — inner products ⟨g_i, g_j⟩ of ${draws} random draws of the gradient at the input ` +
    '(STUMP: noise and pooling; vanilla: the same noise without pooling, the gradient sampling of Section II.C) with the ' +
    'weights c_i = ‖g_i‖⁻² / Σ_j ‖g_j‖⁻², the minimum-norm convex combination were the draws orthogonal.'
  );
}

/** The one-paragraph reading, from the measured numbers only. */
function reading(runs: Diagnosed[], size: number): string {
  const [v, s] = runs.map(stats);
  const [vr, sr] = runs;
  const n = (x: number, digits = 2) => (Number.isFinite(x) ? String(round(x, digits)) : '—');
  const pct = (x: number, digits = 2) => (Number.isFinite(x) ? `${round(100 * x, digits)} %` : '—');
  const times = (a: number, b: number) =>
    Number.isFinite(a / b) && b > 0 ? `${n(a / b, 1)}× as many as vanilla` : 'no comparison';
  const more = (a: number, b: number, high: string, low: string) => (a > b ? high : a < b ? low : 'as');
  const fd = (x: ReturnType<typeof stats>) => `${x.agreeing} of ${x.checks}`;
  const sentences = [
    `A vanilla gradient touched ${n(v.touched, 1)} of the ${size.toLocaleString('en-US')} pixels per step (${pct(v.touchedFraction, 3)}), ` +
      `STUMP's ${n(s.touched, 1)} (${pct(s.touchedFraction, 3)}, ${times(s.touched, v.touched)}): pooling spreads each push over its block.`,
    `Of the ${n(v.active, 1)} (vanilla) and ${n(s.active, 1)} (STUMP) pairs the functional acted on, ${n(v.changed)} per step changed ` +
      `their critical cells along the vanilla run (at ${pct(v.changedSteps, 0)} of the steps) against ${n(s.changed)} along STUMP's ` +
      `(${pct(s.changedSteps, 0)}): the full-resolution pairing changed ${more(v.changed, s.changed, 'more', 'less')} often along the vanilla run.`,
    `Successive gradients had a mean cosine of ${n(v.successive)} (vanilla) and ${n(s.successive)} (STUMP)` +
      (s.successive < v.successive
        ? ": STUMP's raw gradients, each one random draw, agree less from step to step; Adam's momentum averages them, the paper's design."
        : '.'),
    `The finite-difference check agreed with the gradient in ${fd(v)} vanilla checks (median relative error ${n(v.medianError, 3)}) ` +
      `and ${fd(s)} STUMP checks (${n(s.medianError, 3)}), at h = ${n(v.epsilon, 4)}.` +
      (v.checks > 0 && v.agreeing < v.checks
        ? ' Where the critical cells and the pairs selected stay the same, the term is a polynomial of degree p ≤ 2 along the ' +
          'segment x ± h·v, which central differences reproduce exactly; so each vanilla disagreement beyond float32 rounding ' +
          'means that moving every pixel by ±h changed a critical cell (or moved a pair across the lifetime threshold): at ' +
          "that scale the vanilla gradient does not predict the term's change."
        : ''),
    `At the input, the ${sr.draws.size} STUMP draws of Figure II.4 had a mean |cosine| of ${n(sr.draws.meanAbsCosine, 3)} off the diagonal ` +
      `and weights c_i from ${n(s.weightRange[0], 4)} to ${n(s.weightRange[1], 4)} around 1/m = ${n(1 / sr.draws.size, 4)} ` +
      `(the paper: "somewhat diagonal", c_i "very tightly around 0.01"); the plain average's norm was ` +
      `${n(sr.draws.meanNorm / sr.draws.minNorm, 3)}× that of the minimum-norm element of their hull. Gradient sampling ` +
      `without pooling gave a mean |cosine| of ${n(vr.draws.meanAbsCosine, 3)} and c_i from ${n(v.weightRange[0], 4)} to ` +
      `${n(v.weightRange[1], 4)} (ratio of norms ${n(vr.draws.meanNorm / vr.draws.minNorm, 3)}).`,
    "Vanilla's and STUMP's norms are not comparable as numbers: vanilla's Φ squares the lifetimes (p = 2), STUMP's does not.",
  ];
  return sentences.join(' ');
}

function figures(runs: Diagnosed[]): ReportFigure[] {
  const perStep = (of: (r: GradientRecord) => number) =>
    runs.map((run): LineSeries => ({
      name: run.method.name,
      points: run.records.map((r) => [r.step, of(r)] as [number, number]),
    }));
  const out: ReportFigure[] = [
    {
      caption: 'fraction of pixels with a nonzero gradient, per step',
      svg: lineChart({
        title: 'pixels touched per step',
        xLabel: 'step',
        yLabel: 'fraction of pixels',
        series: perStep((r) => r.touchedFraction),
        logY: true,
      }),
      file: 'gradients-touched.svg',
    },
    {
      caption: 'active pairs (dashed) and those whose critical cells changed since the previous step (solid)',
      svg: lineChart({
        title: 'pairs changed per step',
        xLabel: 'step',
        yLabel: 'pairs',
        series: runs.flatMap((run, k): LineSeries[] => [
          {
            name: `${run.method.name}: changed`,
            points: run.records.map((r) => [r.step, r.pairsChanged] as [number, number]),
            color: COLOURS[k],
          },
          {
            name: `${run.method.name}: active`,
            points: run.records.map((r) => [r.step, r.activePairs] as [number, number]),
            color: COLOURS[k],
            dashed: true,
          },
        ]),
      }),
      file: 'gradients-pairs.svg',
    },
    {
      caption: "L2 norm of the term's gradient, per step (vanilla: p = 2; STUMP: p = 1)",
      svg: lineChart({
        title: 'gradient norm',
        xLabel: 'step',
        yLabel: '‖g‖',
        series: perStep((r) => r.norm),
        logY: true,
      }),
      file: 'gradients-norm.svg',
    },
  ];
  for (const run of runs) {
    const m = run.steps.size;
    out.push({
      caption:
        `${run.method.name}: cosines between the gradients of steps 1–${m} (blue −1, white 0, red +1); ` +
        `mean |cos| off the diagonal ${round(run.steps.meanAbsCosine, 3)}`,
      png: heatmapPng(run.steps.cosine, [m, m], { colormap: 'diverging', range: [-1, 1] }),
      file: `gradients-steps-${fileSlug(run.method.name)}.png`,
    });
  }
  for (const run of runs) {
    const m = run.draws.size;
    let reach = 0;
    for (const g of run.draws.gram) if (Number.isFinite(g)) reach = Math.max(reach, Math.abs(g));
    out.push({
      caption:
        `Figure II.4, ${run.method.name} (${run.drawsLabel}): ⟨g_i, g_j⟩ of ${m} draws at the input ` +
        `(blue −${formatCell(reach)}, white 0, red +${formatCell(reach)})`,
      png: heatmapPng(run.draws.gram, [m, m], { colormap: 'diverging', range: [-reach || -1, reach || 1] }),
      file: `gradients-gram-${fileSlug(run.method.name)}.png`,
    });
  }
  const m = runs[0].draws.size;
  const weightsChart = (title: string, of: (g: GradientGram) => Float64Array) =>
    lineChart({
      title,
      xLabel: 'draw i',
      yLabel: 'weight',
      series: [
        ...runs.map((run, k): LineSeries => ({
          name: `${run.method.name} (${run.drawsLabel})`,
          points: Array.from(of(run.draws), (w, i) => [i + 1, w] as [number, number]),
          color: COLOURS[k],
        })),
        {
          name: '1/m',
          points: [
            [1, 1 / m],
            [m, 1 / m],
          ],
          color: '#888888',
          dashed: true,
        },
      ],
    });
  out.push(
    {
      caption: 'Figure II.4, right: the weights c_i = ‖g_i‖⁻² / Σ_j ‖g_j‖⁻² of the draws, and 1/m (grey)',
      svg: weightsChart('c_i of the draws', (g) => g.weights),
      file: 'gradients-weights.svg',
    },
    {
      caption:
        'The exact minimum-norm convex combination of the same draws (no orthogonality assumed): its weights, and 1/m (grey)',
      svg: weightsChart('minimum-norm weights of the draws', (g) => g.minNormWeights),
      file: 'gradients-min-norm-weights.svg',
    },
  );
  return out;
}

const COLOURS = ['#0072B2', '#D55E00'];
