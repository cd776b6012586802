import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateSync } from 'zlib';
import { readInput } from '../../app/cli/load';
import { runCli } from '../reference/run-cli';
import { jestTimeout, params, thrownProblem } from './config';
import { Outcome, Sandbox } from './sandbox';

// Property-based tests of the file readers in app/io (.npy, PNG, CSV), the CLI's loader
// (app/cli/load.ts) and the PNG-folder reader: valid files written here byte by byte must read back
// exactly; mutated, truncated and garbled files must give either a consistent result or an Error
// with a one-line message — never a TypeError/RangeError, a stack trace, a crash or a hang. Every
// reader call runs in a worker thread (sandbox.ts) and counts as a hang after CASE_TIMEOUT_MS.
// A few cases go through the whole CLI in-process (test/reference/run-cli.ts).

/** A reader call on a file of a few kilobytes that takes longer than this is a hang. */
const CASE_TIMEOUT_MS = 4000;

const sandbox = new Sandbox();
afterAll(() => sandbox.stop());

const NPY = 'app/io/npy.ts';
const PNG_READER = 'app/io/png.ts';
const CSV = 'app/io/csv.ts';
const LOAD = 'app/cli/load.ts';
const PNG_FOLDER = 'app/io/png-folder.ts';

/** Tag of a typed array, whichever realm made it. */
const tag = (x: unknown) => Object.prototype.toString.call(x).slice(8, -1);

/** Messages that name nothing: "cannot read file: undefined", "[object Object]". */
const UNCLEAR = /: (undefined|null)$|\[object \w+\]/;

/**
 * What is wrong with the outcome of a reader call, or null: a hang or crash, an unclean error (see
 * `thrownProblem`; `names`: one of them must appear), or a result that `consistent` faults.
 */
function outcomeProblem(
  o: Outcome,
  consistent: (value: any) => string | null, // eslint-disable-line @typescript-eslint/no-explicit-any
  names?: readonly string[],
): string | null {
  switch (o.kind) {
    case 'hang':
      return `did not finish within ${CASE_TIMEOUT_MS} ms`;
    case 'crash':
      return `the worker crashed: ${o.message}`;
    case 'threw': {
      const problem = thrownProblem(o.error, names);
      if (problem) return problem;
      return UNCLEAR.test(o.error.message) ? `unclear message: ${o.error.message}` : null;
    }
    case 'value':
      return consistent(o.value);
  }
}

function fail(problem: string | null, what: string): void {
  if (problem !== null) throw new Error(`${what}: ${problem}`);
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A decoded array must be a float array of as many values as its shape says. */
function consistentArray(
  v: { data: unknown; shape: unknown },
  floatTags = ['Float32Array', 'Float64Array'],
): string | null {
  if (!Array.isArray(v.shape) || v.shape.some((n) => !Number.isSafeInteger(n) || n < 0))
    return `shape is not a list of sizes: ${JSON.stringify(v.shape)}`;
  if (!floatTags.includes(tag(v.data))) return `data is a ${tag(v.data)}`;
  const length = (v.data as ArrayLike<number>).length;
  if (length !== product(v.shape)) return `data holds ${length} values for shape [${v.shape}]`;
  return null;
}

/** Element-wise identity (NaN equals NaN, −0 differs from 0). */
function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>): string | null {
  if (actual.length !== expected.length) return `${actual.length} values, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++)
    if (!Object.is(actual[i], expected[i])) return `value ${i} is ${actual[i]}, expected ${expected[i]}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Byte-level mutations

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[m.at % n] = m.byte;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'insert':
      return concat(bytes.subarray(0, at), Uint8Array.from(m.bytes), bytes.subarray(at));
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(Math.min(n, at + m.length)));
    case 'repeat':
      return concat(bytes.subarray(0, at), bytes.subarray(at, at + m.length), bytes.subarray(at));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

// ---------------------------------------------------------------------------------------------
// .npy files, written by hand

interface NpyDtype {
  code: string;
  size: number;
  name: string;
  value: fc.Arbitrary<number | bigint>;
  write(dv: DataView, at: number, v: number | bigint, little: boolean): void;
}

const bigValue = (lo: bigint, hi: bigint) =>
  fc.oneof(
    fc.bigInt({ min: lo > -(2n ** 53n) ? lo : -(2n ** 53n), max: hi < 2n ** 53n ? hi : 2n ** 53n }),
    fc.bigInt({ min: lo, max: hi }),
  );

const NPY_DTYPES: NpyDtype[] = [
  {
    code: 'f4',
    size: 4,
    name: 'float32',
    value: fc.float(),
    write: (dv, at, v, le) => dv.setFloat32(at, v as number, le),
  },
  {
    code: 'f8',
    size: 8,
    name: 'float64',
    value: fc.double(),
    write: (dv, at, v, le) => dv.setFloat64(at, v as number, le),
  },
  {
    code: 'u1',
    size: 1,
    name: 'uint8',
    value: fc.integer({ min: 0, max: 255 }),
    write: (dv, at, v) => dv.setUint8(at, v as number),
  },
  {
    code: 'i1',
    size: 1,
    name: 'int8',
    value: fc.integer({ min: -128, max: 127 }),
    write: (dv, at, v) => dv.setInt8(at, v as number),
  },
  {
    code: 'u2',
    size: 2,
    name: 'uint16',
    value: fc.integer({ min: 0, max: 65535 }),
    write: (dv, at, v, le) => dv.setUint16(at, v as number, le),
  },
  {
    code: 'i2',
    size: 2,
    name: 'int16',
    value: fc.integer({ min: -32768, max: 32767 }),
    write: (dv, at, v, le) => dv.setInt16(at, v as number, le),
  },
  {
    code: 'u4',
    size: 4,
    name: 'uint32',
    value: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    write: (dv, at, v, le) => dv.setUint32(at, v as number, le),
  },
  {
    code: 'i4',
    size: 4,
    name: 'int32',
    value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    write: (dv, at, v, le) => dv.setInt32(at, v as number, le),
  },
  {
    code: 'u8',
    size: 8,
    name: 'uint64',
    value: bigValue(0n, 2n ** 64n - 1n),
    write: (dv, at, v, le) => dv.setBigUint64(at, v as bigint, le),
  },
  {
    code: 'i8',
    size: 8,
    name: 'int64',
    value: bigValue(-(2n ** 63n), 2n ** 63n - 1n),
    write: (dv, at, v, le) => dv.setBigInt64(at, v as bigint, le),
  },
  {
    code: 'b1',
    size: 1,
    name: 'bool',
    value: fc.integer({ min: 0, max: 255 }),
    write: (dv, at, v) => dv.setUint8(at, v as number),
  },
];

interface NpyFile {
  version: 1 | 2 | 3;
  dtype: number; // index into NPY_DTYPES
  order: string; // '<', '>', '|', '=' or ''
  fortran: boolean;
  shape: number[];
  values: (number | bigint)[]; // C order
  keyOrder: number[]; // a permutation of the header's three keys
  spacing: string;
  quote: "'" | '"';
  trailingComma: boolean;
  long: boolean; // Python 2 'L' suffixes on the shape's integers
}

const npyFileArb: fc.Arbitrary<NpyFile> = fc
  .record({
    version: fc.constantFrom(1 as const, 2 as const, 3 as const),
    dtype: fc.integer({ min: 0, max: NPY_DTYPES.length - 1 }),
    little: fc.boolean(),
    fortran: fc.boolean(),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
    keyOrder: fc.constantFrom<number[]>([0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1]),
    spacing: fc.constantFrom(' ', '', '  ', '\t'),
    quote: fc.constantFrom("'" as const, '"' as const),
    trailingComma: fc.boolean(),
    long: fc.boolean(),
    byteOrderless: fc.constantFrom('|', '=', ''),
  })
  .chain(({ little, byteOrderless, ...f }) => {
    const dt = NPY_DTYPES[f.dtype];
    const order = dt.size === 1 ? byteOrderless : little ? '<' : '>';
    return fc
      .array(dt.value, { minLength: product(f.shape), maxLength: product(f.shape) })
      .map((values) => ({ ...f, order, values }));
  });

function npyHeaderText(f: NpyFile, shapeText?: string): string {
  const q = f.quote;
  const s = f.spacing;
  const dt = NPY_DTYPES[f.dtype];
  const ints = f.shape.map((n) => `${n}${f.long ? 'L' : ''}`);
  const shape = shapeText ?? (ints.length === 1 ? `(${ints[0]},)` : `(${ints.join(`,${s}`)})`);
  const entries = [
    `${q}descr${q}:${s}${q}${f.order}${dt.code}${q}`,
    `${q}fortran_order${q}:${s}${f.fortran ? 'True' : 'False'}`,
    `${q}shape${q}:${s}${shape}`,
  ];
  return `{${f.keyOrder.map((k) => entries[k]).join(`,${s}`)}${f.trailingComma ? ',' : ''}}`;
}

/** The bytes of a .npy file; `header` replaces the header text (padded as NumPy pads it). */
function npyBytes(f: NpyFile, header = npyHeaderText(f)): Uint8Array {
  const dt = NPY_DTYPES[f.dtype];
  const lenBytes = f.version === 1 ? 2 : 4;
  const total = Math.ceil((8 + lenBytes + header.length + 1) / 64) * 64;
  const text = header.padEnd(total - 8 - lenBytes - 1, ' ') + '\n';
  const head = f.version === 3 ? new TextEncoder().encode(text) : latin1(text);
  const count = f.values.length;
  const out = new Uint8Array(8 + lenBytes + head.length + count * dt.size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, f.version, 0]);
  const dv = new DataView(out.buffer);
  if (lenBytes === 2) dv.setUint16(8, head.length, true);
  else dv.setUint32(8, head.length, true);
  out.set(head, 8 + lenBytes);
  const start = 8 + lenBytes + head.length;
  const little = f.order !== '>';
  // C order: the value at C index c; Fortran order stores it at its first-axis-fastest position.
  const rank = f.shape.length;
  for (let c = 0; c < count; c++) {
    let pos = c;
    if (f.fortran && rank > 1) {
      const tuple = new Array<number>(rank);
      for (let k = rank - 1, r = c; k >= 0; k--) {
        tuple[k] = r % f.shape[k];
        r = Math.floor(r / f.shape[k]);
      }
      pos = 0;
      for (let k = rank - 1; k >= 0; k--) pos = pos * f.shape[k] + tuple[k];
    }
    dt.write(dv, start + pos * dt.size, f.values[c], little);
  }
  return out;
}

/** What readNpy must return for a valid file: the C-order values, or an error for 64-bit integers beyond doubles. */
function npyExpected(f: NpyFile): { data: number[]; float32: boolean } | 'inexact' {
  const dt = NPY_DTYPES[f.dtype];
  if (dt.code === 'b1') return { data: f.values.map((v) => (v === 0 ? 0 : 1)), float32: false };
  if (dt.size === 8 && dt.code !== 'f8') {
    if (f.values.some((v) => BigInt(Number(v)) !== v)) return 'inexact';
    return { data: f.values.map(Number), float32: false };
  }
  return { data: f.values as number[], float32: dt.code === 'f4' };
}

/** Header texts and shapes that are wrong in ways a random mutation seldom finds. */
const SHAPE_TEXTS = [
  '(1099511627776, 1099511627776)',
  '(4294967296, 4294967296)',
  '(65536, 65536, 65536)',
  '(9007199254740991, 0)',
  '(9007199254740993,)',
  '(99999999999999999999,)',
  '(-1,)',
  '(-0,)',
  '(3.0,)',
  '(1e3,)',
  '(0x10,)',
  '[2, 3]',
  '((2, 3),)',
  '(True,)',
  '(None,)',
  "('2',)",
  '(2 3)',
  '(,)',
  '(1,,)',
  '()',
  '(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)',
  // Deep nesting, written out by expandShapeText (kept short in counterexamples).
  'nest ( 3000',
  'nest [ 3000',
  "nest {'a': 3000",
  'nest ( 60000',
];
const HEADER_TOKENS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  "'",
  '"',
  ',',
  ':',
  '\\',
  ' ',
  '\n',
  '\u0000',
  '\u00ff',
  'True',
  'None',
  'L',
  '-1',
  '1e3',
  '99999999999999999999',
  "'<f8'",
  "'|O'",
  "'<U4'",
  "'<c8'",
  "'=f8'",
  "'shape'",
  "'descr'",
  "'fortran_order'",
  "'extra': 1",
  '((((((((',
];

type NpyCorruption =
  | { kind: 'bytes'; mutations: Mutation[] }
  | { kind: 'header'; at: number; length: number; token: string; fixLength: boolean }
  | { kind: 'shape'; text: string }
  | { kind: 'headerLength'; value: number };

const npyCorruptionArb: fc.Arbitrary<NpyCorruption> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      at: fc.nat(),
      length: fc.integer({ min: 0, max: 6 }),
      token: fc.oneof(fc.constantFrom(...HEADER_TOKENS), fc.string({ maxLength: 6 })),
      fixLength: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('shape' as const),
      text: fc.oneof(
        fc.constantFrom(...SHAPE_TEXTS),
        fc
          .array(fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 53 - 1 })), { maxLength: 4 })
          .map((xs) => `(${xs.join(', ')},)`),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('headerLength' as const),
      value: fc.oneof(fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff), fc.nat()),
    }),
  },
);

/** A shape text, with 'nest OPEN COUNT' standing for OPEN repeated COUNT times. */
function expandShapeText(text: string): string {
  const m = /^nest (.+) (\d+)$/.exec(text);
  return m ? m[1].repeat(Number(m[2])) : text;
}

function corruptNpy(f: NpyFile, c: NpyCorruption): Uint8Array {
  const bytes = npyBytes(f);
  const lenBytes = f.version === 1 ? 2 : 4;
  switch (c.kind) {
    case 'bytes':
      return c.mutations.reduce(mutate, bytes);
    case 'shape':
      return npyBytes(f, npyHeaderText(f, expandShapeText(c.text)));
    case 'headerLength': {
      const out = bytes.slice();
      const dv = new DataView(out.buffer);
      if (lenBytes === 2) dv.setUint16(8, c.value & 0xffff, true);
      else dv.setUint32(8, c.value >>> 0, true);
      return out;
    }
    case 'header': {
      const text = npyHeaderText(f);
      const at = c.at % (text.length + 1);
      const edited = text.slice(0, at) + c.token + text.slice(at + c.length);
      if (c.fixLength) return npyBytes(f, edited);
      // Keep the old header length: the edit shifts the data or eats into it.
      const head = f.version === 3 ? new TextEncoder().encode(edited) : latin1(edited);
      const start = 8 + lenBytes;
      const oldText = npyHeaderText(f);
      return concat(bytes.subarray(0, start), head, bytes.subarray(start + oldText.length));
    }
  }
}

const consistentNpy = (v: { data: unknown; shape: unknown; dtype: unknown }) =>
  typeof v.dtype !== 'string' ? `dtype is ${String(v.dtype)}` : consistentArray(v);

// ---------------------------------------------------------------------------------------------
// PNG files, written by hand (every colour type and bit depth, filters, split IDAT, tRNS)

const PNG_FORMATS: [number, number][] = [
  [0, 1],
  [0, 2],
  [0, 4],
  [0, 8],
  [0, 16],
  [2, 8],
  [2, 16],
  [3, 1],
  [3, 2],
  [3, 4],
  [3, 8],
  [4, 8],
  [4, 16],
  [6, 8],
  [6, 16],
];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface PngFile {
  width: number;
  height: number;
  format: number; // index into PNG_FORMATS
  samples: number[]; // height × width × channels, row-major
  palette: number[]; // RGB triples (colour type 3)
  filters: number[]; // per row, 0..4
  idatParts: number;
  trns: boolean;
  text: boolean;
  channel: 'luminance' | 'R' | 'G' | 'B';
}

const pngFileArb: fc.Arbitrary<PngFile> = fc
  .record({
    width: fc.integer({ min: 1, max: 7 }),
    height: fc.integer({ min: 1, max: 5 }),
    format: fc.integer({ min: 0, max: PNG_FORMATS.length - 1 }),
    idatParts: fc.integer({ min: 1, max: 3 }),
    trns: fc.boolean(),
    text: fc.boolean(),
    channel: fc.constantFrom('luminance' as const, 'R' as const, 'G' as const, 'B' as const),
  })
  .chain((p) => {
    const [colorType, depth] = PNG_FORMATS[p.format];
    const paletteSize = Math.min(256, 2 ** depth);
    const count = p.width * p.height * CHANNELS[colorType];
    const sampleMax = colorType === 3 ? paletteSize - 1 : 2 ** depth - 1;
    const sample = fc.oneof(fc.integer({ min: 0, max: sampleMax }), fc.constantFrom(0, sampleMax));
    return fc
      .record({
        samples: fc.array(sample, { minLength: count, maxLength: count }),
        palette: fc.array(fc.integer({ min: 0, max: 255 }), {
          minLength: colorType === 3 ? 3 * paletteSize : 0,
          maxLength: colorType === 3 ? 3 * paletteSize : 0,
        }),
        filters: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: p.height, maxLength: p.height }),
      })
      .map((rest) => ({ ...p, ...rest }));
  });

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk {
  type: string;
  data: Uint8Array;
}

function chunkBytes({ type, data }: Chunk, lengthField = data.length): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, lengthField >>> 0);
  out.set(latin1(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image's rows as bytes (one filter byte each), before compression. */
function pngRaw(p: PngFile): Uint8Array {
  const [colorType, depth] = PNG_FORMATS[p.format];
  const perPixel = CHANNELS[colorType];
  const rowBytes = Math.ceil((p.width * perPixel * depth) / 8);
  const bpp = Math.max(1, (perPixel * depth) / 8);
  const rows: Uint8Array[] = [];
  for (let y = 0; y < p.height; y++) {
    const row = new Uint8Array(rowBytes);
    const samples = p.samples.slice(y * p.width * perPixel, (y + 1) * p.width * perPixel);
    if (depth === 16) samples.forEach((v, i) => ((row[2 * i] = v >> 8), (row[2 * i + 1] = v & 0xff)));
    else if (depth === 8) row.set(samples);
    else
      samples.forEach((v, i) => {
        const bit = i * depth;
        row[bit >> 3] |= v << (8 - depth - (bit & 7));
      });
    rows.push(row);
  }
  const out = new Uint8Array(p.height * (rowBytes + 1));
  for (let y = 0; y < p.height; y++) {
    const filter = p.filters[y];
    const row = rows[y];
    const prior = y > 0 ? rows[y - 1] : new Uint8Array(rowBytes);
    out[y * (rowBytes + 1)] = filter;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prior[i];
      const c = i >= bpp ? prior[i - bpp] : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      out[y * (rowBytes + 1) + 1 + i] = (row[i] - predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function ihdr(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const data = new Uint8Array(13);
  const dv = new DataView(data.buffer);
  dv.setUint32(0, width >>> 0);
  dv.setUint32(4, height >>> 0);
  data.set([depth, colorType, 0, 0, interlace], 8);
  return data;
}

/** The chunks of a valid PNG of `p`; `raw` replaces the uncompressed image data. */
function pngChunks(p: PngFile, raw = pngRaw(p)): Chunk[] {
  const [colorType, depth] = PNG_FORMATS[p.format];
  const chunks: Chunk[] = [{ type: 'IHDR', data: ihdr(p.width, p.height, depth, colorType) }];
  if (p.text) chunks.push({ type: 'tEXt', data: latin1('Comment\u0000fuzz') });
  if (colorType === 3) chunks.push({ type: 'PLTE', data: Uint8Array.from(p.palette) });
  if (p.trns && (colorType === 0 || colorType === 2 || colorType === 3))
    chunks.push({
      type: 'tRNS',
      data: colorType === 0 ? Uint8Array.of(0, 1) : colorType === 2 ? new Uint8Array(6) : Uint8Array.of(0, 128),
    });
  const z = deflateSync(raw);
  const step = Math.ceil(z.length / p.idatParts);
  for (let k = 0; k < z.length; k += step) chunks.push({ type: 'IDAT', data: z.subarray(k, k + step) });
  chunks.push({ type: 'IEND', data: new Uint8Array(0) });
  return chunks;
}

const pngBytes = (chunks: Chunk[]) => concat(PNG_SIGNATURE, ...chunks.map((c) => chunkBytes(c)));

/** The grey values readPngGrey documents for a valid file. */
function pngExpected(p: PngFile): number[] {
  const [colorType] = PNG_FORMATS[p.format];
  const perPixel = CHANNELS[colorType];
  const out: number[] = [];
  for (let i = 0; i < p.width * p.height; i++) {
    const s = p.samples.slice(i * perPixel, (i + 1) * perPixel);
    if (colorType === 0 || colorType === 4) {
      out.push(s[0]);
      continue;
    }
    const [r, g, b] = colorType === 3 ? p.palette.slice(3 * s[0], 3 * s[0] + 3) : s;
    if (p.channel !== 'luminance') out.push({ R: r, G: g, B: b }[p.channel]);
    else out.push(r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b);
  }
  return out;
}

type PngCorruption =
  | { kind: 'bytes'; mutations: Mutation[] }
  | { kind: 'ihdr'; field: number; value: number }
  | { kind: 'raw'; cut: number; extra: number[] }
  | {
      kind: 'chunks';
      op: 'drop' | 'duplicate' | 'swap' | 'insert';
      at: number;
      other: number;
      type: string;
      data: number[];
    }
  | { kind: 'lengthField'; at: number; value: number };

const IHDR_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 255, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 100000];

const pngCorruptionArb: fc.Arbitrary<PngCorruption> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ihdr' as const),
      field: fc.integer({ min: 0, max: 6 }), // width, height, depth, colour type, compression, filter, interlace
      value: fc.oneof(fc.constantFrom(...IHDR_VALUES), fc.nat()),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      cut: fc.nat(),
      extra: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('chunks' as const),
      op: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const, 'insert' as const),
      at: fc.nat(),
      other: fc.nat(),
      type: fc.constantFrom('IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND', 'gAMA', 'zzZz', 'abcd'),
      data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('lengthField' as const),
      at: fc.nat(),
      value: fc.oneof(fc.constantFrom(0, 0x7fffffff, 0xffffffff, 2 ** 31), fc.nat()),
    }),
  },
);

function corruptPng(p: PngFile, c: PngCorruption): Uint8Array {
  const [colorType, depth] = PNG_FORMATS[p.format];
  switch (c.kind) {
    case 'bytes':
      return c.mutations.reduce(mutate, pngBytes(pngChunks(p)));
    case 'ihdr': {
      const fields = [p.width, p.height, depth, colorType, 0, 0, 0];
      fields[c.field] = c.field < 2 ? c.value : c.value & 0xff;
      const chunks = pngChunks(p);
      chunks[0] = { type: 'IHDR', data: ihdr(fields[0], fields[1], fields[2], fields[3], fields[6]) };
      chunks[0].data[10] = fields[4];
      chunks[0].data[11] = fields[5];
      return pngBytes(chunks);
    }
    case 'raw': {
      const raw = pngRaw(p);
      return pngBytes(pngChunks(p, concat(raw.subarray(0, c.cut % (raw.length + 1)), Uint8Array.from(c.extra))));
    }
    case 'chunks': {
      const chunks = pngChunks(p);
      const at = c.at % chunks.length;
      const other = c.other % chunks.length;
      if (c.op === 'drop') chunks.splice(at, 1);
      else if (c.op === 'duplicate') chunks.splice(at, 0, chunks[at]);
      else if (c.op === 'swap') [chunks[at], chunks[other]] = [chunks[other], chunks[at]];
      else chunks.splice(at, 0, { type: c.type, data: Uint8Array.from(c.data) });
      return pngBytes(chunks);
    }
    case 'lengthField': {
      const chunks = pngChunks(p);
      const at = c.at % chunks.length;
      return concat(PNG_SIGNATURE, ...chunks.map((ch, k) => chunkBytes(ch, k === at ? c.value : ch.data.length)));
    }
  }
}

/** Bytes of image data (filter bytes included) that a width × height image needs, or null when the header is invalid. */
function pngDataSize(
  width: number,
  height: number,
  depth: number,
  colorType: number,
  interlace: number,
): number | null {
  if (!PNG_FORMATS.some(([t, d]) => t === colorType && d === depth) || width < 1 || height < 1 || interlace > 1)
    return null;
  const bits = CHANNELS[colorType] * depth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (Math.ceil((w * bits) / 8) + 1) : 0);
  if (interlace === 0) return rows(width, height);
  // Adam7: seven passes of (x0, y0, dx, dy).
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  return passes.reduce(
    (sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)),
    0,
  );
}

/**
 * Whether the corrupted file's image data (after decompression) is shorter than its header's image
 * needs: a truncated image, which must be refused, not padded with zeros.
 */
function pngDataShort(p: PngFile, c: PngCorruption): boolean {
  const [colorType, depth] = PNG_FORMATS[p.format];
  const have = pngRaw(p).length;
  if (c.kind === 'raw') return (c.cut % (have + 1)) + c.extra.length < have;
  if (c.kind !== 'ihdr') return false;
  const fields = [p.width, p.height, depth, colorType, 0, 0, 0];
  fields[c.field] = c.field < 2 ? c.value : c.value & 0xff;
  if (fields[4] !== 0 || fields[5] !== 0) return false;
  const need = pngDataSize(fields[0], fields[1], fields[2], fields[3], fields[6]);
  return need !== null && need > have;
}

const consistentPng = (v: { data: unknown; shape: unknown; bitDepth: unknown }) =>
  ![1, 2, 4, 8, 16].includes(v.bitDepth as number)
    ? `bitDepth is ${String(v.bitDepth)}`
    : !Array.isArray(v.shape) || v.shape.length !== 2
      ? `shape is ${JSON.stringify(v.shape)}`
      : consistentArray(v, ['Float64Array']);

// ---------------------------------------------------------------------------------------------
// CSV text

interface CsvFile {
  rows: number[][];
  separator: string;
  spaces: boolean;
  header: boolean;
  comments: boolean;
  crlf: boolean;
  trailingNewline: boolean;
  formats: number[]; // per value: 0 String, 1 exponent, 2 leading '+', 3 'NaN'-style spelling for NaN
}

const CSV_NUMBERS = [0, -0, 1, -1, 0.1, 1e300, -1e300, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2, Infinity, -Infinity, NaN];

const csvValue = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noDefaultInfinity: true, noNaN: true }),
  fc.constantFrom(...CSV_NUMBERS),
);

const csvFileArb: fc.Arbitrary<CsvFile> = fc
  .record({
    rowCount: fc.integer({ min: 1, max: 6 }),
    columns: fc.integer({ min: 1, max: 5 }),
    separator: fc.constantFrom(',', ';', '\t', ' '),
    spaces: fc.boolean(),
    header: fc.boolean(),
    comments: fc.boolean(),
    crlf: fc.boolean(),
    trailingNewline: fc.boolean(),
  })
  .chain(({ rowCount, columns, ...f }) =>
    fc
      .record({
        rows: fc.array(fc.array(csvValue, { minLength: columns, maxLength: columns }), {
          minLength: rowCount,
          maxLength: rowCount,
        }),
        formats: fc.array(fc.integer({ min: 0, max: 3 }), {
          minLength: rowCount * columns,
          maxLength: rowCount * columns,
        }),
      })
      .map((rest) => ({ ...f, ...rest })),
  );

function formatNumber(x: number, format: number): string {
  if (Number.isNaN(x)) return ['nan', 'NaN', 'NAN', 'nan'][format];
  if (Object.is(x, -0)) return format === 1 ? '-0e0' : '-0';
  if (format === 1 && Number.isFinite(x)) return x.toExponential();
  if (format === 2 && x >= 0) return `+${x}`;
  return String(x);
}

function csvText(f: CsvFile): string {
  const sep = f.spaces && f.separator !== ' ' ? ` ${f.separator} ` : f.separator;
  const eol = f.crlf ? '\r\n' : '\n';
  const lines: string[] = [];
  if (f.comments) lines.push('# a comment, with 1,2,3', '');
  if (f.header) lines.push(f.rows[0].map((_, j) => `col${j}`).join(sep));
  f.rows.forEach((row, i) => {
    lines.push(row.map((x, j) => formatNumber(x, f.formats[i * row.length + j])).join(sep));
    if (f.comments && i === 0) lines.push('#', '   ');
  });
  return lines.join(eol) + (f.trailingNewline ? eol : '');
}

const CSV_TOKENS = [
  ',',
  ';',
  '\t',
  ' ',
  '\n',
  '\r',
  '\r\n',
  '#',
  '-',
  '+',
  '.',
  'e',
  'E',
  '0',
  '9',
  'nan',
  'inf',
  'Infinity',
  'x',
  '0x1f',
  '1_000',
  '\u00a0',
  '\u2028',
  '\u0000',
  '"',
  "'",
  'é',
  ',,',
  '\ufeff',
];

type CsvEdit = { at: number; remove: number; insert: string };

const csvEditArb: fc.Arbitrary<CsvEdit> = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 4 }),
  insert: fc.oneof(fc.constantFrom(...CSV_TOKENS), fc.string({ maxLength: 4 }), fc.constant('')),
});

function editText(text: string, e: CsvEdit): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

const consistentCsv = (v: { data: unknown; shape: unknown }) =>
  !Array.isArray(v.shape) || v.shape.length !== 2 || v.shape.some((n) => !(n >= 1))
    ? `shape is ${JSON.stringify(v.shape)}`
    : consistentArray(v, ['Float64Array']);

// ---------------------------------------------------------------------------------------------
// Properties

/** A file for the loader and the CLI, as a short description (built into bytes by `sourceBytes`). */
type Source =
  | { kind: 'npy'; file: NpyFile; corruption: NpyCorruption | null }
  | { kind: 'png'; file: PngFile; corruption: PngCorruption | null }
  | { kind: 'csv'; file: CsvFile; edits: CsvEdit[] }
  | { kind: 'raw'; bytes: number[] };

const npySourceArb: fc.Arbitrary<Source> = fc.record({
  kind: fc.constant('npy' as const),
  file: npyFileArb,
  corruption: fc.option(npyCorruptionArb, { freq: 4, nil: null }),
});
const pngSourceArb: fc.Arbitrary<Source> = fc.record({
  kind: fc.constant('png' as const),
  file: pngFileArb,
  corruption: fc.option(pngCorruptionArb, { freq: 4, nil: null }),
});
const csvSourceArb: fc.Arbitrary<Source> = fc.record({
  kind: fc.constant('csv' as const),
  file: csvFileArb,
  edits: fc.array(csvEditArb, { maxLength: 3 }),
});
const rawSourceArb: fc.Arbitrary<Source> = fc.record({
  kind: fc.constant('raw' as const),
  bytes: fc.oneof(
    fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
    fc.constantFrom<number[]>(
      [...PNG_SIGNATURE.slice(0, 5)],
      [...latin1('\x93NUMPY')],
      [...latin1('\x93NUMPY\x01\x00')],
      [...latin1('\x93NUMPY\x02\x00\xff\xff\xff\xff')],
      [0xff, 0xd8, 0xff, 0xe0],
      [0x50, 0x4b, 0x03, 0x04],
      [0xef, 0xbb, 0xbf, 0x31, 0x2c, 0x32],
    ),
  ),
});

function sourceBytes(s: Source): Uint8Array {
  switch (s.kind) {
    case 'npy':
      return s.corruption ? corruptNpy(s.file, s.corruption) : npyBytes(s.file);
    case 'png':
      return s.corruption ? corruptPng(s.file, s.corruption) : pngBytes(pngChunks(s.file));
    case 'csv':
      return new TextEncoder().encode(s.edits.reduce(editText, csvText(s.file)));
    case 'raw':
      return Uint8Array.from(s.bytes);
  }
}

/** One reader call in the sandbox. */
const call = (file: string, fn: string, ...args: unknown[]) => sandbox.call(file, fn, args, CASE_TIMEOUT_MS);

describe('.npy reader (readNpy)', () => {
  test(
    'valid files of every dtype, byte order, version and order read back exactly',
    async () => {
      await fc.assert(
        fc.asyncProperty(npyFileArb, async (f) => {
          const o = await call(NPY, 'readNpy', npyBytes(f));
          const expected = npyExpected(f);
          if (expected === 'inexact') {
            // A 64-bit integer beyond doubles: refused, naming the element.
            if (o.kind !== 'threw') throw new Error(`accepted an inexact ${NPY_DTYPES[f.dtype].name}: ${o.kind}`);
            return fail(
              outcomeProblem(o, () => null, ['element']),
              'inexact 64-bit integers',
            );
          }
          if (o.kind !== 'value') throw new Error(`refused a valid file: ${JSON.stringify(o)}`);
          const v = o.value as { data: ArrayLike<number>; shape: number[]; dtype: string };
          if (JSON.stringify(v.shape) !== JSON.stringify(f.shape)) throw new Error(`shape ${JSON.stringify(v.shape)}`);
          if (v.dtype !== NPY_DTYPES[f.dtype].name) throw new Error(`dtype ${v.dtype}`);
          if (tag(v.data) !== (expected.float32 ? 'Float32Array' : 'Float64Array'))
            throw new Error(`data is a ${tag(v.data)}`);
          fail(sameValues(v.data, expected.data), 'data');
        }),
        params(400, 4000),
      );
    },
    jestTimeout(4000),
  );

  test(
    'mutated, truncated and garbled files: a consistent array or a one-line error, promptly',
    async () => {
      await fc.assert(
        fc.asyncProperty(npyFileArb, npyCorruptionArb, async (f, c) => {
          const o = await call(NPY, 'readNpy', corruptNpy(f, c));
          fail(outcomeProblem(o, consistentNpy), 'readNpy');
        }),
        params(1500, 6000),
      );
    },
    jestTimeout(6000),
  );
});

describe('PNG reader (readPngGrey)', () => {
  test(
    'valid files of every colour type, bit depth and filter read back as documented',
    async () => {
      await fc.assert(
        fc.asyncProperty(pngFileArb, async (p) => {
          const o = await call(PNG_READER, 'readPngGrey', pngBytes(pngChunks(p)), p.channel);
          if (o.kind !== 'value') throw new Error(`refused a valid file: ${JSON.stringify(o)}`);
          const v = o.value as { data: ArrayLike<number>; shape: number[]; bitDepth: number };
          if (JSON.stringify(v.shape) !== JSON.stringify([p.height, p.width]))
            throw new Error(`shape ${JSON.stringify(v.shape)}`);
          if (v.bitDepth !== PNG_FORMATS[p.format][1]) throw new Error(`bitDepth ${v.bitDepth}`);
          fail(sameValues(v.data, pngExpected(p)), 'grey values');
        }),
        params(400, 4000),
      );
    },
    jestTimeout(4000),
  );

  test(
    'mutated files (bytes, header fields, image data, chunk lists, lengths): the same image every read, or a one-line error',
    async () => {
      await fc.assert(
        fc.asyncProperty(pngFileArb, pngCorruptionArb, async (p, c) => {
          const bytes = corruptPng(p, c);
          const o = await call(PNG_READER, 'readPngGrey', bytes);
          if (o.kind === 'value') {
            // The same bytes read twice (with other work between) give the same image: no uninitialised memory.
            await call(PNG_READER, 'readPngGrey', pngBytes(pngChunks(p)));
            const again = await call(PNG_READER, 'readPngGrey', bytes);
            const differ =
              again.kind !== 'value'
                ? `then ${again.kind}`
                : sameValues((again.value as { data: number[] }).data, (o.value as { data: number[] }).data);
            if (differ !== null) throw new Error(`reading the same file twice differs: ${differ}`);
          }
          if (o.kind === 'value' && pngDataShort(p, c)) throw new Error('a truncated image was read (padded)');
          fail(outcomeProblem(o, consistentPng), 'readPngGrey');
        }),
        params(1500, 6000),
      );
    },
    jestTimeout(6000),
  );

  test(
    'channel: anything but luminance, R, G, B is refused naming channel',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          pngFileArb,
          fc.constantFrom<unknown>('r', 'A', 'alpha', '', null, 0, 'Luminance', ['R'], {}),
          async (p, channel) => {
            const o = await call(PNG_READER, 'readPngGrey', pngBytes(pngChunks(p)), channel);
            if (o.kind === 'value') throw new Error(`accepted channel ${JSON.stringify(channel)}`);
            fail(
              outcomeProblem(o, () => null, ['channel']),
              'channel',
            );
          },
        ),
        params(20, 1000),
      );
    },
    jestTimeout(1000),
  );
});

describe('CSV reader (readCsv)', () => {
  test(
    'valid tables (any separator, spacing, header, comments, CRLF, −0, NaN, ±Infinity, extremes) read back exactly',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvFileArb, async (f) => {
          const o = await call(CSV, 'readCsv', csvText(f));
          if (o.kind !== 'value') throw new Error(`refused a valid table: ${JSON.stringify(o)}`);
          const v = o.value as { data: ArrayLike<number>; shape: number[] };
          const shape = [f.rows.length, f.rows[0].length];
          if (JSON.stringify(v.shape) !== JSON.stringify(shape)) throw new Error(`shape ${JSON.stringify(v.shape)}`);
          fail(sameValues(v.data, f.rows.flat()), 'values');
        }),
        params(400, 3000),
      );
    },
    jestTimeout(3000),
  );

  test(
    'edited texts: a consistent table or a one-line error naming the line',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvFileArb, fc.array(csvEditArb, { minLength: 1, maxLength: 4 }), async (f, edits) => {
          const text = edits.reduce(editText, csvText(f));
          const o = await call(CSV, 'readCsv', text);
          fail(outcomeProblem(o, consistentCsv, ['line', 'no rows']), 'readCsv');
        }),
        params(1000, 4000),
      );
    },
    jestTimeout(4000),
  );

  test(
    'wide rows (tens of thousands of values on one line) read, or fail cleanly',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(1000, 70_000, 150_000, 300_000),
          fc.integer({ min: 1, max: 2 }),
          async (columns, rows) => {
            const line = Array.from({ length: columns }, (_, j) => j % 10).join(',');
            const o = await call(CSV, 'readCsv', Array.from({ length: rows }, () => line).join('\n'));
            fail(outcomeProblem(o, consistentCsv), `readCsv of ${rows} × ${columns}`);
          },
        ),
        params(6, 4000),
      );
    },
    jestTimeout(4000),
  );
});

describe("the CLI's loader (decodeArray, readInput)", () => {
  const PATHS = ['in.npy', 'in.png', 'IN.NPY', 'in.PnG', 'in', 'in.csv', 'dir.npy/in', 'in.png.npy', '.npy', 'in.'];
  const source = fc.oneof(npySourceArb, pngSourceArb, rawSourceArb, csvSourceArb);

  test(
    'decodeArray on any bytes under any name: a consistent array or a one-line error',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...PATHS), source, async (path, src) => {
          const bytes = sourceBytes(src);
          const o = await call(LOAD, 'decodeArray', path, bytes);
          fail(outcomeProblem(o, consistentArray), `decodeArray('${path}', ${bytes.length} bytes)`);
        }),
        params(800, 4000),
      );
    },
    jestTimeout(4000),
  );

  test(
    'readInput: whatever the file system throws becomes "cannot read file: …" on one line',
    async () => {
      // The sandbox cannot take a function: the throwing readers are built in the worker from a description.
      const thrown = fc.constantFrom<[string, unknown]>(
        ['code', 'ENOENT'],
        ['code', 'EISDIR'],
        ['code', 'EACCES'],
        ['code', 'EPERM'],
        ['code', 'ELOOP'],
        ['code', 'EMFILE'],
        ['error', ''],
        ['error', 'disk on fire'],
        ['value', 'a string'],
        ['value', { code: 'ENOENT' }],
      );
      await fc.assert(
        fc.asyncProperty(thrown, async ([kind, x]) => {
          const r = readInputOutcome(kind, x);
          fail(r, `readInput when readFile throws ${kind} ${String(x)}`);
        }),
        params(30, 1000),
      );
    },
    jestTimeout(1000),
  );
});

/** readInput (in-process: it takes a callback) with a readFile that throws as described. */
function readInputOutcome(kind: string, x: unknown): string | null {
  const thrower = () => {
    if (kind === 'code') throw Object.assign(new Error(`${String(x)}: something, open 'x'`), { code: x });
    if (kind === 'error') throw new Error(String(x));
    throw x;
  };
  try {
    readInput('some/file.npy', thrower);
    return 'returned although readFile threw';
  } catch (e) {
    const o: Outcome = {
      kind: 'threw',
      ms: 0,
      error: {
        cls: e instanceof Error ? e.constructor.name : 'non-Error',
        name: e instanceof Error ? e.name : '',
        message: e instanceof Error ? e.message : String(e),
      },
    };
    return outcomeProblem(o, () => null, ['cannot read file']);
  }
}

describe('PNG folder reader (readPngSegmentationFolder)', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tfjs-topo-fuzz-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test(
    'folders of valid and mutated PNGs and odd options: a dataset or a one-line error',
    async () => {
      let k = 0;
      const file = fc.oneof(
        pngFileArb.map((p) => pngBytes(pngChunks(p))),
        fc.tuple(pngFileArb, pngCorruptionArb).map(([p, c]) => corruptPng(p, c)),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom('a.png', 'b.PNG', 'c10.png', 'c2.png', 'd.txt'), file, fc.boolean()), {
            maxLength: 3,
          }),
          fc.array(fc.tuple(fc.constantFrom('a.png', 'b.PNG', 'c10.png', 'c2.png'), file), { maxLength: 3 }),
          fc.constantFrom<unknown>(undefined, 0, 0.5, 0.999, 1, -0.1, NaN, '0.5', null),
          async (images, masks, maskThreshold) => {
            const dir = join(root, String(k++));
            mkdirSync(join(dir, 'images'), { recursive: true });
            mkdirSync(join(dir, 'masks'), { recursive: true });
            for (const [name, bytes, alsoMask] of images) {
              writeFileSync(join(dir, 'images', name), bytes);
              if (alsoMask) writeFileSync(join(dir, 'masks', name), bytes);
            }
            for (const [name, bytes] of masks) writeFileSync(join(dir, 'masks', name), bytes);
            const o = await call(PNG_FOLDER, 'readPngSegmentationFolder', dir, { maskThreshold });
            fail(
              outcomeProblem(o, (v: { images: unknown; masks: unknown; shape: number[] }) => {
                if (tag(v.images) !== 'Float32Array' || tag(v.masks) !== 'Float32Array') return 'not Float32Arrays';
                const n = product(v.shape);
                const images = v.images as Float32Array;
                const ms = v.masks as Float32Array;
                if (images.length !== n || ms.length !== n) return `lengths do not match shape [${v.shape}]`;
                if (images.some((x) => !(x >= 0 && x <= 1))) return 'an image value outside [0, 1]';
                if (ms.some((x) => x !== 0 && x !== 1)) return 'a mask value other than 0 or 1';
                return null;
              }),
              'readPngSegmentationFolder',
            );
          },
        ),
        params(40, 3000),
      );
    },
    jestTimeout(3000),
  );
});

describe('the CLI in-process, on broken files (a few cases)', () => {
  /** A run's problem: exit 0 with one line of JSON, or exit 1 with one line "tfjs-topo: …" on stderr. */
  function cliProblem(r: { code: number; stdout: string; stderr: string }): string | null {
    if (r.code === 0) {
      if (!r.stdout.endsWith('\n') || r.stdout.slice(0, -1).includes('\n')) return 'stdout is not one line';
      try {
        JSON.parse(r.stdout);
      } catch {
        return `stdout is not JSON: ${r.stdout.slice(0, 200)}`;
      }
      return null;
    }
    if (r.code !== 1) return `exit code ${r.code}: ${r.stderr}`;
    if (
      !r.stderr.startsWith('tfjs-topo: ') ||
      !r.stderr.endsWith('\n') ||
      /[\r\n\u2028\u2029]/.test(r.stderr.slice(0, -1))
    )
      return `stderr is not one line "tfjs-topo: …": ${JSON.stringify(r.stderr.slice(0, 300))}`;
    return thrownProblem({ cls: 'Error', name: 'Error', message: r.stderr.slice(0, -1) });
  }

  test(
    'diagram on mutated .npy and .png files, rips on mutated .csv and .npy files',
    async () => {
      const input = fc.oneof(
        fc.tuple(fc.constant('diagram'), fc.constant('in.npy'), npySourceArb),
        fc.tuple(fc.constant('diagram'), fc.constant('in.png'), pngSourceArb),
        fc.tuple(fc.constant('rips'), fc.constant('in.csv'), csvSourceArb),
        fc.tuple(fc.constant('rips'), fc.constant('in.npy'), npySourceArb),
      );

      await fc.assert(
        fc.asyncProperty(
          input,
          fc.constantFrom<string[]>([], ['--superlevel'], ['--maxdim', '2']),
          async ([command, path, src], extra) => {
            const bytes = sourceBytes(src);
            const args =
              command === 'diagram'
                ? extra.filter((a) => a === '--superlevel')
                : extra.filter((a) => a !== '--superlevel');
            const t0 = performance.now();
            const r = await runCli([command, path, ...args], { [path]: bytes });
            const ms = performance.now() - t0;
            fail(cliProblem(r), `tfjs-topo ${command} ${path} ${args.join(' ')}`);
            if (ms > CASE_TIMEOUT_MS) throw new Error(`took ${Math.round(ms)} ms`);
          },
        ),
        params(40, 4000),
      );
    },
    jestTimeout(4000),
  );
});
