import { Canvas } from './canvas.js';
import { valueNoise } from './fields.js';
import { Draws, hash32 } from './random.js';

// Local aliases: the hot loops avoid looking up globals, which is slow in sandboxed contexts (jest's vm).
const { floor, ceil, min, max, hypot, imul } = Math;
const INFINITY = Number.POSITIVE_INFINITY;

/** What shapes a membrane tessellation (resolved options; see `SegmentationOptions`). */
export interface MembraneParams {
  cellSize: number;
  widths: [number, number];
  irregularity: number;
  gapDensity: number;
  gapLength: [number, number];
}

/** A drawn tessellation: the canvas, and a shade in [−1, 1] per pixel (one per cell) for the background. */
export interface Membranes {
  canvas: Canvas;
  shade: Float32Array;
}

/**
 * Cell membranes: the boundaries of a Voronoi tessellation whose seeds sit one per square of a
 * `cellSize` grid (anywhere in it), computed on coordinates warped by a smooth
 * random displacement of up to `irregularity` × cellSize so that the membranes bend.
 *
 * A pixel is membrane when it lies within w/2 of the bisector of its two nearest seeds (w drawn
 * from `widths` for each pair of cells), or when its right or lower neighbour belongs to another
 * cell. The second rule closes every membrane: no two edge-adjacent non-membrane pixels lie in
 * different cells, so each cell off the border is a hole of the mask.
 *
 * Gaps (on average `gapDensity` per 100 px of membrane, each `gapLength` px long) set the image
 * intensity of a stretch of one membrane to 0, away from the junctions; the mask keeps it.
 */
export function drawMembranes(height: number, width: number, params: MembraneParams, draws: Draws): Membranes {
  const s = params.cellSize;
  const gw = ceil(width / s) + 4;
  const gh = ceil(height / s) + 4;
  const seeds = gw * gh;
  const sx = new Float64Array(seeds);
  const sy = new Float64Array(seeds);
  for (let j = 0; j < gh; j++)
    for (let i = 0; i < gw; i++) {
      sx[j * gw + i] = (i - 2 + draws.uniform()) * s;
      sy[j * gw + i] = (j - 2 + draws.uniform()) * s;
    }
  const n = height * width;
  const amplitude = params.irregularity * s;
  const warpX = valueNoise(height, width, 1.5 * s, draws, amplitude);
  const warpY = valueNoise(height, width, 1.5 * s, draws, amplitude);
  const salt = hash32(floor(draws.uniform() * 4294967296));
  const [wMin, wMax] = params.widths;
  const pairWidth = (a: number, b: number): number =>
    wMin + (wMax - wMin) * (hash32((salt ^ imul(min(a, b), 0x9e3779b9) ^ max(a, b)) >>> 0) / 4294967296);

  // Nearest and second-nearest seed of every pixel, among the 5 × 5 grid squares around it.
  const label = new Int32Array(n);
  const next = new Int32Array(n);
  const canvas = new Canvas(height, width);
  const mask = canvas.mask;
  // The nearest and second-nearest seeds to (u, v), into nearest and second.
  let nearest = -1;
  let second = -1;
  const near = (u: number, v: number): void => {
    const gi = min(gw - 3, max(2, floor(u / s) + 2));
    const gj = min(gh - 3, max(2, floor(v / s) + 2));
    nearest = -1;
    second = -1;
    let d1 = INFINITY;
    let d2 = INFINITY;
    for (let j = gj - 2; j <= gj + 2; j++)
      for (let i = gi - 2; i <= gi + 2; i++) {
        const k = j * gw + i;
        const dx = sx[k] - u;
        const dy = sy[k] - v;
        const d = dx * dx + dy * dy;
        if (d < d1) {
          second = nearest;
          d2 = d1;
          nearest = k;
          d1 = d;
        } else if (d < d2) {
          second = k;
          d2 = d;
        }
      }
  };
  // The distance from (u, v) to the bisector of seeds a and b, for a point nearer to a.
  const bisector = (u: number, v: number, a: number, b: number): number =>
    ((sx[b] - u) ** 2 + (sy[b] - v) ** 2 - (sx[a] - u) ** 2 - (sy[a] - v) ** 2) /
    (2 * hypot(sx[a] - sx[b], sy[a] - sy[b]));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const u = x + warpX[p];
      const v = y + warpY[p];
      near(u, v);
      label[p] = nearest;
      next[p] = second;
      if (bisector(u, v, nearest, second) <= pairWidth(nearest, second) / 2) mask[p] = 1;
    }
  }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if ((x + 1 < width && label[p + 1] !== label[p]) || (y + 1 < height && label[p + width] !== label[p]))
        mask[p] = 1;
    }

  let membrane = 0;
  for (let p = 0; p < n; p++)
    if (mask[p]) {
      canvas.intensity[p] = 1;
      membrane++;
    }

  // Gaps: a disc of intensity 0 around a membrane pixel whose distance to every other membrane (a
  // lower bound: to the bisectors of its two cells with any third) exceeds the disc's radius plus
  // the widest membrane and a pixel, so the disc cuts its own membrane only, away from junctions.
  const count = draws.count((params.gapDensity * membrane) / ((wMin + wMax) / 2) / 100);
  const pixels: number[] = [];
  if (count > 0) for (let p = 0; p < n; p++) if (mask[p]) pixels.push(p);
  for (let g = 0; g < count && pixels.length > 0; g++) {
    const r = draws.between(params.gapLength) / 2;
    for (let attempt = 0; attempt < 30; attempt++) {
      const c = pixels[draws.int(0, pixels.length - 1)];
      const u = (c % width) + warpX[c];
      const v = floor(c / width) + warpY[c];
      const a = label[c];
      const b = next[c];
      let clearance = INFINITY;
      const gi = min(gw - 3, max(2, floor(u / s) + 2));
      const gj = min(gh - 3, max(2, floor(v / s) + 2));
      for (let j = gj - 2; j <= gj + 2; j++)
        for (let i = gi - 2; i <= gi + 2; i++) {
          const k = j * gw + i;
          if (k !== a && k !== b) clearance = min(clearance, bisector(u, v, a, k), bisector(u, v, b, k));
        }
      if (clearance <= r + wMax / 2 + 1) continue;
      cutDisc(canvas, c, r);
      break;
    }
  }

  const shadeOf = new Float32Array(seeds);
  for (let k = 0; k < seeds; k++) shadeOf[k] = 2 * draws.uniform() - 1;
  const shade = new Float32Array(n);
  for (let p = 0; p < n; p++) shade[p] = shadeOf[label[p]];
  return { canvas, shade };
}

/** Sets the intensity to 0 on the pixels within `r` of the centre of pixel `c`. */
function cutDisc(canvas: Canvas, c: number, r: number): void {
  const { height, width, intensity } = canvas;
  const cy = floor(c / width);
  const cx = c - cy * width;
  const reach = ceil(r);
  for (let y = max(0, cy - reach); y <= min(height - 1, cy + reach); y++)
    for (let x = max(0, cx - reach); x <= min(width - 1, cx + reach); x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) intensity[y * width + x] = 0;
}
