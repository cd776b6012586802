// Shape a noisy 2-D cloud so that it has one dominant loop and no spurious ones: the Betti-number
// prior on Rips H1, vanilla (the whole cloud's diagram every step) against STUMP (random subsets
// of the points with jitter, paper Section IV.B), in a plain custom training loop.
//   npm run build && node examples/point-cloud-loop.js [points] [steps]
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const topo = require('..');

/** A noisy circle plus uniform clutter, seeded. */
function noisyCloud(n, seed) {
  let s = seed;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const points = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = 2 * Math.PI * random();
    const r = 1 + 0.5 * (random() - 0.5);
    if (i < 0.8 * n) points.set([r * Math.cos(a), r * Math.sin(a)], 2 * i);
    else points.set([3 * random() - 1.5, 3 * random() - 1.5], 2 * i);
  }
  return points;
}

/** H1 lifetimes of the whole cloud, longest first. */
function loops(points) {
  const [, h1] = topo.ripsPersistence(points, 2, { maxDim: 1 });
  return Array.from(h1.deaths, (d, i) => d - h1.births[i]).sort((a, b) => b - a);
}

const functional = { dim: 1, betti: 1, lifetime: 1.5 }; // one loop of lifetime 1.5, every other to 0

async function run(name, cloud, steps, loss) {
  const n = cloud.length / 2;
  const x = tf.variable(tf.tensor2d(cloud, [n, 2]));
  const optimizer = tf.train.adam(0.01);
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    optimizer.minimize(() => loss(x));
    if (step % Math.max(1, Math.floor(steps / 4)) === 0) {
      const l = loops(x.dataSync());
      console.log(
        `  ${name}: step ${step}/${steps}, ${((performance.now() - t0) / 1000).toFixed(1)} s, longest loop ${l[0].toFixed(2)}, next ${(l[1] ?? 0).toFixed(3)}`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const l = loops(x.dataSync());
  console.log(
    `${name}: ${seconds.toFixed(1)} s (${((1000 * seconds) / steps).toFixed(1)} ms/step); H1 lifetimes now ${l
      .slice(0, 4)
      .map((v) => v.toFixed(3))
      .join(', ')}${l.length > 4 ? ', …' : ''} (${l.filter((v) => v > 0.1).length} longer than 0.1)`,
  );
  x.dispose();
}

async function main() {
  await tf.setBackend('cpu');
  const n = Number(process.argv[2] ?? 400);
  const steps = Number(process.argv[3] ?? 200);
  const cloud = noisyCloud(n, 1);
  const before = loops(cloud);
  console.log(
    `${n} points: H1 lifetimes ${before
      .slice(0, 4)
      .map((v) => v.toFixed(3))
      .join(', ')}, … (${before.filter((v) => v > 0.1).length} longer than 0.1)`,
  );

  // Vanilla: the Rips diagram of the whole cloud; the gradient moves the points of the critical edges.
  await run('vanilla', cloud, steps, (x) => topo.bettiLoss(topo.ripsDiagrams(x, { maxDim: 1 }), functional));

  // STUMP: the mean over 2 approximates of 100 random points each, jittered by ±0.02.
  const subsample = new topo.PointSubsample({ size: 100, jitter: 0.02, seed: 1 });
  const term = { maxDim: 1, functional: { kind: 'betti', ...functional } };
  await run('STUMP  ', cloud, steps, (x) => topo.smearedPointCloudTerm(x, term, subsample, 2));
}

main();
