import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import { writeNpy } from '../../../app/io/npy';
import { referenceBetti } from '../../metrics/reference-topology';
import { loadBettiMatchingFixtures, writeFixtureNpy } from '../../reference/betti-matching-fixtures';
import { CliRun, runCli, runCliOnDisk } from '../../reference/run-cli';

// `tfjs-topo metrics`: the Betti-matching errors against the authors' Betti-Matching-3D code (the
// committed fixtures of test/fixtures/betti-matching), Dice and Betti numbers against independent
// counts (test/metrics/reference-topology.ts), clDice on masks whose skeletons are known by hand,
// folders, formats, and every error.

const run = runCli;

/** Expects a failure with `code` and exactly the one stderr line `message`, nothing on stdout. */
function expectFailure(r: CliRun, code: number, message: string): void {
  expect(r).toEqual({ code, stdout: '', stderr: `tfjs-topo: ${message}\n` });
}

const usageHint = " (run 'tfjs-topo help metrics')";

/** A row-major mask from lines of '#' (foreground, 1) and '.' (background, 0). */
const grid = (...rows: string[]): number[] => rows.flatMap((r) => [...r].map((c) => (c === '#' ? 1 : 0)));

const f64 = (values: ArrayLike<number>, shape: number[]) => writeNpy(Float64Array.from(values), shape);
const f32 = (values: ArrayLike<number>, shape: number[]) => writeNpy(Float32Array.from(values), shape);

/** An 8-bit grey PNG of `values` (0..255), `[height, width]`. */
function greyPng(values: ArrayLike<number>, [height, width]: number[]): Uint8Array {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.from(Array.from(values));
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
}

/** The JSON form of one pair or of the mean. */
interface Scores {
  name?: string;
  dice: number;
  clDice: number;
  betti: { pred: number[]; label: number[] };
  bettiErrors: number[];
  bettiMatchingErrors: number[];
  bettiMatchingError: number;
}

function parsed(r: CliRun): { pairs: Scores[]; mean: Scores } {
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd()).not.toMatch(/\n/);
  return JSON.parse(r.stdout);
}

// --- Independent references -------------------------------------------------------------------

/**
 * The Betti numbers of a mask in the cubical complex with its entries as vertices (construction
 * V: foreground 4-connected in 2-D, 6-connected in 3-D), by the flood-fill and Euler-characteristic
 * reference of test/metrics/reference-topology.ts, which counts closed pixels and voxels (T). The
 * V complex of a mask is the T complex of its subdivision: on the grid of side 2n − 1, an entry
 * with even coordinates is a vertex (the mask's value), one with odd coordinates along some axes is
 * the edge, square or cube between the vertices around it, in the complex when all of them are
 * foreground. The union of these closed pixels (voxels) thickens the V complex without changing
 * its homotopy type.
 */
function vertexBetti(mask: ArrayLike<number>, shape: readonly number[]): number[] {
  const big = shape.map((n) => 2 * n - 1);
  const size = big.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(size);
  const rank = shape.length;
  for (let i = 0; i < size; i++) {
    // Coordinates on the fine grid, last axis fastest.
    const c: number[] = new Array(rank);
    let rest = i;
    for (let a = rank - 1; a >= 0; a--) {
      c[a] = rest % big[a];
      rest = Math.floor(rest / big[a]);
    }
    // The mask's vertices around the cell: along an odd axis both neighbours, along an even one itself.
    let corners: number[][] = [[]];
    for (let a = 0; a < rank; a++) {
      const options = c[a] % 2 === 0 ? [c[a] / 2] : [(c[a] - 1) / 2, (c[a] + 1) / 2];
      corners = corners.flatMap((v) => options.map((o) => [...v, o]));
    }
    const flat = (v: number[]) => v.reduce((acc, x, a) => acc * shape[a] + x, 0);
    out[i] = corners.every((v) => mask[flat(v)] !== 0) ? 1 : 0;
  }
  return referenceBetti(out, big);
}

/** Dice 2|P ∩ L| / (|P| + |L|) of two 0/1 masks, 1 when both are empty. */
function diceOf(p: ArrayLike<number>, l: ArrayLike<number>): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    both += p[i] * l[i];
    sum += p[i] + l[i];
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}

describe('the independent Betti reference in construction V', () => {
  test('hand-counted masks', () => {
    expect(vertexBetti(grid('#.', '.#'), [2, 2])).toEqual([2, 0]); // corners touching: apart
    expect(vertexBetti(grid('.#.', '#.#', '.#.'), [3, 3])).toEqual([4, 0]); // the diamond encloses nothing
    expect(vertexBetti(grid('###', '#.#', '###'), [3, 3])).toEqual([1, 1]);
    expect(vertexBetti(grid('##', '##'), [2, 2])).toEqual([1, 0]);
    expect(vertexBetti(new Uint8Array(12), [3, 4])).toEqual([0, 0]);
    const hollow = new Uint8Array(27).fill(1);
    hollow[13] = 0;
    expect(vertexBetti(hollow, [3, 3, 3])).toEqual([1, 0, 1]);
    const ring = new Uint8Array(27);
    for (let i = 9; i < 18; i++) ring[i] = i === 13 ? 0 : 1;
    expect(vertexBetti(ring, [3, 3, 3])).toEqual([1, 1, 0]);
    // Two voxels touching along an edge only: apart in V (6-connected).
    const edge = new Uint8Array(8);
    edge[0] = edge[3] = 1;
    expect(vertexBetti(edge, [2, 2, 2])).toEqual([2, 0, 0]);
  });
});

// --- Help and usage errors --------------------------------------------------------------------

describe('tfjs-topo metrics: help and usage errors', () => {
  for (const argv of [
    ['help', 'metrics'],
    ['metrics', '--help'],
    ['metrics', 'p.npy', 'l.npy', '-h'],
  ]) {
    test(argv.join(' '), async () => {
      const r = await run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: tfjs-topo metrics PRED LABEL \[--threshold T\] \[--json \| --csv\]\n/);
      expect(r.stdout).toMatch(/construction V/);
      expect(r.stdout).toMatch(/26-connected in volumes/);
    });
  }

  test('is listed in the command list', async () => {
    expect((await run(['--help'])).stdout).toMatch(/\n {2}metrics {2,}Dice, clDice, Betti and Betti-matching errors/);
  });

  // The files are missing: every usage error is found before any file is read.
  const usage: [string[], string][] = [
    [['metrics'], 'metrics: missing PRED and LABEL'],
    [['metrics', 'p.npy'], 'metrics: missing LABEL'],
    [['metrics', 'p.npy', 'l.npy', 'x.npy'], "metrics: unexpected argument 'x.npy'"],
    [['metrics', 'p.npy', 'l.npy', '--bogus'], "unknown option '--bogus'"],
    [['metrics', 'p.npy', 'l.npy', '-t', '0.3'], "unknown option '-t'"],
    [['metrics', 'p.npy', 'l.npy', '--threshold'], 'option --threshold needs a value'],
    [
      ['metrics', 'p.npy', 'l.npy', '--threshold', 'high'],
      "--threshold: expected a finite number such as 0.5, got 'high'",
    ],
    [['metrics', 'p.npy', 'l.npy', '--threshold='], "--threshold: expected a finite number such as 0.5, got ''"],
    [
      ['metrics', 'p.npy', 'l.npy', '--threshold', 'NaN'],
      "--threshold: expected a finite number such as 0.5, got 'NaN'",
    ],
    [
      ['metrics', 'p.npy', 'l.npy', '--threshold=Infinity'],
      "--threshold: expected a finite number such as 0.5, got 'Infinity'",
    ],
    [['metrics', 'p.npy', 'l.npy', '--threshold', '0.3', '--threshold', '0.4'], 'option --threshold given twice'],
    [['metrics', 'p.npy', 'l.npy', '--json', '--csv'], 'metrics: --json and --csv exclude each other'],
    [['metrics', 'p.npy', 'l.npy', '--json=yes'], 'option --json takes no value'],
    [['metrics', 'p.npy', 'l.npy', '--csv', '--csv'], 'option --csv given twice'],
  ];
  for (const [argv, message] of usage) {
    test(`exit 2: ${argv.join(' ')}`, async () => {
      expectFailure(await run(argv), 2, message + usageHint);
    });
  }

  test('exit 2: a folder and a file', async () => {
    const files = { 'pred/a.npy': f64([1], [1, 1]), 'l.npy': f64([1], [1, 1]) };
    expectFailure(
      await run(['metrics', 'pred', 'l.npy'], files),
      2,
      'metrics: pred is a folder but l.npy is not; give two files or two folders' + usageHint,
    );
    expectFailure(
      await run(['metrics', 'l.npy', 'pred'], files),
      2,
      'metrics: pred is a folder but l.npy is not; give two files or two folders' + usageHint,
    );
  });
});

// --- Unusable input ---------------------------------------------------------------------------

describe('tfjs-topo metrics: unusable input, exit 1', () => {
  const ok = f64([0, 1, 1, 0], [2, 2]);
  const files: Record<string, Uint8Array | string> = {
    'ok.npy': ok,
    'wide.npy': f64(new Array(6).fill(0), [2, 3]),
    'vol.npy': f64(new Array(8).fill(0), [2, 2, 2]),
    'rank1.npy': f64([1, 2, 3, 4], [4]),
    'rank4.npy': f64(new Array(16).fill(0), [2, 2, 2, 2]),
    'empty.npy': f64([], [0, 3]),
    'nan.npy': f64([0, NaN, 1, 0], [2, 2]),
    'inf.npy': f32([0, 1, Infinity, 0], [2, 2]),
    'notes.txt': 'hello',
    // folders
    'p/a.npy': ok,
    'p/b.npy': ok,
    'l/a.png': greyPng([0, 255, 255, 0], [2, 2]),
    'l/c.png': greyPng([0, 255, 255, 0], [2, 2]),
    'dup/a.npy': ok,
    'dup/a.png': greyPng([0, 255, 255, 0], [2, 2]),
    'mixed-p/a.npy': ok,
    'mixed-p/b.npy': f64(new Array(8).fill(0), [2, 2, 2]),
    'mixed-l/a.npy': ok,
    'mixed-l/b.npy': f64(new Array(8).fill(0), [2, 2, 2]),
    'only-notes/README.md': '# nothing to score',
    'bad-p/a.npy': ok,
    'bad-l/a.npy': f64([0, 1, 1], [3]),
  };
  const bad: [string[], string][] = [
    [['missing.npy', 'ok.npy'], 'missing.npy: cannot read file: no such file or directory'],
    [['ok.npy', 'missing.png'], 'missing.png: cannot read file: no such file or directory'],
    [['ok.npy', 'wide.npy'], 'ok.npy: shape [2, 2] differs from the shape [2, 3] of its label wide.npy'],
    [['vol.npy', 'ok.npy'], 'vol.npy: shape [2, 2, 2] differs from the shape [2, 2] of its label ok.npy'],
    [['rank1.npy', 'ok.npy'], 'rank1.npy: expected a 2-D or 3-D array, got shape [4]'],
    [['ok.npy', 'rank4.npy'], 'rank4.npy: expected a 2-D or 3-D array, got shape [2, 2, 2, 2]'],
    [['empty.npy', 'empty.npy'], 'empty.npy: expected a non-empty array, got shape [0, 3]'],
    [['nan.npy', 'ok.npy'], 'nan.npy: input holds NaN or infinite values (NaN at flat index 1)'],
    [['ok.npy', 'inf.npy'], 'inf.npy: input holds NaN or infinite values (Infinity at flat index 2)'],
    [['notes.txt', 'ok.npy'], 'notes.txt: expected a .npy or .png file, got a text file'],
    [['p', 'l'], 'p/b.npy: no label for it in l (expected b.npy or b.png)'],
    [['l', 'p'], 'l/c.png: no label for it in p (expected c.npy or c.png)'],
    [['p/', 'dup'], "dup/a.png: a.npy in the same folder has the same name 'a'; keep one"],
    [['only-notes', 'p'], 'only-notes: no .npy or .png files in the folder'],
    [['a-directory', 'a-directory'], 'a-directory: no .npy or .png files in the folder'],
    [
      ['mixed-p', 'mixed-l'],
      'mixed-p/b.npy: a 3-D array among 2-D ones (mixed-p/a.npy is 2-D); score images and volumes separately',
    ],
    [['bad-p', 'bad-l'], 'bad-l/a.npy: expected a 2-D or 3-D array, got shape [3]'],
  ];
  for (const [args, message] of bad) {
    test(args.join(' '), async () => {
      expectFailure(await run(['metrics', ...args], files), 1, message);
    });
  }

  test('a label file without a prediction is named too', async () => {
    const r = await run(['metrics', 'p', 'l'], { 'p/a.npy': ok, 'l/a.npy': ok, 'l/extra.png': ok });
    expectFailure(r, 1, 'l/extra.png: no prediction for it in p (expected extra.npy or extra.png)');
  });

  test('on disk: a missing folder beside a real one, a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-metrics-'));
    try {
      mkdirSync(join(dir, 'p'));
      writeFileSync(join(dir, 'p', 'a.npy'), ok);
      expectFailure(
        await runCliOnDisk(['metrics', join(dir, 'p'), join(dir, 'nothing')]),
        2,
        `metrics: ${join(dir, 'p')} is a folder but ${join(dir, 'nothing')} is not; give two files or two folders` +
          usageHint,
      );
      expectFailure(
        await runCliOnDisk(['metrics', join(dir, 'p', 'a.npy'), join(dir, 'nothing.npy')]),
        1,
        `${join(dir, 'nothing.npy')}: cannot read file: no such file or directory`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// --- Against the authors' code ----------------------------------------------------------------

const fixtures = loadBettiMatchingFixtures();

describe("tfjs-topo metrics against the authors' Betti-Matching-3D (test/fixtures/betti-matching)", () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-metrics-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Every fixture's bettiMatchingError is the reference's on (prediction >= 0.5, target != 0): the
  // command's own binarization at its default threshold. The tied fixtures hold 0.5 itself.
  for (const rank of [2, 3]) {
    const cases = fixtures.filter((f) => f.shape.length === rank);
    test(`${cases.length} ${rank}-D fixtures as two folders of .npy files: per-dimension errors, Dice, Betti numbers`, async () => {
      expect(cases.length).toBeGreaterThan(8);
      const [predDir, labelDir] = [join(dir, `pred-${rank}d`), join(dir, `label-${rank}d`)];
      const masks = new Map<string, { p: Uint8Array; l: Uint8Array }>();
      for (const f of cases) {
        // The values in the fixture's dtype: numerators over the scale, exact in float32 too.
        const { pred, label } = writeFixtureNpy(f, predDir, labelDir);
        masks.set(f.name, {
          p: Uint8Array.from(pred, (x) => (x >= 0.5 ? 1 : 0)),
          l: Uint8Array.from(label, (x) => (x !== 0 ? 1 : 0)),
        });
      }
      const r = await runCliOnDisk(['metrics', predDir, labelDir, '--json']);
      // Progress for a folder of more than a few files goes to stderr, never into the JSON.
      expect(r.stderr).toMatch(new RegExp(`^(metrics: \\d+/${cases.length} pairs scored\\n)+$`));
      expect(r.stderr).toMatch(new RegExp(`metrics: ${cases.length}/${cases.length} pairs scored\\n$`));
      const out = parsed(r);
      expect(out.pairs.map((p) => p.name)).toEqual(
        cases.map((f) => f.name).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
      );
      for (const pair of out.pairs) {
        const f = cases.find((c) => c.name === pair.name)!;
        const { p, l } = masks.get(f.name)!;
        const want = f.bettiMatchingError;
        const betti = { pred: vertexBetti(p, f.shape), label: vertexBetti(l, f.shape) };
        expect({ name: pair.name, errors: pair.bettiMatchingErrors, total: pair.bettiMatchingError }).toEqual({
          name: f.name,
          errors: want,
          total: want.reduce((a, b) => a + b, 0),
        });
        expect({ name: pair.name, betti: pair.betti }).toEqual({ name: f.name, betti });
        expect(pair.bettiErrors).toEqual(betti.pred.map((b, k) => Math.abs(b - betti.label[k])));
        expect(pair.dice).toBeCloseTo(diceOf(p, l), 12);
        expect(pair.clDice).toBeGreaterThanOrEqual(0);
        expect(pair.clDice).toBeLessThanOrEqual(1);
      }
      const mean = (g: (s: Scores) => number) => out.pairs.reduce((a, s) => a + g(s), 0) / out.pairs.length;
      expect(out.mean.bettiMatchingError).toBeCloseTo(
        cases.reduce((a, f) => a + f.bettiMatchingError.reduce((x, y) => x + y, 0), 0) / cases.length,
        12,
      );
      for (let k = 0; k < rank; k++) {
        expect(out.mean.bettiMatchingErrors[k]).toBeCloseTo(
          mean((s) => s.bettiMatchingErrors[k]),
          12,
        );
        expect(out.mean.betti.pred[k]).toBeCloseTo(
          mean((s) => s.betti.pred[k]),
          12,
        );
        expect(out.mean.betti.label[k]).toBeCloseTo(
          mean((s) => s.betti.label[k]),
          12,
        );
        expect(out.mean.bettiErrors[k]).toBeCloseTo(
          mean((s) => s.bettiErrors[k]),
          12,
        );
      }
      expect(out.mean.dice).toBeCloseTo(
        mean((s) => s.dice),
        12,
      );
      expect(Object.keys(out.mean)).toEqual([
        'dice',
        'clDice',
        'betti',
        'bettiErrors',
        'bettiMatchingErrors',
        'bettiMatchingError',
      ]);
    }, 60_000);
  }

  test('the fixtures hold all-foreground labels (the uniform random ones: every target value non-zero)', () => {
    const full = fixtures.filter((f) => f.target.every((x) => x !== 0)).map((f) => f.name);
    expect(full).toEqual(expect.arrayContaining(['2d-random-8x8', '2d-smooth-32x24', '3d-random-6x6x6']));
  });

  test('the fixtures hold all-background labels, and all-zero and all-one predictions, in 2-D and 3-D', () => {
    const names = (keep: (f: (typeof fixtures)[number]) => boolean) => fixtures.filter(keep).map((f) => f.name);
    const emptyLabel = names((f) => f.target.every((x) => x === 0));
    const emptyPred = names((f) => f.prediction.every((x) => x === 0));
    const fullPred = names((f) => f.prediction.every((x) => x === f.scale));
    expect(emptyLabel).toEqual(
      expect.arrayContaining([
        '2d-empty-label-24x20',
        '2d-empty-label-random-12x10',
        '2d-empty-both-8x8',
        '3d-empty-label-10x10x10',
        '3d-empty-label-random-6x7x5',
        '3d-empty-both-4x4x4',
      ]),
    );
    expect(emptyPred).toEqual(
      expect.arrayContaining([
        '2d-empty-pred-24x20',
        '2d-empty-both-8x8',
        '3d-empty-pred-10x10x10',
        '3d-empty-both-4x4x4',
      ]),
    );
    expect(fullPred).toEqual(expect.arrayContaining(['2d-full-pred-24x20', '3d-full-pred-10x10x10']));
    // The empty and full predictions are scored against labels that are not empty.
    for (const name of ['2d-empty-pred-24x20', '2d-full-pred-24x20', '3d-empty-pred-10x10x10', '3d-full-pred-10x10x10'])
      expect({ name, label: emptyLabel.includes(name) }).toEqual({ name, label: false });
  });
});

// --- Hand-computed cases ----------------------------------------------------------------------

describe('tfjs-topo metrics: hand-computed cases', () => {
  // Two blobs and a ring (a 4-connected square ring with its inside): β = [3, 1] in construction V.
  const blobsAndRing = grid(
    '..........',
    '.##....##.',
    '.##....##.',
    '..........',
    '...####...',
    '...#..#...',
    '...#..#...',
    '...####...',
    '..........',
  );
  const shape = [9, 10];
  const empty = new Array(90).fill(0);
  const full = new Array(90).fill(1);

  async function scores(pred: number[], label: number[], s = shape): Promise<Scores> {
    const out = parsed(
      await run(['metrics', 'p.npy', 'l.npy', '--json'], { 'p.npy': f64(pred, s), 'l.npy': f64(label, s) }),
    );
    expect(out.pairs).toHaveLength(1);
    return out.pairs[0];
  }

  test('all-background label: Betti numbers [0, 0]; every finite bar of the prediction is unmatched', async () => {
    // The prediction's bars (superlevel, V): three components born at 1, one of them the essential
    // class (left out), two dying at 0; the ring's loop born at 1, filled at 0. The label has none.
    const s = await scores(blobsAndRing, empty);
    expect(s).toEqual({
      name: 'p',
      dice: 0,
      clDice: 0,
      betti: { pred: [3, 1], label: [0, 0] },
      bettiErrors: [3, 1],
      bettiMatchingErrors: [2, 1],
      bettiMatchingError: 3,
    });
    expect(vertexBetti(blobsAndRing, shape)).toEqual([3, 1]);
  });

  test('all-foreground label: Betti numbers [1, 0]', async () => {
    // The label is one component (essential), no loop; the comparison image max(P, L) is all 1,
    // with no finite bar, so the prediction's finite bars stay unmatched: [3 − 1, 1].
    const s = await scores(blobsAndRing, full);
    expect(s.betti).toEqual({ pred: [3, 1], label: [1, 0] });
    expect(s.bettiErrors).toEqual([2, 1]);
    expect(s.bettiMatchingErrors).toEqual([2, 1]);
    expect(s.dice).toBeCloseTo(diceOf(blobsAndRing, full), 12);
  });

  test('both empty: Dice 1, clDice 1, no error', async () => {
    expect(await scores(empty, empty)).toEqual({
      name: 'p',
      dice: 1,
      clDice: 1,
      betti: { pred: [0, 0], label: [0, 0] },
      bettiErrors: [0, 0],
      bettiMatchingErrors: [0, 0],
      bettiMatchingError: 0,
    });
  });

  test('the essential class is left out: an empty prediction of one blob has Betti-matching error 0', async () => {
    const blob = grid('.....', '.##..', '.##..', '.....');
    const s = await scores(new Array(20).fill(0), blob, [4, 5]);
    expect(s.betti).toEqual({ pred: [0, 0], label: [1, 0] });
    expect(s.bettiErrors).toEqual([1, 0]);
    expect(s.bettiMatchingErrors).toEqual([0, 0]);
  });

  test('connectivity: corner-touching pixels are two components, as the Betti matching counts them', async () => {
    // Prediction: a diagonal pair (two components in V); label: one of them. The second component
    // is one unmatched finite bar.
    const s = await scores(grid('#.', '.#'), grid('#.', '..'), [2, 2]);
    expect(s.betti).toEqual({ pred: [2, 0], label: [1, 0] });
    expect(s.bettiMatchingErrors).toEqual([1, 0]);
  });

  test('threshold: foreground where pred >= T; the label is foreground where non-zero', async () => {
    const pred = [0.5, 0.49, 0.7, 0.2];
    const files = { 'p.npy': f64(pred, [2, 2]), 'l.npy': f64([3, 0, -1, 0], [2, 2]) };
    // >= 0.5: P = {0, 2} = L (3 and −1 are non-zero): Dice 1.
    let out = parsed(await run(['metrics', 'p.npy', 'l.npy', '--json'], files));
    expect(out.pairs[0].dice).toBe(1);
    // >= 0.49: P = {0, 1, 2}: Dice 2·2 / (3 + 2).
    out = parsed(await run(['metrics', 'p.npy', 'l.npy', '--json', '--threshold', '0.49'], files));
    expect(out.pairs[0].dice).toBeCloseTo(0.8, 12);
    // --threshold=0.7: P = {2}: Dice 2·1 / (1 + 2).
    out = parsed(await run(['metrics', 'p.npy', 'l.npy', '--json', '--threshold=0.7'], files));
    expect(out.pairs[0].dice).toBeCloseTo(2 / 3, 12);
    out = parsed(await run(['metrics', 'p.npy', 'l.npy', '--json', '--threshold', '-1'], files));
    expect(out.pairs[0].betti.pred).toEqual([1, 0]);
  });

  test('clDice on one-pixel-wide curves, which are their own skeletons', async () => {
    // An 8-connected ring (no pixel of it is simple: each joins two neighbours that do not touch)
    // and a straight line. The prediction opens the ring (its two new ends are line ends, kept)
    // and adds a stray dot (an isolated pixel, kept). So S(P) = P and S(L) = L:
    // precision |P ∩ L| / |P|, sensitivity |L ∩ P| / |L|.
    const label = grid(
      '...###....',
      '..#...#...',
      '.#.....#..',
      '.#.....#..',
      '.#.....#..',
      '..#...#...',
      '...###....',
      '..........',
      '.########.',
      '..........',
    );
    const pred = grid(
      '...#.#....',
      '..#...#...',
      '.#.....#..',
      '.#.....#.#',
      '.#.....#..',
      '..#...#...',
      '...###....',
      '..........',
      '.########.',
      '..........',
    );
    const s = await scores(pred, label, [10, 10]);
    let both = 0;
    for (let i = 0; i < 100; i++) both += pred[i] * label[i];
    const [np, nl] = [pred.reduce((a, b) => a + b), label.reduce((a, b) => a + b)];
    const precision = both / np;
    const sensitivity = both / nl;
    expect([both, np, nl]).toEqual([23, 24, 24]);
    expect(s.clDice).toBeCloseTo((2 * precision * sensitivity) / (precision + sensitivity), 12);
    expect(s.dice).toBeCloseTo(diceOf(pred, label), 12);
    // In V the 8-connected ring falls apart into its 4-connected runs.
    expect(s.betti).toEqual({ pred: vertexBetti(pred, [10, 10]), label: vertexBetti(label, [10, 10]) });
  });

  test('3-D .npy: β2 counts the cavity', async () => {
    const hollow = new Array(27).fill(1);
    hollow[13] = 0;
    const solid = new Array(27).fill(1);
    const s = await scores(hollow, solid, [3, 3, 3]);
    expect(s).toEqual({
      name: 'p',
      dice: diceOf(hollow, solid),
      clDice: expect.any(Number), // the 3-D skeletons' own tests: test/metrics
      betti: { pred: [1, 0, 1], label: [1, 0, 0] },
      bettiErrors: [0, 0, 1],
      bettiMatchingErrors: [0, 0, 1],
      bettiMatchingError: 1,
    });
  });
});

// --- Folders, formats, output forms -----------------------------------------------------------

describe('tfjs-topo metrics: folders and output forms', () => {
  const ring = grid('.....', '.###.', '.#.#.', '.###.', '.....'); // [1, 1]
  const broken = grid('.....', '.###.', '.#.#.', '.#.#.', '.....'); // [1, 0]
  const dots = grid('.....', '.#...', '.....', '...#.', '.....'); // [2, 0]
  const shape = [5, 5];
  const probabilities = (mask: number[]) => mask.map((v, i) => (v ? 0.6 + (i % 3) * 0.1 : 0.1 * (i % 4)));
  const files: Record<string, Uint8Array | string> = {
    // Predictions as float32 probabilities, labels as 0/255 PNGs and a 0/1 .npy; names pair without
    // their extensions and sort naturally (img2 before img10); other files and subfolders are ignored.
    'pred/img2.npy': f32(probabilities(ring), shape),
    'pred/img10.npy': f32(probabilities(broken), shape),
    'pred/img1.npy': f32(probabilities(dots), shape),
    'pred/notes.txt': 'not an input',
    'pred/old/img3.npy': f32(probabilities(ring), shape),
    'label/img2.png': greyPng(
      ring.map((v) => 255 * v),
      shape,
    ),
    'label/img10.PNG': greyPng(
      ring.map((v) => 255 * v),
      shape,
    ),
    'label/img1.npy': f64(ring, shape),
  };

  test('pairs by name, in natural order; PNG labels; the mean of each field', async () => {
    const out = parsed(await run(['metrics', 'pred', 'label', '--json'], files));
    expect(out.pairs.map((p) => p.name)).toEqual(['img1', 'img2', 'img10']);
    expect(out.pairs.map((p) => p.betti)).toEqual([
      { pred: [2, 0], label: [1, 1] },
      { pred: [1, 1], label: [1, 1] },
      { pred: [1, 0], label: [1, 1] },
    ]);
    expect(out.pairs.map((p) => p.bettiErrors)).toEqual([
      [1, 1],
      [0, 0],
      [0, 1],
    ]);
    for (const [i, mask] of [dots, ring, broken].entries())
      expect(out.pairs[i].dice).toBeCloseTo(diceOf(mask, ring), 12);
    expect(out.pairs[1]).toMatchObject({ dice: 1, clDice: 1, bettiMatchingErrors: [0, 0], bettiMatchingError: 0 });
    expect(out.mean.betti).toEqual({ pred: [4 / 3, 1 / 3], label: [1, 1] });
    expect(out.mean.bettiErrors).toEqual([1 / 3, 2 / 3]);
    expect(out.mean.dice).toBeCloseTo((out.pairs[0].dice + out.pairs[1].dice + out.pairs[2].dice) / 3, 12);
    expect(out.mean.bettiMatchingError).toBeCloseTo(out.pairs.reduce((a, p) => a + p.bettiMatchingError, 0) / 3, 12);
    expect(Object.keys(out.pairs[0])).toEqual([
      'name',
      'dice',
      'clDice',
      'betti',
      'bettiErrors',
      'bettiMatchingErrors',
      'bettiMatchingError',
    ]);
    // A trailing slash names the same folders; three pairs report no progress.
    const again = await run(['metrics', 'pred/', 'label/', '--json'], files);
    expect(again).toEqual({
      code: 0,
      stdout: (await run(['metrics', 'pred', 'label', '--json'], files)).stdout,
      stderr: '',
    });
  });

  test('a PNG prediction of 8-bit probabilities, thresholded at 128', async () => {
    const p = greyPng(
      ring.map((v) => (v ? 200 : 40)),
      shape,
    );
    const l = greyPng(
      ring.map((v) => 255 * v),
      shape,
    );
    const at128 = parsed(
      await run(['metrics', 'p.png', 'l.png', '--json', '--threshold', '128'], { 'p.png': p, 'l.png': l }),
    );
    expect(at128.pairs[0]).toMatchObject({ name: 'p', dice: 1, betti: { pred: [1, 1], label: [1, 1] } });
    // At the default 0.5 every stored value of 40 or more is foreground: the whole image.
    const at05 = parsed(await run(['metrics', 'p.png', 'l.png', '--json'], { 'p.png': p, 'l.png': l }));
    expect(at05.pairs[0].betti.pred).toEqual([1, 0]);
  });

  test('--csv: a header, one line per pair, the mean; names quoted as needed', async () => {
    const r = await run(['metrics', 'pred', 'label', '--csv'], files);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(
      'name,dice,clDice,bettiPred0,bettiPred1,bettiLabel0,bettiLabel1,bettiError0,bettiError1,' +
        'bettiMatchingError0,bettiMatchingError1,bettiMatchingError',
    );
    const json = parsed(await run(['metrics', 'pred', 'label', '--json'], files));
    const rows = [...json.pairs, { name: 'mean', ...json.mean }];
    expect(lines.slice(1)).toEqual(
      rows.map((s) =>
        [
          s.name,
          s.dice,
          s.clDice,
          ...s.betti.pred,
          ...s.betti.label,
          ...s.bettiErrors,
          ...s.bettiMatchingErrors,
          s.bettiMatchingError,
        ].join(','),
      ),
    );
    const volume = new Array(8).fill(1);
    const v = await run(['metrics', 'a,"b".npy', 'l.npy', '--csv'], {
      'a,"b".npy': f64(volume, [2, 2, 2]),
      'l.npy': f64(volume, [2, 2, 2]),
    });
    expect(v.stdout).toBe(
      'name,dice,clDice,bettiPred0,bettiPred1,bettiPred2,bettiLabel0,bettiLabel1,bettiLabel2,' +
        'bettiError0,bettiError1,bettiError2,bettiMatchingError0,bettiMatchingError1,bettiMatchingError2,bettiMatchingError\n' +
        '"a,""b""",1,1,1,0,0,1,0,0,0,0,0,0,0,0,0\n' +
        'mean,1,1,1,0,0,1,0,0,0,0,0,0,0,0,0\n',
    );
  });

  test('the default table: aligned columns, one row per pair, then the mean', async () => {
    const r = await run(['metrics', 'pred', 'label'], files);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const json = parsed(await run(['metrics', 'pred', 'label', '--json'], files));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const header = lines[0];
    const columns = [
      'pair',
      'Dice',
      'clDice',
      'Betti pred',
      'Betti label',
      'Betti error',
      'BM error by dim',
      'BM error',
    ];
    // Each column starts where its header does, two spaces after the widest cell before it.
    const starts: number[] = [];
    for (const c of columns) starts.push(header.indexOf(c, starts.length ? starts[starts.length - 1] + 1 : 0));
    expect(starts.every((s, i) => s >= 0 && (i === 0 || s > starts[i - 1]))).toBe(true);
    for (const line of lines) for (const s of starts.slice(1)) expect(line.slice(s - 2, s)).toBe('  ');
    const cells = (line: string) => starts.map((s, i) => line.slice(s, starts[i + 1]).trim());
    expect(cells(lines[1])).toEqual([
      'img1',
      json.pairs[0].dice.toFixed(4),
      json.pairs[0].clDice.toFixed(4),
      '2 0',
      '1 1',
      '1 1',
      json.pairs[0].bettiMatchingErrors.join(' '),
      String(json.pairs[0].bettiMatchingError),
    ]);
    expect(cells(lines[2])).toEqual(['img2', '1.0000', '1.0000', '1 1', '1 1', '0 0', '0 0', '0']);
    // Means of counts print with two decimals when they are not whole.
    expect(cells(lines[4]).slice(0, 6)).toEqual([
      'mean',
      json.mean.dice.toFixed(4),
      json.mean.clDice!.toFixed(4),
      '1.33 0.33',
      '1 1',
      '0.33 0.67',
    ]);
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });

  test('a 3-D pair in the table shows clDice as -', async () => {
    const volume = new Array(8).fill(1);
    const r = await run(['metrics', 'v.npy', 'v.npy'], { 'v.npy': f64(volume, [2, 2, 2]) });
    expect(r.stdout.split('\n')[1]).toBe(
      'v     1.0000  1.0000  1 0 0       1 0 0        0 0 0        0 0 0            0',
    );
  });
});
