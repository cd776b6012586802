'use strict';
// Times one case of our engine in this (fresh) process, for bench/cubical.js and bench/engines.js.
//
//   node bench/cubical-worker.js IN.npy --construction T|V [--reps 3] [--slow 5000] [--ref PREFIX]
//                                [--diagrams PREFIX]
//   node bench/cubical-worker.js --baseline
//
// Builds one CubicalPersistence (sublevel, all dimensions) and calls compute() 1 + reps times
// (only 1 + 1 when the first call takes longer than --slow ms), collecting garbage before each call
// when run with --expose-gc. With --ref PREFIX it then compares
// the diagrams with GUDHI's PREFIX<k>.npy files (multiset of (birth, death), exact). With
// --diagrams PREFIX it writes the diagram of dimension k to PREFIX<k>.npy as the peer harnesses of
// bench/engines.js do (float64, N x 2, pairs with birth < death, +inf for the essential class).
// Prints one JSON line; maxrss_kb is process.resourceUsage().maxRSS, read before the comparison.
const fs = require('fs');
const { CubicalPersistence } = require('tfjs-topo/persistence'); // the engine alone, no tfjs
const { readNpy, writeNpy } = require('../app/dist/io/npy');
const { median, pairsOf } = require('./common');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}

/** '' when every dimension agrees with GUDHI's, else a one-line description of the first difference. */
function compare(diagrams, prefix) {
  const problems = [];
  for (const d of diagrams) {
    const ref = readNpy(fs.readFileSync(`${prefix}${d.dim}.npy`)).data; // N x 2, C order
    const theirs = pairsOf(
      ref.filter((_, i) => i % 2 === 0),
      ref.filter((_, i) => i % 2 === 1),
    );
    const ours = pairsOf(d.births, d.deaths);
    const i = ours.findIndex((p, j) => j >= theirs.length || p[0] !== theirs[j][0] || p[1] !== theirs[j][1]);
    if (i >= 0 || ours.length !== theirs.length) {
      const j = i >= 0 ? i : Math.min(ours.length, theirs.length);
      const show = (p) => (p ? `(${p[0]}, ${p[1]})` : 'none');
      problems.push(
        `H${d.dim}: ${ours.length} pairs vs GUDHI ${theirs.length}, first difference #${j}: ours ${show(ours[j])} GUDHI ${show(theirs[j])}`,
      );
    }
  }
  return problems.join('; ');
}

/** Writes the pairs of positive length of each diagram to PREFIX<dim>.npy (float64, N x 2). */
function writeDiagrams(diagrams, prefix) {
  for (const d of diagrams) {
    const rows = [];
    for (let i = 0; i < d.births.length; i++) if (d.births[i] < d.deaths[i]) rows.push(d.births[i], d.deaths[i]);
    fs.writeFileSync(`${prefix}${d.dim}.npy`, writeNpy(Float64Array.from(rows), [rows.length / 2, 2]));
  }
}

function main() {
  if (process.argv.includes('--baseline')) {
    console.log(JSON.stringify({ maxrss_kb: process.resourceUsage().maxRSS }));
    return;
  }
  const { data, shape } = readNpy(fs.readFileSync(process.argv[2]));
  const construction = arg('--construction', 'T');
  const reps = Number(arg('--reps', 3));
  const slow = Number(arg('--slow', 5000));
  const engine = new CubicalPersistence(shape, { construction });
  const times = [];
  let diagrams;
  for (let r = 0; r <= reps; r++) {
    // Under --expose-gc (as bench/engines.js runs it), the last call's diagrams and the input file's
    // buffer are collected first, untimed: the peak is then one call's, as a program that frees its
    // memory when a call returns would report.
    // eslint-disable-next-line no-useless-assignment -- drops the reference, so that gc() frees them
    diagrams = undefined;
    if (global.gc) global.gc();
    const t0 = performance.now();
    diagrams = engine.compute(data);
    times.push(performance.now() - t0);
    if (r === 1 && times[0] > slow) break;
  }
  const maxrss_kb = process.resourceUsage().maxRSS;
  const prefix = arg('--ref');
  const mismatch = prefix ? compare(diagrams, prefix) : null;
  if (arg('--diagrams')) writeDiagrams(diagrams, arg('--diagrams'));
  console.log(
    JSON.stringify({
      first: times[0],
      times: times.slice(1),
      median: median(times.slice(1)),
      best: Math.min(...times),
      pairs: diagrams.map((d) => d.births.filter((b, i) => b < d.deaths[i]).length),
      maxrss_kb,
      check: prefix ? (mismatch ? `MISMATCH ${mismatch}` : 'ok') : null,
    }),
  );
}

main();
