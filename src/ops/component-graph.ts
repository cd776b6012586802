import * as tf from '@tensorflow/tfjs-core';
import { checkFlag, checkGridShape, checkNumber, describe } from '../base/checks.js';
import { flatIndex, MapLayout, readMap } from '../base/layout.js';
import { find } from '../persistence/toolkit/union-find.js';

// The four classes of the overlay of a binarised prediction P and label G.
const TRUE_NEGATIVE = 0; // background of both
const TRUE_POSITIVE = 1; // foreground of both
const FALSE_POSITIVE = 2; // P's foreground on G's background
const FALSE_NEGATIVE = 3; // G's foreground on P's background

/**
 * The component-graph term in the spirit of Topograph (Lux et al., ICLR 2025), on 2-D maps.
 *
 * The prediction P = {p ≥ θ} and the label G = {g ≥ θ} overlay into four classes — true positives
 * TP = P ∩ G, true negatives TN, false positives FP = P \ G and false negatives FN = G \ P — and
 * each class splits into regions, its connected components: foreground-like sets (TP, FP, FN)
 * 4-connected, TN 8-connected, the pairing under which a 4-connected closed curve separates the
 * background (foreground 4-connected is the V construction's convention, as the Betti-matching
 * error). Outside the image is background: a TN region of its own, joined by the TN regions on
 * the border. The regions and their adjacencies form the component graph.
 *
 * An error region R (a region of FP or FN) is *regular* when it touches exactly one TP region
 * (through an edge: foreground meets foreground 4-adjacently) and exactly one TN region (through
 * an edge or a corner: background is 8-connected); otherwise it is *critical*. A regular region
 * lies against a single component of the intersection P ∩ G and a single component of the
 * background of the union P ∪ G: on its own it can be flipped to either side without creating,
 * removing or merging a component or a hole. A critical region is a topological error: no TP
 * neighbour — a spurious component (FP) or a missed one (FN); two or more — a false bridge (FP) or
 * a gap (FN) between components of P ∩ G; no TN neighbour — a filled hole (FP) or a false hole
 * (FN); two or more — a region that separates the background, closing a loop (FP) or cutting a
 * hole's wall (FN).
 *
 * Error regions can also err together: two false positives that meet at a corner are one channel
 * of G's (8-connected) background, and a false positive beside a false negative can bridge two
 * components; each may be regular alone while together they close a hole. So the same rule applies
 * to each *cluster*, the error pixels of both classes 8-connected: a cluster that fails it is
 * blamed on its own critical regions, and when it has none, all of its regions are critical
 * (`clusters`, default true). When no region is critical, P, G, P ∩ G and P ∪ G have the same Betti numbers — checked on every
 * 3 × 3 overlay and on random small ones (a check, not a proof; Topograph proves more for its own
 * criterion).
 *
 * The term of a map is the mean error over each critical region, summed over its critical regions,
 *
 *   Σ_{R critical} (1 / |R|) Σ_{x ∈ R} |p(x) − g(x)|   with g binarised,
 *
 * so every topological error counts about once whatever its size, its gradient is ±1 / |R| on the
 * region's pixels (down on false positives, up on false negatives), and nothing outside critical
 * regions is touched. Computing it takes two union-find passes over the map: linear in its pixels.
 * Regions are found anew every step, from the current prediction; the term is 0 when the
 * binarised prediction has the label's topology region by region.
 *
 * The label term `{ kind: 'componentGraph' }` evaluates it; `criticalRegions` shows one map's
 * critical regions.
 *
 * @example
 * ```js
 * // 2×4 maps: the label has one blob on the left; the prediction adds a blob on the right.
 * const label = Float32Array.of(1, 1, 0, 0, 1, 1, 0, 0);
 * const pred = Float32Array.of(0.9, 0.6, 0, 0.7, 0.8, 0.4, 0, 0.9);
 * new ComponentGraph(0.5).criticalRegions(pred, label, [2, 4]);
 * // → [0, 0, 0, 0.5, 0, 0, 0, 0.5]: the spurious blob (2 pixels) is critical; the missed pixel
 * //   at index 5 (a false negative against the label's blob and the background) is regular
 * ```
 * @category Diagram ops
 */
export class ComponentGraph {
  private parent = new Int32Array(0);
  private classes = new Uint8Array(0);
  private regionSize = new Int32Array(0);
  private cluster = new Int32Array(0); // union-find of the error pixels, 8-connected
  private clusterHasCritical = new Uint8Array(0); // per cluster root: 1 when one of its regions is critical
  private truePositiveNeighbour = new Int32Array(0); // per region or cluster root: its TP neighbour, −1 none, −2 several
  private trueNegativeNeighbour = new Int32Array(0); // … TN neighbour
  private weights = new Float32Array(0);

  /** Binarises both the prediction and the label: foreground where value ≥ threshold. */
  readonly threshold: number;
  /** Whether clusters of error regions are tested too (the default), or each region alone. */
  readonly clusters: boolean;

  /**
   * @param threshold binarises both the prediction and the label (foreground where value ≥ threshold).
   * @param clusters test clusters of error regions too (default true). With false, each region is
   *   tested alone: errors that several regions make together go unseen, but benign ones are not
   *   blamed either (a shifted boundary whose false positives and negatives meet at its ends makes
   *   a cluster touching the background on both sides); on the demo's membranes it trained better.
   * @throws Error naming `threshold` when it is not a finite number, `clusters` when not a boolean.
   */
  constructor(threshold: number, clusters = true) {
    this.threshold = checkNumber(threshold, 'threshold', undefined);
    this.clusters = checkFlag(clusters, 'clusters', true);
  }

  /**
   * The term of `yPred` against host label maps `labels` (the prediction's layout, 2-D maps), the
   * maps' terms combined by `reduction`.
   */
  evaluate(labels: Float32Array, layout: MapLayout, yPred: tf.Tensor, reduction: 'mean' | 'sum'): tf.Scalar {
    const data = yPred.dataSync() as Float32Array;
    const slope = new Float32Array(data.length); // ∂term/∂p: ±1/|R| on critical regions
    let offset = 0; // the term at p = 0: Σ over critical false negatives of 1/|R| per pixel
    const pred = new Float32Array(layout.mapSize);
    const label = new Float32Array(layout.mapSize);
    for (let m = 0; m < layout.maps; m++) {
      const critical = this.critical(readMap(layout, data, m, pred), readMap(layout, labels, m, label), layout.spatial);
      for (let i = 0; i < critical.length; i++) {
        const weight = critical[i];
        if (weight === 0) continue;
        slope[flatIndex(layout, m, i)] = weight;
        if (weight < 0) offset -= weight;
      }
    }
    const scale = reduction === 'mean' ? 1 / layout.maps : 1;
    return tf.tidy(() => {
      const linear = tf.sum(tf.mul(yPred, tf.tensor(slope, yPred.shape, 'float32')));
      return tf.mul(tf.add(linear, offset), scale) as tf.Scalar;
    });
  }

  /**
   * The critical regions of one map, row-major, of `shape` `[H, W]`. Per pixel: +1/|R| on a critical
   * false-positive region R, −1/|R| on a critical false-negative one, 0 elsewhere — the term's
   * gradient in the prediction.
   *
   * @throws Error naming `shape` (not two positive integers), `pred` or `label` (not an array of
   *   H · W numbers: a wrong length, an entry that is NaN or not a number).
   */
  criticalRegions(pred: ArrayLike<number>, label: ArrayLike<number>, shape: readonly number[]): Float32Array {
    const spatial = checkGridShape(shape);
    if (spatial.length !== 2) throw new Error(`shape: expected an image [H, W], got ${describe(shape)}`);
    const size = spatial[0] * spatial[1];
    for (const [values, name] of [
      [pred, 'pred'],
      [label, 'label'],
    ] as const) {
      if (values === null || typeof values !== 'object' || values.length !== size)
        throw new Error(`${name}: expected ${size} values (shape [${spatial.join(', ')}]), got ${describe(values)}`);
      for (let i = 0; i < size; i++)
        if (typeof values[i] !== 'number' || Number.isNaN(values[i]))
          throw new Error(`${name}: expected numbers, got ${describe(values[i])} at index ${i}`);
    }
    return this.critical(pred, label, spatial).slice();
  }

  /** `criticalRegions` unchecked, as a view of working memory valid until the next call. */
  private critical(pred: ArrayLike<number>, label: ArrayLike<number>, spatial: readonly number[]): Float32Array {
    const [height, width] = spatial;
    const n = height * width;
    this.reserve(n);
    const { parent, cluster, classes, regionSize, truePositiveNeighbour, trueNegativeNeighbour, clusterHasCritical } =
      this;
    const outside = n; // the TN region beyond the border
    const t = this.threshold;
    for (let i = 0; i < n; i++) {
      const p = pred[i] >= t;
      const g = label[i] >= t;
      classes[i] = p ? (g ? TRUE_POSITIVE : FALSE_POSITIVE) : g ? FALSE_NEGATIVE : TRUE_NEGATIVE;
      parent[i] = i;
      cluster[i] = i;
    }
    parent[outside] = outside;
    // Regions: same-class neighbours joined through an edge, true negatives also through a corner.
    // Clusters: error pixels of either class joined through an edge or a corner.
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const c = classes[i];
        const error = c >= FALSE_POSITIVE;
        if (c === TRUE_NEGATIVE && (y === 0 || x === 0 || y === height - 1 || x === width - 1))
          union(parent, i, outside);
        const right = x + 1 < width;
        if (right && classes[i + 1] === c) union(parent, i, i + 1);
        if (right && error && classes[i + 1] >= FALSE_POSITIVE) union(cluster, i, i + 1);
        if (y + 1 === height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (x + dx < 0 || x + dx >= width) continue;
          const j = i + width + dx;
          if (classes[j] === c && (dx === 0 || c === TRUE_NEGATIVE)) union(parent, i, j);
          if (error && classes[j] >= FALSE_POSITIVE) union(cluster, i, j);
        }
      }
    // Per region (at its root r) and per cluster (at n + its root): its TP and TN neighbours.
    regionSize.fill(0, 0, n);
    truePositiveNeighbour.fill(-1, 0, 2 * n);
    trueNegativeNeighbour.fill(-1, 0, 2 * n);
    const outsideRegion = find(parent, outside);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (classes[i] < FALSE_POSITIVE) continue;
        const region = find(parent, i);
        const group = n + find(cluster, i);
        regionSize[region]++;
        if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
          note(trueNegativeNeighbour, region, outsideRegion);
          note(trueNegativeNeighbour, group, outsideRegion);
        }
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if ((dx === 0 && dy === 0) || yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
            const j = yy * width + xx;
            const neighbours =
              classes[j] === TRUE_POSITIVE && (dx === 0 || dy === 0) // foreground meets foreground by an edge
                ? truePositiveNeighbour
                : classes[j] === TRUE_NEGATIVE
                  ? trueNegativeNeighbour
                  : null;
            if (neighbours === null) continue;
            const other = find(parent, j);
            note(neighbours, region, other);
            note(neighbours, group, other);
          }
      }
    // A cluster that fails the rule is blamed on its own critical regions; only when it has none
    // (its regions err together) are all of its regions critical.
    const regular = (k: number) => truePositiveNeighbour[k] >= 0 && trueNegativeNeighbour[k] >= 0;
    clusterHasCritical.fill(0, 0, n);
    for (let i = 0; i < n; i++)
      if (classes[i] >= FALSE_POSITIVE && !regular(find(parent, i))) clusterHasCritical[find(cluster, i)] = 1;
    const weights = this.weights.subarray(0, n);
    for (let i = 0; i < n; i++) {
      weights[i] = 0;
      if (classes[i] < FALSE_POSITIVE) continue;
      const region = find(parent, i);
      const group = find(cluster, i);
      if (regular(region) && (!this.clusters || regular(n + group) || clusterHasCritical[group])) continue;
      weights[i] = (classes[i] === FALSE_POSITIVE ? 1 : -1) / regionSize[region];
    }
    return weights;
  }

  /** Working memory for maps of `n` pixels, grown when needed and kept. */
  private reserve(n: number): void {
    if (this.classes.length >= n) return;
    this.parent = new Int32Array(n + 1);
    this.cluster = new Int32Array(n);
    this.clusterHasCritical = new Uint8Array(n);
    this.classes = new Uint8Array(n);
    this.regionSize = new Int32Array(n);
    this.truePositiveNeighbour = new Int32Array(2 * n);
    this.trueNegativeNeighbour = new Int32Array(2 * n);
    this.weights = new Float32Array(n);
  }
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
}

/**
 * Records region `neighbour` beside `at` (a region or cluster) in `first`, which holds per `at` its
 * one neighbour of that class so far: −1 before the first, −2 once a second differs.
 */
function note(first: Int32Array, at: number, neighbour: number): void {
  const seen = first[at];
  if (seen === -1) first[at] = neighbour;
  else if (seen !== neighbour) first[at] = -2;
}
