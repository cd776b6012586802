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
import { PNG } from 'pngjs';

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
    throw new Error(`channel: expected 'luminance', 'R', 'G' or 'B', got '${channel}'`);
  checkSize(bytes, limit);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    const buffer = Buffer.from(withoutTransparency(bytes));
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

/** pngjs's message, or a plain one where pngjs reports its stream internals (a truncated file). */
function decoderMessage(message: string): string {
  return /stream/i.test(message) ? 'the file is truncated or corrupt' : message;
}

/**
 * The PNG without its tRNS chunks. pngjs zeroes every channel of pixels that match a tRNS colour,
 * which would change their grey value; since alpha is ignored, the chunk is dropped beforehand.
 * Anything that does not walk as a chunk list is returned unchanged for pngjs to reject.
 */
function withoutTransparency(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 8 || PNG_SIGNATURE.some((v, i) => bytes[i] !== v)) return bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keep: Uint8Array[] = [bytes.subarray(0, 8)];
  let dropped = false;
  for (let pos = 8; pos < bytes.length;) {
    if (pos + 12 > bytes.length) return bytes;
    const end = pos + 12 + dv.getUint32(pos);
    if (end > bytes.length) return bytes;
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (type === 'tRNS') dropped = true;
    else keep.push(bytes.subarray(pos, end));
    pos = end;
  }
  return dropped ? Buffer.concat(keep) : bytes;
}
