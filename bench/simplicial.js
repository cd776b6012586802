'use strict';
// Lower-star persistence of triangle meshes: our engine (dist/) against GUDHI's SimplexTree on the
// same meshes and values, in the same run.
//
//   npm run bench:simplicial                 build, then run every case
//   node bench/simplicial.js --only 256      only cases whose name contains one of the strings
//   node bench/simplicial.js --out FILE      write the report to FILE (default bench/SIMPLICIAL.md)
//
// Every case runs in fresh child processes (this file with --worker for ours, an embedded Python
// script for GUDHI) so that peak RSS is per case. Meshes and values come from a seeded PRNG.
const { execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { mesh } = require('./inputs');
const { median, pairsOf, reportFile, runJson } = require('./common');

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'; // must have numpy + gudhi
const GUDHI_REPS = 5;
const BUILD_REPS = 7; // ours, build complex + compute, timed after one cold call and WARMUP more
const WARMUP = 2; // untimed build + compute calls after the first (the JIT settles over a few calls)
const COMPUTE_REPS = 9; // ours, compute only on a reused engine, after one warm-up call
const ROUNDS = 3; // each case's processes run this many times; the report gives the median round

const CASES = [
  { name: 'grid 256x256', kind: 'grid', h: 256, w: 256 },
  { name: 'grid 512x512', kind: 'grid', h: 512, w: 512 },
  { name: 'torus 316x316', kind: 'torus', h: 316, w: 316 },
  { name: 'tetrahedra 24x24x24', kind: 'cube', h: 24, w: 24 },
];

// ---------------------------------------------------------------- inputs

// (mesh in inputs.js)

// ---------------------------------------------------------------- our worker (this file, --worker)

/** --worker-once DIR: one cold build + compute in a fresh process, for its peak memory; --baseline: none. */
function workerOnce(dir) {
  const { SimplicialComplex, LowerStarPersistence } = require('tfjs-topo/persistence'); // the engines alone, no tfjs
  if (dir === '--baseline') {
    console.log(JSON.stringify({ maxrss_kb: process.resourceUsage().maxRSS }));
    return;
  }
  const { tri, values, size } = readCase(dir);
  const t0 = performance.now();
  new LowerStarPersistence(SimplicialComplex.fromFlat(tri, size, values.length)).compute(values);
  console.log(JSON.stringify({ ms: performance.now() - t0, maxrss_kb: process.resourceUsage().maxRSS }));
}

function readCase(dir) {
  const tri = new Int32Array(new Uint8Array(fs.readFileSync(path.join(dir, 'tri.bin'))).buffer);
  const values = new Float64Array(new Uint8Array(fs.readFileSync(path.join(dir, 'values.bin'))).buffer);
  return { tri, values, size: Number(fs.readFileSync(path.join(dir, 'size.txt'), 'utf8')) };
}

function worker(dir) {
  const { SimplicialComplex, LowerStarPersistence } = require('tfjs-topo/persistence'); // the engines alone, no tfjs
  const { tri, values, size } = readCase(dir);
  const n = values.length;
  const build = [];
  let diagrams;
  for (let r = 0; r < 1 + WARMUP + BUILD_REPS; r++) {
    const t0 = performance.now();
    const engine = new LowerStarPersistence(SimplicialComplex.fromFlat(tri, size, n));
    diagrams = engine.compute(values);
    build.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const complex = SimplicialComplex.fromFlat(tri, size, n);
  const tComplex = performance.now() - t0;
  const engine = new LowerStarPersistence(complex);
  const compute = [];
  for (let r = 0; r <= COMPUTE_REPS; r++) {
    const t1 = performance.now();
    diagrams = engine.compute(values);
    compute.push(performance.now() - t1);
  }
  // The general matrix reduction for the top dimension too (no dual union-find), for the record.
  const general = new LowerStarPersistence(complex, { dualTop: false });
  const reduction = [];
  let generalDiagrams;
  for (let r = 0; r <= 3; r++) {
    const t1 = performance.now();
    generalDiagrams = general.compute(values);
    reduction.push(performance.now() - t1);
  }
  const maxrss_kb = process.resourceUsage().maxRSS;
  const problems = [];
  const same = (a, b) => a.length === b.length && a.every((p, i) => p[0] === b[i][0] && p[1] === b[i][1]);
  for (const d of diagrams) {
    const ours = pairsOf(d.births, d.deaths);
    if (!same(ours, pairsOf(generalDiagrams[d.dim].births, generalDiagrams[d.dim].deaths)))
      problems.push(`H${d.dim}: dual union-find and reduction differ`);
    const file = path.join(dir, `gudhi${d.dim}.bin`);
    if (!fs.existsSync(file)) continue;
    const ref = new Float64Array(new Uint8Array(fs.readFileSync(file)).buffer);
    const theirs = pairsOf(
      ref.filter((_, i) => i % 2 === 0),
      ref.filter((_, i) => i % 2 === 1),
    );
    if (!same(ours, theirs)) problems.push(`H${d.dim}: ${ours.length} pairs vs GUDHI ${theirs.length}`);
  }
  const checked = fs.existsSync(path.join(dir, 'gudhi0.bin'));
  console.log(
    JSON.stringify({
      buildFirst: build[0],
      build: median(build.slice(1 + WARMUP)),
      complex: tComplex,
      first: compute[0],
      compute: median(compute.slice(1)),
      reduction: median(reduction.slice(1)),
      counts: Array.from({ length: size }, (_, k) => complex.count(k)),
      pairs: diagrams.map((d) => pairsOf(d.births, d.deaths).length),
      essential: diagrams.map((d) => Array.from(d.deathCells).filter((c) => c === -1).length),
      maxrss_kb,
      check: problems.length ? `MISMATCH ${problems.join('; ')}` : checked ? 'ok' : 'not checked',
    }),
  );
}

// ---------------------------------------------------------------- GUDHI (embedded Python)
const GUDHI_SCRIPT = String.raw`
import itertools, json, resource, statistics, sys, time
import numpy as np
import gudhi
if sys.argv[1] == '--baseline':
    print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "gudhi": gudhi.__version__, "numpy": np.__version__}))
    sys.exit(0)
d, reps = sys.argv[1], int(sys.argv[2])
size = int(open(d + "/size.txt").read())
tri = np.fromfile(d + "/tri.bin", dtype=np.int32).reshape(-1, size)
values = np.fromfile(d + "/values.bin", dtype=np.float64)
n = len(values)

def run():
    # Lower-star filtration: every simplex gets the max of its vertices' values. insert_batch keeps
    # the smallest value given for a simplex, so every face (found with numpy) is inserted with its own.
    t = np.sort(tri, axis=1)
    w = t.astype(np.int64)  # (numpy 1.24 keeps int32 for int32 array * int64 scalar: overflow)
    st = gudhi.SimplexTree()
    st.insert_batch(t.T, values[t].max(axis=1))
    for j in range(size - 1, 1, -1):
        keys = np.unique(np.concatenate([sum(w[:, c[i]] * n ** (j - 1 - i) for i in range(j)) for c in itertools.combinations(range(size), j)]))
        f = np.stack([(keys // n ** (j - 1 - i)) % n for i in range(j)]).astype(np.int32)
        st.insert_batch(f, values[f].max(axis=0))
    st.insert_batch(np.arange(n, dtype=np.int32)[None, :], values)
    t0 = time.perf_counter()
    st.compute_persistence(homology_coeff_field=2, min_persistence=0, persistence_dim_max=True)
    persistence = time.perf_counter() - t0
    return st, [np.asarray(st.persistence_intervals_in_dimension(k), dtype=np.float64).reshape(-1, 2) for k in range(size)], persistence

times = []
persistence_times = []
for _ in range(reps):
    t0 = time.perf_counter()
    st, dgms, persistence = run()
    times.append(time.perf_counter() - t0)
    persistence_times.append(persistence)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for k, dg in enumerate(dgms):
    np.ascontiguousarray(dg).tofile(d + "/gudhi%d.bin" % k)
print(json.dumps({"times": times, "median": statistics.median(times), "persistence": statistics.median(persistence_times), "maxrss_kb": rss,
                  "simplices": st.num_simplices(), "pairs": [int((dg[:, 0] < dg[:, 1]).sum()) for dg in dgms]}))
`;

// ---------------------------------------------------------------- driver
const ours = (dir) => runJson(process.execPath, ['--max-old-space-size=8192', __filename, '--worker', dir]);
const oursOnce = (dir) => runJson(process.execPath, ['--max-old-space-size=8192', __filename, '--worker-once', dir]);
const gudhi = (...args) => runJson(PYTHON, ['-c', GUDHI_SCRIPT, ...args]);

function main() {
  const argv = process.argv.slice(2);
  const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const only = opt('--only')?.split(',');
  const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'SIMPLICIAL.md'));
  const cases = CASES.filter((c) => !only || only.some((s) => c.name.includes(s)));
  if (cases.length === 0) throw new Error(`no case matches --only ${opt('--only')}`);

  const baseGudhi = gudhi('--baseline');
  const baseOurs = oursOnce('--baseline');
  const haveGudhi = !baseGudhi.error;
  if (!haveGudhi) console.error(`!!! GUDHI is not available (${baseGudhi.error}): timing ours only`);
  const load = [os.loadavg()[0]];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-topo-simplicial-'));
  const rows = [];
  const t0 = Date.now();
  try {
    for (const c of cases) {
      const dir = path.join(tmp, c.name.replace(/\W+/g, '-'));
      fs.mkdirSync(dir);
      const { tri, values, size } = mesh(c);
      fs.writeFileSync(path.join(dir, 'size.txt'), String(size));
      fs.writeFileSync(path.join(dir, 'tri.bin'), new Uint8Array(tri.buffer));
      fs.writeFileSync(path.join(dir, 'values.bin'), new Uint8Array(values.buffer));
      const rounds = [];
      for (let round = 0; round < ROUNDS; round++) {
        const g = haveGudhi ? gudhi(dir, String(GUDHI_REPS)) : null; // also writes gudhi<k>.bin for the check
        const o = ours(dir);
        o.once = oursOnce(dir);
        load.push(os.loadavg()[0]);
        if (o.error) console.error(`!!! ${c.name}: our worker failed: ${o.error}`);
        if (g?.error) console.error(`!!! ${c.name}: GUDHI failed: ${g.error}`);
        if (o.check?.startsWith('MISMATCH')) console.error(`\n!!!!!!!! ${c.name}: ${o.check}\n`);
        rounds.push({ o, g });
        console.error(
          `${c.name} round ${round + 1}: ours build+compute ${ms(o.build)} ms, compute ${ms(o.compute)} ms (general reduction ${ms(o.reduction)} ms)` +
            ` | GUDHI ${ms(g?.median * 1000)} ms | ${ratio(g?.median, o.build)} / ${ratio(g?.median, o.compute)} | RSS ${mb(o.maxrss_kb)} / ${mb(g?.maxrss_kb)} MB | ${o.check}`,
        );
      }
      rows.push({ ...c, rounds });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const seconds = (Date.now() - t0) / 1000;
  writeReport(outFile, rows, { argv, haveGudhi, baseGudhi, baseOurs, load, seconds });
}

const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));
const ms = (x) => (!Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const ratio = (gudhiSeconds, oursMs) =>
  gudhiSeconds && oursMs ? `${((gudhiSeconds * 1000) / oursMs).toFixed(1)}×` : '–';
const med = (xs) => (xs.length && xs.every(Number.isFinite) ? median(xs) : NaN);

function writeReport(outFile, rows, { argv, haveGudhi, baseGudhi, baseOurs, load, seconds }) {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] ?? os.cpus()[0]?.model;
  let git = 'unknown';
  try {
    git = execSync('git rev-parse --short HEAD', { cwd: __dirname, encoding: 'utf8', stdio: 'pipe' }).trim();
    if (
      execSync('git status --porcelain -- src/persistence', { cwd: __dirname, encoding: 'utf8', stdio: 'pipe' }).trim()
    )
      git += ' + uncommitted changes in src/persistence/';
  } catch {
    // not a git checkout: the source stays 'unknown'
  }
  const command =
    process.env.npm_lifecycle_event === 'bench:simplicial'
      ? `npm run bench:simplicial${argv.length ? ' -- ' + argv.join(' ') : ''}`
      : `node bench/simplicial.js ${argv.join(' ')}`.trim();
  const table = rows.map((r) => {
    const pick = (f) => med(r.rounds.map(f));
    const o0 = r.rounds[0].o;
    const gudhiMs = pick((x) => (x.g?.median ?? NaN) * 1000);
    const build = pick((x) => x.o.build);
    const compute = pick((x) => x.o.compute);
    const checks = [...new Set(r.rounds.map((x) => x.o.check ?? x.o.error))].join('; ');
    const counts = o0.counts ? o0.counts.join(' / ') : '–';
    const pairs = o0.pairs ? o0.pairs.join(' / ') : '–';
    const once = pick((x) => x.o.once?.ms ?? NaN);
    const gudhiPersistenceMs = pick((x) => (x.g?.persistence ?? NaN) * 1000);
    return `| ${r.name} | ${counts} | ${pairs} | ${ms(once)} | ${ms(build)} | ${ms(compute)} | ${ms(pick((x) => x.o.reduction))} | ${ms(gudhiMs)} (${ms(gudhiPersistenceMs)}) | ${ratio(gudhiMs / 1000, once)} | ${ratio(gudhiMs / 1000, build)} (${ratio(gudhiPersistenceMs / 1000, build)}) | ${ratio(gudhiMs / 1000, compute)} | ${mb(pick((x) => x.o.once?.maxrss_kb ?? NaN))} / ${mb(pick((x) => x.o.maxrss_kb))} / ${mb(pick((x) => x.g?.maxrss_kb ?? NaN))} | ${checks.startsWith('MISMATCH') ? `**${checks}**` : checks} |`;
  });
  const r256 = rows.find((r) => r.name === 'grid 256x256');
  let verdict = 'not measured';
  if (r256 && haveGudhi) {
    const g = med(r256.rounds.map((x) => (x.g?.median ?? NaN) * 1000));
    const b = med(r256.rounds.map((x) => x.o.build));
    const gp = med(r256.rounds.map((x) => (x.g?.persistence ?? NaN) * 1000));
    verdict = `GUDHI ${ms(g)} ms / ours build + compute ${ms(b)} ms = ${ratio(g / 1000, b)}: ${g >= 5 * b ? '**met**' : '**not met**'} (against GUDHI's compute_persistence alone, ${ms(gp)} ms: ${ratio(gp / 1000, b)})`;
  }
  const md = [
    '# Lower-star persistence of simplicial complexes: tfjs-topo vs GUDHI',
    '',
    `- Date: ${new Date().toISOString()}; total run time ${seconds.toFixed(0)} s`,
    `- Command: \`${command}\``,
    `- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average (1 min) ${load.map((x) => x.toFixed(2)).join(', ')} (start, then after each round: other work shares this machine)`,
    `- Node ${process.version}; ${haveGudhi ? `GUDHI ${baseGudhi.gudhi} (numpy ${baseGudhi.numpy}, ${PYTHON})` : '**GUDHI not available**: no baseline, no check'}; source ${git}`,
    `- Peak RSS of empty processes (not subtracted below): node with the engine loaded ${mb(baseOurs.maxrss_kb)} MB${haveGudhi ? `, python + numpy + gudhi ${mb(baseGudhi.maxrss_kb)} MB` : ''}`,
    '',
    'Inputs (seeded): the Freudenthal triangulation of an h × w vertex grid (each square cut along its main diagonal) with uniform [0, 1) values; the',
    'same triangulation of the torus (opposite sides glued) with a smooth function (sin 3u cos 2v + ½ sin(u + 5v)) plus 5 % noise; and the Freudenthal',
    'tetrahedra of an n³ vertex grid (6 per cube, along its main diagonal: H1 by the general cohomology reduction, H2 by the dual union-find) with uniform values.',
    'Float64 values, sublevel, all dimensions, Z/2.',
    `Each case runs ${ROUNDS} rounds of fresh processes (GUDHI, then ours); the table shows the median over rounds of each process's own median.`,
    '',
    '- **ours, once**: `SimplicialComplex.fromFlat(topSimplices, 3 or 4)` + `new LowerStarPersistence(complex).compute(values)` once, in a fresh process: cold (JIT compilation included), the one-shot case; its peak RSS is the first of the three.',
    `- **ours, build + compute**: the same in a loop, median of ${BUILD_REPS} calls after ${WARMUP} untimed ones and a first, cold call (steady state: the JIT has settled).`,
    `- **ours, compute**: \`compute(values)\` on one reused engine (the training-loop case), median of ${COMPUTE_REPS} calls after a warm-up call.`,
    '- **general**: compute on a reused engine with `dualTop: false` (the top dimension by the general cohomology reduction instead of the dual union-find), for the record.',
    `- **GUDHI all**: \`SimplexTree\` + \`insert_batch\` of the top simplices, their faces (found with numpy) and the vertices with their lower-star values + \`compute_persistence(homology_coeff_field=2, min_persistence=0, persistence_dim_max=True)\` + \`persistence_intervals_in_dimension\` for every k; median of ${GUDHI_REPS} runs. In parentheses: \`compute_persistence\` alone (the complex already built), the strictest baseline. GUDHI reports no critical vertices here (ours does).`,
    '- *simplices*: per dimension (vertices / edges / triangles / tetrahedra). *pairs*: pairs of positive length per dimension (H0 / H1 / …), essential classes included. Peak RSS (MB = MiB) per process: ours once / ours timing process (all its repetitions and the general engine, whose garbage the GC collects lazily) / GUDHI (5 runs, each SimplexTree freed).',
    "- *check*: our diagrams equal GUDHI's as multisets of (birth, death) per dimension, exactly, and the general reduction gives the same as the dual union-find.",
    '',
    '| case | simplices | pairs | ours once, cold (ms) | ours build + compute (ms) | ours compute (ms) | general (ms) | GUDHI all (persistence only) (ms) | speed-up once | speed-up build + compute (vs GUDHI persistence only) | speed-up compute | peak RSS ours once / ours loop / GUDHI (MB) | check |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ...table,
    '',
    `**Acceptance** (≥ 5× faster than GUDHI on the 256² grid, build + compute, same run): ${verdict}.`,
    '',
  ].join('\n');
  fs.writeFileSync(outFile, md);
  console.error(`wrote ${path.relative(process.cwd(), outFile)} (${seconds.toFixed(0)} s)`);
}

if (process.argv[2] === '--worker') worker(process.argv[3]);
else if (process.argv[2] === '--worker-once') workerOnce(process.argv[3]);
else main();
