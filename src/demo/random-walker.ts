/**
 * Random-walker segmentation (Grady 2006) for the paper's robustness test: markers are the top / bottom
 * fraction q of pixel values, and a robustly connected optimum should keep its clusters connected in the
 * resulting segmentation. Pure TypeScript on typed arrays, matrix-free conjugate gradients.
 *
 * Edge weights follow scikit-image's `random_walker` (0.19–0.24, `_compute_weights_3d`) exactly, so that the
 * default β = 130 means the same thing here as there:
 *
 *     w_ij = exp(−β (x_i − x_j)² / (10 σ)) + 1e-10,   σ = population standard deviation of the image.
 *
 * Note σ, not σ²: the weights are NOT invariant to the image's scale. Multiplying the image by c multiplies
 * the exponent by c, i.e. acts like β → c·β (scikit-image rescales uint8 input to [0, 1] before this, so a
 * 0–255 float image behaves like a [0, 1] image with β × 255). The +1e-10 keeps every edge positive, so the
 * graph stays connected and L_U positive definite even where exp underflows to 0 (regions walled off by
 * strong edges still get the harmonic value their weak edges imply). A constant image (σ = 0) has all
 * gradients 0 and gets uniform weights 1 + 1e-10 (scikit-image would produce NaN there).
 */

export interface RandomWalkerOptions {
  /** Edge weight sharpness β in w_ij = exp(−β (x_i − x_j)² / (10 σ)) + 1e-10 (scikit-image's formula, σ = std of the image). Default 130 (scikit-image's default). */
  beta?: number;
  /**
   * Conjugate-gradient tolerance (default 1e-6): stop once every unlabeled pixel is within `tolerance` of the
   * weighted mean of its neighbours, max_i |r_i| / d_i ≤ tolerance. Unlike ‖r‖/‖b‖ this is scale-free per
   * pixel, so weakly connected regions are not declared converged while still unsolved.
   */
  tolerance?: number;
  /** Maximum CG iterations (default 10·n, n = number of unlabeled pixels); exceeding it throws. */
  maxIterations?: number;
}

type Image = Float32Array | Float64Array;

const WEIGHT_EPS = 1e-10;

/**
 * labels: Int8Array of length H·W: 1 = foreground marker, 2 = background marker, 0 = unlabeled. Returns the
 * probability that a walker from each pixel reaches a foreground marker first (1 on fg markers, 0 on bg
 * markers): the solution of L_U p_U = −B p_M on the 4-connected grid, by Jacobi-preconditioned CG with the
 * Laplacian applied on the fly. With no foreground markers p ≡ 0; with no background markers p ≡ 1; with no
 * markers at all the problem has no solution and this throws.
 */
export function randomWalkerProbabilities(
  image: Image,
  shape: [number, number],
  labels: Int8Array,
  options: RandomWalkerOptions = {},
): Float64Array {
  const [h, w] = checkShape(shape);
  const n = h * w;
  checkImage(image, n);
  const { beta, tolerance, maxIterations } = checkOptions(options);
  let fg = 0;
  let bg = 0;
  if (!(labels instanceof Int8Array)) throw new TypeError('labels must be an Int8Array');
  if (labels.length !== n) throw new RangeError(`labels has length ${labels.length}, expected H·W = ${n}`);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === 1) fg++;
    else if (l === 2) bg++;
    else if (l !== 0) throw new RangeError(`labels[${i}] = ${l}; labels must be 0 (unlabeled), 1 (foreground) or 2 (background)`);
  }
  if (fg + bg === 0) throw new RangeError('labels: at least one marker (1 or 2) is required');

  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) if (labels[i] === 1) p[i] = 1;
  const unknowns = n - fg - bg;
  // Every pixel is connected to every marker (all weights ≥ 1e-10), so one marker class alone decides everything.
  if (unknowns === 0 || bg === 0 || fg === 0) {
    if (bg === 0) p.fill(1);
    return p;
  }

  const { right, down } = edgeWeights(image, h, w, beta);
  // Per-pixel degree (over all neighbours, markers included) and right-hand side b = Σ_{fg neighbours} w_ij.
  // Vectors live on the full grid; entries at markers stay 0 so the matvec below is exactly L_UU on the unknowns.
  const free = new Uint8Array(n);
  const deg = new Float64Array(n);
  const invDeg = new Float64Array(n);
  const b = new Float64Array(n);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (labels[i] !== 0) continue;
      free[i] = 1;
      let d = 0;
      let s = 0;
      if (x > 0) { d += right[i - 1]; if (labels[i - 1] === 1) s += right[i - 1]; }
      if (x < w - 1) { d += right[i]; if (labels[i + 1] === 1) s += right[i]; }
      if (y > 0) { d += down[i - w]; if (labels[i - w] === 1) s += down[i - w]; }
      if (y < h - 1) { d += down[i]; if (labels[i + w] === 1) s += down[i]; }
      deg[i] = d;
      invDeg[i] = 1 / d;
      b[i] = s;
    }
  }

  const x = new Float64Array(n); // unknowns, initial guess 0 (as scikit-image)
  const r = b.slice();
  const z = new Float64Array(n);
  const dir = new Float64Array(n);
  const q = new Float64Array(n);
  let rz = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    z[i] = r[i] * invDeg[i];
    dir[i] = z[i];
    rz += r[i] * z[i];
    worst = Math.max(worst, Math.abs(z[i]));
  }
  const limit = maxIterations ?? 10 * unknowns;
  let iter = 0;
  while (worst > tolerance) {
    if (iter++ >= limit) {
      throw new Error(`randomWalkerProbabilities: CG did not reach tolerance ${tolerance} in maxIterations = ${limit} (max |r_i|/d_i = ${worst})`);
    }
    applyLaplacian(dir, q, free, deg, right, down, h, w);
    let dq = 0;
    for (let i = 0; i < n; i++) dq += dir[i] * q[i];
    const alpha = rz / dq;
    let rzNext = 0;
    worst = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * dir[i];
      r[i] -= alpha * q[i];
      z[i] = r[i] * invDeg[i];
      rzNext += r[i] * z[i];
      const a = Math.abs(z[i]);
      if (a > worst) worst = a;
    }
    const betaCg = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) dir[i] = z[i] + betaCg * dir[i];
  }
  for (let i = 0; i < n; i++) if (free[i]) p[i] = x[i];
  return p;
}

/** Segmentation = probability > 0.5 → Uint8Array mask (1 = foreground). */
export function randomWalkerSegmentation(
  image: Image,
  shape: [number, number],
  labels: Int8Array,
  options?: RandomWalkerOptions,
): Uint8Array {
  const p = randomWalkerProbabilities(image, shape, labels, options);
  const mask = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) mask[i] = p[i] > 0.5 ? 1 : 0;
  return mask;
}

/**
 * The paper's markers: foreground (1) = the ⌊q·n⌋ highest-ranked pixels, background (2) = the ⌊q·n⌋ lowest,
 * ranking by value with ties broken by index (lower index ranks lower), so the counts are exact even on plateaus.
 */
export function quantileMarkers(image: Image, q: number): Int8Array {
  if (!(image instanceof Float32Array || image instanceof Float64Array)) throw new TypeError('image must be a Float32Array or Float64Array');
  checkFinite(image);
  if (!(typeof q === 'number' && q > 0 && q <= 0.5)) throw new RangeError(`q must be in (0, 0.5], got ${q}`);
  const n = image.length;
  const k = Math.floor(q * n + 1e-9); // the epsilon absorbs q·n landing just below an integer (0.29·100 = 28.999…)
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, c) => image[a] - image[c] || a - c);
  const labels = new Int8Array(n);
  for (let j = 0; j < k; j++) {
    labels[order[j]] = 2;
    labels[order[n - 1 - j]] = 1;
  }
  return labels;
}

/**
 * Connected components of the pixels with mask value 1, under 4- or 8-connectivity (default 4). labels holds
 * 0 off the mask and 1..count on it, numbered in raster order of each component's first pixel.
 */
export function connectedComponents(
  mask: Uint8Array,
  shape: [number, number],
  connectivity: 4 | 8 = 4,
): { count: number; labels: Int32Array } {
  const [h, w] = checkShape(shape);
  const n = h * w;
  if (!(mask instanceof Uint8Array)) throw new TypeError('mask must be a Uint8Array');
  if (mask.length !== n) throw new RangeError(`mask has length ${mask.length}, expected H·W = ${n}`);
  for (let i = 0; i < n; i++) if (mask[i] > 1) throw new RangeError(`mask[${i}] = ${mask[i]}; mask must be binary (0 or 1)`);
  if (connectivity !== 4 && connectivity !== 8) throw new RangeError(`connectivity must be 4 or 8, got ${connectivity}`);
  const dy = connectivity === 4 ? [-1, 1, 0, 0] : [-1, -1, -1, 0, 0, 1, 1, 1];
  const dx = connectivity === 4 ? [0, 0, -1, 1] : [-1, 0, 1, -1, 1, -1, 0, 1];
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (mask[start] !== 1 || labels[start] !== 0) continue;
    labels[start] = ++count;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      const y = (i / w) | 0;
      const x = i - y * w;
      for (let k = 0; k < dy.length; k++) {
        const yy = y + dy[k];
        const xx = x + dx[k];
        if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
        const j = yy * w + xx;
        if (mask[j] === 1 && labels[j] === 0) {
          labels[j] = count;
          stack[top++] = j;
        }
      }
    }
  }
  return { count, labels };
}

/** q = L_UU·v on the unknowns (v is 0 at markers, so marker neighbours drop out), writing 0 at markers. */
function applyLaplacian(
  v: Float64Array, q: Float64Array, free: Uint8Array, deg: Float64Array,
  right: Float64Array, down: Float64Array, h: number, w: number,
): void {
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (!free[i]) { q[i] = 0; continue; }
      let s = deg[i] * v[i];
      if (x > 0) s -= right[i - 1] * v[i - 1];
      if (x < w - 1) s -= right[i] * v[i + 1];
      if (y > 0) s -= down[i - w] * v[i - w];
      if (y < h - 1) s -= down[i] * v[i + w];
      q[i] = s;
    }
  }
}

/** right[i] = weight of edge (i, i+1) (0 in the last column); down[i] = weight of edge (i, i+W) (0 in the last row). */
function edgeWeights(image: Image, h: number, w: number, beta: number): { right: Float64Array; down: Float64Array } {
  const n = h * w;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += image[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (image[i] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  // σ = 0 means every gradient is 0: use exp(0) rather than scikit-image's 0·∞ = NaN.
  const scale = std > 0 ? -beta / (10 * std) : 0;
  const right = new Float64Array(n);
  const down = new Float64Array(n);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (x < w - 1) right[i] = Math.exp(scale * (image[i + 1] - image[i]) ** 2) + WEIGHT_EPS;
      if (y < h - 1) down[i] = Math.exp(scale * (image[i + w] - image[i]) ** 2) + WEIGHT_EPS;
    }
  }
  return { right, down };
}

function checkShape(shape: [number, number]): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`shape must be [H, W] with positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape;
}

function checkImage(image: Image, n: number): void {
  if (!(image instanceof Float32Array || image instanceof Float64Array)) throw new TypeError('image must be a Float32Array or Float64Array');
  if (image.length !== n) throw new RangeError(`image has length ${image.length}, expected H·W = ${n}`);
  checkFinite(image);
}

function checkFinite(image: Image): void {
  for (let i = 0; i < image.length; i++) {
    if (!Number.isFinite(image[i])) throw new RangeError(`image[${i}] = ${image[i]}; image values must be finite`);
  }
}

function checkOptions(options: RandomWalkerOptions): { beta: number; tolerance: number; maxIterations?: number } {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { beta = 130, tolerance = 1e-6, maxIterations } = options;
  if (!(Number.isFinite(beta) && beta >= 0)) throw new RangeError(`options.beta must be a finite number ≥ 0, got ${beta}`);
  if (!(Number.isFinite(tolerance) && tolerance > 0)) throw new RangeError(`options.tolerance must be a finite number > 0, got ${tolerance}`);
  if (maxIterations !== undefined && !(Number.isInteger(maxIterations) && maxIterations > 0)) {
    throw new RangeError(`options.maxIterations must be a positive integer, got ${maxIterations}`);
  }
  return { beta, tolerance, maxIterations };
}
