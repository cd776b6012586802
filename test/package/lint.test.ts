// The tarball as the package linters see it: publint (strict, down to suggestions) and Are The Types
// Wrong (node10, node16 from CommonJS and from ES modules, bundler) find nothing, and the types and
// code of each entry resolve where the package means them to.
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { assertBuilt, ROOT, runNode } from './helpers';

// Child processes, bundling and packing: generous on a loaded machine (each takes a second or two).
jest.setTimeout(60_000);

let dir: string;
let tarball: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-lint-'));
  // --ignore-scripts: no prepack rebuild; the build under test is the one on disk.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  tarball = join(dir, filename);
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('publint --strict reports nothing, not even a suggestion', () => {
  // One line per message, e.g. 'suggestion USE_TYPE at pkg.name {}' or 'error FILE_DOES_NOT_EXIST at pkg.exports…'.
  const report = runNode(join(__dirname, 'fixtures', 'publint.mjs'), ROOT, [tarball]) as {
    name: string;
    messages: string[];
  };
  expect(report.name).toBe('tfjs-topo');
  expect(report.messages).toEqual([]);
});

interface Resolution {
  resolution?: { fileName: string };
  implementationResolution?: { fileName: string };
  visibleProblems?: unknown[];
}

test('attw (profile strict: node10, node16-cjs, node16-esm, bundler) finds no problem, and each entry resolves as designed', () => {
  const attw = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
      tarball,
      '--format',
      'json',
      '--profile',
      'strict',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  let report: {
    problems: Record<string, unknown>;
    analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, Resolution> }> };
  };
  try {
    report = JSON.parse(attw.stdout);
  } catch {
    throw new Error(`attw printed no JSON (exit ${attw.status}):\n${attw.stdout}\n${attw.stderr}`);
  }
  expect(report.problems).toEqual({});
  expect(report.analysis.problems).toEqual([]);
  expect(attw.status).toBe(0);

  // Where TypeScript finds the types (and the code) of each entry under each resolution mode.
  const found: Record<string, Record<string, [string | undefined, string | undefined]>> = {};
  for (const [entry, { resolutions }] of Object.entries(report.analysis.entrypoints)) {
    found[entry] = {};
    for (const [kind, r] of Object.entries(resolutions)) {
      expect([entry, kind, r.visibleProblems ?? []]).toEqual([entry, kind, []]);
      const strip = (f?: string) => f?.replace('/node_modules/tfjs-topo/', '');
      found[entry][kind] = [strip(r.resolution?.fileName), strip(r.implementationResolution?.fileName)];
    }
  }
  expect(found['.']).toEqual({
    node10: ['dist/index.d.ts', 'dist/index.js'],
    'node16-cjs': ['dist/index.d.ts', 'dist/index.js'],
    'node16-esm': ['dist/esm/index.d.ts', 'dist/esm/index.js'],
    bundler: ['dist/esm/index.d.ts', 'dist/esm/index.js'],
  });
  // node10 knows no "exports": it finds the folder persistence/ and its package.json's fields.
  expect(found['./persistence']).toEqual({
    node10: ['dist/persistence/index.d.ts', 'dist/persistence/index.js'],
    'node16-cjs': ['dist/persistence/index.d.ts', 'dist/persistence/index.js'],
    'node16-esm': ['dist/esm/persistence/index.d.ts', 'dist/esm/persistence/index.js'],
    bundler: ['dist/esm/persistence/index.d.ts', 'dist/esm/persistence/index.js'],
  });
  // Node only, CommonJS for every mode: the folder node/ for node10.
  const nodeEntry: [string, string] = ['app/dist/node/index.d.ts', 'app/dist/node/index.js'];
  expect(found['./node']).toEqual({
    node10: nodeEntry,
    'node16-cjs': nodeEntry,
    'node16-esm': nodeEntry,
    bundler: nodeEntry,
  });
});
