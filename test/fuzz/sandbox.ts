import * as path from 'path';
import { Worker } from 'worker_threads';
import { ThrownError } from './config';

/**
 * Runs functions of the project's TypeScript modules in a worker thread, so that a call that never
 * returns (an infinite loop on a malformed file) is stopped after a timeout and reported as a hang
 * instead of freezing the test run. The worker compiles the sources with @swc/core as Jest does;
 * modules are loaded once and reused across calls. Arguments and results cross by structured clone
 * (typed arrays included); a thrown value comes back as plain data (`ThrownError`).
 */

export type Outcome =
  | { kind: 'value'; value: unknown; ms: number }
  | { kind: 'threw'; error: ThrownError; ms: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'crash'; message: string; ms: number };

const ROOT = path.join(__dirname, '..', '..');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const swc = require(workerData.swc);
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2020' },
  });
  module._compile(code, filename);
};
function thrown(e) {
  const isError = e instanceof Error || Object.prototype.toString.call(e) === '[object Error]';
  if (!isError) {
    let text;
    try { text = String(e); } catch { text = Object.prototype.toString.call(e); }
    return { cls: 'non-Error', name: '', message: text };
  }
  const ctor = e.constructor;
  return { cls: ctor && typeof ctor.name === 'string' ? ctor.name : 'object', name: String(e.name), message: String(e.message) };
}
parentPort.on('message', ({ id, file, fn, args }) => {
  const t0 = performance.now();
  let reply;
  try {
    const value = require(file)[fn](...args);
    reply = { id, kind: 'value', value };
  } catch (e) {
    reply = { id, kind: 'threw', error: thrown(e) };
  }
  reply.ms = performance.now() - t0;
  try {
    parentPort.postMessage(reply);
  } catch (e) {
    parentPort.postMessage({ id, kind: 'crash', message: 'result not cloneable: ' + String(e), ms: reply.ms });
  }
});
`;

export class Sandbox {
  private worker: Worker | null = null;
  private nextId = 0;
  private waiting: ((o: Outcome) => void) | null = null;

  /** Calls `fn` exported by `file` (relative to the project root) with `args`, at most `timeoutMs`. */
  call(file: string, fn: string, args: unknown[], timeoutMs: number): Promise<Outcome> {
    if (this.waiting) {
      // A call abandoned by its caller (a property interrupted by its time budget): start afresh.
      this.waiting({ kind: 'crash', message: 'abandoned', ms: 0 });
      this.stop();
    }
    const worker = this.start();
    const id = this.nextId++;
    const t0 = performance.now();
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.stop();
        finish({ kind: 'hang', ms: performance.now() - t0 });
      }, timeoutMs);
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        this.waiting = null;
        resolve(o);
      };
      this.waiting = (o) => finish(o);
      worker.postMessage({ id, file: path.join(ROOT, file), fn, args });
    });
  }

  /** Stops the worker (the next call starts a fresh one). */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { swc: require.resolve('@swc/core') },
      // The stack of the main thread (V8 gives workers 4 MB), so that deep recursion fails as it would there.
      resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: 1 },
    });
    // Events of a worker already stopped (after a hang) are ignored.
    worker.on('message', (m: Outcome & { id: number }) => {
      if (this.worker !== worker) return;
      const { id: _id, ...outcome } = m;
      this.waiting?.(outcome as Outcome);
    });
    const died = (message: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.waiting?.({ kind: 'crash', message, ms: 0 });
    };
    worker.on('error', (e) => died(`worker died: ${String(e)}`));
    worker.on('exit', (code) => died(`worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}
