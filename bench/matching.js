'use strict';
// Exact diagram matching (matchDiagrams, src/ops/matching.ts) on two families of diagrams, against
// the former dense solver, GUDHI's wasserstein_distance (POT, exact) and Hera (approximate), and
// one wassersteinLoss value + gradient through tfjs (cpu backend) against a 3,000-point target.
//
//   npm run bench:matching              build, then run every case (about 5 minutes on 2 cores)
//   node bench/matching.js --reps 5     repetitions per case (default 3; the best is reported)
//   node bench/matching.js --sizes 100,1000 --out FILE
//   node bench/matching.js --dense-loss also times the former dense solver on the loss's matching at
//                                       n = 3000 (about 90 s)
//
// Families, n points per diagram, A against B (two different inputs, the same n):
//   realistic   — the H0 diagram of a seeded 2-D image (40 random Gaussian bumps, bench/inputs.js,
//                 plus uniform noise of amplitude 0.2) by cubicalPersistence: a few persistent
//                 points, thousands near the diagonal; n points drawn from it (seeded).
//   adversarial — n points uniform in [0, 1] × [2, 3]: all far from the diagonal, so nearly every
//                 pair of points is a candidate pair (cheaper to match than both to the diagonal).
// Loss: x ↦ wassersteinLoss(persistenceDiagrams(x, { dims: [0] }), target, { dim: 0 }) with its
// gradient (tf.valueAndGrad) for an image whose H0 diagram has about n points, target 3,000 points
// of another image; for the adversarial family the diagram set is built by hand from the n points
// (gradient to the points). p = 2, internal_p = ∞ throughout (the defaults of ours and GUDHI's).
//
// Every measurement runs in a fresh process (`node bench/matching.js --worker SPEC`): warm-up calls
// (up to 5, or 2 s), then one timed call (GUDHI: one call, no warm-up); the methods take turns
// within each repetition and the best repetition is reported. Peak memory: the worker's maximum
// RSS, less that of an idle worker.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { reportFile, rng, runJson } = require('./common');
const { cubicalArray } = require('./inputs');

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const TARGET = 3000; // points of the loss's target diagram
const DENSE_UP_TO = 3000; // n + m for the former dense O((n + m)³) solver
const POT_UP_TO = 3000; // n for GUDHI's POT backend (an (n + 1) × (n + 1) dense transport problem)

// ---------------------------------------------------------------- inputs (seeded, same in every worker)

/** The image behind a realistic diagram: bumps + noise, side × side, float32. */
function image(side, name) {
  const smooth = cubicalArray({ shape: [side, side], kind: 'smooth', name });
  const noise = rng(`${name} noise`);
  return smooth.map((v) => v + 0.2 * noise());
}

/** Finite H0 pairs of an image, interleaved. */
function h0(topo, values, side) {
  const [d] = topo.cubicalPersistence(values, [side, side], { dims: [0] });
  const out = [];
  for (let k = 0; k < d.births.length; k++) if (Number.isFinite(d.deaths[k])) out.push(d.births[k], d.deaths[k]);
  return Float64Array.from(out);
}

/** The smallest side whose image has at least n finite H0 points, with its image and diagram. */
function imageWithPoints(topo, n, name) {
  const at = (side) => {
    const values = image(side, name);
    return { side, values, pairs: h0(topo, values, side) };
  };
  const count = (x) => x.pairs.length / 2;
  // The count grows about as side²: one probe for the estimate, then steps of one.
  const probe = at(Math.max(8, Math.ceil(Math.sqrt(6 * n))));
  let x = at(Math.max(2, Math.round(probe.side * Math.sqrt(n / Math.max(1, count(probe))))));
  while (count(x) < n) x = at(x.side + 1);
  for (let y = at(x.side - 1); x.side > 2 && count(y) >= n; y = at(y.side - 1)) x = y;
  return x;
}

/** n points drawn without replacement (seeded) from interleaved pairs. */
function draw(pairs, n, name) {
  const random = rng(`${name} draw`);
  const index = Array.from({ length: pairs.length / 2 }, (_, i) => i);
  for (let i = index.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [index[i], index[j]] = [index[j], index[i]];
  }
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) out.set([pairs[2 * index[k]], pairs[2 * index[k] + 1]], 2 * k);
  return out;
}

/** n points uniform in [0, 1] × [2, 3]. */
function farPoints(n, name) {
  const random = rng(name);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) out.set([random(), 2 + random()], 2 * i);
  return out;
}

/** The two diagrams A, B of a case (n points each). */
function diagrams(topo, family, n) {
  if (family === 'adversarial') return [farPoints(n, `far A ${n}`), farPoints(n, `far B ${n}`)];
  return ['A', 'B'].map((x) => draw(imageWithPoints(topo, n, `image ${x} ${n}`).pairs, n, `image ${x} ${n}`));
}

/** The loss's target: TARGET points of another image's H0 diagram, as [birth, death] pairs. */
function target(topo) {
  const t = draw(imageWithPoints(topo, TARGET, 'target').pairs, TARGET, 'target');
  return Array.from({ length: TARGET }, (_, i) => [t[2 * i], t[2 * i + 1]]);
}

/** Candidate pairs: c(a, b) < c(a, Δ) + c(b, Δ), counted directly (p = 2, L∞). */
function candidatePairs(a, b) {
  let count = 0;
  for (let i = 0; i < a.length; i += 2) {
    const ra = ((a[i + 1] - a[i]) / 2) ** 2;
    for (let j = 0; j < b.length; j += 2) {
      const c = Math.max(Math.abs(a[i] - b[j]), Math.abs(a[i + 1] - b[j + 1])) ** 2;
      if (c < ra + ((b[j + 1] - b[j]) / 2) ** 2) count++;
    }
  }
  return count;
}

/** The former dense solver (test/reference/dense-matching.ts), compiled on the fly. */
function denseSolver() {
  const esbuild = require('esbuild');
  const file = path.join(__dirname, '..', 'test', 'reference', 'dense-matching.ts');
  const { code } = esbuild.transformSync(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs' });
  const module = { exports: {} };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports.denseMatchDiagrams;
}

// ---------------------------------------------------------------- worker
if (process.argv[2] === '--worker') {
  const spec = JSON.parse(process.argv[3]);
  const topo = require('../dist/index.js');
  const seconds = (f) => {
    const t0 = process.hrtime.bigint();
    const out = f();
    return [Number(process.hrtime.bigint() - t0) / 1e9, out];
  };
  // Warm-up: up to 5 calls or 2 s, so that the timed call runs optimized code (as in a training loop).
  const warmUp = (f) => {
    for (let calls = 0, spent = 0; calls < 5 && spent < 2; calls++) spent += seconds(f)[0];
  };
  let report;
  if (spec.method === 'baseline') {
    report = {};
  } else if (spec.method === 'ours' || spec.method === 'dense') {
    const [a, b] = diagrams(topo, spec.family, spec.n);
    const match = spec.method === 'ours' ? topo.matchDiagrams : denseSolver();
    warmUp(() => match(a, b));
    const [time, r] = seconds(() => match(a, b));
    report = { time, cost: r.cost };
  } else if (spec.method === 'dense-loss') {
    // The former solver on the loss's own matching (image diagram vs target), once, no warm-up.
    const points = imageWithPoints(topo, spec.n, `loss image ${spec.n}`).pairs;
    const goal = Float64Array.from(target(topo).flat());
    const [time, r] = seconds(() => denseSolver()(points, goal));
    report = {
      time,
      points: points.length / 2,
      relDiff: Math.abs(r.cost - topo.matchDiagrams(points, goal).cost) / r.cost,
    };
  } else if (spec.method === 'loss') {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    require('@tensorflow/tfjs-layers'); // registers the gradients of core ops in Node
    tf.setBackend('cpu');
    const goal = target(topo);
    let step;
    let points;
    if (spec.family === 'realistic') {
      const { side, values, pairs } = imageWithPoints(topo, spec.n, `loss image ${spec.n}`);
      points = pairs;
      const x = tf.tensor2d(values, [side, side]);
      const f = (input) => topo.wassersteinLoss(topo.persistenceDiagrams(input, { dims: [0] }), goal, { dim: 0 });
      step = () => tf.tidy(() => tf.valueAndGrad(f)(x));
    } else {
      // A diagram set by hand (no op yields such diagrams): one map, dimension 0, no essential class.
      points = farPoints(spec.n, `far A ${spec.n}`);
      const values = Float32Array.from(points);
      const n = spec.n;
      const x = tf.tensor2d(values, [n, 2]);
      const set = (pairs) => ({
        pairs,
        values,
        dim: new Int32Array(n),
        map: new Int32Array(n),
        essential: new Uint8Array(n),
        essentialCounts: new Int32Array(1),
        dims: [0],
        maps: 1,
      });
      step = () => tf.tidy(() => tf.valueAndGrad((pairs) => topo.wassersteinLoss(set(pairs), goal, { dim: 0 }))(x));
    }
    const run = () => {
      const { value, grad } = step();
      const out = [value.dataSync()[0], grad.dataSync().length];
      value.dispose();
      grad.dispose();
      return out;
    };
    warmUp(run);
    const [time, [loss]] = seconds(run);
    const flat = Float64Array.from(goal.flat());
    warmUp(() => topo.matchDiagrams(points, flat));
    const [matchTime] = seconds(() => topo.matchDiagrams(points, flat));
    report = { time, loss, points: points.length / 2, matchTime };
  }
  report.maxrss_kb = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify(report) + '\n');
  return;
}

// ---------------------------------------------------------------- GUDHI (one call in a fresh Python process)
const GUDHI = `
import json, resource, sys, time
import numpy as np
spec = json.load(open(sys.argv[1]))
a = np.array(spec['a'], dtype=np.float64).reshape(-1, 2)
b = np.array(spec['b'], dtype=np.float64).reshape(-1, 2)
if spec['method'] == 'pot':
    from gudhi.wasserstein import wasserstein_distance
    t0 = time.perf_counter(); w = wasserstein_distance(a, b, order=2, internal_p=np.inf); t = time.perf_counter() - t0
else:
    from gudhi.hera import wasserstein_distance
    t0 = time.perf_counter(); w = wasserstein_distance(a, b, order=2, internal_p=np.inf, delta=0.01); t = time.perf_counter() - t0
print(json.dumps({'time': t, 'cost': float(w) ** 2, 'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const REPS = Number(opt('--reps') ?? 3);
const SIZES = (opt('--sizes') ?? '100,300,1000,3000,10000').split(',').map(Number);
const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'MATCHING.md'));
const DENSE_LOSS = argv.includes('--dense-loss'); // also the former solver on the loss's matching at n = 3000

const topo = require('../dist/index.js');
const worker = (spec) => runJson(process.execPath, [__filename, '--worker', JSON.stringify(spec)]);
const haveGudhi = spawnSync(PYTHON, ['-c', 'import gudhi.wasserstein, gudhi.hera, ot'], { encoding: 'utf8' });
const gudhiNote =
  haveGudhi.status === 0
    ? null
    : `GUDHI with POT not available (${PYTHON} -c 'import gudhi.wasserstein, gudhi.hera, ot' failed): no GUDHI columns`;
if (gudhiNote) console.error(`!!! ${gudhiNote}`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'matching-bench-'));
/** GUDHI's `method` ('pot' or 'hera') on diagrams a, b in a fresh Python process. */
function gudhi(method, a, b) {
  const file = path.join(tmp, 'case.json');
  fs.writeFileSync(file, JSON.stringify({ method, a: Array.from(a), b: Array.from(b) }));
  return runJson(PYTHON, ['-c', GUDHI, file]);
}

// ---------------------------------------------------------------- running
const best = (runs, key = 'time') => {
  const ok = runs.filter((r) => r && !r.error);
  return ok.length ? ok.reduce((x, y) => (y[key] < x[key] ? y : x)) : (runs.find((r) => r?.error) ?? null);
};
const peak = (runs) => Math.max(0, ...runs.filter((r) => r && !r.error).map((r) => r.maxrss_kb));
const started = new Date();
const loadBefore = os.loadavg();
const nodeBaselineKB = worker({ method: 'baseline' }).maxrss_kb;
const pythonBaselineKB =
  haveGudhi.status === 0
    ? runJson(PYTHON, [
        '-c',
        'import json, resource, gudhi.wasserstein, gudhi.hera, ot; print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))',
      ]).maxrss_kb
    : null;
const rows = [];
try {
  for (const family of ['realistic', 'adversarial']) {
    for (const n of SIZES) {
      const [a, b] = diagrams(topo, family, n);
      const methods = ['ours', 'loss'];
      if (2 * n <= DENSE_UP_TO) methods.push('dense');
      if (!gudhiNote && n <= POT_UP_TO) methods.push('pot');
      if (!gudhiNote) methods.push('hera');
      const runs = Object.fromEntries(methods.map((m) => [m, []]));
      for (let rep = 0; rep < REPS; rep++) {
        for (const method of methods) {
          // GUDHI calls are deterministic and not JIT-compiled: one repetition.
          if ((method === 'pot' || method === 'hera') && rep > 0) continue;
          const r = method === 'pot' || method === 'hera' ? gudhi(method, a, b) : worker({ method, family, n });
          runs[method].push(r);
          if (r.error) console.error(`!!! ${family} n=${n} ${method}: ${r.error}`);
        }
      }
      const row = { family, n, candidates: candidatePairs(a, b) };
      for (const method of methods) row[method] = { ...best(runs[method]), peakKB: peak(runs[method]) };
      rows.push(row);
      const show = (m) => (row[m] && !row[m].error ? `${m} ${row[m].time.toFixed(3)} s` : `${m} –`);
      console.error(
        `${family} n=${n}: ${row.candidates} candidate pairs | ${methods.map(show).join(' | ')} | loss vs ${TARGET}: ` +
          `${row.loss?.points ?? '–'} points`,
      );
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const denseLoss = DENSE_LOSS ? worker({ method: 'dense-loss', n: TARGET }) : null;
if (denseLoss?.error) console.error(`!!! dense-loss: ${denseLoss.error}`);
const loadAfter = os.loadavg();

// ---------------------------------------------------------------- report
const f = (x, d = 3) => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const time = (r) => (r && !r.error ? f(r.time) : r?.error ? 'failed' : '–');
const mem = (r, baseKB) => (r && !r.error ? f((r.peakKB - baseKB) / 1024, 0) : '–');
/** Relative difference of a method's cost (W_2²) from ours. */
const agree = (row, m) =>
  row[m] && !row[m].error && row.ours && !row.ours.error
    ? Math.abs(row[m].cost - row.ours.cost) / Math.max(1e-300, Math.abs(row.ours.cost))
    : undefined;
const rel = (x) => (x === undefined ? '–' : x === 0 ? '0' : x.toExponential(1));
const lines = [
  '# Exact diagram matching: sparse successive shortest paths vs the former dense solver and GUDHI',
  '',
  `Written by \`bench/matching.js\` on ${started.toISOString()}: ${os.cpus().length} × ${os.cpus()[0].model}, ` +
    `Node ${process.version}. Load average (1/5/15 min) before ${loadBefore.map((x) => f(x, 2)).join(' / ')}, ` +
    `after ${loadAfter.map((x) => f(x, 2)).join(' / ')}. Best of ${REPS} repetition(s) (GUDHI: one).`,
  '',
  '**MEASURED WHILE OTHER JOBS RAN ON THE SAME MACHINE** (see the load averages): the times are indicative; ' +
    'rerun `npm run bench:matching` on a quiet machine for the figures to quote.',
  '',
  'Families (n points per diagram, A against B): *realistic* — n points drawn from the H0 diagram of a seeded ' +
    '2-D image (40 Gaussian bumps plus uniform noise of amplitude 0.2) by `cubicalPersistence`, mostly near the ' +
    'diagonal; *adversarial* — n points uniform in [0, 1] × [2, 3], far from the diagonal, where nearly every pair is ' +
    'a candidate. p = 2, internal_p = ∞.',
  '',
  'Columns: *candidate pairs* — pairs with c(a, b) < c(a, Δ) + c(b, Δ), the only ones an optimum needs (of n²). ' +
    '*ours* — `matchDiagrams` (exact), after warm-up calls (up to 5, or 2 s) in the same process. *dense* — the former ' +
    'O((n + m)³) Jonker–Volgenant solver (test/reference/dense-matching.ts), up to n + m = ' +
    `${DENSE_UP_TO}. *POT* — GUDHI 3.7 \`gudhi.wasserstein.wasserstein_distance\` (exact, optimal transport by ` +
    `POT's network simplex on an (n + 1)² matrix), up to n = ${POT_UP_TO}. *Hera* — \`gudhi.hera.wasserstein_distance\`, ` +
    "Hera's auction with relative error delta = 0.01 (its default; approximate by design). *rel. diff.* — |cost − ours| / ours " +
    'for the W_2² of each (dense and POT must be ~1e-15; Hera within its 1 + delta on W_2). Memory: peak RSS of the ' +
    `process minus that of an idle one (Node ${f(nodeBaselineKB / 1024, 0)} MB, Python with GUDHI ` +
    `${pythonBaselineKB ? f(pythonBaselineKB / 1024, 0) : '–'} MB).`,
  '',
  ...(gudhiNote ? [`Note: ${gudhiNote}.`, ''] : []),
  '| family | n | candidate pairs | ours s | ours MB | dense s | dense MB | POT s | POT MB | Hera s | rel. diff. dense / POT / Hera |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.family} | ${r.n} | ${r.candidates} | ${time(r.ours)} | ${mem(r.ours, nodeBaselineKB)} | ${time(r.dense)} | ` +
      `${mem(r.dense, nodeBaselineKB)} | ${time(r.pot)} | ${mem(r.pot, pythonBaselineKB ?? 0)} | ${time(r.hera)} | ` +
      `${rel(agree(r, 'dense'))} / ${rel(agree(r, 'pot'))} / ${rel(agree(r, 'hera'))} |`,
  ),
  '',
  `## One \`wassersteinLoss\` value and gradient against a ${TARGET}-point target (tfjs, cpu backend)`,
  '',
  'Realistic: an image whose H0 diagram has about n points (*points*: exactly), through `persistenceDiagrams` → ' +
    '`wassersteinLoss` → gradient to the image, by `tf.valueAndGrad`, after warm-up steps. Adversarial: the n ' +
    'far points as a hand-made diagram set, gradient to the points. The target is the same for both: 3,000 points ' +
    "of another image's H0 diagram. *matching s*: `matchDiagrams` alone on the same two diagrams (part of the step).",
  '',
  denseLoss && !denseLoss.error
    ? `The former dense solver on the matching of the realistic n = ${TARGET} step (${denseLoss.points} vs ${TARGET} ` +
      `points), one cold call: ${f(denseLoss.time, 1)} s (same cost as ours to ${rel(denseLoss.relDiff)} relative).`
    : 'The former dense solver on the matching of the realistic n = 3000 step: not measured (`--dense-loss`).',
  '',
  '| family | n | points | value + gradient s | of which matching s | MB |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.family} | ${r.n} | ${r.loss?.points ?? '–'} | ${time(r.loss)} | ${f(r.loss?.matchTime)} | ` +
      `${mem(r.loss, nodeBaselineKB)} |`,
  ),
  '',
];
fs.writeFileSync(outFile, lines.join('\n'));
console.error(`wrote ${outFile}`);
