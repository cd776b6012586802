import * as tf from '@tensorflow/tfjs-core';
import { flatIndex, MapLayout, readMap } from '../base/layout.js';
import { skeletonize } from '../metrics/skeleton.js';
import { contentKey, LruCache } from './lru-cache.js';

/**
 * Skeleton Recall (Kirchhoff et al., ECCV 2024): 1 − the soft recall of the prediction on the
 * label's *tubed skeleton* — its skeleton dilated into a thin tube — per map,
 *
 *   1 − (Σ pred · tube + smooth) / (Σ tube + smooth),
 *
 * so the network is pushed to cover every branch of the label's centre lines, thin or thick, at the
 * cost of one elementwise product and sum: the skeleton is computed once per distinct label on the
 * host (not from the prediction, as clDice's soft skeletons are), so the term adds almost nothing
 * to a training step. A map whose label has no foreground has an empty tube and a term of 0.
 * Images and volumes (skeletons by `skeletonize`, 2-D or 3-D thinning).
 */
export class SkeletonRecall {
  private readonly tubes = new LruCache<Uint8Array>(TUBE_CACHE_SIZE);

  /**
   * `threshold`: label foreground where label ≥ threshold; `radius`: the tube is the skeleton
   * dilated `radius` times by the face neighbours (a diamond of that radius; 0: the skeleton itself).
   */
  constructor(
    private readonly threshold: number,
    private readonly radius: number,
    private readonly smooth: number,
  ) {}

  /**
   * The term of `yPred` against host label maps `labels` (same layout; images or volumes), each map's term
   * combined by `reduction` over the maps.
   */
  evaluate(labels: Float32Array, layout: MapLayout, yPred: tf.Tensor, reduction: 'mean' | 'sum'): tf.Scalar {
    const tube = new Float32Array(labels.length);
    const tubeSums = new Float32Array(layout.maps);
    const scratch = new Float32Array(layout.mapSize);
    for (let m = 0; m < layout.maps; m++) {
      const map = readMap(layout, labels, m, scratch);
      const t = this.tubes.get(contentKey(map), () => this.tubeOf(map, layout.spatial));
      for (let i = 0; i < t.length; i++)
        if (t[i]) {
          tube[flatIndex(layout, m, i)] = 1;
          tubeSums[m]++;
        }
    }
    return tf.tidy(() => {
      // Per map (batch item × channel): the sum over the spatial axes, channels last.
      const spatialAxes = layout.spatial.map((_, a) => a + 1);
      const covered = tf.reshape(tf.sum(tf.mul(yPred, tf.tensor(tube, yPred.shape, 'float32')), spatialAxes), [-1]);
      const recall = tf.div(tf.add(covered, this.smooth), tf.add(tf.tensor1d(tubeSums), this.smooth));
      const terms = tf.sub(1, recall);
      return (reduction === 'mean' ? tf.mean(terms) : tf.sum(terms)) as tf.Scalar;
    });
  }

  /** The label map's skeleton (of the image or volume `spatial`), dilated into a tube. */
  private tubeOf(map: Float32Array, spatial: readonly number[]): Uint8Array {
    const mask = new Uint8Array(map.length);
    for (let i = 0; i < map.length; i++) mask[i] = map[i] >= this.threshold ? 1 : 0;
    let tube = skeletonize(mask, spatial);
    // Each step adds the face neighbours (±1 along one axis) of every tube element; after as many
    // steps as the map's L1 diameter nothing grows (a huge radius must not loop for ever).
    const strides = spatial.map((_, a) => spatial.slice(a + 1).reduce((p, n) => p * n, 1));
    const steps = Math.min(
      this.radius,
      spatial.reduce((sum, n) => sum + n - 1, 0),
    );
    for (let r = 0; r < steps; r++) {
      const grown = tube.slice();
      for (let i = 0; i < tube.length; i++) {
        if (!tube[i]) continue;
        strides.forEach((stride, a) => {
          const coordinate = Math.floor(i / stride) % spatial[a];
          if (coordinate > 0) grown[i - stride] = 1;
          if (coordinate + 1 < spatial[a]) grown[i + stride] = 1;
        });
      }
      tube = grown;
    }
    return tube;
  }
}

/** Label tubes kept per term (64×64 labels: 4 KB each). */
const TUBE_CACHE_SIZE = 4096;
