import fc from 'fast-check';
import {
  cubicalPersistence,
  CubicalPersistence,
  lowerStarPersistence,
  LowerStarPersistence,
  PersistenceDiagram,
  RipsDiagram,
  ripsPersistence,
  ripsPersistenceFromDistances,
  RipsPersistence,
  SimplicialComplex,
} from '../../src/persistence';
import { bruteForcePersistence } from '../reference/brute-force';
import { bruteForceLowerStar } from '../reference/lower-star-brute-force';
import { bruteForceRips } from '../reference/rips-brute-force';
import { canonicalPairs, misplacedCells } from '../reference/fixtures';
import { attempt, errorProblem, jestTimeout, params } from './config';

// Property-based tests of the three persistence engines through their public entry
// (src/persistence/index.ts): random small inputs with heavy ties, −0, tiny and huge finite values,
// both dtypes, every option, in the one-call and the reusable form, must give exactly the answer of
// the brute-force boundary reductions in test/reference (values, critical cells and multiplicities);
// and malformed arguments of every kind must be refused with a clean Error naming the argument.

/* eslint-disable @typescript-eslint/no-explicit-any */

// ---------------------------------------------------------------------------------------------
// Values

const F64_SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e300,
  -1e300,
  1e-300,
  -1e-300,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2.2250738585072014e-308,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1 + 2 ** -52,
  1e154,
  1e-160,
];
const F32_SPECIAL = [
  0, -0, 1, -1, 0.5, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, -1.1754943508222875e-38,
  1.401298464324817e-45, -1.401298464324817e-45, 16777216, 16777218, 1.0000001192092896,
];

/** Numbers for one input: heavy ties, special values mixed with ties, or any finite value. */
function valuesArb(size: number, f32: boolean): fc.Arbitrary<number[]> {
  const ties = fc.integer({ min: -2, max: 2 });
  const special = fc.oneof(fc.constantFrom(...(f32 ? F32_SPECIAL : F64_SPECIAL)), ties);
  const any = f32
    ? fc.float({ noNaN: true, noDefaultInfinity: true })
    : fc.double({ noNaN: true, noDefaultInfinity: true });
  return fc
    .constantFrom<fc.Arbitrary<number>>(ties, special, any)
    .chain((pool) => fc.array(pool, { minLength: size, maxLength: size }));
}

/** The dimensions in `mask` among 0..top (undefined, i.e. all, when none), in a shuffled order. */
function dimsOf(mask: number, top: number): number[] | undefined {
  const dims = Array.from({ length: top + 1 }, (_, k) => k).filter((k) => mask & (1 << k));
  if (dims.length === 0) return undefined;
  return mask & 8 ? dims.reverse() : dims;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** First difference of two diagram lists in canonical form (pairs with cells, sorted), or null. */
function diagramsDiffer(actual: PersistenceDiagram[], expected: PersistenceDiagram[]): string | null {
  const a = actual.map((d) => ({ dim: d.dim, pairs: canonicalPairs(d) }));
  const e = expected.map((d) => ({ dim: d.dim, pairs: canonicalPairs(d) }));
  try {
    expect(a).toEqual(e); // Object.is on numbers: −0 and 0 differ, as bit-exact values should
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

// ---------------------------------------------------------------------------------------------
// Cubical

type Form = 'function' | 'class' | 'reused';

interface CubicalCase {
  shape: number[];
  f32: boolean;
  values: number[];
  warmUp: number[]; // values computed first by the reused engine
  construction: 'T' | 'V';
  superlevel: boolean;
  keepZeroLength: boolean;
  dimsMask: number;
  periodicMask: number; // bit a: axis a wraps around
  form: Form;
}

const shapeArb = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
) as fc.Arbitrary<number[]>;

const cubicalCaseArb: fc.Arbitrary<CubicalCase> = fc
  .record({
    shape: shapeArb.map((s) => [...s]),
    f32: fc.boolean(),
    construction: fc.constantFrom('T' as const, 'V' as const),
    superlevel: fc.boolean(),
    keepZeroLength: fc.boolean(),
    dimsMask: fc.integer({ min: 0, max: 15 }),
    periodicMask: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
    form: fc.constantFrom<Form>('function', 'class', 'reused'),
  })
  .chain((c) =>
    fc
      .tuple(
        valuesArb(product(c.shape), c.f32),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: product(c.shape), maxLength: product(c.shape) }),
      )
      .map(([values, warmUp]) => ({ ...c, values, warmUp })),
  );

/** The case's periodic axes, and its top homology dimension (the rank on a torus). */
function periodicOf(c: CubicalCase): { periodic: boolean[]; top: number } {
  const periodic = c.shape.map((_, a) => ((c.periodicMask >> a) & 1) === 1);
  return { periodic, top: c.shape.length - (periodic.every(Boolean) ? 0 : 1) };
}

function runCubical(c: CubicalCase, values: Float32Array | Float64Array): PersistenceDiagram[] {
  const { periodic, top } = periodicOf(c);
  const options = {
    construction: c.construction,
    superlevel: c.superlevel,
    keepZeroLength: c.keepZeroLength,
    dims: dimsOf(c.dimsMask, top),
    periodic,
  };
  if (c.form === 'function') return cubicalPersistence(values, c.shape, options);
  const engine = new CubicalPersistence(c.shape, options);
  if (c.form === 'reused') engine.compute(c.f32 ? Float32Array.from(c.warmUp) : Float64Array.from(c.warmUp));
  return engine.compute(values);
}

// ---------------------------------------------------------------------------------------------
// Rips

type RipsRegime = 'grid' | 'real' | 'extreme1d' | 'scaledGrid';

interface RipsPointsCase {
  regime: RipsRegime;
  /** scaledGrid: the points are integers times 2^exponent. */
  exponent: number;
  n: number;
  d: number;
  points: number[];
  maxDim: number;
  threshold: number | undefined;
  keepZeroLength: boolean;
  form: Form;
  /** The reused form first computes this other cloud (n × d flat, dimension d). */
  warmUp: { d: number; points: number[] };
}

const thresholdArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom(0.5, 1, Math.SQRT2, 2, 3, Infinity, 1e-300, 1e300, 5e-324) },
);

const EXTREME_1D = [0, -0, 1, -1, 2, 1e300, -1e300, 1e200, -1e200, 1e154, 2e154, 1e-300, 1e-160, 2e-160, 5e-324];

const ripsPointsArb: fc.Arbitrary<RipsPointsCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    regime: fc.constantFrom<RipsRegime>('grid', 'real', 'extreme1d', 'scaledGrid'),
    exponent: fc.constantFrom(-1070, -1060, -1020, -1000, -600, -520, 500, 520, 1000, 1020),
    dim: fc.integer({ min: 1, max: 3 }),
    maxDim: fc.integer({ min: 0, max: 2 }),
    threshold: thresholdArb,
    keepZeroLength: fc.boolean(),
    form: fc.constantFrom<Form>('function', 'class', 'reused'),
    warmUp: fc
      .record({ n: fc.integer({ min: 1, max: 9 }), d: fc.integer({ min: 1, max: 3 }) })
      .chain(({ n, d }) =>
        fc
          .array(fc.integer({ min: 0, max: 2 }), { minLength: n * d, maxLength: n * d })
          .map((points) => ({ d, points })),
      ),
  })
  .chain(({ dim, ...c }) => {
    const d = c.regime === 'extreme1d' ? 1 : dim;
    const scale = 2 ** c.exponent;
    const coordinate =
      c.regime === 'grid'
        ? fc.integer({ min: 0, max: 2 })
        : c.regime === 'real'
          ? // Reals whose squared differences stay in the doubles' normal range (extremes: the other regimes).
            fc.double({ min: -8, max: 8, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x))
          : c.regime === 'scaledGrid'
            ? fc.integer({ min: 0, max: 2 }).map((k) => k * scale)
            : fc.oneof(fc.constantFrom(...EXTREME_1D), fc.double({ noNaN: true, noDefaultInfinity: true }));
    return fc.array(coordinate, { minLength: c.n * d, maxLength: c.n * d }).map((points) => ({ ...c, d, points }));
  });

/**
 * The exact Euclidean distances, correctly rounded where the regime allows it: |a − b| in 1-D (any
 * finite coordinates; Infinity where the distance is beyond the doubles); for integers times 2^e,
 * the integer grid's distance times 2^e; otherwise the plain formula, whose squares stay in range.
 */
function referenceDistances(c: Pick<RipsPointsCase, 'regime' | 'exponent' | 'points' | 'n' | 'd'>): Float64Array {
  const { points, n, d } = c;
  const scale = c.regime === 'scaledGrid' ? 2 ** c.exponent : 1;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (d === 1) {
        m[i * n + j] = Math.abs(points[i] - points[j]);
        continue;
      }
      let s = 0;
      for (let k = 0; k < d; k++) s += (points[i * d + k] / scale - points[j * d + k] / scale) ** 2;
      m[i * n + j] = Math.sqrt(s) * scale;
    }
  return m;
}

interface RipsMatrixCase {
  n: number;
  entries: number[]; // lower triangle, colexicographic
  negativeZeroDiagonal: boolean;
  maxDim: number;
  threshold: number | undefined;
  keepZeroLength: boolean;
}

const ripsMatrixArb: fc.Arbitrary<RipsMatrixCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 7 }),
    negativeZeroDiagonal: fc.boolean(),
    maxDim: fc.integer({ min: 0, max: 2 }),
    threshold: thresholdArb,
    keepZeroLength: fc.boolean(),
    pool: fc.constantFrom<fc.Arbitrary<number>>(
      fc.constantFrom(0, 1, 1, 2, 2, 3),
      fc.constantFrom(0, -0, 1, 2, 1e300, 1e-300, 5e-324, Number.MAX_VALUE, 1e154, 3),
      fc.double({ min: 0, max: 10, noNaN: true }),
    ),
  })
  .chain(({ pool, ...c }) =>
    fc
      .array(pool, { minLength: (c.n * (c.n - 1)) / 2, maxLength: (c.n * (c.n - 1)) / 2 })
      .map((entries) => ({ ...c, entries })),
  );

function matrixOf(c: RipsMatrixCase): number[] {
  const m = new Array<number>(c.n * c.n).fill(c.negativeZeroDiagonal ? -0 : 0);
  let p = 0;
  for (let j = 1; j < c.n; j++) for (let i = 0; i < j; i++) m[i * c.n + j] = m[j * c.n + i] = c.entries[p++];
  return m;
}

/** Rips pairs as sortable strings: values and critical edges, for an exact multiset comparison. */
function ripsPairs(diagram: RipsDiagram): string[] {
  const out: string[] = [];
  const be = diagram.birthEdges;
  const de = diagram.deathEdges;
  for (let k = 0; k < diagram.births.length; k++)
    out.push(
      `${diagram.births[k]} ${diagram.deaths[k]} (${be[2 * k]},${be[2 * k + 1]}) (${de[2 * k]},${de[2 * k + 1]})`,
    );
  return out.sort();
}

function ripsDiffer(actual: RipsDiagram[], expected: RipsDiagram[]): string | null {
  const a = actual.map((d) => ({ dim: d.dim, pairs: ripsPairs(d) }));
  const e = expected.map((d) => ({ dim: d.dim, pairs: ripsPairs(d) }));
  return JSON.stringify(a) === JSON.stringify(e)
    ? null
    : `engine ${JSON.stringify(a)}\n  brute force ${JSON.stringify(e)}`;
}

// ---------------------------------------------------------------------------------------------
// Lower star

interface LowerStarCase {
  n: number;
  simplices: number[][];
  container: 'array' | 'f64' | 'f32';
  values: number[];
  superlevel: boolean;
  keepZeroLength: boolean;
  dualTop: boolean;
  dimsMask: number;
  form: Form;
  warmUp: number[]; // values computed first by the reused engine
}

const lowerStarArb: fc.Arbitrary<LowerStarCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 7 }),
    container: fc.constantFrom('array' as const, 'f64' as const, 'f32' as const),
    superlevel: fc.boolean(),
    keepZeroLength: fc.boolean(),
    dualTop: fc.boolean(),
    dimsMask: fc.integer({ min: 0, max: 15 }),
    periodicMask: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
    form: fc.constantFrom<Form>('function', 'class', 'reused'),
  })
  .chain((c) =>
    fc
      .tuple(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: c.n - 1 }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 7,
        }),
        valuesArb(c.n, c.container === 'f32'),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: c.n, maxLength: c.n }),
      )
      .map(([simplices, values, warmUp]) => ({ ...c, simplices, values, warmUp })),
  );

function lowerStarValues(c: LowerStarCase): number[] | Float32Array | Float64Array {
  return c.container === 'array'
    ? c.values.slice()
    : c.container === 'f64'
      ? Float64Array.from(c.values)
      : Float32Array.from(c.values);
}

const topOf = (simplices: number[][]) => Math.max(...simplices.map((s) => s.length - 1));

// ---------------------------------------------------------------------------------------------
// Answers equal to the brute-force references

describe('engines equal the brute-force reductions on random small inputs', () => {
  test(
    'cubicalPersistence / CubicalPersistence: 2-D and 3-D, T and V, sub- and superlevel, dims, keepZeroLength, periodic axes',
    () => {
      fc.assert(
        fc.property(cubicalCaseArb, (c) => {
          const values = c.f32 ? Float32Array.from(c.values) : Float64Array.from(c.values);
          const { periodic, top } = periodicOf(c);
          const dims = dimsOf(c.dimsMask, top);
          const expected = bruteForcePersistence(values, c.shape, { ...c, dims, periodic });
          const actual = runCubical(c, values);
          const diff = diagramsDiffer(actual, expected);
          if (diff !== null) throw new Error(diff);
          const misplaced = actual.flatMap((d) => misplacedCells(d, values));
          if (misplaced.length > 0) throw new Error(`values not at their cells: ${misplaced.join('; ')}`);
        }),
        params(500, 8000),
      );
    },
    jestTimeout(8000),
  );

  test(
    'ripsPersistence / RipsPersistence.fromPoints: grids with duplicates, reals, extreme 1-D coordinates',
    () => {
      fc.assert(
        fc.property(ripsPointsArb, (c) => {
          const reference = referenceDistances(c);
          const options = { maxDim: c.maxDim, threshold: c.threshold, keepZeroLength: c.keepZeroLength };
          const run = () => {
            if (c.form === 'function') return ripsPersistence(c.points, c.d, options);
            const engine = new RipsPersistence(options);
            if (c.form === 'reused') engine.fromPoints(c.warmUp.points, c.warmUp.d);
            return engine.fromPoints(Float64Array.from(c.points), c.d);
          };
          if (reference.some((x) => !Number.isFinite(x))) {
            // Distances beyond the doubles: a clean refusal naming the points.
            const r = attempt(run);
            if (r.ok) throw new Error('points with a distance beyond the doubles were accepted');
            const problem = errorProblem(r.error, ['points']);
            if (problem) throw new Error(problem);
            return;
          }
          const expected = bruteForceRips(reference, c.n, c.maxDim, c.threshold ?? Infinity, c.keepZeroLength);
          const r = attempt(run);
          if (!r.ok) throw new Error(`threw on a valid input: ${String(r.error)}`);
          const diff = ripsDiffer(r.value, expected);
          if (diff !== null) throw new Error(diff);
        }),
        params(500, 5000),
      );
    },
    jestTimeout(5000),
  );

  test(
    'ripsPersistenceFromDistances: ties, zeros off the diagonal, −0, tiny and huge distances',
    () => {
      fc.assert(
        fc.property(ripsMatrixArb, (c) => {
          const m = matrixOf(c);
          const options = { maxDim: c.maxDim, threshold: c.threshold, keepZeroLength: c.keepZeroLength };
          const expected = bruteForceRips(m, c.n, c.maxDim, c.threshold ?? Infinity, c.keepZeroLength);
          const r = attempt(() => ripsPersistenceFromDistances(m, c.n, options));
          if (!r.ok) throw new Error(`threw on a valid input: ${String(r.error)}`);
          const diff = ripsDiffer(r.value, expected);
          if (diff !== null) throw new Error(diff);
        }),
        params(400, 4000),
      );
    },
    jestTimeout(4000),
  );

  test(
    'lowerStarPersistence / LowerStarPersistence: random complexes, plain and typed values, every option',
    () => {
      fc.assert(
        fc.property(lowerStarArb, (c) => {
          const values = lowerStarValues(c);
          const top = topOf(c.simplices);
          const dims = dimsOf(c.dimsMask, top);
          const options = { superlevel: c.superlevel, keepZeroLength: c.keepZeroLength, dualTop: c.dualTop, dims };
          const expected = bruteForceLowerStar(c.simplices, values, options);
          const r = attempt(() => {
            if (c.form === 'function') return lowerStarPersistence(c.simplices, values, options);
            const engine = new LowerStarPersistence(SimplicialComplex.fromSimplices(c.simplices, c.n), options);
            if (c.form === 'reused') engine.compute(c.warmUp);
            return engine.compute(values);
          });
          if (!r.ok) throw new Error(`threw on a valid input: ${String(r.error)}`);
          const diff = diagramsDiffer(r.value, expected);
          if (diff !== null) throw new Error(diff);
          const misplaced = r.value.flatMap((d) => misplacedCells(d, values));
          if (misplaced.length > 0) throw new Error(`values not at their vertices: ${misplaced.join('; ')}`);
        }),
        params(500, 4000),
      );
    },
    jestTimeout(4000),
  );
});

// ---------------------------------------------------------------------------------------------
// Malformed arguments: a clean Error naming the argument, never a crash

/** Values of the wrong type for any argument. */
const WRONG_TYPES: unknown[] = [
  null,
  'abc',
  '',
  '1',
  42,
  NaN,
  true,
  {},
  Object.create(null),
  () => 1,
  Symbol('s'),
  10n,
  new Map(),
];
const wrongType = fc.constantFrom(...WRONG_TYPES);
/** Numbers that are not positive integers, and non-numbers. */
const notCount = fc.constantFrom<unknown>(
  0,
  -1,
  -0,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 53 + 0.5,
  '2',
  null,
  true,
  [2],
  10n,
);
/** Values that are not booleans. */
const notFlag = fc.constantFrom<unknown>(1, 0, 'true', '', null, NaN, {}, [], 'false');
/** Misspelt and foreign option names. */
const MISSPELT = [
  'superLevel',
  'Superlevel',
  'dim',
  'keepZeroLengths',
  'constructon',
  'maxdim',
  'thresold',
  'essential',
  'dual',
  'seed',
];

/** One malformed call: its arguments and the names its error may give. */
interface Bad {
  what: string;
  args: unknown[];
  names: string[];
  /** Only for the one-call form (the reusable one would legitimately allocate a huge engine). */
  oneCallOnly?: boolean;
}

function checkBad(bad: Bad, call: (args: unknown[]) => unknown): void {
  const r = attempt(() => call(bad.args));
  if (r.ok) throw new Error(`${bad.what}: accepted (expected an error naming ${bad.names.join(' or ')})`);
  const problem = errorProblem(r.error, bad.names);
  if (problem !== null) throw new Error(`${bad.what}: ${problem}`);
}

/** A valid cubical call: values, shape, options. */
const cubicalBase = shapeArb.chain((shape) =>
  fc.record({
    shape: fc.constant([...shape]),
    values: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: product(shape), maxLength: product(shape) }),
    f32: fc.boolean(),
  }),
);

const badCubicalArb: fc.Arbitrary<Bad> = fc
  .tuple(cubicalBase, fc.nat(), fc.integer({ min: 0, max: 13 }))
  .chain(([b, i, which]) => {
    const typed = (xs: number[]) => (b.f32 ? Float32Array.from(xs) : Float64Array.from(xs));
    const values = typed(b.values);
    const at = i % b.values.length;
    const opts = (o: unknown): Bad['args'] => [values, b.shape, o];
    switch (which) {
      case 0:
        return fc.constantFrom(NaN, Infinity, -Infinity).map((x) => {
          const v = typed(b.values);
          v[at] = x;
          return { what: `values[${at}] = ${x}`, args: [v, b.shape], names: ['values'] };
        });
      case 1:
        return fc
          .integer({ min: -values.length, max: 5 })
          .filter((k) => k !== 0)
          .map((k) => ({
            what: `values of length ${values.length + k}`,
            args: [typed(new Array(values.length + k).fill(1)), b.shape],
            names: ['values'],
          }));
      case 2:
        return fc
          .oneof(
            wrongType,
            fc.constant(b.values),
            fc.constant(Int32Array.from(b.values)),
            fc.constant(b.values.map(String)),
            fc.constant(undefined),
          )
          .map((v) => ({ what: 'values of a wrong type', args: [v, b.shape], names: ['values'] }));
      case 3:
        return fc
          .tuple(
            fc.nat(b.shape.length - 1),
            fc.constantFrom<unknown>(0, -1, -0, 1.5, NaN, Infinity, '3', null, undefined, Symbol('x'), 10n, [3]),
          )
          .map(([axis, x]) => {
            const shape: unknown[] = [...b.shape];
            shape[axis] = x;
            return { what: `shape[${axis}] = ${String(x)}`, args: [values, shape], names: ['shape'] };
          });
      case 4:
        return fc
          .oneof(
            wrongType,
            fc.constant(undefined),
            fc.constant([]),
            fc.constant([values.length]),
            fc.constant([1, 1, 1, values.length]),
            fc.constant(Int32Array.from(b.shape)),
            fc.constant({ ...Object.fromEntries(b.shape.map((x, k) => [k, x])), length: b.shape.length }),
            fc.constant(b.shape.join(',')),
          )
          .map((shape) => ({ what: 'shape of a wrong type or rank', args: [values, shape], names: ['shape'] }));
      case 5:
        return (
          fc
            .constantFrom([40000, 40000], [2 ** 16, 2 ** 16], [2 ** 31, 1], [2000, 2000, 2000], [2 ** 53, 2 ** 53])
            // The reusable form would allocate buffers for a valid 40000×40000 shape: one-call form only.
            .map((shape) => ({
              what: `shape [${shape}]`,
              args: [values, shape],
              names: ['shape', 'values'],
              oneCallOnly: true,
            }))
        );
      case 6:
        return fc
          .oneof(
            wrongType.filter((o) => typeof o !== 'object' || o === null),
            fc.constant([]),
            fc.constant(['T']),
          )
          .map((o) => ({ what: 'options of a wrong type', args: opts(o), names: ['options'] }));
      case 7:
        return fc.constantFrom<unknown>('X', 't', 'v', '', null, 0, true, ['T'], {}, 'TV').map((x) => ({
          what: `options.construction = ${String(x)}`,
          args: opts({ construction: x }),
          names: ['options.construction'],
        }));
      case 8:
        return notFlag.map((x) => ({
          what: `options.superlevel = ${String(x)}`,
          args: opts({ superlevel: x }),
          names: ['options.superlevel'],
        }));
      case 9:
        return notFlag.map((x) => ({
          what: `options.keepZeroLength = ${String(x)}`,
          args: opts({ keepZeroLength: x }),
          names: ['options.keepZeroLength'],
        }));
      case 10:
        return fc
          .constantFrom<unknown>(
            [b.shape.length],
            [-1],
            [0.5],
            [0, 0],
            ['0'],
            [],
            '0',
            0,
            null,
            [NaN],
            [Infinity],
            [0, 1, 2, 3],
            [1, 0, 1],
            [10n],
            {},
          )
          .map((x) => ({
            what: `options.dims = ${JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
            args: opts({ dims: x }),
            names: ['options.dims'],
          }));
      case 11:
        return fc.constantFrom(...MISSPELT).map((key) => ({
          what: `options.${key} (unknown option)`,
          args: opts({ [key]: key === 'dim' ? [0] : true }),
          names: [`options.${key}`],
        }));
      default:
        return fc.constant({
          what: 'values as a DataView',
          args: [new DataView(new ArrayBuffer(8 * values.length)), b.shape],
          names: ['values'],
        });
    }
  });

interface RipsBase {
  n: number;
  d: number;
  points: number[];
}

const ripsBase: fc.Arbitrary<RipsBase> = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, d }) =>
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: n * d, maxLength: n * d })
      .map((points) => ({ n, d, points })),
  );

/** Malformed calls of ripsPersistence (args: points, dimension, options) and of the distance form (args: 'matrix', m, n, options). */
const badRipsArb: fc.Arbitrary<Bad> = fc
  .tuple(ripsBase, fc.nat(), fc.integer({ min: 0, max: 16 }))
  .chain(([b, i, which]) => {
    const at = i % b.points.length;
    const m = referenceDistances({ ...b, regime: 'grid', exponent: 0 });
    const withOptions = (o: unknown, names: string[], what: string): Bad => ({ what, args: [b.points, b.d, o], names });
    switch (which) {
      case 0:
        return fc
          .constantFrom<unknown>(NaN, Infinity, -Infinity, '1', null, undefined, {}, 10n, Symbol('p'))
          .map((x) => {
            const points: unknown[] = [...b.points];
            points[at] = x;
            return { what: `points[${at}] = ${String(x)}`, args: [points, b.d], names: ['points'] };
          });
      case 1:
        return fc
          .oneof(wrongType, fc.constant(undefined), fc.constant(new DataView(new ArrayBuffer(8))), fc.constant([]))
          .map((p) => ({ what: 'points of a wrong type, or none', args: [p, b.d], names: ['points'] }));
      case 2:
        return fc.constant({
          what: `points of length ${b.points.length} in dimension ${b.points.length + 1}`,
          args: [b.points, b.points.length + 1],
          names: ['points', 'dimension'],
        });
      case 3:
        return notCount.map((d) => ({ what: `dimension = ${String(d)}`, args: [b.points, d], names: ['dimension'] }));
      case 4:
        return fc
          .oneof(
            wrongType.filter((o) => typeof o !== 'object' || o === null),
            fc.constant([]),
          )
          .map((o) => withOptions(o, ['options'], 'options of a wrong type'));
      case 5:
        return fc
          .constantFrom<unknown>(3, -1, 1.5, '1', NaN, null, true, Infinity, [1], 10n)
          .map((x) => withOptions({ maxDim: x }, ['options.maxDim'], `options.maxDim = ${String(x)}`));
      case 6:
        return fc
          .constantFrom<unknown>(0, -0, -1, NaN, '1', null, true, -Infinity, [1], 10n)
          .map((x) => withOptions({ threshold: x }, ['options.threshold'], `options.threshold = ${String(x)}`));
      case 7:
        return notFlag.map((x) =>
          withOptions({ keepZeroLength: x }, ['options.keepZeroLength'], `options.keepZeroLength = ${String(x)}`),
        );
      case 8:
        return fc
          .constantFrom(...MISSPELT)
          .map((key) => withOptions({ [key]: 1 }, [`options.${key}`], `options.${key} (unknown option)`));
      // The distance-matrix form: args ['matrix', matrix, n, options].
      case 9:
        return fc.constantFrom<unknown>(NaN, Infinity, -1, -5e-324, '1', null, undefined, 10n).map((x) => {
          const mm: unknown[] = Array.from(m);
          const [r, s] = [at % b.n, (at + 1) % b.n];
          mm[r * b.n + s] = x;
          mm[s * b.n + r] = x;
          return { what: `distances (${r}, ${s}) = ${String(x)}`, args: ['matrix', mm, b.n], names: ['distances'] };
        });
      case 10:
        return fc.constant(null).map(() => {
          const n = Math.max(b.n, 2);
          const mm = n === b.n ? Array.from(m) : [0, 1, 1, 0];
          mm[1] += 0.5; // (0, 1) ≠ (1, 0)
          return { what: 'an asymmetric matrix', args: ['matrix', mm, n], names: ['distances'] };
        });
      case 11:
        return fc.constantFrom(1, 5e-324, NaN, -1).map((x) => {
          const mm = Array.from(m);
          mm[(at % b.n) * (b.n + 1)] = x;
          return { what: `distances diagonal = ${x}`, args: ['matrix', mm, b.n], names: ['distances'] };
        });
      case 12:
        return notCount.map((n) => ({
          what: `n = ${String(n)}`,
          args: ['matrix', Array.from(m), n],
          names: ['n', 'distances'],
        }));
      case 13:
        return fc.constant(b.n + 1).map((n) => ({
          what: `n = ${n} for a ${b.n}×${b.n} matrix`,
          args: ['matrix', Array.from(m), n],
          names: ['distances', 'n'],
        }));
      case 14:
        return fc
          .oneof(wrongType, fc.constant(undefined))
          .map((x) => ({ what: 'distances of a wrong type', args: ['matrix', x, b.n], names: ['distances'] }));
      case 15:
        return fc.constantFrom(...MISSPELT).map((key) => ({
          what: `options.${key} (unknown option)`,
          args: ['matrix', Array.from(m), b.n, { [key]: 1 }],
          names: [`options.${key}`],
        }));
      default:
        return fc
          .constantFrom<unknown>({ maxDim: 2.5 }, { threshold: 'Infinity' }, { maxDim: 0, threshold: NaN })
          .map((o) => withOptions(o, ['options.maxDim', 'options.threshold'], `options ${JSON.stringify(o)}`));
    }
  });

function callRips(args: unknown[]): unknown {
  if (args[0] === 'matrix') return ripsPersistenceFromDistances(args[1] as number[], args[2] as number, args[3] as any);
  return ripsPersistence(args[0] as number[], args[1] as number, args[2] as any);
}

interface LowerStarBase {
  n: number;
  simplices: number[][];
  values: number[];
}

const lowerStarBase: fc.Arbitrary<LowerStarBase> = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    simplices: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 4,
    }),
    values: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
  }),
);

/** Malformed lower-star calls: args [simplices | complex, values, options, form]. */
const badLowerStarArb: fc.Arbitrary<Bad> = fc
  .tuple(lowerStarBase, fc.nat(), fc.integer({ min: 0, max: 11 }))
  .chain(([b, i, which]) => {
    const s = i % b.simplices.length;
    const opts = (o: unknown, names: string[], what: string): Bad => ({
      what,
      args: [b.simplices, b.values, o],
      names,
    });
    switch (which) {
      case 0:
        return fc
          .constantFrom<unknown>(b.n, b.n + 100, -1, 1.5, NaN, Infinity, '0', null, undefined, 2 ** 31, 10n)
          .map((x) => {
            const simplices: unknown[][] = b.simplices.map((t) => [...t]);
            simplices[s].push(x);
            return {
              what: `vertex ${String(x)} in simplices[${s}]`,
              args: [simplices, b.values],
              names: ['simplices', 'values'],
            };
          });
      case 1:
        return fc.constant(null).map(() => {
          const simplices = b.simplices.map((t) => [...t]);
          simplices[s].push(simplices[s][0]);
          return { what: `a repeated vertex in simplices[${s}]`, args: [simplices, b.values], names: ['simplices'] };
        });
      case 2:
        return fc.oneof(wrongType, fc.constant(undefined), fc.constant([])).map((x) => {
          const simplices: unknown[] = b.simplices.map((t) => [...t]);
          simplices[s] = x;
          return { what: `simplices[${s}] of a wrong type`, args: [simplices, b.values], names: ['simplices'] };
        });
      case 3:
        return fc.oneof(wrongType, fc.constant(undefined), fc.constant([])).map((x) => ({
          what: 'simplices of a wrong type, or none',
          args: [x, b.values],
          names: ['simplices', 'complex'],
        }));
      case 4:
        return fc.constantFrom<unknown>(NaN, Infinity, -Infinity, '1', null, undefined, {}, 10n).map((x) => {
          const values: unknown[] = [...b.values];
          values[i % b.n] = x;
          return { what: `values[${i % b.n}] = ${String(x)}`, args: [b.simplices, values], names: ['values'] };
        });
      case 5:
        return fc.oneof(wrongType, fc.constant(undefined), fc.constant([])).map((v) => ({
          what: 'values of a wrong type or length',
          args: [b.simplices, v],
          names: ['values', 'simplices'],
        }));
      case 6:
        return fc
          .oneof(
            wrongType.filter((o) => typeof o !== 'object' || o === null),
            fc.constant([]),
          )
          .map((o) => opts(o, ['options'], 'options of a wrong type'));
      case 7:
        return fc
          .tuple(fc.constantFrom('superlevel', 'keepZeroLength', 'dualTop'), notFlag)
          .map(([key, x]) => opts({ [key]: x }, [`options.${key}`], `options.${key} = ${String(x)}`));
      case 8:
        return fc
          .constantFrom<unknown>([4], [-1], [0.5], [0, 0], ['0'], [], '0', 0, null, [NaN])
          .map((x) => opts({ dims: x }, ['options.dims'], `options.dims = ${JSON.stringify(x)}`));
      case 9:
        return fc
          .constantFrom(...MISSPELT.filter((k) => k !== 'dual'))
          .map((key) => opts({ [key]: true }, [`options.${key}`], `options.${key} (unknown option)`));
      case 10:
        return fc.constantFrom(-1, 1).map((k) => ({
          what: `values of length ${b.n + k} for a complex of ${b.n} vertices (class form)`,
          args: ['class', SimplicialComplex.fromSimplices(b.simplices, b.n), new Array(b.n + k).fill(0)],
          names: ['values'],
        }));
      default:
        return fc.oneof(wrongType, fc.constant(b.simplices)).map((c) => ({
          what: 'complex (class form) of a wrong type',
          args: ['class', c, b.values],
          names: ['complex'],
        }));
    }
  });

function callLowerStar(args: unknown[]): unknown {
  if (args[0] === 'class') return new LowerStarPersistence(args[1] as any).compute(args[2] as number[]);
  return lowerStarPersistence(args[0] as number[][], args[1] as number[], args[2] as any);
}

describe('malformed arguments are refused with a clean error naming the argument', () => {
  const budget = 3000;
  test(
    'cubicalPersistence and CubicalPersistence',
    () => {
      fc.assert(
        fc.property(badCubicalArb, fc.boolean(), (bad, asClass) =>
          checkBad(bad, (args) =>
            asClass && !bad.oneCallOnly
              ? new CubicalPersistence(args[1] as number[], args[2] as any).compute(args[0] as Float64Array)
              : cubicalPersistence(args[0] as Float64Array, args[1] as number[], args[2] as any),
          ),
        ),
        params(1000, budget),
      );
    },
    jestTimeout(budget),
  );

  test(
    'ripsPersistence and ripsPersistenceFromDistances',
    () => {
      fc.assert(
        fc.property(badRipsArb, (bad) => checkBad(bad, callRips)),
        params(1000, budget),
      );
    },
    jestTimeout(budget),
  );

  test(
    'lowerStarPersistence and LowerStarPersistence',
    () => {
      fc.assert(
        fc.property(badLowerStarArb, (bad) => checkBad(bad, callLowerStar)),
        params(1000, budget),
      );
    },
    jestTimeout(budget),
  );
});
