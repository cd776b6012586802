import { Draws } from './random.js';

/**
 * Smooth random fields and the image-formation filters of the synthetic datasets, on row-major
 * `[height, width]` Float32Arrays.
 */

/**
 * Value noise: random values in [−1, 1] on a coarse lattice of spacing `scale` pixels, shifted by
 * a random offset and interpolated with the smoothstep weights (C¹). Adds `amplitude` × the noise
 * to `out` (a new array when omitted) and returns it.
 */
export function valueNoise(
  height: number,
  width: number,
  scale: number,
  draws: Draws,
  amplitude = 1,
  out: Float32Array = new Float32Array(height * width),
): Float32Array {
  const s = Math.max(scale, 1);
  const ox = draws.range(0, s);
  const oy = draws.range(0, s);
  const gw = Math.ceil((width + ox) / s) + 2;
  const gh = Math.ceil((height + oy) / s) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = 2 * draws.uniform() - 1;
  // Per column: lattice cell and smoothstep weight (shared by every row).
  const cx = new Int32Array(width);
  const wx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const u = (x + ox) / s;
    const i = Math.floor(u);
    const t = u - i;
    cx[x] = i;
    wx[x] = t * t * (3 - 2 * t);
  }
  for (let y = 0; y < height; y++) {
    const v = (y + oy) / s;
    const j = Math.floor(v);
    const t = v - j;
    const wy = t * t * (3 - 2 * t);
    const row0 = j * gw;
    const row1 = row0 + gw;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const i = cx[x];
      const a = lattice[row0 + i] + (lattice[row0 + i + 1] - lattice[row0 + i]) * wx[x];
      const b = lattice[row1 + i] + (lattice[row1 + i + 1] - lattice[row1 + i]) * wx[x];
      out[base + x] += amplitude * (a + (b - a) * wy);
    }
  }
  return out;
}

/** The normalised 1-D Gaussian kernel of standard deviation `sigma`, radius ⌈3σ⌉. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Mirror index (…, 2, 1, 0, 1, 2, …, n − 2, n − 1, n − 2, …) into 0..n−1. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

/**
 * Separable Gaussian blur of `image` in place (rows, then columns), mirrored at the border;
 * `sigma` 0 leaves it unchanged. `scratch` (length ≥ height·width) is reused when given.
 */
export function gaussianBlur(
  image: Float32Array,
  height: number,
  width: number,
  sigma: number,
  scratch: Float32Array = new Float32Array(height * width),
): void {
  if (sigma <= 0) return;
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) >> 1;
  // Rows: image → scratch.
  for (let y = 0; y < height; y++) {
    const base = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      if (x >= r && x + r < width) for (let j = -r; j <= r; j++) acc += k[j + r] * image[base + x + j];
      else for (let j = -r; j <= r; j++) acc += k[j + r] * image[base + mirror(x + j, width)];
      scratch[base + x] = acc;
    }
  }
  // Columns: scratch → image.
  for (let y = 0; y < height; y++) {
    const interior = y >= r && y + r < height;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      if (interior) for (let j = -r; j <= r; j++) acc += k[j + r] * scratch[(y + j) * width + x];
      else for (let j = -r; j <= r; j++) acc += k[j + r] * scratch[mirror(y + j, height) * width + x];
      image[y * width + x] = acc;
    }
  }
}
