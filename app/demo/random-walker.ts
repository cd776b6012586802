/**
 * Random-walker segmentation (Grady 2006) for the paper's robustness test: markers are the top / bottom
 * fraction q of pixel values, and a robustly connected optimum should keep its clusters connected in the
 * resulting segmentation. Pure TypeScript on typed arrays, matrix-free conjugate gradients.
 *
 * Edge weights follow scikit-image's `random_walker` exactly (`_compute_weights_3d`, read from scikit-image
 * 0.19.3, which made the test fixtures), so that the default β = 130 means the same thing here as there:
 *
 *     w_ij = exp(−β (x_i − x_j)² / (10 σ)) + 1e-10,   σ = population standard deviation of the image.
 *
 * Note σ, not σ²: the weights are NOT invariant to the image's scale. Multiplying the image by c multiplies
 * the exponent by c, i.e. acts like β → c·β (scikit-image rescales uint8 input to [0, 1] before this, so a
 * 0–255 float image behaves like a [0, 1] image with β × 255). The +1e-10 keeps every edge positive, so the
 * graph stays connected and L_U positive definite even where exp underflows to 0 (a region walled off by
 * underflowing edges still gets the harmonic value that its 1e-10 edges imply). A constant image (σ = 0) has all
 * gradients 0 and gets uniform weights 1 + 1e-10 (scikit-image would produce NaN there).
 */

export interface RandomWalkerOptions {
  /** Edge weight sharpness β in w_ij = exp(−β (x_i − x_j)² / (10 σ)) + 1e-10 (scikit-image's formula, σ = std of the image). Default 130 (scikit-image's default). */
  beta?: number;
  /**
   * Conjugate-gradient tolerance (default 1e-6): stop once max_i |(M⁻¹ r)_i| ≤ tolerance, M the preconditioner,
   * i.e. once the preconditioner's estimate of the error is below `tolerance` in probability units at every
   * pixel. (Unlike scikit-image's ‖r‖/‖b‖, this does not pass while weakly connected regions are unsolved.)
   */
  tolerance?: number;
  /** Maximum CG iterations in all (default 10·n, n = number of unlabeled pixels); exceeding it throws. */
  maxIterations?: number;
  /**
   * 'auto' (default): MIC(0), falling back to the spanning tree if MIC breaks down. 'mic' / 'tree': only that
   * one, for tests and comparisons ('mic' throws on a non-positive pivot, and where it breaks down it may use
   * up all of maxIterations).
   */
  preconditioner?: 'auto' | 'mic' | 'tree';
}

/** What randomWalkerSolve did: which preconditioner produced the answer, and CG iterations spent in all. */
export interface RandomWalkerResult {
  probabilities: Float64Array;
  /** 'none' when the markers alone decide (no unknowns, or a single marker class). */
  preconditioner: 'mic' | 'tree' | 'none';
  iterations: number;
}

type Image = Float32Array | Float64Array;

const WEIGHT_EPS = 1e-10;

// Module-level aliases for the per-pixel loops: global lookups (Math.…) are slow inside jest's vm sandbox.
const { abs, exp, floor, log2, max, min } = Math;

/**
 * labels: Int8Array of length H·W: 1 = foreground marker, 2 = background marker, 0 = unlabeled. Returns the
 * probability that a walker from each pixel reaches a foreground marker first (1 on fg markers, 0 on bg
 * markers): the solution of L_U p_U = −B p_M on the 4-connected grid, by preconditioned conjugate gradients
 * with the Laplacian applied on the fly, clamped to [0, 1] (where the exact solution lies). With no foreground
 * markers p ≡ 0; with no background markers p ≡ 1; with no markers at all there is no solution and this throws.
 *
 * Preconditioners. Plain Jacobi (scikit-image's 'cg_j') is unreliable here: where exp underflows, regions joined
 * to the rest only by 1e-10 edges make L_U nearly singular, and Jacobi-CG then "converges" while leaving such
 * regions at the starting guess. So: first MIC(0) (modified incomplete Cholesky, row sums preserved), which
 * needs ~n^¼ iterations on ordinary images and, because it preserves row sums, also resolves such regions in
 * the tests; where MIC breaks down (high contrast, e.g. a 0–255 image at β = 130: spurious tiny pivots, so
 * max |M⁻¹r| grows 1000-fold or CG runs past its budget) CG restarts with a maximum-spanning-tree
 * preconditioner (exact tree solve, O(n)), whose iteration count does not depend on the weight contrast. Either way CG stops when max |M⁻¹ r| ≤ tolerance: M⁻¹ r is the preconditioner's estimate of the
 * error, in probability units. (Values inside regions joined only by ~1e-10 edges are ill-conditioned at
 * about 1e-16 / 1e-10 relative, whatever the solver.)
 */
export function randomWalkerProbabilities(
  image: Image,
  shape: [number, number],
  labels: Int8Array,
  options?: RandomWalkerOptions,
): Float64Array {
  return randomWalkerSolve(image, shape, labels, options).probabilities;
}

/** randomWalkerProbabilities, also reporting the preconditioner used and the iteration count. */
export function randomWalkerSolve(
  image: Image,
  shape: [number, number],
  labels: Int8Array,
  options: RandomWalkerOptions = {},
): RandomWalkerResult {
  const [h, w] = checkShape(shape);
  const n = h * w;
  checkImage(image, n);
  const { beta, tolerance, maxIterations, preconditioner } = checkOptions(options);
  let fg = 0;
  let bg = 0;
  if (!(labels instanceof Int8Array)) throw new TypeError('labels must be an Int8Array');
  if (labels.length !== n) throw new RangeError(`labels has length ${labels.length}, expected H·W = ${n}`);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === 1) fg++;
    else if (l === 2) bg++;
    else if (l !== 0)
      throw new RangeError(`labels[${i}] = ${l}; labels must be 0 (unlabeled), 1 (foreground) or 2 (background)`);
  }
  if (fg + bg === 0) throw new RangeError('labels: at least one marker (1 or 2) is required');

  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) if (labels[i] === 1) p[i] = 1;
  const unknowns = n - fg - bg;
  // Every pixel is connected to every marker (all weights ≥ 1e-10), so one marker class alone decides everything.
  if (unknowns === 0 || bg === 0 || fg === 0) {
    if (bg === 0) p.fill(1);
    return { probabilities: p, preconditioner: 'none', iterations: 0 };
  }

  const sys = buildSystem(image, h, w, labels, beta);
  const limit = maxIterations ?? 10 * unknowns;
  const x = new Float64Array(n);
  const work = { r: new Float64Array(n), z: new Float64Array(n), dir: new Float64Array(n), q: new Float64Array(n) };
  const fail = (what: string, worst: number) =>
    new Error(
      `randomWalkerProbabilities: ${what} CG did not reach tolerance ${tolerance} within maxIterations = ${limit} (max |M⁻¹r| = ${worst})`,
    );
  let used = 0;
  if (preconditioner !== 'tree') {
    const mic = micPreconditioner(sys);
    if (!mic && preconditioner === 'mic')
      throw new Error('randomWalkerProbabilities: MIC(0) broke down (non-positive pivot)');
    if (mic) {
      // When MIC works it needs O(n^¼) iterations: this budget is generous for that and caps the waste when it doesn't.
      const budget = preconditioner === 'mic' ? limit : Math.min(limit, 50 + 20 * Math.ceil(Math.sqrt(Math.max(h, w))));
      const run = pcg(sys, mic, x, work, tolerance, budget, preconditioner === 'mic' ? Infinity : 1e3);
      used = run.iterations;
      if (run.converged) return { probabilities: fill(p, x, sys.free), preconditioner: 'mic', iterations: used };
      if (preconditioner === 'mic') throw fail('MIC', run.worst);
      x.fill(0);
    }
  }
  const run = pcg(sys, treePreconditioner(sys), x, work, tolerance, limit - used, Infinity);
  if (!run.converged) throw fail('tree', run.worst);
  return { probabilities: fill(p, x, sys.free), preconditioner: 'tree', iterations: used + run.iterations };
}

/** Copies the unknowns into p, clamped to [0, 1]: the exact solution lies there, CG's last digits need not. */
function fill(p: Float64Array, x: Float64Array, free: Uint8Array): Float64Array {
  for (let i = 0; i < p.length; i++) if (free[i]) p[i] = min(1, max(0, x[i]));
  return p;
}

/** The grid system on the unknowns; vectors live on the full grid with 0 at markers. */
interface GridSystem {
  h: number;
  w: number;
  /** right[i] = weight of edge (i, i+1) (0 in the last column); down[i] = weight of edge (i, i+W) (0 in the last row). */
  right: Float64Array;
  down: Float64Array;
  /** 1 at unlabeled pixels. */
  free: Uint8Array;
  /** Weighted degree over all neighbours (markers included) = diagonal of L_U. */
  deg: Float64Array;
  /** b = −B p_M = Σ of weights to foreground neighbours. */
  b: Float64Array;
}

type Preconditioner = (r: Float64Array, z: Float64Array) => void;

function buildSystem(image: Image, h: number, w: number, labels: Int8Array, beta: number): GridSystem {
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
      if (x < w - 1) right[i] = exp(scale * (image[i + 1] - image[i]) ** 2) + WEIGHT_EPS;
      if (y < h - 1) down[i] = exp(scale * (image[i + w] - image[i]) ** 2) + WEIGHT_EPS;
    }
  }
  const free = new Uint8Array(n);
  const deg = new Float64Array(n);
  const b = new Float64Array(n);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (labels[i] !== 0) continue;
      free[i] = 1;
      let d = 0;
      let s = 0;
      if (x > 0) {
        d += right[i - 1];
        if (labels[i - 1] === 1) s += right[i - 1];
      }
      if (x < w - 1) {
        d += right[i];
        if (labels[i + 1] === 1) s += right[i];
      }
      if (y > 0) {
        d += down[i - w];
        if (labels[i - w] === 1) s += down[i - w];
      }
      if (y < h - 1) {
        d += down[i];
        if (labels[i + w] === 1) s += down[i];
      }
      deg[i] = d;
      b[i] = s;
    }
  }
  return { h, w, right, down, free, deg, b };
}

/** q = L_UU·v on the unknowns (v is 0 at markers, so marker neighbours drop out), writing 0 at markers. */
function applyLaplacian(sys: GridSystem, v: Float64Array, q: Float64Array): void {
  const { h, w, right, down, free, deg } = sys;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (!free[i]) {
        q[i] = 0;
        continue;
      }
      let s = deg[i] * v[i];
      if (x > 0) s -= right[i - 1] * v[i - 1];
      if (x < w - 1) s -= right[i] * v[i + 1];
      if (y > 0) s -= down[i - w] * v[i - w];
      if (y < h - 1) s -= down[i] * v[i + w];
      q[i] = s;
    }
  }
}

/**
 * Preconditioned CG on L_UU x = b from x, stopping when max |M⁻¹ r| ≤ tolerance. Gives up (converged: false)
 * after maxIterations, or once max |M⁻¹ r| exceeds growthLimit × its initial value (a broken preconditioner).
 * On apparent convergence the residual is recomputed as b − L x and CG restarted if that one is not converged:
 * in nearly singular systems the recursively updated residual drifts from the true one. After a few restarts
 * the remaining gap is floating-point noise, and the result is accepted.
 */
function pcg(
  sys: GridSystem,
  precondition: Preconditioner,
  x: Float64Array,
  work: { r: Float64Array; z: Float64Array; dir: Float64Array; q: Float64Array },
  tolerance: number,
  maxIterations: number,
  growthLimit: number,
): { converged: boolean; iterations: number; worst: number } {
  const { r, z, dir, q } = work;
  const n = x.length;
  let iterations = 0;
  let worst = Infinity;
  let ceiling = Infinity;
  for (let restart = 0; restart < 4; restart++) {
    applyLaplacian(sys, x, q);
    for (let i = 0; i < n; i++) r[i] = sys.b[i] - q[i];
    precondition(r, z);
    let rz = 0;
    worst = 0;
    for (let i = 0; i < n; i++) {
      dir[i] = z[i];
      rz += r[i] * z[i];
      worst = max(worst, abs(z[i]));
    }
    if (restart === 0) ceiling = growthLimit * worst;
    if (worst <= tolerance) break;
    while (worst > tolerance) {
      if (iterations >= maxIterations || worst > ceiling) return { converged: false, iterations, worst };
      iterations++;
      applyLaplacian(sys, dir, q);
      let dq = 0;
      for (let i = 0; i < n; i++) dq += dir[i] * q[i];
      const alpha = rz / dq;
      for (let i = 0; i < n; i++) {
        x[i] += alpha * dir[i];
        r[i] -= alpha * q[i];
      }
      precondition(r, z);
      let rzNext = 0;
      worst = 0;
      for (let i = 0; i < n; i++) {
        rzNext += r[i] * z[i];
        const a = abs(z[i]);
        if (a > worst) worst = a;
      }
      const step = rzNext / rz;
      rz = rzNext;
      for (let i = 0; i < n; i++) dir[i] = z[i] + step * dir[i];
    }
  }
  return { converged: true, iterations, worst };
}

/**
 * MIC(0) in raster order: M = (P − L) P⁻¹ (P − Lᵀ), L = the edge weights to earlier neighbours, pivots P chosen
 * so that M and L_UU have equal row sums (the dropped fill, from i−1 to i−1+W and from i−W to i−W+1, is moved
 * onto the diagonal). Returns null if a pivot is not positive (then CG uses the tree instead).
 */
function micPreconditioner(sys: GridSystem): Preconditioner | null {
  const { h, w, right, down, free, deg } = sys;
  const n = h * w;
  const piv = new Float64Array(n);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (!free[i]) continue;
      let d = deg[i];
      if (x > 0 && free[i - 1]) {
        const a = right[i - 1];
        const fill = y < h - 1 && free[i - 1 + w] ? down[i - 1] : 0;
        d -= (a * (a + fill)) / piv[i - 1];
      }
      if (y > 0 && free[i - w]) {
        const a = down[i - w];
        const fill = x < w - 1 && free[i - w + 1] ? right[i - w] : 0;
        d -= (a * (a + fill)) / piv[i - w];
      }
      if (!(d > 1e-14 * deg[i])) return null;
      piv[i] = d;
    }
  }
  const u = new Float64Array(n);
  return (r, z) => {
    // Forward (P − L) u = r, then backward (P − Lᵀ) z = P u; markers are 0 in r and stay 0 in u and z.
    for (let y = 0, i = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i++) {
        if (!free[i]) {
          u[i] = 0;
          continue;
        }
        let t = r[i];
        if (x > 0) t += right[i - 1] * u[i - 1];
        if (y > 0) t += down[i - w] * u[i - w];
        u[i] = t / piv[i];
      }
    }
    for (let y = h - 1, i = n - 1; y >= 0; y--) {
      for (let x = w - 1; x >= 0; x--, i--) {
        if (!free[i]) {
          z[i] = 0;
          continue;
        }
        let t = 0;
        if (x < w - 1) t += right[i] * z[i + 1];
        if (y < h - 1) t += down[i] * z[i + w];
        z[i] = u[i] + t / piv[i];
      }
    }
  };
}

/**
 * Maximum-spanning-tree preconditioner M = the Laplacian of a spanning tree of the unknowns plus one "ground"
 * node standing for all markers. Because the tree keeps each region's strongest way out, M⁻¹ sees the nearly
 * singular modes that weak (≈1e-10) edges create, and cond(M⁻¹L) is bounded by tree path lengths, not by weights.
 * Built by Prim's algorithm from the ground with a bucket queue over −log₂ w (4 buckets per octave, FIFO within a
 * bucket, so ties grow breadth-first from the markers: short tree paths). M⁻¹r is exact in two passes.
 */
function treePreconditioner(sys: GridSystem): Preconditioner {
  const { h, w, right, down, free } = sys;
  const n = h * w;
  const levels = 4 * 34 + 1; // −log₂(1e-10) < 34
  const bucketOf = (weight: number) => min(levels - 1, max(0, floor(-4 * log2(weight))));
  // Queue entries (child, parent, weight) in singly linked FIFO lists per bucket; every pixel pushes at most 4.
  const cap = 4 * n + 1;
  const child = new Int32Array(cap);
  const from = new Int32Array(cap);
  const weightOf = new Float64Array(cap);
  const next = new Int32Array(cap).fill(-1);
  const head = new Int32Array(levels).fill(-1);
  const tail = new Int32Array(levels).fill(-1);
  let size = 0;
  let best = levels;
  const push = (c: number, parent: number, weight: number) => {
    const k = bucketOf(weight);
    child[size] = c;
    from[size] = parent;
    weightOf[size] = weight;
    if (tail[k] < 0) head[k] = size;
    else next[tail[k]] = size;
    tail[k] = size++;
    if (k < best) best = k;
  };
  const parent = new Int32Array(n).fill(-2); // −2: not in the tree yet; −1: child of the ground
  const parentWeight = new Float64Array(n);
  const order = new Int32Array(n); // tree order: every node after its parent
  let count = 0;
  // Offer the edges from i to its neighbours not yet in the tree; `via` is i itself, or −1 when i is a marker.
  const pushNeighbours = (i: number, via: number) => {
    const y = (i / w) | 0;
    const x = i - y * w;
    if (x > 0 && free[i - 1] && parent[i - 1] === -2) push(i - 1, via, right[i - 1]);
    if (x < w - 1 && free[i + 1] && parent[i + 1] === -2) push(i + 1, via, right[i]);
    if (y > 0 && free[i - w] && parent[i - w] === -2) push(i - w, via, down[i - w]);
    if (y < h - 1 && free[i + w] && parent[i + w] === -2) push(i + w, via, down[i]);
  };
  for (let i = 0; i < n; i++) if (!free[i]) pushNeighbours(i, -1); // edges from the ground (any marker)
  while (best < levels) {
    const e = head[best];
    if (e < 0) {
      best++;
      continue;
    }
    head[best] = next[e];
    if (head[best] < 0) tail[best] = -1;
    const c = child[e];
    if (parent[c] !== -2) continue; // reached already by a stronger (or earlier) edge
    parent[c] = from[e];
    parentWeight[c] = weightOf[e];
    order[count++] = c;
    pushNeighbours(c, c);
  }
  // Re-index the tree by position in `order` so that the passes below run over contiguous arrays.
  const up = new Int32Array(count); // position of the parent, −1 for the ground
  const conductance = new Float64Array(count);
  const position = new Int32Array(n);
  for (let k = 0; k < count; k++) {
    const c = order[k];
    position[c] = k;
    up[k] = parent[c] < 0 ? -1 : position[parent[c]];
    conductance[k] = parentWeight[c];
  }
  const flux = new Float64Array(count);
  const potential = new Float64Array(count);
  return (r, z) => {
    // Subtree sums of r are the fluxes through the tree edges; potentials then follow from the ground down.
    for (let k = 0; k < count; k++) flux[k] = r[order[k]];
    for (let k = count - 1; k >= 0; k--) if (up[k] >= 0) flux[up[k]] += flux[k];
    for (let k = 0; k < count; k++) {
      potential[k] = (up[k] >= 0 ? potential[up[k]] : 0) + flux[k] / conductance[k];
      z[order[k]] = potential[k];
    }
  };
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
  if (!(image instanceof Float32Array || image instanceof Float64Array))
    throw new TypeError('image must be a Float32Array or Float64Array');
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
  for (let i = 0; i < n; i++)
    if (mask[i] > 1) throw new RangeError(`mask[${i}] = ${mask[i]}; mask must be binary (0 or 1)`);
  if (connectivity !== 4 && connectivity !== 8)
    throw new RangeError(`connectivity must be 4 or 8, got ${connectivity}`);
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

function checkShape(shape: [number, number]): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`shape must be [H, W] with positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape;
}

function checkImage(image: Image, n: number): void {
  if (!(image instanceof Float32Array || image instanceof Float64Array))
    throw new TypeError('image must be a Float32Array or Float64Array');
  if (image.length !== n) throw new RangeError(`image has length ${image.length}, expected H·W = ${n}`);
  checkFinite(image);
}

function checkFinite(image: Image): void {
  for (let i = 0; i < image.length; i++) {
    if (!Number.isFinite(image[i])) throw new RangeError(`image[${i}] = ${image[i]}; image values must be finite`);
  }
}

function checkOptions(
  options: RandomWalkerOptions,
): Required<Omit<RandomWalkerOptions, 'maxIterations'>> & { maxIterations?: number } {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { beta = 130, tolerance = 1e-6, maxIterations, preconditioner = 'auto' } = options;
  if (!(Number.isFinite(beta) && beta >= 0))
    throw new RangeError(`options.beta must be a finite number ≥ 0, got ${beta}`);
  if (!(Number.isFinite(tolerance) && tolerance > 0))
    throw new RangeError(`options.tolerance must be a finite number > 0, got ${tolerance}`);
  if (maxIterations !== undefined && !(Number.isInteger(maxIterations) && maxIterations > 0)) {
    throw new RangeError(`options.maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!['auto', 'mic', 'tree'].includes(preconditioner)) {
    throw new RangeError(`options.preconditioner must be 'auto', 'mic' or 'tree', got ${String(preconditioner)}`);
  }
  return { beta, tolerance, maxIterations, preconditioner };
}

/**
 * The optimum on the [0, 1] scale that scikit-image gives the paper's 8-bit images (it divides uint8 input by
 * 255). The random walker's weights are not scale-invariant (see random-walker.ts), so the scale is part of
 * the test's definition.
 */
export function toUnitScale(image: Float32Array): Float32Array {
  const unit = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) unit[i] = image[i] / 255;
  return unit;
}
