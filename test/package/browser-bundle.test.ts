// The package in the browser, bundled by esbuild as a user's bundler would: the library's entries
// hold nothing of Node; an app that imports '@tensorflow/tfjs' and 'tfjs-topo' gets ONE tfjs-core
// and ONE tfjs-layers (two made model.fit throw `x.clone is not a function`), and trains with each
// loss layer; and the <script> bundle works on tf.min.js's global `tf`.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, readFileSync } from 'fs';
import { builtinModules } from 'module';
import { dirname, join, resolve } from 'path';
import * as vm from 'vm';
import { absoluteInputs, assertBuilt, browserGlobal, removeProject, ROOT, runNode, userProject } from './helpers';

// Child processes, bundling and packing: generous on a loaded machine (each takes a second or two).
jest.setTimeout(60_000);

const NODE_BUILTINS = new Set(builtinModules);
const isNodeOnly = (spec: string): boolean =>
  spec.startsWith('node:') || NODE_BUILTINS.has(spec) || spec === 'pngjs' || spec.startsWith('pngjs/');
const TFJS_PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];

let project: string | undefined;

beforeAll(() => {
  assertBuilt();
  project = userProject();
  for (const f of ['browser-app.js', 'script-scenario.cjs', 'cjs-scenario.cjs'])
    copyFileSync(join(__dirname, 'fixtures', f), join(project, f));
});

afterAll(() => removeProject(project));

/** esbuild for the browser, bundled and kept in memory; the user's project is the working folder. */
function bundle(
  options: esbuild.BuildOptions,
): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile; outputFiles: esbuild.OutputFile[] }> {
  return esbuild.build({
    absWorkingDir: project,
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
    tsconfigRaw: '{}', // a user's project: not this repository's tsconfig (its paths point at src/)
    ...options,
  }) as never;
}

describe('the library entries for the browser', () => {
  test('dist/esm bundles with nothing of Node: only tfjs-core and tfjs-layers outside, and none for the persistence entry', async () => {
    const result = await bundle({
      absWorkingDir: ROOT,
      entryPoints: { index: 'dist/esm/index.js', persistence: 'dist/esm/persistence/index.js' },
      outdir: 'out',
      format: 'esm',
      // Left outside the bundle so that the metafile names every one of them that is imported.
      external: ['@tensorflow/*', 'pngjs', 'node:*', ...NODE_BUILTINS],
    });
    const outputs = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith('.js'));
    const of = (entry: string) => outputs.find(([, o]) => o.entryPoint === `dist/esm/${entry}`)![1];
    const index = of('index.js');
    const persistence = of('persistence/index.js');

    // What each entry imports from outside itself: the two peers, and nothing at all.
    expect([...new Set(index.imports.filter((i) => i.external).map((i) => i.path))].sort()).toEqual(TFJS_PEERS);
    expect(persistence.imports.filter((i) => i.external)).toEqual([]);
    const externals = Object.values(result.metafile.inputs).flatMap((i) =>
      i.imports.filter((m) => m.external).map((m) => m.path),
    );
    expect(externals.filter(isNodeOnly)).toEqual([]);

    // What goes in: the ES-module build only (no CommonJS file, no source, nothing of the app).
    const inputs = absoluteInputs(result.metafile.inputs, ROOT);
    expect(inputs.length).toBeGreaterThan(40);
    expect(inputs.filter((f) => !f.startsWith(join(ROOT, 'dist/esm/')))).toEqual([]);
    expect(Object.values(result.metafile.inputs).every((i) => i.format === 'esm')).toBe(true);
    const persistenceInputs = Object.keys(persistence.inputs).map((f) => resolve(ROOT, f));
    expect(persistenceInputs.length).toBeGreaterThan(15);
    expect(
      persistenceInputs.filter(
        (f) => !f.startsWith(join(ROOT, 'dist/esm/persistence/')) && !f.startsWith(join(ROOT, 'dist/esm/base/')),
      ),
    ).toEqual([]);
  });

  test("the CommonJS build's require graph reaches no Node built-in, no pngjs and nothing of the app", () => {
    /** Every file reachable by require() from `entry`, and every package it requires. */
    function walk(entry: string): { files: string[]; packages: string[] } {
      const files = new Set<string>();
      const packages = new Set<string>();
      const queue = [entry];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (files.has(file)) continue;
        files.add(file);
        for (const [, , spec] of readFileSync(file, 'utf8').matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) {
          if (!spec.startsWith('.')) {
            packages.add(spec);
            continue;
          }
          const base = resolve(dirname(file), spec);
          const target = [base, `${base}.js`, join(base, 'index.js')].find((f) => existsSync(f) && f.endsWith('.js'));
          if (target === undefined) throw new Error(`${file}: require('${spec}') resolves to no file`);
          queue.push(target);
        }
      }
      return { files: [...files].sort(), packages: [...packages].sort() };
    }

    const index = walk(join(ROOT, 'dist/index.js'));
    expect(index.files.length).toBeGreaterThan(40);
    expect(index.packages).toEqual(TFJS_PEERS);
    expect(
      index.files.filter((f) => !f.startsWith(join(ROOT, 'dist') + '/') || f.startsWith(join(ROOT, 'dist/esm/'))),
    ).toEqual([]);

    const persistence = walk(join(ROOT, 'dist/persistence/index.js'));
    expect(persistence.files.length).toBeGreaterThan(15);
    expect(persistence.packages).toEqual([]);
    expect(
      persistence.files.filter(
        (f) => !f.startsWith(join(ROOT, 'dist/persistence/')) && !f.startsWith(join(ROOT, 'dist/base/')),
      ),
    ).toEqual([]);
  });

  test('tree shaking keeps the layer registrations and drops what is not used', async () => {
    const entry = async (contents: string) => {
      const result = await bundle({
        stdin: { contents, resolveDir: project, sourcefile: 'entry.js' },
        format: 'esm',
        external: ['@tensorflow/*'],
      });
      const [output] = Object.values(result.metafile.outputs);
      const kept = (file: string) =>
        Object.entries(output.inputs).some(
          ([f, i]) => resolve(project!, f) === join(ROOT, 'dist/esm', file) && i.bytesInOutput > 0,
        );
      return { kept, imports: output.imports.map((i) => i.path) };
    };
    // Importing the package registers its six layer classes (saved models load back): sideEffects
    // must not let a bundler drop them.
    const bare = await entry("import 'tfjs-topo';");
    for (const file of ['layers/topo-loss.js', 'layers/point-cloud-loss.js', 'layers/complex-loss.js'])
      expect(bare.kept(file)).toBe(true);
    // …while a module nothing uses goes.
    const one = await entry("import { persistenceDiagrams } from 'tfjs-topo'; console.log(persistenceDiagrams);");
    expect(one.kept('ops/persistence-op.js')).toBe(true);
    expect(one.kept('layers/topo-loss.js')).toBe(true);
    expect(one.kept('optimize/optimize.js')).toBe(false);
    expect(one.kept('diagnostics/critical-smear.js')).toBe(false);
    const engines = await entry(
      "import { ripsPersistence } from 'tfjs-topo/persistence'; console.log(ripsPersistence);",
    );
    expect(engines.kept('persistence/rips/rips.js')).toBe(true);
    expect(engines.kept('persistence/cubical/cubical.js')).toBe(false);
    expect(engines.imports).toEqual([]);
  });
});

/**
 * The copies of a tfjs package in a bundle: its ES-module tree (dist/**.js, many files) counts as one,
 * and each prebuilt bundle (dist/tf-core.node.js, dist/tf-layers.min.js, …) as one more.
 */
function copiesOf(
  pkg: 'tfjs-core' | 'tfjs-layers',
  metafile: esbuild.Metafile,
  workingDir: string,
): { copies: string[]; files: number; formats: string[] } {
  const marker = `/node_modules/@tensorflow/${pkg}/`;
  const copies = new Set<string>();
  const formats = new Set<string>();
  let files = 0;
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.startsWith('(disabled):')) continue;
    const abs = resolve(workingDir, path);
    const at = abs.indexOf(marker);
    if (at < 0) continue;
    const folder = abs.slice(0, at + marker.length - 1);
    const rel = abs.slice(at + marker.length);
    copies.add(
      /^dist\/tf-[\w-]+\.js$|^dist\/tf-[\w-]+\.(node|es2017|fesm|min)(\.min)?\.js$/.test(rel)
        ? `${folder}/${rel}`
        : `${folder} (ES modules)`,
    );
    formats.add(input.format ?? 'unknown');
    files++;
  }
  return { copies: [...copies].sort(), files, formats: [...formats].sort() };
}

describe('an app that imports @tensorflow/tfjs and tfjs-topo', () => {
  interface AppResult {
    backend: string;
    tfjsVersion: string;
    losses: Record<string, (number | null)[]>;
    withoutTerm: number[];
    term: number;
    registered: string[];
  }
  let result: AppResult;
  let app: Awaited<ReturnType<typeof bundle>>;

  beforeAll(async () => {
    app = await bundle({
      entryPoints: ['browser-app.js'],
      outfile: 'app.bundle.js',
      format: 'iife',
      globalName: 'app',
    });
    // Run it as a page would: a fresh global with window and document, no process, no require.
    const context = vm.createContext(browserGlobal());
    vm.runInContext(app.outputFiles[0].text, context, { filename: 'app.bundle.js' });
    const run = (context.app as { run: () => Promise<AppResult> }).run;
    result = JSON.parse(JSON.stringify(await run())); // plain values of this realm; a NaN would be null
  });

  test('the bundle holds ONE tfjs-core and ONE tfjs-layers, their ES modules, and the ES-module build of the library', () => {
    const core = copiesOf('tfjs-core', app.metafile, project!);
    const layers = copiesOf('tfjs-layers', app.metafile, project!);
    expect(core.copies).toEqual([`${join(ROOT, 'node_modules/@tensorflow/tfjs-core')} (ES modules)`]);
    expect(layers.copies).toEqual([`${join(ROOT, 'node_modules/@tensorflow/tfjs-layers')} (ES modules)`]);
    expect(core.formats).toEqual(['esm']);
    expect(layers.formats).toEqual(['esm']);
    expect(core.files).toBeGreaterThan(300);
    expect(layers.files).toBeGreaterThan(50);
    const inputs = absoluteInputs(app.metafile.inputs, project!);
    const library = inputs.filter((f) => f.startsWith(ROOT + '/') && !f.includes('/node_modules/'));
    expect(library.length).toBeGreaterThan(40);
    expect(library.filter((f) => !f.startsWith(join(ROOT, 'dist/esm/')))).toEqual([]);
  });

  test('it runs on the cpu backend with tfjs 4.22 and registers the seven layer classes', () => {
    expect(result.backend).toBe('cpu');
    expect(result.tfjsVersion).toMatch(/^4\.22\./);
    expect([...result.registered].sort()).toEqual(
      [
        'LabelTopoLoss',
        'SmearedComplexTopoLoss',
        'SmearedPointCloudTopoLoss',
        'SmearedTopoLoss',
        'VanillaComplexTopoLoss',
        'VanillaPointCloudTopoLoss',
        'VanillaTopoLoss',
      ].sort(),
    );
  });

  test('model.fit trains with each of the six loss layers: a finite loss every epoch', () => {
    expect(Object.keys(result.losses).sort()).toEqual(
      [
        'smearedComplexTopoLoss',
        'smearedPointCloudTopoLoss',
        'smearedTopoLoss',
        'vanillaComplexTopoLoss',
        'vanillaPointCloudTopoLoss',
        'vanillaTopoLoss',
      ].sort(),
    );
    for (const [layer, losses] of Object.entries(result.losses)) {
      expect([layer, losses.length]).toEqual([layer, 3]);
      expect([layer, losses.every((l) => typeof l === 'number' && Number.isFinite(l))]).toEqual([layer, true]);
      // Every model moves: the losses are not all the same.
      expect([layer, new Set(losses).size > 1]).toEqual([layer, true]);
    }
  });

  test("the image layer's topological term is the loss: weight 1 adds Φ, weight 0 adds nothing, and training lowers it", () => {
    // The model starts as the identity, so the data term is 0 and the first loss is the term alone.
    expect(result.withoutTerm).toEqual([0, 0, 0]);
    expect(result.term).toBeGreaterThan(0.1);
    const vanilla = result.losses.vanillaTopoLoss as number[];
    expect(vanilla[0]).toBeCloseTo(result.term, 5);
    expect(vanilla[2]).toBeLessThan(vanilla[0]);
    // The smeared layer's first loss is its estimate of the term, not the weight-0 loss.
    expect(result.losses.smearedTopoLoss[0]).toBeGreaterThan(0.01);
  });

  test('counter-check: with tfjs-topo taken from its CommonJS build, the bundle holds TWO copies of tfjs-core', async () => {
    const cjs = await bundle({
      entryPoints: ['browser-app.js'],
      outfile: 'app.cjs-bundle.js',
      format: 'iife',
      globalName: 'app',
      alias: { 'tfjs-topo': join(project!, 'node_modules/tfjs-topo/dist/index.js') },
    });
    const core = copiesOf('tfjs-core', cjs.metafile, project!);
    const layers = copiesOf('tfjs-layers', cjs.metafile, project!);
    const folder = (pkg: string) => join(ROOT, 'node_modules/@tensorflow', pkg);
    expect(core.copies).toEqual([`${folder('tfjs-core')} (ES modules)`, `${folder('tfjs-core')}/dist/tf-core.node.js`]);
    // (esbuild then takes tfjs-layers' Node build for every importer: one copy, but built on the
    // second tfjs-core.)
    expect(layers.copies).toContain(`${folder('tfjs-layers')}/dist/tf-layers.node.js`);
    // And the library came in as CommonJS.
    const library = absoluteInputs(cjs.metafile.inputs, project!).filter(
      (f) => f.startsWith(ROOT + '/') && !f.includes('/node_modules/'),
    );
    expect(library).toContain(join(ROOT, 'dist/index.js'));
    expect(library.filter((f) => f.startsWith(join(ROOT, 'dist/esm/')))).toEqual([]);
  });
});

describe('the <script> bundle on tf.min.js', () => {
  type ScenarioResult = Record<string, unknown> & { backend: string; losses: number[]; imageTerm: number };
  let browser: ScenarioResult;
  let node: ScenarioResult;
  let globalExports: string[];

  beforeAll(async () => {
    const context = vm.createContext(browserGlobal());
    vm.runInContext(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.min.js'), 'utf8'), context, {
      filename: 'tf.min.js',
    });
    vm.runInContext(readFileSync(join(ROOT, 'dist/tfjs-topo.min.js'), 'utf8'), context, {
      filename: 'tfjs-topo.min.js',
    });
    expect(typeof context.tf).toBe('object');
    expect(typeof context.tfjsTopo).toBe('object');
    globalExports = Object.keys(context.tfjsTopo as object).sort();
    // The scenario module's function, made in the page's realm.
    const source = readFileSync(join(__dirname, 'fixtures/script-scenario.cjs'), 'utf8');
    const scenario = vm.runInContext(
      `(function (module) { ${source}\n return module.exports; })({ exports: {} })`,
      context,
    ) as (tf: unknown, topo: unknown) => Promise<ScenarioResult>;
    browser = JSON.parse(JSON.stringify(await scenario(context.tf, context.tfjsTopo)));
    node = runNode('cjs-scenario.cjs', project!) as ScenarioResult;
  });

  test('tfjsTopo holds what the ES-module entry exports, and no tfjs of its own', async () => {
    const esm = await bundle({
      absWorkingDir: ROOT,
      entryPoints: ['dist/esm/index.js'],
      outfile: 'out.js',
      format: 'esm',
      external: ['@tensorflow/*'],
    });
    const [output] = Object.values(esm.metafile.outputs).filter((o) => o.entryPoint !== undefined);
    expect(output.exports.length).toBeGreaterThan(30);
    expect(globalExports).toEqual([...output.exports].sort());
    // Its tfjs imports read the global `tf`: nothing of tfjs-core is inside (tf.min.js alone is 1.4 MB).
    const text = readFileSync(join(ROOT, 'dist/tfjs-topo.min.js'), 'utf8');
    expect(text.length).toBeLessThan(300_000);
    expect(text).not.toContain('Hi, looks like you are running TensorFlow.js');
  });

  test('persistenceDiagrams, a term and its gradient equal the CommonJS build in Node', () => {
    expect(browser.backend).toBe('cpu');
    expect(node.backend).toBe('cpu');
    for (const key of ['values', 'dim', 'birthCell', 'deathCell', 'term', 'gradient', 'imageTerm'])
      expect([key, browser[key]]).toEqual([key, node[key]]);
    expect(browser.values).toEqual([2, 5, 3, 6, 4, 7, 1, 9, 8, 9]);
    expect(browser.gradient).toEqual([0, 6, -6, 0, 0, 6, -6, 6, -6]);
  });

  test('model.fit trains with tfjsTopo.layers.vanillaTopoLoss, as in Node', () => {
    expect(browser.losses).toHaveLength(3);
    expect(browser.losses.every(Number.isFinite)).toBe(true);
    expect(browser.losses[0]).toBeCloseTo(browser.imageTerm, 5); // identity model: the loss is the term
    expect(browser.losses[2]).toBeLessThan(browser.losses[0]);
    browser.losses.forEach((l, i) => expect(l).toBeCloseTo(node.losses[i], 4));
  });
});
