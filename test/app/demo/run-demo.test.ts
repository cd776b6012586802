import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runDemo } from '../../../app/demo/run-demo';

// The whole demo pipeline at tiny sizes: every part runs, the report holds every section, and the
// overview's numbers are finite.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('a tiny demo run writes report.html and summary.md with every section', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tfjs-topo-demo-'));
  const lines: string[] = [];
  const savedBefore: string[] = []; // the summary on disk when each progress line is printed
  const { html, markdown } = await runDemo({
    out,
    steps: 3,
    seed: 1,
    log: (line) => {
      lines.push(line);
      savedBefore.push(readFileSync(join(out, 'summary.md'), 'utf8'));
    },
    scale: {
      speedSeconds: 0.1,
      draws: 1,
      smearSamples: 2,
      gradientSteps: 3,
      gramDraws: 2,
      cellSteps: 3,
      cloudSteps: 3,
      meshSteps: 3,
      segmentation: { warmupSteps: 2, fineTuneSteps: 2, size: 32, train: 16, test: 8 },
    },
    image: { values: Float64Array.from({ length: 24 * 32 }, (_, i) => Math.sin(i)), shape: [24, 32], name: 'mine.npy' },
  });
  const page = readFileSync(html, 'utf8');
  const summary = readFileSync(markdown, 'utf8');
  for (const title of [
    'Overview',
    'Double well',
    'Sampled circle',
    'Blobs',
    'Speed',
    'Robustness',
    'Critical smear',
    'Gradient diagnostics (Figure II.4)',
    'Cells',
    'one dominant loop',
    'torus mesh',
    'Segmentation',
  ])
    expect(page).toContain(title);
  expect(page).toContain('data:image/png;base64,');
  expect(page).toContain('<svg');
  // Overview rows: experiment | method | steps | seconds | ms/step | before | after | change | ours | paper.
  const overview = summary.slice(
    summary.indexOf('## Overview'),
    summary.indexOf('\n## ', summary.indexOf('## Overview') + 1),
  );
  const rows = overview.split('\n').filter((l) => /^\| (wells|circle|blobs) \|/.test(l));
  expect(rows).toHaveLength(6);
  for (const row of rows) {
    const cells = row.split('|').map((c) => c.trim());
    for (const c of [cells[3], cells[4], cells[5], cells[6], cells[7]]) expect(Number.isFinite(Number(c))).toBe(true);
  }
  // Speed rows: both images (run as two tasks), each with every default method, the schedule last.
  const section = (title: string) =>
    summary
      .slice(summary.indexOf(`## ${title}`))
      .split('\n## ')[0]
      .split('\n');
  const speedRows = section('Speed').filter((l) => /^\| (blobs|uniform noise) \|/.test(l));
  const methods = ['vanilla W2', 'vanilla W1', 'STUMP', 'STUMP, schedule'];
  expect(
    speedRows.map((l) =>
      l
        .split('|')
        .map((c) => c.trim())
        .slice(1, 3),
    ),
  ).toEqual(['blobs', 'uniform noise'].flatMap((image) => methods.map((method) => [image, method])));
  // Robustness rows: each experiment's (run as separate tasks) in the paper's order.
  const tested = section('Robustness').filter((l) => /^\| (wells|circle|blobs) \|/.test(l));
  expect([...new Set(tested.map((l) => l.split('|')[1].trim()))]).toEqual(['wells', 'circle', 'blobs']);
  // Gradient diagnostics: one row per method with finite per-step numbers, and its figures.
  const diagnosed = section('Gradient diagnostics (Figure II.4)')
    .filter((l) => /^\| (vanilla W2|STUMP) \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  expect(diagnosed.map((cells) => cells[1])).toEqual(['vanilla W2', 'STUMP']);
  for (const cells of diagnosed) {
    expect(cells[2]).toBe('3'); // steps, each recorded
    for (const c of [cells[3], cells[4], cells[5], cells[7]]) expect(Number.isFinite(Number(c))).toBe(true);
  }
  expect(existsSync(join(out, 'figures', 'gradients-gram-stump.png'))).toBe(true);
  expect(existsSync(join(out, 'figures', 'gradients-weights.svg'))).toBe(true);
  // Segmentation rows: model | Dice | clDice | β0 error | β1 error | BM error | exact topology | s / step.
  const segmentation = summary.slice(summary.indexOf('## Segmentation')).split('\n');
  const models = segmentation.filter((l) => /^\| BCE/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
  expect(models.map((cells) => cells[1])).toEqual([
    'BCE',
    'BCE + clDice',
    'BCE + Skeleton Recall',
    'BCE + component graph',
    'BCE + component graph (regions alone)',
    'BCE + Betti (vanilla)',
    'BCE + Wasserstein (vanilla)',
    'BCE + Betti (STUMP)',
    'BCE + Betti matching (vanilla)',
    'BCE + Betti matching (STUMP)',
  ]);
  for (const cells of models) {
    expect(Number(cells[2])).toBeGreaterThanOrEqual(0);
    expect(Number(cells[2])).toBeLessThanOrEqual(1);
    for (const c of [cells[4], cells[5], cells[6], cells[8]]) expect(Number.isFinite(Number(c))).toBe(true);
  }
  expect(page).toContain('image mine.npy, input');
  expect(summary).toMatch(/\| blobs \| STUMP[^|]*\| 0\.2 \| \d+ \|/); // a random-walker row: q and a component count
  expect(readdirSync(join(out, 'figures')).length).toBeGreaterThan(10);
  expect(existsSync(join(out, 'figures', 'blobs-input.png'))).toBe(true);
  expect(lines.some((l) => /about \d+ s left/.test(l))).toBe(true); // progress with an ETA
  // Written before any work, then after every part: a late failure loses nothing finished.
  expect(savedBefore[0]).toContain('nothing finished yet');
  const meshStart = lines.findIndex((l) => l.startsWith('[mesh]'));
  // In this thread the tasks run in queue order: segmentation first, then the paper's runs, …, mesh.
  expect(savedBefore[meshStart]).toContain('## Segmentation');
  expect(savedBefore[meshStart]).toContain('## Overview');
  expect(savedBefore[meshStart]).toContain('## Speed');
  expect(savedBefore[meshStart]).not.toContain('torus mesh');
}, 300_000);

test('an unusable output folder fails at once, before any work, in one line naming it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tfjs-topo-demo-')), 'a-file');
  writeFileSync(file, '');
  const lines: string[] = [];
  await expect(runDemo({ out: join(file, 'report'), log: (l) => lines.push(l) })).rejects.toThrow(
    `cannot create ${join(file, 'report', 'figures')}: a parent is not a directory`,
  );
  expect(lines).toEqual([]);
});
