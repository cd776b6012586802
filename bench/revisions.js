'use strict';
// The engines of two revisions of this repository, timed in the same run: the working tree's
// build (dist/) against a base revision built in a temporary git worktree. For restructurings and
// refactorings that promise "no slower".
//
//   node bench/revisions.js --base REF      (default: HEAD; build the working tree first: npm run build)
//   node bench/revisions.js --rounds 9      rounds per case (default 7)
//   node bench/revisions.js --only rips     cases whose name contains one of the strings
//   node bench/revisions.js --out FILE      write the report to FILE (default bench/REVISIONS.md)
//
// Every measurement is a fresh Node process that builds the case's input (seeded, bench/inputs.js),
// makes one engine, calls it once (JIT warm-up) and then REPS times; its best call is its figure.
// The two revisions' processes alternate, base first in odd rounds and ours first in even ones.
// Each revision's figures are the best over the rounds and the median of the rounds' bests (this
// machine has slow spells that last a whole process: the median is the steadier comparison). Both
// see the same inputs and must give the same pair counts.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { cubicalArray, cloud, mesh } = require('./inputs');

const REPS = 5;
const CASES = [
  { name: 'cubical 512² noise T', run: (t) => cubical(t, [512, 512], 'noise', 'T') },
  { name: 'cubical 1024² noise T', run: (t) => cubical(t, [1024, 1024], 'noise', 'T') },
  { name: 'cubical 1024² noise V', run: (t) => cubical(t, [1024, 1024], 'noise', 'V') },
  { name: 'cubical 1024² smooth T', run: (t) => cubical(t, [1024, 1024], 'smooth', 'T') },
  { name: 'cubical 2048² noise T', run: (t) => cubical(t, [2048, 2048], 'noise', 'T'), reps: 2 },
  { name: 'cubical 2048² noise V', run: (t) => cubical(t, [2048, 2048], 'noise', 'V'), reps: 2 },
  { name: 'cubical 32³ smooth V', run: (t) => cubical(t, [32, 32, 32], 'smooth', 'V') },
  { name: 'cubical 64³ noise T', run: (t) => cubical(t, [64, 64, 64], 'noise', 'T') },
  { name: 'cubical 64³ noise V', run: (t) => cubical(t, [64, 64, 64], 'noise', 'V') },
  { name: 'rips circle 1000, H0–H1', run: (t) => rips(t, 'circle', 1000, 1), reps: 2 },
  { name: 'rips torus 1000, H0–H1', run: (t) => rips(t, 'torus', 1000, 1) },
  { name: 'rips torus 300, H0–H2', run: (t) => rips(t, 'torus', 300, 2) },
  {
    name: 'lower-star grid 512², union-find',
    run: (t) => lowerStar(t, { name: 'grid 512x512', kind: 'grid', h: 512, w: 512 }),
  },
  {
    name: 'lower-star torus 316², dual union-find',
    run: (t) => lowerStar(t, { name: 'torus 316x316', kind: 'torus', h: 316, w: 316 }),
  },
  {
    name: 'lower-star torus 316², reduction',
    run: (t) => lowerStar(t, { name: 'torus 316x316', kind: 'torus', h: 316, w: 316 }, { dualTop: false }),
  },
  {
    name: 'lower-star tetrahedra 24³, reduction',
    run: (t) => lowerStar(t, { name: 'tetrahedra 24x24x24', kind: 'cube', h: 24, w: 24 }),
  },
];

// ---------------------------------------------------------------- the worker: one case, one revision
function cubical(topo, shape, kind, construction) {
  const values = cubicalArray({ shape, kind, name: `${shape.join('x')} ${kind}` });
  const engine = new topo.CubicalPersistence(shape, { construction });
  return () => engine.compute(values);
}

function rips(topo, kind, n, maxDim) {
  const points = Float64Array.from(cloud({ kind, n }).flat());
  const engine = new topo.RipsPersistence({ maxDim });
  return () => engine.fromPoints(points, points.length / n);
}

function lowerStar(topo, c, options) {
  const { tri, values, size } = mesh(c);
  const engine = new topo.LowerStarPersistence(topo.SimplicialComplex.fromFlat(tri, size, values.length), options);
  return () => engine.compute(values);
}

if (process.argv[2] === '--worker') {
  const [dist, name] = process.argv.slice(3);
  const c = CASES.find((k) => k.name === name);
  const call = c.run(require(path.join(dist, 'persistence'))); // the engines alone, no tfjs
  let diagrams = call();
  let best = Infinity;
  for (let r = 0; r < (c.reps ?? REPS); r++) {
    const t0 = process.hrtime.bigint();
    diagrams = call();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  process.stdout.write(JSON.stringify({ ms: best, pairs: diagrams.map((d) => d.births.length) }) + '\n');
  return;
}

// The in-process A/B: both revisions' engines in one process, their calls alternating, so that a
// slow spell of the machine hits both alike. Prints the median call of each.
if (process.argv[2] === '--pair') {
  const [baseDist, oursDist, name] = process.argv.slice(3);
  const c = CASES.find((k) => k.name === name);
  const calls = [baseDist, oursDist].map((dist) => c.run(require(path.join(dist, 'persistence'))));
  const times = [[], []];
  calls.forEach((call) => call() && call()); // JIT warm-up
  for (let r = 0; r < 3 * (c.reps ?? REPS); r++)
    for (const k of r % 2 ? [1, 0] : [0, 1]) {
      const t0 = process.hrtime.bigint();
      calls[k]();
      times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  const { median } = require('./common');
  process.stdout.write(JSON.stringify({ base: median(times[0]), ours: median(times[1]) }) + '\n');
  return;
}

// ---------------------------------------------------------------- the driver
const { reportFile } = require('./common');
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const root = path.join(__dirname, '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const baseRef = opt('--base') ?? 'HEAD';
const rounds = Number(opt('--rounds') ?? 7);
const only = opt('--only')?.split(',');
const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'REVISIONS.md'));
const cases = CASES.filter((c) => !only || only.some((s) => c.name.includes(s)));
if (cases.length === 0) throw new Error(`no case matches --only ${opt('--only')}`);
const ours = path.join(root, 'dist');
if (!fs.existsSync(path.join(ours, 'index.js'))) throw new Error('build the working tree first: npm run build');

const baseSha = git('rev-parse', baseRef);
const baseDir = path.join(os.tmpdir(), `tfjs-topo-${baseSha.slice(0, 12)}`);
if (!fs.existsSync(path.join(baseDir, 'dist', 'index.js'))) {
  process.stderr.write(`building ${baseRef} (${baseSha.slice(0, 12)}) in ${baseDir}\n`);
  if (!fs.existsSync(baseDir)) git('worktree', 'add', '--detach', baseDir, baseSha);
  if (!fs.existsSync(path.join(baseDir, 'node_modules')))
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(baseDir, 'node_modules'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: baseDir,
    stdio: 'inherit',
  });
}
const base = path.join(baseDir, 'dist');

function run(...args) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', __filename, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const measure = (dist, name) => run('--worker', dist, name);
const PAIR_PROCESSES = 3;

const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');
const loadBefore = load();
const started = Date.now();
const { median } = require('./common');
const rows = [];
for (const c of cases) {
  const bests = { base: [], ours: [] }; // per round: the process's best call
  const pairs = { base: null, ours: null };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['base', 'ours'] : ['ours', 'base'];
    for (const who of order) {
      const m = measure(who === 'base' ? base : ours, c.name);
      bests[who].push(m.ms);
      pairs[who] = m.pairs;
    }
  }
  const row = {
    name: c.name,
    pairs: pairs.ours.join(' / '),
    same: JSON.stringify(pairs.base) === JSON.stringify(pairs.ours),
  };
  for (const who of ['base', 'ours']) row[who] = { best: Math.min(...bests[who]), median: median(bests[who]) };
  const pairRatios = Array.from({ length: PAIR_PROCESSES }, () => {
    const m = run('--pair', base, ours, c.name);
    return m.ours / m.base;
  });
  row.pairRatio = median(pairRatios);
  rows.push(row);
  process.stderr.write(
    `${c.name}: best ${row.base.best.toFixed(1)} vs ${row.ours.best.toFixed(1)} ms, median ${row.base.median.toFixed(1)} vs ` +
      `${row.ours.median.toFixed(1)} ms (${(row.ours.median / row.base.median).toFixed(3)}×), in-process ${row.pairRatio.toFixed(3)}×` +
      `${row.same ? '' : ' PAIR COUNTS DIFFER'}\n`,
  );
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const dirty = git('status', '--porcelain', '--', 'src').length > 0 ? ' + uncommitted changes in src/' : '';
const report = [
  '# Engines: this revision against a base revision, same run',
  '',
  `Written by \`node bench/revisions.js --base ${baseRef}\` on ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
    `${os.cpus().length} × ${os.cpus()[0].model.trim()}, Node ${process.version}. Load average (1/5/15 min) before ${loadBefore}, after ${load()}.`,
  '',
  `- base: ${baseRef} = ${baseSha.slice(0, 12)}; ours: ${git('rev-parse', 'HEAD').slice(0, 12)}${dirty}.`,
  `- ${rounds} rounds of one fresh process per revision (alternating which goes first), each process timing ${REPS} calls ` +
    'of a reused engine after one warm-up call (2 for the slowest cases) and keeping its best. *best*: the best over the ' +
    'rounds; *median*: the median of the rounds. *in-process*: both revisions in one process, their calls ' +
    `alternating (${PAIR_PROCESSES} processes of 3 × ${REPS} calls each, the median ratio of their median calls) — ` +
    'the steadiest comparison here. Inputs: bench/inputs.js, seeded.',
  '- *ours/base* below 1 means this revision is faster. This machine has slow spells lasting whole processes, so ' +
    'the fresh-process figures swing by 10–20 % from run to run; in-process ratios within ±5 % are noise.',
  '',
  '| case | best base / ours ms | median base / ours ms | ours/base best | ours/base median | ours/base in-process | pairs per dimension | same pairs |',
  '|---|--:|--:|--:|--:|--:|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmt(r.base.best)} / ${fmt(r.ours.best)} | ${fmt(r.base.median)} / ${fmt(r.ours.median)} | ` +
      `${(r.ours.best / r.base.best).toFixed(3)} | ${(r.ours.median / r.base.median).toFixed(3)} | ` +
      `**${r.pairRatio.toFixed(3)}** | ${r.pairs} | ${r.same ? 'yes' : '**no**'} |`,
  ),
  '',
].join('\n');
fs.writeFileSync(outFile, report);
process.stderr.write(`wrote ${outFile}\n`);
if (rows.some((r) => !r.same)) process.exitCode = 1;
