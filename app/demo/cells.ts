import { mulberry32 } from './random';

export interface SyntheticCellsOptions {
  /** Image edge length in pixels (square image). Default 256. */
  size?: number;
  /** Number of cells (Voronoi sites). Default 40. */
  cells?: number;
  /** Number of short breaks cut into the membranes. Default 12. */
  gaps?: number;
  /** Standard deviation of the Gaussian noise, in the [0, 1] units of the clean image (added before the blur). Default 0.15. */
  noise?: number;
  /** Standard deviation σ (pixels) of the Gaussian blur; 0 for none. Default 1.5. */
  blur?: number;
  /**
   * How much of the membrane a gap removes, in (0, 1]: the gap's pixels get the value
   * membrane + gapDepth · (interior − membrane) before blur. 1 (default) is a clean break, lower
   * values a faded membrane.
   */
  gapDepth?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}

export interface SyntheticCells {
  /** The image, row-major, float32, min–max scaled to exactly [0, 255]. */
  image: Float32Array;
  shape: [number, number];
  /** Ground-truth membranes (1) and cell interiors (0), before the gaps are cut. */
  membranes: Uint8Array;
}

/** Value of membranes and of cell interiors in the clean image, before blur, noise and scaling. */
export const MEMBRANE_VALUE = 0.2;
export const INTERIOR_VALUE = 0.8;
/** Membranes are the pixels whose centre lies within this distance of a Voronoi edge (~2 px thick). */
const MEMBRANE_HALF_WIDTH = 1;
/** Every gap clears the disk of this radius around a membrane pixel: a break ~5 px long. */
const GAP_RADIUS = 3;
/** Gaps sit this far from the image border and from Voronoi vertices (on one edge between two cells). */
const GAP_MARGIN = 6;
/** Minimum distance between two gaps. */
const GAP_SPACING = 4 * GAP_RADIUS;

/**
 * A seeded synthetic cell-membrane image in the manner of an electron-microscopy slice (a stand-in
 * for the ISBI 2012 EM slice of the paper's cells experiment, which is not shipped):
 *
 * 1. `cells` Voronoi sites drawn by best-candidate sampling (of 8 uniform candidates, the farthest
 *    from the sites so far), so cells have comparable sizes;
 * 2. membranes = pixels whose centre lies within 1 px of the bisector of its two nearest sites
 *    (~2 px thick) at 0.2, cell interiors at 0.8 (dark membranes on bright cytoplasm, as in EM);
 *    this is the returned `membranes` mask;
 * 3. `gaps` breaks: disks of radius 3 px around random membrane pixels, set to the interior value
 *    (or, with `gapDepth` < 1, to membrane + gapDepth · (interior − membrane): a faded membrane);
 *    each lies on a single edge between two cells (≥ 6 px from the border and from Voronoi
 *    vertices) and ≥ 12 px from the other gaps; if the image has too little room for all of them,
 *    fewer are cut;
 * 4. additive Gaussian noise of standard deviation `noise` (Box–Muller), in the units above;
 * 5. separable Gaussian blur of standard deviation `blur` (radius ⌈3σ⌉, borders replicated),
 *    after the noise, so the grain is spatially correlated as in EM; were i.i.d. noise of σ 0.15
 *    added after the blur, it would swamp the blurred membranes (a 2 px line keeps about half its
 *    contrast under σ = 1.5) and create hundreds of noise loops of lifetime > 70;
 * 6. min–max scaling to exactly [0, 255] (the paper's preprocessing).
 *
 * Sites, gaps and noise come from three independent streams of the seed, so with the same seed
 * the image with `gaps: 0` differs from the one with gaps only by the breaks. Deterministic for a
 * seed. In the sublevel filtration the dark membranes enter first and every closed cell is an H1
 * class born when its membrane closes and dying when its interior fills; a gap makes the loop
 * close only at near-interior values, i.e. kills its persistence — what a topological loss that
 * maximizes H1 persistence should repair.
 */
export function syntheticCells(options: SyntheticCellsOptions = {}): SyntheticCells {
  if (options == null || typeof options !== 'object')
    throw new Error(
      `options: expected an object { size?, cells?, gaps?, noise?, blur?, gapDepth?, seed? }, got ${String(options)}`,
    );
  const { size = 256, cells = 40, gaps = 12, noise = 0.15, blur = 1.5, gapDepth = 1, seed = 0 } = options;
  checkInteger(size, 'options.size', 8);
  checkInteger(cells, 'options.cells', 2);
  checkInteger(gaps, 'options.gaps', 0);
  checkNonNegative(noise, 'options.noise');
  checkNonNegative(blur, 'options.blur');
  if (typeof gapDepth !== 'number' || !(gapDepth > 0 && gapDepth <= 1))
    throw new Error(`options.gapDepth: expected a number in (0, 1], got ${String(gapDepth)}`);
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new Error(`options.seed: expected an integer, got ${String(seed)}`);

  const n = size * size;
  const siteRandom = mulberry32(streamSeed(seed, 1));
  const gapRandom = mulberry32(streamSeed(seed, 2));
  const noiseRandom = mulberry32(streamSeed(seed, 3));

  // 1. Sites by best-candidate sampling.
  const sx = new Float64Array(cells);
  const sy = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    let bestX = 0;
    let bestY = 0;
    let bestD = -1;
    for (let t = 0; t < (c === 0 ? 1 : 8); t++) {
      const x = siteRandom() * size;
      const y = siteRandom() * size;
      let d = Infinity;
      for (let j = 0; j < c; j++) {
        const dj = (x - sx[j]) * (x - sx[j]) + (y - sy[j]) * (y - sy[j]);
        if (dj < d) d = dj;
      }
      if (d > bestD) {
        bestD = d;
        bestX = x;
        bestY = y;
      }
    }
    sx[c] = bestX;
    sy[c] = bestY;
  }

  // 2. Distance of each pixel centre to the nearest Voronoi edge (bisector of its two nearest
  // sites) and to the nearest vertex (approximated by the bisector of nearest and third nearest).
  const edge = new Float64Array(n);
  const junction = new Float64Array(n);
  const membranes = new Uint8Array(n);
  const between = new Float64Array(cells * cells); // 2 · |s_i − s_j|
  for (let i = 0; i < cells; i++)
    for (let j = 0; j < cells; j++) between[i * cells + j] = 2 * Math.hypot(sx[i] - sx[j], sy[i] - sy[j]);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let i1 = -1;
      let i2 = -1;
      let i3 = -1;
      let d1 = Infinity;
      let d2 = Infinity;
      let d3 = Infinity;
      for (let c = 0; c < cells; c++) {
        const d = (px - sx[c]) * (px - sx[c]) + (py - sy[c]) * (py - sy[c]);
        if (d < d1) {
          d3 = d2;
          i3 = i2;
          d2 = d1;
          i2 = i1;
          d1 = d;
          i1 = c;
        } else if (d < d2) {
          d3 = d2;
          i3 = i2;
          d2 = d;
          i2 = c;
        } else if (d < d3) {
          d3 = d;
          i3 = c;
        }
      }
      const p = y * size + x;
      edge[p] = (d2 - d1) / between[i1 * cells + i2];
      junction[p] = i3 < 0 ? Infinity : (d3 - d1) / between[i1 * cells + i3];
      if (edge[p] <= MEMBRANE_HALF_WIDTH) membranes[p] = 1;
    }
  const clean = new Float64Array(n);
  for (let p = 0; p < n; p++) clean[p] = membranes[p] ? MEMBRANE_VALUE : INTERIOR_VALUE;

  // 3. Gaps: rejection sampling of membrane pixels on a single edge, away from border and gaps.
  if (gaps > 0) {
    const candidates: number[] = [];
    for (let p = 0; p < n; p++) {
      const x = p % size;
      const y = (p - x) / size;
      const inside = x >= GAP_MARGIN && y >= GAP_MARGIN && x < size - GAP_MARGIN && y < size - GAP_MARGIN;
      if (membranes[p] && inside && junction[p] >= GAP_MARGIN) candidates.push(p);
    }
    const gapValue = MEMBRANE_VALUE + gapDepth * (INTERIOR_VALUE - MEMBRANE_VALUE);
    const placed: number[] = [];
    for (let attempt = 0; placed.length < gaps && attempt < 200 * gaps && candidates.length > 0; attempt++) {
      const p = candidates[Math.min(Math.floor(gapRandom() * candidates.length), candidates.length - 1)];
      const x = p % size;
      const y = (p - x) / size;
      if (placed.some((q) => Math.hypot((q % size) - x, Math.floor(q / size) - y) < GAP_SPACING)) continue;
      placed.push(p);
      const r = GAP_RADIUS;
      for (let v = Math.max(0, y - r); v <= Math.min(size - 1, y + r); v++)
        for (let u = Math.max(0, x - r); u <= Math.min(size - 1, x + r); u++)
          if ((u - x) ** 2 + (v - y) ** 2 <= r * r) clean[v * size + u] = gapValue;
    }
  }

  // 4. Noise, 5. blur, 6. scaling.
  if (noise > 0)
    for (let p = 0; p < n; p += 2) {
      // Box–Muller: two independent standard normals from two uniforms (1 − U ∈ (0, 1]).
      const radius = Math.sqrt(-2 * Math.log(1 - noiseRandom()));
      const angle = 2 * Math.PI * noiseRandom();
      clean[p] += noise * radius * Math.cos(angle);
      if (p + 1 < n) clean[p + 1] += noise * radius * Math.sin(angle);
    }
  const blurred = blur > 0 ? gaussianBlur(clean, size, size, blur) : clean;
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < n; p++) {
    const v = blurred[p];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const image = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const v = (blurred[p] - lo) * scale;
    image[p] = v > 255 ? 255 : v;
  }
  return { image, shape: [size, size], membranes };
}

/** Separable Gaussian blur of standard deviation sigma, radius ceil(3σ), borders replicated. */
function gaussianBlur(src: Float64Array, height: number, width: number, sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = 2 * radius + 1;
  const kernel = new Float64Array(taps);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < taps; k++) kernel[k] /= total;
  const tmp = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  // Clamped source index of tap k at position i: clampW[i · taps + k] (rows), clampH (columns).
  const clamped = (length: number) => {
    const table = new Int32Array(length * taps);
    for (let i = 0; i < length; i++)
      for (let k = 0; k < taps; k++) {
        const j = i + k - radius;
        table[i * taps + k] = j < 0 ? 0 : j >= length ? length - 1 : j;
      }
    return table;
  };
  const clampW = clamped(width);
  const clampH = clamped(height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = 0; k < taps; k++) s += kernel[k] * src[row + clampW[x * taps + k]];
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = 0; k < taps; k++) s += kernel[k] * tmp[clampH[y * taps + k] * width + x];
      out[y * width + x] = s;
    }
  return out;
}

/** A 32-bit seed for sub-stream `stream` of `seed` (murmur3 finaliser of a mix of both). */
function streamSeed(seed: number, stream: number): number {
  let z =
    ((seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x27d4eb2d) ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function checkInteger(x: unknown, name: string, min: number): void {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min)
    throw new Error(`${name}: expected an integer ≥ ${min}, got ${String(x)}`);
}

function checkNonNegative(x: unknown, name: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    throw new Error(`${name}: expected a finite number ≥ 0, got ${String(x)}`);
}
