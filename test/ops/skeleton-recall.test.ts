import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of the core ops in Node
import { losses } from '../../src';
import { LabelTerm } from '../../src/ops/label-term';
import { skeletonize } from '../../src/metrics/skeleton';
import { expectGradientsMatch } from '../reference/gradient-check';
import { seededConv2d } from '../reference/seeded-conv';
import { mulberry32 } from '../reference/mulberry32';

// Skeleton Recall: 1 − (Σ pred · tube + smooth) / (Σ tube + smooth) per map, the tube being the
// label's skeleton dilated `tube` times by the 4-neighbourhood. The expected values are computed
// here from the definition, the tube as the pixels within Manhattan distance `tube` of the
// skeleton (the library dilates step by step), in float64.

const H = 12;
const W = 14;

/** Label maps of a [B, H, W, 1] batch: a thick bar, a ring, and an empty label. */
function labels(): Float32Array {
  const out = new Float32Array(3 * H * W);
  for (let y = 3; y < 8; y++) for (let x = 2; x < 12; x++) out[y * W + x] = 1; // bar, 5 rows thick
  for (let y = 2; y < 10; y++)
    for (let x = 3; x < 11; x++) if (y < 4 || y > 7 || x < 5 || x > 8) out[H * W + y * W + x] = 1; // ring
  return out;
}

/** The tube by its definition: the pixels within Manhattan distance `radius` of the skeleton. */
function tubeOf(map: Float32Array, radius: number): Uint8Array {
  const skeleton = skeletonize(
    Uint8Array.from(map, (v) => (v >= 0.5 ? 1 : 0)),
    [H, W],
  );
  const tube = new Uint8Array(H * W);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let s = 0; s < H * W; s++)
        if (skeleton[s] && Math.abs(Math.floor(s / W) - y) + Math.abs((s % W) - x) <= radius) tube[y * W + x] = 1;
  return tube;
}

function expected(label: Float32Array, pred: Float32Array, radius: number, smooth: number): number {
  let total = 0;
  for (let m = 0; m < 3; m++) {
    const tube = tubeOf(label.subarray(m * H * W, (m + 1) * H * W), radius);
    let covered = 0;
    let size = 0;
    tube.forEach((t, i) => {
      covered += t * pred[m * H * W + i];
      size += t;
    });
    total += 1 - (covered + smooth) / (size + smooth);
  }
  return total / 3;
}

const scalar = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]);
const label = labels();
const yTrue = tf.tensor4d(label, [3, H, W, 1]);
const random = mulberry32(3);
const pred = Float32Array.from({ length: label.length }, () => random());

test.each([
  [0, 1],
  [1, 1],
  [2, 0.5],
  // Beyond the map's diameter the tube is the whole map: computed at once, not looped to 2^53.
  [2 ** 53, 1],
])('tube %i, smooth %f: the definition, map by map, averaged', (radius, smooth) => {
  const term = new LabelTerm({ kind: 'skeletonRecall', tube: radius, smooth });
  const value = scalar(() => term.evaluate(yTrue, tf.tensor4d(pred, [3, H, W, 1])));
  expect(value).toBeCloseTo(expected(label, pred, radius, smooth), 5);
});

test('covering the tube gives 0; an empty label gives 0 whatever the prediction', () => {
  const term = new LabelTerm({ kind: 'skeletonRecall' });
  expect(scalar(() => term.evaluate(yTrue, tf.onesLike(yTrue)))).toBe(0);
  const empty = tf.zeros([1, H, W, 1]);
  expect(scalar(() => term.evaluate(empty, tf.randomUniform([1, H, W, 1], 0, 1, 'float32', 1)))).toBe(0);
  // Nothing predicted: each non-empty map's term is T / (T + 1) for a tube of T pixels.
  const sizes = [0, 1].map((m) => tubeOf(label.subarray(m * H * W, (m + 1) * H * W), 1).reduce((a, b) => a + b, 0));
  const none = sizes.reduce((a, t) => a + t / (t + 1), 0) / 3;
  expect(scalar(() => term.evaluate(yTrue, tf.zerosLike(yTrue)))).toBeCloseTo(none, 6);
});

test('its gradient matches finite differences', () => {
  const term = new LabelTerm({ kind: 'skeletonRecall', reduction: 'sum' });
  expectGradientsMatch((x) => term.evaluate(yTrue, x), [3, H, W, 1], 5);
});

test('per channel: each channel is compared with its own label channel', () => {
  // Channels last: [1, H, W, 2] holding the bar and the ring.
  const two = new Float32Array(H * W * 2);
  for (let i = 0; i < H * W; i++) [two[2 * i], two[2 * i + 1]] = [label[i], label[H * W + i]];
  const twoPred = new Float32Array(H * W * 2);
  for (let i = 0; i < H * W; i++) [twoPred[2 * i], twoPred[2 * i + 1]] = [pred[i], pred[H * W + i]];
  const term = new LabelTerm({ kind: 'skeletonRecall', reduction: 'sum' });
  const value = scalar(() => term.evaluate(tf.tensor4d(two, [1, H, W, 2]), tf.tensor4d(twoPred, [1, H, W, 2])));
  const both = 3 * expected(label, pred, 1, 1); // the sum of its three maps' terms, the empty one 0
  expect(value).toBeCloseTo(both, 5);
});

test('bad configurations and inputs are refused by name', () => {
  expect(() => new LabelTerm({ kind: 'skeletonRecall', smooth: 0 })).toThrow(
    "config.smooth: 'skeletonRecall' needs smooth > 0",
  );
  expect(() => new LabelTerm({ kind: 'skeletonRecall', tube: -1 })).toThrow(/config\.tube: expected an integer/);
  expect(() => new LabelTerm({ kind: 'skeletonRecall', maxPoints: 4 })).toThrow(
    "config.maxPoints: not an option of kind 'skeletonRecall' (its options: threshold, tube, smooth, reduction, patch)",
  );
  expect(() => new LabelTerm({ kind: 'betti', tube: 1 })).toThrow(/config\.tube: not an option of kind 'betti'/);
  expect(() => losses.labelTopological({ term: { kind: 'skeletonRecall' }, smear: { block: 2 } })).toThrow(
    /reads no persistence/,
  );
});

test('as a compile loss, a small model trains with it', async () => {
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = tfl.sequential({
    layers: [seededConv2d({ inputShape: [H, W, 1], filters: 1, activation: 'sigmoid', seed: 1 })],
  });
  model.compile({
    optimizer: tf.train.adam(0.05),
    loss: losses.labelTopological({ term: { kind: 'skeletonRecall' } }),
  });
  const history = await model.fit(yTrue, yTrue, { epochs: 5, batchSize: 3, verbose: 0, shuffle: false });
  const loss = history.history.loss as number[];
  expect(loss.every(Number.isFinite)).toBe(true);
  expect(loss[4]).toBeLessThan(loss[0]);
});

test('volumes: the tube of the 3-D skeleton, by its definition', () => {
  // A thick tube along x in a 5 × 5 × 12 volume; its skeleton is a curve, the tube its 6-neighbourhood.
  const [d, h, w] = [5, 5, 12];
  const volume = Float32Array.from({ length: d * h * w }, (_, i) => {
    const [z, y, x] = [Math.floor(i / (h * w)), Math.floor(i / w) % h, i % w];
    return z >= 1 && z <= 3 && y >= 1 && y <= 3 && x >= 1 && x <= 10 ? 1 : 0;
  });
  const skeleton = skeletonize(volume, [d, h, w]);
  const coords = (i: number) => [Math.floor(i / (h * w)), Math.floor(i / w) % h, i % w];
  const tube = Uint8Array.from({ length: d * h * w }, (_, i) =>
    skeleton.some((s, j) => s === 1 && coords(i).reduce((a, c, k) => a + Math.abs(c - coords(j)[k]), 0) <= 1) ? 1 : 0,
  );
  const guess = Float32Array.from({ length: d * h * w }, () => random());
  let covered = 0;
  let size = 0;
  tube.forEach((t, i) => ((covered += t * guess[i]), (size += t)));
  const term = new LabelTerm({ kind: 'skeletonRecall' });
  const value = scalar(() => term.evaluate(tf.tensor5d(volume, [1, d, h, w, 1]), tf.tensor5d(guess, [1, d, h, w, 1])));
  expect(size).toBeGreaterThan(skeleton.reduce((a, b) => a + b, 0));
  expect(value).toBeCloseTo(1 - (covered + 1) / (size + 1), 5);
});
