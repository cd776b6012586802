import * as tf from '@tensorflow/tfjs-core';
import { RipsOptions, RipsPersistence } from '../persistence/rips/rips.js';
import { SparseMatrix } from './sparse-matrix.js';
import { DiagramSet } from './diagram-set.js';
import { applyFunctional, checkDimsComputed, checkFunctional, FunctionalConfig } from './topological-term.js';
import { asArgument, checkArgs, checkOptions, describe } from '../base/checks.js';

/**
 * The Rips engine's options for every cloud: highest homology dimension and edge-length threshold.
 *
 * @category Diagram ops
 */
export type RipsOpOptions = Pick<RipsOptions, 'maxDim' | 'threshold'>;

/** The keys of `RipsOpOptions`. */
const RIPS_OP_KEYS = ['maxDim', 'threshold'] as const;

/**
 * Vietoris–Rips diagrams of point clouds as a differentiable tensor. Every pair's birth and death
 * are lengths of edges between two input points (its critical edges); the gradient reaches the
 * coordinates of those points through ‖x_i − x_j‖. Essential classes (the one H0 class that never
 * dies, and any class alive at the threshold) have no finite death: they are left out of `pairs`
 * and counted in `essentialCounts`.
 * @category Diagram ops
 */
export interface PointCloudDiagrams extends DiagramSet {
  /** Per pair, two entries: the birth edge's points as flat indices b · n + i into the input's points (i = j for H0 births, which are 0). */
  readonly birthEdge: Int32Array;
  /** Per pair, two entries: the death edge's points, as `birthEdge`. */
  readonly deathEdge: Int32Array;
  /** Points per cloud (n), coordinates per point (d) and clouds (B: 1 for an unbatched input). */
  readonly layout: CloudLayout;
}

/**
 * How a points tensor of shape `[n, d]` or `[B, n, d]` splits into clouds (see `cloudLayout`).
 *
 * @category Diagram ops
 */
export interface CloudLayout {
  /** Clouds B: the first axis of a `[B, n, d]` tensor, else 1. */
  readonly batch: number;
  /** Points per cloud (n). */
  readonly points: number;
  /** Coordinates per point (d). */
  readonly dimension: number;
}

/**
 * One cloud to compute: the points of batch item `item`, all of them or the subset `indices`, each
 * coordinate displaced by `jitter` (m × d values, row-major) when given. This is how STUMP's point
 * approximates (random subsets plus perturbations) reach the op.
 * @category Diagram ops
 */
export interface CloudSample {
  /** The batch item (cloud) to draw from: an integer in 0..B − 1. */
  item: number;
  /** The points of the cloud to keep (indices into its n points); all of them when omitted. */
  indices?: Int32Array;
  /** Displacement added to each kept point's coordinates: m × d values, row-major (m = points kept). */
  jitter?: Float64Array;
}

/**
 * Rips persistence diagrams of `points` — `[n, d]` or a batch `[B, n, d]` — as a differentiable
 * `[N, 2]` tensor of (birth, death) pairs (see `PointCloudDiagrams`). The forward pass reads the
 * coordinates once and runs the engine per cloud (distances in float64); the backward pass takes
 * each pair's gradient to the endpoints of its two critical edges, along the edges' directions —
 * on a GPU backend by one gather on the device, reading nothing back.
 *
 * @throws Error naming `points` (not a float32 tf.Tensor of shape `[n, d]` or `[B, n, d]` with
 *   n, d ≥ 1, a NaN or infinite coordinate, too many points — `points (cloud b)` for a batch), or
 *   `options` / `options.<key>` (an unknown key, `maxDim` other than 0, 1 or 2, `threshold` not a
 *   positive number).
 * @example
 * ```js
 * const square = tf.tensor2d([[0, 0], [1, 0], [1, 1], [0, 1]]); // 4 points in the plane
 * const d = ripsDiagrams(square); // H0 and H1 (maxDim 1)
 * // d.pairs.arraySync() → [[0, 1], [0, 1], [0, 1], [1, 1.414…]], d.dim → [0, 0, 0, 1]:
 * // three merges at length 1 and one loop, filled by the diagonals; d.essentialCounts → [1, 0]
 * ```
 * @category Diagram ops
 */
export function ripsDiagrams(points: tf.Tensor, options?: RipsOpOptions): PointCloudDiagrams {
  const layout = cloudLayout(points);
  checkOptions(options, 'options', RIPS_OP_KEYS);
  return cloudDiagrams(
    points,
    Array.from({ length: layout.batch }, (_, item) => ({ item })),
    options,
  );
}

/**
 * A topological term on point clouds: Rips diagrams of the points and the Φ to apply to them.
 *
 * @category Diagram ops
 */
export interface PointCloudTermConfig extends RipsOpOptions {
  /** The functional Φ applied to the diagrams. */
  functional: FunctionalConfig;
}

/**
 * A point-cloud term's config checked before any point is read: an object of known keys, the
 * functional, the Rips options, and the functional's dimensions among 0..maxDim. Errors name
 * `name.key`.
 */
export function checkPointCloudTermConfig(config: PointCloudTermConfig, name: string): void {
  const { functional, maxDim, threshold } = checkArgs(config, name, ['functional', ...RIPS_OP_KEYS]);
  checkFunctional(functional, `${name}.functional`);
  const engine = asArgument(name, () => new RipsPersistence({ maxDim, threshold }));
  const dims = Array.from({ length: engine.maxDim + 1 }, (_, k) => k);
  checkDimsComputed(functional, dims, name, `${name}.maxDim is ${engine.maxDim}`);
}

/**
 * Φ(PD(Rips(points))) as a scalar differentiable with respect to the coordinates.
 *
 * @category Diagram ops
 */
export function pointCloudTerm(points: tf.Tensor, config: PointCloudTermConfig): tf.Scalar {
  const { functional, ...rips } = checkOptions(config, 'config', ['functional', ...RIPS_OP_KEYS]);
  checkFunctional(functional, 'config.functional');
  return applyFunctional(ripsDiagrams(points, rips), functional);
}

/**
 * Rips diagrams of the clouds `samples` drawn from `points` (one map per sample, in order).
 *
 * @category Diagram ops
 */
export function cloudDiagrams(
  points: tf.Tensor,
  samples: readonly CloudSample[],
  options?: RipsOpOptions,
): PointCloudDiagrams {
  cloudLayout(points); // checks points before the read
  return cloudDiagramsOf(points, points.dataSync() as Float32Array, samples, options);
}

/**
 * `cloudDiagrams` on coordinates already read (`data`, the contents of `points`), so that a
 * smeared term reads the points once however many approximates it draws.
 * @internal
 */
export function cloudDiagramsOf(
  points: tf.Tensor,
  data: Float32Array,
  samples: readonly CloudSample[],
  options?: RipsOpOptions,
): PointCloudDiagrams {
  const layout = cloudLayout(points);
  options = checkOptions(options, 'options', RIPS_OP_KEYS);
  const { points: n, dimension: d } = layout;
  const maxDim = options.maxDim ?? 1;
  const dims = Array.from({ length: maxDim + 1 }, (_, k) => k);
  const essentialCounts = new Int32Array(samples.length * dims.length);
  const pairs = new PairList(d);
  let coords = new Float64Array(0);
  samples.forEach((sample, m) => {
    const { item, indices, jitter } = sample;
    const size = indices ? indices.length : n;
    checkSample(sample, m, layout);
    if (coords.length !== size * d) coords = new Float64Array(size * d);
    const base = item * n;
    for (let v = 0; v < size; v++) {
      const p = base + (indices ? indices[v] : v);
      for (let k = 0; k < d; k++) coords[v * d + k] = data[p * d + k] + (jitter ? jitter[v * d + k] : 0);
    }
    let diagrams;
    try {
      diagrams = engineFor(options).fromPoints(coords, d);
    } catch (e) {
      // Name the cloud of a batch in the engine's message about its points.
      throw new Error(
        String((e as Error).message).replace(/^points\b/, layout.batch > 1 ? `points (cloud ${item})` : 'points'),
        { cause: e },
      );
    }
    const global = (v: number) => base + (indices ? indices[v] : v);
    for (const diagram of diagrams) {
      const k = dims.indexOf(diagram.dim);
      for (let i = 0; i < diagram.births.length; i++) {
        const e = 2 * i;
        if (diagram.deathEdges[e] < 0) {
          essentialCounts[m * dims.length + k]++;
          continue;
        }
        pairs.push(
          diagram.dim,
          m,
          diagram.births[i],
          diagram.deaths[i],
          coords,
          diagram.birthEdges[e],
          diagram.birthEdges[e + 1],
          diagram.deathEdges[e],
          diagram.deathEdges[e + 1],
          global,
        );
      }
    }
  });
  return pairs.finish(points, layout, dims, samples.length, essentialCounts);
}

/** Throws unless sample m names a cloud of the batch, points of it, and jitter of the right size. */
function checkSample(
  { item, indices, jitter }: CloudSample,
  m: number,
  { batch, points: n, dimension: d }: CloudLayout,
): void {
  if (!Number.isInteger(item) || item < 0 || item >= batch)
    throw new Error(`samples[${m}].item: expected an integer in 0..${batch - 1}, got ${describe(item)}`);
  if (indices !== undefined) {
    if (!(indices instanceof Int32Array)) throw new Error(`samples[${m}].indices: expected an Int32Array`);
    for (const i of indices)
      if (!(i >= 0 && i < n)) throw new Error(`samples[${m}].indices: point ${i} is not in 0..${n - 1}`);
  }
  const size = indices ? indices.length : n;
  if (jitter !== undefined && (!(jitter instanceof Float64Array) || jitter.length !== size * d))
    throw new Error(
      `samples[${m}].jitter: expected a Float64Array of ${size * d} values (points × coordinates), got ${jitter.length}`,
    );
}

/** [n, d] or [B, n, d] float32, with at least one coordinate per point. */
export function cloudLayout(points: tf.Tensor): CloudLayout {
  if (!(points instanceof tf.Tensor)) throw new Error(`points: expected a tf.Tensor, got ${typeof points}`);
  if (points.dtype !== 'float32') throw new Error(`points: expected a float32 tensor, got ${points.dtype}`);
  const shape = points.shape;
  if (shape.length !== 2 && shape.length !== 3)
    throw new Error(`points: expected a tensor of shape [n, d] or [B, n, d], got [${shape.join(', ')}]`);
  const [batch, n, d] = shape.length === 2 ? [1, shape[0], shape[1]] : shape;
  if (d < 1)
    throw new Error(`points: expected at least one coordinate per point (d ≥ 1), got shape [${shape.join(', ')}]`);
  if (n < 1 || batch < 1)
    throw new Error(`points: expected at least one point per cloud, got shape [${shape.join(', ')}]`);
  return { batch, points: n, dimension: d };
}

/**
 * Pairs gathered on the host, with each critical edge's unit direction (x_i − x_j)/‖x_i − x_j‖ at
 * the coordinates the engine saw (jitter included): the gradient of the edge's length with respect
 * to x_i, and its negative with respect to x_j.
 */
class PairList {
  private readonly values: number[] = [];
  private readonly dim: number[] = [];
  private readonly map: number[] = [];
  private readonly birthEdge: number[] = [];
  private readonly deathEdge: number[] = [];
  private readonly directions: number[] = []; // per pair: d values for the birth edge, then d for the death edge

  constructor(private readonly d: number) {}

  push(
    dim: number,
    map: number,
    birth: number,
    death: number,
    coords: Float64Array,
    bi: number,
    bj: number,
    di: number,
    dj: number,
    global: (v: number) => number,
  ): void {
    this.values.push(birth, death);
    this.dim.push(dim);
    this.map.push(map);
    this.birthEdge.push(global(bi), global(bj));
    this.deathEdge.push(global(di), global(dj));
    this.pushDirection(coords, bi, bj, birth);
    this.pushDirection(coords, di, dj, death);
  }

  private pushDirection(coords: Float64Array, i: number, j: number, length: number): void {
    const d = this.d;
    for (let k = 0; k < d; k++) this.directions.push(length > 0 ? (coords[i * d + k] - coords[j * d + k]) / length : 0);
  }

  finish(
    points: tf.Tensor,
    layout: CloudLayout,
    dims: number[],
    maps: number,
    essentialCounts: Int32Array,
  ): PointCloudDiagrams {
    const n = this.dim.length;
    const d = this.d;
    const values = Float32Array.from(this.values);
    const birthEdge = Int32Array.from(this.birthEdge);
    const deathEdge = Int32Array.from(this.deathEdge);
    const directions = Float64Array.from(this.directions);
    const op = tf.customGrad((...args) => ({
      value: tf.tensor2d(values, [n, 2]),
      gradFunc: (dy: tf.Tensor) => {
        // d(length of edge (a, b))/dx_a = the unit direction from b to a, and its negative for x_b.
        const jacobianT = new SparseMatrix(points.size, 2 * n, 4 * n * d);
        for (let entry = 0; entry < 2 * n; entry++) {
          const edge = entry % 2 === 0 ? birthEdge : deathEdge;
          const i = entry >> 1;
          const a = edge[2 * i] * d;
          const b = edge[2 * i + 1] * d;
          for (let k = 0; k < d; k++) {
            jacobianT.add(a + k, entry, directions[entry * d + k]);
            jacobianT.add(b + k, entry, -directions[entry * d + k]);
          }
        }
        return jacobianT.multiply(dy, (args[0] as tf.Tensor).shape);
      },
    }));
    return {
      pairs: op(points) as tf.Tensor2D,
      values,
      dim: Int32Array.from(this.dim),
      map: Int32Array.from(this.map),
      essential: new Uint8Array(n),
      essentialCounts,
      dims,
      maps,
      birthEdge,
      deathEdge,
      layout,
    };
  }
}

/** Engines keep their working memory across steps: one per (maxDim, threshold), the few most recent kept. */
const engines = new Map<string, RipsPersistence>();
const MAX_ENGINES = 4;

function engineFor(options: RipsOpOptions): RipsPersistence {
  const key = JSON.stringify([options.maxDim ?? 1, options.threshold ?? null]);
  let engine = engines.get(key);
  if (engine === undefined) {
    engine = new RipsPersistence({ maxDim: options.maxDim, threshold: options.threshold });
    if (engines.size >= MAX_ENGINES) engines.delete(engines.keys().next().value as string);
  } else engines.delete(key); // re-inserted below as the most recent
  engines.set(key, engine);
  return engine;
}
