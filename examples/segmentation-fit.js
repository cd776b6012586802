// A tiny segmentation net trained with a topological prior: every predicted mask should be one
// connected blob. Binary cross-entropy fits the (noisy) labels; a SmearedTopoLoss layer asks the
// probabilities for a single superlevel component.
//   npm run build && node examples/segmentation-fit.js
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const topo = require('..');

const N = 24;

/** Images of one disc, labels of the disc with a few speckles (spurious components) added. */
function data(count, seed) {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const images = new Float32Array(count * N * N);
  const labels = new Float32Array(count * N * N);
  for (let k = 0; k < count; k++) {
    const cy = 6 + random() * 12;
    const cx = 6 + random() * 12;
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) {
        const inside = (y - cy) ** 2 + (x - cx) ** 2 < 25;
        images[k * N * N + y * N + x] = (inside ? 1 : 0) + 0.3 * (random() - 0.5);
        labels[k * N * N + y * N + x] = inside || random() < 0.02 ? 1 : 0;
      }
  }
  return [tf.tensor4d(images, [count, N, N, 1]), tf.tensor4d(labels, [count, N, N, 1])];
}

/** Superlevel components of the predicted probabilities above 0.5 that persist beyond 0.3. */
function components(pred) {
  return tf.tidy(() => {
    const d = topo.persistenceDiagrams(pred, { superlevel: true, dims: [0], essential: 'clip' });
    let n = 0;
    for (let i = 0; i < d.dim.length; i++)
      if (d.values[2 * i] > 0.5 && d.values[2 * i] - d.values[2 * i + 1] > 0.3) n++;
    return n;
  });
}

async function main() {
  await tf.setBackend('cpu');
  const [x, y] = data(16, 7);
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({ inputShape: [N, N, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
  );
  model.add(tfl.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }));
  model.add(
    topo.layers.smearedTopoLoss({
      superlevel: true,
      functional: { kind: 'betti', dim: 0, betti: 1, lifetime: 1 },
      block: 2,
      noise: 0.02,
      weight: 0.05,
      seed: 1,
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
  console.log(`components per mask before training: ${(components(model.predict(x)) / 16).toFixed(2)}`);
  await model.fit(x, y, {
    epochs: 40,
    batchSize: 8,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => epoch % 10 === 9 && console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}`),
    },
  });
  console.log(
    `components per mask after training: ${(components(model.predict(x)) / 16).toFixed(2)} (labels: ${(components(y) / 16).toFixed(2)})`,
  );
}

main();
