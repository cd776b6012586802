// The project's layering rules, checked on the imports of the source files (read with TypeScript's
// own pre-processor, so comments and strings are never taken for imports).
//
// The library, src/, is built in floors that import only downward:
//
//   src/index.ts          the public entry 'tfjs-topo': may import anything in src/
//   src/layers/           Keras-style layers and losses
//   src/diagnostics/  src/optimize/   (side by side: neither imports the other)
//   src/smear/            STUMP approximates and the smeared estimator
//   src/ops/              differentiable tfjs ops and functionals
//   src/metrics/  src/kernels/        (side by side) segmentation metrics on the host; training kernels
//   src/persistence/  src/datasets/   the engines, no tfjs ('tfjs-topo/persistence' is
//                                     src/persistence/index.ts); seeded synthetic datasets, no tfjs
//   src/base/             plain TypeScript used everywhere
//
// The app, app/ (Node-only CLI, file I/O, demo), uses the library only as the packages 'tfjs-topo' and
// 'tfjs-topo/persistence', as a user would; nothing in src/ imports app/.
//
// A new folder under src/ must be given its place in FLOORS below (and in the table above).
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/** For each floor (first folder under src/; 'index' is src/index.ts), the floors it may import. */
const FLOORS: Record<string, readonly string[]> = {
  base: ['base'],
  persistence: ['base', 'persistence'],
  datasets: ['base', 'datasets'],
  metrics: ['base', 'persistence', 'metrics'],
  kernels: ['base', 'kernels'],
  ops: ['base', 'persistence', 'metrics', 'ops'],
  smear: ['base', 'persistence', 'ops', 'smear'],
  diagnostics: ['base', 'persistence', 'ops', 'smear', 'diagnostics'],
  optimize: ['base', 'persistence', 'ops', 'smear', 'optimize'],
  layers: ['base', 'persistence', 'ops', 'smear', 'layers'],
  index: [
    'base',
    'persistence',
    'datasets',
    'metrics',
    'kernels',
    'ops',
    'smear',
    'diagnostics',
    'optimize',
    'layers',
    'index',
  ],
};

/** The only packages src/ may import (and only src/base/ and src/persistence/ import none at all). */
const SRC_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'];
/** Floors that import no package at all. */
const PACKAGE_FREE_FLOORS = ['base', 'persistence', 'datasets', 'metrics'];
/** The library's own package names, the only way app/ may reach it. */
const LIBRARY_ENTRIES = ['tfjs-topo', 'tfjs-topo/persistence'];
/** The only bare import with a subpath allowed anywhere. */
const ALLOWED_SUBPATHS = ['tfjs-topo/persistence', 'tfjs-topo/node'];

/** The folders scanned, relative to the repository root. */
const SCANNED = ['src', 'app', 'test', 'bench', 'examples'];
/** Build outputs and scratch folders that are not sources. */
const SKIPPED_DIRS = new Set(['app/dist', 'bench/tmp']);
const SKIPPED_NAMES = new Set(['node_modules', 'dist', 'coverage']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

type RuleId = 'layers' | 'cycles' | 'packages' | 'extensions' | 'privateBuilds' | 'appEntry';

interface Report {
  /** For each rule, one line per offending import (or per cycle), sorted. */
  violations: Record<RuleId, string[]>;
  /** Every import found, per file (repository-relative, '/'-separated paths). */
  imports: Map<string, string[]>;
}

const NODE_BUILTINS = new Set(builtinModules);

const isRelative = (spec: string): boolean =>
  spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
const isAbsolute = (spec: string): boolean => spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec);
const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || NODE_BUILTINS.has(spec);
const isBare = (spec: string): boolean => !isRelative(spec) && !isAbsolute(spec) && !isBuiltin(spec);

/** 'a/b/c' → 'a'; '@scope/a/b' → '@scope/a'. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module specifier a file names: import/export … from, import '…', import(…), require(…), import type. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Where a relative specifier points, before any extension is resolved ('src/ops/x.js'). */
function target(from: string, spec: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
}

/** The file a relative import loads, as a bundler or tsc would find it; undefined if none. */
function resolve(files: Map<string, string>, from: string, spec: string): string | undefined {
  const t = target(from, spec);
  const stem = t.replace(/\.(m|c)?js$/, '');
  const candidates = [t, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${t}.ts`, `${t}.tsx`];
  candidates.push(`${t}.js`, `${t}/index.ts`, `${t}/index.js`);
  return candidates.find((c) => files.has(c));
}

/** The floor of a path under src/: its first folder, or 'index' for src/index.ts; undefined if neither. */
function floorOf(file: string): string | undefined {
  if (!file.startsWith('src/')) return undefined;
  const rest = file.slice('src/'.length);
  if (!rest.includes('/')) return rest.replace(/\.(js|ts)$/, '') === 'index' ? 'index' : undefined;
  return rest.split('/')[0];
}

/** Strongly connected components of a graph (Tarjan), only those that hold a cycle. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** Checks every rule on a set of files (repository-relative '/'-separated path → text). */
function checkArchitecture(files: Map<string, string>): Report {
  const violations: Record<RuleId, string[]> = {
    layers: [],
    cycles: [],
    packages: [],
    extensions: [],
    privateBuilds: [],
    appEntry: [],
  };
  const imports = new Map<string, string[]>();
  for (const [file, text] of files) imports.set(file, importsOf(text));

  const srcGraph = new Map<string, string[]>();
  const appGraph = new Map<string, string[]>();
  const edgeSpecs = new Map<string, string[]>(); // 'from → to' → the specifiers that make it

  for (const [file, specs] of imports) {
    const inSrc = file.startsWith('src/');
    const inApp = file.startsWith('app/');
    const floor = floorOf(file);
    if (inSrc) srcGraph.set(file, []);
    if (inApp) appGraph.set(file, []);

    // Rule 1: a file of src/ must sit in a known floor.
    if (inSrc && (floor === undefined || !(floor in FLOORS))) {
      violations.layers.push(
        floor === undefined
          ? `${file} is not in any floor (only src/index.ts may sit at the top of src/; put it in a floor folder)`
          : `${file} is in an unknown floor '${floor}' (add src/${floor}/ to FLOORS in test/architecture.test.ts)`,
      );
    }

    for (const spec of specs) {
      const at = `${file} imports '${spec}'`;

      // Rule 5: no reaching into a package's build folders, whoever imports.
      if (spec.includes('node_modules/')) {
        violations.privateBuilds.push(`${at}: a path into node_modules; import the package by its name`);
      } else if (isBare(spec) && spec !== packageName(spec) && !ALLOWED_SUBPATHS.includes(spec)) {
        violations.privateBuilds.push(
          `${at}: a subpath of package '${packageName(spec)}' (its private files); import '${packageName(spec)}' itself`,
        );
      }

      if (inSrc) {
        if (isRelative(spec)) {
          const to = target(file, spec);
          const resolved = resolve(files, file, spec);
          // Rule 1: floors import only downward; nothing in src/ imports outside src/.
          if (!to.startsWith('src/')) {
            violations.layers.push(
              `${at}: it leads outside src/ (to ${to}); the library never imports app/ or other folders`,
            );
          } else if (floor !== undefined && floor in FLOORS) {
            const toFloor = floorOf(resolved ?? to);
            if (toFloor === undefined || !FLOORS[floor].includes(toFloor)) {
              violations.layers.push(
                `${at}: floor '${floor}' may not import floor '${toFloor ?? `(none: ${to})`}'; ` +
                  `'${floor}' may import only ${FLOORS[floor].join(', ')}`,
              );
            }
          }
          // Rule 4: './x.js' naming an existing './x.ts' (or './dir/index.js' → './dir/index.ts').
          if (!spec.endsWith('.js')) {
            violations.extensions.push(
              `${at}: a relative import must end with '.js' (the ES-module build needs it)` +
                (resolved === undefined
                  ? `, and nothing named ${to} exists`
                  : `: write '${resolved.endsWith('/index.ts') ? `${spec}/index` : spec}.js'`),
            );
          } else if (!files.has(to.replace(/\.js$/, '.ts')) && !files.has(to.replace(/\.js$/, '.tsx'))) {
            violations.extensions.push(`${at}: there is no ${to.replace(/\.js$/, '.ts')} for it to name`);
          }
          if (resolved !== undefined && resolved.startsWith('src/')) srcGraph.get(file)!.push(resolved);
          if (resolved !== undefined)
            edgeSpecs.set(`${file} → ${resolved}`, [...(edgeSpecs.get(`${file} → ${resolved}`) ?? []), spec]);
        } else if (isAbsolute(spec)) {
          violations.extensions.push(`${at}: an absolute path; use a relative './….js' import`);
        } else if (isBuiltin(spec)) {
          // Rule 3: the library runs in browsers too.
          violations.packages.push(
            `${at}: a Node built-in module; src/ runs in browsers too (file and process work belongs in app/)`,
          );
        } else {
          const pkg = packageName(spec);
          if (floor !== undefined && PACKAGE_FREE_FLOORS.includes(floor)) {
            violations.packages.push(`${at}: src/${floor}/ imports no package at all (not even tfjs)`);
          } else if (pkg === 'pngjs') {
            violations.packages.push(`${at}: 'pngjs' is Node-only; image files belong in app/io/`);
          } else if (!SRC_PACKAGES.includes(pkg)) {
            violations.packages.push(`${at}: src/ may import only the packages ${SRC_PACKAGES.join(', ')}`);
          }
        }
      }

      if (inApp) {
        // Rule 6: the app uses the library only by its package names; relative imports stay in app/.
        if (isRelative(spec)) {
          const to = target(file, spec);
          const resolved = resolve(files, file, spec);
          if (!to.startsWith('app/')) {
            violations.appEntry.push(
              `${at}: it leads outside app/ (to ${to})` +
                (to.startsWith('src/')
                  ? `; import the library as '${to.startsWith('src/persistence/') ? 'tfjs-topo/persistence' : 'tfjs-topo'}'`
                  : ''),
            );
          } else if (resolved !== undefined) {
            appGraph.get(file)!.push(resolved);
            edgeSpecs.set(`${file} → ${resolved}`, [...(edgeSpecs.get(`${file} → ${resolved}`) ?? []), spec]);
          }
        } else if (isAbsolute(spec)) {
          violations.appEntry.push(`${at}: an absolute path; use a relative import inside app/ or a package name`);
        } else if (packageName(spec) === 'tfjs-topo' && !LIBRARY_ENTRIES.includes(spec)) {
          violations.appEntry.push(`${at}: the library's entries are only ${LIBRARY_ENTRIES.join(' and ')}`);
        }
      }
    }
  }

  // Rule 2: no import cycle among src/ files, nor among app/ files.
  for (const [name, graph] of [
    ['src/', srcGraph],
    ['app/', appGraph],
  ] as const) {
    for (const cycle of cyclesOf(graph)) {
      const members = new Set(cycle);
      const edges: string[] = [];
      for (const from of cycle) {
        for (const to of new Set(graph.get(from))) {
          if (members.has(to)) edges.push(`${from} → ${to} ('${edgeSpecs.get(`${from} → ${to}`)!.join("', '")}')`);
        }
      }
      violations.cycles.push(
        `a cycle among ${cycle.length} ${name} file(s): ${cycle.join(', ')}\n      its imports: ${edges.join('\n                   ')}`,
      );
    }
  }

  for (const list of Object.values(violations)) list.sort();
  return { violations, imports };
}

/** Every source file under the scanned folders, keyed by repository-relative '/'-separated path. */
function readTree(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_NAMES.has(entry.name) && !SKIPPED_DIRS.has(child)) walk(child);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.set(child, fs.readFileSync(path.join(ROOT, child), 'utf8'));
      }
    }
  };
  for (const dir of SCANNED) walk(dir);
  return files;
}

/** Fails with a message that names the rule, how to fix it, and every offending import. */
function expectNone(list: string[], rule: string): void {
  if (list.length > 0) {
    throw new Error(`${rule}\n${list.length} violation(s):\n  - ${list.join('\n  - ')}`);
  }
}

const TABLE = Object.entries(FLOORS)
  .map(
    ([floor, allowed]) =>
      `    ${floor === 'index' ? 'src/index.ts' : `src/${floor}/`} may import: ${allowed.join(', ')}`,
  )
  .join('\n');

describe('architecture: the layering rules, read from the imports', () => {
  const tree = readTree();
  const { violations, imports } = checkArchitecture(tree);
  const count = (prefix: string): number => [...tree.keys()].filter((f) => f.startsWith(prefix)).length;

  test('the checker reads the real tree', () => {
    expect(count('src/')).toBeGreaterThan(40);
    expect(count('app/')).toBeGreaterThan(20);
    expect(tree.has('src/index.ts')).toBe(true);
    expect(tree.has('src/persistence/index.ts')).toBe(true);
    const srcImports = [...imports].filter(([f]) => f.startsWith('src/')).reduce((n, [, s]) => n + s.length, 0);
    expect(srcImports).toBeGreaterThan(100);
  });

  test('the checker finds broken rules in a small fake tree', () => {
    const fake = new Map<string, string>([
      // Rule 1: base imports ops (upward); persistence imports smear; optimize imports diagnostics; src imports app.
      ['src/base/checks.ts', "import { f } from '../ops/a.js';\nexport const c = f;\n"],
      ['src/persistence/engine.ts', "import type { S } from '../smear/s.js';\nimport '../../app/cli.js';\n"],
      ['src/optimize/o.ts', "export * from '../diagnostics/d.js';\nimport { c } from '../base/checks.js';\n"],
      ['src/diagnostics/d.ts', "import { s } from '../smear/s.js';\nimport { e } from '../persistence/engine.js';\n"],
      ['src/smear/s.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport type S = number;\n"],
      // Rules 2 and 4: a cycle a → b → a, b names a without '.js', a names a missing file.
      ['src/ops/a.ts', "import { b } from './b.js';\nconst m = import('./missing.js');\n"],
      ['src/ops/b.ts', "import { a } from './a';\n// import { z } from '../layers/z.js' (a comment is no import)\n"],
      // Rule 3: packages in src/.
      ['src/ops/io.ts', "import * as fs from 'fs';\nimport { PNG } from 'pngjs';\nimport 'node:path';\n"],
      ['src/persistence/tf.ts', "import * as tf from '@tensorflow/tfjs-core';\n"],
      // Rule 5: a private build folder.
      ['src/layers/l.ts', "import { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology';\n"],
      ['bench/b.js', "const x = require('@tensorflow/tfjs-core/dist/ops/ops');\nconst t = require('..');\n"],
      // Rule 6: the app reaching into src/, and a cycle in app/.
      [
        'app/cli.ts',
        "import { c } from '../src/base/checks.js';\nimport { r } from 'tfjs-topo/persistence';\nimport './x';\n",
      ],
      ['app/x.ts', "import '../app/cli';\nimport { q } from 'tfjs-topo/dist/index';\n"],
      // Allowed: nothing to report here.
      [
        'src/index.ts',
        "export * from './layers/l.js';\nexport * from './optimize/o.js';\nexport * from './persistence/index.js';\n",
      ],
      ['src/persistence/index.ts', "export * from './engine.js';\n"],
      [
        'src/layers/ok.ts',
        "import * as tf from '@tensorflow/tfjs-core';\nimport { s } from '../smear/s.js';\nimport { a } from '../ops/a.js';\n",
      ],
    ]);
    const { violations: v } = checkArchitecture(fake);
    const has = (rule: RuleId, ...parts: string[]): void => {
      const hit = v[rule].some((line) => parts.every((p) => line.includes(p)));
      if (!hit) throw new Error(`expected ${rule} to report ${parts.join(' … ')}; it reported:\n${v[rule].join('\n')}`);
    };
    has('layers', 'src/base/checks.ts', "'../ops/a.js'");
    has('layers', 'src/persistence/engine.ts', "'../smear/s.js'");
    has('layers', 'src/persistence/engine.ts', "'../../app/cli.js'", 'outside src/');
    has('layers', 'src/optimize/o.ts', "'../diagnostics/d.js'");
    expect(v.layers).toHaveLength(4);
    has('cycles', 'src/ops/a.ts, src/ops/b.ts');
    has('cycles', 'app/cli.ts, app/x.ts');
    expect(v.cycles).toHaveLength(2);
    has('extensions', 'src/ops/b.ts', "'./a'", "write './a.js'");
    has('extensions', 'src/ops/a.ts', "'./missing.js'", 'src/ops/missing.ts');
    expect(v.extensions).toHaveLength(2);
    has('packages', 'src/ops/io.ts', "'fs'");
    has('packages', 'src/ops/io.ts', "'node:path'");
    has('packages', 'src/ops/io.ts', "'pngjs'");
    has('packages', 'src/persistence/tf.ts', "'@tensorflow/tfjs-core'");
    expect(v.packages).toHaveLength(4);
    has('privateBuilds', 'src/layers/l.ts', '@tensorflow/tfjs-layers/dist/engine/topology');
    has('privateBuilds', 'bench/b.js', '@tensorflow/tfjs-core/dist/ops/ops');
    has('privateBuilds', 'app/x.ts', 'tfjs-topo/dist/index');
    expect(v.privateBuilds).toHaveLength(3);
    has('appEntry', 'app/cli.ts', "'../src/base/checks.js'", "'tfjs-topo'");
    has('appEntry', 'app/x.ts', 'tfjs-topo/dist/index');
    expect(v.appEntry).toHaveLength(2);
    // Nothing reported for the allowed files.
    const all = Object.values(v).flat().join('\n');
    expect(all).not.toContain('src/index.ts imports');
    expect(all).not.toContain('src/layers/ok.ts');
    expect(all).not.toContain('src/persistence/index.ts');
  });

  test('rule 1: src/ floors import only downward, and never app/', () => {
    expectNone(
      violations.layers,
      `Rule 1 (layering): each file's floor is its first folder under src/, and it may import only:\n${TABLE}\n` +
        'Move the shared code down to a floor both can import, or the importing code up.',
    );
  });

  test('rule 2: no import cycle among src/ files, nor among app/ files', () => {
    expectNone(
      violations.cycles,
      'Rule 2 (no cycles): these files import each other in a circle (a strongly connected component of the ' +
        'import graph, `import type` included). Break the circle by moving what both need into a file of its own.',
    );
  });

  test('rule 3: src/ imports no Node built-in and only the tfjs packages (base and persistence none at all)', () => {
    expectNone(
      violations.packages,
      `Rule 3 (packages): src/ runs in browsers, so no Node built-in and no 'pngjs'; its only packages are ` +
        `${SRC_PACKAGES.join(' and ')}, and src/base/ and src/persistence/ import no package at all.`,
    );
  });

  test("rule 4: relative imports in src/ end with '.js' and name an existing .ts file", () => {
    expectNone(
      violations.extensions,
      "Rule 4 (extensions): the ES-module build needs explicit extensions: write './x.js' for ./x.ts and " +
        "'./dir/index.js' for ./dir/index.ts.",
    );
  });

  test("rule 5: no import reaches into a package's private build folder", () => {
    expectNone(
      violations.privateBuilds,
      `Rule 5 (private builds): import packages by their names only (the subpaths allowed are ` +
        `${ALLOWED_SUBPATHS.join(', ')}); their dist/ files are private and change without notice.`,
    );
  });

  test("rule 6: app/ imports the library only as 'tfjs-topo' and 'tfjs-topo/persistence'", () => {
    expectNone(
      violations.appEntry,
      "Rule 6 (app entry): app/ uses the library as a user would, through 'tfjs-topo' (src/index.ts) and " +
        "'tfjs-topo/persistence' (src/persistence/index.ts); its relative imports stay inside app/. Export what " +
        'the app needs from one of those entries.',
    );
  });
});
