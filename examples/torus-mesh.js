// Topological simplification of a function on a triangulated surface: a noisy function on a torus
// mesh loses its small extrema (lower-star H0 and H1 pairs of lifetime ≤ 0.6) while its large
// features stay. Vanilla (gradient on the critical vertices) against STUMP on the nerve of a
// graph-ball cover (paper, Section II.A).
//   npm run build && node examples/torus-mesh.js [steps]
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const topo = require('..');

const { complex, angles } = topo.torusMesh(48, 96);
const n = complex.numVertices;

/** sin(2u)·cos(v) plus uniform noise of amplitude 0.3, seeded. */
function noisyFunction(seed) {
  let s = seed;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Float32Array.from(
    { length: n },
    (_, v) => Math.sin(2 * angles[2 * v]) * Math.cos(angles[2 * v + 1]) + 0.3 * (2 * random() - 1),
  );
}

const term = { dims: [0, 1], functional: { kind: 'totalPersistence', dim: [0, 1], lifetimeRange: [null, 0.6] } };

/** Number of minima, and the exact loss Σ lifetime of the small pairs. */
function describe(values) {
  const [h0, h1] = topo.lowerStarPersistence(complex, values, { dims: [0, 1] });
  let loss = 0;
  for (const d of [h0, h1])
    for (let i = 0; i < d.births.length; i++) if (d.deaths[i] - d.births[i] <= 0.6) loss += d.deaths[i] - d.births[i];
  return `${h0.births.length} minima, exact loss ${loss.toFixed(2)}`;
}

async function run(name, f0, steps, loss) {
  const x = tf.variable(tf.tensor1d(f0));
  const optimizer = tf.train.adam(0.01);
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) optimizer.minimize(() => loss(x));
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${name}: ${seconds.toFixed(2)} s (${((1000 * seconds) / steps).toFixed(2)} ms/step): ${describe(x.dataSync())}`,
  );
  x.dispose();
}

async function main() {
  await tf.setBackend('cpu');
  const steps = Number(process.argv[2] ?? 300);
  const f = noisyFunction(1);
  console.log(`torus mesh: ${n} vertices, ${complex.count(2)} triangles; input: ${describe(f)}`);
  await run('vanilla', f, steps, (x) => topo.complexTerm(x, complex, term));

  const cover = topo.graphBallCover(complex, 1); // balls of radius 1 edge around greedy centres
  const nerve = topo.nerve(complex, cover, 2);
  const smear = new topo.CoverSmear(cover, { measure: 'vertex', noise: 0.05, seed: 1 });
  await run(`STUMP (${cover.size} balls)`, f, steps, (x) => topo.smearedComplexTerm(x, term, smear, nerve, 1)); // Φ of smear.apply(x) on the nerve
}

main();
