/// <reference lib="dom" />
import { join } from 'path';
import { loadPaperImage, PAPER_EXPERIMENTS } from '../../app/demo/paper';
import { assertBuilt, removeProject, userProject } from '../package/helpers';
import { assertChromium, BrowserPage, bundleForBrowser, openPage } from './chromium';

// The library on tfjs's GPU backends, end to end in headless Chromium (SwiftShader): webgl and
// webgpu each compute the ops' values and gradients, two loss layers' fit histories, an `optimize`
// run with STUMP on the paper's blobs image and the critical smear, and must agree with the cpu
// backend in the same page. A silent fallback to cpu fails: the active backend is asserted.
// And a training step with the smeared layer reads the GPU once, the pooled tensor.

jest.setTimeout(170_000);

interface OpResult {
  pairs: number[];
  gradient: number[];
}
interface Report {
  requested: string;
  ok: boolean;
  backend: string;
  ops: Record<string, OpResult>;
  functionals: Record<string, OpResult>;
  fit: Record<string, number[]>;
  steps: Record<string, { reads: number; ms: number }>;
  optimize: number[];
  criticalSmear: number[];
}

let browser: BrowserPage | undefined;
const reports = new Map<string, Report>();

const FIXTURE = join(__dirname, 'fixtures', 'backend-checks.mjs');

beforeAll(async () => {
  assertBuilt();
  assertChromium();
  const project = userProject();
  try {
    browser = await openPage({ script: await bundleForBrowser(FIXTURE, 'topoChecks', join(project, 'node_modules')) });
  } finally {
    removeProject(project);
  }
  const blobs = loadPaperImage(PAPER_EXPERIMENTS.find((e) => e.name === 'blobs')!).values;
  const inputs = await browser.page.evaluate(
    (b) => (globalThis as never as { topoChecks: { makeInputs(b: number[]): unknown } }).topoChecks.makeInputs(b),
    Array.from(blobs),
  );
  for (const backend of ['cpu', 'webgl', 'webgpu']) {
    const report = await browser.page
      .evaluate(
        ([b, i]) =>
          (
            globalThis as never as { topoChecks: { runChecks(b: string, i: unknown): Promise<unknown> } }
          ).topoChecks.runChecks(b, i),
        [backend, inputs] as const,
      )
      .catch((e: Error) => {
        throw new Error(`${backend}: ${e.message}\n${browser!.console.join('\n')}`);
      });
    reports.set(backend, report as Report);
  }
}, 170_000);

afterAll(async () => browser?.close());

/** |a − b| ≤ tolerance · max(1, |b|) elementwise, with the first offending entry in the message. */
function expectClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  const bad = actual.findIndex(
    (a, i) => !(Math.abs(a - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i]))),
  );
  if (bad >= 0) throw new Error(`${what}: entry ${bad} is ${actual[bad]}, the cpu backend's ${expected[bad]}`);
}

describe.each(['webgl', 'webgpu'])('%s', (backend) => {
  const gpu = (): Report => reports.get(backend)!;
  const cpu = (): Report => reports.get('cpu')!;

  test('is the backend that runs: no silent fallback to cpu', () => {
    expect(cpu().backend).toBe('cpu');
    expect([gpu().ok, gpu().backend]).toEqual([true, backend]);
  });

  test('the persistence ops give the cpu backend’s pairs exactly and its gradients to 1e-6', () => {
    expect(Object.keys(gpu().ops)).toEqual([
      'cubical 2-D, T',
      'cubical 2-D, V, superlevel',
      'cubical 3-D',
      'Rips',
      'lower-star',
    ]);
    for (const [name, result] of Object.entries(gpu().ops)) {
      expect(result.pairs.length).toBeGreaterThan(0);
      expect(result.pairs).toEqual(cpu().ops[name].pairs);
      expectClose(result.gradient, cpu().ops[name].gradient, 1e-6, `${name} gradient`);
      expect(result.gradient.some((g) => g !== 0)).toBe(true);
    }
  });

  test('every functional’s gradient equals the cpu backend’s to 1e-6', () => {
    for (const [name, result] of Object.entries(gpu().functionals))
      expectClose(result.gradient, cpu().functionals[name].gradient, 1e-6, `${name} gradient`);
  });

  test('both loss layers train in model.fit as on cpu', () => {
    for (const name of ['vanilla', 'STUMP']) expectClose(gpu().fit[name], cpu().fit[name], 1e-4, `${name} fit losses`);
  });

  test('optimize with STUMP on the blobs image follows the cpu backend’s objective', () => {
    expect(gpu().optimize).toHaveLength(10);
    expectClose(gpu().optimize, cpu().optimize, 1e-4, 'objective per step');
  });

  test('the critical smear is the same', () => {
    expect(gpu().criticalSmear).toEqual(cpu().criticalSmear);
  });

  test('a training step with the smeared layer reads the GPU once more than the same model without it', () => {
    const steps = gpu().steps;
    expect(steps.STUMP.reads - steps['no topological layer'].reads).toBe(1);
    expect(steps.vanilla.reads - steps['no topological layer'].reads).toBe(1);
  });
});
