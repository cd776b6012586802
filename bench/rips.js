'use strict';
// Vietoris–Rips benchmark: our engine (dist/) against the ripser CLI (Debian ripser 1.2.1) on the
// same seeded point clouds, in the same run.
//
//   npm run bench:rips                 build, then run every case (about two minutes on 2 cores)
//   node bench/rips.js --quick         only n ≤ 200
//   node bench/rips.js --reps 5        repetitions per case (default 3; medians are reported)
//   node bench/rips.js --out FILE      write the report to FILE (default bench/RIPS.md)
//
// Clouds: "circle" = n points at uniform angles, radius 1 + N(0, 0.1) in R²; "torus" = n points
// at uniform angles on the torus (R = 2, r = 1) in R³ plus N(0, 0.1) noise per coordinate.
// Coordinates are rounded to float32 so that both programs read the same numbers (ripser works
// in float32; we compute distances in float64).
//
// Every repetition runs in a fresh process, under /usr/bin/time for peak RSS: ripser on a CSV
// file, ours in `node bench/rips.js --worker FILE MAXDIM` (times one ripsPersistence call: a cold
// engine, JIT warm-up included). A further worker reuses one RipsPersistence object for the
// "warm" column (what a training loop sees after its first step).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { cloudCsv } = require('./inputs');
const { median } = require('./common');

const RIPSER = '/usr/bin/ripser';
const TIME = '/usr/bin/time';

// ---------------------------------------------------------------- worker
if (process.argv[2] === '--worker') {
  const { RipsPersistence } = require('tfjs-topo/persistence'); // the engine alone, no tfjs
  const [file, maxDimText, warmText] = process.argv.slice(3);
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
  const dim = rows[0].split(',').length;
  const points = Float64Array.from(rows.flatMap((r) => r.split(',').map(Number)));
  const engine = new RipsPersistence({ maxDim: Number(maxDimText) });
  const warm = Number(warmText ?? 0);
  const t0 = process.hrtime.bigint();
  let diagrams = engine.fromPoints(points, dim);
  const first = Number(process.hrtime.bigint() - t0) / 1e9;
  const times = [];
  for (let k = 0; k < warm; k++) {
    const t = process.hrtime.bigint();
    diagrams = engine.fromPoints(points, dim);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  process.stdout.write(
    JSON.stringify({ first, warm: median(times), counts: diagrams.map((d) => d.births.length) }) + '\n',
  );
  return;
}

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const REPS = Number(opt('--reps') ?? 3);
const outFile = opt('--out') ?? path.join(__dirname, 'RIPS.md');
const cases = [];
for (const kind of ['circle', 'torus']) {
  for (const n of [100, 200, 500, 1000]) cases.push({ kind, n, maxDim: 1 });
  for (const n of [100, 200]) cases.push({ kind, n, maxDim: 2 });
}
const selected = cases.filter((c) => !quick || c.n <= 200);

// ---------------------------------------------------------------- inputs

// (cloud in inputs.js)

// ---------------------------------------------------------------- running
function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(TIME, ['-f', '@@time %e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr}`);
  const m = /@@time ([\d.]+) (\d+)/.exec(res.stderr);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, rssMB: Number(m[2]) / 1024, stdout: res.stdout };
}

function ripserCounts(stdout, maxDim) {
  const counts = new Array(maxDim + 1).fill(0);
  let dim = -1;
  for (const line of stdout.split('\n')) {
    const m = /persistence intervals in dim (\d+)/.exec(line);
    if (m) dim = Number(m[1]);
    else if (dim >= 0 && line.startsWith(' [')) counts[dim]++;
  }
  return counts;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rips-bench-'));
// Node's own footprint: a worker on two points.
fs.writeFileSync(path.join(tmp, 'two.csv'), '0,0\n1,1\n');
const nodeBaselineMB = timed(process.execPath, [__filename, '--worker', path.join(tmp, 'two.csv'), '1']).rssMB;
const loadBefore = os.loadavg();
const started = new Date();
const results = [];
for (const c of selected) {
  const file = path.join(tmp, `${c.kind}-${c.n}.csv`);
  fs.writeFileSync(file, cloudCsv(c));
  const ripser = [];
  const ours = [];
  let counts = null;
  let oursCounts = null;
  for (let rep = 0; rep < REPS; rep++) {
    const r = timed(RIPSER, ['--format', 'point-cloud', '--dim', String(c.maxDim), file]);
    ripser.push(r);
    counts = ripserCounts(r.stdout, c.maxDim);
    const o = timed(process.execPath, [__filename, '--worker', file, String(c.maxDim)]);
    const report = JSON.parse(o.stdout);
    ours.push({ time: report.first, rssMB: o.rssMB });
    oursCounts = report.counts;
  }
  const warmReps = c.n >= 1000 ? 2 : 5;
  const warm = JSON.parse(
    timed(process.execPath, [__filename, '--worker', file, String(c.maxDim), String(warmReps)]).stdout,
  ).warm;
  const row = {
    name: `${c.kind} n=${c.n}`,
    maxDim: c.maxDim,
    ripserS: median(ripser.map((r) => r.wall)),
    oursS: median(ours.map((r) => r.time)),
    warmS: warm,
    ripserMB: median(ripser.map((r) => r.rssMB)),
    oursMB: median(ours.map((r) => r.rssMB)),
    sameCounts: JSON.stringify(counts) === JSON.stringify(oursCounts),
    counts: oursCounts,
  };
  results.push(row);
  console.log(
    `${row.name} maxdim ${row.maxDim}: ripser ${row.ripserS.toFixed(3)} s ${row.ripserMB.toFixed(0)} MB, ` +
      `ours ${row.oursS.toFixed(3)} s (warm ${row.warmS.toFixed(3)} s) ${row.oursMB.toFixed(0)} MB, pairs ${JSON.stringify(oursCounts)}${row.sameCounts ? '' : ' MISMATCH ' + JSON.stringify(counts)}`,
  );
}
fs.rmSync(tmp, { recursive: true, force: true });
const loadAfter = os.loadavg();

// ---------------------------------------------------------------- report
const f = (x, d = 3) => x.toFixed(d);
const lines = [
  '# Vietoris–Rips persistence: tfjs-topo vs ripser',
  '',
  `Written by \`bench/rips.js\` on ${started.toISOString()}: ${os.cpus().length} × ${os.cpus()[0].model}, ` +
    `Node ${process.version}, ripser 1.2.1 (Debian). Load average (1/5/15 min) before ${loadBefore.map((x) => f(x, 2)).join(' / ')}, ` +
    `after ${loadAfter.map((x) => f(x, 2)).join(' / ')}.`,
  '',
  `Median of ${REPS} fresh-process runs per program. *ripser s*: wall time of the whole ripser process ` +
    '(process start and reading the file included). *ours s*: one `ripsPersistence` call in a fresh Node process (cold JIT; Node start-up ' +
    'and file parsing excluded). *warm s*: median call of a reused `RipsPersistence` object after the first. ' +
    'Peak memory: maximum resident set size from `/usr/bin/time` (for ours the whole Node process; ' +
    `Node itself takes ${f(nodeBaselineMB, 0)} MB on two points). *pairs*: our pair counts per dimension; ✓ when ripser reports the same counts.`,
  '',
  'Clouds: *circle* — uniform angles, radius 1 + N(0, 0.1), in R²; *torus* — uniform angles on the torus with R = 2, ' +
    'r = 1 in R³ plus N(0, 0.1) per coordinate; float32 coordinates, seeded. Threshold: the enclosing radius (both).',
  '',
  '| cloud | maxdim | ripser s | ours s | ours/ripser | warm s | ripser MB | ours MB | mem ours/ripser | pairs |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.maxDim} | ${f(r.ripserS)} | ${f(r.oursS)} | ${f(r.oursS / r.ripserS, 2)} | ${f(r.warmS)} | ` +
      `${f(r.ripserMB, 0)} | ${f(r.oursMB, 0)} | ${f(r.oursMB / r.ripserMB, 2)} | ${r.counts.join(' / ')} ${r.sameCounts ? '✓' : '✗'} |`,
  ),
  '',
];
fs.writeFileSync(outFile, lines.join('\n'));
console.log(`wrote ${outFile}`);
