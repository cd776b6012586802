// The package's entries in Node, as a user's project loads them (node_modules/tfjs-topo links to
// this package): `require` gets the CommonJS build, `import` the ES-module build, both compute the
// same diagrams; 'tfjs-topo/persistence' loads without tfjs; the app finds the library by its name.
import { copyFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { assertBuilt, removeProject, ROOT, runNode, userProject } from './helpers';

// Child processes, bundling and packing: generous on a loaded machine (each takes a second or two).
jest.setTimeout(60_000);

interface Diagram {
  dim: number;
  births: number[];
  deaths: (number | string)[];
  birthCells: number[];
  deathCells: number[];
}

interface EntriesReport {
  resolved: { root: string; persistence: string };
  afterPersistence: { tfEngine: string; requested?: string[]; files?: string[] };
  loaded?: string[];
  diagrams: Diagram[];
  tensor: { values: number[]; dim: number[]; birthCell: number[]; deathCell: number[]; pairsShape: number[] };
  term: number;
  gradient: number[];
  backend: string;
  sameEngine: boolean;
  layerIsTfjsLayer: boolean;
  hasDefault: boolean;
}

let project: string | undefined;
let cjs: EntriesReport;
let esm: EntriesReport;

beforeAll(() => {
  assertBuilt();
  project = userProject();
  for (const f of ['node-entries.cjs', 'node-entries.mjs', 'entry-report.cjs', 'app-cli.cjs'])
    copyFileSync(join(__dirname, 'fixtures', f), join(project, f));
  cjs = runNode('node-entries.cjs', project) as EntriesReport;
  esm = runNode('node-entries.mjs', project) as EntriesReport;
});

afterAll(() => removeProject(project));

test('require resolves to the CommonJS build, import to the ES-module build', () => {
  expect(cjs.resolved).toEqual({
    root: join(ROOT, 'dist/index.js'),
    persistence: join(ROOT, 'dist/persistence/index.js'),
  });
  expect(esm.resolved).toEqual({
    root: join(ROOT, 'dist/esm/index.js'),
    persistence: join(ROOT, 'dist/esm/persistence/index.js'),
  });
  // What actually loaded: under require, only dist/ (no dist/esm/, no sources); under import, a
  // real ES module (a CommonJS module seen from import would have a `default` export).
  const own = cjs.loaded!.filter((f) => f.startsWith(ROOT + '/') && !f.includes('/node_modules/'));
  expect(own).toContain(join(ROOT, 'dist/index.js'));
  expect(own.length).toBeGreaterThan(20);
  expect(own.filter((f) => !f.startsWith(join(ROOT, 'dist') + '/') || f.startsWith(join(ROOT, 'dist/esm/')))).toEqual(
    [],
  );
  expect(esm.hasDefault).toBe(false);
});

test('both builds compute the same exact diagram of a 3×3 image with tfjs-topo/persistence', () => {
  // Four minima 1, 2, 3, 4 merge at 5, 6, 7; the ring closes at 8 and the 9 fills it.
  const expected: Diagram[] = [
    {
      dim: 0,
      births: [2, 3, 4, 1],
      deaths: [5, 6, 7, 'Infinity'],
      birthCells: [2, 8, 6, 0],
      deathCells: [1, 5, 7, -1],
    },
    { dim: 1, births: [8], deaths: [9], birthCells: [3], deathCells: [4] },
  ];
  expect(cjs.diagrams).toEqual(expected);
  expect(esm.diagrams).toEqual(expected);
});

test('both builds compute the same persistenceDiagrams, term and gradient of a tf tensor on the cpu backend', () => {
  for (const r of [cjs, esm]) {
    expect(r.backend).toBe('cpu');
    // The essential class clipped at the image's maximum, 9.
    expect(r.tensor).toEqual({
      values: [2, 5, 3, 6, 4, 7, 1, 9, 8, 9],
      dim: [0, 0, 0, 0, 1],
      birthCell: [2, 8, 6, 0, 3],
      deathCell: [1, 5, 7, 4, 4],
      pairsShape: [5, 2],
    });
    // Σ (death − birth)² over the finite H0 pairs, and its gradient ∓2·lifetime at the critical pixels.
    expect(r.term).toBe(27);
    expect(r.gradient).toEqual([0, 6, -6, 0, 0, 6, -6, 6, -6]);
    // '.' re-exports the engines of 'tfjs-topo/persistence' (one module, not a copy), and its layers
    // extend the Layer class of the tfjs-layers the user loads.
    expect(r.sameEngine).toBe(true);
    expect(r.layerIsTfjsLayer).toBe(true);
  }
  expect(esm.tensor).toEqual(cjs.tensor);
  expect(esm.gradient).toEqual(cjs.gradient);
});

test("'tfjs-topo/persistence' loads no tfjs at all", () => {
  const { requested, files, tfEngine } = cjs.afterPersistence;
  // Every module requested while loading it is one of the engines' own relative files.
  expect(requested![0]).toBe('tfjs-topo/persistence');
  expect(requested!.slice(1).filter((r) => !r.startsWith('./') && !r.startsWith('../'))).toEqual([]);
  expect(files!.filter((f) => f.includes('@tensorflow'))).toEqual([]);
  expect(
    files!
      .filter((f) => f.startsWith(ROOT))
      .every((f) => f.startsWith(join(ROOT, 'dist/persistence/')) || f.startsWith(join(ROOT, 'dist/base/'))),
  ).toBe(true);
  // tfjs-core, once loaded, keeps its engine on the global object: neither build created it.
  expect(tfEngine).toBe('undefined');
  expect(esm.afterPersistence.tfEngine).toBe('undefined');
});

test('the installed CLI finds the library through the package name, in dist/', () => {
  writeFileSync(join(project!, 'square.csv'), '0,0\n1,0\n1,1\n0,1\n');
  // The launcher as a user runs it (npx tfjs-topo …): the unit square's diagram.
  const viaBin = runNode(join('node_modules', 'tfjs-topo', 'bin', 'tfjs-topo.js'), project!, [
    'rips',
    'square.csv',
  ]) as { diagrams: Record<string, (number | null)[][]> };
  expect(viaBin.diagrams).toEqual({
    '0': [
      [0, 1],
      [0, 1],
      [0, 1],
      [0, null],
    ],
    '1': [[1, Math.SQRT2]],
  });
  const inProcess = runNode('app-cli.cjs', project!) as { code: number; output: unknown; files: string[] };
  expect(inProcess.code).toBe(0);
  expect(inProcess.output).toEqual(viaBin);
  const own = inProcess.files.filter((f) => f.startsWith(ROOT + '/') && !f.includes('/node_modules/'));
  expect(own).toContain(join(ROOT, 'app/dist/cli.js'));
  expect(own).toContain(join(ROOT, 'dist/persistence/index.js'));
  expect(own.filter((f) => !f.startsWith(join(ROOT, 'app/dist/')) && !f.startsWith(join(ROOT, 'dist/')))).toEqual([]);
  expect(own.filter((f) => f.startsWith(join(ROOT, 'dist/esm/')))).toEqual([]);
});
