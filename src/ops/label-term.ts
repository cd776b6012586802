import * as tf from '@tensorflow/tfjs-core';
import { checkArgs, checkDims, checkFlag, checkInteger, checkNumber, describe, FLOAT32_MAX } from '../base/checks.js';
import { mapLayout, MapLayout, readMap } from '../base/layout.js';
import { Construction, CubicalPersistence } from '../persistence/cubical/cubical.js';
import { bettiMatchingTerm } from './betti-matching-op.js';
import { clDiceLoss } from './cldice.js';
import { ComponentGraph } from './component-graph.js';
import { contentKey, LruCache } from './lru-cache.js';
import { bettiLoss, MapReduction, wassersteinToTargets } from './functionals.js';
import { LabelSummary, summarizeLabel } from './label-summary.js';
import { persistenceDiagrams } from './persistence-op.js';
import { SkeletonRecall } from './skeleton-recall.js';
import { checkPatch, PatchOptions, tileBatch } from './tiles.js';

/**
 * How a prediction is compared with its label:
 *
 * - `'betti'`: each label's Betti numbers (its classes alive at `threshold`) are the targets; the
 *   prediction keeps that many most persistent classes per dimension (pushed to lifetime 1) and
 *   every other class goes to the diagonal (the Betti prior of Hu et al. 2019 and Clough et al.);
 * - `'wasserstein'`: W_p^p between the prediction's diagram and the label's own (Hu et al. 2019);
 * - `'bettiMatching'`: the Betti-matching loss (Stucki et al. 2023): bars matched through the
 *   comparison image, each matched pair pulled to its partner, each unmatched bar to the diagonal;
 * - `'clDice'`: 1 − clDice with soft skeletons (Shit et al. 2021), the non-persistence baseline;
 * - `'skeletonRecall'`: 1 − the soft recall of the prediction on the label's skeleton dilated into a
 *   tube (Kirchhoff et al. 2024), computed once per label on the host: the cheapest term;
 * - `'componentGraph'` (2-D): in the spirit of Topograph (Lux et al. 2025), the regions of the
 *   overlay of the binarised prediction and label (true and false positives and negatives) whose
 *   flip would change the topology get their mean error as the term (`ComponentGraph`): two
 *   union-find passes per map, no persistence.
 * @category Diagram ops
 */
export type LabelTermKind = 'betti' | 'wasserstein' | 'bettiMatching' | 'clDice' | 'skeletonRecall' | 'componentGraph';

/**
 * Every `LabelTermKind`: the values the `kind` option accepts.
 *
 * @category Diagram ops
 */
export const LABEL_TERM_KINDS: readonly LabelTermKind[] = [
  'betti',
  'wasserstein',
  'bettiMatching',
  'clDice',
  'skeletonRecall',
  'componentGraph',
];

/**
 * A label-aware topological term, as plain serializable data. Each kind reads only some of the
 * options — `'betti'`: dims, superlevel, construction, threshold, p, reduction; `'wasserstein'`:
 * dims, superlevel, construction, p, maxPoints, reduction; `'bettiMatching'`: dims, superlevel,
 * construction, reduction, sparseThreshold; `'clDice'`: iterations, smooth; `'skeletonRecall'`:
 * threshold, tube, smooth, reduction; `'componentGraph'`: threshold, clusters, reduction; all of
 * them: patch — and refuses the others.
 * @category Diagram ops
 */
export interface LabelTermConfig {
  /** How the prediction is compared with its label (see `LabelTermKind`). */
  kind: LabelTermKind;
  /** Homology dimensions compared. Default: all below the spatial rank ([0, 1] for images, [0, 1, 2] for volumes). */
  dims?: readonly number[];
  /** Foreground is high (superlevel filtrations, the segmentation convention). Default true. */
  superlevel?: boolean;
  /**
   * Where values sit in the cubical complex: `'V'` (default; on vertices, as the Betti-matching
   * reference: with `superlevel`, foreground 4-connected in 2-D) or `'T'` (on top cells:
   * foreground 8-connected). `'bettiMatching'` supports `'V'` only.
   */
  construction?: Construction;
  /**
   * `'betti'`: the level at which each label's classes are counted; `'skeletonRecall'`: the level
   * at which the label is binarised before its skeleton is taken; `'componentGraph'`: the level at
   * which both the prediction and the label are binarised. Default 0.5.
   */
  threshold?: number;
  /** Exponent p ≥ 1 of `'betti'` and `'wasserstein'` (default 2). */
  p?: number;
  /**
   * `'wasserstein'`: the prediction's most persistent points matched per map and dimension (the
   * rest go to the diagonal). Default 256.
   */
  maxPoints?: number;
  /** How per-map terms combine over the batch: `'mean'` (default) or `'sum'`. */
  reduction?: MapReduction;
  /** `'clDice'`: soft-skeleton iterations (default 10; about the largest structure radius). */
  iterations?: number;
  /**
   * `'clDice'`: smoothing constant added to both ratios (≥ 0, default 1, as the authors);
   * `'skeletonRecall'`: added to both sums of the recall (> 0, default 1: an empty tube's term is 0).
   */
  smooth?: number;
  /**
   * `'componentGraph'`: also test clusters of error regions, 8-connected, which can make a
   * topological error together (default true; `ComponentGraph`). With false, each region is tested
   * alone: such errors go unseen, but a cluster made only of benign regions is not blamed either.
   */
  clusters?: boolean;
  /**
   * `'bettiMatching'`: match only the cells whose every vertex has max(prediction, label) ≥ this
   * level (min ≤ it when `superlevel` is false) — sparse Betti matching (`SparseBettiMatching`), in
   * time and memory proportional to those cells: what makes thin 3-D structures of 128³ and more
   * affordable. Classes not killed among them die at the floor (the smallest value of either map).
   * Default: every cell (dense).
   */
  sparseThreshold?: number;
  /**
   * `'skeletonRecall'`: the tube's radius — the label's skeleton dilated this many times by the
   * face neighbours (a diamond; 0: the skeleton itself). Default 1.
   */
  tube?: number;
  /**
   * Patch-wise evaluation of large images: every map is cut into tiles of `size` per spatial axis
   * (neighbours sharing `overlap` elements), each tile compared with the same tile of the label as a
   * map of its own. Default: whole maps.
   */
  patch?: PatchOptions;
}

const CONFIG_KEYS = [
  'kind',
  'dims',
  'superlevel',
  'construction',
  'threshold',
  'p',
  'maxPoints',
  'reduction',
  'iterations',
  'smooth',
  'tube',
  'clusters',
  'sparseThreshold',
  'patch',
];

/** The options each kind reads (besides `kind`): any other is refused, never silently ignored. */
const KIND_KEYS: Record<LabelTermKind, readonly string[]> = {
  betti: ['dims', 'superlevel', 'construction', 'threshold', 'p', 'reduction', 'patch'],
  wasserstein: ['dims', 'superlevel', 'construction', 'p', 'maxPoints', 'reduction', 'patch'],
  bettiMatching: ['dims', 'superlevel', 'construction', 'reduction', 'sparseThreshold', 'patch'],
  clDice: ['iterations', 'smooth', 'patch'],
  skeletonRecall: ['threshold', 'tube', 'smooth', 'reduction', 'patch'],
  componentGraph: ['threshold', 'clusters', 'reduction', 'patch'],
};

/** Labels whose summaries are kept per term (a few MB for 64×64 labels). */
const LABEL_CACHE_SIZE = 4096;

/**
 * A label-aware term: `evaluate(yTrue, yPred)` compares every map (batch item × channel) of the
 * prediction with the same map of the label and is differentiable in `yPred`. The label side —
 * its diagrams and Betti numbers, or its Betti-matching bars — is computed once per distinct label
 * (keyed by content) and cached, so an epoch over the same data pays for it once.
 * @category Diagram ops
 */
export class LabelTerm {
  /** How the prediction is compared with its label (`config.kind`). */
  readonly kind: LabelTermKind;
  /** `config.superlevel`: foreground is high. Default true. */
  readonly superlevel: boolean;
  /** `config.construction`: where values sit in the cubical complex. Default `'V'`. */
  readonly construction: Construction;
  /** `config.threshold`: `'betti'`'s level at which each label's classes are counted. Default 0.5. */
  readonly threshold: number;
  /** `config.p`: exponent of `'betti'` and `'wasserstein'`. Default 2. */
  readonly p: number;
  /** `config.maxPoints`: `'wasserstein'`'s points matched per map and dimension. Default 256. */
  readonly maxPoints: number;
  /** `config.reduction`: how per-map terms combine over the batch. Default `'mean'`. */
  readonly reduction: MapReduction;
  /** `config.tube`: `'skeletonRecall'`'s tube radius. Default 1. */
  readonly tube: number;
  /** `config.clusters`: `'componentGraph'` tests clusters of error regions too. Default true. */
  readonly clusters: boolean;
  /** `config.sparseThreshold`: `'bettiMatching'` on the cells passing it; undefined: dense. */
  readonly sparseThreshold: number | undefined;
  /** `config.iterations`: `'clDice'`'s soft-skeleton iterations. Default 10. */
  readonly iterations: number;
  /** `config.smooth`: `'clDice'`'s smoothing constant. Default 1. */
  readonly smooth: number;
  /** `config.patch` with `overlap` filled in (default 0), or undefined for whole maps. */
  readonly patch: Required<PatchOptions> | undefined;
  private readonly dimsOption: readonly number[] | undefined;
  private readonly name: string;
  private readonly summaries = new LruCache<LabelSummary>(LABEL_CACHE_SIZE);
  private engine: CubicalPersistence | null = null;
  private readonly skeletonRecall: SkeletonRecall | null;
  private readonly componentGraph: ComponentGraph | null;

  /**
   * Validates `config` eagerly — an option its kind does not read is refused too; `name` is the
   * path errors give it (e.g. `args.term`), also when `evaluate` finds `dims` beyond the maps' rank.
   */
  constructor(config: LabelTermConfig, name = 'config') {
    checkArgs(config, name, CONFIG_KEYS);
    if (!LABEL_TERM_KINDS.includes(config.kind))
      throw new Error(
        `${name}.kind: expected one of ${LABEL_TERM_KINDS.map((k) => `'${k}'`).join(', ')}, got ${describe(config.kind)}`,
      );
    this.kind = config.kind;
    this.name = name;
    const own = KIND_KEYS[this.kind];
    for (const [key, value] of Object.entries(config))
      if (key !== 'kind' && value !== undefined && !own.includes(key))
        throw new Error(`${name}.${key}: not an option of kind '${this.kind}' (its options: ${own.join(', ')})`);
    this.superlevel = checkFlag(config.superlevel, `${name}.superlevel`, true);
    this.construction = config.construction === undefined ? 'V' : config.construction;
    if (this.construction !== 'V' && this.construction !== 'T')
      throw new Error(`${name}.construction: expected 'V' or 'T', got ${describe(config.construction)}`);
    if (this.kind === 'bettiMatching' && this.construction !== 'V')
      throw new Error(`${name}.construction: 'bettiMatching' takes values on vertices ('V') only`);
    if (config.dims !== undefined) checkDims(config.dims, 2, 'an image or a volume', `${name}.dims`);
    this.dimsOption = config.dims;
    this.threshold = checkNumber(config.threshold, `${name}.threshold`, 0.5);
    if (
      (this.kind === 'skeletonRecall' || this.kind === 'componentGraph') &&
      !(this.threshold > 0 && this.threshold <= 1)
    )
      throw new Error(
        `${name}.threshold: '${this.kind}' binarises labels in [0, 1] at it; expected a number in (0, 1], got ${describe(config.threshold)}`,
      );
    this.p = checkNumber(config.p, `${name}.p`, 2, 1);
    this.maxPoints = checkInteger(config.maxPoints, `${name}.maxPoints`, 256, 1, 3000);
    this.reduction = config.reduction === undefined ? 'mean' : config.reduction;
    if (this.reduction !== 'mean' && this.reduction !== 'sum')
      throw new Error(`${name}.reduction: expected 'mean' or 'sum', got ${describe(config.reduction)}`);
    this.iterations = checkInteger(config.iterations, `${name}.iterations`, 10, 0);
    this.smooth = checkNumber(config.smooth, `${name}.smooth`, 1, 0, FLOAT32_MAX);
    this.tube = checkInteger(config.tube, `${name}.tube`, 1, 0);
    if (this.kind === 'skeletonRecall' && !(this.smooth > 0))
      throw new Error(
        `${name}.smooth: 'skeletonRecall' needs smooth > 0 (a label without foreground has an empty tube)`,
      );
    this.skeletonRecall =
      this.kind === 'skeletonRecall' ? new SkeletonRecall(this.threshold, this.tube, this.smooth) : null;
    this.clusters = checkFlag(config.clusters, `${name}.clusters`, true);
    this.componentGraph = this.kind === 'componentGraph' ? new ComponentGraph(this.threshold, this.clusters) : null;
    this.patch = config.patch === undefined ? undefined : checkPatch(config.patch, `${name}.patch`);
    this.sparseThreshold =
      config.sparseThreshold === undefined
        ? undefined
        : checkNumber(config.sparseThreshold, `${name}.sparseThreshold`, undefined);
  }

  /** The settings of its kind, defaults filled in (for `getConfig`). */
  get config(): LabelTermConfig {
    const { kind, superlevel, construction, threshold, p, maxPoints, reduction, iterations, smooth, tube } = this;
    const { dimsOption: dims, patch, clusters, sparseThreshold } = this;
    const all = {
      dims,
      superlevel,
      construction,
      threshold,
      p,
      maxPoints,
      reduction,
      iterations,
      smooth,
      tube,
      clusters,
      sparseThreshold,
      patch,
    };
    return {
      kind,
      ...Object.fromEntries(Object.entries(all).filter(([key]) => KIND_KEYS[kind].includes(key))),
    } as LabelTermConfig;
  }

  /** Whether the term reads persistence (and so can be smeared). */
  get persistent(): boolean {
    return this.kind !== 'clDice' && this.kind !== 'skeletonRecall' && this.kind !== 'componentGraph';
  }

  /** The term of `yPred` against `yTrue` (equal shapes, `[B, H, W, C]` or `[B, D, H, W, C]`). */
  evaluate(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    checkPair(yTrue, yPred);
    return tf.tidy(() => {
      const [label, pred] = this.tiles(yTrue, yPred);
      if (this.kind === 'clDice') return clDiceLoss(tf.cast(label, 'float32'), pred, this.iterations, this.smooth);
      if (this.skeletonRecall)
        return this.skeletonRecall.evaluate(labelData(label), mapLayout(pred.shape, 'yPred'), pred, this.reduction);
      if (this.componentGraph) {
        if (pred.rank !== 4)
          throw new Error(
            `yPred: the 'componentGraph' term takes images [B, H, W, C], got shape [${yPred.shape.join(', ')}]`,
          );
        return this.componentGraph.evaluate(labelData(label), mapLayout(pred.shape, 'yPred'), pred, this.reduction);
      }
      return this.compare(labelData(label), mapLayout(pred.shape, 'yPred'), pred);
    });
  }

  /** The label and the prediction cut into `patch` tiles (stacked as maps), or as they are. */
  tiles(yTrue: tf.Tensor, yPred: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const patch = this.patch;
    return patch ? [tileBatch(yTrue, patch), tileBatch(yPred, patch)] : [yTrue, yPred];
  }

  /**
   * The persistence-based term of `yPred` against label maps given on the host (`labels` in the
   * layout `labelLayout`, with the prediction's maps; its spatial shape may differ except for
   * `'bettiMatching'`, e.g. a full-resolution label against a pooled prediction).
   */
  compare(labels: Float32Array, labelLayout: MapLayout, yPred: tf.Tensor): tf.Scalar {
    const layout = mapLayout(yPred.shape, 'yPred');
    const dims = this.dims(layout);
    if (this.kind === 'bettiMatching')
      return bettiMatchingTerm(yPred, labels, {
        superlevel: this.superlevel,
        dims,
        reduction: this.reduction,
        sparseThreshold: this.sparseThreshold,
      });
    const summaries = this.summarize(labels, labelLayout, dims);
    const essential = this.kind === 'betti' ? 'drop' : 'clip';
    const options = { construction: this.construction, superlevel: this.superlevel, dims, essential } as const;
    return tf.tidy(() => {
      const diagrams = persistenceDiagrams(yPred, options); // every dimension in one pass
      const terms = dims.map((dim, k) =>
        this.kind === 'betti'
          ? bettiLoss(diagrams, { dim, betti: summaries.map((s) => s.betti[k]), p: this.p, reduction: this.reduction })
          : wassersteinToTargets(diagrams, (m) => summaries[m].diagrams[k], {
              dim,
              p: this.p,
              maxPoints: this.maxPoints,
              reduction: this.reduction,
            }),
      );
      return (terms.length === 1 ? terms[0] : tf.addN(terms)) as tf.Scalar;
    });
  }

  /** The homology dimensions compared for maps of this layout. */
  private dims(layout: MapLayout): number[] {
    return checkDims(
      this.dimsOption,
      layout.spatial.length - 1,
      `a ${layout.spatial.length}-D map`,
      `${this.name}.dims`,
    );
  }

  /** Every label map's summary, from the cache where the same label was seen before. */
  private summarize(labels: Float32Array, layout: MapLayout, dims: readonly number[]): LabelSummary[] {
    const engine = this.engineFor(layout.spatial, dims);
    const scratch = new Float32Array(layout.mapSize);
    return Array.from({ length: layout.maps }, (_, m) => {
      const values = readMap(layout, labels, m, scratch);
      return this.summaries.get(contentKey(values), () => summarizeLabel(values, engine, this.threshold));
    });
  }

  private engineFor(spatial: readonly number[], dims: readonly number[]): CubicalPersistence {
    const e = this.engine;
    if (e === null || e.shape.join() !== spatial.join() || e.dims.join() !== dims.join()) {
      this.summaries.clear(); // summaries depend on the shape and dims
      this.engine = new CubicalPersistence(spatial, {
        construction: this.construction,
        superlevel: this.superlevel,
        dims: [...dims],
      });
    }
    return this.engine as CubicalPersistence;
  }
}

/** The layout shared by a label and a prediction, or an error naming the argument at fault. */
export function checkPair(yTrue: tf.Tensor, yPred: tf.Tensor): MapLayout {
  if (!(yTrue instanceof tf.Tensor)) throw new Error(`yTrue: expected a tf.Tensor, got ${describe(yTrue)}`);
  if (!(yPred instanceof tf.Tensor)) throw new Error(`yPred: expected a tf.Tensor, got ${describe(yPred)}`);
  if (yPred.dtype !== 'float32') throw new Error(`yPred: expected a float32 tensor, got ${yPred.dtype}`);
  if (yPred.rank !== 4 && yPred.rank !== 5)
    throw new Error(`yPred: expected a batch [B, H, W, C] or [B, D, H, W, C], got shape [${yPred.shape.join(', ')}]`);
  if (yTrue.shape.join() !== yPred.shape.join())
    throw new Error(
      `yTrue: expected the prediction's shape [${yPred.shape.join(', ')}], got [${yTrue.shape.join(', ')}]`,
    );
  return mapLayout(yPred.shape, 'yPred');
}

/** The label's values on the host, checked to lie in [0, 1]. */
export function labelData(yTrue: tf.Tensor): Float32Array {
  const raw = yTrue.dataSync();
  const data = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
  for (let i = 0; i < data.length; i++)
    if (!(data[i] >= 0 && data[i] <= 1))
      throw new Error(`yTrue: expected label values in [0, 1], got ${describe(data[i])} at flat index ${i}`);
  return data;
}
