import { basename, join } from 'path';
import type { Command } from './command';
import { EXIT_OK, inputError, oneLine, usageError } from './errors';
import { CliIO } from './io';
import { decodeArray, firstNonFinite, formatShape, LoadedArray, readInput } from './load';
import { parseArgs } from './options';
import { fsReason } from '../io/fs-errors';
import { escapeControls } from '../io/quote';
import type { BettiMatching } from 'tfjs-topo';

const USAGE = `Usage: tfjs-topo metrics PRED LABEL [--threshold T] [--json | --csv]

Segmentation metrics of saved predictions against their labels, per pair and as a mean over the
pairs: Dice, clDice, the Betti numbers of both and their errors, and the Betti-matching error.

  PRED, LABEL      two .npy or .png files of one shape, 2-D or 3-D (.npy; a PNG is 2-D); or two
                   folders, whose .npy and .png files pair by name without the extension
                   (pred/cell-01.npy with label/cell-01.png); a file without a partner is an
                   error, other files and subfolders are ignored. Readers as in 'tfjs-topo help
                   diagram': PNG values are the stored grey values, never rescaled
  --threshold T    the prediction is foreground where pred >= T (default 0.5; 8-bit PNG
                   probabilities of 0..255 want 128); the label is foreground where non-zero
  --json           one line of JSON: {"pairs": [{"name", "dice", "clDice", "betti": {"pred":
                   [...], "label": [...]}, "bettiErrors": [...], "bettiMatchingErrors": [...],
                   "bettiMatchingError"}, ...], "mean": {the same numbers averaged over pairs}}
  --csv            a header line, one line per pair and a last line named mean

Default output: an aligned table, one row per pair (in the natural order of the names), then the
mean. Per-dimension values (β0 β1, or β0 β1 β2 for volumes) share a column. Folders of more
than 8 pairs report their progress on stderr.

Conventions (those of the public Betti-Matching-3D code): foreground is the superlevel set, the
entries are the vertices of the cubical complex (construction V), so the foreground is 4-connected
in 2-D and 6-connected in 3-D (the background 8- and 26-connected); the Betti numbers are counted
in that complex. Betti matching compares each input with the elementwise maximum of the two, and
leaves out the essential class (the component that never dies): an empty prediction of a label of
one component has Betti-matching error 0 in dimension 0, which its Betti error of 1 shows. The
Betti-matching error is the number of bars of both inputs left unmatched, per dimension and in
total. Dice is 2|P ∩ L| / (|P| + |L|), 1 when both are empty. clDice uses topology-preserving
thinning (foreground 8-connected there, 26-connected in volumes). All pairs must be 2-D, or all
3-D.

Exit status: 0 done, 1 unusable input (unreadable file, shapes that differ, NaN or infinite
values, not 2-D or 3-D, an empty folder, unpaired files), 2 wrong command line.
`;

/** The library, loaded once the command line is known to be good (it brings tfjs-core along). */
type Library = typeof import('tfjs-topo');

/** Which pair of files; `name` is what the output calls it. */
interface Pair {
  name: string;
  pred: string;
  label: string;
}

/** The metrics of one pair, or their means (without a name). */
interface Scores {
  dice: number;
  clDice: number;
  betti: { pred: number[]; label: number[] };
  bettiErrors: number[];
  bettiMatchingErrors: number[];
  bettiMatchingError: number;
}

type PairScores = { name: string } & Scores;

/** Folders of more pairs than this report their progress on stderr. */
const PROGRESS_FROM = 8;

/** The extensions of the files a folder pairs. */
const INPUT_FILE = /\.(npy|png)$/i;

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'Dice, clDice, Betti and Betti-matching errors of predictions against labels',
  usage: USAGE,
  async run(args: readonly string[], io: CliIO): Promise<number> {
    const opts = parseArgs(args, { threshold: 'value', json: 'flag', csv: 'flag' });
    const [predArg, labelArg, extra] = opts.positionals;
    if (predArg === undefined) throw usageError('metrics: missing PRED and LABEL');
    if (labelArg === undefined) throw usageError('metrics: missing LABEL');
    if (extra !== undefined) throw usageError(`metrics: unexpected argument '${extra}'`);
    const threshold = parseThreshold(opts.values.get('threshold'));
    const json = opts.flags.has('json');
    const csv = opts.flags.has('csv');
    if (json && csv) throw usageError('metrics: --json and --csv exclude each other');

    const pairs = pairsOf(predArg, labelArg, io);
    const scorer = new Scorer(await import('tfjs-topo'), threshold);
    const scores: PairScores[] = [];
    let rank = 0;
    let first = '';
    pairs.forEach((pair, i) => {
      const pred = load(pair.pred, io);
      const label = load(pair.label, io);
      if (!sameShape(pred.shape, label.shape))
        throw inputError(
          `${pair.pred}: shape ${formatShape(pred.shape)} differs from the shape ${formatShape(label.shape)} of its label ${pair.label}`,
        );
      if (i === 0) [rank, first] = [pred.shape.length, pair.pred];
      else if (pred.shape.length !== rank)
        throw inputError(
          `${pair.pred}: a ${pred.shape.length}-D array among ${rank}-D ones (${first} is ${rank}-D); score images and volumes separately`,
        );
      try {
        scores.push({ name: pair.name, ...scorer.score(pred, label) });
      } catch (e) {
        throw inputError(`${pair.pred}: ${oneLine(e)}`);
      }
      if (pairs.length > PROGRESS_FROM && ((i + 1) % Math.ceil(pairs.length / 20) === 0 || i + 1 === pairs.length))
        io.stderr(`metrics: ${i + 1}/${pairs.length} pairs scored\n`);
    });

    const mean = meanOf(scores);
    if (json) io.stdout(JSON.stringify({ pairs: scores, mean }) + '\n');
    else if (csv) io.stdout(formatCsv(scores, mean));
    else io.stdout(formatTable(scores, mean));
    return EXIT_OK;
  },
};

function parseThreshold(value: string | undefined): number {
  if (value === undefined) return 0.5;
  const t = Number(value);
  if (value.trim() === '' || !Number.isFinite(t))
    throw usageError(`--threshold: expected a finite number such as 0.5, got '${value}'`);
  return t;
}

/** A file name without its extension. */
const stem = (name: string): string => name.replace(/\.[^.]*$/, '');

/** Natural order of names (img2 before img10), ties broken by code units so the order is total. */
const naturalOrder = (a: string, b: string): number =>
  a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

/** The pairs to score: the two files, or the files of two folders paired by name. */
function pairsOf(predArg: string, labelArg: string, io: CliIO): Pair[] {
  const predFolder = listFolder(predArg, io);
  const labelFolder = listFolder(labelArg, io);
  if (predFolder === undefined && labelFolder === undefined)
    return [{ name: stem(basename(predArg)), pred: predArg, label: labelArg }];
  if (predFolder === undefined || labelFolder === undefined) {
    const [folder, other] = predFolder === undefined ? [labelArg, predArg] : [predArg, labelArg];
    throw usageError(`metrics: ${folder} is a folder but ${other} is not; give two files or two folders`);
  }
  const preds = byStem(predArg, predFolder);
  const labels = byStem(labelArg, labelFolder);
  for (const [name, file] of preds)
    if (!labels.has(name))
      throw inputError(`${join(predArg, file)}: no label for it in ${labelArg} (expected ${name}.npy or ${name}.png)`);
  for (const [name, file] of labels)
    if (!preds.has(name))
      throw inputError(
        `${join(labelArg, file)}: no prediction for it in ${predArg} (expected ${name}.npy or ${name}.png)`,
      );
  return [...preds.keys()]
    .sort(naturalOrder)
    .map((name) => ({ name, pred: join(predArg, preds.get(name)!), label: join(labelArg, labels.get(name)!) }));
}

function listFolder(path: string, io: CliIO): string[] | undefined {
  try {
    return io.listFolder?.(path);
  } catch (e) {
    throw inputError(`${path}: cannot list the folder: ${fsReason(e)}`);
  }
}

/** A folder's .npy and .png files by name without extension, in the order listed. */
function byStem(folder: string, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of [...names].filter((n) => INPUT_FILE.test(n)).sort(naturalOrder)) {
    const name = stem(file);
    const seen = out.get(name);
    if (seen !== undefined)
      throw inputError(`${join(folder, file)}: ${seen} in the same folder has the same name '${name}'; keep one`);
    out.set(name, file);
  }
  if (out.size === 0) throw inputError(`${folder}: no .npy or .png files in the folder`);
  return out;
}

/** A 2-D or 3-D array of finite values, or an input error naming the file. */
function load(path: string, io: CliIO): LoadedArray {
  let array: LoadedArray;
  try {
    array = decodeArray(path, readInput(path, io.readFile));
  } catch (e) {
    throw inputError(`${path}: ${oneLine(e)}`);
  }
  const { data, shape } = array;
  if (shape.length !== 2 && shape.length !== 3)
    throw inputError(`${path}: expected a 2-D or 3-D array, got shape ${formatShape(shape)}`);
  if (data.length === 0) throw inputError(`${path}: expected a non-empty array, got shape ${formatShape(shape)}`);
  const bad = firstNonFinite(data);
  if (bad >= 0) throw inputError(`${path}: input holds NaN or infinite values (${data[bad]} at flat index ${bad})`);
  return array;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * Scores pairs with the library's metrics, reusing one Betti-matching engine per shape. Both maps
 * are binarized here (the prediction at `pred >= threshold`, the label at non-zero), so the
 * library, whose own threshold is strict (`> 0.5`), sees 0/1 maps only.
 */
class Scorer {
  private matcher: BettiMatching | null = null;

  constructor(
    private readonly library: Library,
    private readonly threshold: number,
  ) {}

  score(pred: LoadedArray, label: LoadedArray): Scores {
    const { dice, clDice, bettiNumbers, BettiMatching, bettiMatchingError } = this.library;
    const spatial = pred.shape;
    const shape = [1, ...spatial];
    const p = Float32Array.from(pred.data, (v) => (v >= this.threshold ? 1 : 0));
    const l = Float32Array.from(label.data, (v) => (v !== 0 ? 1 : 0));
    // Betti numbers in the complex the Betti matching uses: values on vertices, superlevel.
    const bettiPred = Array.from(bettiNumbers(p, shape, { construction: 'V' }));
    const bettiLabel = Array.from(bettiNumbers(l, shape, { construction: 'V' }));
    if (this.matcher === null || !sameShape(this.matcher.shape, spatial))
      this.matcher = new BettiMatching(spatial, { superlevel: true });
    // bettiMatchingErrors gives only the sum over the dimensions; this is the same matching per dimension.
    const perDim = bettiMatchingError(this.matcher.match(p, l));
    return {
      dice: dice(p, l, shape)[0],
      clDice: clDice(p, l, shape).clDice[0],
      betti: { pred: bettiPred, label: bettiLabel },
      bettiErrors: bettiPred.map((b, k) => Math.abs(b - bettiLabel[k])),
      bettiMatchingErrors: perDim,
      bettiMatchingError: perDim.reduce((a, b) => a + b, 0),
    };
  }
}

/** Each numeric field averaged over the pairs. */
function meanOf(scores: readonly Scores[]): Scores {
  const n = scores.length;
  const avg = (f: (s: Scores) => number) => scores.reduce((a, s) => a + f(s), 0) / n;
  const avgEach = (f: (s: Scores) => number[]) => f(scores[0]).map((_, k) => avg((s) => f(s)[k]));
  return {
    dice: avg((s) => s.dice),
    clDice: avg((s) => s.clDice),
    betti: { pred: avgEach((s) => s.betti.pred), label: avgEach((s) => s.betti.label) },
    bettiErrors: avgEach((s) => s.bettiErrors),
    bettiMatchingErrors: avgEach((s) => s.bettiMatchingErrors),
    bettiMatchingError: avg((s) => s.bettiMatchingError),
  };
}

/** The numbers of a row in column order, for CSV: the per-dimension lists spread out. */
function csvFields(s: Scores): number[] {
  return [
    s.dice,
    s.clDice,
    ...s.betti.pred,
    ...s.betti.label,
    ...s.bettiErrors,
    ...s.bettiMatchingErrors,
    s.bettiMatchingError,
  ];
}

/** A CSV field: quoted when it holds a comma, a quote, a line break or outer spaces. */
const csvText = (text: string): string => (/[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function formatCsv(scores: readonly PairScores[], mean: Scores): string {
  const dims = mean.betti.pred.map((_, k) => k);
  const header = [
    'name',
    'dice',
    'clDice',
    ...dims.map((k) => `bettiPred${k}`),
    ...dims.map((k) => `bettiLabel${k}`),
    ...dims.map((k) => `bettiError${k}`),
    ...dims.map((k) => `bettiMatchingError${k}`),
    'bettiMatchingError',
  ];
  const line = (name: string, s: Scores) => [csvText(name), ...csvFields(s).map(String)].join(',');
  return [header.join(','), ...scores.map((s) => line(s.name, s)), line('mean', mean)].join('\n') + '\n';
}

function formatTable(scores: readonly PairScores[], mean: Scores): string {
  const ratio = (v: number) => v.toFixed(4);
  const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const counts = (vs: readonly number[]) => vs.map(count).join(' ');
  const row = (name: string, s: Scores) => [
    escapeControls(name),
    ratio(s.dice),
    ratio(s.clDice),
    counts(s.betti.pred),
    counts(s.betti.label),
    counts(s.bettiErrors),
    counts(s.bettiMatchingErrors),
    count(s.bettiMatchingError),
  ];
  const rows = [
    ['pair', 'Dice', 'clDice', 'Betti pred', 'Betti label', 'Betti error', 'BM error by dim', 'BM error'],
    ...scores.map((s) => row(s.name, s)),
    row('mean', mean),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map(
      (r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}
