'use strict';
// The smearing-schedule study (issue: a coarse-to-fine schedule that is both fast and complete):
// vanilla, STUMP and several schedules on the demo's two speed inputs — the paper's blobs image and
// a seeded 256² uniform-noise image — each optimizing the same exact loss (Σ lifetime of the H0
// bars longer than 50) for a fixed time, through the demo's own runner (app/demo/experiments.ts).
//
//   npm run bench:schedule                  build, then every method on both images (about 18 min)
//   node bench/schedule.js --blobs 100 --noise 30 --only 'STUMP,plateau 500: 4 → 1' --out FILE
//
// The exact loss is evaluated on a geometric schedule of checkpoints 15 % apart, outside the timed
// steps; "seconds to remove x %" is the first checkpoint past it. One run per method (each is
// 30–100 s long; run-to-run spread of the 50–99 % times is a few seconds). Steps run on the cpu
// backend, optimize's host path; nothing else should run on the machine meanwhile.
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const { runMethod, geometricCheckpoints, stump, vanilla } = require(path.join(root, 'app/dist/demo/experiments.js'));
const { PAPER_EXPERIMENTS, loadPaperImage } = require(path.join(root, 'app/dist/demo/paper.js'));
const { mulberry32 } = require(path.join(root, 'app/dist/demo/random.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seconds = { blobs: Number(option('blobs', 100)), 'uniform noise': Number(option('noise', 30)) };
const out = option('out', path.join(__dirname, 'SCHEDULE.md'));
const only = option('only', null)?.split(',');

const blobs = PAPER_EXPERIMENTS.find((e) => e.name === 'blobs');
const exact = { block: 1, noise: 0 };
const half = { block: 2, noise: 25 };
/** A STUMP method (4×4 blocks, noise 50, p = 1) whose smear follows `schedule`. */
const scheduled = (name, schedule) => ({ name, p: 1, smear: { block: blobs.block, noise: blobs.noise, schedule } });
const METHODS = [
  vanilla(2),
  vanilla(1),
  stump(blobs),
  scheduled('steps 14000, 4000: 4 → 2 → 1', [{ steps: 14000 }, { ...half, steps: 4000 }, exact]),
  scheduled('plateau 250: 4 → 1', [{ plateau: 250 }, exact]),
  scheduled('plateau 500: 4 → 1', [{ plateau: 500 }, exact]),
  scheduled('plateau 250: 4 → 2 → 1', [{ plateau: 250 }, { ...half, plateau: 250 }, exact]),
  scheduled('plateau 500: 4 → 2 → 1', [{ plateau: 500 }, { ...half, plateau: 500 }, exact]),
].filter((m) => !only || only.includes(m.name));

const FRACTIONS = [0.5, 0.9, 0.99, 1];

async function main() {
  await tf.setBackend('cpu');
  const random = mulberry32(1 + 1000); // the demo's noise image for seed 1
  const inputs = [
    ['blobs', loadPaperImage(blobs).values],
    ['uniform noise', Float32Array.from({ length: 256 * 256 }, () => Math.floor(random() * 256))],
  ];
  const rows = [];
  for (const [image, x0] of inputs)
    for (const method of METHODS) {
      process.stderr.write(`${image}, ${method.name}: ${seconds[image]} s\n`);
      const run = await runMethod(blobs, method, x0, [256, 256], {
        steps: 10_000_000,
        seed: 1,
        budget: seconds[image],
        checkpoints: geometricCheckpoints(),
      });
      const start = run.curve[0].exact;
      const at = (fraction) => run.curve.find((c) => c.exact <= (1 - fraction) * start)?.seconds.toFixed(1) ?? '—';
      const removed = (100 * (1 - run.curve[run.curve.length - 1].exact / start)).toFixed(1);
      const stages = run.stages.map((s) => `${s.stage} at ${s.seconds.toFixed(1)} s (step ${s.step})`);
      rows.push([image, method.name, run.steps, `${removed} %`, ...FRACTIONS.map(at), stages.join('; ') || '—']);
      process.stderr.write(`  ${rows[rows.length - 1].join(' | ')}\n`);
    }
  const header = ['image', 'method', 'steps', 'removed', ...FRACTIONS.map((f) => `s to ${100 * f} %`), 'stage changes'];
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const text = [
    '# Smearing schedules: seconds to remove the exact loss',
    '',
    `- Command: \`node bench/schedule.js\` (blobs ${seconds.blobs} s, uniform noise ${seconds['uniform noise']} s per method)`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; ${os.cpus()[0].model}, ${os.cpus().length} cores; tfjs cpu backend (optimize's host path)`,
    '',
    table,
    '',
  ].join('\n');
  fs.writeFileSync(out, text);
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
