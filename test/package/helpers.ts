// What the packaging tests share: the built package's place, a user's project beside it, child
// processes, and a browser-like global for running bundles in a Node `vm` context.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { TextDecoder, TextEncoder } from 'util';

/** The repository root, which is the package. */
export const ROOT = resolve(__dirname, '..', '..');

/** The build outputs the tests read (`node scripts/build.js` makes them; `npm test` builds first). */
const BUILT = [
  'dist/index.js',
  'dist/persistence/index.js',
  'dist/esm/index.js',
  'dist/esm/persistence/index.js',
  'dist/esm/package.json',
  'dist/tfjs-topo.min.js',
  'app/dist/cli.js',
];

/** Throws, naming what is missing, when the package has not been built: these tests never skip. */
export function assertBuilt(): void {
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length > 0)
    throw new Error(
      `The package is not built (missing ${missing.join(', ')}): run \`node scripts/build.js\` first (\`npm test\` builds before jest).`,
    );
}

/**
 * A user's project in a temporary folder: node_modules/tfjs-topo is a link to this package (as
 * `npm install ../tfjs-topo` makes it) and node_modules/@tensorflow one to the installed tfjs
 * packages (the app's own dependencies). Returns the folder; remove it with `removeProject`.
 */
export function userProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-package-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'tfjs-topo'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@tensorflow'), join(dir, 'node_modules', '@tensorflow'), 'dir');
  return dir;
}

export function removeProject(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** Runs `node file` in `cwd` and returns its stdout parsed as JSON (the last line that is JSON). */
export function runNode(file: string, cwd: string, args: string[] = []): unknown {
  const child = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  const out = child.stdout ?? '';
  if (child.status !== 0)
    throw new Error(
      `node ${file} failed (exit ${child.status}, ${child.signal ?? 'no signal'}, ${child.error?.message ?? 'no error'}):\n${out}\n${child.stderr ?? ''}`,
    );
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`node ${file} printed no JSON:\n${out}`);
  return JSON.parse(line);
}

/**
 * A global object for `vm.createContext` that tfjs takes for a browser page: `window` and `document`
 * exist (tfjs's IS_BROWSER), `process` does not (so not IS_NODE), and the timers, `performance`,
 * text codecs and `fetch` that its browser platform calls. The context's own built-ins (Float32Array,
 * Promise, …) are its own, as a page's are.
 */
export function browserGlobal(): Record<string, unknown> {
  const g: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
    TextEncoder,
    TextDecoder,
    fetch: () => Promise.reject(new Error('no network in this test')),
    navigator: { userAgent: 'Mozilla/5.0 (tfjs-topo package test)', platform: 'test' },
    location: { href: 'http://localhost/', protocol: 'http:' },
    document: {},
  };
  g.window = g;
  g.self = g;
  return g;
}

/** Module paths of an esbuild metafile as absolute paths ('(disabled):x' marks a stubbed module). */
export function absoluteInputs(inputs: Record<string, unknown>, workingDir: string): string[] {
  return Object.keys(inputs).map((p) => {
    const disabled = p.startsWith('(disabled):');
    const bare = disabled ? p.slice('(disabled):'.length) : p;
    const abs = bare.includes('/') || bare.includes('.') ? resolve(workingDir, bare) : bare;
    return disabled ? `(disabled):${abs}` : abs;
  });
}
