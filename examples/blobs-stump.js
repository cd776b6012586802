// Connect the paper's blobs (H0, minimize) by STUMP, by STUMP on a coarse-to-fine schedule, and by
// vanilla gradient descent, and compare. The schedule smears until the exact loss stops falling
// (about 11,000 steps here), then steps exactly: run 20000 steps to see it finish where STUMP stalls.
//   npm run build && node examples/blobs-stump.js [steps]
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const { PNG } = require('pngjs');
const topo = require('..');

/** The paper's preprocessing: red channel, crop to 256², negate, min–max scale to [0, 255]. */
function blobs() {
  const png = PNG.sync.read(fs.readFileSync(path.join(__dirname, 'data', 'blobs.png'))); // 8-bit RGBA
  const n = 256;
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[y * n + x] = -png.data[4 * (y * png.width + x)];
  const lo = Math.min(...out);
  const hi = Math.max(...out);
  return tf.tensor(
    out.map((v) => (255 * (v - lo)) / (hi - lo)),
    [n, n],
  );
}

/** The exact objective of the comparison: Σ lifetime over H0 bars longer than 50, full resolution. */
function exactLoss(x) {
  return tf.tidy(
    () =>
      topo
        .totalPersistence(topo.persistenceDiagrams(x, { dims: [0] }), { dim: 0, lifetimeRange: [50, null] })
        .dataSync()[0],
  );
}

async function run(name, x0, steps, smear, p) {
  const start = exactLoss(x0);
  const { result, history } = await topo.optimize(x0, {
    steps,
    dims: [0],
    functional: { kind: 'totalPersistence', dim: 0, p, lifetimeRange: [50, null], target: 'death' },
    smear,
    every: Math.max(1, Math.floor(steps / 5)),
    onStep: ({ step, seconds, x }) => {
      console.log(
        `  ${name}: step ${step}/${steps}, ${seconds.toFixed(1)} s, exact loss ${exactLoss(x).toFixed(0)} (start ${start.toFixed(0)})`,
      );
    },
  });
  const end = exactLoss(result);
  const seconds = history[history.length - 1].seconds;
  console.log(
    `${name}: ${(100 * (1 - end / start)).toFixed(1)} % of the exact loss removed in ${seconds.toFixed(1)} s (${((1000 * seconds) / steps).toFixed(2)} ms/step)`,
  );
  result.dispose();
}

async function main() {
  await tf.setBackend('cpu');
  const steps = Number(process.argv[2] ?? 1000);
  const x0 = blobs();
  const stump = { block: 4, noise: 50, measure: 'uniform-normalized', seed: 1 };
  await run('STUMP   ', x0, steps, stump, 1);
  await run('schedule', x0, steps, { ...stump, schedule: [{ plateau: 500 }, { block: 1, noise: 0 }] }, 1);
  await run('vanilla ', x0, steps, undefined, 2);
}

main();
