import { FIXTURES, SHARED } from '../../reference/fixtures';
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import { formatDiagramJson } from '../../../app/cli/diagram-json';
import { writeNpy } from '../../../app/io/npy';
import { packageVersion } from '../../../app/package-root';
import { PersistenceDiagram } from '../../../src/persistence/diagram';
import { CliRun, runCli } from '../../reference/run-cli';

type Run = CliRun;
const run = runCli;

/** Expects a failure with `code` and exactly one stderr line matching `message`, nothing on stdout. */
function expectFailure(r: Run, code: number, message: RegExp | string): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: '' });
  expect(r.stderr).toMatch(/^tfjs-topo: [^\n]+\n$/);
  if (typeof message === 'string') expect(r.stderr).toBe(message);
  else expect(r.stderr).toMatch(message);
}

const npy = (values: number[], shape: number[]) => writeNpy(new Float64Array(values), shape);
const grid5 = [
  [3, 3, 3, 3, 3],
  [3, 0, 1, 0, 3],
  [3, 1, 4, 1, 3],
  [3, 0, 1, 0, 3],
  [3, 3, 3, 3, 3],
];
const files: Record<string, Uint8Array> = {
  'img.npy': npy(grid5.flat(), [5, 5]),
  'vol.npy': npy(
    Array.from({ length: 27 }, (_, i) => (i === 13 ? 5 : (i * 7) % 11)),
    [3, 3, 3],
  ),
  'f32.npy': writeNpy(Float32Array.from([0.1, 0.7, 0.3, 0.9, 0.2, 0.5]), [2, 3]),
  'rank1.npy': npy([1, 2, 3, 4, 5], [5]),
  'rank4.npy': npy(new Array(16).fill(0), [2, 2, 2, 2]),
  'scalar.npy': npy([1], []),
  'empty.npy': npy([], [0, 3]),
  'nan.npy': npy([0, 1, NaN, 3], [2, 2]),
  'inf.npy': npy([0, -Infinity, 2, 3], [2, 2]),
  'complex.npy': readFileSync(join(FIXTURES, 'npy', 'complex.npy')),
  'object.npy': readFileSync(join(FIXTURES, 'npy', 'object.npy')),
  'inexact.npy': readFileSync(join(FIXTURES, 'npy', 'i8_inexact.npy')),
  'broken.npy': new TextEncoder().encode('not numpy at all'),
  'short.npy': npy([1, 2, 3, 4], [2, 2]).subarray(0, 128 + 20),
  'notes.txt': new TextEncoder().encode('hello'),
  'broken.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
};

/** A case of test/fixtures/periodic/periodic.json. */
interface PeriodicCase {
  name: string;
  shape: number[];
  values: number[];
  construction: string;
  filtration: string;
  diagrams: Record<string, (number | null)[][]>;
}

describe('tfjs-topo: help and usage errors', () => {
  for (const argv of [['--help'], ['-h'], ['help']]) {
    test(argv.join(' '), async () => {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: tfjs-topo COMMAND/);
      expect(r.stdout).toMatch(/\n {2}diagram {2,}\S/);
    });
  }

  for (const argv of [
    ['help', 'diagram'],
    ['diagram', '--help'],
    ['diagram', 'img.npy', '-h'],
  ]) {
    test(argv.join(' '), async () => {
      const r = await run(argv, files);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(
        /^Usage: tfjs-topo diagram INPUT \[--construction T\|V\] \[--superlevel\] \[--dims 0,1\] \[--periodic 0,1\]/,
      );
    });
  }

  // Without a known command the hint is the command list; with one, that command's help.
  const topLevel: [string[], string][] = [
    [[], 'missing command'],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['frobnicate', '--bogus'], "unknown command 'frobnicate'"],
    [['--frobnicate'], "unknown option '--frobnicate'"],
    [['help', 'frobnicate'], "unknown command 'frobnicate'"],
    [['--version', 'extra'], "--version: unexpected argument 'extra'"],
  ];
  for (const [argv, message] of topLevel) {
    test(`exit 2: ${argv.join(' ') || '(nothing)'}`, async () => {
      expectFailure(await run(argv, files), 2, `tfjs-topo: ${message} (run 'tfjs-topo --help')\n`);
    });
  }

  const usage: [string[], string][] = [
    [['diagram'], 'diagram: missing INPUT file'],
    [['diagram', 'img.npy', 'vol.npy'], "diagram: unexpected argument 'vol.npy'"],
    [['diagram', 'img.npy', '--bogus'], "unknown option '--bogus'"],
    [['diagram', 'img.npy', '--bogus=1'], "unknown option '--bogus'"],
    [['diagram', 'img.npy', '-x'], "unknown option '-x'"],
    [['diagram', 'img.npy', '--construction'], 'option --construction needs a value'],
    [['diagram', 'img.npy', '--construction', 'X'], "--construction: expected T or V, got 'X'"],
    [['diagram', 'img.npy', '--construction=t'], "--construction: expected T or V, got 't'"],
    [['diagram', 'img.npy', '--construction', 'T', '--construction', 'V'], 'option --construction given twice'],
    [['diagram', 'img.npy', '--superlevel=yes'], 'option --superlevel takes no value'],
    [
      ['diagram', 'img.npy', '--dims', 'a'],
      "--dims: expected comma-separated non-negative integers such as 0,1, got 'a'",
    ],
    [['diagram', 'img.npy', '--dims='], "--dims: expected comma-separated non-negative integers such as 0,1, got ''"],
    [
      ['diagram', 'img.npy', '--dims', '0,,1'],
      "--dims: expected comma-separated non-negative integers such as 0,1, got '0,,1'",
    ],
    [
      ['diagram', 'img.npy', '--dims', '-1'],
      "--dims: expected comma-separated non-negative integers such as 0,1, got '-1'",
    ],
    [
      ['diagram', 'img.npy', '--dims', '1.5'],
      "--dims: expected comma-separated non-negative integers such as 0,1, got '1.5'",
    ],
    [['diagram', 'img.npy', '--dims', '2'], '--dims: dimension 2 is out of range for a 2-D input (expected 0..1)'],
    [['diagram', 'vol.npy', '--dims', '0,3'], '--dims: dimension 3 is out of range for a 3-D input (expected 0..2)'],
    [
      ['diagram', 'img.npy', '--periodic', 'x'],
      "--periodic: expected comma-separated non-negative integers such as 0,1, got 'x'",
    ],
    [['diagram', 'img.npy', '--periodic', '2'], '--periodic: axis 2 is out of range for a 2-D input (expected 0..1)'],
    [
      ['diagram', 'img.npy', '--periodic', '1', '--dims', '2'],
      '--dims: dimension 2 is out of range for a 2-D input (expected 0..1)',
    ],
    [
      ['diagram', 'img.npy', '--periodic', '0,1', '--dims', '3'],
      '--dims: dimension 3 is out of range for a 2-D torus (expected 0..2)',
    ],
  ];
  for (const [argv, message] of usage) {
    test(`exit 2: ${argv.join(' ') || '(nothing)'}`, async () => {
      expectFailure(await run(argv, files), 2, `tfjs-topo: ${message} (run 'tfjs-topo help diagram')\n`);
    });
  }

  test("each command's usage errors point at its own help", async () => {
    expect((await run(['rips'], files)).stderr).toBe(
      "tfjs-topo: rips: missing INPUT file (run 'tfjs-topo help rips')\n",
    );
    expect((await run(['demo', '--steps', '0'], files)).stderr).toBe(
      "tfjs-topo: --steps: expected an integer ≥ 1, got '0' (run 'tfjs-topo help demo')\n",
    );
    // Input errors carry no hint: the command line was right.
    expect((await run(['diagram', 'missing.npy'], files)).stderr).toBe(
      'tfjs-topo: missing.npy: cannot read file: no such file or directory\n',
    );
  });
});

describe('tfjs-topo --version', () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  for (const argv of [['--version'], ['-v'], ['-V'], ['version']]) {
    test(argv.join(' '), async () => {
      expect(await run(argv)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    });
  }

  test('is listed in the usage text', async () => {
    expect((await run(['--help'])).stdout).toMatch(
      /\n {2}version {2,}the version of tfjs-topo \(also --version, -v, -V\)\n/,
    );
  });

  test("packageVersion walks up to tfjs-topo's package.json, past others, as from the built app/dist/", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-version-'));
    try {
      mkdirSync(join(dir, 'pkg', 'app', 'dist'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tfjs-topo', version: '0.0.1' }));
      writeFileSync(join(dir, 'pkg', 'package.json'), JSON.stringify({ name: 'tfjs-topo', version: '9.8.7' }));
      writeFileSync(
        join(dir, 'pkg', 'app', 'package.json'),
        JSON.stringify({ name: 'some-workspace', version: '1.0.0' }),
      );
      writeFileSync(join(dir, 'pkg', 'app', 'dist', 'package.json'), 'not json');
      expect(packageVersion(join(dir, 'pkg', 'app', 'dist'))).toBe('9.8.7');
      expect(packageVersion(join(dir, 'pkg', 'app'))).toBe('9.8.7');
      expect(() => packageVersion(tmpdir())).toThrow(
        /^cannot find the package\.json of tfjs-topo in .* or any folder above it$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tfjs-topo diagram: bad input', () => {
  const bad: [string, string][] = [
    ['missing.npy', 'missing.npy: cannot read file: no such file or directory'],
    ['a-directory', 'a-directory: cannot read file: is a directory'],
    ['rank1.npy', 'rank1.npy: expected a 2-D or 3-D array, got shape [5]'],
    ['rank4.npy', 'rank4.npy: expected a 2-D or 3-D array, got shape [2, 2, 2, 2]'],
    ['scalar.npy', 'scalar.npy: expected a 2-D or 3-D array, got shape []'],
    ['empty.npy', 'empty.npy: expected a non-empty array, got shape [0, 3]'],
    ['nan.npy', 'nan.npy: input holds NaN or infinite values (NaN at flat index 2)'],
    ['inf.npy', 'inf.npy: input holds NaN or infinite values (-Infinity at flat index 1)'],
    [
      'complex.npy',
      "complex.npy: unsupported dtype '<c8' (expected one of float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, bool)",
    ],
    ['object.npy', 'object.npy: unsupported dtype: object arrays are not supported'],
    [
      'inexact.npy',
      'inexact.npy: int64 element 4 (index [1, 1]) is 9007199254740993, which float64 cannot represent exactly ' +
        '(beyond 2^53 in magnitude, integers are rounded); convert the array to float64 first if rounding is acceptable',
    ],
    ['broken.npy', 'broken.npy: not a .npy file: bad magic string (expected "\\x93NUMPY")'],
    ['short.npy', 'short.npy: .npy data too short: shape [2, 2] of float64 needs 32 bytes, file holds 20'],
    ['notes.txt', 'notes.txt: expected a .npy or .png file, got a text file'],
  ];
  for (const [file, message] of bad) {
    test(`exit 1: ${file}`, async () => {
      expectFailure(await run(['diagram', file], files), 1, `tfjs-topo: ${message}\n`);
    });
  }

  test('exit 1: broken PNG', async () => {
    expectFailure(await run(['diagram', 'broken.png'], files), 1, /^tfjs-topo: broken\.png: invalid PNG: /);
  });

  test('a missing file is reported before the range of --dims is known', async () => {
    expectFailure(await run(['diagram', 'missing.npy', '--dims', '5'], files), 1, /missing\.npy: cannot read file/);
  });
});

describe('tfjs-topo demo --image: bad input is refused before anything runs', () => {
  const bad: [string, string][] = [
    ['missing.npy', '--image missing.npy: cannot read file: no such file or directory'],
    ['rank1.npy', '--image rank1.npy: expected a 2-D image of at least 8×8, got shape [5]'],
    ['nan8.npy', '--image nan8.npy: element 2 is NaN; expected finite values'],
  ];
  const nan8 = new Float64Array(64);
  nan8[2] = NaN;
  const mine = { ...files, 'nan8.npy': writeNpy(nan8, [8, 8]) };
  for (const [file, message] of bad) {
    test(`exit 1: ${file}`, async () => {
      expectFailure(await run(['demo', '--image', file], mine), 1, `tfjs-topo: ${message}\n`);
    });
  }
});

describe('formatDiagramJson', () => {
  const diagram = (dim: number, pairs: [number, number, number, number][]): PersistenceDiagram => ({
    dim,
    births: Float64Array.from(pairs.map((p) => p[0])),
    deaths: Float64Array.from(pairs.map((p) => p[1])),
    birthCells: Int32Array.from(pairs.map((p) => p[2])),
    deathCells: Int32Array.from(pairs.map((p) => p[3])),
  });

  test("prints the oracle's keys, separators and pair order, cells following their pairs", () => {
    const text = formatDiagramJson(
      [
        diagram(0, [
          [2, 5, 7, 8],
          [0.1, Infinity, 3, -1],
          [-0, 0.30000000000000004, 1, 2],
        ]),
        diagram(1, []),
      ],
      { shape: [3, 4], construction: 'T', superlevel: false },
    );
    expect(text).toBe(
      '{"shape": [3, 4], "construction": "T", "field": 2, "filtration": "sublevel", ' +
        '"diagrams": {"0": [[-0.0, 0.30000000000000004], [0.1, null], [2, 5]], "1": []}, ' +
        '"cells": {"0": [[1, 2], [3, -1], [7, 8]], "1": []}}',
    );
    const parsed = JSON.parse(text);
    expect(Object.is(parsed.diagrams['0'][0][0], -0)).toBe(true);
    expect(parsed.diagrams['0'][0][1]).toBe(0.1 + 0.2);
  });

  test('superlevel: essential classes sort before finite pairs of equal birth', () => {
    const text = formatDiagramJson(
      [
        diagram(0, [
          [9, 1, 0, 5],
          [9, Infinity, 4, -1],
          [3, 2, 6, 7],
        ]),
      ],
      {
        shape: [2, 4],
        construction: 'V',
        superlevel: true,
      },
    );
    const parsed = JSON.parse(text);
    expect(parsed.filtration).toBe('superlevel');
    expect(parsed.construction).toBe('V');
    expect(parsed.diagrams['0']).toEqual([
      [3, 2],
      [9, null],
      [9, 1],
    ]);
    expect(parsed.cells['0']).toEqual([
      [6, 7],
      [4, -1],
      [0, 5],
    ]);
  });
});

/** Checks the structure of a diagram JSON and that every cell holds its pair's value exactly. */
function checkOutput(
  text: string,
  values: ArrayLike<number>,
  shape: number[],
  dims: number[],
): Record<string, unknown> {
  expect(text.endsWith('\n')).toBe(true);
  expect(text.trimEnd()).not.toMatch(/\n/);
  const out = JSON.parse(text);
  expect(Object.keys(out)).toEqual(['shape', 'construction', 'field', 'filtration', 'diagrams', 'cells']);
  expect(out.shape).toEqual(shape);
  expect(out.field).toBe(2);
  expect(Object.keys(out.diagrams)).toEqual(dims.map(String));
  expect(Object.keys(out.cells)).toEqual(dims.map(String));
  for (const k of dims.map(String)) {
    const pairs: [number, number | null][] = out.diagrams[k];
    const cells: [number, number][] = out.cells[k];
    expect(cells.length).toBe(pairs.length);
    pairs.forEach(([b, d], i) => {
      expect(values[cells[i][0]]).toBe(b);
      if (d === null) expect(cells[i][1]).toBe(-1);
      else expect(values[cells[i][1]]).toBe(d);
    });
  }
  return out;
}

describe('tfjs-topo diagram: output (needs the persistence engine)', () => {
  test('2-D .npy, T construction, sublevel', async () => {
    const r = await run(['diagram', 'img.npy'], files);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = checkOutput(r.stdout, grid5.flat(), [5, 5], [0, 1]);
    expect(out.construction).toBe('T');
    expect(out.filtration).toBe('sublevel');
    // Four minima (0) joined by the cross of 1s (T: 8-connected); the cross closes a loop around
    // the centre 4. The border of 3s closes nothing: T has no cells outside the array.
    expect(out.diagrams).toEqual({
      '0': [
        [0, 1],
        [0, 1],
        [0, 1],
        [0, null],
      ],
      '1': [[1, 4]],
    });
  });

  test('2-D .npy, V construction, superlevel, --dims 1,0 given out of order', async () => {
    const r = await run(['diagram', 'img.npy', '--construction', 'V', '--superlevel', '--dims', '1,0'], files);
    expect(r.stderr).toBe('');
    const out = checkOutput(r.stdout, grid5.flat(), [5, 5], [0, 1]);
    expect(out.construction).toBe('V');
    expect(out.filtration).toBe('superlevel');
    for (const [b, d] of (out.diagrams as Record<string, [number, number | null][]>)['0'])
      if (d !== null) expect(b).toBeGreaterThan(d);
  });

  test('--periodic 0,1: the torus of GUDHI PeriodicCubicalComplex, with its top class', async () => {
    // A fixture from test/fixtures/periodic (GUDHI's diagrams), through the command line.
    const f = (JSON.parse(readFileSync(join(FIXTURES, 'periodic', 'periodic.json'), 'utf8')) as PeriodicCase[]).find(
      (c) => c.name === 'ties-6x7-torus' && c.construction === 'T' && c.filtration === 'sublevel',
    )!;
    const r = await run(['diagram', 'torus.npy', '--periodic', '1,0'], { 'torus.npy': npy(f.values, f.shape) });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.periodic).toEqual([true, true]);
    const sorted = (pairs: (number | null)[][]) => pairs.map((p) => JSON.stringify(p)).sort();
    for (const k of ['0', '1', '2']) expect(sorted(out.diagrams[k])).toEqual(sorted(f.diagrams[k]));
  });

  test('--dims 1 prints only dimension 1', async () => {
    const r = await run(['diagram', 'img.npy', '--dims=1'], files);
    checkOutput(r.stdout, grid5.flat(), [5, 5], [1]);
  });

  test('3-D .npy', async () => {
    const r = await run(['diagram', 'vol.npy'], files);
    expect(r.stderr).toBe('');
    checkOutput(
      r.stdout,
      Array.from({ length: 27 }, (_, i) => (i === 13 ? 5 : (i * 7) % 11)),
      [3, 3, 3],
      [0, 1, 2],
    );
  });

  test('float32 .npy: values print as the float32 value, exactly', async () => {
    const r = await run(['diagram', 'f32.npy'], files);
    const out = checkOutput(r.stdout, Float32Array.from([0.1, 0.7, 0.3, 0.9, 0.2, 0.5]), [2, 3], [0, 1]);
    expect((out.diagrams as Record<string, number[][]>)['0'][0][0]).toBe(Math.fround(0.1));
  });

  test('bool .npy mask (NumPy-written): the diagram of the same 0/1 values as float64', async () => {
    const want = JSON.parse(readFileSync(join(FIXTURES, 'npy', 'expected.json'), 'utf8'))['mask_ring.npy'];
    const mask = readFileSync(join(FIXTURES, 'npy', 'mask_ring.npy'));
    for (const flags of [[], ['--superlevel'], ['--construction', 'V']]) {
      const r = await run(['diagram', 'mask.npy', ...flags], {
        'mask.npy': mask,
        'same.npy': npy(want.values, want.shape),
      });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        (await run(['diagram', 'same.npy', ...flags], { 'same.npy': npy(want.values, want.shape) })).stdout,
      );
      checkOutput(r.stdout, want.values, [7, 7], [0, 1]);
    }
    // A 5×5 ring of 1s around a 3×3 hole of 0s, in a border of 0s: superlevel, one component
    // born at 1 (essential) and the hole's loop, born at 1 and filled at 0.
    const out = JSON.parse((await run(['diagram', 'mask.npy', '--superlevel'], { 'mask.npy': mask })).stdout);
    expect(out.diagrams).toEqual({ '0': [[1, null]], '1': [[1, 0]] });
  });

  test('int64 .npy (NumPy-written, Fortran order): the same diagram as its values in float64', async () => {
    const want = JSON.parse(readFileSync(join(FIXTURES, 'npy', 'expected.json'), 'utf8'))['fortran_3d_i8_be.npy'];
    const r = await run(['diagram', 'i8.npy'], {
      'i8.npy': readFileSync(join(FIXTURES, 'npy', 'fortran_3d_i8_be.npy')),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe((await run(['diagram', 'same.npy'], { 'same.npy': npy(want.values, want.shape) })).stdout);
    checkOutput(r.stdout, want.values, [2, 3, 4], [0, 1, 2]);
  });

  test('.png input: grey values, shape [height, width]', async () => {
    const png = new PNG({ width: 3, height: 2 });
    png.data = Buffer.from([10, 20, 10, 30, 5, 30]);
    const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 });
    const r = await run(['diagram', 'img.png'], { 'img.png': bytes });
    expect(r.stderr).toBe('');
    const out = checkOutput(r.stdout, [10, 20, 10, 30, 5, 30], [2, 3], [0, 1]);
    expect((out.diagrams as Record<string, unknown[]>)['0']).toEqual([[5, null]]);
  });

  test('the file type comes from the content, not the name', async () => {
    const r = await run(['diagram', 'image.dat'], { 'image.dat': files['img.npy'] });
    expect(r.code).toBe(0);
  });

  test('a file named like an option can follow --', async () => {
    const r = await run(['diagram', '--', '--weird.npy'], { '--weird.npy': files['img.npy'] });
    expect(r.code).toBe(0);
  });
});

// Comparison with GUDHI through the oracle script, when Debian's python3-gudhi is installed.
const ORACLE = join(SHARED, 'oracle', 'gudhi_oracle.py');
const hasGudhi =
  existsSync(ORACLE) &&
  (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import gudhi, numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

(hasGudhi ? describe : describe.skip)('tfjs-topo diagram agrees with the GUDHI oracle', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const cases: [string, number[], string[]][] = [
    ['random 2-D', [9, 11], []],
    ['random 2-D superlevel', [9, 11], ['--superlevel']],
    ['random 2-D V', [8, 7], ['--construction', 'V']],
    ['random 3-D', [5, 4, 6], []],
    ['random 3-D superlevel V', [4, 4, 3], ['--superlevel', '--construction', 'V']],
  ];
  for (const [name, shape, flags] of cases) {
    test(name, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Float64Array.from({ length: n }, () => Math.round(random() * 1e6) / 1e3);
      const bytes = writeNpy(values, shape);
      const path = join(dir, `${name.replace(/ /g, '-')}.npy`);
      writeFileSync(path, bytes);
      const r = await run(['diagram', path, ...flags], { [path]: bytes });
      expect(r.stderr).toBe('');
      const ours = checkOutput(
        r.stdout,
        values,
        shape,
        shape.map((_, k) => k),
      );
      const oracle = JSON.parse(execFileSync('/usr/bin/python3', [ORACLE, path, ...flags], { encoding: 'utf8' }));
      expect(ours.diagrams).toEqual(oracle.diagrams);
      expect(ours.shape).toEqual(oracle.shape);
      expect(ours.filtration).toBe(oracle.filtration);
    });
  }
});
