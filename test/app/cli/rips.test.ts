import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readCsv } from '../../../app/io/csv';
import { writeNpy } from '../../../app/io/npy';
import { ripsPersistence } from '../../../src/persistence/rips/rips';
import { mulberry32 } from '../../reference/mulberry32';
import { runCli } from '../../reference/run-cli';

// `tfjs-topo rips`: input formats, the JSON form (checked against the engine, and against the
// ripser CLI when it is installed), and its errors.

const run = runCli;

const square = 'x,y\n0,0\n1,0\n1,1\n0,1\n';
const files = {
  'square.csv': square,
  'square.npy': writeNpy(Float64Array.from([0, 0, 1, 0, 1, 1, 0, 1]), [4, 2]),
  'square-distances.txt': '0 1 1.5 1\n1 0 1 1.5\n1.5 1 0 1\n1 1.5 1 0\n',
  'ragged.csv': '0,0\n1\n',
  'words.csv': '0,0\n1,a\n',
  'nan.csv': '0,0\nnan,1\n',
  'empty.csv': '# nothing\n',
  'line.npy': writeNpy(Float64Array.from([1, 2, 3]), [3]),
  'rect.txt': '0 1 2\n1 0 3\n',
};

describe('tfjs-topo rips', () => {
  test('a square: four components joined at 1, one loop [1, √2), critical edges as point pairs', async () => {
    const r = await run(['rips', 'square.csv'], files);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ points: 4, dimension: 2, field: 2, maxdim: 1, threshold: null });
    expect(out.diagrams).toEqual({
      '0': [
        [0, 1],
        [0, 1],
        [0, 1],
        [0, null],
      ],
      '1': [[1, Math.SQRT2]],
    });
    const [[birth, death]] = out.cells['1'];
    expect(
      Math.hypot(
        ...[0, 1].map((k) => [0, 0, 1, 0, 1, 1, 0, 1][2 * birth[0] + k] - [0, 0, 1, 0, 1, 1, 0, 1][2 * birth[1] + k]),
      ),
    ).toBe(1);
    expect(new Set(death).size).toBe(2);
  });

  test('.npy and CSV give the same output; --distances reads a matrix', async () => {
    const a = await run(['rips', 'square.csv'], files);
    const b = await run(['rips', 'square.npy'], files);
    expect(b.stdout).toBe(a.stdout);
    const c = JSON.parse((await run(['rips', 'square-distances.txt', '--distances'], files)).stdout);
    expect(c.dimension).toBeNull();
    expect(c.diagrams['1']).toEqual([[1, 1.5]]);
  });

  test('--maxdim and --threshold reach the engine', async () => {
    const out = JSON.parse((await run(['rips', 'square.csv', '--maxdim', '0', '--threshold', '1.2'], files)).stdout);
    expect(Object.keys(out.diagrams)).toEqual(['0']);
    expect(out.threshold).toBe(1.2);
  });

  test('every pair equals the engine on a random cloud, sorted by (birth, death)', async () => {
    const random = mulberry32(3);
    const points = Float64Array.from({ length: 60 }, () => random());
    const r = await run(['rips', 'cloud.npy', '--maxdim', '2'], { 'cloud.npy': writeNpy(points, [20, 3]) });
    const out = JSON.parse(r.stdout);
    ripsPersistence(points, 3, { maxDim: 2 }).forEach((d) => {
      const expected = Array.from(d.births, (b, i) => [b, Number.isFinite(d.deaths[i]) ? d.deaths[i] : null]).sort(
        (p, q) =>
          (p[0] as number) - (q[0] as number) || ((p[1] ?? Infinity) as number) - ((q[1] ?? Infinity) as number),
      );
      expect(out.diagrams[String(d.dim)]).toEqual(expected);
    });
  });

  const bad: [string[], number, string][] = [
    [['rips'], 2, "rips: missing INPUT file (run 'tfjs-topo help rips')"],
    [['rips', 'square.csv', '--maxdim', '3'], 2, "--maxdim: expected 0, 1 or 2, got '3' (run 'tfjs-topo help rips')"],
    [
      ['rips', 'square.csv', '--threshold', '-1'],
      2,
      "--threshold: expected a positive number, got '-1' (run 'tfjs-topo help rips')",
    ],
    [['rips', 'missing.csv'], 1, 'missing.csv: cannot read file: no such file or directory'],
    [['rips', 'ragged.csv'], 1, 'ragged.csv: line 2: 1 values, expected 2 like the rows above'],
    [['rips', 'words.csv'], 1, "words.csv: line 2: 'a' is not a number"],
    [['rips', 'empty.csv'], 1, 'empty.csv: no rows of numbers'],
    [['rips', 'line.npy'], 1, 'line.npy: expected a 2-D array (one point per row), got shape [3]'],
    [['rips', 'rect.txt', '--distances'], 1, 'rect.txt: --distances expects a square n × n matrix, got shape [2, 3]'],
  ];
  test.each(bad)('%j exits %i', async (argv, code, message) => {
    const r = await run(argv, files);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`tfjs-topo: ${message}\n`);
  });

  test('NaN coordinates are refused by the engine, named', async () => {
    const r = await run(['rips', 'nan.csv'], files);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tfjs-topo: nan\.csv: points.*NaN/);
  });
});

describe('readCsv', () => {
  test('separators, comments, a header, and blank lines', () => {
    expect(readCsv('# c\na b\n1, 2\n\n3;4\n5\t6\n')).toEqual({
      data: Float64Array.from([1, 2, 3, 4, 5, 6]),
      shape: [3, 2],
    });
  });
});

(existsSync('/usr/bin/ripser') ? describe : describe.skip)('tfjs-topo rips agrees with the ripser CLI', () => {
  let dir = '';
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-rips-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a noisy circle of 40 points, dimensions 0 and 1', async () => {
    const random = mulberry32(11);
    // Coordinates on a 1/64 grid: every distance² is exact in float32 and float64 alike.
    const rows = Array.from({ length: 40 }, (_, i) => {
      const a = (2 * Math.PI * i) / 40;
      return [
        Math.round(64 * (Math.cos(a) + 0.2 * random())) / 64,
        Math.round(64 * (Math.sin(a) + 0.2 * random())) / 64,
      ];
    });
    const text = rows.map((r) => r.join(' ')).join('\n') + '\n';
    writeFileSync(join(dir, 'circle.txt'), text);
    const ripser = execFileSync('/usr/bin/ripser', ['--format', 'point-cloud', '--dim', '1', join(dir, 'circle.txt')], {
      encoding: 'utf8',
    });
    const theirs: Record<string, number[][]> = {};
    let dim = '';
    for (const line of ripser.split('\n')) {
      const header = /persistence intervals in dim (\d)/.exec(line);
      if (header) theirs[(dim = header[1])] = [];
      const pair = /\[([^,]+),([^)]*)\)/.exec(line);
      if (pair && dim) theirs[dim].push([Number(pair[1]), pair[2].trim() === '' ? Infinity : Number(pair[2])]);
    }
    const ours = JSON.parse((await run(['rips', 'circle.txt'], { 'circle.txt': text })).stdout).diagrams;
    for (const k of ['0', '1']) {
      const mine = (ours[k] as (number | null)[][]).map(([b, d]) => [b as number, d ?? Infinity]);
      expect(mine.length).toBe(theirs[k].length);
      const key = (p: number[]) => p[0] * 1e6 + (p[1] === Infinity ? 1e9 : p[1]);
      const [a, b] = [mine.sort((p, q) => key(p) - key(q)), theirs[k].sort((p, q) => key(p) - key(q))];
      // ripser prints float32 values with 6 significant digits.
      a.forEach((p, i) =>
        p.forEach((v, j) =>
          v === Infinity
            ? expect(b[i][j]).toBe(Infinity)
            : expect(Math.abs(v - b[i][j])).toBeLessThanOrEqual(1e-5 * Math.max(1, v)),
        ),
      );
    }
  });
});
