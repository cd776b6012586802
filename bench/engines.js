'use strict';
// Cubical persistence against the fastest public codes: our engine (dist/) and the peer harnesses of
// bench/peers/ on the same arrays, interleaved, every diagram compared with ours.
//
//   npm run bench:engines               build, then every case (about 25 min on 2 cores)
//   node bench/engines.js --quick       only 256², 512² and 32³
//   node bench/engines.js --only 1024   only cases whose name ("1024x1024 noise") contains one of
//                                       the comma-separated strings
//   node bench/engines.js --reps N      interleaved rounds per case and construction (default 3)
//   node bench/engines.js --out FILE    write the report to FILE (default bench/ENGINES.md); the
//                                       growth plot goes beside it (engines-growth.svg)
//
// Peers (compared against, never depended on): GUDHI's 2-D Persistence_on_rectangle.h (T; V by
// duality), Flash Cubical (V; its 3-D path needs a lookup table that may be absent) and CubicalRipser
// (T and V, 2-D and 3-D). Their harnesses (bench/peers/*.cpp, ours) are compiled by
// bench/peers/build.sh, given local clones of the peers' repositories, into bench/peers/build/bin/
// ($PEERS_BUILD/bin when set); what it builds is never committed (third-party code is built
// locally only). A peer not built is skipped and named in the report.
//
// For each case and construction, rounds of fresh processes run in turn (ours, peer, peer, ours,
// ...); each process times up to CALLS compute calls in-process (2 when the first takes longer than
// SLOW_MS) and the report keeps the best call over all rounds. A program whose best exceeds ROUND_S
// seconds runs one round only. The first round also writes each program's diagrams, which are
// compared with ours exactly (multiset of (birth, death) per dimension, pairs of positive length).
// Arrays come from bench/inputs.js (seeded), so runs are reproducible.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { readNpy, writeNpy } = require('../app/dist/io/npy');
const { cubicalArray } = require('./inputs');
const { logLogSvg } = require('./plot');
const { commandLine, provenance, reportFile, runJson } = require('./common');

const CALLS = 3; // compute calls per process
const SLOW_MS = 2000; // only 2 calls per process when the first took longer
const ROUND_S = 5; // one round only for a program whose best call took longer
const TIMEOUT_S = 600; // per process: a peer past it is reported as too slow
const SIZES = [
  [256, 256],
  [512, 512],
  [1024, 1024],
  [2048, 2048],
  [4096, 4096],
  [32, 32, 32],
  [64, 64, 64],
  [128, 128, 128],
  [192, 192, 192],
];
const BIN = path.join(process.env.PEERS_BUILD ?? path.join(__dirname, 'peers', 'build'), 'bin'); // as build.sh

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const only = opt('--only')?.split(',');
const rounds = Number(opt('--reps') ?? 3);
if (!(Number.isInteger(rounds) && rounds >= 1))
  throw new Error(`--reps must be a positive integer, got ${opt('--reps')}`);
const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'ENGINES.md'));
const svgFile = path.join(path.dirname(outFile), 'engines-growth.svg');
const cases = SIZES.flatMap((shape) =>
  ['noise', 'smooth'].map((kind) => ({ shape, kind, name: `${shape.join('x')} ${kind}` })),
)
  .filter((c) => !quick || c.shape[0] <= (c.shape.length === 2 ? 512 : 32))
  .filter((c) => !only || only.some((s) => c.name.includes(s)));
if (cases.length === 0) throw new Error(`no case matches --only ${opt('--only')}`);

// ---------------------------------------------------------------- programs

/** bin/NAME.info as an object (commit, source, compiler, flags), or null when NAME was not built. */
function built(name) {
  const file = path.join(BIN, name);
  if (!fs.existsSync(file) || !fs.existsSync(`${file}.info`)) return null;
  const info = Object.fromEntries(
    fs
      .readFileSync(`${file}.info`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { file, ...info };
}

const table3d = path.join(BIN, 'zero_lookup_3d.bin');
/**
 * Every program: which (rank, construction) it runs, with which binary, or why not (`why`).
 * `args(file, construction)` gives the command line of one process.
 */
const PROGRAMS = [
  {
    id: 'ours',
    label: 'ours',
    long: 'tfjs-topo `CubicalPersistence` (dist/, Node)',
    bins: {},
    why: () => null,
    cmd: (file, c, reps, diagrams) => [
      process.execPath,
      [
        '--max-old-space-size=16384',
        '--expose-gc',
        path.join(__dirname, 'cubical-worker.js'),
        file,
        '--construction',
        c,
        '--reps',
        String(reps - 1),
        '--slow',
        String(SLOW_MS),
        ...(diagrams ? ['--diagrams', diagrams] : []),
      ],
    ],
  },
  {
    id: 'gudhi',
    label: 'GUDHI',
    long: "GUDHI's `persistence_on_rectangle_from_top_cells` (gudhi-devel, header-only, C++)",
    bins: { T: built('gudhi-rectangle'), V: built('gudhi-rectangle') },
    why: (rank) => (rank !== 2 ? '2-D only' : !built('gudhi-rectangle') ? 'not built' : null),
  },
  {
    id: 'flash',
    label: 'Flash Cubical',
    long: 'Flash Cubical (T-prog123/FlashCubical, C++17 core)',
    bins: { V: built('flash-cubical') },
    extra: ['--table2d', path.join(BIN, 'zero_lookup_2d.bin'), '--table3d', table3d],
    why: (rank, c) =>
      c !== 'V'
        ? 'V only'
        : !built('flash-cubical')
          ? 'not built'
          : rank === 3 && !fs.existsSync(table3d)
            ? 'no 3-D table'
            : null,
  },
  {
    id: 'ripser',
    label: 'CubicalRipser',
    long: 'CubicalRipser (shizuo-kaji/CubicalRipser, C++, one thread)',
    bins: { T: built('cubical-ripser-T'), V: built('cubical-ripser-V') },
    why: (rank, c) => (!built(`cubical-ripser-${c}`) ? 'not built' : null),
  },
];
for (const p of PROGRAMS.slice(1))
  p.cmd = (file, c, reps, diagrams) => [
    p.bins[c].file,
    [
      file,
      '--construction',
      c,
      '--reps',
      String(reps),
      '--slow',
      String(SLOW_MS),
      ...(p.extra ?? []),
      ...(diagrams ? ['--diagrams', diagrams] : []),
    ],
  ];
const PEERS = PROGRAMS.slice(1);
const run = (p, ...args) => {
  const [cmd, cmdArgs] = p.cmd(...args);
  return runJson(cmd, cmdArgs, TIMEOUT_S);
};
for (const p of PEERS)
  if (Object.values(p.bins).every((b) => !b))
    console.error(`!!! ${p.label} is not built (no program in ${path.relative(process.cwd(), BIN)}): skipped`);

// ---------------------------------------------------------------- diagrams

/**
 * The pairs of PREFIX<dim>.npy as a sorted BigUint64Array of keys (float32 bits of birth, then of
 * death): equal multisets give equal arrays. Every birth and death must be a float32 (an input value).
 */
function diagramKeys(file) {
  const { data } = readNpy(fs.readFileSync(file));
  const words = new Uint32Array(data.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < data.length; i += 2) {
    for (const [j, w] of [
      [i, i + 1], // birth: the high word (little-endian)
      [i + 1, i], // death: the low word
    ]) {
      const x = data[j] + 0; // -0 as +0
      f[0] = x;
      if (f[0] !== x) throw new Error(`${path.basename(file)} holds ${x}, which is no float32 (no input value)`);
      words[w] = u[0];
    }
  }
  return new BigUint64Array(words.buffer).sort();
}

/** '' when every dimension of the two diagram sets agrees, else the first difference of each. */
function compareDiagrams(oursPrefix, theirsPrefix, rank) {
  const problems = [];
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const pair = (keys, i) => {
    if (i >= keys.length) return 'none';
    const k = keys[i];
    u[0] = Number(k >> 32n);
    const b = f[0];
    u[0] = Number(k & 0xffffffffn);
    return `(${b}, ${f[0]})`;
  };
  for (let dim = 0; dim < rank; dim++) {
    let a, b;
    try {
      a = diagramKeys(`${oursPrefix}${dim}.npy`);
      b = diagramKeys(`${theirsPrefix}${dim}.npy`);
    } catch (e) {
      problems.push(`H${dim}: ${e.message}`);
      continue;
    }
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i < a.length || i < b.length)
      problems.push(
        `H${dim}: ${a.length} pairs vs ${b.length}, first difference #${i}: ours ${pair(a, i)} theirs ${pair(b, i)}`,
      );
  }
  return problems.join('; ');
}

// ---------------------------------------------------------------- run
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-topo-engines-'));
const loadStart = os.loadavg();
const rows = [];
const baselines = {};
const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));
const ms = (x) => (!Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const t0 = Date.now();
try {
  // Empty baselines: node with the library loaded; each harness on a tiny input.
  baselines.ours = runJson(process.execPath, [path.join(__dirname, 'cubical-worker.js'), '--baseline']);
  const tiny = path.join(tmp, 'tiny.npy');
  fs.writeFileSync(tiny, writeNpy(cubicalArray({ shape: [8, 8], kind: 'noise', name: 'tiny' }), [8, 8]));
  for (const p of PEERS)
    for (const c of ['T', 'V'])
      if (!p.why(2, c) && !baselines[`${p.id} ${c}`]) baselines[`${p.id} ${c}`] = run(p, tiny, c, 1);

  for (const [ci, c] of cases.entries()) {
    const file = path.join(tmp, `${c.name.replace(' ', '-')}.npy`);
    fs.writeFileSync(file, writeNpy(cubicalArray(c), c.shape));
    const rank = c.shape.length;
    for (const construction of ['T', 'V']) {
      const progs = PROGRAMS.filter((p) => !p.why(rank, construction));
      const dgmDir = fs.mkdtempSync(path.join(tmp, 'diagrams-'));
      const res = Object.fromEntries(progs.map((p) => [p.id, { times: [], rounds: 0 }]));
      for (let r = 0; r < rounds; r++) {
        for (const p of progs) {
          const s = res[p.id];
          if (s.error || (r > 0 && s.best > ROUND_S * 1000)) continue;
          const o = run(p, file, construction, CALLS, r === 0 ? path.join(dgmDir, `${p.id}-`) : null);
          if (o.error) {
            s.error = o.timedOut ? `> ${TIMEOUT_S} s` : o.error;
            continue;
          }
          s.rounds++;
          s.times.push(...(o.first === undefined ? o.times : [o.first, ...o.times]));
          s.best = Math.min(s.best ?? Infinity, o.best);
          s.maxrss_kb = Math.max(s.maxrss_kb ?? 0, o.maxrss_kb);
          s.pairs = o.pairs;
        }
      }
      for (const p of progs.slice(1)) {
        const s = res[p.id];
        if (!s.error && !res.ours.error)
          s.check = compareDiagrams(path.join(dgmDir, 'ours-'), path.join(dgmDir, `${p.id}-`), rank);
      }
      fs.rmSync(dgmDir, { recursive: true, force: true });
      const row = { ...c, rank, construction, res };
      rows.push(row);
      const peersText = PEERS.map((p) => `${p.label} ${cell(row, p)}`).join(' | ');
      console.error(
        `[${ci + 1}/${cases.length}] ${c.name.padEnd(20)} ${construction}  ours ${cell(row, PROGRAMS[0])} | ${peersText} | ${ratio(row)} | ${agreement(row)}`,
      );
      for (const p of progs.slice(1))
        if (res[p.id].check)
          console.error(
            `\n!!!!!!!! ${c.name} ${construction}: ${p.label}'s diagram differs from ours !!!!!!!!\n!!!!!!!! ${res[p.id].check}\n`,
          );
    }
    fs.unlinkSync(file);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const seconds = (Date.now() - t0) / 1000;

// ---------------------------------------------------------------- cells

/** A program's cell: its best time (ms) with [calls], or why it did not run. */
function cell(row, p) {
  const why = p.why(row.rank, row.construction);
  if (why) return why;
  const s = row.res[p.id];
  if (s.error) return s.error.startsWith('>') ? `too slow (${s.error})` : `failed: ${s.error.slice(0, 80)}`;
  return `${ms(s.best)} [${s.times.length}]`;
}
/** ours / the fastest peer, and which. */
function ratio(row) {
  const peers = PEERS.filter((p) => row.res[p.id]?.best !== undefined && !row.res[p.id].error);
  if (!peers.length || !row.res.ours.best) return '–';
  const fastest = peers.reduce((a, b) => (row.res[b.id].best < row.res[a.id].best ? b : a));
  return `${(row.res.ours.best / row.res[fastest.id].best).toFixed(2)} (${fastest.label})`;
}
/** 'all equal', or which peers' diagrams differ from ours. */
function agreement(row) {
  if (row.res.ours.error) return 'ours failed';
  const compared = PEERS.filter((p) => row.res[p.id]?.check !== undefined);
  if (!compared.length) return 'no peer to compare';
  const bad = compared.filter((p) => row.res[p.id].check);
  return bad.length
    ? `**DIFFERS: ${bad.map((p) => `${p.label}: ${row.res[p.id].check}`).join('; ')}**`
    : `all equal (${compared.map((p) => p.label).join(', ')})`;
}
const rss = (row, p) => (p.why(row.rank, row.construction) || row.res[p.id].error ? '–' : mb(row.res[p.id].maxrss_kb));

// ---------------------------------------------------------------- report
const shapeName = (s) => `${s[0]}${s.length === 2 ? '²' : '³'}`;
const { cpu, git } = provenance();
const command = commandLine('bench:engines', 'engines.js', argv);
const loadEnd = os.loadavg();
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const peerInfo = (p) => {
  const infos = Object.values(p.bins).filter(Boolean);
  return infos.length
    ? `${p.long}: commit \`${infos[0].commit}\`, \`${infos[0].compiler}\`, \`${infos[0].flags}\`` +
        (infos[0].table3d ? `; 3-D lookup table: ${infos[0].table3d}` : '')
    : `${p.long}: **not built** (no program in ${path.relative(path.join(__dirname, '..'), BIN)}/)`;
};
const baselineText = [
  `node with the library loaded ${mb(baselines.ours?.maxrss_kb)} MB`,
  ...PEERS.flatMap((p) =>
    ['T', 'V']
      .filter((c) => baselines[`${p.id} ${c}`] && !baselines[`${p.id} ${c}`].error)
      .map((c) => `${p.label} (${c}) ${mb(baselines[`${p.id} ${c}`].maxrss_kb)} MB`),
  ),
].join(', ');
const differs = rows.filter((r) => agreement(r).startsWith('**'));

const WHY = {
  '2-D only': "Persistence_on_rectangle.h is GUDHI's 2-D path; its generic cubical code is another, slower program",
  'no 3-D table':
    'its 3-D path needs the lookup table zero_lookup_3d.bin, absent from bench/peers/build/bin/: the source snapshot it was built from lacks that file',
};

/** One table of results: the rows of one rank, the peers that can run at that rank. */
function resultTable(rank) {
  const rs = rows.filter((r) => r.rank === rank);
  if (!rs.length) return [];
  const peers = PEERS.filter((p) => ['T', 'V'].some((c) => !/only|table/.test(p.why(rank, c) ?? '')));
  const absent = PEERS.filter((p) => !peers.includes(p)).map(
    (p) => `${p.label} (${WHY[p.why(rank, 'V') ?? p.why(rank, 'T')]})`,
  );
  return [
    `## ${rank}-D`,
    '',
    ...(absent.length ? [`Not run at this rank: ${absent.join(', ')}.`, ''] : []),
    `| shape | kind | constr. | pairs (ours) | ours (ms) | ${peers.map((p) => `${p.label} (ms)`).join(' | ')} | ours / fastest peer | peak RSS (MB): ours / ${peers.map((p) => p.label).join(' / ')} | diagrams vs ours |`,
    `|---|---|---|---|--:|${peers.map(() => '--:|').join('')}--:|--:|---|`,
    ...rs.map(
      (r) =>
        `| ${shapeName(r.shape)} | ${r.kind} | ${r.construction} | ${r.res.ours.pairs?.join(' / ') ?? '–'} | ${cell(r, PROGRAMS[0])} | ${peers.map((p) => cell(r, p)).join(' | ')} | ${ratio(r)} | ${[PROGRAMS[0], ...peers].map((p) => rss(r, p)).join(' / ')} | ${agreement(r)} |`,
    ),
    '',
  ];
}

/** The growth series: for each program, construction and rank, best time and peak RSS vs elements (noise). */
function series() {
  const out = [];
  for (const p of PROGRAMS)
    for (const rank of [2, 3])
      for (const c of ['T', 'V']) {
        const points = rows
          .filter((r) => r.rank === rank && r.construction === c && r.kind === 'noise')
          .filter((r) => r.res[p.id] && !r.res[p.id].error && r.res[p.id].best !== undefined)
          .map((r) => ({
            n: r.shape.reduce((a, b) => a * b, 1),
            shape: r.shape,
            t: r.res[p.id].best,
            kb: r.res[p.id].maxrss_kb,
          }));
        if (points.length) out.push({ p, rank, c, points, name: `${p.label} ${c} ${rank}-D` });
      }
  return out;
}
/** The log-log slope of value(point) between the smallest and the largest size: value ∝ n^slope. */
function slope(points, value) {
  if (points.length < 2) return '–';
  const [a, b] = [value(points[0]), value(points[points.length - 1])];
  if (!(a > 0 && b > 0)) return '–';
  return (Math.log(b / a) / Math.log(points[points.length - 1].n / points[0].n)).toFixed(2);
}
/** A program's empty peak RSS (kB), as measured before the cases. */
function baselineKb(p, c) {
  const b = p.id === 'ours' ? baselines.ours : baselines[`${p.id} ${c}`];
  return b && !b.error ? b.maxrss_kb : 0;
}
function growthTables() {
  const out = [];
  for (const rank of [2, 3]) {
    const ss = series().filter((s) => s.rank === rank);
    if (!ss.length) continue;
    const sizes = [...new Set(ss.flatMap((s) => s.points.map((q) => q.shape[0])))].sort((a, b) => a - b);
    out.push(
      `### ${rank}-D, noise: best time (ms) / peak RSS (MB)`,
      '',
      `| program | ${sizes.map((n) => shapeName(Array(rank).fill(n))).join(' | ')} | exponent (time) | exponent (RSS − empty) |`,
      `|---|${sizes.map(() => '--:|').join('')}--:|--:|`,
      ...ss.map((s) => {
        const cells = sizes.map((n) => {
          const q = s.points.find((x) => x.shape[0] === n);
          return q ? `${ms(q.t)} / ${mb(q.kb)}` : '–';
        });
        const above = (q) => q.kb - baselineKb(s.p, s.c);
        return `| ${s.p.label} ${s.c} | ${cells.join(' | ')} | ${slope(s.points, (q) => q.t)} | ${slope(s.points, above)} |`;
      }),
      '',
    );
  }
  return out;
}

// ---------------------------------------------------------------- plot (hand-written SVG, bench/plot.js)
const COLORS = { ours: '#d62728', gudhi: '#1f77b4', flash: '#2ca02c', ripser: '#9467bd' };
/** Time and peak RSS vs elements: a colour per program, dashed for 3-D, squares for V; a legend row per program. */
function growthSvg() {
  const ss = series();
  const legendRows = PROGRAMS.filter((p) => ss.some((s) => s.p === p));
  const titles = ['best time (ms)', 'peak RSS (MB)'];
  return logLogSvg({
    panels: titles.map((t) => ({ title: `${t} vs size (noise inputs)`, yLabel: `${t}, log scale` })),
    xLabel: 'elements (pixels or voxels), log scale',
    legendColumns: 4,
    series: ss.map((s) => ({
      name: s.name,
      color: COLORS[s.p.id],
      dashed: s.rank === 3,
      marker: s.c === 'T' ? 'dot' : 'square',
      points: s.points.map((q) => ({ x: q.n, y: [q.t, q.kb / 1024] })),
      legendSlot: [legendRows.indexOf(s.p), (s.rank - 2) * 2 + (s.c === 'V' ? 1 : 0)],
    })),
  });
}

const md = [
  '# Cubical persistence: tfjs-topo vs the fastest public codes',
  '',
  `- Date: ${new Date().toISOString()}; total run time ${seconds.toFixed(0)} s`,
  `- Command: \`${command}\``,
  `- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM; load average (1 / 5 / 15 min) ${load(loadStart)} before, ${load(loadEnd)} after (other work may share the machine)`,
  `- Node ${process.version}; ours: source ${git}`,
  ...PEERS.map((p) => `- ${peerInfo(p)}`),
  `- Peak RSS of an empty process (not subtracted below): ${baselineText} (a harness: on an 8×8 input)`,
  '',
  ...(differs.length
    ? [`> **WARNING: ${differs.length} case(s) where a peer's diagram differs from ours — see the last column.**`, '']
    : []),
  'Inputs: float32 from bench/inputs.js (seeded); *noise* = uniform [0, 1), *smooth* = sum of 40 random Gaussian bumps. Sublevel filtration, all homology dimensions, Z/2.',
  '',
  `- **Timing**: for each case and construction, ${rounds} round(s) of fresh processes in turn (ours, then each peer); each process makes ${CALLS} compute calls (2 when the first takes more than ${SLOW_MS / 1000} s), and a program whose best call exceeds ${ROUND_S} s runs one round only. The cell shows the best call (ms) and [the number of calls timed]. A process has ${TIMEOUT_S} s; past that the peer is *too slow*.`,
  "- **What a call covers**: from the array in the program's own input type to the diagram with its critical cells. Ours: `CubicalPersistence.compute` on the Float32Array (the engine is built once per process, as in a training loop; the process runs with `--expose-gc` and collects the last call's garbage before each call, untimed, so that its peak is one call's, as the C++ programs free their memory when a call returns). GUDHI: `persistence_on_rectangle_from_top_cells<output_index=true>` on the float32 array (index type unsigned int, as GUDHI's Python module); for V, the padding and negation of the duality trick (GUDHI issue #1384) are inside the call. Flash Cubical: `compute_2d_all` on the float64 copy (widened before the calls, as its Python module does; lookup table loaded before); in 3-D, `build_masks3d` and `smart_h0_h2_3d::compute` with H1. Its 3-D lookup table (`zero_lookup_3d.bin`, absent from the source snapshot available here) was regenerated with the authors' own table builder, from the repository's first commit (7a2aeec), which built the tables at run time, written in the format today's loader reads; the same builder reproduces the shipped 2-D table byte for byte, and every diagram equals ours. CubicalRipser: the grid built from the float64 copy (`gridFromArray`) and every dimension, as its Python module does (H0 by link-find, locations computed).",
  "- **Peak RSS**: the whole process (MB = MiB), the largest over its rounds: the input array, the library or program, and the computation; the smaller of the process's own getrusage and `/usr/bin/time`'s (Linux carries the peak across fork and exec, so the former alone would include the bench process's RSS; see bench/common.js).",
  "- **Diagrams vs ours**: each peer's diagram of the first round against ours, per dimension, as multisets of (birth, death) with birth < death, compared exactly (the essential class as (min, +inf); CubicalRipser's death DBL_MAX read as +inf).",
  "- *ours / fastest peer*: our best time over the fastest peer's (below 1: ours is faster).",
  '',
  ...resultTable(2),
  ...resultTable(3),
  '## Growth',
  '',
  "Best time and peak RSS against size on the noise inputs; *exponent* = the log-log slope between the smallest and the largest size measured (time ∝ n^exponent for n elements; for memory, of the peak RSS less the empty process's). Plot: [engines-growth.svg](engines-growth.svg) (solid: 2-D, dashed: 3-D; dots: T, squares: V).",
  '',
  ...growthTables(),
].join('\n');
fs.writeFileSync(outFile, md);
fs.writeFileSync(svgFile, growthSvg());
console.error(
  `wrote ${path.relative(process.cwd(), outFile)} and ${path.relative(process.cwd(), svgFile)} (${rows.length} rows, ${seconds.toFixed(0)} s)${differs.length ? ` — ${differs.length} CASE(S) WHERE A PEER DIFFERS` : ''}`,
);
