/**
 * PNG → one grey value per pixel, for persistence of images.
 *
 * - Grey images (any bit depth) give the stored integer grey value, not rescaled: 0..255 for
 *   8-bit, 0..65535 for 16-bit, 0..2^d−1 for 1/2/4-bit.
 * - Colour images (RGB, palette) give the ITU-R BT.601 luminance
 *   `(0.299 * R + 0.587 * G) + 0.114 * B`, computed in float64 in that order, on the stored
 *   integer channel values (again not rescaled). A pixel with R = G = B gives exactly that value,
 *   so grey images stored as colour read the same as true grey ones.
 * - Alpha (an alpha channel or a tRNS chunk) is ignored: transparent pixels keep their colour.
 * - `channel` 'R', 'G' or 'B' reads that channel alone (of a grey image: the grey value), as the
 *   paper's experiments do.
 */
import { kMaxLength } from 'buffer';
import { PNG } from 'pngjs';
import { constants as zlibConstants, inflateSync } from 'zlib';
import { escapeControls, quote } from './quote';

export interface GreyImage {
  /** Row-major grey values, `data[y * width + x]`. */
  data: Float64Array;
  /** `[height, width]`. */
  shape: [number, number];
  /** Bits per channel as stored in the file (1, 2, 4, 8 or 16). */
  bitDepth: number;
}

/** Which value a pixel gives: BT.601 luminance (default), or one colour channel. */
export type PngChannel = 'luminance' | 'R' | 'G' | 'B';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The largest image decoded by default: 2^26 pixels (8192 × 8192), about 0.8 GB while decoding
 * (RGBA plus float64 grey values). A small file can hold a huge image (a 388 KB PNG of 20 000²
 * pixels decodes to 4 GB), so the header is read first.
 */
export const DEFAULT_MAX_PIXELS = 2 ** 26;

/** The pixel limit: `TFJS_TOPO_MAX_PIXELS` when set (a positive integer), else `DEFAULT_MAX_PIXELS`. */
export function maxPixels(env: Record<string, string | undefined> = process.env): number {
  const text = env.TFJS_TOPO_MAX_PIXELS;
  if (text === undefined || text === '') return DEFAULT_MAX_PIXELS;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`TFJS_TOPO_MAX_PIXELS: expected a positive integer, got '${text}'`);
  return n;
}

/**
 * Decodes a PNG file into grey values; throws an Error starting with "invalid PNG" on bad input,
 * and one that says how to raise the limit for an image of more than `limit` pixels.
 */
export function readPngGrey(bytes: Uint8Array, channel: PngChannel = 'luminance', limit = maxPixels()): GreyImage {
  const pick = ['R', 'G', 'B'].indexOf(channel);
  if (pick < 0 && channel !== 'luminance')
    throw new Error(`channel: expected 'luminance', 'R', 'G' or 'B', got ${describeChannel(channel)}`);
  checkSize(bytes, limit);
  const chunks = walkChunks(bytes);
  if (chunks) checkImageData(chunks);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    const buffer = Buffer.from(chunks ? withoutTransparency(bytes, chunks) : bytes);
    png = PNG.sync.read(buffer, { skipRescale: true });
  } catch (e) {
    throw new Error(`invalid PNG: ${decoderMessage((e as Error).message)}`, { cause: e });
  }
  const { width, height } = png;
  // With skipRescale, pngjs keeps 16-bit samples in a Uint16Array; others are bytes. Always RGBA.
  const rgba: ArrayLike<number> = png.data;
  const n = width * height;
  const out = new Float64Array(n);
  if (!png.color || pick >= 0) {
    const offset = png.color ? Math.max(pick, 0) : 0;
    for (let i = 0; i < n; i++) out[i] = rgba[4 * i + offset];
  } else {
    for (let i = 0; i < n; i++) {
      const r = rgba[4 * i];
      const g = rgba[4 * i + 1];
      const b = rgba[4 * i + 2];
      out[i] = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
    }
  }
  return { data: out, shape: [height, width], bitDepth: png.depth };
}

/** Refuses, from the IHDR header alone, an image of more than `limit` pixels. */
function checkSize(bytes: Uint8Array, limit: number): void {
  // Signature (8 bytes), then the IHDR chunk: length (4), type (4), width (4), height (4).
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return; // pngjs says why
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  if (width * height > limit)
    throw new Error(
      `image of ${width} × ${height} = ${width * height} pixels is larger than the limit of ${limit} pixels ` +
        '(set the environment variable TFJS_TOPO_MAX_PIXELS to raise it)',
    );
}

/** pngjs's message (escaped), or a plain one where pngjs reports its stream internals (a truncated file). */
function decoderMessage(message: string): string {
  return /stream/i.test(message) ? 'the file is truncated or corrupt' : escapeControls(message);
}

/** A channel argument in a message: strings quoted, other values named by their kind. */
function describeChannel(x: unknown): string {
  if (typeof x === 'string') return quote(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'symbol') return escapeControls(x.toString());
  if (typeof x === 'function') return 'a function';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object' && x !== null) return 'an object';
  return String(x);
}

/** One chunk of a PNG: its type, its data, and where the whole chunk (length to CRC) lies. */
interface Chunk {
  type: string;
  data: Uint8Array;
  start: number;
  end: number;
}

/**
 * The chunks of a PNG, or null when the bytes do not walk as a signature and a chunk list that ends
 * exactly at the end of the file (pngjs refuses those, saying why). CRCs are left to pngjs.
 */
function walkChunks(bytes: Uint8Array): Chunk[] | null {
  if (bytes.length < 8 || PNG_SIGNATURE.some((v, i) => bytes[i] !== v)) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  for (let pos = 8; pos < bytes.length;) {
    if (pos + 12 > bytes.length) return null;
    const end = pos + 12 + dv.getUint32(pos);
    if (end > bytes.length) return null;
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    chunks.push({ type, data: bytes.subarray(pos + 8, end - 4), start: pos, end });
    pos = end;
  }
  return chunks;
}

/** Channels per pixel of each PNG colour type: grey, RGB, palette index, grey + alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7's seven passes: first column and row, column and row steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * Bytes of decompressed image data (a filter byte per row included) that the IHDR fields call for,
 * or null for fields pngjs refuses anyway.
 */
function imageDataSize(
  width: number,
  height: number,
  bitDepth: number,
  colorType: number,
  interlace: number,
): number | null {
  const channels = CHANNELS[colorType];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(bitDepth) || interlace > 1) return null;
  const bits = channels * bitDepth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (interlace === 0) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Refuses image data that decompresses to fewer bytes than the header's image needs: pngjs would
 * fill the rest from memory it never wrote (and spend seconds on a huge header with little data).
 * A stream that zlib finds corrupt is refused too (pngjs may decode garbage from it); a truncated one
 * is read as far as it goes. The data is inflated here once more (pngjs inflates it again), up to one
 * byte beyond the size needed: more data than needed is pngjs's to ignore, as it does.
 */
function checkImageData(chunks: readonly Chunk[]): void {
  const header = chunks[0];
  if (header?.type !== 'IHDR' || header.data.length !== 13) return; // pngjs says why
  const dv = new DataView(header.data.buffer, header.data.byteOffset, 13);
  const need = imageDataSize(dv.getUint32(0), dv.getUint32(4), header.data[8], header.data[9], header.data[12]);
  if (need === null || need === 0) return;
  const idat: Uint8Array[] = [];
  for (let k = 1; k < chunks.length && chunks[k].type !== 'IEND'; k++)
    if (chunks[k].type === 'IDAT') idat.push(chunks[k].data);
  let have: number;
  try {
    // A sync flush returns what a truncated stream holds instead of failing on its missing end.
    have = inflateSync(Buffer.concat(idat), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: Math.min(need + 1, kMaxLength),
    }).length;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return; // more than needed: pngjs ignores the rest
    // pngjs does not always notice a corrupt stream, and then reads memory it never wrote.
    throw new Error(`invalid PNG: corrupt image data (${escapeControls(String((e as Error).message))})`, { cause: e });
  }
  if (have < need) throw new Error(`invalid PNG: truncated image data (${have} of ${need} bytes)`);
}

/**
 * The PNG without its tRNS chunks. pngjs zeroes every channel of pixels that match a tRNS colour,
 * which would change their grey value; since alpha is ignored, the chunk is dropped beforehand.
 */
function withoutTransparency(bytes: Uint8Array, chunks: readonly Chunk[]): Uint8Array {
  if (!chunks.some((c) => c.type === 'tRNS')) return bytes;
  const keep = [
    bytes.subarray(0, 8),
    ...chunks.filter((c) => c.type !== 'tRNS').map((c) => bytes.subarray(c.start, c.end)),
  ];
  return Buffer.concat(keep);
}
