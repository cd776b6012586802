'use strict';
// Training kernels (`registerTrainingKernels`) against the kernels they replace, in the same run:
// per kernel on U-Net shapes, then whole U-Net training steps on the wasm and cpu backends, with the
// step's time broken down by kernel.
//
//   npm run bench:kernels                  build, then every section (≈3 minutes on 2 cores)
//   node bench/kernels.js --quick          fewer repetitions, no cpu built-in step
//   node bench/kernels.js --reps 5         repetitions per kernel case (best of; default 5)
//   node bench/kernels.js --steps 8        timed training steps per model (median; default 6)
//   node bench/kernels.js --out FILE       write the report to FILE (default bench/KERNELS.md)
//
// Kernel cases run ours and the reference alternately (register, time, restore, time), best of
// --reps. The wasm backend has no Conv2DBackpropFilter; its reference is the composite that training
// on wasm needed before (im2col by strided slices per filter tap, then a matmul), built here from ops.
// The cpu built-in Conv2DBackpropFilter is slow (seconds per call), so its cases run twice.
//
// U-Net: the demo's (app/demo/unet.ts): two 3×3 'same' convolutions (ReLU) per level, MaxPooling2D
// down, UpSampling2D + Concatenate up, a 1×1 sigmoid head; binary cross-entropy, Adam; 64×64×1
// inputs, batch 8. Widths 16-32-64-128 (487k parameters) and 8-16-32-64. One step = `trainOnBatch`.
// The breakdown wraps every kernel of the backend with a timer (top-level calls only: a kernel that
// runs others, as ours do, is charged their time); all kernels of both CPU backends are synchronous.
const fs = require('fs');
const os = require('os');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');
require('@tensorflow/tfjs-layers');
const topo = require('../dist');
const { registerTrainingKernels } = topo;
const { unet: demoUnet } = require('../app/dist/demo/unet');
const { median, reportFile, rng } = require('./common');

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const QUICK = argv.includes('--quick');
const REPS = Number(opt('--reps', QUICK ? 2 : 5));
const STEPS = Number(opt('--steps', QUICK ? 3 : 6));
const outFile = reportFile(opt('--out', path.join(__dirname, 'KERNELS.md')));
const log = (s) => process.stderr.write(`${s}\n`);

/** A seeded uniform [-1, 1) tensor. */
function noise(shape, name) {
  const r = rng(name);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * r() - 1),
    shape,
  );
}

/** Milliseconds of fn() (which returns a tensor, read and disposed here). */
function timeOnce(fn) {
  const t = performance.now();
  const out = fn();
  out.dataSync();
  const ms = performance.now() - t;
  out.dispose();
  return ms;
}

/** Runs fn with the training kernels of `options` in place. */
function withKernels(options, fn) {
  const kernels = registerTrainingKernels(options);
  try {
    return fn();
  } finally {
    kernels.restore();
  }
}

/** Best ms of ours and of the reference, alternating, `reps` times each (after one of each untimed). */
function duel(options, fn, reps) {
  withKernels(options, () => timeOnce(fn));
  timeOnce(fn);
  let ours = Infinity;
  let ref = Infinity;
  for (let i = 0; i < reps; i++) {
    ours = Math.min(
      ours,
      withKernels(options, () => timeOnce(fn)),
    );
    ref = Math.min(ref, timeOnce(fn));
  }
  return { ours, ref };
}

/** The filter gradient as training on wasm had it: im2col by strided slices per tap, then a matmul. */
function compositeFilterGradient(x, dy, filterShape, strides) {
  return tf.tidy(() => {
    const [b, h, w, ci] = x.shape;
    const [, oh, ow, co] = dy.shape;
    const [kh, kw] = filterShape;
    const ph = Math.max(0, (oh - 1) * strides + kh - h);
    const pw = Math.max(0, (ow - 1) * strides + kw - w);
    const xp = tf.pad(x, [
      [0, 0],
      [ph >> 1, ph - (ph >> 1)],
      [pw >> 1, pw - (pw >> 1)],
      [0, 0],
    ]);
    const dy2 = tf.reshape(dy, [b * oh * ow, co]);
    const taps = [];
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) {
        const end = [b, i + (oh - 1) * strides + 1, j + (ow - 1) * strides + 1, ci];
        const xs = tf.stridedSlice(xp, [0, i, j, 0], end, [1, strides, strides, 1]);
        taps.push(tf.matMul(tf.reshape(xs, [b * oh * ow, ci]), dy2, true, false));
      }
    return tf.reshape(tf.stack(taps), filterShape);
  });
}

const SHAPES = [
  { name: '64×64, 16→16, 3×3', x: [8, 64, 64, 16], f: [3, 3, 16, 16] },
  { name: '64×64, 32→16, 3×3 (after concat)', x: [8, 64, 64, 32], f: [3, 3, 32, 16] },
  { name: '32×32, 32→32, 3×3', x: [8, 32, 32, 32], f: [3, 3, 32, 32] },
  { name: '16×16, 64→64, 3×3', x: [8, 16, 16, 64], f: [3, 3, 64, 64] },
  { name: '8×8, 128→128, 3×3', x: [8, 8, 8, 128], f: [3, 3, 128, 128] },
  { name: '64×64, 1→16, 3×3 (first)', x: [8, 64, 64, 1], f: [3, 3, 1, 16] },
  { name: '64×64, 16→1, 1×1 (head)', x: [8, 64, 64, 16], f: [1, 1, 16, 1] },
  { name: '64×64, 16→16, 3×3, stride 2', x: [8, 64, 64, 16], f: [3, 3, 16, 16], strides: 2 },
];

/** GFLOP of one convolution (2 per multiply-add); each gradient costs the same. */
const gflop = (s, outShape) => (2 * outShape.reduce((a, b) => a * b, 1) * s.f[0] * s.f[1] * s.f[2]) / 1e9;

async function kernelCases(backend) {
  await tf.setBackend(backend);
  const rows = [];
  const options = { backends: [backend] };
  for (const s of SHAPES) {
    const strides = s.strides ?? 1;
    const x = noise(s.x, `${s.name} x`);
    const w = noise(s.f, `${s.name} w`);
    const bias = noise([s.f[3]], `${s.name} b`);
    const outShape = tf.tidy(() => tf.conv2d(x, w, strides, 'same').shape);
    const dy = noise(outShape, `${s.name} dy`);
    const attrs = { strides, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
    const filterGrad = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: s.f });
    const inputGrad = () =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: s.x });
    const fl = gflop(s, outShape);
    const slowRef = backend === 'cpu';
    const cases =
      backend === 'wasm'
        ? [
            [
              'Conv2DBackpropFilter',
              filterGrad,
              () => compositeFilterGradient(x, dy, s.f, strides),
              'im2col composite',
            ],
            ['Conv2DBackpropInput', inputGrad, inputGrad, 'built-in'],
          ]
        : [
            ['Conv2D', () => tf.conv2d(x, w, strides, 'same'), null, 'built-in'],
            [
              'FusedConv2D (bias, relu)',
              () => tf.fused.conv2d({ x, filter: w, strides, pad: 'same', bias, activation: 'relu' }),
              null,
              'built-in',
            ],
            ['Conv2DBackpropInput', inputGrad, null, 'built-in'],
            ['Conv2DBackpropFilter', filterGrad, null, 'built-in'],
          ];
    for (const [kernel, fn, refFn, refName] of cases) {
      let ours;
      let ref;
      if (refFn && refFn !== fn) {
        // The reference is another computation (wasm has no built-in filter gradient).
        ours = Infinity;
        ref = Infinity;
        withKernels(options, () => timeOnce(fn));
        timeOnce(refFn);
        for (let i = 0; i < REPS; i++) {
          ours = Math.min(
            ours,
            withKernels(options, () => timeOnce(fn)),
          );
          ref = Math.min(ref, timeOnce(refFn));
        }
      } else {
        const reps = slowRef && kernel === 'Conv2DBackpropFilter' ? Math.min(REPS, 2) : REPS;
        ({ ours, ref } = duel(options, fn, reps));
      }
      rows.push({ backend, shape: s.name, kernel, ours, ref, refName, gflop: fl });
      log(
        `${backend} ${kernel.padEnd(26)} ${s.name.padEnd(34)} ours ${ours.toFixed(1)} ms (${((fl / ours) * 1e3).toFixed(1)} GFLOP/s), ${refName} ${ref.toFixed(1)} ms: ×${(ref / ours).toFixed(1)}`,
      );
    }
    tf.dispose([x, w, bias, dy]);
  }
  return rows;
}

// ---------------------------------------------------------------- U-Net steps

/** The demo's U-Net (app/demo/unet.ts) of the given widths on 64×64×1 inputs, compiled with BCE. */
function unet(widths) {
  const model = demoUnet({ size: 64, filters: widths, seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

/** GFLOP of one training step: forward + both gradients of every convolution (3× the forward). */
function stepGflop(model, batch) {
  let f = 0;
  for (const layer of model.layers)
    if (layer.getClassName() === 'Conv2D') {
      const [kh, kw, ci, co] = layer.kernel.shape;
      const [, h, w] = layer.outputShape;
      f += 2 * batch * h * w * kh * kw * ci * co;
    }
  return (3 * f) / 1e9;
}

/** Wraps every kernel of `backend` with a timer; returns { times, restore }. */
function timeKernels(backend) {
  const times = new Map();
  let depth = 0;
  const configs = tf.getKernelsForBackend(backend);
  for (const config of configs) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        if (depth++ > 0) {
          try {
            return inner(args);
          } finally {
            depth--;
          }
        }
        const t = performance.now();
        try {
          return inner(args);
        } finally {
          depth--;
          times.set(config.kernelName, (times.get(config.kernelName) ?? 0) + performance.now() - t);
        }
      },
    });
  }
  return {
    times,
    restore() {
      for (const config of configs) {
        tf.unregisterKernel(config.kernelName, backend);
        tf.registerKernel(config);
      }
    },
  };
}

/** Median ms of `steps` training steps (after one warm-up step), and a per-kernel breakdown of one more. */
async function trainSteps(backend, widths, batch, steps, kernelOptions) {
  await tf.setBackend(backend);
  const kernels = kernelOptions ? registerTrainingKernels(kernelOptions) : null;
  try {
    const model = unet(widths);
    const hw = 64 * 64;
    const r = rng(`unet ${widths.join('-')}`);
    const xs = tf.tensor4d(
      Float32Array.from({ length: batch * hw }, () => r()),
      [batch, 64, 64, 1],
    );
    const ys = tf.tidy(() => tf.cast(tf.greater(xs, 0.5), 'float32'));
    await model.trainOnBatch(xs, ys);
    const times = [];
    const tensors = [];
    for (let s = 0; s < steps; s++) {
      const t = performance.now();
      await model.trainOnBatch(xs, ys);
      times.push(performance.now() - t);
      tensors.push(tf.memory().numTensors);
    }
    let breakdown = null;
    if (steps > 0) {
      const timer = timeKernels(backend);
      const t = performance.now();
      try {
        await model.trainOnBatch(xs, ys);
      } finally {
        timer.restore();
      }
      breakdown = { total: performance.now() - t, times: [...timer.times].sort((a, b) => b[1] - a[1]) };
    }
    const result = {
      ms: steps > 0 ? median(times) : NaN,
      gflop: stepGflop(model, batch),
      params: model.countParams(),
      tensorsFlat: tensors.every((n) => n === tensors[0]),
      breakdown,
    };
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
    return result;
  } finally {
    kernels?.restore();
  }
}

/** One step's ms (after one warm-up step) with the built-in kernels: for the slow cpu built-ins. */
async function oneStep(backend, widths, batch, kernelOptions) {
  await tf.setBackend(backend);
  const kernels = kernelOptions ? registerTrainingKernels(kernelOptions) : null;
  try {
    const model = unet(widths);
    const xs = tf.tidy(() => tf.randomUniform([batch, 64, 64, 1], 0, 1, 'float32', 7));
    const ys = tf.tidy(() => tf.cast(tf.greater(xs, 0.5), 'float32'));
    await model.trainOnBatch(xs, ys);
    const t = performance.now();
    await model.trainOnBatch(xs, ys);
    const ms = performance.now() - t;
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
    return ms;
  } finally {
    kernels?.restore();
  }
}

async function main() {
  const kernelRows = [...(await kernelCases('wasm')), ...(await kernelCases('cpu'))];

  const steps = [];
  const addStep = async (label, backend, widths, batch, options, n = STEPS) => {
    const r = await trainSteps(backend, widths, batch, n, options);
    steps.push({ label, backend, widths, batch, ...r });
    log(
      `${label.padEnd(58)} ${r.ms.toFixed(0)} ms/step (${r.gflop.toFixed(2)} GFLOP, ${r.params} params; tensors flat: ${r.tensorsFlat})`,
    );
  };
  for (const widths of [
    [16, 32, 64, 128],
    [8, 16, 32, 64],
  ]) {
    const w = widths.join('-');
    await addStep(`wasm, training kernels, ${w}`, 'wasm', widths, 8, { backends: ['wasm'] });
    await addStep(`wasm, filter gradient only (built-in input gradient), ${w}`, 'wasm', widths, 8, {
      backends: ['wasm'],
      kernels: ['Conv2DBackpropFilter'],
    });
    await addStep(`cpu, training kernels, ${w}`, 'cpu', widths, 8, { backends: ['cpu'] }, Math.min(STEPS, 3));
    await addStep(
      `cpu, convolution kernels only (built-in SplitV, Sum, MaxPoolGrad), ${w}`,
      'cpu',
      widths,
      8,
      { backends: ['cpu'], kernels: ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] },
      Math.min(STEPS, 3),
    );
  }
  let builtin = null;
  if (!QUICK) {
    const widths = [8, 16, 32, 64];
    const batch = 2;
    const ref = await oneStep('cpu', widths, batch, null);
    const ours = await oneStep('cpu', widths, batch, { backends: ['cpu'] });
    builtin = { widths, batch, ref, ours };
    log(`cpu built-ins, 8-16-32-64, batch ${batch}: ${ref.toFixed(0)} ms/step; with the kernels ${ours.toFixed(0)} ms`);
  }

  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || 'unknown';
  const f1 = (v) => v.toFixed(1);
  const lines = [
    '# Training kernels for the CPU backends',
    '',
    `- Date: ${new Date().toISOString()}; command: \`node bench/kernels.js${argv.length ? ' ' + argv.join(' ') : ''}\` (after \`npm run build\`)`,
    `- Machine: ${cpu}, ${os.cpus().length} cores; Node ${process.version}; tfjs-core ${tf.version_core}, cpu and wasm backends (wasm: SIMD, one thread); load average at the end ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' / ')} (other jobs slow every figure)`,
    '- Kernels: `registerTrainingKernels()` (src/kernels/). wasm: `Conv2DBackpropFilter` and `Conv2DBackpropInput` as forward convolutions (XNNPACK). cpu: `Conv2D`, `FusedConv2D`, `Conv2DBackpropInput`, `Conv2DBackpropFilter` as im2col + a blocked Float32Array matmul; `SplitV` (the concatenate gradient), `Sum` over leading axes (bias gradients) and `MaxPoolGrad` as block copies, column sums and a scatter.',
    '',
    '## Per kernel',
    '',
    `Batch 8, 'same' padding, stride 1 unless said; best of ${REPS} (cpu built-in filter gradient: of ${Math.min(REPS, 2)}), ours and the reference alternating. wasm has no built-in filter gradient: its reference is the im2col composite (strided slices per tap + matmul) that training on wasm needed before.`,
    '',
    '| backend | kernel | shape | ours (ms) | GFLOP/s | reference | reference (ms) | speed-up |',
    '|---|---|---|--:|--:|---|--:|--:|',
    ...kernelRows.map(
      (r) =>
        `| ${r.backend} | ${r.kernel} | ${r.shape} | ${f1(r.ours)} | ${f1((r.gflop / r.ours) * 1e3)} | ${r.refName} | ${f1(r.ref)} | ×${f1(r.ref / r.ours)} |`,
    ),
    '',
    '## U-Net training steps',
    '',
    `64×64×1 inputs, batch 8, \`trainOnBatch\` (binary cross-entropy, Adam); median of ${STEPS} steps (cpu: ${Math.min(STEPS, 3)}) after one warm-up step. GFLOP: the convolutions' forward and both gradients.`,
    '',
    '| setting | ms/step | GFLOP/step | parameters | tensors flat across steps |',
    '|---|--:|--:|--:|---|',
    ...steps.map(
      (s) =>
        `| ${s.label} | ${s.ms.toFixed(0)} | ${s.gflop.toFixed(2)} | ${s.params} | ${s.tensorsFlat ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  if (builtin)
    lines.push(
      `cpu built-ins (no training kernels), ${builtin.widths.join('-')}, batch ${builtin.batch} (one step after a warm-up; the full 16-32-64-128 batch-8 step takes minutes): ${(builtin.ref / 1e3).toFixed(1)} s/step; the same step with the kernels ${builtin.ours.toFixed(0)} ms (×${(builtin.ref / builtin.ours).toFixed(0)}).`,
      '',
    );
  lines.push(
    '## Where a step goes',
    '',
    'One more step of each setting with every kernel of the backend timed (top-level calls: ours include the transposes, pads and convolutions they run). Share of the timed step; kernels under 1 % left out.',
    '',
  );
  for (const s of steps) {
    const { total, times } = s.breakdown;
    lines.push(
      `**${s.label}** (${total.toFixed(0)} ms; in kernels ${times.reduce((a, [, t]) => a + t, 0).toFixed(0)} ms):`,
      times
        .filter(([, t]) => t / total >= 0.01)
        .map(([k, t]) => `${k} ${t.toFixed(0)} ms (${((100 * t) / total).toFixed(0)} %)`)
        .join(', '),
      '',
    );
  }
  fs.writeFileSync(outFile, lines.join('\n'));
  log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

main();
