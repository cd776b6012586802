'use strict';
// One case of bench/segmentation.js, in a process of its own so that its peak memory is its own:
// a training step with one loss, interleaved with the BCE step of an identical model, then that
// loss's term and engines alone. Prints one line of JSON.
//
//   node bench/segmentation-run.js --shape 8,64,64 --loss 'BCE + Betti (vanilla)' --reps 5
//
// --shape B,H,W: the demo's U-Net on a batch of synthetic membranes; --shape 1,D,H,W: a small 3-D
// network (two 3×3×3 convolutions of 4 filters, then a 1×1×1 one) on one volume of synthetic tubes.
const fs = require('fs');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-wasm');
const tfl = require('@tensorflow/tfjs-layers');
const topo = require('../dist');
const { unet } = require('../app/dist/demo/unet');
const { SEGMENTATION, SEGMENTATION_MODELS } = require('../app/dist/demo/segmentation');
const { segmentationModels, times } = require('./common');
const { tubeVolume } = require('./inputs');

const argv = process.argv.slice(2);
const opt = (name) => argv[argv.indexOf(name) + 1];
const shape = opt('--shape').split(',').map(Number);
const MODELS = segmentationModels(SEGMENTATION_MODELS);
const spec = MODELS.find((m) => m.name === opt('--loss'));
if (!spec) throw new Error(`--loss: expected one of ${MODELS.map((m) => m.name).join(', ')}`);
const REPS = Number(opt('--reps'));
const volume = shape.length === 4;

/** Peak resident memory of this process so far, in MB (Linux's VmHWM). */
function peakMb() {
  const line = fs
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Seconds of one call of `fn`. */
async function timed(fn) {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** A batch of the demo's synthetic membranes, or one volume of tubes and its noisy image. */
function batch() {
  if (!volume) {
    const [b, size] = shape;
    const set = topo.segmentationSet({ kind: SEGMENTATION.kind, size, count: b, seed: 1 });
    const s = [...set.shape, 1];
    return { x: tf.tensor4d(set.images, s), y: tf.tensor4d(set.masks, s) };
  }
  const { image, label } = tubeVolume(shape.slice(1), 'segmentation volume');
  return { x: tf.tensor(image, [...shape, 1]), y: tf.tensor(label, [...shape, 1]) };
}

/** The demo's U-Net, or two 3×3×3 convolutions of 4 filters and a 1×1×1 one, seeded. */
function network() {
  if (!volume) return unet({ size: shape[1], filters: SEGMENTATION.filters, seed: 1 });
  let seed = 1;
  const conv = (filters, activation, kernelSize = 3) =>
    tfl.layers.conv3d({
      filters,
      kernelSize,
      padding: 'same',
      activation,
      kernelInitializer: tfl.initializers.heNormal({ seed: seed++ }),
    });
  const input = tfl.input({ shape: [...shape.slice(1), 1] });
  const hidden = conv(4, 'relu').apply(conv(4, 'relu').apply(input));
  return tfl.model({ inputs: input, outputs: conv(1, 'sigmoid', 1).apply(hidden) });
}

function lossOf(s) {
  if (!s.term) return 'binaryCrossentropy';
  const smear = s.smeared ? { ...SEGMENTATION.smear, seed: 1 } : undefined;
  return topo.losses.labelTopological({ term: s.term, weight: s.weight, smear });
}

function compiled(s) {
  const model = network();
  model.compile({ optimizer: tf.train.adam(SEGMENTATION.learningRate), loss: lossOf(s) });
  return model;
}

/** The fraction of elements where max(prediction, label) ≥ threshold: what a sparse Betti matching keeps. */
function keptFraction(pred, y, threshold) {
  const fraction = tf.tidy(
    () => tf.mean(tf.cast(tf.greaterEqual(tf.maximum(pred, y), threshold), 'float32')).dataSync()[0],
  );
  pred.dispose();
  return fraction;
}

/** The term alone, forward and backward, on a fixed prediction. */
function termStep(y, pred) {
  const term = new topo.LabelTerm(spec.term);
  const smear = spec.smeared ? new topo.BlockSmear({ ...SEGMENTATION.smear, seed: 1 }) : null;
  return () =>
    tf.tidy(() => {
      const f = (p) => (smear ? topo.smearedLabelTerm(y, p, term, smear, 1) : term.evaluate(y, p));
      tf.grad(f)(pred).dataSync();
    });
}

/**
 * The engines alone on every map: cubical persistence (V, superlevel) or Betti matching, dense or
 * sparse (then `kept` receives the fraction of the elements it keeps); null for the other terms.
 */
function engineStep(y, pred, kept) {
  const kind = spec.term.kind;
  if (kind !== 'betti' && kind !== 'wasserstein' && kind !== 'bettiMatching') return null;
  const P = pred.dataSync();
  const L = y.dataSync();
  const spatial = shape.slice(1);
  const n = spatial.reduce((a, b) => a * b, 1);
  const maps = shape[0];
  if (kind === 'bettiMatching') {
    const threshold = spec.term.sparseThreshold;
    const matcher =
      threshold === undefined
        ? new topo.BettiMatching(spatial, { superlevel: true })
        : new topo.SparseBettiMatching(spatial, { superlevel: true, threshold });
    return () => {
      for (let m = 0; m < maps; m++) {
        const r = matcher.match(P.subarray(m * n, (m + 1) * n), L.subarray(m * n, (m + 1) * n));
        if (r.kept !== undefined) kept.push(r.kept / n);
      }
    };
  }
  const engine = new topo.CubicalPersistence(spatial, { construction: 'V', superlevel: true });
  return () => {
    for (let m = 0; m < maps; m++) engine.compute(P.subarray(m * n, (m + 1) * n));
  };
}

async function main() {
  await tf.setBackend('wasm');
  topo.registerTrainingKernels({ backends: ['wasm'] });
  const { x, y } = batch();
  const result = { shape, loss: spec.name, bce: [], step: [] };
  // Two models from the same weights, BCE and this loss (BCE for the BCE row, so that every row holds
  // two models); their steps alternate, so both see the same machine.
  const bce = compiled({});
  const model = compiled(spec);
  // A sparse term's cost follows the elements it keeps, which fall as the network learns: recorded
  // before every step (untimed).
  const threshold = spec.term?.sparseThreshold;
  const keep = () => {
    if (threshold !== undefined) (result.keptBySteps ??= []).push(keptFraction(model.predict(x), y, threshold));
  };
  await bce.trainOnBatch(x, y);
  keep();
  await model.trainOnBatch(x, y);
  for (let i = 0; i < REPS; i++) {
    result.bce.push(await timed(() => bce.trainOnBatch(x, y)));
    keep();
    result.step.push(await timed(() => model.trainOnBatch(x, y)));
  }
  result.peakMb = peakMb(); // the training steps' peak, before the term and engines run alone
  if (spec.term) {
    const pred = tf.tidy(() => model.predict(x));
    result.term = await times(termStep(y, pred), REPS);
    const kept = [];
    const engine = engineStep(y, pred, kept);
    if (engine) result.engine = await times(engine, REPS);
    if (kept.length) result.kept = kept.reduce((a, b) => a + b, 0) / kept.length;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
