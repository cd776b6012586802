'use strict';
// Per-step cost of topological optimization on the cpu backend: vanilla (backpropagation through
// the diagram of the full image) and STUMP (one smeared approximate per step), with a breakdown.
//
//   npm run bench:steps                      (after npm run build)
//   node bench/steps.js --steps 200 --out bench/STEPS.md
//
// The objective is the paper's: α·Φ + (1 − α)·MSE(x, x0), Adam (lr 0.05), Φ = Σ lifetime^p over
// H0 pairs with lifetime > 50, gradient to the death pixels (blobs); p = 2 vanilla, p = 1 STUMP.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
const topo = require('../dist');
const { readPngGrey } = require('../dist/io/png');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const STEPS = Number(opt('--steps', 200));
const WARMUP = 20;
const outFile = opt('--out', path.join(__dirname, 'STEPS.md'));

/** The paper's preprocessing: one channel, crop, sign, min–max scale to [0, 255] in float32. */
function paperImage(file, channel, crop, sign) {
  const img = readPngGrey(fs.readFileSync(file), channel);
  const [h, w] = img.shape;
  const out = new Float32Array(crop * crop);
  for (let y = 0; y < crop; y++) for (let x = 0; x < crop; x++) out[y * crop + x] = sign * img.data[Math.min(y, h - 1) * w + Math.min(x, w - 1)];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of out) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
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

/**
 * Runs `STEPS` steps and times each part. `smear` null = vanilla. Parts: pool (building the
 * approximate), pairs (reading it back and running the engine), term (the rest of the forward
 * pass), backward (gradients), adam (applying them).
 */
function measure(name, x0, shape, { smear, p, block }) {
  const size = x0.length;
  const alpha = 1 - 1 / size;
  const start = tf.tensor(x0, shape);
  const x = tf.variable(tf.tensor(x0, shape));
  const adam = tf.train.adam(0.05, 0.9, 0.999, 1e-8);
  const smearer = smear ? new topo.BlockSmear({ block, noise: 50, measure: 'uniform-normalized', seed: 1 }) : null;
  const functional = { kind: 'totalPersistence', dim: 0, p, lifetimeRange: [50, null], target: 'death' };
  const parts = { pool: [], pairs: [], forward: [], backward: [], adam: [], step: [] };
  let pool = 0;
  let pairs = 0;
  const objective = () => {
    let t = performance.now();
    const approx = smearer ? smearer.apply(x) : x;
    pool = performance.now() - t;
    t = performance.now();
    const diagrams = topo.persistenceDiagrams(approx, { dims: [0] });
    pairs = performance.now() - t;
    const phi = topo.totalPersistence(diagrams, functional);
    return tf.add(tf.mul(phi, alpha), tf.mul(tf.losses.meanSquaredError(start, x), 1 - alpha));
  };
  for (let s = 0; s < STEPS + WARMUP; s++) {
    const t0 = performance.now();
    const forwardOnly = tf.tidy(() => objective().dataSync()[0]); // forward alone, for the split
    const t1 = performance.now();
    const { value, grads } = tf.variableGrads(objective, [x]);
    const t2 = performance.now();
    adam.applyGradients(grads);
    const t3 = performance.now();
    value.dispose();
    tf.dispose(grads);
    if (s < WARMUP || !Number.isFinite(forwardOnly)) continue;
    parts.pool.push(pool);
    parts.pairs.push(pairs);
    parts.forward.push(t1 - t0);
    parts.backward.push(t2 - t1 - (t1 - t0)); // variableGrads runs the forward pass again
    parts.adam.push(t3 - t2);
    parts.step.push(t3 - t1);
  }
  x.dispose();
  start.dispose();
  adam.dispose();
  smearer?.dispose();
  const row = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)]));
  process.stderr.write(`${name.padEnd(34)} step ${row.step.toFixed(2)} ms (pool ${row.pool.toFixed(2)}, pairs ${row.pairs.toFixed(2)}, backward ${row.backward.toFixed(2)}, adam ${row.adam.toFixed(2)})\n`);
  return { name, ...row };
}

async function main() {
  await tf.setBackend('cpu');
  const data = path.join(__dirname, '..', 'examples', 'data');
  const blobs = paperImage(path.join(data, 'blobs.png'), 'R', 256, -1);
  const noise512 = seededNoise(512 * 512, 7);
  const volume = seededNoise(48 * 48 * 48, 3);
  const rows = [
    measure('blobs 256², STUMP k=4', blobs, [256, 256], { smear: true, p: 1, block: 4 }),
    measure('blobs 256², vanilla', blobs, [256, 256], { smear: false, p: 2 }),
    measure('noise 512², STUMP k=4', noise512, [512, 512], { smear: true, p: 1, block: 4 }),
    measure('noise 512², vanilla', noise512, [512, 512], { smear: false, p: 2 }),
    measure('noise volume 48³, STUMP k=4', volume, [48, 48, 48], { smear: true, p: 1, block: 4 }),
    measure('noise volume 48³, vanilla', volume, [48, 48, 48], { smear: false, p: 2 }),
  ];
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || 'unknown';
  const lines = [
    '# Per-step cost of topological optimization (cpu backend)',
    '',
    `- Date: ${new Date().toISOString()}; command: \`npm run bench:steps\` (${STEPS} timed steps after ${WARMUP} warm-up steps, medians)`,
    `- Machine: ${cpu}, ${require('os').cpus().length} cores; Node ${process.version}; tfjs ${tf.version_core} on the cpu backend`,
    '- Objective: α·Φ + (1 − α)·MSE(x, x0), Adam lr 0.05; Φ = Σ lifetime^p over H0 pairs with lifetime > 50, gradient to death cells; STUMP: noise 50, uniform-normalized weights, one sample per step (the paper\'s blobs setting).',
    '- *step* = gradient + Adam update, what one optimization step costs; *pool* = building the approximate; *pairs* = reading it back, running the engine, building the pairs tensor; *backward* = gradient pass; *adam* = applying the update.',
    '',
    '| case | step (ms) | pool | pairs | backward | adam |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.name} | ${r.step.toFixed(2)} | ${r.pool.toFixed(2)} | ${r.pairs.toFixed(2)} | ${r.backward.toFixed(2)} | ${r.adam.toFixed(2)} |`),
    '',
    'Goals (issue): STUMP step on blobs 256², k = 4 ≤ 5 ms (the authors\' TF1 + GUDHI code: ≈ 19.5 ms); vanilla step ≤ 30 ms (theirs ≈ 360 ms).',
    '',
  ];
  fs.writeFileSync(outFile, lines.join('\n'));
  process.stderr.write(`wrote ${path.relative(process.cwd(), outFile)}\n`);
}

main();
