import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import {
  BlockSmear,
  cubicalPersistence,
  bettiLoss,
  LabelTerm,
  layers,
  losses,
  optimize,
  persistenceDiagrams,
  topKLifetimes,
  totalPersistence,
  wassersteinLoss,
} from '../../src';
import { mulberry32 } from '../reference/mulberry32';
import { attemptAsync, errorProblem, jestTimeout, params, safeString } from './config';

// Property-based tests of the options of the public factories and calls: layers.vanillaTopoLoss,
// layers.smearedTopoLoss, layers.persLay, losses.topological, new LabelTerm, optimize, persistenceDiagrams,
// new BlockSmear and the functionals. Each case takes a valid configuration and changes one thing —
// a field set to a value of any kind (valid, wrong type, NaN, ±Infinity, negative, huge, −0, …), a
// required field removed, a misspelt key added at any level, the whole argument replaced — and a
// specification written here from the documentation says whether the result is valid, invalid, or
// depends on the input ("late"). Then:
// - valid: construction and one use on a small input succeed;
// - invalid: construction (or the call) throws a clean Error naming the argument's full path
//   (`args.smear.noise`, `config.patch.size`, `options.functional.p`), before any use;
// - late: either, with a clean error.
// Never a TypeError ("Cannot destructure …"), a RangeError or a message without the path.

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---------------------------------------------------------------------------------------------
// Specifications

type Verdict = 'valid' | 'invalid' | 'late';
/** The verdict on a field's value, given the whole configuration it sits in. */
type Check = (v: unknown, config: any) => Verdict;

const ok = (b: boolean): Verdict => (b ? 'valid' : 'invalid');
/** The worse of two verdicts: invalid, then late, then valid. */
const worst = (a: Verdict, b: Verdict): Verdict =>
  a === 'invalid' || b === 'invalid' ? 'invalid' : a === 'late' ? a : b;
const isNumber = (v: unknown): v is number => typeof v === 'number';
const finite = (v: unknown) => isNumber(v) && Number.isFinite(v);
const int = (v: unknown): v is number => isNumber(v) && Number.isInteger(v);

const optional =
  (check: Check): Check =>
  (v, c) =>
    v === undefined ? 'valid' : check(v, c);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    ok(values.includes(v));
const flag: Check = (v) => ok(typeof v === 'boolean');
const finiteNumber: Check = (v) => ok(finite(v));
/** A number ≥ lo that float32 holds (a setting that becomes a float32 tensor). */
const float32AtLeast =
  (lo: number): Check =>
  (v) =>
    ok(isNumber(v) && v >= lo && v <= 3.4028234663852886e38);
const integer =
  (lo: number, hi = Infinity): Check =>
  (v) =>
    ok(int(v) && v >= lo && v <= hi);
/** Homology dimensions of a 2-D input: 0 and 1 valid, 2 only for volumes (late), others invalid. */
const dimsList: Check = (v) => {
  if (!Array.isArray(v) || v.length === 0 || new Set(v).size !== v.length) return 'invalid';
  if (!v.every((k) => int(k) && k >= 0 && k <= 2)) return 'invalid';
  return v.includes(2) ? 'late' : 'valid';
};
/** One homology dimension: `late` beyond 1 (not computed for the 2-D inputs used here). */
const singleDim: Check = (v) => (!int(v) || v < 0 ? 'invalid' : v > 1 ? 'late' : 'valid');
/** A dimension or a non-empty list of them (totalPersistence, topK). */
const dimOrDims: Check = (v) => {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((k) => int(k) && k >= 0)) return 'invalid';
  return list.some((k) => k > 1) ? 'late' : 'valid';
};
/** [lo, hi] with null for an open end, lo ≤ hi, no NaN. */
const range: Check = (v) => {
  if (!Array.isArray(v) || v.length !== 2) return 'invalid';
  if (!v.every((x) => x === null || (isNumber(x) && !Number.isNaN(x)))) return 'invalid';
  const [lo, hi] = [v[0] ?? -Infinity, v[1] ?? Infinity];
  return ok(lo <= hi);
};
const targetDiagram: Check = (v) =>
  ok(Array.isArray(v) && v.every((t) => Array.isArray(t) && t.length === 2 && t.every(finite)));
/** A Betti count, or one per map (the inputs here have one map: another length is late). */
const bettiCount: Check = (v) => {
  if (Array.isArray(v)) return !v.every((b) => int(b) && b >= 0) ? 'invalid' : v.length === 1 ? 'valid' : 'late';
  return ok(int(v) && v >= 0);
};
/** A block size or one per axis; blocks larger than the 5×5 or 6×6 inputs, or 3-D blocks, are late. */
const block: Check = (v) => {
  const okSize = (k: unknown) => int(k) && Number.isSafeInteger(k) && k >= 1;
  if (okSize(v)) return (v as number) > 5 ? 'late' : 'valid';
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3) || !v.every(okSize)) return 'invalid';
  return v.length === 3 || v.some((k) => k > 5) ? 'late' : 'valid';
};
/** An exponent p ≥ 1; a huge one is valid but may overflow a step (an error then is fine). */
const exponent: Check = (v) => (!finite(v) || (v as number) < 1 ? 'invalid' : (v as number) > 100 ? 'late' : 'valid');
/** A finite weight; beyond float32's range the weighted term overflows (late). */
const weight: Check = (v) => (!finite(v) ? 'invalid' : Math.abs(v as number) > 1e30 ? 'late' : 'valid');
const seed: Check = (v) => ok(isNumber(v) && Number.isSafeInteger(v));

interface FunctionalSpec {
  kind: string;
  fields: Record<string, Check>;
  required: string[];
}

const GRADIENT_TARGET = optional(oneOf('birth', 'death', 'both'));
const FUNCTIONALS: FunctionalSpec[] = [
  {
    kind: 'totalPersistence',
    required: [],
    fields: {
      dim: optional(dimOrDims),
      birthRange: optional(range),
      lifetimeRange: optional(range),
      p: optional(exponent),
      target: GRADIENT_TARGET,
      goal: optional(oneOf('minimize', 'maximize')),
      reduction: optional(oneOf('sum', 'mean')),
    },
  },
  {
    kind: 'topK',
    required: ['k'],
    fields: {
      dim: optional(dimOrDims),
      birthRange: optional(range),
      lifetimeRange: optional(range),
      k: integer(1),
      p: optional(exponent),
      target: GRADIENT_TARGET,
      goal: optional(oneOf('minimize', 'maximize')),
      reduction: optional(oneOf('sum', 'mean')),
    },
  },
  {
    kind: 'betti',
    required: ['dim', 'betti'],
    fields: {
      dim: singleDim,
      betti: bettiCount,
      lifetime: optional((v) =>
        !finite(v) || Math.abs(v as number) > 3.4028234663852886e38
          ? 'invalid'
          : Math.abs(v as number) > 1e15
            ? 'late'
            : 'valid',
      ),
      p: optional(exponent),
      target: GRADIENT_TARGET,
      reduction: optional(oneOf('sum', 'mean')),
    },
  },
  {
    kind: 'wasserstein',
    required: ['dim', 'target'],
    fields: {
      dim: singleDim,
      target: targetDiagram,
      p: optional(exponent),
      internalP: (v) => (v === undefined || v === null ? 'valid' : ok(isNumber(v) && v >= 1)),
      maxPoints: optional(integer(1)),
      reduction: optional(oneOf('sum', 'mean')),
    },
  },
];

/** Valid functional configurations (the bases that mutations start from). */
const functionalArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('totalPersistence'),
      dim: fc.constantFrom(0, 1, [0, 1]),
      p: fc.constantFrom(1, 2),
      lifetimeRange: fc.constantFrom([0.01, null], [null, null]),
      target: fc.constantFrom('birth', 'death', 'both'),
      goal: fc.constantFrom('minimize', 'maximize'),
      reduction: fc.constantFrom('sum', 'mean'),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    {
      kind: fc.constant('topK'),
      k: fc.integer({ min: 1, max: 3 }),
      dim: fc.constantFrom(0, 1),
      birthRange: fc.constant([0, 1]),
    },
    { requiredKeys: ['kind', 'k'] },
  ),
  fc.record(
    {
      kind: fc.constant('betti'),
      dim: fc.constantFrom(0, 1),
      betti: fc.integer({ min: 0, max: 2 }),
      lifetime: fc.constant(1),
      p: fc.constant(2),
    },
    { requiredKeys: ['kind', 'dim', 'betti'] },
  ),
  fc.record(
    {
      kind: fc.constant('wasserstein'),
      dim: fc.constantFrom(0, 1),
      target: fc.constantFrom(
        [[0, 1]],
        [],
        [
          [0.2, 0.9],
          [0.5, 0.6],
        ],
      ),
      internalP: fc.constantFrom(1, 2, Infinity, null),
      maxPoints: fc.constantFrom(1, 16),
    },
    { requiredKeys: ['kind', 'dim', 'target'] },
  ),
);

/** One use of what was built: the value of the term (a valid configuration must give a finite one). */
type Use = () => Promise<number | undefined>;

/** The fields of a configuration (dotted paths) with their checks; `functional` holds a functional config. */
interface ApiSpec {
  /** The argument's name in messages: args, options, config. */
  root: string;
  /** Whether the argument may be omitted. */
  optionalRoot: boolean;
  fields: Record<string, Check>;
  required: string[];
  /** Objects within the configuration (dotted paths) that refuse unknown keys. */
  objects: string[];
  /**
   * Builds the thing (throws at construction) and returns its one use (throws at use). One-call
   * APIs (functions, optimize) do everything in `build`.
   */
  build(config: any): Use | Promise<Use>;
  /** The name an error gives a field, when it is not `root.path` (a separate parameter). */
  nameOf?: (path: string) => string | undefined;
  base: fc.Arbitrary<Record<string, unknown>>;
}

const PERSISTENCE_FIELDS: Record<string, Check> = {
  construction: optional(oneOf('T', 'V')),
  superlevel: optional(flag),
  dims: optional(dimsList),
  essential: optional(oneOf('drop', 'clip')),
};
const persistenceBase = {
  construction: fc.constantFrom('T', 'V'),
  superlevel: fc.boolean(),
  dims: fc.constantFrom([0], [1], [0, 1], [1, 0]),
  essential: fc.constantFrom('drop', 'clip'),
};

const STAGE_FIELDS: Record<string, Check> = {
  block: optional(block),
  noise: optional(float32AtLeast(0)),
  measure: optional(oneOf('center', 'vertex', 'simplex', 'uniform-normalized')),
  range: optional(oneOf('pooled', 'input')),
};
/** Stages: plain objects of known keys, each but the last ending by steps or plateau (integers ≥ 1). */
const schedule: Check = (v, config) => {
  if (!Array.isArray(v) || v.length === 0) return 'invalid';
  const verdicts = v.map((stage, i): Verdict => {
    if (typeof stage !== 'object' || stage === null || Array.isArray(stage)) return 'invalid';
    const { steps, plateau, ...settings } = stage;
    if (Object.keys(settings).some((k) => !(k in STAGE_FIELDS))) return 'invalid';
    const ends = steps !== undefined || plateau !== undefined;
    if (ends !== i < v.length - 1) return 'invalid';
    if (![steps, plateau].every((n) => n === undefined || (int(n) && n >= 1))) return 'invalid';
    const merged = { block: (config?.smear ?? config)?.block, ...settings }; // a layer's smear settings are its args
    const own = Object.entries(STAGE_FIELDS).map(([k, check]) => check(merged[k as keyof typeof merged], merged));
    return merged.block === undefined ? 'invalid' : own.reduce(worst, 'valid');
  });
  return verdicts.reduce(worst, 'valid');
};
const SMEAR_FIELDS: Record<string, Check> = { block, ...STAGE_FIELDS, seed: optional(seed) };
const smearBase = {
  block: fc.constantFrom<unknown>(1, 2, 3, [2, 1], [2, 2]),
  noise: fc.constantFrom(0, 0.01, 0.5),
  measure: fc.constantFrom('center', 'vertex', 'simplex', 'uniform-normalized'),
  range: fc.constantFrom('pooled', 'input'),
  seed: fc.constantFrom(0, 1, -7, 2 ** 40),
};
/** The smear settings of a layer, loss or optimize: a block smear's, and a schedule. */
const SMEAR_ARG_FIELDS: Record<string, Check> = { ...SMEAR_FIELDS, schedule: optional(schedule) };
const smearArgBase = {
  ...smearBase,
  schedule: fc.constantFrom<unknown>([{}], [{ steps: 1 }, { block: 1, noise: 0 }], [{ plateau: 1, noise: 0.1 }, {}]),
};
const samples = optional(integer(1));

/** The options each label-term kind reads (patch: all of them); any other is refused. */
const LABEL_KIND_KEYS: Record<string, string[]> = {
  betti: ['dims', 'superlevel', 'construction', 'threshold', 'p', 'reduction', 'patch'],
  wasserstein: ['dims', 'superlevel', 'construction', 'p', 'maxPoints', 'reduction', 'patch'],
  bettiMatching: ['dims', 'superlevel', 'construction', 'reduction', 'sparseThreshold', 'patch'],
  clDice: ['iterations', 'smooth', 'patch'],
  skeletonRecall: ['threshold', 'tube', 'smooth', 'reduction', 'patch'],
  componentGraph: ['threshold', 'clusters', 'reduction', 'patch'],
};
const LABEL_KINDS: unknown[] = Object.keys(LABEL_KIND_KEYS);
/** A label-term option: checked when its kind reads it, refused otherwise (any value, undefined aside). */
const ofKind =
  (key: string, check: Check): Check =>
  (v, c) =>
    v === undefined
      ? 'valid'
      : LABEL_KINDS.includes(c.kind) && !LABEL_KIND_KEYS[c.kind].includes(key)
        ? 'invalid'
        : check(v, c);

/** Fixed inputs, the same every run. */
function inputs() {
  const random = mulberry32(7);
  const image = Float32Array.from({ length: 36 }, () => random());
  const label = image.map((v) => (v > 0.5 ? 1 : 0));
  return {
    batch: () => tf.tensor4d(image.slice(0, 25), [1, 5, 5, 1]),
    label: () => tf.tensor4d(label.slice(0, 25), [1, 5, 5, 1]),
    image: () => tf.tensor2d(image.slice(0, 25), [5, 5]),
    batch6: () => tf.tensor4d(image, [1, 6, 6, 1]),
    label6: () => tf.tensor4d(label, [1, 6, 6, 1]),
    host6: () => image.slice(),
  };
}
const IN = inputs();

const withBase = (extra: Record<string, fc.Arbitrary<unknown>>, required: string[]) =>
  fc.record(
    { functional: functionalArb, weight: fc.constantFrom(1, 0.5, -2, 0), ...extra } as Record<
      string,
      fc.Arbitrary<unknown>
    >,
    {
      requiredKeys: ['functional', ...required],
    },
  );

/** A loss layer's term on the test batch in a training call, as a build's run (the layer disposed after). */
function trainingTerm(layer: ReturnType<typeof layers.vanillaTopoLoss>): () => Promise<number> {
  return async () => {
    try {
      return tf.tidy(() => {
        layer.apply(IN.batch(), { training: true });
        return layer.losses[0]().dataSync()[0];
      });
    } finally {
      layer.dispose();
    }
  };
}

// layers.persLay: φ and the weight are objects whose keys depend on their kind.
const PHI_KEYS: Record<string, { keys: string[]; required: string[] }> = {
  gaussian: { keys: ['units', 'range', 'bandwidth', 'seed'], required: ['units', 'range', 'bandwidth'] },
  tent: { keys: ['units', 'range', 'bandwidth', 'seed'], required: ['units', 'range', 'bandwidth'] },
  image: { keys: ['range', 'resolution', 'bandwidth'], required: ['range', 'bandwidth'] },
  landscape: { keys: ['range', 'resolution'], required: ['range'] },
};
const WEIGHT_KEYS: Record<string, { keys: string[]; required: string[] }> = {
  constant: { keys: [], required: [] },
  power: { keys: ['power', 'constant'], required: [] },
  grid: { keys: ['range', 'resolution'], required: ['range', 'resolution'] },
};
/** A field of `args.<at>` read by some kinds only: refused by the others, required by some. */
const byKind =
  (at: 'phi' | 'weight', key: string, check: Check): Check =>
  (v, c) => {
    const kinds = at === 'phi' ? PHI_KEYS : WEIGHT_KEYS;
    const kind: unknown = c[at]?.kind;
    if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(kinds, kind)) return 'valid'; // judged with the kind
    const spec = kinds[kind];
    if (!spec.keys.includes(key)) return v === undefined ? 'valid' : 'invalid';
    if (v === undefined) return spec.required.includes(key) ? 'invalid' : 'valid';
    return check(v, c);
  };
const numbersOf = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length === n && v.every(finite);
/** [x_min, x_max, y_min, y_max], each min ≤ max (< max when strict). */
const range4 =
  (strict: boolean): Check =>
  (v) =>
    ok(numbersOf(v, 4) && (strict ? v[0] < v[1] && v[2] < v[3] : v[0] <= v[1] && v[2] <= v[3]));
const grid2: Check = (v) => ok(Array.isArray(v) && v.length === 2 && v.every((n) => int(n) && n >= 1));
const persLayUnits = (c: any): number => {
  const phi = c.phi ?? {};
  if (phi.kind === 'gaussian' || phi.kind === 'tent') return int(phi.units) ? phi.units : 1;
  if (phi.kind === 'image') return Array.isArray(phi.resolution) ? phi.resolution[0] * phi.resolution[1] : 400;
  return int(phi.resolution) ? phi.resolution : 100;
};
const PERSLAY_FIELDS: Record<string, Check> = {
  phi: (v) => ok(typeof v === 'object' && v !== null && !Array.isArray(v)),
  'phi.kind': oneOf('gaussian', 'tent', 'image', 'landscape'),
  'phi.units': byKind('phi', 'units', integer(1, 65536)),
  'phi.range': byKind('phi', 'range', (v, c) =>
    c.phi.kind === 'landscape' ? ok(numbersOf(v, 2) && v[0] <= v[1]) : range4(false)(v, c),
  ),
  'phi.bandwidth': byKind('phi', 'bandwidth', (v) => ok(isNumber(v) && v >= 1e-12 && v <= 1e12)),
  'phi.seed': byKind('phi', 'seed', seed),
  'phi.resolution': byKind('phi', 'resolution', (v, c) =>
    c.phi.kind === 'landscape' ? integer(1, 65536)(v, c) : grid2(v, c),
  ),
  weight: (v) => (v === undefined ? 'valid' : ok(typeof v === 'object' && v !== null && !Array.isArray(v))),
  'weight.kind': oneOf('constant', 'power', 'grid'),
  // A huge exponent or constant may overflow the output (late).
  'weight.power': byKind('weight', 'power', (v) =>
    !isNumber(v) || !Number.isFinite(v) || v < 0 ? 'invalid' : v > 100 ? 'late' : 'valid',
  ),
  'weight.constant': byKind('weight', 'constant', (v) =>
    !isNumber(v) || !(Math.abs(v) <= 3.4028234663852886e38) ? 'invalid' : Math.abs(v) > 1e30 ? 'late' : 'valid',
  ),
  'weight.range': byKind('weight', 'range', range4(true)),
  'weight.resolution': byKind('weight', 'resolution', grid2),
  pooling: optional(oneOf('sum', 'mean', 'max', 'topk')),
  k: (v, c) => {
    if (c.pooling !== 'topk') return v === undefined ? 'valid' : 'invalid';
    return ok(int(v) && v >= 1 && v * persLayUnits(c) <= 65536);
  },
};
const persLayBase = fc
  .record(
    {
      phi: fc.oneof(
        fc.record(
          {
            kind: fc.constantFrom('gaussian', 'tent'),
            units: fc.constantFrom(1, 3),
            range: fc.constant([0, 1, 0, 1]),
            bandwidth: fc.constantFrom(0.2, 1),
            seed: fc.constantFrom(1, 7),
          },
          { requiredKeys: ['kind', 'units', 'range', 'bandwidth'] },
        ),
        fc.record(
          {
            kind: fc.constant('image'),
            range: fc.constant([0, 1, 0, 1]),
            resolution: fc.constantFrom([2, 3], [1, 1]),
            bandwidth: fc.constantFrom(0.2, 1),
          },
          { requiredKeys: ['kind', 'range', 'bandwidth'] },
        ),
        fc.record(
          { kind: fc.constant('landscape'), range: fc.constantFrom([0, 1], [0, 2]), resolution: fc.constantFrom(1, 5) },
          { requiredKeys: ['kind', 'range'] },
        ),
      ),
      weight: fc.oneof(
        fc.record({ kind: fc.constant('constant') }),
        fc.record(
          { kind: fc.constant('power'), power: fc.constantFrom(0, 1, 2), constant: fc.constantFrom(1, -0.5) },
          { requiredKeys: ['kind'] },
        ),
        fc.record({ kind: fc.constant('grid'), range: fc.constant([0, 1, 0, 1]), resolution: fc.constant([2, 2]) }),
      ),
      pooling: fc.constantFrom('sum', 'mean', 'max', 'topk'),
    },
    { requiredKeys: ['phi'] },
  )
  .chain((c) => (c.pooling === 'topk' ? fc.constantFrom(1, 4).map((k) => ({ ...c, k })) : fc.constant(c)));

const APIS: Record<string, ApiSpec> = {
  'layers.vanillaTopoLoss': {
    root: 'args',
    optionalRoot: false,
    fields: { weight: optional(weight), ...PERSISTENCE_FIELDS },
    required: ['functional'],
    objects: ['', 'functional'],
    base: withBase(persistenceBase, []),
    build: (args) => trainingTerm(layers.vanillaTopoLoss(args)),
  },
  'layers.smearedTopoLoss': {
    root: 'args',
    optionalRoot: false,
    fields: { weight: optional(weight), ...PERSISTENCE_FIELDS, ...SMEAR_ARG_FIELDS, samples },
    required: ['functional', 'block'],
    objects: ['', 'functional'],
    base: withBase({ ...persistenceBase, ...smearArgBase, samples: fc.constantFrom(1, 2) }, ['block']),
    build: (args) => trainingTerm(layers.smearedTopoLoss(args)),
  },
  'layers.persLay': {
    root: 'args',
    optionalRoot: false,
    fields: PERSLAY_FIELDS,
    required: ['phi'],
    objects: ['', 'phi', 'weight'],
    base: persLayBase,
    build(args) {
      const layer = layers.persLay(args);
      return async () => {
        // Two diagrams padded to 3 rows: (birth, death, mask).
        const x = tf.tensor3d([
          [
            [0.1, 0.7, 1],
            [0.3, 0.4, 1],
            [0, 0, 0],
          ],
          [
            [0.6, 0.2, 1],
            [0, 0, 0],
            [0, 0, 0],
          ],
        ]);
        try {
          return tf.tidy(() => tf.sum(layer.apply(x) as tf.Tensor).dataSync()[0]);
        } finally {
          x.dispose();
          layer.dispose();
        }
      };
    },
  },
  'losses.topological': {
    root: 'args',
    optionalRoot: false,
    fields: {
      base: optional(oneOf('meanSquaredError', 'binaryCrossentropy', 'none')),
      weight: optional(weight),
      ...PERSISTENCE_FIELDS,
      smear: (v) => (v === undefined ? 'valid' : ok(typeof v === 'object' && v !== null && !Array.isArray(v))),
      ...Object.fromEntries(Object.entries(SMEAR_ARG_FIELDS).map(([k, check]) => [`smear.${k}`, check])),
      'smear.samples': samples,
    },
    required: ['functional'],
    objects: ['', 'functional', 'smear'],
    base: fc.record(
      {
        functional: functionalArb,
        base: fc.constantFrom('meanSquaredError', 'binaryCrossentropy', 'none'),
        weight: fc.constantFrom(1, 0.1),
        ...persistenceBase,
        smear: fc.record({ ...smearArgBase, samples: fc.constantFrom(1, 2) }, { requiredKeys: ['block'] }),
      },
      { requiredKeys: ['functional'] },
    ),
    build(args) {
      const loss = losses.topological(args);
      return async () => tf.tidy(() => loss(IN.label(), IN.batch()).dataSync()[0]);
    },
  },
  LabelTerm: {
    root: 'config',
    optionalRoot: false,
    fields: {
      kind: oneOf('betti', 'wasserstein', 'bettiMatching', 'clDice', 'skeletonRecall', 'componentGraph'),
      dims: ofKind('dims', dimsList),
      superlevel: ofKind('superlevel', flag),
      construction: ofKind('construction', (v, c) =>
        v === 'V' ? 'valid' : ok(v === 'T' && c.kind !== 'bettiMatching'),
      ),
      // Skeleton Recall and the component graph binarise labels in [0, 1] at it: (0, 1] there.
      threshold: ofKind('threshold', (v, c) =>
        c.kind === 'betti' ? finiteNumber(v, c) : ok(finite(v) && (v as number) > 0 && (v as number) <= 1),
      ),
      clusters: ofKind('clusters', flag),
      sparseThreshold: ofKind('sparseThreshold', finiteNumber),
      p: ofKind('p', exponent),
      maxPoints: ofKind('maxPoints', integer(1, 3000)),
      reduction: ofKind('reduction', oneOf('mean', 'sum')),
      iterations: ofKind('iterations', integer(0)),
      // Skeleton Recall divides by its tube's size plus smooth: 0 is refused there.
      smooth: ofKind('smooth', (v, c) =>
        c.kind === 'skeletonRecall' && v === 0 ? 'invalid' : float32AtLeast(0)(v, c),
      ),
      tube: ofKind('tube', integer(0)),
      patch: (v) => (v === undefined ? 'valid' : ok(typeof v === 'object' && v !== null && !Array.isArray(v))),
      'patch.size': (v) => (!int(v) || v < 2 ? 'invalid' : v > 6 ? 'late' : 'valid'),
      'patch.overlap': (v, c) =>
        v === undefined ? 'valid' : ok(int(v) && v >= 0 && int(c.patch?.size) && v < c.patch.size),
    },
    required: ['kind'],
    objects: ['', 'patch'],
    base: fc
      .record(
        {
          kind: fc.constantFrom('betti', 'wasserstein', 'bettiMatching', 'clDice', 'skeletonRecall', 'componentGraph'),
          dims: fc.constantFrom([0], [1], [0, 1]),
          superlevel: fc.boolean(),
          threshold: fc.constantFrom(0.5, 0.2),
          p: fc.constantFrom(1, 2),
          maxPoints: fc.constantFrom(4, 256),
          reduction: fc.constantFrom('mean', 'sum'),
          iterations: fc.constantFrom(0, 2),
          smooth: fc.constantFrom(0, 1),
          tube: fc.constantFrom(0, 1),
          clusters: fc.boolean(),
          sparseThreshold: fc.constantFrom(0.3, 0.9),
          patch: fc.record({ size: fc.constantFrom(3, 4), overlap: fc.constantFrom(0, 1) }, { requiredKeys: ['size'] }),
        },
        { requiredKeys: ['kind'] },
      )
      .chain((c) =>
        fc
          .constantFrom<unknown>(undefined, 'V', 'T')
          .map((construction) =>
            construction === undefined || (construction === 'T' && c.kind === 'bettiMatching')
              ? c
              : { ...c, construction },
          ),
      )
      // Each kind with the options it reads only (and a smooth Skeleton Recall accepts).
      .map((c) =>
        Object.fromEntries(
          Object.entries(c)
            .filter(([k]) => k === 'kind' || LABEL_KIND_KEYS[c.kind].includes(k))
            .map(([k, v]) => [k, k === 'smooth' && c.kind === 'skeletonRecall' && v === 0 ? 1 : v]),
        ),
      ),
    build(config) {
      const term = new LabelTerm(config);
      return async () => tf.tidy(() => term.evaluate(IN.label6(), IN.batch6()).dataSync()[0]);
    },
  },
  optimize: {
    root: 'options',
    optionalRoot: false,
    fields: {
      // Few steps only: a valid huge count would run for ever.
      steps: (v) => (!int(v) || v < 1 ? 'invalid' : 'valid'),
      learningRate: (v) =>
        v === undefined ? 'valid' : !isNumber(v) || !(v > 0) ? 'invalid' : v > 1e3 ? 'late' : 'valid',
      alpha: (v) => (v === undefined ? 'valid' : ok(isNumber(v) && v >= 0 && v <= 1)),
      every: optional(integer(1)),
      path: optional(oneOf('auto', 'tensor', 'host')),
      onStep: (v) => ok(v === undefined || typeof v === 'function'),
      ...PERSISTENCE_FIELDS,
      smear: (v) => (v === undefined ? 'valid' : ok(typeof v === 'object' && v !== null && !Array.isArray(v))),
      ...Object.fromEntries(Object.entries(SMEAR_ARG_FIELDS).map(([k, check]) => [`smear.${k}`, check])),
      'smear.samples': samples,
    },
    required: ['steps', 'functional'],
    objects: ['', 'functional', 'smear'],
    base: fc.record(
      {
        steps: fc.constantFrom(1, 2),
        functional: functionalArb,
        learningRate: fc.constantFrom(0.05, 0.5),
        alpha: fc.constantFrom(0, 0.5, 1),
        every: fc.constantFrom(1, 5),
        path: fc.constantFrom('auto', 'tensor', 'host'),
        onStep: fc.constant(() => undefined),
        ...persistenceBase,
        smear: fc.record({ ...smearArgBase, samples: fc.constantFrom(1, 2) }, { requiredKeys: ['block'] }),
      },
      { requiredKeys: ['steps', 'functional'] },
    ),
    async build(options) {
      // One call: validation and use together.
      const x = IN.image();
      try {
        const { result, history } = await optimize(x, options);
        result.dispose();
        return async () => history[history.length - 1]?.loss;
      } finally {
        x.dispose();
      }
    },
  },
  persistenceDiagrams: {
    root: 'options',
    optionalRoot: true,
    fields: {
      ...PERSISTENCE_FIELDS,
      dims: optional((v, c) => (dimsList(v, c) === 'late' ? 'invalid' : dimsList(v, c))),
    },
    required: [],
    objects: [''],
    base: fc.record(persistenceBase, { requiredKeys: [] }),
    build(options) {
      const x = IN.batch();
      try {
        const sum = tf.tidy(() => tf.sum(persistenceDiagrams(x, options).pairs).dataSync()[0]);
        return async () => sum;
      } finally {
        x.dispose();
      }
    },
  },
  BlockSmear: {
    root: 'options',
    optionalRoot: false,
    fields: SMEAR_FIELDS,
    required: ['block'],
    objects: [''],
    base: fc.record(smearBase, { requiredKeys: ['block'] }),
    build(options) {
      const smear = new BlockSmear(options);
      return async () => {
        try {
          const sum = tf.tidy(() => tf.sum(smear.apply(IN.batch())).dataSync()[0]);
          smear.sample(IN.host6().slice(0, 25), [5, 5]);
          return sum;
        } finally {
          smear.dispose();
        }
      };
    },
  },
};

// The functionals, called on diagrams of a 5×5 image (one map, dimensions 0 and 1).
let diagrams: ReturnType<typeof persistenceDiagrams> | null = null;
beforeAll(() => {
  const x = IN.batch();
  diagrams = persistenceDiagrams(x, { essential: 'clip' });
  x.dispose();
});
afterAll(() => diagrams?.pairs.dispose());

const FUNCTIONAL_CALLS: Record<string, (d: any, options: any) => tf.Scalar> = {
  totalPersistence: (d, o) => totalPersistence(d, o),
  topK: (d, o) => topKLifetimes(d, o),
  betti: (d, o) => bettiLoss(d, o),
  // The target diagram is a parameter of its own: taken out of the configuration here.
  wasserstein: (d, o) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return wassersteinLoss(d, [[0, 1]], o);
    const { target, ...rest } = o;
    return wassersteinLoss(d, target, rest);
  },
};

for (const f of FUNCTIONALS) {
  APIS[`functional ${f.kind}`] = {
    root: 'options',
    optionalRoot: f.required.length === 0,
    nameOf: (path) => (f.kind === 'wasserstein' && path === 'target' ? 'target' : undefined),
    // On known diagrams the dimension is definite: 2 was not computed.
    fields: Object.fromEntries(
      Object.entries(f.fields).map(([k, check]) => [
        k,
        (v: unknown, c: unknown) => {
          const verdict = check(v, c);
          return verdict !== 'late' ? verdict : k === 'dim' || k === 'betti' ? 'invalid' : verdict;
        },
      ]),
    ),
    required: f.required,
    objects: [''],
    base: functionalArb.filter((c) => c.kind === f.kind).map(({ kind: _kind, ...o }) => o),
    build(options) {
      const call = FUNCTIONAL_CALLS[f.kind];
      const value = tf.tidy(() => call(diagrams, options).dataSync()[0]);
      return async () => value;
    },
  };
}

/** The functional's fields, under `functional.` of a layer's, loss's or optimize's configuration. */
function functionalFields(config: any): Record<string, Check> {
  const spec = FUNCTIONALS.find((f) => f.kind === config?.functional?.kind);
  const fields: Record<string, Check> = {
    functional: (v) => ok(typeof v === 'object' && v !== null && !Array.isArray(v)),
    'functional.kind': oneOf(...FUNCTIONALS.map((f) => f.kind)),
  };
  if (spec) for (const [k, check] of Object.entries(spec.fields)) fields[`functional.${k}`] = check;
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Values of every kind for any field. */
const ANY_VALUES: unknown[] = [
  undefined,
  null,
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  -1,
  0.5,
  1,
  2,
  3,
  1.5,
  7,
  3000,
  3001,
  1e300,
  -1e300,
  1e-300,
  2 ** 53,
  '1',
  '',
  'a',
  'T',
  'sum',
  'both',
  'mean',
  true,
  false,
  [],
  [0],
  [1],
  [2],
  [0, 1],
  [1, 0],
  [0, 0],
  [null, 1],
  [1, null],
  [2, 1],
  [NaN, 1],
  [0, 1, 2],
  [[0, 1]],
  [[0, NaN]],
  ['0', 1],
  {},
  { size: 3 },
  Object.create(null),
  () => 1,
  Symbol('s'),
  10n,
];

/** Valid values that would make one use slow (many steps, samples, iterations): left out. */
function affordable(path: string, v: unknown): boolean {
  const big = isNumber(v) && v > 16;
  if (['steps', 'samples', 'smear.samples', 'iterations'].includes(path)) return !big;
  return true;
}

const MISSPELT = [
  'weigth',
  'superLevel',
  'dim',
  'functionals',
  'Block',
  'noize',
  'sample',
  'essentials',
  'size ',
  'kind_',
  'learningrate',
  'step',
];

type Mutation =
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'delete'; path: string }
  | { kind: 'unknownKey'; at: string; key: string }
  | { kind: 'root'; value: unknown };

interface OptionCase {
  api: string;
  base: Record<string, unknown>;
  mutation: Mutation;
}

function fieldsOf(spec: ApiSpec, config: any): Record<string, Check> {
  return spec.required.includes('functional') ? { ...spec.fields, ...functionalFields(config) } : spec.fields;
}

/** The keys an object of the configuration (dotted path, '' for the root) accepts. */
function keysAt(spec: ApiSpec, config: any, at: string): string[] {
  const prefix = at === '' ? '' : `${at}.`;
  return Object.keys(fieldsOf(spec, config))
    .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('.'))
    .map((p) => p.slice(prefix.length));
}

const optionCaseArb: fc.Arbitrary<OptionCase> = fc.constantFrom(...Object.keys(APIS)).chain((api) => {
  const spec = APIS[api];
  return spec.base.map(consistentBase).chain((base) => {
    const paths = Object.keys(fieldsOf(spec, base));
    const objects = spec.objects.filter((o) => o === '' || getPath(base, o) !== undefined);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(...paths).chain((path) => {
          // Half the time a value the specification calls valid, so that both sides are exercised.
          const check = fieldsOf(spec, base)[path];
          const valid = ANY_VALUES.filter((v) => check(v, base) === 'valid');
          const any = fc.constantFrom(...ANY_VALUES);
          return fc
            .oneof(any, valid.length > 0 ? fc.constantFrom(...valid) : any)
            .filter((value) => affordable(path, value))
            .map((value) => ({ kind: 'set' as const, path, value }));
        }),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...paths).map((path) => ({ kind: 'delete' as const, path })),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...objects), fc.constantFrom(...MISSPELT))
          .filter(([at, key]) => !keysAt(spec, base, at).includes(key))
          .map(([at, key]) => ({ kind: 'unknownKey' as const, at, key })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom<unknown>(undefined, null, 'a', 1, true, [], () => 1, Symbol('r'))
          .map((value) => ({ kind: 'root' as const, value })),
      },
    );
    return mutation.map((m) => ({ api, base, mutation: m }));
  });
});

/** A deep copy; plain objects (fast-check makes them without a prototype) become ordinary ones. */
/** A base whose `dims` hold its functional's dimensions (a valid configuration, as mutations assume). */
function consistentBase(base: Record<string, unknown>): Record<string, unknown> {
  const f = base.functional as { dim?: unknown } | undefined;
  if (!Array.isArray(base.dims) || f?.dim === undefined) return base;
  const wanted = Array.isArray(f.dim) ? f.dim : [f.dim];
  return { ...base, dims: [...new Set([...base.dims, ...wanted])] };
}

function clone(x: unknown): any {
  if (Array.isArray(x)) return x.map(clone);
  const proto = x !== null && typeof x === 'object' ? Object.getPrototypeOf(x) : undefined;
  if (proto === Object.prototype || proto === null)
    return Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, clone(v)]));
  return x;
}

function getPath(o: any, path: string): any {
  return path === '' ? o : path.split('.').reduce((a, k) => (a == null ? undefined : a[k]), o);
}

/** `o` with the field at `path` set (creating parent objects) or deleted (`remove`). */
function setPath(o: any, path: string, value: unknown, remove = false): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object') at[k] = {};
    at = at[k];
  }
  if (remove) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
}

/** The configuration a case calls with, the verdict, and the path an error must name. */
function expectation(c: OptionCase): { config: unknown; verdict: Verdict; names: string[] } {
  const spec = APIS[c.api];
  const m = c.mutation;
  const full = (path: string) => spec.nameOf?.(path) ?? (path === '' ? spec.root : `${spec.root}.${path}`);
  if (m.kind === 'root') {
    const verdict = m.value === undefined && spec.optionalRoot ? 'valid' : 'invalid';
    return { config: m.value, verdict, names: [spec.root] };
  }
  const config = clone(c.base);
  if (m.kind === 'unknownKey') {
    setPath(config, m.at === '' ? m.key : `${m.at}.${m.key}`, 1);
    return { config, verdict: 'invalid', names: [full(m.at === '' ? m.key : `${m.at}.${m.key}`)] };
  }
  setPath(config, m.path, m.kind === 'set' ? m.value : undefined, m.kind === 'delete');
  // A parent replaced by the mutation (functional, smear, patch) takes its fields' checks along.
  const fields = fieldsOf(spec, config);
  let verdict: Verdict = 'valid';
  const names: string[] = [];
  for (const [path, check] of Object.entries(fields)) {
    const parent = path.includes('.') ? getPath(config, path.slice(0, path.lastIndexOf('.'))) : config;
    if (parent === undefined || parent === null || typeof parent !== 'object') continue; // judged with the parent
    const v = getPath(config, path);
    const required = spec.required.includes(path) || requiredInFunctional(config, path) || requiredInParent(path);
    const r: Verdict = v === undefined && required ? 'invalid' : check(v, config);
    if (r === 'invalid') {
      verdict = 'invalid';
      // The field's path, or its parent's (`args.functional` for a malformed functional).
      names.push(full(path));
      if (path.includes('.')) names.push(full(path.slice(0, path.lastIndexOf('.'))));
    } else if (r === 'late' && verdict === 'valid') verdict = 'late';
  }
  // Across fields: the functional's dimensions must be among those computed (`dims`).
  if (spec.required.includes('functional') && Array.isArray(config.dims) && dimsList(config.dims, config) === 'valid') {
    const dim = config.functional?.dim;
    const wanted = Array.isArray(dim) ? dim : dim === undefined ? [] : [dim];
    if (wanted.some((k: unknown) => int(k) && k >= 0 && k <= 1 && !config.dims.includes(k))) {
      verdict = 'invalid';
      names.push(full('functional.dim'), full('dims'));
    }
  }
  // The changed field must be the one named (others in the base are valid).
  return { config, verdict, names: names.length > 0 ? names : [full(m.path)] };
}

function requiredInFunctional(config: any, path: string): boolean {
  if (!path.startsWith('functional.')) return false;
  const spec = FUNCTIONALS.find((f) => f.kind === config?.functional?.kind);
  return path === 'functional.kind' || (spec?.required.includes(path.slice('functional.'.length)) ?? false);
}

function requiredInParent(path: string): boolean {
  return path === 'smear.block' || path === 'patch.size';
}

async function checkCase(c: OptionCase): Promise<string | null> {
  const { config, verdict, names } = expectation(c);
  const spec = APIS[c.api];
  const built = await attemptAsync(async () => await spec.build(config));
  if (!built.ok) {
    if (verdict === 'valid')
      return `refused a valid configuration: ${safeString((built.error as Error)?.message ?? built.error)}`;
    return errorProblem(built.error, verdict === 'invalid' ? names : undefined);
  }
  const used = await attemptAsync(built.value);
  if (verdict === 'invalid')
    return used.ok
      ? `accepted (expected an error naming ${names.join(' or ')})`
      : `accepted at construction, failed at use: ${safeString((used.error as Error)?.message ?? used.error)}`;
  if (!used.ok) {
    if (verdict === 'valid')
      return `failed at use on a valid configuration: ${safeString((used.error as Error)?.message ?? used.error)}`;
    return errorProblem(used.error);
  }
  if (verdict === 'valid' && used.value !== undefined && !Number.isFinite(used.value))
    return `a valid configuration gave the value ${used.value}`;
  return null;
}

describe('options of the public factories and calls', () => {
  test(
    'a changed option: valid ones work, invalid ones are refused at once naming their full path',
    async () => {
      await fc.assert(
        fc.asyncProperty(optionCaseArb, async (c) => {
          const problem = await checkCase(c);
          if (problem !== null) throw new Error(`${c.api}: ${problem}`);
        }),
        params(3000, 12000),
      );
    },
    jestTimeout(12000),
  );

  test(
    "persistenceDiagrams on tensors of random rank, size, dtype and values: the engine's pairs per map, or an error naming x",
    () => {
      const valueArb = fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -2, max: 2 }) },
        { weight: 2, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0) },
      );
      const caseArb = fc
        .record({
          shape: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 6 }),
          dtype: fc.constantFrom('float32', 'float32', 'float32', 'int32', 'bool'),
          superlevel: fc.boolean(),
          construction: fc.constantFrom('T', 'V'),
        })
        .filter((c) => c.shape.reduce((a, b) => a * b, 1) <= 200)
        .chain((c) => {
          const size = c.shape.reduce((a, b) => a * b, 1);
          return fc.array(valueArb, { minLength: size, maxLength: size }).map((values) => ({ ...c, values }));
        });
      fc.assert(
        fc.property(caseArb, (c) => {
          const rank = c.shape.length;
          const spatial = rank >= 4 ? c.shape.slice(1, -1) : c.shape;
          const valid =
            c.dtype === 'float32' &&
            rank >= 2 &&
            rank <= 5 &&
            c.shape.every((n) => n >= 1) &&
            c.values.every((v) => Number.isFinite(Math.fround(v)));
          tf.tidy(() => {
            const x = tf.tensor(
              c.dtype === 'bool' ? c.values.map((v) => (v ? 1 : 0)) : c.values,
              c.shape,
              c.dtype as any,
            );
            let d: ReturnType<typeof persistenceDiagrams>;
            try {
              d = persistenceDiagrams(x, { superlevel: c.superlevel, construction: c.construction as 'T' | 'V' });
            } catch (e) {
              if (valid) throw new Error(`refused a valid tensor: ${(e as Error).message}`, { cause: e });
              const problem = errorProblem(e, ['x']);
              if (problem) throw new Error(problem, { cause: e });
              return;
            }
            if (!valid) throw new Error('accepted an invalid tensor');
            // Map by map, the finite pairs of the engine on the same float32 values.
            const data = Float32Array.from(c.values);
            const maps = rank >= 4 ? c.shape[0] * c.shape[rank - 1] : 1;
            const mapSize = spatial.reduce((a, b) => a * b, 1);
            const channels = rank >= 4 ? c.shape[rank - 1] : 1;
            const expected: string[] = [];
            for (let m = 0; m < maps; m++) {
              const b = Math.floor(m / channels);
              const ch = m % channels;
              const map = Float32Array.from({ length: mapSize }, (_, i) => data[(b * mapSize + i) * channels + ch]);
              for (const dg of cubicalPersistence(map, spatial, {
                superlevel: c.superlevel,
                construction: c.construction as 'T' | 'V',
              }))
                dg.births.forEach((birth, i) => {
                  if (dg.deathCells[i] >= 0) expected.push(`${m} ${dg.dim} ${birth} ${dg.deaths[i]}`);
                });
            }
            const actual = Array.from(d.dim, (k, i) => `${d.map[i]} ${k} ${d.values[2 * i]} ${d.values[2 * i + 1]}`);
            if (JSON.stringify(actual.sort()) !== JSON.stringify(expected.sort()))
              throw new Error(`pairs ${JSON.stringify(actual)}, engine ${JSON.stringify(expected)}`);
          });
        }),
        params(600, 4000),
      );
    },
    jestTimeout(4000),
  );

  test('the diagrams argument of the functionals: a clean error naming it', () => {
    for (const d of [null, undefined, {}, 'x', 1, { pairs: null }])
      for (const [kind, call] of Object.entries(FUNCTIONAL_CALLS)) {
        let error: unknown = null;
        const options = { wasserstein: { dim: 0, target: [[0, 1]] }, betti: { dim: 0, betti: 1 }, topK: { k: 1 } }[
          kind
        ];
        try {
          tf.tidy(() => void call(d, options ?? {}));
        } catch (e) {
          error = e;
        }
        const problem = error === null ? 'accepted' : errorProblem(error, ['diagrams']);
        if (problem !== null) throw new Error(`${kind}(${safeString(d)}, …): ${problem}`);
      }
  });
});
