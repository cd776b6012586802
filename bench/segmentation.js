'use strict';
// Training steps with each loss of the demo's segmentation comparison, on the wasm backend with the
// training kernels (registerTrainingKernels), each case in a process of its own
// (bench/segmentation-run.js), so that its peak memory is its own:
//
// - images: the demo's U-Net (app/demo/unet.ts, filters 8-16-32-64) on a batch of 8 synthetic
//   membranes, 64×64 and 256×256;
// - volumes: a small 3-D network (two 3×3×3 convolutions of 4 filters, a 1×1×1 one) on one volume of
//   synthetic tubes (bench/inputs.js tubeVolume), 64³ and 128³ (the 2-D-only component graph left out).
//
// Per loss: its whole step interleaved with the BCE step of an identical model in the same process
// (best and median of --reps; the ratio of the best steps), its term alone (forward and backward on
// a fixed prediction: host read, pairing or matching, gradient upload), the engines alone (cubical
// persistence of the maps, or their Betti matching), and the process's peak resident memory over the
// training steps (before the term and engines run alone). Then
// the replacement kernels against the built-in ones in the same run: a whole BCE step on the cpu
// backend with and without them (the wasm backend has no built-in Conv2DBackpropFilter to compare
// with; bench/kernels.js times kernel by kernel).
//
//   npm run bench:segmentation              build, then everything (≈25 minutes on 2 cores)
//   node bench/segmentation.js --shapes 8,64,64;1,64,64,64   some cases only (B,H,W or 1,D,H,W)
//   node bench/segmentation.js --reps 7     timed steps per image case (default 5; volumes: --volume-reps, 2)
//   node bench/segmentation.js --no-cpu     skip the cpu built-in comparison (≈1 minute)
//   node bench/segmentation.js --out FILE   report file (default bench/SEGMENTATION.md)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-layers');
const topo = require('../dist');
const { unet } = require('../app/dist/demo/unet');
const { SEGMENTATION, SEGMENTATION_MODELS } = require('../app/dist/demo/segmentation');
const { median, reportFile, segmentationModels, times } = require('./common');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const SHAPES = opt('--shapes', '8,64,64;8,256,256;1,64,64,64;1,128,128,128')
  .split(';')
  .map((s) => s.split(',').map(Number));
const REPS = Number(opt('--reps', 5));
const VOLUME_REPS = Number(opt('--volume-reps', 2));
const CPU = !argv.includes('--no-cpu');
const outFile = reportFile(opt('--out', path.join(__dirname, 'SEGMENTATION.md')));
const log = (s) => process.stderr.write(`${s}\n`);

const fmt = (s) => (s < 0.1 ? `${(1000 * s).toFixed(1)} ms` : `${s.toFixed(3)} s`);
const sizeOf = (shape) => (shape.length === 3 ? `${shape[0]} × ${shape[1]}²` : `${shape[1]}³`);

/** One case in a fresh process: its JSON line, or `{ failed }` with the last line it printed. */
function runCase(shape, loss) {
  const reps = shape.length === 3 ? REPS : VOLUME_REPS;
  const args = [path.join(__dirname, 'segmentation-run.js'), '--shape', shape.join(','), '--loss', loss];
  try {
    const out = execFileSync(process.execPath, [...args, '--reps', String(reps)], {
      encoding: 'utf8',
      maxBuffer: 1e6,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    const lines = String(e.stderr ?? e.message)
      .trim()
      .split('\n');
    return { failed: lines.find((l) => /Error|Aborted/.test(l)) ?? lines[0] };
  }
}

function stepsOf(shape) {
  const rows = [];
  const volume = shape.length === 4;
  for (const spec of segmentationModels(SEGMENTATION_MODELS)) {
    if (volume && spec.term && spec.term.kind === 'componentGraph') continue;
    const r = runCase(shape, spec.name);
    const row = { size: sizeOf(shape), loss: spec.name };
    if (r.failed) {
      row.failed = r.failed;
      rows.push(row);
      log(`${row.size} ${spec.name}: failed: ${r.failed}`);
      continue;
    }
    Object.assign(row, { best: Math.min(...r.step), median: median(r.step) });
    row.bce = Math.min(...r.bce);
    row.term = r.term ? Math.min(...r.term) : null;
    row.engine = r.engine ? Math.min(...r.engine) : null;
    row.peakMb = r.peakMb;
    row.kept = r.keptBySteps ? [...r.keptBySteps, r.kept] : null;
    rows.push(row);
    log(
      `${row.size} ${spec.name}: step ${fmt(row.best)} (BCE ${fmt(row.bce)}, ×${(row.best / row.bce).toFixed(2)}), ` +
        `term ${row.term === null ? '–' : fmt(row.term)}, peak ${row.peakMb.toFixed(0)} MB`,
    );
  }
  return rows;
}

/** A batch of the demo's membranes, for the cpu comparison. */
function batchOf(size) {
  const set = topo.segmentationSet({ kind: SEGMENTATION.kind, size, count: 8, seed: 1 });
  const shape = [...set.shape, 1];
  return { x: tf.tensor4d(set.images, shape), y: tf.tensor4d(set.masks, shape) };
}

/** One BCE step of the U-Net on the cpu backend, with the training kernels and with the built-ins, alternately. */
async function cpuDuel(size, reps) {
  await tf.setBackend('cpu');
  const { x, y } = batchOf(size);
  const model = unet({ size, filters: SEGMENTATION.filters, seed: 1 });
  model.compile({ optimizer: tf.train.adam(SEGMENTATION.learningRate), loss: 'binaryCrossentropy' });
  const ours = [];
  const builtIn = [];
  for (let i = 0; i < reps; i++) {
    const kernels = topo.registerTrainingKernels({ backends: ['cpu'] });
    ours.push(...(await times(() => model.trainOnBatch(x, y), 1)));
    kernels.restore();
    builtIn.push(...(await times(() => model.trainOnBatch(x, y), 1)));
    log(`cpu ${size}² BCE step: kernels ${fmt(Math.min(...ours))}, built-in ${fmt(Math.min(...builtIn))}`);
  }
  tf.dispose([x, y]);
  model.dispose();
  return { ours: Math.min(...ours), builtIn: Math.min(...builtIn) };
}

async function main() {
  const rows = SHAPES.flatMap((shape) => stepsOf(shape));
  const duel = CPU ? await cpuDuel(64, 2) : null;
  const lines = [
    '# Segmentation training steps',
    '',
    `\`node bench/segmentation.js ${argv.join(' ')}\` — ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ` +
      `tfjs ${tf.version_core}.`,
    '',
    `Images: the U-Net ${SEGMENTATION.filters.join('-')} of the demo (app/demo/unet.ts) on a batch of 8 synthetic membranes. ` +
      'Volumes: a small 3-D network (two 3×3×3 convolutions of 4 filters and a 1×1×1 one) on one volume of synthetic ' +
      'tubes (12 random paths of radius 1.5, about 1 % of the voxels; its image the label plus noise). Adam, one ' +
      '`trainOnBatch` per step, on the wasm backend with `registerTrainingKernels`, each loss in a process of its own. ' +
      `"Step": best and median of ${REPS} steps for images, ${VOLUME_REPS} for volumes, after one untimed step. "BCE step": ` +
      'the BCE step of an identical model, interleaved with that loss\'s steps in the same process; "×": the ratio of ' +
      'the two best steps. "Term": the term\'s forward and backward alone on the untrained network\'s prediction (near ' +
      '0.5 with small variations everywhere, the worst case for persistence). "Engines": cubical persistence of the ' +
      'maps, or their Betti matching, at full resolution (the STUMP terms run them on the 2×2-pooled maps). "Peak": the ' +
      "process's peak resident memory (Linux VmHWM) over its training steps, both models included (the BCE row: " +
      'two BCE models, the baseline). "Kept": for the sparse Betti matching (`sparseThreshold: 0.5`), the fraction ' +
      'of the elements where max(prediction, label) ≥ 0.5, before each training step (the untrained network first), ' +
      'and last on the prediction the term and engines alone ran on; its cost follows it.',
    '',
    '| size | loss | step (best) | step (median) | BCE step | × | term alone | engines alone | peak memory | kept |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      r.failed
        ? `| ${r.size} | ${r.loss} | failed: ${r.failed.replace(/\|/g, '\\|')} | | | | | | | |`
        : `| ${r.size} | ${r.loss} | ${fmt(r.best)} | ${fmt(r.median)} | ${fmt(r.bce)} | ${(r.best / r.bce).toFixed(2)} | ` +
          `${r.term === null ? '–' : fmt(r.term)} | ${r.engine === null ? '–' : fmt(r.engine)} | ${r.peakMb.toFixed(0)} MB | ` +
          `${r.kept ? r.kept.map((k) => `${(100 * k).toPrecision(2)} %`).join(' → ') : '–'} |`,
    ),
  ];
  if (duel)
    lines.push(
      '',
      '## Replacement kernels against the built-ins, same run',
      '',
      `A BCE step of the same U-Net on the **cpu** backend, 64², batch 8, best of 2, alternating: with ` +
        `\`registerTrainingKernels({ backends: ['cpu'] })\` **${fmt(duel.ours)}**, with tfjs's built-in kernels ` +
        `**${fmt(duel.builtIn)}** (${(duel.builtIn / duel.ours).toFixed(1)}× faster). On wasm there is no built-in ` +
        'Conv2DBackpropFilter, so training conv nets there needs the kernels; bench/kernels.js compares kernel by kernel.',
    );
  fs.writeFileSync(outFile, lines.join('\n') + '\n');
  log(`wrote ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
