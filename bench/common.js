'use strict';
// Helpers shared by the benchmarks.
const { execSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** mulberry32 seeded by an FNV-1a hash of a case name: the same input for the same case, in every bench. */
function rng(name) {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median of numbers (the mean of the two middle ones for an even count). */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Pairs of positive length as a sorted array of [birth, death]. */
function pairsOf(births, deaths) {
  const out = [];
  for (let i = 0; i < births.length; i++) if (births[i] < deaths[i]) out.push([births[i], deaths[i]]);
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

/** GNU time, when installed: it reports a child's peak RSS free of the parent's (see runJson). */
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs a child process whose last stdout line is JSON; { error } when it fails ({ error, timedOut }
 * past `timeoutS`). A child's `maxrss_kb` becomes the smaller of its own figure and /usr/bin/time's:
 * Linux carries a process's peak RSS across fork and exec, so the child's own getrusage includes
 * this (large) bench process's RSS at the spawn (a 40 MB Node child of a 270 MB parent reported
 * 238 MB), while /usr/bin/time's includes whatever the child does after reporting (a check of its
 * results). Both bound the child's peak from above.
 */
function runJson(cmd, args, timeoutS = 600) {
  const [file, fileArgs] = TIME ? [TIME, ['-f', '@@maxrss %M', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, fileArgs, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: timeoutS * 1000 });
  const line = (r.stdout || '').trim().split('\n').pop();
  const stderr = (r.stderr || '').split('\n').filter((l) => !l.startsWith('@@maxrss') && !l.startsWith('Command '));
  if (r.error?.code === 'ETIMEDOUT') return { error: `timed out after ${timeoutS} s`, timedOut: true };
  if (r.status !== 0 || !line) {
    const why = r.error
      ? r.error.message
      : `exit ${r.status ?? r.signal}: ${stderr.join('\n').trim().split('\n').slice(-3).join(' | ')}`;
    return { error: why };
  }
  const out = JSON.parse(line);
  const peak = /@@maxrss (\d+)/.exec(r.stderr || '');
  if (peak && 'maxrss_kb' in out) out.maxrss_kb = Math.min(out.maxrss_kb, Number(peak[1]));
  return out;
}

/** The machine's CPU model, and the source the bench ran: the commit, noting uncommitted changes in src/. */
function provenance() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] ?? os.cpus()[0]?.model;
  let git = 'unknown';
  try {
    const sh = (cmd) => execSync(cmd, { cwd: __dirname, encoding: 'utf8', stdio: 'pipe' }).trim();
    git = sh('git rev-parse --short HEAD');
    if (sh('git status --porcelain -- src')) git += ' + uncommitted changes in src/';
  } catch {
    // not a git checkout: the source stays 'unknown'
  }
  return { cpu, git };
}

/** How the bench was started, for its report: `npm run SCRIPT -- ARGS` or `node bench/FILE ARGS`. */
function commandLine(script, file, argv) {
  return process.env.npm_lifecycle_event === script
    ? `npm run ${script}${argv.length ? ' -- ' + argv.join(' ') : ''}`
    : `node bench/${file} ${argv.join(' ')}`.trim();
}

/** Seconds of each of `reps` calls of the async `fn` after one untimed call. */
async function times(fn, reps) {
  await fn();
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    out.push((performance.now() - t) / 1000);
  }
  return out;
}

/** The segmentation bench's losses: the demo's, and sparse Betti matching (the term for thin 3-D structures). */
function segmentationModels(demoModels) {
  const sparse = { kind: 'bettiMatching', sparseThreshold: 0.5 };
  return [...demoModels, { name: 'BCE + Betti matching (sparse, τ = 0.5)', term: sparse, weight: 0.02 }];
}

/**
 * The absolute path of a report the run writes at its end, its folder made now: a mistyped --out
 * fails at once (or never), not after the whole run.
 */
function reportFile(file) {
  const out = path.resolve(file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  return out;
}

module.exports = { commandLine, reportFile, median, pairsOf, provenance, rng, runJson, segmentationModels, times };
