// What `npm pack` puts in the tarball: the library (CommonJS, ES modules, <script> bundle), the app,
// the example data, and nothing else; every source map readable without the sources.
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { assertBuilt, ROOT } from './helpers';

// Child processes, bundling and packing: generous on a loaded machine (each takes a second or two).
jest.setTimeout(60_000);

let files: string[];
let packed: Set<string>;

beforeAll(() => {
  assertBuilt();
  // --ignore-scripts: no prepack, so the build under test is the one on disk.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(out) as { name: string; files: { path: string }[] }[];
  expect(result.name).toBe('tfjs-topo');
  files = result.files.map((f) => f.path).sort();
  packed = new Set(files);
});

test('the tarball holds both library builds, the <script> bundle, the app, its launcher and the example data', () => {
  const required = [
    'package.json',
    'README.md',
    'LICENSE',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/persistence/index.js',
    'dist/persistence/index.d.ts',
    'dist/esm/index.js',
    'dist/esm/index.d.ts',
    'dist/esm/package.json',
    'dist/esm/persistence/index.js',
    'dist/esm/persistence/index.d.ts',
    'dist/tfjs-topo.min.js',
    'app/dist/cli.js',
    'bin/tfjs-topo.js',
    'examples/data/blobs.png',
  ];
  expect(required.filter((f) => !packed.has(f))).toEqual([]);
  // The two builds mirror each other module for module (same .js and .d.ts files under dist/ and dist/esm/).
  const cjs = files.filter(
    (f) => f.startsWith('dist/') && !f.startsWith('dist/esm/') && /\.(js|d\.ts)$/.test(f) && !f.endsWith('.min.js'),
  );
  const esm = files
    .filter((f) => f.startsWith('dist/esm/') && /\.(js|d\.ts)$/.test(f))
    .map((f) => f.replace('dist/esm/', 'dist/'));
  expect(cjs.length).toBeGreaterThan(40);
  expect(esm).toEqual(cjs);
});

test('dist/esm/package.json marks the ES-module build as such', () => {
  const nested = JSON.parse(readFileSync(join(ROOT, 'dist/esm/package.json'), 'utf8'));
  expect(nested.type).toBe('module');
  // Bundlers read sideEffects from the nearest package.json: the layer modules register classes.
  expect(nested.sideEffects).toEqual(['./index.js', './layers/*.js']);
});

test('every file that package.json points to is packed', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const targets = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'string') targets.add(v.replace(/^\.\//, ''));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect([pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, pkg.bin, pkg.exports]);
  // The subpath for resolvers that know no "exports": persistence/package.json, relative to its folder.
  const stub = JSON.parse(readFileSync(join(ROOT, 'persistence/package.json'), 'utf8'));
  targets.add('persistence/package.json');
  for (const field of ['main', 'module', 'types']) targets.add(join('persistence', stub[field]));
  expect(targets.size).toBeGreaterThanOrEqual(11); // 3 files per entry and build (.js, .d.ts), the bundle, bin, package.json
  expect([...targets].filter((t) => !packed.has(t))).toEqual([]);
});

test('no module of the app is in the library build', () => {
  // The app's module names (app/cli/, app/demo/, app/io/); the library has none of them.
  const APP_NAMES =
    /^(cli|demo|io|npy|png|csv|pyliteral|report|plots|random-walker|run-demo|adam-loop|experiments|paper|point-cloud|images|cells|mesh|load|command|options|errors|diagram-json)(\.|$)/;
  const libraryFiles = files.filter((f) => f.startsWith('dist/'));
  expect(libraryFiles.length).toBeGreaterThan(100);
  const appLike = libraryFiles.filter((f) => f.split('/').some((segment) => APP_NAMES.test(segment)));
  expect(appLike).toEqual([]);
  // No library code under app/dist, and the app only as built JavaScript (with declarations for
  // its one entry, 'tfjs-topo/node').
  const appFile = /^app\/dist\/(.+\.js(\.map)?|node\/[^/]+\.d\.ts)$/;
  expect(files.filter((f) => f.startsWith('app/') && !appFile.test(f))).toEqual([]);
  expect(files.filter((f) => f.startsWith('app/dist/')).length).toBeGreaterThan(20);
});

test('no sources, tests, benches or scripts are packed', () => {
  expect(files.filter((f) => /^(src|test|bench|scripts|docs|node_modules|coverage|out)\//.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  expect(
    files.filter((f) => /(^|\/)(tsconfig[^/]*\.json|jest\.config\.js|package-lock\.json|\.gitignore)$/.test(f)),
  ).toEqual([]);
  // Top level: only the folders and files the `files` field names, plus what npm always packs.
  const top = [...new Set(files.map((f) => f.split('/')[0]))].sort();
  expect(
    top.filter(
      (t) =>
        ![
          'LICENSE',
          'README.md',
          'package.json',
          'ARCHITECTURE.md',
          'dist',
          'app',
          'bin',
          'persistence',
          'node',
          'examples',
        ].includes(t),
    ),
  ).toEqual([]);
  expect(files.filter((f) => f.startsWith('examples/') && !f.startsWith('examples/data/'))).toEqual([]);
});

test('every source map carries the text of all its sources, and every map a file names is packed', () => {
  const maps = files.filter((f) => f.endsWith('.map'));
  // Declaration maps would point into src/, which is not packed.
  expect(maps.filter((f) => !f.endsWith('.js.map'))).toEqual([]);
  expect(maps.filter((f) => f.startsWith('dist/')).length).toBeGreaterThan(50);
  expect(maps.filter((f) => f.startsWith('app/dist/')).length).toBeGreaterThan(20);
  const incomplete: string[] = [];
  for (const f of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    const content = map.sourcesContent ?? [];
    if (
      map.sources.length === 0 ||
      content.length !== map.sources.length ||
      content.some((c) => typeof c !== 'string' || c.length === 0)
    )
      incomplete.push(
        `${f} (${map.sources.length} sources, ${content.filter((c) => typeof c === 'string' && c.length > 0).length} with content)`,
      );
  }
  expect(incomplete).toEqual([]);
  // Each built .js names its map (if any) by a relative URL; that map must be in the tarball.
  const missing: string[] = [];
  for (const f of files.filter((f) => /^(dist|app\/dist)\/.+\.js$/.test(f))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(ROOT, f), 'utf8'))?.[1];
    if (url === undefined || url.startsWith('data:')) continue;
    const target = join(f, '..', url);
    if (!packed.has(target)) missing.push(`${f} → ${target}`);
  }
  expect(missing).toEqual([]);
  expect(packed.has('dist/tfjs-topo.min.js.map')).toBe(true);
});
