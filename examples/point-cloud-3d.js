// Move a 3-D point cloud until it closes into a ring: an open arc (300° of a circle, noisy in all
// three coordinates) has no lasting loop; the Betti-number prior on Rips H1 asks for exactly one,
// of lifetime 1. STUMP (random subsets with jitter) against vanilla, in a custom training loop.
//   npm run build && node examples/point-cloud-3d.js [points] [steps]
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const topo = require('..');

function openArc(n, seed) {
  let s = seed;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const points = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = (300 / 360) * 2 * Math.PI * random();
    points.set(
      [Math.cos(a) + 0.1 * (random() - 0.5), Math.sin(a) + 0.1 * (random() - 0.5), 0.3 * (random() - 0.5)],
      3 * i,
    );
  }
  return points;
}

function longestLoops(points) {
  const [, h1] = topo.ripsPersistence(points, 3, { maxDim: 1 });
  return Array.from(h1.deaths, (d, i) => d - h1.births[i])
    .sort((a, b) => b - a)
    .slice(0, 3);
}

async function run(name, cloud, steps, loss) {
  const n = cloud.length / 3;
  const x = tf.variable(tf.tensor2d(cloud, [n, 3]));
  const optimizer = tf.train.adam(0.01);
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) optimizer.minimize(() => loss(x));
  const seconds = (performance.now() - t0) / 1000;
  const data = x.dataSync();
  const gap = Math.min(...Array.from({ length: n }, (_, i) => Math.hypot(data[3 * i] - 0.5, data[3 * i + 1] + 0.866))); // nearest point to the gap's middle
  console.log(
    `${name}: ${seconds.toFixed(1)} s (${((1000 * seconds) / steps).toFixed(1)} ms/step); longest loops ${longestLoops(
      data,
    )
      .map((v) => v.toFixed(3))
      .join(', ')}; nearest point to the gap's middle at ${gap.toFixed(2)}`,
  );
  x.dispose();
}

async function main() {
  await tf.setBackend('cpu');
  const n = Number(process.argv[2] ?? 300);
  const steps = Number(process.argv[3] ?? 300);
  const cloud = openArc(n, 2);
  console.log(
    `${n} points on an open arc: longest loops ${longestLoops(cloud)
      .map((v) => v.toFixed(3))
      .join(', ')}`,
  );
  const functional = { dim: 1, betti: 1, lifetime: 1 };
  await run('vanilla', cloud, steps, (x) => topo.bettiLoss(topo.ripsDiagrams(x), functional));
  const subsample = new topo.PointSubsample({ size: 80, jitter: 0.02, sampling: 'farthest', seed: 3 });
  await run('STUMP  ', cloud, steps, (x) =>
    topo.smearedPointCloudTerm(x, { functional: { kind: 'betti', ...functional } }, subsample, 1),
  );
}

main();
