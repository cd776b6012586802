import { FIXTURES as ALL_FIXTURES } from '../../reference/fixtures';
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateSync } from 'zlib';
import { PNG } from 'pngjs';
import { readCsv } from '../../../app/io/csv';
import { readNpy, writeNpy } from '../../../app/io/npy';
import { readPngGrey } from '../../../app/io/png';

const FIXTURES = join(ALL_FIXTURES, 'npy');

type Expected = { dtype: string; shape: number[]; values: number[] } | { error: string };
const expected: Record<string, Expected> = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));

/** Element-wise identity, telling -0 from 0. */
function expectSameValues(actual: ArrayLike<number>, want: readonly number[]): void {
  expect(actual.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(actual[i], want[i])) throw new Error(`value ${i}: got ${actual[i]}, want ${want[i]}`);
  }
}

/** A .npy file with the given header text and body, as a test would hand-craft a broken one. */
function npyBytes(header: string, body: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const lenBytes = major === 1 ? 2 : 4;
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + lenBytes + head.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, head.length, true);
  else dv.setUint32(8, head.length, true);
  out.set(head, 8 + lenBytes);
  out.set(body, 8 + lenBytes + head.length);
  return out;
}

const f64Bytes = (values: number[]) => new Uint8Array(new Float64Array(values).buffer);
const i64Bytes = (values: bigint[]) => new Uint8Array(new BigInt64Array(values).buffer);
const header = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

describe('readNpy on files written by NumPy', () => {
  for (const [name, want] of Object.entries(expected)) {
    test(name, () => {
      const bytes = readFileSync(join(FIXTURES, name));
      if ('error' in want) {
        expect(() => readNpy(bytes)).toThrow(want.error);
        return;
      }
      const got = readNpy(bytes);
      expect(got.dtype).toBe(want.dtype);
      expect(got.shape).toEqual(want.shape);
      expect(got.data).toBeInstanceOf(want.dtype === 'float32' ? Float32Array : Float64Array);
      expectSameValues(got.data, want.values);
    });
  }

  test('covers every supported dtype in both byte orders, Fortran order and header versions 1-3', () => {
    const names = Object.keys(expected);
    for (const code of ['f4', 'f8', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8'])
      expect(names).toEqual(expect.arrayContaining([`${code}_le.npy`, `${code}_be.npy`]));
    expect(names).toEqual(
      expect.arrayContaining([
        'u1.npy',
        'i1.npy',
        'bool.npy',
        'fortran_3d_f8.npy',
        'fortran_3d_i2_be.npy',
        'fortran_3d_i8_be.npy',
        'fortran_2d_b1.npy',
        'v2.npy',
        'v3.npy',
      ]),
    );
    // 64-bit integers beyond 2^53 in both directions: accepted when exact, refused otherwise.
    expect(names).toEqual(expect.arrayContaining(['i8_inexact.npy', 'u8_inexact.npy', 'fortran_i8_inexact_be.npy']));
  });
});

describe('readNpy', () => {
  test('accepts a view at an odd offset into a larger buffer (e.g. a pooled Node Buffer)', () => {
    const file = writeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const big = new Uint8Array(file.length + 3);
    big.set(file, 1);
    const got = readNpy(big.subarray(1, 1 + file.length));
    expect(got.shape).toEqual([2, 3]);
    expectSameValues(got.data, [1, 2, 3, 4, 5, 6]);
  });

  test('transposes a rank-4 Fortran-ordered array into C order', () => {
    const shape = [2, 3, 1, 4];
    const n = 24;
    const c = Array.from({ length: n }, (_, i) => i * 1.5 - 7);
    // Element (i,j,k,l) sits at C offset ((i*3+j)*1+k)*4+l and F offset i+2*(j+3*(k+1*l)).
    const f = new Array<number>(n);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 1; k++)
          for (let l = 0; l < 4; l++) f[i + 2 * (j + 3 * (k + l))] = c[(i * 3 + j + k) * 4 + l];
    const got = readNpy(npyBytes(header('<f8', '(2, 3, 1, 4)', 'True'), f64Bytes(f)));
    expect(got.shape).toEqual(shape);
    expectSameValues(got.data, c);
  });

  test('a Fortran-ordered 1-D array needs no transposition', () => {
    const got = readNpy(npyBytes(header('<f8', '(3,)', 'True'), f64Bytes([1, 2, 3])));
    expectSameValues(got.data, [1, 2, 3]);
  });

  test('accepts Python 2 long integers and double-quoted strings in the header', () => {
    const got = readNpy(npyBytes(`{"descr": "<f8", "fortran_order": False, "shape": (1L, 2L)}`, f64Bytes([4, 5])));
    expect(got.shape).toEqual([1, 2]);
    expectSameValues(got.data, [4, 5]);
  });

  test('reads a version 2.0 header built by hand', () => {
    const got = readNpy(npyBytes(header('<f8', '(2,)'), f64Bytes([1, 2]), 2));
    expectSameValues(got.data, [1, 2]);
  });

  test('int64 and uint64 become exact float64 values, beyond 2^53 too when a double holds them', () => {
    const values = [0n, -1n, 2n ** 53n, -(2n ** 53n) - 2n, 2n ** 62n + 2n ** 10n, -(2n ** 63n)];
    const le = readNpy(npyBytes(header('<i8', '(2, 3)'), i64Bytes(values)));
    expect(le.dtype).toBe('int64');
    expect(le.data).toBeInstanceOf(Float64Array);
    expectSameValues(le.data, values.map(Number));
    const be = i64Bytes(values);
    for (let i = 0; i < be.length; i += 8) be.subarray(i, i + 8).reverse();
    expectSameValues(readNpy(npyBytes(header('>i8', '(6,)'), be)).data, values.map(Number));
    const u = readNpy(
      npyBytes(header('<u8', '(2,)'), new Uint8Array(new BigUint64Array([2n ** 64n - 2n ** 11n, 5n]).buffer)),
    );
    expect(u.dtype).toBe('uint64');
    expectSameValues(u.data, [2 ** 64 - 2 ** 11, 5]);
  });

  test('a 64-bit integer that a double would round is refused, named by its C-order index and exact value', () => {
    const values = [1n, 2n, 3n, 4n, 5n, -(2n ** 53n) - 1n];
    expect(() => readNpy(npyBytes(header('<i8', '(2, 3)'), i64Bytes(values)))).toThrow(
      'int64 element 5 (index [1, 2]) is -9007199254740993, which float64 cannot represent exactly (beyond 2^53 in magnitude, integers are rounded); ' +
        'convert the array to float64 first if rounding is acceptable',
    );
    // Fortran order stores (1, 0) before (0, 1); the message still names the first in C order.
    const fortran = [0n, 2n ** 60n + 1n, 2n ** 53n + 3n, 0n];
    expect(() => readNpy(npyBytes(header('<i8', '(2, 2)', 'True'), i64Bytes(fortran)))).toThrow(
      /^int64 element 1 \(index \[0, 1\]\) is 9007199254740995,/,
    );
    const u = new Uint8Array(new BigUint64Array([2n ** 64n - 1n]).buffer);
    expect(() => readNpy(npyBytes(header('<u8', '()'), u))).toThrow(
      /^uint64 element 0 \(index \[\]\) is 18446744073709551615,/,
    );
  });

  test('bool becomes 0/1 whatever byte order the descr names; any non-zero byte is True, as in NumPy', () => {
    for (const descr of ['|b1', '<b1', '>b1']) {
      const got = readNpy(npyBytes(header(descr, '(2, 2)'), new Uint8Array([0, 1, 2, 255])));
      expect(got.dtype).toBe('bool');
      expect(got.data).toBeInstanceOf(Float64Array);
      expectSameValues(got.data, [0, 1, 1, 1]);
    }
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['empty input', new Uint8Array(0), /bad magic string/],
    ['wrong magic', new TextEncoder().encode('PK\x03\x04 this is a zip'), /bad magic string/],
    [
      'unsupported version',
      (() => {
        const b = npyBytes(header('<f8', '(1,)'), f64Bytes([1]));
        b[6] = 4;
        return b;
      })(),
      /unsupported \.npy format version 4\.0/,
    ],
    ['file ends inside the header length', npyBytes('').subarray(0, 9), /truncated \.npy header/],
    [
      'header length beyond the file',
      npyBytes(header('<f8', '(1,)')).subarray(0, 30),
      /truncated \.npy header: header declares \d+ bytes, file holds only 20/,
    ],
    ['header is a list', npyBytes('[1, 2]\n'), /header is not a valid dict/],
    ['header is cut off', npyBytes("{'descr': '<f8', 'fortran_order': Fal"), /header is not a valid dict/],
    [
      'header has trailing text',
      npyBytes(header('<f8', '(1,)') + 'x', f64Bytes([1])),
      /header is not a valid dict: unexpected text/,
    ],
    [
      'header repeats a key',
      npyBytes("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", f64Bytes([1])),
      /duplicate key 'descr'/,
    ],
    ['shape holds a float', npyBytes(header('<f8', '(2.5,)')), /header is not a valid dict: expected an integer/],
    ['header lacks shape', npyBytes("{'descr': '<f8', 'fortran_order': False}"), /lacks the key 'shape'/],
    [
      'header has an extra key',
      npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'foo': 1}", f64Bytes([1])),
      /unexpected keys: 'foo'/,
    ],
    [
      'fortran_order not a bool',
      npyBytes(header('<f8', '(1,)', "'no'"), f64Bytes([1])),
      /'fortran_order' must be True or False/,
    ],
    [
      'shape is a list',
      npyBytes(header('<f8', '[1]'), f64Bytes([1])),
      /'shape' must be a tuple of non-negative integers/,
    ],
    ['shape is negative', npyBytes(header('<f8', '(-1,)')), /'shape' must be a tuple of non-negative integers/],
    ['unknown dtype', npyBytes(header('<q7', '(1,)')), /unsupported dtype '<q7' \(expected one of float32, float64/],
    [
      'int64 that a double would round',
      npyBytes(header('<i8', '(1,)'), i64Bytes([2n ** 53n + 1n])),
      /^int64 element 0 \(index \[0\]\) is 9007199254740993, which float64 cannot represent exactly/,
    ],
    [
      'int64 in native byte order',
      npyBytes(header('=i8', '(1,)'), i64Bytes([1n])),
      /unsupported dtype '=i8': byte order must be '<' or '>'/,
    ],
    [
      'complex dtype',
      npyBytes(header('<c16', '(1,)')),
      /unsupported dtype '<c16' \(expected one of .*int64, uint64, bool\)/,
    ],
    ['string dtype', npyBytes(header('<U3', '(1,)')), /unsupported dtype '<U3'/],
    ['object dtype', npyBytes(header('|O', '(1,)')), /object arrays are not supported/],
    [
      'structured dtype',
      npyBytes("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,)}"),
      /structured arrays are not supported/,
    ],
    ['native byte order', npyBytes(header('=f8', '(1,)'), f64Bytes([1])), /byte order must be '<' or '>'/],
    [
      'data shorter than the shape',
      npyBytes(header('<f8', '(2, 3)'), f64Bytes([1, 2, 3, 4, 5])),
      /data too short: shape \[2, 3\] of float64 needs 48 bytes, file holds 40/,
    ],
    [
      'data longer than the shape',
      npyBytes(header('<f4', '(1,)'), f64Bytes([1])),
      /data too long: shape \[1\] of float32 needs 4 bytes, file holds 8/,
    ],
    ['huge shape', npyBytes(header('<f8', '(1000000, 1000000)')), /data too short/],
  ];
  for (const [name, bytes, message] of bad) {
    test(`rejects: ${name}`, () => {
      let err: unknown;
      try {
        readNpy(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/\n/);
    });
  }
});

describe('readNpy: header text in messages, and deep nesting', () => {
  /** The message of what `f` throws. */
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('did not throw');
  };

  test("a header nesting brackets 200 000 deep is refused as 'nesting too deep', not a stack overflow (npy-header-deep-nesting)", () => {
    const deep = "{'descr': '<f8', 'fortran_order': False, 'shape': " + '('.repeat(200_000) + '}';
    const message = messageOf(() => readNpy(npyBytes(deep, f64Bytes([0]), 2)));
    expect(message).toMatch(
      /^\.npy header is not a valid dict: nesting too deep \(more than 64 levels\) at character \d+$/,
    );
    // Nesting NumPy could write still reads.
    expect(messageOf(() => readNpy(npyBytes(header('<f8', '((((1,),),),)'), f64Bytes([1]))))).toMatch(
      /'shape' must be a tuple of non-negative integers/,
    );
  });

  test('header text quoted into a message has its line breaks and control characters escaped (npy-message-line-breaks)', () => {
    expect(messageOf(() => readNpy(npyBytes(header('\n<f8', '(1,)'), f64Bytes([0]))))).toBe(
      "unsupported dtype '\\n<f8' (expected one of float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, bool)",
    );
    expect(messageOf(() => readNpy(npyBytes(header('=f\r8\u2028', '(1,)'), undefined, 3)))).toMatch(
      /^unsupported dtype '=f\\r8\\u2028' /,
    );
    expect(
      messageOf(() =>
        readNpy(
          npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'a\nb': 1, '\u0000': 2, 'c\\\\d': 3}"),
        ),
      ),
    ).toBe(".npy header has unexpected keys: 'a\\nb', '\\u0000', 'c\\\\d'");
    expect(messageOf(() => readNpy(npyBytes("{'descr': '<f8', 'd\u0085': 1, 'd\u0085': 2}", undefined, 3)))).toMatch(
      /duplicate key 'd\\u0085'/,
    );
    expect(messageOf(() => readNpy(npyBytes("{'descr': \u0000}")))).toMatch(/unexpected '\\u0000' at character 10$/);
  });
});

describe('writeNpy', () => {
  test('round-trips float32 and float64 through readNpy, bit for bit', () => {
    const f64 = new Float64Array([0.1, -0, 5e-324, -1.7976931348623157e308, 1 / 3, 42]);
    const f32 = Float32Array.from(f64);
    for (const [data, dtype] of [
      [f64, 'float64'],
      [f32, 'float32'],
    ] as const) {
      for (const shape of [[6], [2, 3], [1, 2, 3], [3, 1, 2, 1]]) {
        const got = readNpy(writeNpy(data, shape));
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual(shape);
        expect(got.data).toBeInstanceOf(data.constructor);
        expectSameValues(got.data, Array.from(data));
      }
    }
  });

  test('writes a version 1.0 little-endian C-order header padded to 64 bytes', () => {
    const bytes = writeNpy(new Float32Array([1, 2]), [2]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const len = bytes[8] | (bytes[9] << 8);
    expect((10 + len) % 64).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(10, 10 + len));
    expect(text).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2,\), \} *\n$/);
    expect(Array.from(bytes.subarray(10 + len))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });

  test('writes 0-d and empty arrays', () => {
    expect(readNpy(writeNpy(new Float64Array([7]), [])).shape).toEqual([]);
    expect(readNpy(writeNpy(new Float64Array(0), [0, 4])).shape).toEqual([0, 4]);
  });

  test('refuses data that does not fit the shape', () => {
    expect(() => writeNpy(new Float64Array(5), [2, 3])).toThrow('writeNpy: data has 5 values, shape [2, 3] needs 6');
    expect(() => writeNpy(new Float64Array(2), [-2, -1])).toThrow(
      'writeNpy: shape must hold non-negative integers, got [-2, -1]',
    );
    expect(() => writeNpy(new Float64Array(1), [1.5])).toThrow('non-negative integers');
  });

  const python = '/usr/bin/python3';
  const hasNumpy =
    existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
  (hasNumpy ? test : test.skip)('NumPy reads what writeNpy writes, bit for bit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-topo-npy-'));
    try {
      const f64 = new Float64Array([0.1, -0, 5e-324, 1 / 3, -2.5, 1e30]);
      writeFileSync(join(dir, 'a.npy'), writeNpy(f64, [2, 3]));
      writeFileSync(join(dir, 'b.npy'), writeNpy(Float32Array.from(f64), [3, 1, 2]));
      const script =
        'import json, sys, numpy as np\n' +
        'out = {}\n' +
        'for n in ("a", "b"):\n' +
        '    x = np.load(sys.argv[1] + "/" + n + ".npy")\n' +
        '    out[n] = [x.dtype.str, list(x.shape), bool(x.flags.c_contiguous), [float(v) for v in x.ravel()]]\n' +
        'print(json.dumps(out))\n';
      const out = JSON.parse(execFileSync(python, ['-c', script, dir], { encoding: 'utf8' }));
      expect(out.a.slice(0, 3)).toEqual(['<f8', [2, 3], true]);
      expectSameValues(out.a[3], Array.from(f64));
      expect(out.b.slice(0, 3)).toEqual(['<f4', [3, 1, 2], true]);
      expectSameValues(out.b[3], Array.from(Float32Array.from(f64)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// CSV

describe('readCsv', () => {
  test('one row of 200 000 values reads (csv-wide-row-stack-overflow)', () => {
    const { data, shape } = readCsv(Array.from({ length: 200_000 }, () => '1').join(','));
    expect(shape).toEqual([1, 200_000]);
    expect(data.every((v) => v === 1)).toBe(true);
  });

  test('a field quoted into a message has its control characters escaped (csv-message-line-breaks)', () => {
    expect(() => readCsv('1,2\n3,a\rb')).toThrow(new Error("line 2: 'a\\rb' is not a number"));
    expect(() => readCsv('1,2\n3,a\u2028b')).toThrow(new Error("line 2: 'a\\u2028b' is not a number"));
    expect(() => readCsv('1,2\n3,\u0000\\')).toThrow(new Error("line 2: '\\u0000\\\\' is not a number"));
    // A long field is cut short.
    expect(() => readCsv('1\n' + 'x'.repeat(10_000))).toThrow(
      new Error(`line 2: '${'x'.repeat(80)}…' is not a number`),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// PNG

/** A PNG written by pngjs from samples already in the output colour type. */
function pngjsWrite(
  width: number,
  height: number,
  colorType: 0 | 2 | 6,
  bitDepth: 8 | 16,
  samples: Uint8Array | Uint16Array,
): Buffer {
  const png = new PNG({ width, height });
  // pngjs takes 16-bit samples as host-order Uint16 in the buffer; give it a buffer of its own.
  png.data = Buffer.from(samples.slice().buffer);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType === 6 });
}

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
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG built by hand, for what pngjs cannot write: palette and 1/2/4-bit images, tRNS chunks.
 * `rows` holds each row's samples (channels interleaved), packed here at `bitDepth`.
 */
function handPng(width: number, colorType: number, bitDepth: number, rows: number[][], extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(rows.length, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const raw: number[] = [];
  for (const row of rows) {
    raw.push(0); // filter type None
    if (bitDepth === 16) row.forEach((v) => raw.push(v >> 8, v & 0xff));
    else if (bitDepth === 8) raw.push(...row);
    else {
      const perByte = 8 / bitDepth;
      for (let i = 0; i < row.length; i += perByte) {
        let byte = 0;
        for (let k = 0; k < perByte; k++) byte |= (row[i + k] ?? 0) << (8 - bitDepth * (k + 1));
        raw.push(byte);
      }
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', deflateSync(Buffer.from(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const lum = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

describe('readPngGrey', () => {
  test('8-bit grey: the stored values, row-major, shape [height, width]', () => {
    const img = readPngGrey(pngjsWrite(3, 2, 0, 8, new Uint8Array([0, 1, 2, 100, 200, 255])));
    expect(img.shape).toEqual([2, 3]);
    expect(img.bitDepth).toBe(8);
    expect(img.data).toBeInstanceOf(Float64Array);
    expectSameValues(img.data, [0, 1, 2, 100, 200, 255]);
  });

  test('16-bit grey: the full 16-bit values, not rescaled to 8 bits', () => {
    const v = [0, 1, 65535, 300, 40000, 7, 256, 32768];
    const img = readPngGrey(pngjsWrite(2, 4, 0, 16, new Uint16Array(v)));
    expect(img.shape).toEqual([4, 2]);
    expect(img.bitDepth).toBe(16);
    expectSameValues(img.data, v);
  });

  test('RGB: BT.601 luminance in float64', () => {
    const px = [
      [10, 20, 30],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [90, 90, 90],
      [255, 255, 255],
    ];
    const img = readPngGrey(pngjsWrite(3, 2, 2, 8, new Uint8Array(px.flat())));
    expect(img.shape).toEqual([2, 3]);
    expectSameValues(img.data, [lum(10, 20, 30), 0.299 * 255, 0.587 * 255, 0.114 * 255, 90, 255]);
  });

  test('one colour channel on request; a grey image gives its grey value for any channel', () => {
    const px = [
      [10, 20, 30],
      [255, 0, 7],
    ];
    const rgb = pngjsWrite(2, 1, 2, 8, new Uint8Array(px.flat()));
    expectSameValues(readPngGrey(rgb, 'R').data, [10, 255]);
    expectSameValues(readPngGrey(rgb, 'G').data, [20, 0]);
    expectSameValues(readPngGrey(rgb, 'B').data, [30, 7]);
    expectSameValues(readPngGrey(pngjsWrite(2, 1, 0, 8, new Uint8Array([4, 9])), 'B').data, [4, 9]);
    expect(() => readPngGrey(rgb, 'A' as never)).toThrow(/channel: expected/);
  });

  test('RGB with equal channels gives the grey value exactly (the float sum would not)', () => {
    expect(lum(1, 1, 1)).not.toBe(1); // why the reader special-cases R = G = B
    const img = readPngGrey(pngjsWrite(3, 1, 2, 8, new Uint8Array([1, 1, 1, 255, 255, 255, 11, 11, 11])));
    expectSameValues(img.data, [1, 255, 11]);
  });

  test('RGBA: alpha is ignored', () => {
    const img = readPngGrey(pngjsWrite(2, 1, 6, 8, new Uint8Array([10, 20, 30, 0, 200, 100, 50, 128])));
    expectSameValues(img.data, [lum(10, 20, 30), lum(200, 100, 50)]);
  });

  test('16-bit RGB: luminance of the 16-bit channels', () => {
    const img = readPngGrey(handPng(2, 2, 16, [[1000, 2000, 3000, 65535, 0, 65535]]));
    expectSameValues(img.data, [lum(1000, 2000, 3000), lum(65535, 0, 65535)]);
    expect(img.bitDepth).toBe(16);
  });

  test('grey + alpha: the grey value', () => {
    const img = readPngGrey(handPng(2, 4, 8, [[17, 0, 250, 255]]));
    expectSameValues(img.data, [17, 250]);
  });

  test('1-, 2- and 4-bit grey: the stored values, not rescaled', () => {
    expectSameValues(readPngGrey(handPng(5, 0, 1, [[1, 0, 1, 1, 0]])).data, [1, 0, 1, 1, 0]);
    expectSameValues(readPngGrey(handPng(4, 0, 2, [[0, 3, 1, 2]])).data, [0, 3, 1, 2]);
    const img = readPngGrey(
      handPng(3, 0, 4, [
        [15, 0, 9],
        [1, 2, 3],
      ]),
    );
    expect(img.shape).toEqual([2, 3]);
    expect(img.bitDepth).toBe(4);
    expectSameValues(img.data, [15, 0, 9, 1, 2, 3]);
  });

  test('palette: luminance of the palette colours', () => {
    const plte = chunk('PLTE', new Uint8Array([0, 0, 0, 255, 0, 0, 40, 40, 40]));
    const img = readPngGrey(handPng(3, 3, 8, [[2, 1, 0]], [plte]));
    expectSameValues(img.data, [40, 0.299 * 255, 0]);
  });

  test('a tRNS transparent colour does not change the grey value of matching pixels', () => {
    const trns = chunk('tRNS', new Uint8Array([0, 7])); // grey 7 is "transparent"
    const img = readPngGrey(handPng(3, 0, 8, [[7, 8, 7]], [trns]));
    expectSameValues(img.data, [7, 8, 7]);
    const rgbTrns = chunk('tRNS', new Uint8Array([0, 1, 0, 2, 0, 3]));
    expectSameValues(readPngGrey(handPng(1, 2, 8, [[1, 2, 3]], [rgbTrns])).data, [lum(1, 2, 3)]);
  });

  test('broken input throws "invalid PNG: ..."', () => {
    expect(() => readPngGrey(new Uint8Array([1, 2, 3]))).toThrow(/^invalid PNG: /);
    const good = pngjsWrite(2, 1, 0, 8, new Uint8Array([1, 2]));
    expect(() => readPngGrey(good.subarray(0, good.length - 20))).toThrow(/^invalid PNG: /);
  });

  test('image data shorter than the header says is refused, not padded (png-short-image-data)', () => {
    // A 2 × 1 grey image whose data stops after its first pixel.
    const ihdr = (width: number, height: number, interlace = 0) => {
      const b = Buffer.alloc(13);
      b.writeUInt32BE(width, 0);
      b.writeUInt32BE(height, 4);
      b[8] = 8; // bit depth
      b[12] = interlace;
      return chunk('IHDR', b);
    };
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = (header: Buffer, idat: Uint8Array) =>
      Buffer.concat([signature, header, chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
    const short = png(ihdr(2, 1), deflateSync(Uint8Array.of(0, 7)));
    expect(() => readPngGrey(short)).toThrow(new Error('invalid PNG: truncated image data (2 of 3 bytes)'));
    expectSameValues(readPngGrey(png(ihdr(2, 1), deflateSync(Uint8Array.of(0, 7, 8)))).data, [7, 8]);
    // More data than the image needs is ignored, as before.
    expectSameValues(readPngGrey(png(ihdr(2, 1), deflateSync(Uint8Array.of(0, 7, 8, 9)))).data, [7, 8]);
    // A zlib stream cut short is read as far as it goes; a corrupt one is refused.
    const z = deflateSync(Uint8Array.of(0, 7, 8, 0, 9, 10));
    expect(() => readPngGrey(png(ihdr(2, 2), z.subarray(0, 6)))).toThrow(
      /^invalid PNG: truncated image data \(\d of 6 bytes\)$/,
    );
    expect(() => readPngGrey(png(ihdr(2, 2), z.subarray(z.length - 5)))).toThrow(/^invalid PNG: corrupt image data \(/);
    // A huge width with little data is refused at once.
    const t0 = performance.now();
    expect(() => readPngGrey(png(ihdr(2 ** 26, 1), deflateSync(Uint8Array.of(0, 7))))).toThrow(
      new Error(`invalid PNG: truncated image data (2 of ${2 ** 26 + 1} bytes)`),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    // Interlaced (Adam7): a 3 × 3 image stores passes 1 (1 × 1), 4 (1 × 1), 5 (2 × 1), 6 (1 × 2), 7 (3 × 1).
    const adam7 = Uint8Array.of(0, 1, 0, 3, 0, 7, 9, 0, 2, 0, 8, 0, 4, 5, 6);
    const grey = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expectSameValues(readPngGrey(png(ihdr(3, 3, 1), deflateSync(adam7))).data, grey);
    expect(() => readPngGrey(png(ihdr(3, 3, 1), deflateSync(adam7.subarray(0, 14))))).toThrow(
      new Error('invalid PNG: truncated image data (14 of 15 bytes)'),
    );
  });

  test("pngjs's message is escaped: a corrupt chunk type does not break the line (png-message-line-breaks)", () => {
    // The file ends inside a chunk whose type is "\0\0\nI": pngjs names that type.
    const good = handPng(1, 0, 8, [[0]]);
    const bytes = Buffer.concat([good.subarray(0, good.length - 12), Buffer.from([0, 0, 0, 0, 0, 0, 10, 73])]);
    expect(() => readPngGrey(bytes)).toThrow(/^invalid PNG: Unsupported critical chunk type \\u0000\\u0000\\nI$/);
  });

  test("a channel that is not a string is named by its kind, not '[object Object]' (png-channel-message)", () => {
    const grey = handPng(1, 0, 8, [[0]]);
    const expected = "channel: expected 'luminance', 'R', 'G' or 'B', got ";
    expect(() => readPngGrey(grey, {} as never)).toThrow(new Error(expected + 'an object'));
    expect(() => readPngGrey(grey, ['R'] as never)).toThrow(new Error(expected + 'an array of 1'));
    expect(() => readPngGrey(grey, null as never)).toThrow(new Error(expected + 'null'));
    expect(() => readPngGrey(grey, 'r\n' as never)).toThrow(new Error(expected + "'r\\n'"));
  });
});
