import * as tf from '@tensorflow/tfjs-core';
import { mapLayout, MapLayout } from '../base/layout.js';
import { checkPair, labelData, LabelTerm } from '../ops/label-term.js';
import { BlockSmear } from './block-smear.js';
import { mean } from './smeared-term.js';

/**
 * The STUMP estimate of a label-aware term: the mean over `samples` random approximates f_ω of the
 * prediction of the term against the label. Betti targets and label diagrams come from the label
 * at full resolution (its topology, not its pooled one); Betti matching compares places, so it
 * matches f_ω with the label pooled over the same blocks by max (min for sublevel terms), which
 * keeps thin foreground structures connected.
 * @category Smearing
 */
export function smearedLabelTerm(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  term: LabelTerm,
  smear: BlockSmear,
  samples: number,
): tf.Scalar {
  checkPair(yTrue, yPred);
  if (!term.persistent) throw new Error(`smear: the '${term.kind}' term reads no persistence and cannot be smeared`);
  return tf.tidy(() => {
    // The term's tiles (the whole maps, or patches stacked as maps) are what is smeared.
    const [label, pred] = term.tiles(yTrue, yPred);
    let layout = mapLayout(pred.shape, 'yPred');
    let labels = labelData(label);
    if (term.kind === 'bettiMatching') {
      const pooledShape = smear.outputShape(pred.shape); // validates the block against the shape
      const blocks = layout.spatial.map((_, a) => (typeof smear.block === 'number' ? smear.block : smear.block[a]));
      labels = extremePool(labels, layout, blocks, term.superlevel);
      layout = mapLayout(pooledShape, 'yPred');
    }
    return mean(Array.from({ length: samples }, () => term.compare(labels, layout, smear.apply(pred))));
  });
}

/**
 * Max-pools (min-pools when `max` is false) every map of `data` (channels-last, `layout`) over
 * blocks of `blocks` elements per spatial axis: n elements give ceil(n / k) cells, the last one
 * partial, as `BlockSmear` pools.
 */
export function extremePool(
  data: Float32Array,
  layout: MapLayout,
  blocks: readonly number[],
  max: boolean,
): Float32Array {
  const { spatial, batch, channels } = layout;
  const coarse = spatial.map((n, a) => Math.ceil(n / blocks[a]));
  // Pad a 2-D map to one slice of depth 1 so one loop serves both.
  const [D, H, W] = spatial.length === 2 ? [1, spatial[0], spatial[1]] : spatial;
  const [d, h, w] = coarse.length === 2 ? [1, coarse[0], coarse[1]] : coarse;
  const [kd, kh, kw] = blocks.length === 2 ? [1, blocks[0], blocks[1]] : blocks;
  const out = new Float32Array(batch * d * h * w * channels).fill(max ? -Infinity : Infinity);
  for (let b = 0; b < batch; b++)
    for (let z = 0; z < D; z++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const from = (((b * D + z) * H + y) * W + x) * channels;
          const to = (((b * d + Math.floor(z / kd)) * h + Math.floor(y / kh)) * w + Math.floor(x / kw)) * channels;
          for (let c = 0; c < channels; c++) {
            const v = data[from + c];
            if (max ? v > out[to + c] : v < out[to + c]) out[to + c] = v;
          }
        }
  return out;
}
