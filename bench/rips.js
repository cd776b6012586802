'use strict';
// Vietoris–Rips benchmark: our engine (dist/) against the ripser CLI (Debian ripser 1.2.1) on the
// same seeded point clouds, in the same run: a table of cases, then the growth with n.
//
//   npm run bench:rips                 build, then the table and the growth (about five minutes on 2
//                                      cores, half of it the table)
//   node bench/rips.js --quick         only n ≤ 200 in the table, n ≤ 2000 in the growth
//   node bench/rips.js --growth        only the growth (with --quick: n ≤ 2000)
//   node bench/rips.js --no-growth     only the table
//   node bench/rips.js --reps 5        repetitions per case (default 3; medians are reported; the
//                                      growth runs once from n = 5000 up)
//   node bench/rips.js --out FILE      write the report to FILE (default bench/RIPS.md); the growth
//                                      plot goes beside it (rips-growth.svg)
//
// Clouds: "circle" = n points at uniform angles, radius 1 + N(0, 0.1) in R²; "torus" = n points
// at uniform angles on the torus (R = 2, r = 1) in R³ plus N(0, 0.1) noise per coordinate; "cube"
// (the growth) = n points uniform in the unit cube of R³. Coordinates are rounded to float32 so that
// both programs read the same numbers (ripser works in float32; we compute distances in float64).
//
// Every repetition runs in a fresh process, under /usr/bin/time for peak RSS: ripser on a CSV
// file, ours in `node bench/rips.js --worker FILE MAXDIM [WARM] [THRESHOLD]` (times one
// ripsPersistence call: a cold engine, JIT warm-up included). A further worker reuses one
// RipsPersistence object for the "warm" column (what a training loop sees after its first step).
//
// Growth: maxdim 1 on the cube, with threshold 0.134 (about 1 % of the pairs: both programs keep
// only the edges up to it) for n = 500 … 20000, and without (the enclosing radius) for n = 500 …
// 2000. A process has 600 s (then "timeout"); the report gives the log-log exponents and the
// plot rips-growth.svg (bench/plot.js).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { cloud, cloudCsv } = require('./inputs');
const { median, reportFile } = require('./common');
const { logLogSvg } = require('./plot');

const RIPSER = '/usr/bin/ripser';
const TIME = '/usr/bin/time';
const TIMEOUT_S = 600; // per process in the growth
const GROWTH_THRESHOLD = 0.134; // about 1 % of the pairs of uniform points in the unit cube
const GROWTH_N = { threshold: [500, 1000, 2000, 5000, 10000, 20000], none: [500, 1000, 2000] };

// ---------------------------------------------------------------- worker
if (process.argv[2] === '--worker') {
  const { RipsPersistence } = require('tfjs-topo/persistence'); // the engine alone, no tfjs
  const [file, maxDimText, warmText, thresholdText] = process.argv.slice(3);
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
  const dim = rows[0].split(',').length;
  const points = Float64Array.from(rows.flatMap((r) => r.split(',').map(Number)));
  const threshold = thresholdText === undefined || thresholdText === 'none' ? undefined : Number(thresholdText);
  const engine = new RipsPersistence({ maxDim: Number(maxDimText), ...(threshold === undefined ? {} : { threshold }) });
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
  // The edges kept (a private field of the engine, read here only to cross-check the bench's count).
  const edges = engine['edges'].count;
  process.stdout.write(
    JSON.stringify({ first, warm: median(times), counts: diagrams.map((d) => d.births.length), edges }) + '\n',
  );
  return;
}

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const growthOnly = argv.includes('--growth');
const noGrowth = argv.includes('--no-growth');
if (growthOnly && noGrowth) throw new Error('--growth and --no-growth exclude each other');
const REPS = Number(opt('--reps') ?? 3);
if (!(Number.isInteger(REPS) && REPS >= 1)) throw new Error(`--reps must be a positive integer, got ${opt('--reps')}`);
const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'RIPS.md'));
const svgFile = path.join(path.dirname(outFile), 'rips-growth.svg');
const cases = [];
for (const kind of ['circle', 'torus']) {
  for (const n of [100, 200, 500, 1000]) cases.push({ kind, n, maxDim: 1 });
  for (const n of [100, 200]) cases.push({ kind, n, maxDim: 2 });
}
const selected = growthOnly ? [] : cases.filter((c) => !quick || c.n <= 200);
const growthCases = noGrowth
  ? []
  : [
      ...GROWTH_N.threshold.map((n) => ({ kind: 'cube', n, maxDim: 1, threshold: GROWTH_THRESHOLD })),
      ...GROWTH_N.none.map((n) => ({ kind: 'cube', n, maxDim: 1 })),
    ].filter((c) => !quick || c.n <= 2000);

// ---------------------------------------------------------------- inputs

/**
 * The pairs of points within `threshold` (float64 distances of the float32 coordinates, as our
 * engine computes them), and the threshold used: without one, the enclosing radius
 * min_v max_u d(u, v), as both programs do.
 */
function pairsKept(rows, threshold) {
  const n = rows.length;
  const d = rows[0].length;
  const p = Float64Array.from(rows.flat());
  const dist = (i, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = p[i * d + k] - p[j * d + k];
      s += t * t;
    }
    return Math.sqrt(s);
  };
  let radius = threshold;
  if (radius === undefined) {
    const farthest = new Float64Array(n);
    for (let j = 1; j < n; j++)
      for (let i = 0; i < j; i++) {
        const x = dist(i, j);
        if (x > farthest[i]) farthest[i] = x;
        if (x > farthest[j]) farthest[j] = x;
      }
    radius = farthest.reduce((a, b) => Math.min(a, b), Infinity);
  }
  let kept = 0;
  for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) if (dist(i, j) <= radius) kept++;
  return { kept, total: (n * (n - 1)) / 2, radius };
}

// ---------------------------------------------------------------- running
/**
 * Runs `cmd args` under /usr/bin/time: { wall, rssMB, stdout }. With `timeoutS`, under `timeout`
 * too, and { timedOut } or { error } instead of throwing when the process does not end well.
 */
function timed(cmd, args, timeoutS) {
  const line = timeoutS ? ['timeout', '--kill-after=10', String(timeoutS), cmd, ...args] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(TIME, ['-f', '@@time %e %M', ...line], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...(timeoutS ? { timeout: (timeoutS + 60) * 1000, killSignal: 'SIGKILL' } : {}),
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (timeoutS) {
    // timeout(1) exits 124 when it stopped the command, 137 when it had to kill it.
    if (res.status === 124 || (res.status === 137 && wall >= timeoutS) || res.error?.code === 'ETIMEDOUT')
      return { timedOut: true, wall };
    if (res.status !== 0) return { error: `exit ${res.status ?? res.signal}`, wall };
  }
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr}`);
  const m = /@@time ([\d.]+) (\d+)/.exec(res.stderr);
  return { wall, rssMB: Number(m[2]) / 1024, stdout: res.stdout };
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

/** The comparison table: circle and torus clouds at the enclosing radius, REPS runs of each program. */
function runTable(tmp) {
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
  return results;
}

/**
 * The growth: for each case, one fresh process per program and repetition (REPS below n = 5000,
 * else one), each with TIMEOUT_S; a program that times out or fails is not run again on that case.
 */
function runGrowth(tmp) {
  const rows = [];
  for (const c of growthCases) {
    const file = path.join(tmp, `${c.kind}-${c.n}.csv`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, cloudCsv(c));
    const { kept, total, radius } = pairsKept(cloud(c), c.threshold);
    const thresholdArg = c.threshold === undefined ? 'none' : String(c.threshold);
    const reps = c.n >= 5000 ? 1 : REPS;
    const ripser = { runs: [] };
    const ours = { runs: [] };
    for (let rep = 0; rep < reps; rep++) {
      if (!ripser.failed) {
        const thresholdArgs = c.threshold === undefined ? [] : ['--threshold', String(c.threshold)];
        const r = timed(
          RIPSER,
          ['--format', 'point-cloud', '--dim', String(c.maxDim), ...thresholdArgs, file],
          TIMEOUT_S,
        );
        if (r.timedOut || r.error) ripser.failed = r.timedOut ? 'timeout' : `failed (${r.error})`;
        else {
          ripser.runs.push({ time: r.wall, rssMB: r.rssMB });
          ripser.counts = ripserCounts(r.stdout, c.maxDim);
        }
      }
      if (!ours.failed) {
        const o = timed(
          process.execPath,
          [__filename, '--worker', file, String(c.maxDim), '0', thresholdArg],
          TIMEOUT_S,
        );
        if (o.timedOut || o.error) ours.failed = o.timedOut ? 'timeout' : `failed (${o.error})`;
        else {
          const report = JSON.parse(o.stdout);
          ours.runs.push({ time: report.first, rssMB: o.rssMB });
          ours.counts = report.counts;
          ours.edges = report.edges;
        }
      }
    }
    let warmS;
    if (c.n <= 2000 && !ours.failed) {
      const warmReps = c.n >= 1000 ? 2 : 5;
      const w = timed(
        process.execPath,
        [__filename, '--worker', file, String(c.maxDim), String(warmReps), thresholdArg],
        TIMEOUT_S,
      );
      if (!w.timedOut && !w.error) warmS = JSON.parse(w.stdout).warm;
    }
    // A program counts when it ran every repetition; its median time and peak RSS.
    const summary = (p) =>
      p.failed
        ? { failed: p.failed }
        : { s: median(p.runs.map((r) => r.time)), mb: median(p.runs.map((r) => r.rssMB)) };
    const row = {
      n: c.n,
      threshold: c.threshold,
      radius,
      fraction: kept / total,
      edges: kept,
      reps,
      ours: summary(ours),
      ripser: summary(ripser),
      warmS,
      counts: ours.failed ? null : ours.counts,
      same: ours.failed || ripser.failed ? null : JSON.stringify(ours.counts) === JSON.stringify(ripser.counts),
    };
    rows.push(row);
    const side = (x) => (x.failed ? x.failed : `${x.s.toFixed(3)} s ${x.mb.toFixed(0)} MB`);
    const edgeCheck =
      ours.edges === undefined || ours.edges === kept
        ? ''
        : ` EDGES: ours kept ${ours.edges}, the bench counts ${kept}`;
    console.log(
      `cube n=${c.n} ${c.threshold === undefined ? `enclosing radius ${radius.toFixed(3)}` : `threshold ${c.threshold}`} ` +
        `(${(100 * row.fraction).toFixed(2)} % of pairs): ripser ${side(row.ripser)}, ours ${side(row.ours)}` +
        `${warmS === undefined ? '' : ` (warm ${warmS.toFixed(3)} s)`}, pairs ${JSON.stringify(row.counts)}` +
        `${row.same === false ? ' MISMATCH ' + JSON.stringify(ripser.counts) : row.same === null ? ' (not compared)' : ''}${edgeCheck}`,
    );
  }
  return rows;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rips-bench-'));
// Each program's own footprint: on two points.
fs.writeFileSync(path.join(tmp, 'two.csv'), '0,0\n1,1\n');
const nodeBaselineMB = timed(process.execPath, [__filename, '--worker', path.join(tmp, 'two.csv'), '1']).rssMB;
const ripserBaselineMB = timed(RIPSER, ['--format', 'point-cloud', '--dim', '1', path.join(tmp, 'two.csv')]).rssMB;
const loadBefore = os.loadavg();
const started = new Date();
let results;
let growth;
try {
  results = runTable(tmp);
  growth = runGrowth(tmp);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const loadAfter = os.loadavg();

// ---------------------------------------------------------------- report
const f = (x, d = 3) => x.toFixed(d);
const command =
  process.env.npm_lifecycle_event === 'bench:rips'
    ? `npm run bench:rips${argv.length ? ' -- ' + argv.join(' ') : ''}`
    : `node bench/rips.js ${argv.join(' ')}`.trim();
const tableSection = results.length
  ? [
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
    ]
  : [];

/** The growth's four series: ours and ripser, with the threshold and without. */
function growthSeries() {
  const out = [];
  for (const [id, label, color, marker] of [
    ['ours', 'ours', '#d62728', 'dot'],
    ['ripser', 'ripser', '#1f77b4', 'square'],
  ])
    for (const withThreshold of [true, false]) {
      const rows = growth.filter((r) => (r.threshold !== undefined) === withThreshold);
      if (!rows.length) continue;
      out.push({
        id,
        label,
        color,
        marker,
        dashed: !withThreshold,
        name: `${label}, ${withThreshold ? `threshold ${GROWTH_THRESHOLD}` : 'enclosing radius'}`,
        legendSlot: [id === 'ours' ? 0 : 1, withThreshold ? 0 : 1],
        rows,
        points: rows.filter((r) => !r[id].failed).map((r) => ({ x: r.n, y: [r[id].s, r[id].mb] })),
      });
    }
  return out;
}

/** The log-log slope of y (point → value) between the smallest and the largest n measured. */
function slope(points, y) {
  if (points.length < 2) return '–';
  const [a, b] = [points[0], points[points.length - 1]];
  if (!(y(a) > 0 && y(b) > 0)) return '–';
  return f(Math.log(y(b) / y(a)) / Math.log(b.x / a.x), 2);
}

const cell = (side, value) => (side.failed ? side.failed : value(side));
const growthSection = growth.length
  ? [
      '## Growth: uniform points in the unit cube of R³, maxdim 1',
      '',
      `Cloud *cube*: n points uniform in [0, 1)³, float32 coordinates, seeded. With a threshold of ${GROWTH_THRESHOLD}, both ` +
        `programs keep only the edges up to it (ripser: \`--threshold ${GROWTH_THRESHOLD}\`); without one, both use the enclosing ` +
        'radius (given in the threshold column). *pairs kept*: the fraction of the n(n − 1)/2 pairs of points within the ' +
        'threshold, *edges* their number: with a fixed threshold in the fixed cube that fraction stays about the same, so ' +
        'the edges grow as n² (memory linear in the kept edges shows as an exponent of 2 in n). ' +
        `Median of ${REPS} fresh-process runs per program below n = 5000, one run from 5000 up; a process has ` +
        `${TIMEOUT_S} s (*timeout* past it). *ours s* (cold) and *warm s* (n ≤ 2000) as above; *ripser s*: the whole ripser ` +
        'process. Peak memory: maximum resident set size from `/usr/bin/time`, the whole process; empty processes (on ' +
        `two points): Node ${f(nodeBaselineMB, 0)} MB, ripser ${f(ripserBaselineMB, 0)} MB. *pairs*: our pair counts per ` +
        'dimension; ✓ when ripser reports the same counts.',
      '',
      '| n | threshold | pairs kept | edges | ours s | warm s | ripser s | ours/ripser | ours MB | ripser MB | pairs |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...growth.map((r) => {
        const both = !r.ours.failed && !r.ripser.failed;
        const pairs = r.counts
          ? `${r.counts.join(' / ')} ${r.same === null ? '(not compared)' : r.same ? '✓' : '✗'}`
          : '–';
        return (
          `| ${r.n} | ${r.threshold === undefined ? `enclosing radius (${f(r.radius)})` : r.threshold} | ${f(100 * r.fraction, 2)} % | ${r.edges} | ` +
          `${cell(r.ours, (x) => f(x.s))} | ${r.warmS === undefined ? '–' : f(r.warmS)} | ${cell(r.ripser, (x) => f(x.s))} | ` +
          `${both ? f(r.ours.s / r.ripser.s, 2) : '–'} | ${cell(r.ours, (x) => f(x.mb, 0))} | ${cell(r.ripser, (x) => f(x.mb, 0))} | ${pairs} |`
        );
      }),
      '',
      '*Exponents*: the log-log slope between the smallest and the largest n measured (time ∝ n^exponent); for memory, ' +
        "of the peak RSS and of the peak RSS less the program's empty process.",
      '',
      '| program | n | exponent (time) | exponent (peak RSS) | exponent (peak RSS − empty) |',
      '|---|---|---:|---:|---:|',
      ...growthSeries().map((s) => {
        const empty = s.id === 'ours' ? nodeBaselineMB : ripserBaselineMB;
        const range = s.points.length ? `${s.points[0].x}–${s.points[s.points.length - 1].x}` : '–';
        return `| ${s.name} | ${range} | ${slope(s.points, (q) => q.y[0])} | ${slope(s.points, (q) => q.y[1])} | ${slope(s.points, (q) => q.y[1] - empty)} |`;
      }),
      '',
      `Plot: [rips-growth.svg](rips-growth.svg) (solid: threshold ${GROWTH_THRESHOLD}, dashed: enclosing radius; dots: ours, squares: ripser).`,
      '',
      '![time and peak RSS vs n](rips-growth.svg)',
      '',
    ]
  : [];

const lines = [
  '# Vietoris–Rips persistence: tfjs-topo vs ripser',
  '',
  `Written by \`${command}\` on ${started.toISOString()}: ${os.cpus().length} × ${os.cpus()[0].model}, ` +
    `Node ${process.version}, ripser 1.2.1 (Debian). Load average (1/5/15 min) before ${loadBefore.map((x) => f(x, 2)).join(' / ')}, ` +
    `after ${loadAfter.map((x) => f(x, 2)).join(' / ')}.`,
  '',
  ...tableSection,
  ...growthSection,
];
fs.writeFileSync(outFile, lines.join('\n'));
if (growth.length) {
  const svg = logLogSvg({
    panels: [
      { title: 'time (s) vs n (unit cube, maxdim 1)', yLabel: 'time (s), log scale' },
      { title: 'peak RSS (MB) vs n (unit cube, maxdim 1)', yLabel: 'peak RSS (MB), log scale' },
    ],
    xLabel: 'points n, log scale',
    series: growthSeries(),
  });
  fs.writeFileSync(svgFile, svg);
  console.log(`wrote ${outFile} and ${svgFile}`);
} else console.log(`wrote ${outFile}`);
