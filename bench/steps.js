'use strict';
// Per-step cost of topological optimization on the cpu backend: vanilla (backpropagation through
// the diagram of the full image) and STUMP (one smeared approximate per step), on both paths of
// `optimize`, with a breakdown of the host path.
//
//   npm run bench:steps                      (after npm run build)
//   node bench/steps.js --steps 200 --out bench/STEPS.md
//
// The objective is the paper's: α·Φ + (1 − α)·MSE(x, x0), Adam (lr 0.05), Φ = Σ lifetime^p over
// H0 pairs with lifetime > 50, gradient to the death pixels (blobs); p = 2 vanilla, p = 1 STUMP.
const fs = require('fs');
const path = require('path');
const { reportFile } = require('./common');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const topo = require('../dist');
const { readPngGrey } = require('../app/dist/io/png');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const STEPS = Number(opt('--steps', 200));
const WARMUP = 20;
const outFile = reportFile(opt('--out', path.join(__dirname, 'STEPS.md')));

/** The paper's preprocessing: one channel, crop, sign, min–max scale to [0, 255] in float32. */
function paperImage(file, channel, crop, sign) {
  const img = readPngGrey(fs.readFileSync(file), channel);
  const [h, w] = img.shape;
  const out = new Float32Array(crop * crop);
  for (let y = 0; y < crop; y++)
    for (let x = 0; x < crop; x++) out[y * crop + x] = sign * img.data[Math.min(y, h - 1) * w + Math.min(x, w - 1)];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i < out.length; i++) out[i] = (255 * (out[i] - lo)) / (hi - lo);
  return out;
}

function seededNoise(n, seed) {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 255;
  });
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
/** Φ's options (for `totalPersistence`) and the same Φ as a functional config (for `optimize`). */
const phiOptions = (p) => ({ dim: 0, p, lifetimeRange: [50, null], target: 'death' });
const functionalFor = (p) => ({ kind: 'totalPersistence', ...phiOptions(p) });

/** Median seconds per step of `optimize` on one path, from its own history (warm-up excluded). */
async function optimizeStep(x0, shape, { smear, p, block }, path) {
  const { result, history } = await topo.optimize(tf.tensor(x0, shape), {
    steps: STEPS + WARMUP,
    path,
    dims: [0],
    functional: functionalFor(p),
    smear: smear ? { block, noise: 50, measure: 'uniform-normalized', seed: 1 } : undefined,
  });
  result.dispose();
  const times = history.slice(WARMUP).map((h, i) => 1000 * (h.seconds - history[WARMUP + i - 1].seconds));
  return median(times);
}

/** Where a host step's time goes: drawing the approximate, the diagram, Φ and its gradient, Adam. */
function hostBreakdown(x0, shape, { smear, p, block }) {
  const smearer = smear ? new topo.BlockSmear({ block, noise: 50, measure: 'uniform-normalized', seed: 1 }) : null;
  const parts = { pool: [], pairs: [], functional: [], adam: [] };
  const m = new Float32Array(x0.length);
  const v = new Float32Array(x0.length);
  for (let s = 0; s < STEPS + WARMUP; s++) {
    let t = performance.now();
    const approx = smearer ? smearer.sample(x0, shape) : { values: x0, shape };
    const pool = performance.now() - t;
    t = performance.now();
    const input = tf.tensor(approx.values, approx.shape);
    const diagrams = topo.persistenceDiagrams(input, { dims: [0] });
    const pairs = performance.now() - t;
    t = performance.now();
    const g = tf.tidy(() => {
      const tensor = tf.tensor2d(diagrams.values, [diagrams.dim.length, 2]);
      return tf
        .grad((q) => topo.totalPersistence({ ...diagrams, pairs: q }, phiOptions(p)))(tensor)
        .dataSync();
    });
    const functional = performance.now() - t;
    tf.dispose([input, diagrams.pairs]);
    t = performance.now();
    for (let i = 0; i < x0.length; i++) {
      const gi = g[i % g.length] || 0; // the cost of Adam's loop, not its values
      m[i] = 0.9 * m[i] + 0.1 * gi;
      v[i] = 0.999 * v[i] + 0.001 * gi * gi;
    }
    const adam = performance.now() - t;
    if (s < WARMUP) continue;
    parts.pool.push(pool);
    parts.pairs.push(pairs);
    parts.functional.push(functional);
    parts.adam.push(adam);
  }
  smearer?.dispose();
  return Object.fromEntries(Object.entries(parts).map(([k, a]) => [k, median(a)]));
}

/** Median ms of one Adam step minimizing `loss` over a variable holding `x0` (a custom training loop). */
function adamStep(x0, shape, loss, steps) {
  const x = tf.variable(tf.tensor(x0, shape));
  const optimizer = tf.train.adam(0.01);
  const times = [];
  for (let s = 0; s < steps + 5; s++) {
    const t = performance.now();
    optimizer.minimize(() => loss(x));
    if (s >= 5) times.push(performance.now() - t);
  }
  x.dispose();
  optimizer.dispose();
  return median(times);
}

/** Seeded noisy circle of n points in the plane, radius 1 + N(0, 0.1)-ish (uniform ±0.17). */
function noisyCircle(n, seed) {
  const u = seededNoise(2 * n, seed).map((v) => v / 255);
  return Float32Array.from({ length: 2 * n }, (_, i) => {
    const a = 2 * Math.PI * u[i & ~1];
    const r = 1 + 0.34 * (u[i | 1] - 0.5);
    return i % 2 === 0 ? r * Math.cos(a) : r * Math.sin(a);
  });
}

/** Steps of the point-cloud and mesh losses (custom training loops with tf.train.adam). */
function geometrySteps() {
  const loop = { dim: 1, betti: 1, lifetime: 1.5 };
  const smeared = (size, samples) => {
    const subsample = new topo.PointSubsample({ size, jitter: 0.01, seed: 1 });
    return (x) => topo.smearedPointCloudTerm(x, { functional: { kind: 'betti', ...loop } }, subsample, samples);
  };
  const mesh = topo.torusMesh(48, 96);
  const f = seededNoise(48 * 96, 5).map((v) => v / 255);
  const extrema = { dims: [0, 1], functional: { kind: 'totalPersistence', dim: [0, 1], lifetimeRange: [null, 0.3] } };
  const cover = topo.graphBallCover(mesh.complex, 1);
  const nerve = topo.nerve(mesh.complex, cover, 2);
  const coverSmear = new topo.CoverSmear(cover, { measure: 'vertex', noise: 0.05, seed: 1 });
  const cases = [
    ['cloud 2000 points, STUMP m = 200, 1 approximate', noisyCircle(2000, 1), [2000, 2], smeared(200, 1)],
    ['cloud 2000 points, STUMP m = 200, 2 approximates', noisyCircle(2000, 1), [2000, 2], smeared(200, 2)],
    ['cloud 500 points, vanilla', noisyCircle(500, 1), [500, 2], (x) => topo.bettiLoss(topo.ripsDiagrams(x), loop)],
    ['torus mesh 48×96, vanilla', f, [f.length], (x) => topo.complexTerm(x, mesh.complex, extrema)],
    [
      `torus mesh 48×96, STUMP (${cover.size} graph balls)`,
      f,
      [f.length],
      (x) => topo.smearedComplexTerm(x, extrema, coverSmear, nerve, 1),
    ],
  ];
  return cases.map(([name, x0, shape, loss]) => {
    const ms = adamStep(x0, shape, loss, name.includes('vanilla') && name.includes('cloud') ? 20 : 50);
    process.stderr.write(`${name.padEnd(50)} ${ms.toFixed(2)} ms/step\n`);
    return { name, ms };
  });
}

async function main() {
  await tf.setBackend('cpu');
  const data = path.join(__dirname, '..', 'examples', 'data');
  const cases = [
    [
      'blobs 256², STUMP k=4',
      paperImage(path.join(data, 'blobs.png'), 'R', 256, -1),
      [256, 256],
      { smear: true, p: 1, block: 4 },
    ],
    ['blobs 256², vanilla', paperImage(path.join(data, 'blobs.png'), 'R', 256, -1), [256, 256], { smear: false, p: 2 }],
    ['noise 512², STUMP k=4', seededNoise(512 * 512, 7), [512, 512], { smear: true, p: 1, block: 4 }],
    ['noise 512², vanilla', seededNoise(512 * 512, 7), [512, 512], { smear: false, p: 2 }],
    ['noise 48³ volume, STUMP k=4', seededNoise(48 ** 3, 3), [48, 48, 48], { smear: true, p: 1, block: 4 }],
    ['noise 48³ volume, vanilla', seededNoise(48 ** 3, 3), [48, 48, 48], { smear: false, p: 2 }],
  ];
  const rows = [];
  for (const [name, x0, shape, setting] of cases) {
    const host = await optimizeStep(x0, shape, setting, 'host');
    const tensor = await optimizeStep(x0, shape, setting, 'tensor');
    const parts = hostBreakdown(x0, shape, setting);
    rows.push({ name, host, tensor, ...parts });
    const f = (v) => v.toFixed(2);
    process.stderr.write(
      `${name.padEnd(30)} host ${f(host)} ms/step, tensor ${f(tensor)} ms/step (host: pool ${f(parts.pool)}, pairs ${f(parts.pairs)}, functional ${f(parts.functional)}, adam ${f(parts.adam)})\n`,
    );
  }
  const geometry = geometrySteps();
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || 'unknown';
  const f = (v) => v.toFixed(2);
  const lines = [
    '# Per-step cost of topological optimization (cpu backend)',
    '',
    `- Date: ${new Date().toISOString()}; command: \`npm run bench:steps\` (${STEPS} timed steps after ${WARMUP} warm-up steps, medians)`,
    `- Machine: ${cpu}, ${require('os').cpus().length} cores; Node ${process.version}; tfjs-core ${tf.version_core}, cpu backend; load average at the end ${require('os')
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' / ')} (other jobs slow every figure)`,
    "- Objective (the paper's blobs setting): α·Φ + (1 − α)·MSE(x, x0), Adam lr 0.05; Φ = Σ lifetime^p over H0 pairs with lifetime > 50, gradient to death cells; p = 1 STUMP, p = 2 vanilla. STUMP: noise 50, uniform-normalized weights, one approximate per step.",
    '- *host* / *tensor*: one step of `optimize` on its typed-array path (the default on the cpu backend) or its tfjs-ops path (what runs on GPU backends).',
    '- Host breakdown: *pool* = drawing the approximate (weights, noise, pooling); *pairs* = the diagram (upload, engine, pairs tensor); *functional* = Φ and its gradient on the pairs; *adam* = one pass of the moment updates over the image.',
    '',
    '| case | host step (ms) | tensor step (ms) | pool | pairs | functional | adam |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.host)} | ${f(r.tensor)} | ${f(r.pool)} | ${f(r.pairs)} | ${f(r.functional)} | ${f(r.adam)} |`,
    ),
    '',
    "Goals (issue): STUMP step on blobs 256², k = 4 ≤ 5 ms (the authors' TF1 + GUDHI code: ≈ 19.5 ms/step); vanilla step ≤ 30 ms (theirs ≈ 360 ms).",
    '',
    '## Point clouds and meshes',
    '',
    'One `optimizer.minimize` step of `tf.train.adam` in a custom training loop (the whole step: draws, engine, functional, gradient, update), median of 50 (20 for vanilla clouds) after 5 warm-up steps.',
    '- Clouds: noisy circles; Betti prior on Rips H1 (one loop of lifetime 1.5). STUMP: random subsets of m points, jitter ±0.01, averaged over the approximates.',
    "- Mesh: a 48×96 torus, noise values; Σ lifetime of H0/H1 pairs ≤ 0.3. STUMP: graph balls of radius 1, measure 'vertex', noise 0.05.",
    '',
    '| case | ms/step |',
    '|---|--:|',
    ...geometry.map((r) => `| ${r.name} | ${f(r.ms)} |`),
    '',
    'Goal (issue): a smeared loss step on a 2,000-point cloud with m = 200 ≤ 50 ms.',
    '',
  ];
  fs.writeFileSync(outFile, lines.join('\n'));
  process.stderr.write(`wrote ${path.relative(process.cwd(), outFile)}\n`);
}

main();
