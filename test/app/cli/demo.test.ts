import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import {
  BackendEngine,
  BACKEND_PACKAGES,
  nodePackageLoader,
  PackageLoader,
  selectBackend,
} from '../../../app/cli/backend';
import { makeDemoCommand } from '../../../app/cli/demo';
import { CliError } from '../../../app/cli/errors';
import { runCli } from '../../reference/run-cli';

// `tfjs-topo demo --backend NAME`: the backend's package is loaded by the demo itself. tfjs-node
// and tfjs-backend-wasm are not installed here, so their paths run with a stand-in loader that
// records what was asked for and registers a CPU backend under the requested name.

/** A loader that knows `installed` (registering `name` for each, unless `registers` is false) and records the calls. */
function fakeLoader(installed: string[], name: string, registers = true): PackageLoader & { asked: string[] } {
  const asked: string[] = [];
  const load = async (pkg: string) => {
    asked.push(pkg);
    if (!installed.includes(pkg)) return false;
    if (registers) tf.registerBackend(name, () => new MathBackendCPU());
    return true;
  };
  return Object.assign(load, { asked });
}

/** The error `promise` rejects with, as [exit status, message]. */
async function failure(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return [(e as CliError).exitCode, (e as CliError).message];
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  for (const name of ['tensorflow', 'wasm']) if (tf.findBackendFactory(name) != null) tf.removeBackend(name);
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

describe('selectBackend', () => {
  test('cpu: loads @tensorflow/tfjs-backend-cpu through Node and selects it', async () => {
    await selectBackend('cpu', tf);
    expect(tf.getBackend()).toBe('cpu');
    expect(BACKEND_PACKAGES.cpu).toEqual(['@tensorflow/tfjs-backend-cpu']);
  });

  test("Node's loader: false for a package that is not installed, true after loading one that is", async () => {
    expect(await nodePackageLoader('@tensorflow/tfjs-backend-no-such-package')).toBe(false);
    expect(await nodePackageLoader('@tensorflow/tfjs-backend-cpu')).toBe(true);
  });

  test('tensorflow: tfjs-node-gpu when installed, without looking further', async () => {
    const load = fakeLoader(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'], 'tensorflow');
    await selectBackend('tensorflow', tf, load);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(load.asked).toEqual(['@tensorflow/tfjs-node-gpu']);
  });

  test('tensorflow: otherwise tfjs-node', async () => {
    const load = fakeLoader(['@tensorflow/tfjs-node'], 'tensorflow');
    await selectBackend('tensorflow', tf, load);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(load.asked).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  });

  test('wasm: @tensorflow/tfjs-backend-wasm', async () => {
    const load = fakeLoader(['@tensorflow/tfjs-backend-wasm'], 'wasm');
    await selectBackend('wasm', tf, load);
    expect(tf.getBackend()).toBe('wasm');
    expect(load.asked).toEqual(['@tensorflow/tfjs-backend-wasm']);
  });

  const failures: [string, string, PackageLoader, RegExp | string][] = [
    [
      'tensorflow',
      'neither package installed',
      fakeLoader([], 'tensorflow'),
      '--backend tensorflow: install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu (neither is installed)',
    ],
    [
      'wasm',
      'package not installed',
      fakeLoader([], 'wasm'),
      '--backend wasm: install @tensorflow/tfjs-backend-wasm (it is not installed)',
    ],
    [
      'tensorflow',
      'package installed but broken',
      async () => {
        throw new Error('libtensorflow.so.2: cannot open shared object file\n  at x');
      },
      '--backend tensorflow: @tensorflow/tfjs-node-gpu is installed but failed to load: libtensorflow.so.2: cannot open shared object file at x',
    ],
    [
      'tensorflow',
      'package registers nothing with this tfjs-core',
      fakeLoader(['@tensorflow/tfjs-node'], 'tensorflow', false),
      /^--backend tensorflow: @tensorflow\/tfjs-node loaded but registered no backend 'tensorflow' with this @tensorflow\/tfjs-core/,
    ],
  ];
  test.each(failures)('%s: %s is exit 1, naming what to install or fix', async (name, _why, load, message) => {
    const [code, text] = await failure(selectBackend(name, tf, load));
    expect(code).toBe(1);
    if (typeof message === 'string') expect(text).toBe(message);
    else expect(text).toMatch(message);
    expect(tf.getBackend()).toBe('cpu');
  });

  test('an unknown name is a usage error listing the known ones, and loads nothing', async () => {
    const load = fakeLoader([], 'webgl');
    expect(await failure(selectBackend('webgl', tf, load))).toEqual([
      2,
      "--backend: unknown backend 'webgl' (expected one of cpu, wasm, tensorflow)",
    ]);
    expect(await failure(selectBackend('constructor', tf, load))).toEqual([
      2,
      "--backend: unknown backend 'constructor' (expected one of cpu, wasm, tensorflow)",
    ]);
    expect(load.asked).toEqual([]);
  });

  test('a backend that fails to start, or a silent fallback to another backend, is an error', async () => {
    const engine = (started: boolean | Error, active: string): BackendEngine => ({
      findBackendFactory: () => () => new MathBackendCPU(),
      setBackend: async () => {
        if (started instanceof Error) throw started;
        return started;
      },
      getBackend: () => active,
    });
    const load = fakeLoader(['@tensorflow/tfjs-backend-wasm'], 'wasm', false);
    expect(await failure(selectBackend('wasm', engine(false, 'wasm'), load))).toEqual([
      1,
      '--backend wasm: the backend failed to start (see the warnings above)',
    ]);
    expect(await failure(selectBackend('wasm', engine(new Error('no .wasm file'), 'wasm'), load))).toEqual([
      1,
      '--backend wasm: the backend failed to start: no .wasm file',
    ]);
    expect(await failure(selectBackend('wasm', engine(true, 'cpu'), load))).toEqual([
      1,
      "--backend wasm: tfjs fell back to backend 'cpu'",
    ]);
  });
});

describe('tfjs-topo demo --backend', () => {
  test('an unknown backend is refused before anything loads, pointing at the demo help', async () => {
    const r = await runCli(['demo', '--backend', 'webgl', '--out', 'never-written']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "tfjs-topo: --backend: unknown backend 'webgl' (expected one of cpu, wasm, tensorflow) (run 'tfjs-topo help demo')\n",
    });
  });

  test('a backend whose package is missing is exit 1 naming the package, before the demo runs', async () => {
    const log: string[] = [];
    const io = {
      stdout: (t: string) => log.push(t),
      stderr: (t: string) => log.push(t),
      readFile: () => new Uint8Array(0),
    };
    const demo = makeDemoCommand(fakeLoader([], 'tensorflow'));
    expect(
      await failure(Promise.resolve(demo.run(['--backend', 'tensorflow', '--quick', '--out', 'never-written'], io))),
    ).toEqual([
      1,
      '--backend tensorflow: install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu (neither is installed)',
    ]);
    expect(log).toEqual([]);
  });

  test('--backend cpu runs a tiny part on the cpu backend, as the report says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-demo-'));
    try {
      const r = await runCli(['demo', '--backend', 'cpu', '--quick', '--only', 'smear', '--out', dir]);
      expect(r.code).toBe(0);
      expect(tf.getBackend()).toBe('cpu');
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/tfjs cpu backend/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});

describe('tfjs-topo demo --segmentation-data', () => {
  /** DIR/images and DIR/masks with `n` grey PNGs of `h` × `w`: a bright bar and its mask. */
  function folder(n: number, h: number, w: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-seg-'));
    for (const sub of ['images', 'masks']) mkdirSync(join(dir, sub));
    for (let i = 0; i < n; i++) {
      const write = (sub: string, value: (y: number, x: number) => number) => {
        const png = new PNG({ width: w, height: h });
        png.data = Buffer.alloc(w * h);
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) png.data[y * w + x] = value(y, x);
        writeFileSync(join(dir, sub, `img${i}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0 }));
      };
      const bar = (y: number) => Math.abs(y - 4 - i) < 2;
      write('images', (y, x) => (bar(y) ? 200 : 30) + ((x * 7 + y) % 20));
      write('masks', (y) => (bar(y) ? 255 : 0));
    }
    return dir;
  }

  test('trains on the user images, and the report says so', async () => {
    const data = folder(5, 16, 16);
    const out = mkdtempSync(join(tmpdir(), 'tfjs-topo-demo-'));
    try {
      const r = await runCli(['demo', '--quick', '--only', 'segmentation', '--segmentation-data', data, '--out', out]);
      expect(r.code).toBe(0);
      const summary = readFileSync(join(out, 'summary.md'), 'utf8');
      expect(summary).toContain(`your images (${data}, 5 files)`);
      expect(summary).toMatch(/16×16, 4 training and 1 test images/);
    } finally {
      rmSync(data, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 60000);

  test('images the U-Net cannot take are refused before the demo runs, naming the folder', async () => {
    const data = folder(3, 16, 24);
    try {
      const r = await runCli(['demo', '--only', 'segmentation', '--segmentation-data', data, '--out', 'never-written']);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toContain(`--segmentation-data ${data}: expected square images with sides a multiple of 8`);
      const missing = await runCli(['demo', '--segmentation-data', join(data, 'nope'), '--out', 'never-written']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`--segmentation-data ${join(data, 'nope')}:`);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
