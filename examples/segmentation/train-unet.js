// A U-Net for cell membranes whose images have gaps, trained with binary cross-entropy plus a
// topological term that reads each label — by default Betti matching, which matches the
// prediction's components and loops to the label's in place. Then it is scored on held-out images.
//   npm run build && node examples/segmentation/train-unet.js [epochs] [train images] [term]   (≈40 s)
// [term] is a LabelTermKind: bettiMatching (default), betti, wasserstein, clDice, skeletonRecall,
// componentGraph, or none for BCE alone; each runs with the weight of the demo's comparison.
// It trains on the wasm backend with the library's training kernels (wasm has no filter-gradient
// kernel of its own; the cpu backend's built-in one is ~40× slower).
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-wasm');
const tfl = require('@tensorflow/tfjs-layers');
const topo = require('../..');

const [epochs = 12, train = 160] = process.argv.slice(2, 4).map(Number);
const kind = process.argv[4] ?? 'bettiMatching';
if (![epochs, train].every((n) => Number.isInteger(n) && n > 0))
  throw new Error(`epochs and train images: expected positive integers, got ${process.argv.slice(2, 4).join(' ')}`);
const SIZE = 64;
/** The weight of each term in the demo's comparison (app/demo/segmentation.ts). */
const WEIGHTS = {
  betti: 0.05,
  wasserstein: 0.05,
  bettiMatching: 0.02,
  clDice: 0.5,
  skeletonRecall: 1,
  componentGraph: 0.1,
};
if (kind !== 'none' && !(kind in WEIGHTS))
  throw new Error(`term: expected none or one of ${Object.keys(WEIGHTS).join(', ')}, got '${kind}'`);

/** A small U-Net: two 3×3 convolutions per level, max-pooling down, upsampling and skips up. */
function unet(filters = [8, 16, 32]) {
  const conv = (n) => tfl.layers.conv2d({ filters: n, kernelSize: 3, padding: 'same', activation: 'relu' });
  const block = (n, x) => conv(n).apply(conv(n).apply(x));
  const input = tfl.input({ shape: [SIZE, SIZE, 1] });
  const skips = [];
  let x = input;
  filters.forEach((n, level) => {
    x = block(n, x);
    if (level < filters.length - 1) {
      skips.push(x);
      x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x);
    }
  });
  for (let level = filters.length - 2; level >= 0; level--) {
    const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(x);
    x = block(filters[level], tfl.layers.concatenate().apply([skips[level], up]));
  }
  const output = tfl.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(x);
  return tfl.model({ inputs: input, outputs: output });
}

async function main() {
  await tf.setBackend('wasm');
  const kernels = topo.registerTrainingKernels({ backends: ['wasm'] });
  const data = topo.segmentationDataset({ kind: 'membranes', size: SIZE, count: { train, test: 16 }, seed: 1 });
  const tensors = (set) => [set.images, set.masks].map((a) => tf.tensor4d(a, [...set.shape, 1]));
  const [x, y] = tensors(data.train);
  const [xTest] = tensors(data.test);

  const model = unet();
  model.compile({
    optimizer: tf.train.adam(2e-3),
    // BCE + 0.02 · Betti matching by default; a persistence term takes `smear: { block: 2, noise: 0.05 }`
    // for its STUMP estimate.
    loss:
      kind === 'none' ? 'binaryCrossentropy' : topo.losses.labelTopological({ term: { kind }, weight: WEIGHTS[kind] }),
  });
  await model.fit(x, y, {
    epochs,
    batchSize: 8,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}/${epochs}: loss ${logs.loss.toFixed(4)}`),
    },
  });

  const pred = model.predict(xTest);
  const metrics = topo.segmentationMetrics(pred.dataSync(), data.test.masks, data.test.shape, { construction: 'V' });
  const m = metrics.mean;
  console.log(
    `BCE + ${kind} on the test images: Dice ${m.dice.toFixed(3)}, clDice ${m.clDice.toFixed(3)}, β0 error ${m.betti0Error.toFixed(2)}, ` +
      `β1 error ${m.betti1Error.toFixed(2)}, Betti-matching error ${m.bettiMatchingError.toFixed(2)}, ` +
      `exact topology ${(100 * m.topologyMatch).toFixed(0)} %`,
  );
  tf.dispose([x, y, xTest, pred]);
  kernels.restore();
}

main();
