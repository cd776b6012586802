'use strict';
// Parallel batches: the cubical op's batch paired on the calling thread against a PairingPool of
// worker threads ('tfjs-topo/node'), same seeded maps, interleaved, best of several calls.
//
//   npm run bench:pool                  build, then run every case (about a minute on 2 cores)
//   node bench/pairing-pool.js --out F  write the report to F (default bench/POOL.md)
//
// Times `persistenceDiagrams` on a [B, H, W, 1] tensor (cpu backend) with the pool off and on —
// what a loss pays per step — after two warm-up calls each; checks the results are identical.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { reportFile } = require('./common');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const { persistenceDiagrams, setPairingPool } = require('tfjs-topo');
const { createPairingPool } = require('tfjs-topo/node');
const { cubicalArray } = require('./inputs');

const argv = process.argv.slice(2);
const outFile = reportFile(argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : path.join(__dirname, 'POOL.md'));
const REPS = 9;
const CASES = [
  [32, 4],
  [32, 16],
  [64, 2],
  [64, 4],
  [64, 16],
  [128, 2],
  [128, 4],
  [128, 16],
  [256, 2],
  [256, 16],
  [512, 8],
];

/** A [B, n, n, 1] tensor of seeded uniform noise. */
function batch(n, b) {
  const data = new Float32Array(b * n * n);
  for (let m = 0; m < b; m++)
    data.set(cubicalArray({ shape: [n, n], kind: 'noise', name: `${n}x${n} noise ${m}` }), m * n * n);
  return tf.tensor4d(data, [b, n, n, 1]);
}

/** The op's result as plain arrays, and how long the call took (ms). */
function run(x) {
  const t = process.hrtime.bigint();
  const d = persistenceDiagrams(x);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const plain = [d.pairs.dataSync(), d.dim, d.map, d.birthCell, d.deathCell].map((a) => Array.from(a).join(','));
  d.pairs.dispose();
  return { ms, plain: plain.join(';') };
}

async function main() {
  await tf.setBackend('cpu');
  const pool = createPairingPool();
  const load0 = os.loadavg();
  const rows = [];
  for (const [n, b] of CASES) {
    const x = batch(n, b);
    const best = { serial: Infinity, pool: Infinity };
    let same = true;
    let reference;
    for (let rep = 0; rep < REPS + 2; rep++) {
      for (const mode of rep % 2 ? ['serial', 'pool'] : ['pool', 'serial']) {
        setPairingPool(mode === 'pool' ? pool : null, { minElements: 0 });
        const { ms, plain } = run(x);
        reference ??= plain;
        same &&= plain === reference;
        if (rep >= 2) best[mode] = Math.min(best[mode], ms);
      }
    }
    setPairingPool(null);
    x.dispose();
    rows.push({ n, b, elements: n * n * b, ...best, same });
    console.log(
      `${b} × ${n}²: serial ${best.serial.toFixed(1)} ms, pool ${best.pool.toFixed(1)} ms, ×${(best.serial / best.pool).toFixed(2)}${same ? '' : ' RESULTS DIFFER'}`,
    );
  }
  await pool.close();
  const load1 = os.loadavg();
  const f = (x, d = 1) => x.toFixed(d);
  const md = [
    '# Parallel batches: a PairingPool of worker threads against the calling thread',
    '',
    `Written by \`bench/pairing-pool.js\` on ${new Date().toISOString()}: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ` +
      `${pool.threads} worker threads. Load average (1 min) ${f(load0[0], 2)} before, ${f(load1[0], 2)} after.`,
    '',
    `\`persistenceDiagrams\` of a [B, n, n, 1] float32 tensor of seeded uniform noise (T construction, H0 and H1), cpu backend; ` +
      `best of ${REPS} calls each after two warm-up calls, the two modes interleaved. *same*: every pair, value and critical cell identical.`,
    '',
    '| maps | elements | calling thread (ms) | pool (ms) | speed-up | same |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.b} × ${r.n}² | ${r.elements} | ${f(r.serial)} | ${f(r.pool)} | ${f(r.serial / r.pool, 2)}× | ${r.same ? '✓' : '✗'} |`,
    ),
    '',
  ];
  fs.writeFileSync(outFile, md.join('\n'));
  console.log(`wrote ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
