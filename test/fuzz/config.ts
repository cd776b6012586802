import fc from 'fast-check';

/**
 * Shared settings of the property-based (fuzz) tests in test/fuzz.
 *
 * - `FUZZ_SEED`: the seed of every property (default a fixed one, so `npm test` is deterministic).
 *   fast-check prints the seed and the counterexample's path on failure; rerun one property with
 *   `FUZZ_SEED=<seed> npx jest test/fuzz -t '<test name>'`.
 * - `FUZZ_SCALE`: multiplies every property's number of runs and its time budget (default 1, the
 *   short run of `npm test`; `npm run fuzz` uses 20).
 * - `FUZZ_RUNS`: the number of runs of every property, whatever its default (overrides the scale;
 *   the time budget still applies).
 * - `FUZZ_KNOWN_BUGS=1`: check the input categories listed as known bugs too (see known-bugs.ts);
 *   by default the properties leave them out, and a test per known bug checks that it still
 *   reproduces.
 */

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const x = Number(raw);
  if (!Number.isFinite(x)) throw new Error(`${name}: expected a number, got '${raw}'`);
  return x;
}

/** The seed of every property. */
export const SEED = Math.trunc(envNumber('FUZZ_SEED') ?? 20250611);

/** Multiplier of runs and time budgets. */
export const SCALE = Math.max(envNumber('FUZZ_SCALE') ?? 1, 0.01);

const FIXED_RUNS = envNumber('FUZZ_RUNS');

/** Whether the known-bug categories are checked as well (FUZZ_KNOWN_BUGS=1). */
export const CHECK_KNOWN_BUGS = process.env.FUZZ_KNOWN_BUGS === '1';

/** The number of runs of a property whose default (scale 1) is `base`. */
export function runs(base: number): number {
  return Math.max(1, Math.round(FIXED_RUNS ?? base * SCALE));
}

/**
 * fast-check parameters: the shared seed, `runs(base)` runs, and a time budget (`budgetMs`, scaled)
 * after which the property stops early and passes with the runs done so far, so that a slow or busy
 * machine shortens the run instead of failing it.
 */
export function params<T>(base: number, budgetMs = 4000, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return {
    seed: SEED,
    numRuns: runs(base),
    interruptAfterTimeLimit: Math.round(budgetMs * SCALE),
    markInterruptAsFailure: false,
    ...extra,
  };
}

/** Jest's timeout for a test that runs properties with a total budget of `budgetMs` (scaled). */
export function jestTimeout(budgetMs: number): number {
  return Math.round(budgetMs * SCALE) + 30_000;
}

// ---------------------------------------------------------------------------------------------
// What an error must look like

/** Error classes that mean "the code crashed", not "the input was refused". */
const CRASH_CLASSES = ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'InternalError'];

/** Phrases of JavaScript's own errors: a message holding one comes from a crash, even if wrapped. */
const CRASH_PHRASES = [
  /Cannot (read|set) propert/i,
  /Cannot destructure/i,
  /Cannot convert undefined or null/i,
  /is not a function/i,
  /is not iterable/i,
  /is not defined/i,
  /Maximum call stack/i,
  /Invalid (typed )?array length/i,
  /Array buffer allocation failed/i,
  /out of memory/i,
  /\bundefined \(reading/i,
];

/** Anything that looks like a stack frame. */
const STACK_FRAME = /\n\s+at |\bat \S+ \(.*:\d+:\d+\)|\(?(node:internal|\/[\w./-]+\.(ts|js)):\d+:\d+\)?/;

/** Line breaks of any kind: a one-line message has none. */
const LINE_BREAK = /[\r\n\u2028\u2029]/;

/** The longest message accepted (a message quoting a whole input is not a clear one). */
export const MAX_MESSAGE_LENGTH = 2000;

/** Class name of a thrown value, across realms (errors from Node's own code come from another one). */
export function errorClass(e: unknown): string {
  if (e === null || typeof e !== 'object') return typeof e;
  const ctor = (e as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' ? ctor.name : 'object';
}

function isErrorObject(e: unknown): e is Error {
  return e instanceof Error || Object.prototype.toString.call(e) === '[object Error]';
}

/**
 * What is wrong with `e` as the error of a refused input, or null when it is a clean one: an Error
 * (not a TypeError, RangeError, …) whose message is one short line, without stack frames or the
 * phrases of a crash, and (given `names`) mentions one of `names` — the argument at fault.
 */
export function errorProblem(e: unknown, names?: readonly string[]): string | null {
  if (!isErrorObject(e)) return `threw a non-Error: ${safeString(e)}`;
  return thrownProblem({ cls: errorClass(e), name: String(e.name), message: String(e.message) }, names);
}

/** A thrown Error as plain data (what a worker sends back). */
export interface ThrownError {
  /** Class name of the thrown value; 'non-Error' for a value that is no Error. */
  cls: string;
  name: string;
  message: string;
}

/** `errorProblem` for an error described as plain data. */
export function thrownProblem(e: ThrownError, names?: readonly string[]): string | null {
  const { cls, message } = e;
  if (cls === 'non-Error') return `threw a non-Error: ${message}`;
  const shown = `${cls}: ${message.length > 300 ? message.slice(0, 300) + '…' : message}`;
  if (CRASH_CLASSES.includes(cls) || CRASH_CLASSES.includes(e.name)) return `crashed with ${shown}`;
  if (message.trim() === '') return `threw an ${cls} without a message`;
  if (LINE_BREAK.test(message)) return `message is not one line: ${JSON.stringify(message.slice(0, 300))}`;
  if (STACK_FRAME.test(message)) return `message holds a stack frame: ${shown}`;
  const phrase = CRASH_PHRASES.find((p) => p.test(message));
  if (phrase) return `message is a crash's (${phrase}): ${shown}`;
  if (message.length > MAX_MESSAGE_LENGTH) return `message is ${message.length} characters long: ${shown}`;
  if (names && names.length > 0 && !names.some((n) => message.includes(n)))
    return `message does not name ${names.map((n) => `'${n}'`).join(' or ')}: ${shown}`;
  return null;
}

/** `String(x)`, for values (symbols, null-prototype objects) that a template literal would choke on. */
export function safeString(x: unknown): string {
  try {
    return String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}

/** Throws (for fast-check to report, with the counterexample) unless `e` is a clean error. */
export function expectCleanError(e: unknown, names?: readonly string[]): void {
  const problem = errorProblem(e, names);
  if (problem !== null) throw new Error(problem);
}

/** The error `f` throws, or `undefined` (and its result) when it returns. */
export function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** `attempt` for async functions. */
export async function attemptAsync<T>(
  f: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}
