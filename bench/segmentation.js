'use strict';
// Training steps of the demo's U-Net (app/demo/unet.ts, filters 8-16-32-64) on batch 8 of synthetic
// vessels, 64×64 and 256×256, with each loss of the demo's segmentation comparison, on the wasm backend
// with the training kernels (registerTrainingKernels). Per loss: the whole step (best and median of
// --reps), and its breakdown — the network alone (a BCE step: convolutions forward and backward,
// Adam), the term alone (its forward and backward on a fixed prediction: host read, pairing or
// matching, dense gradient upload), and inside that the engines alone (cubical persistence of the 8
// predicted maps; Betti matching of the 8 pairs). Then the replacement kernels against the built-in
// ones in the same run: a whole BCE step on the cpu backend with and without them (the wasm backend
// has no built-in Conv2DBackpropFilter to compare with; bench/kernels.js times kernel by kernel).
//
//   npm run bench:segmentation                build, then everything (≈4 minutes on 2 cores)
//   node bench/segmentation.js --sizes 64     only 64×64
//   node bench/segmentation.js --reps 7       timed steps per loss (default 5)
//   node bench/segmentation.js --no-cpu       skip the cpu built-in comparison (≈1 minute)
//   node bench/segmentation.js --out FILE     report file (default bench/SEGMENTATION.md)
const fs = require('fs');
const os = require('os');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');
require('@tensorflow/tfjs-layers');
const topo = require('../dist');
const { unet } = require('../app/dist/demo/unet');
const { SEGMENTATION, SEGMENTATION_MODELS } = require('../app/dist/demo/segmentation');
const { median } = require('./common');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const SIZES = opt('--sizes', '64,256').split(',').map(Number);
const REPS = Number(opt('--reps', 5));
const CPU = !argv.includes('--no-cpu');
const outFile = opt('--out', path.join(__dirname, 'SEGMENTATION.md'));
const BATCH = 8;
const log = (s) => process.stderr.write(`${s}\n`);

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** Seconds of each of `reps` calls of the async `fn` after one untimed call. */
async function times(fn, reps) {
  await fn();
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    out.push((performance.now() - t) / 1000);
    sampleRss();
  }
  return out;
}

const fmt = (s) => (s < 0.1 ? `${(1000 * s).toFixed(1)} ms` : `${s.toFixed(3)} s`);

function batchOf(size) {
  const set = topo.segmentationSet({ kind: SEGMENTATION.kind, size, count: BATCH, seed: 1 });
  const shape = [...set.shape, 1];
  return { x: tf.tensor4d(set.images, shape), y: tf.tensor4d(set.masks, shape) };
}

function lossOf(spec) {
  if (!spec.term) return 'binaryCrossentropy';
  const smear = spec.smeared ? { ...SEGMENTATION.smear, seed: 1 } : undefined;
  return topo.losses.labelTopological({ term: spec.term, weight: spec.weight, smear });
}

/** The term alone, forward and backward, on a fixed prediction. */
function termStep(spec, y, pred) {
  if (!spec.term) return null;
  const term = new topo.LabelTerm(spec.term);
  const smear = spec.smeared ? new topo.BlockSmear({ ...SEGMENTATION.smear, seed: 1 }) : null;
  return () =>
    tf.tidy(() => {
      const f = (p) => (smear ? topo.smearedLabelTerm(y, p, term, smear, 1) : term.evaluate(y, p));
      tf.grad(f)(pred).dataSync();
    });
}

/** The engines alone on the 8 maps: cubical persistence (V, superlevel) or Betti matching. */
function engineStep(spec, y, pred, size) {
  if (!spec.term || spec.term.kind === 'clDice') return null;
  const P = pred.dataSync();
  const L = y.dataSync();
  const n = size * size;
  if (spec.term.kind === 'bettiMatching') {
    const matcher = new topo.BettiMatching([size, size], { superlevel: true });
    return () => {
      for (let m = 0; m < BATCH; m++) matcher.match(P.subarray(m * n, (m + 1) * n), L.subarray(m * n, (m + 1) * n));
    };
  }
  const engine = new topo.CubicalPersistence([size, size], { construction: 'V', superlevel: true });
  return () => {
    for (let m = 0; m < BATCH; m++) engine.compute(P.subarray(m * n, (m + 1) * n));
  };
}

async function stepsOnWasm(size) {
  await tf.setBackend('wasm');
  const { x, y } = batchOf(size);
  const rows = [];
  for (const spec of SEGMENTATION_MODELS) {
    const model = unet({ size, filters: SEGMENTATION.filters, seed: 1 });
    model.compile({ optimizer: tf.train.adam(SEGMENTATION.learningRate), loss: lossOf(spec) });
    const step = await times(() => model.trainOnBatch(x, y), REPS);
    const pred = tf.tidy(() => model.predict(x));
    const term = termStep(spec, y, pred);
    const termTimes = term ? await times(term, REPS) : null;
    const engine = engineStep(spec, y, pred, size);
    const engineTimes = engine ? await times(engine, REPS) : null;
    pred.dispose();
    model.dispose();
    const row = { size, loss: spec.name, best: Math.min(...step), median: median(step) };
    row.term = termTimes ? Math.min(...termTimes) : null;
    row.engine = engineTimes ? Math.min(...engineTimes) : null;
    rows.push(row);
    log(
      `${size}² ${spec.name}: step ${fmt(row.best)} (median ${fmt(row.median)}), term ${row.term === null ? '–' : fmt(row.term)}`,
    );
  }
  tf.dispose([x, y]);
  return rows;
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
  const kernels = topo.registerTrainingKernels({ backends: ['wasm'] });
  const rows = [];
  for (const size of SIZES) rows.push(...(await stepsOnWasm(size)));
  kernels.restore();
  const duel = CPU ? await cpuDuel(64, 2) : null;

  const lines = [
    '# Segmentation training steps',
    '',
    `\`node bench/segmentation.js ${argv.join(' ')}\` — ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, ` +
      `tfjs ${tf.version_core}, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB.`,
    '',
    `U-Net ${SEGMENTATION.filters.join('-')} (app/demo/unet.ts), batch ${BATCH}, Adam, one \`trainOnBatch\` per step, on the wasm ` +
      'backend with `registerTrainingKernels`. Best and median of ' +
      `${REPS} steps after one untimed step. "Network": the BCE row (convolutions forward and backward, Adam). "Term": the ` +
      'term\'s forward and backward alone on a fixed prediction. "Engines": cubical persistence of the 8 predicted maps, or the ' +
      'Betti matching of the 8 pairs, at full resolution (the STUMP terms run them on the 2×2-pooled maps, a quarter of the size).',
    '',
    '| size | loss | step (best) | step (median) | term alone | engines alone |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.size}² | ${r.loss} | ${fmt(r.best)} | ${fmt(r.median)} | ${r.term === null ? '–' : fmt(r.term)} | ${r.engine === null ? '–' : fmt(r.engine)} |`,
    ),
  ];
  if (duel)
    lines.push(
      '',
      '## Replacement kernels against the built-ins, same run',
      '',
      `A BCE step of the same U-Net on the **cpu** backend, 64², batch ${BATCH}, best of 2, alternating: with ` +
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
