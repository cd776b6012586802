/**
 * Reader and writer for NumPy's .npy format (versions 1.0, 2.0 and 3.0), without dependencies.
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { parsePyLiteral, PyDict, PyTuple, PyValue } from './pyliteral';
import { quote } from './quote';

export interface NpyArray {
  /** Values in C order (last axis fastest), in the host's byte order. */
  data: Float32Array | Float64Array;
  /** Array shape; `[]` for a 0-d array. */
  shape: number[];
  /** NumPy name of the stored dtype: float32, float64, (u)int8 to (u)int64, or bool. */
  dtype: string;
}

type RawView =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

interface DtypeInfo {
  name: string;
  size: number;
  /** Typed-array view of host-order bytes. Integers are widened to Float64Array (exact). */
  view(buf: ArrayBuffer): RawView;
}

const DTYPES: Record<string, DtypeInfo> = {
  f4: { name: 'float32', size: 4, view: (b) => new Float32Array(b) },
  f8: { name: 'float64', size: 8, view: (b) => new Float64Array(b) },
  u1: { name: 'uint8', size: 1, view: (b) => new Uint8Array(b) },
  i1: { name: 'int8', size: 1, view: (b) => new Int8Array(b) },
  u2: { name: 'uint16', size: 2, view: (b) => new Uint16Array(b) },
  i2: { name: 'int16', size: 2, view: (b) => new Int16Array(b) },
  u4: { name: 'uint32', size: 4, view: (b) => new Uint32Array(b) },
  i4: { name: 'int32', size: 4, view: (b) => new Int32Array(b) },
  // NumPy's default integer type; values that a double cannot hold exactly are refused (see bigToFloat64).
  u8: { name: 'uint64', size: 8, view: (b) => new BigUint64Array(b) },
  i8: { name: 'int64', size: 8, view: (b) => new BigInt64Array(b) },
  // NumPy's masks: one byte, 0 or 1 (any non-zero byte counts as True, as in NumPy).
  b1: { name: 'bool', size: 1, view: (b) => new Uint8Array(b).map((v) => (v === 0 ? 0 : 1)) },
};
const SUPPORTED = 'float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, bool';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses a .npy file. Float32/float64 data keep their type; integers and booleans (as 0/1) become
 * exact Float64Array values, and a 64-bit integer that a double cannot hold exactly is an error,
 * never a rounded value. Fortran-ordered arrays are transposed into C order. Every malformed input
 * throws an Error with a one-line message naming the problem.
 */
export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new Error('not a .npy file: bad magic string (expected "\\x93NUMPY")');
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3)
    throw new Error(`unsupported .npy format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new Error('truncated .npy header: file ends inside the header length');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (bytes.length < dataStart) {
    throw new Error(
      `truncated .npy header: header declares ${headerLen} bytes, file holds only ${bytes.length - 8 - lenBytes}`,
    );
  }
  const headerBytes = bytes.subarray(8 + lenBytes, dataStart);
  // Versions 1 and 2 store the header in latin1, version 3 in utf-8.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { dtype, fortran, shape } = parseHeader(text);

  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * dtype.size;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new Error(
      `.npy data too short: shape ${fmtShape(shape)} of ${dtype.name} needs ${need} bytes, file holds ${have}`,
    );
  }
  if (have > need) {
    throw new Error(
      `.npy data too long: shape ${fmtShape(shape)} of ${dtype.name} needs ${need} bytes, file holds ${have}`,
    );
  }

  // Copy into a fresh buffer: aligned for typed arrays, and safe for Node Buffers whose slice() is a view.
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(dataStart, dataStart + need));
  const buf = copy.buffer;
  if (dtype.size > 1 && dtype.little !== HOST_LITTLE) swapBytes(new Uint8Array(buf), dtype.size);
  const raw = dtype.view(buf);
  const fortranShape = fortran && shape.length > 1 ? shape : undefined;
  let data = toFloat(raw, dtype.name, shape, fortranShape);
  if (fortranShape) data = fortranToC(data, fortranShape);
  return { data, shape, dtype: dtype.name };
}

/** Floats as they are; integers widened to float64, which holds every 8-to-32-bit value exactly. */
function toFloat(
  raw: RawView,
  dtype: string,
  shape: readonly number[],
  fortranShape: readonly number[] | undefined,
): Float32Array | Float64Array {
  if (raw instanceof Float32Array || raw instanceof Float64Array) return raw;
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array)
    return bigToFloat64(raw, dtype, shape, fortranShape);
  return Float64Array.from(raw);
}

/**
 * 64-bit integers as doubles, refusing any that a double cannot hold exactly (magnitudes above
 * 2^53 that are not multiples of a high enough power of two): a rounded value would silently
 * change the input's order and ties. The error names the first such element in C order.
 */
function bigToFloat64(
  raw: BigInt64Array | BigUint64Array,
  dtype: string,
  shape: readonly number[],
  fortranShape: readonly number[] | undefined,
): Float64Array {
  const out = new Float64Array(raw.length);
  let bad = -1; // C-order index of the first inexact element
  let badValue = 0n;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    const x = Number(v);
    out[i] = x;
    if (BigInt(x) !== v) {
      const c = fortranShape ? fortranIndexToC(i, fortranShape) : i;
      if (bad < 0 || c < bad) [bad, badValue] = [c, v];
      if (!fortranShape) break; // in C order the first one met is the first one
    }
  }
  if (bad >= 0) {
    throw new Error(
      `${dtype} element ${bad} (index ${fmtShape(cIndexToTuple(bad, shape))}) is ${badValue}, which float64 cannot represent exactly ` +
        `(beyond 2^53 in magnitude, integers are rounded); convert the array to float64 first if rounding is acceptable`,
    );
  }
  return out;
}

/** C-order flat index of the element stored at position `f` of a Fortran-ordered array. */
function fortranIndexToC(f: number, shape: readonly number[]): number {
  const tuple = new Array<number>(shape.length);
  for (let k = 0; k < shape.length; k++) {
    tuple[k] = f % shape[k];
    f = Math.floor(f / shape[k]);
  }
  return tuple.reduce((c, i, k) => c * shape[k] + i, 0);
}

/** Index tuple of the C-order flat index `c`. */
function cIndexToTuple(c: number, shape: readonly number[]): number[] {
  const tuple = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    tuple[k] = c % shape[k];
    c = Math.floor(c / shape[k]);
  }
  return tuple;
}

interface Header {
  dtype: DtypeInfo & { little: boolean };
  fortran: boolean;
  shape: number[];
}

function parseHeader(text: string): Header {
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (e) {
    throw new Error(`.npy header is not a valid dict: ${(e as Error).message}`, { cause: e });
  }
  if (!(dict instanceof PyDict)) throw new Error('.npy header is not a valid dict');
  const keys = [...dict.entries.keys()];
  for (const k of ['descr', 'fortran_order', 'shape']) {
    if (!dict.entries.has(k)) throw new Error(`.npy header lacks the key '${k}'`);
  }
  const extra = keys.filter((k) => !['descr', 'fortran_order', 'shape'].includes(k));
  if (extra.length) {
    const shown = extra.slice(0, 5).map(quote).join(', ') + (extra.length > 5 ? `, … (${extra.length} in all)` : '');
    throw new Error(`.npy header has unexpected keys: ${shown}`);
  }

  const fortran = dict.entries.get('fortran_order');
  if (typeof fortran !== 'boolean') throw new Error(".npy header: 'fortran_order' must be True or False");

  const shapeVal = dict.entries.get('shape');
  if (!(shapeVal instanceof PyTuple) || shapeVal.items.some((n) => typeof n !== 'number' || n < 0)) {
    throw new Error(".npy header: 'shape' must be a tuple of non-negative integers");
  }
  const shape = shapeVal.items as number[];
  return { dtype: parseDescr(dict.entries.get('descr')), fortran, shape };
}

function parseDescr(descr: PyValue | undefined): DtypeInfo & { little: boolean } {
  if (typeof descr !== 'string') {
    throw new Error(`unsupported dtype: structured arrays are not supported (expected one of ${SUPPORTED})`);
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (m && m[2] === 'O') throw new Error('unsupported dtype: object arrays are not supported');
  const info = m ? DTYPES[m[2] + m[3]] : undefined;
  if (!m || !info) throw new Error(`unsupported dtype ${quote(descr)} (expected one of ${SUPPORTED})`);
  const order = m[1];
  if (info.size > 1 && order !== '<' && order !== '>') {
    // '=' means the writer's native order, which the file does not record.
    throw new Error(`unsupported dtype ${quote(descr)}: byte order must be '<' or '>'`);
  }
  return { ...info, little: order !== '>' };
}

/** Reverses the bytes of every `size`-byte element in place. */
function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

/** Rearranges data stored first-axis-fastest into last-axis-fastest order. */
function fortranToC<T extends Float32Array | Float64Array>(src: T, shape: readonly number[]): T {
  const n = src.length;
  const dst = new (src.constructor as { new (n: number): T })(n);
  const rank = shape.length;
  const cStride = new Array<number>(rank);
  for (let k = rank - 1, s = 1; k >= 0; k--) {
    cStride[k] = s;
    s *= shape[k];
  }
  // Walk the source in storage order with an odometer over the axes, first axis fastest.
  const idx = new Array<number>(rank).fill(0);
  let c = 0;
  for (let f = 0; f < n; f++) {
    dst[c] = src[f];
    for (let k = 0; k < rank; k++) {
      if (++idx[k] < shape[k]) {
        c += cStride[k];
        break;
      }
      c -= (shape[k] - 1) * cStride[k];
      idx[k] = 0;
    }
  }
  return dst;
}

/**
 * Encodes an array as a .npy file: version 1.0, little-endian float32/float64, C order.
 * `data.length` must equal the product of `shape`.
 */
export function writeNpy(data: Float32Array | Float64Array, shape: readonly number[]): Uint8Array {
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new Error(`writeNpy: shape must hold non-negative integers, got ${fmtShape(shape)}`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new Error(`writeNpy: data has ${data.length} values, shape ${fmtShape(shape)} needs ${count}`);
  }
  const f32 = data instanceof Float32Array;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<${f32 ? 'f4' : 'f8'}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Pad with spaces and end with '\n' so that the data starts on a 64-byte boundary, as NumPy does.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  if (total - 10 > 0xffff) throw new Error(`writeNpy: shape ${fmtShape(shape)} makes the header too long`);
  header = header.padEnd(total - 10 - 1, ' ') + '\n';

  const size = f32 ? 4 : 8;
  const out = new Uint8Array(total + count * size);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, count * size).slice();
  if (!HOST_LITTLE) swapBytes(body, size);
  out.set(body, total);
  return out;
}

function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
