import { Canvas, drawStroke, Stroke } from './canvas.js';
import { Draws } from './random.js';

// Local aliases: the hot loops avoid looking up globals, which is slow in sandboxed contexts (jest's vm).
const { floor, ceil, min, max, sqrt, cos, sin, atan2, hypot, abs, PI } = Math;

/** What shapes a vessel tree (resolved options; see `SegmentationOptions`). */
export interface VesselParams {
  widths: [number, number];
  trees: [number, number];
  branches: [number, number];
  loopProbability: number;
  tortuosity: number;
  gapDensity: number;
  gapLength: [number, number];
}

const STEP = 0.5; // pixels between the samples of a curve: consecutive stamps stay 8-connected
const DEG = PI / 180;

/**
 * Curvilinear branching structures: `trees` random trees, each a root curve entering from the
 * image border and `branches` side branches leaving earlier curves at 25–65°, thinner than their
 * parent; with probability `loopProbability` a tree also gets a bridge (a smooth Bézier curve)
 * between two of its curves, closing a loop. Curves are smooth random walks of the heading whose
 * curvature is an Ornstein–Uhlenbeck process (`tortuosity` scales it; 0 draws straight lines).
 */
export function drawVessels(height: number, width: number, params: VesselParams, draws: Draws): Canvas {
  const canvas = new Canvas(height, width);
  const scale = sqrt(height * width);
  const strokes: Stroke[] = [];
  const [wMin, wMax] = params.widths;
  const treeCount = draws.int(params.trees[0], params.trees[1]);
  for (let t = 0; t < treeCount; t++) {
    const tree: Stroke[] = [];
    // The root enters from a random point of the border, heading to a point of the central region.
    const [x0, y0] = borderPoint(height, width, draws);
    const tx = draws.range(0.25, 0.75) * (width - 1);
    const ty = draws.range(0.25, 0.75) * (height - 1);
    const rootWidth = draws.range((wMin + wMax) / 2, wMax);
    const root = trace(x0, y0, atan2(ty - y0, tx - x0), draws.range(0.6, 1.2) * scale, rootWidth);
    if (root.xs.length > 1) tree.push(root);
    const branchCount = draws.int(params.branches[0], params.branches[1]);
    for (let b = 0; b < branchCount && tree.length > 0; b++) {
      const parent = pickByLength(tree, draws);
      const n = parent.xs.length;
      const i = min(n - 2, floor(draws.range(0.15, 0.85) * n));
      const heading = atan2(parent.ys[i + 1] - parent.ys[i], parent.xs[i + 1] - parent.xs[i]);
      const angle = heading + draws.sign() * draws.range(25, 65) * DEG;
      const w = max(wMin, parent.width * draws.range(0.55, 0.9));
      const branch = trace(parent.xs[i], parent.ys[i], angle, draws.range(0.2, 0.5) * scale, w);
      if (branch.xs.length > 1) tree.push(branch);
    }
    if (tree.length > 0 && draws.uniform() < params.loopProbability) {
      const bridge = bridgeOf(tree, scale, draws.range(wMin, (wMin + wMax) / 2), draws);
      if (bridge) tree.push(bridge);
    }
    strokes.push(...tree);
  }
  const gaps = placeGaps(strokes, params, draws);
  strokes.forEach((s, i) => drawStroke(canvas, s, gaps[i]));
  return canvas;

  function trace(x: number, y: number, heading: number, length: number, w: number): Stroke {
    const xs: number[] = [];
    const ys: number[] = [];
    const kappaStd = params.tortuosity / (0.3 * scale); // typical radius of curvature: 0.3 × size
    const decay = STEP / (0.2 * scale); // curvature correlation length: 0.2 × size
    const sigma = kappaStd * sqrt(2 * decay);
    let kappa = kappaStd * draws.normal();
    const n = ceil(length / STEP);
    for (let i = 0; i <= n; i++) {
      if (x < -1 || y < -1 || x > width || y > height) break;
      xs.push(x);
      ys.push(y);
      kappa = kappa * (1 - decay) + sigma * draws.normal();
      heading += kappa * STEP;
      x += STEP * cos(heading);
      y += STEP * sin(heading);
    }
    return { xs, ys, width: w };
  }
}

/** A point on the image border (pixel centres), uniform along its length. */
function borderPoint(height: number, width: number, draws: Draws): [number, number] {
  const w = width - 1;
  const h = height - 1;
  const u = draws.range(0, 2 * (w + h));
  if (u < w) return [u, 0];
  if (u < 2 * w) return [u - w, h];
  if (u < 2 * w + h) return [0, u - 2 * w];
  return [w, u - 2 * w - h];
}

/** One of `strokes`, with odds proportional to its length. */
function pickByLength(strokes: readonly Stroke[], draws: Draws): Stroke {
  const total = strokes.reduce((a, s) => a + s.xs.length, 0);
  let u = draws.range(0, total);
  for (const s of strokes) {
    u -= s.xs.length;
    if (u < 0) return s;
  }
  return strokes[strokes.length - 1];
}

/**
 * A quadratic Bézier curve joining two points of a tree 0.1–0.5 × size apart (on two curves, or
 * far apart along one), bowed sideways by up to 0.4 × their distance; undefined when 30 tries find
 * no such pair.
 */
function bridgeOf(tree: readonly Stroke[], scale: number, w: number, draws: Draws): Stroke | undefined {
  for (let attempt = 0; attempt < 30; attempt++) {
    const a = pickByLength(tree, draws);
    const b = pickByLength(tree, draws);
    const i = draws.int(0, a.xs.length - 1);
    const j = draws.int(0, b.xs.length - 1);
    const [x0, y0, x2, y2] = [a.xs[i], a.ys[i], b.xs[j], b.ys[j]];
    const d = hypot(x2 - x0, y2 - y0);
    if (d < 0.1 * scale || d > 0.5 * scale) continue;
    if (a === b && abs(i - j) * STEP < 2 * d) continue;
    const bow = draws.range(-0.4, 0.4);
    const x1 = (x0 + x2) / 2 - bow * (y2 - y0);
    const y1 = (y0 + y2) / 2 + bow * (x2 - x0);
    const segments = ceil((hypot(x1 - x0, y1 - y0) + hypot(x2 - x1, y2 - y1)) / STEP) + 1;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k <= segments; k++) {
      const t = k / segments;
      const a = (1 - t) * (1 - t);
      const b = 2 * t * (1 - t);
      const c = t * t;
      xs.push(a * x0 + b * x1 + c * x2);
      ys.push(a * y0 + b * y1 + c * y2);
    }
    return { xs, ys, width: w };
  }
  return undefined;
}

/**
 * Gaps in the image along the strokes: on average `gapDensity` per 100 px of curve, each a stretch
 * of `gapLength` px inside the middle of a curve at least three gap lengths long.
 */
function placeGaps(strokes: readonly Stroke[], params: VesselParams, draws: Draws): (Uint8Array | undefined)[] {
  const gaps: (Uint8Array | undefined)[] = strokes.map(() => undefined);
  if (params.gapDensity === 0 || strokes.length === 0) return gaps;
  const total = strokes.reduce((a, s) => a + (s.xs.length - 1) * STEP, 0);
  const count = draws.count((params.gapDensity * total) / 100);
  for (let g = 0; g < count; g++) {
    const length = draws.between(params.gapLength);
    const samples = ceil(length / STEP);
    const eligible = strokes.filter((s) => s.xs.length >= 3 * samples);
    if (eligible.length === 0) break;
    const s = pickByLength(eligible, draws);
    const k = strokes.indexOf(s);
    const gap = (gaps[k] ??= new Uint8Array(s.xs.length));
    const start = floor(draws.range(samples, s.xs.length - 2 * samples));
    gap.fill(1, start, start + samples);
  }
  return gaps;
}
