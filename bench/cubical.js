'use strict';
// Cubical persistence benchmark: our engine (dist/) against GUDHI on the same arrays, same run.
//
//   npm run bench                       build, then run every case (a few minutes on 2 cores)
//   node bench/cubical.js --quick       only 256², 512² and 32³
//   node bench/cubical.js --only 1024   only cases whose name ("1024x1024 noise") contains one of
//                                       the comma-separated strings
//   node bench/cubical.js --out FILE    write the report to FILE (default bench/RESULTS.md)
//
// Every case runs in fresh processes (bench/cubical-worker.js for ours, bench/gudhi_time.py for
// GUDHI) so that peak RSS is per case. Arrays come from a seeded PRNG, so runs are reproducible.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { writeNpy } = require('../app/dist/io/npy');
const { cubicalArray } = require('./inputs');
const { commandLine, provenance, reportFile, runJson } = require('./common');

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'; // must have numpy + gudhi
const REPS = 3; // timed GUDHI repetitions
const OUR_REPS = 7; // timed repetitions of ours after the first call: cheap, and this machine is noisy
const SLOW_S = 5; // one repetition only when a first run takes longer than this
const CHECK_V_UP_TO = { 2: 512, 3: 32 }; // V is checked against GUDHI (doubled grid) up to these sizes
const SIZES = [
  [256, 256],
  [512, 512],
  [1024, 1024],
  [2048, 2048],
  [32, 32, 32],
  [64, 64, 64],
  [128, 128, 128],
];

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const only = opt('--only')?.split(',');
const outFile = reportFile(opt('--out') ?? path.join(__dirname, 'RESULTS.md'));
const cases = SIZES.flatMap((shape) =>
  ['noise', 'smooth'].map((kind) => ({ shape, kind, name: `${shape.join('x')} ${kind}` })),
)
  .filter((c) => !quick || c.shape[0] <= (c.shape.length === 2 ? 512 : 32))
  .filter((c) => !only || only.some((s) => c.name.includes(s)));
if (cases.length === 0) throw new Error(`no case matches --only ${opt('--only')}`);

// ---------------------------------------------------------------- inputs

// (cubicalArray in inputs.js)

// ---------------------------------------------------------------- child processes
const NODE = [process.execPath, '--max-old-space-size=16384', path.join(__dirname, 'cubical-worker.js')];
const ours = (...args) => runJson(NODE[0], [...NODE.slice(1), ...args]);
const gudhi = (...args) => runJson(PYTHON, [path.join(__dirname, 'gudhi_time.py'), ...args]);

// ---------------------------------------------------------------- run
const gudhiCheck = spawnSync(PYTHON, ['-c', 'import gudhi'], { encoding: 'utf8' });
const haveGudhi = gudhiCheck.status === 0;
if (!haveGudhi)
  console.error(
    `!!! GUDHI is not available (${PYTHON} -c 'import gudhi' failed): timing ours only, no baseline, no check`,
  );
const baseOurs = ours('--baseline');
const baseGudhi = haveGudhi ? gudhi('--baseline') : null;
const loadStart = os.loadavg()[0];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-topo-bench-'));
const rows = [];
const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));
const ms = (x) => (!Number.isFinite(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const t0 = Date.now();
try {
  for (const [ci, c] of cases.entries()) {
    const file = path.join(tmp, `${c.name.replace(' ', '-')}.npy`);
    fs.writeFileSync(file, writeNpy(cubicalArray(c), c.shape));
    const refT = path.join(tmp, 'refT-');
    const refV = path.join(tmp, 'refV-');
    const g = haveGudhi ? gudhi(file, '--reps', REPS, '--slow', SLOW_S, '--diagrams', refT) : null;
    const checkV = haveGudhi && c.shape[0] <= CHECK_V_UP_TO[c.shape.length];
    const gv = checkV ? gudhi(file, '--reps', 1, '--diagrams', refV, '--khalimsky') : null;
    for (const construction of ['T', 'V']) {
      const ref = construction === 'T' ? (g && !g.error ? refT : null) : gv && !gv.error ? refV : null;
      const o = ours(
        file,
        '--construction',
        construction,
        '--reps',
        OUR_REPS,
        '--slow',
        SLOW_S * 1000,
        ...(ref ? ['--ref', ref] : []),
      );
      const skipped =
        construction === 'T'
          ? g?.error && 'GUDHI failed'
          : gv?.error
            ? `V reference failed: ${gv.error}`
            : haveGudhi && !checkV && 'V not checked at this size';
      const check = o.check ?? (skipped || 'not checked');
      const row = { ...c, construction, ours: o, gudhi: g, check };
      rows.push(row);
      if (check.startsWith('MISMATCH'))
        console.error(
          `\n!!!!!!!! ${c.name} ${construction}: OUR DIAGRAM DIFFERS FROM GUDHI'S !!!!!!!!\n!!!!!!!! ${check}\n`,
        );
      if (o.error) console.error(`!!! ${c.name} ${construction}: our worker failed: ${o.error}`);
      if (g?.error) console.error(`!!! ${c.name}: GUDHI failed: ${g.error}`);
      console.error(
        `[${ci + 1}/${cases.length}] ${c.name.padEnd(18)} ${construction}  ours first ${ms(o.first)} ms, median ${ms(o.median)} ms` +
          ` | GUDHI ${ms(g?.median * 1000)} ms (${g?.reps ?? 0}x) | ${speedup(row)} | RSS ${mb(o.maxrss_kb)} / ${mb(g?.maxrss_kb)} MB | ${check.slice(0, 60)}`,
      );
    }
    for (const f of fs.readdirSync(tmp)) fs.unlinkSync(path.join(tmp, f));
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const seconds = (Date.now() - t0) / 1000;

function speedup(r) {
  return r.gudhi?.median && r.ours.median ? `${((r.gudhi.median * 1000) / r.ours.median).toFixed(1)}×` : '–';
}

// ---------------------------------------------------------------- report
const shapeName = (s) => (s.every((n) => n === s[0]) ? `${s[0]}${s.length === 2 ? '²' : '³'}` : s.join('×'));
const find = (name, construction) => rows.find((r) => r.name === name && r.construction === construction);

/** A goal over the T and V cases of one shape: `ok(row)` decides, `show(row)` gives the measured value. */
function goal(text, shape, kinds, show, ok) {
  const picks = kinds.flatMap((kind) => ['T', 'V'].map((k) => [`${kind} ${k}`, find(`${shape.join('x')} ${kind}`, k)]));
  const measured = picks.map(([label, r]) => `${label}: ${r && !r.ours.error ? show(r) : 'not measured'}`);
  const unmeasured = picks.some(([, r]) => !r || r.ours.error || ok(r) === null);
  const verdict = unmeasured ? 'not measured' : picks.every(([, r]) => ok(r)) ? '**met**' : '**not met**';
  return `| ${text} | ${measured.join('<br>')} | ${verdict} |`;
}
const BOTH = ['noise', 'smooth'];
const sec = (r) => `${(r.ours.median / 1000).toFixed(3)} s`;
const secMem = (r) => `${sec(r)}, ${mb(r.ours.maxrss_kb)} MB`;
const fast = (r, x) => (r.gudhi?.median ? r.gudhi.median * 1000 >= x * r.ours.median : null); // null: no baseline
const { cpu, git } = provenance();
const command = commandLine('bench', 'cubical.js', argv);
const mismatches = rows.filter((r) => r.check.startsWith('MISMATCH'));

const md = [
  '# Cubical persistence benchmark: tfjs-topo vs GUDHI',
  '',
  `- Date: ${new Date().toISOString()}; total run time ${seconds.toFixed(0)} s`,
  `- Command: \`${command}\``,
  `- Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average ${loadStart.toFixed(2)} at start, ${os.loadavg()[0].toFixed(2)} at end (other work may share the machine)`,
  `- Node ${process.version}; ${haveGudhi ? `GUDHI ${baseGudhi.gudhi} (numpy ${baseGudhi.numpy}, ${PYTHON})` : `**GUDHI not available** (\`${PYTHON} -c 'import gudhi'\` failed): no baseline, no correctness check`}; source ${git}`,
  `- Baseline peak RSS of an empty process: node with the library loaded ${mb(baseOurs.maxrss_kb)} MB${haveGudhi ? `, python + numpy + gudhi ${mb(baseGudhi.maxrss_kb)} MB` : ''} (not subtracted below)`,
  '',
  ...(mismatches.length
    ? [`> **WARNING: ${mismatches.length} case(s) gave a diagram different from GUDHI's — see the check column.**`, '']
    : []),
  'Inputs: float32, seeded PRNG; *noise* = uniform [0, 1), *smooth* = sum of 40 random Gaussian bumps (σ from n/40 to n/8).',
  'Sublevel filtration, all homology dimensions, field Z/2 on both sides. Each case runs in fresh processes.',
  '',
  `- **ours**: one \`CubicalPersistence\` per case; *first* = the first \`compute\` call (includes JIT warm-up), *median* = median of the next ${OUR_REPS} calls (1 when the first took > ${SLOW_S} s).`,
  `- **GUDHI**: \`CubicalComplex(top_dimensional_cells=a)\` + \`compute_persistence(homology_coeff_field=2)\` + \`cofaces_of_persistence_pairs()\`, median of ${REPS} runs (1 when the first took > ${SLOW_S} s); [n] = runs made.`,
  "- GUDHI 3.7.1 has no V construction: the V rows (†) show GUDHI's **T** time on the same array as their baseline.",
  "- *pairs*: pairs of positive length per dimension (H0 / H1 / H2), ours. *speed-up* = GUDHI median / ours median. RSS = peak resident set (MB = MiB) of the case's process.",
  `- *check*: our diagram equals GUDHI's as a multiset of (birth, death) per dimension, exactly. T: against GUDHI's T. V (up to 512² and 32³): against GUDHI's T on the doubled (2n−1) grid whose cubes take the max of their vertices, which has the V-construction's persistence.`,
  '',
  '| shape | kind | constr. | pairs | ours first (ms) | ours median (ms) [n] | GUDHI median (ms) [n] | speed-up | peak RSS ours / GUDHI (MB) | check |',
  '|---|---|---|---|--:|--:|--:|--:|--:|---|',
  ...rows.map((r) => {
    const o = r.ours;
    const gm = r.gudhi?.median
      ? `${ms(r.gudhi.median * 1000)}${r.construction === 'V' ? ' †' : ''} [${r.gudhi.reps}]`
      : '–';
    const pairs = o.pairs ? o.pairs.join(' / ') : '–';
    const check = o.error ? `ours failed: ${o.error}` : r.check.startsWith('MISMATCH') ? `**${r.check}**` : r.check;
    return `| ${shapeName(r.shape)} | ${r.kind} | ${r.construction} | ${pairs} | ${ms(o.first)} | ${ms(o.median)}${o.times ? ` [${o.times.length}]` : ''} | ${gm} | ${speedup(r)} | ${mb(o.maxrss_kb)} / ${mb(r.gudhi?.maxrss_kb)} | ${check} |`;
  }),
  '',
  '## Targets',
  '',
  'Times are ours, median of the repeated calls (steady state, as in a training loop); memory is our peak RSS.',
  '',
  '| goal | measured | verdict |',
  '|---|---|---|',
  goal('1024² noise T and V ≥ 15× faster than GUDHI', [1024, 1024], ['noise'], speedup, (r) => fast(r, 15)),
  goal('64³ noise T and V ≥ 5× faster than GUDHI', [64, 64, 64], ['noise'], speedup, (r) => fast(r, 5)),
  goal('aim: 1024² ≤ 0.2 s', [1024, 1024], BOTH, sec, (r) => r.ours.median <= 200),
  goal(
    'aim: 2048² ≤ 1 s with ≤ 0.5 GB peak',
    [2048, 2048],
    BOTH,
    secMem,
    (r) => r.ours.median <= 1000 && r.ours.maxrss_kb <= 512 * 1024,
  ),
  goal('aim: 64³ ≤ 0.3 s', [64, 64, 64], BOTH, sec, (r) => r.ours.median <= 300),
  goal(
    'aim: 128³ ≤ 5 s with ≤ 1 GB peak',
    [128, 128, 128],
    BOTH,
    secMem,
    (r) => r.ours.median <= 5000 && r.ours.maxrss_kb <= 1024 * 1024,
  ),
  '',
].join('\n');
fs.writeFileSync(outFile, md);
console.error(
  `wrote ${path.relative(process.cwd(), outFile)} (${rows.length} rows, ${seconds.toFixed(0)} s)${mismatches.length ? ` — ${mismatches.length} MISMATCH(ES) WITH GUDHI` : ''}`,
);
