/**
 * PNG pictures of images for the demo report: grey images, heat maps with perceptual colour maps,
 * nearest-neighbour upscaling and segmentation overlays. Encoding is pngjs; everything here is
 * deterministic (same input, same bytes).
 *
 * Values are row-major, `values[y * width + x]`, with `shape = [height, width]`, as everywhere in
 * this package.
 */
import { PNG } from 'pngjs';

/** Row-major pixel values. */
export type Pixels = Float32Array | Float64Array | ArrayLike<number>;

export type Colormap = 'viridis' | 'magma' | 'diverging';

export type Rgb = [number, number, number];

export interface HeatmapOptions {
  /**
   * The values mapped to the two ends of the colour map (clamped outside). Default: the finite
   * min..max; for 'diverging', the symmetric range [−m, m] with m the largest finite |value|.
   */
  range?: [number, number];
  colormap?: Colormap;
}

export interface OverlayOptions {
  /** Grey range of the underlying image, as for `grayPng`. Default: min..max. */
  range?: [number, number];
  /** Opacity of the tint on mask pixels, 0..1. Default 0.55. */
  alpha?: number;
}

/** Colour of NaN pixels in heat maps (mid grey, outside every colour map used here). */
export const NAN_RGB: Readonly<Rgb> = [128, 128, 128];

/**
 * An 8-bit grey PNG: `range[0]` → 0 (black), `range[1]` → 255 (white), linear in between,
 * clamped outside. Default range: the finite min..max of the values. A constant image (empty
 * range) is mid grey; NaN is black; ±Infinity clamp to the ends.
 */
export function grayPng(values: Pixels, shape: [number, number], range?: [number, number]): Uint8Array {
  const [height, width] = checkShape(values, shape);
  const [lo, hi] = range ? checkRange(range) : finiteRange(values);
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = toByte(unit(values[i], lo, hi));
  return encode(width, height, grey, 0);
}

/**
 * An RGB PNG of the values through a colour map. 'viridis' and 'magma' are matplotlib's
 * perceptually uniform maps (32 stops, linear interpolation; within 2/255 of the full tables);
 * 'diverging' runs blue → white → red with white at 0, for difference images. NaN pixels are
 * `NAN_RGB`.
 */
export function heatmapPng(values: Pixels, shape: [number, number], options: HeatmapOptions = {}): Uint8Array {
  const [height, width] = checkShape(values, shape);
  return encode(width, height, heatmapRgb(values, shape, options), 2);
}

/** The RGB bytes (3 per pixel, row-major) of `heatmapPng`, e.g. as a tile of `rgbGridPng`. */
export function heatmapRgb(values: Pixels, shape: [number, number], options: HeatmapOptions = {}): Buffer {
  const [height, width] = checkShape(values, shape);
  const colormap = options.colormap ?? 'viridis';
  if (!(colormap in STOPS))
    throw new Error(`colormap: expected 'viridis', 'magma' or 'diverging', got ${JSON.stringify(colormap)}`);
  const [lo, hi] = heatmapRange(values, options);
  const rgb = Buffer.alloc(width * height * 3);
  const colour: Rgb = [0, 0, 0];
  for (let i = 0; i < width * height; i++) {
    const v = values[i];
    if (Number.isNaN(v)) rgb.set(NAN_RGB, 3 * i);
    else {
      colormapRgb(colormap === 'diverging' ? divergingUnit(v, lo, hi) : unit(v, lo, hi), colormap, colour);
      rgb.set(colour, 3 * i);
    }
  }
  return rgb;
}

/** The grey values of `grayPng` as RGB bytes (a tile of `rgbGridPng`). */
export function grayRgb(values: Pixels, shape: [number, number], range?: [number, number]): Buffer {
  const [height, width] = checkShape(values, shape);
  const [lo, hi] = range ? checkRange(range) : finiteRange(values);
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(toByte(unit(values[i], lo, hi)), 3 * i, 3 * i + 3);
  return rgb;
}

/** The range `heatmapPng` uses for these values and options (to label a colour bar with). */
export function heatmapRange(values: Pixels, options: HeatmapOptions = {}): [number, number] {
  if (options.range) return checkRange(options.range);
  if (options.colormap === 'diverging') {
    let m = 0;
    for (let i = 0; i < values.length; i++) {
      const a = Math.abs(values[i]);
      if (Number.isFinite(a) && a > m) m = a;
    }
    return [-m, m];
  }
  return finiteRange(values);
}

/**
 * The colour at position `t` (0..1, clamped) of a colour map, as 0..255 integers. Writes into
 * `out` when given. For 'diverging', t = 0.5 is exactly white.
 */
export function colormapRgb(t: number, colormap: Colormap, out: Rgb = [0, 0, 0]): Rgb {
  const stops = STOPS[colormap];
  const n = stops.length / 3 - 1;
  const x = (Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t))) * n;
  const k = Math.min(n - 1, Math.floor(x));
  const f = x - k;
  for (let c = 0; c < 3; c++) {
    const a = stops[3 * k + c];
    const b = stops[3 * (k + 1) + c];
    out[c] = Math.round(a + (b - a) * f);
  }
  return out;
}

/**
 * Nearest-neighbour upscaling by an integer factor (each pixel becomes a factor × factor block),
 * so that small images (64² pooled approximates) stay crisp in the report. The result has the
 * input's array type.
 */
export function upscale<T extends Float32Array | Float64Array | Uint8Array>(
  values: T,
  shape: [number, number],
  factor: number,
): { values: T; shape: [number, number] } {
  const [height, width] = checkShape(values, shape);
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor: expected a positive integer, got ${factor}`);
  const W = width * factor;
  const H = height * factor;
  const out = new (values.constructor as new (n: number) => T)(W * H);
  for (let y = 0; y < H; y++) {
    const src = Math.floor(y / factor) * width;
    const row = y * W;
    for (let x = 0; x < W; x++) out[row + x] = values[src + Math.floor(x / factor)];
  }
  return { values: out, shape: [H, W] };
}

/**
 * An RGB PNG of a grey image (mapped as in `grayPng`) with the pixels where `mask` is truthy
 * tinted by `color` (blended with opacity `alpha`), for segmentation results.
 */
export function overlayMask(
  values: Pixels,
  shape: [number, number],
  mask: ArrayLike<number | boolean>,
  color: Rgb = [230, 60, 40],
  options: OverlayOptions = {},
): Uint8Array {
  const [height, width] = checkShape(values, shape);
  if (mask.length !== values.length) throw new Error(`mask: expected ${values.length} entries, got ${mask.length}`);
  if (color.length !== 3 || color.some((c) => !(c >= 0 && c <= 255)))
    throw new Error(`color: expected three values in 0..255, got ${JSON.stringify(color)}`);
  const alpha = options.alpha ?? 0.55;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`alpha: expected a value in 0..1, got ${alpha}`);
  const [lo, hi] = options.range ? checkRange(options.range) : finiteRange(values);
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const g = toByte(unit(values[i], lo, hi));
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = mask[i] ? Math.round((1 - alpha) * g + alpha * color[c]) : g;
  }
  return encode(width, height, rgb, 2);
}

/**
 * One PNG of RGB tiles (`tiles[row][col]`, each `shape` pixels, 3 bytes per pixel, row-major)
 * laid out in a grid, each tile upscaled `scale` times, `gap` white pixels between tiles.
 */
export function rgbGridPng(tiles: Uint8Array[][], shape: [number, number], scale = 1, gap = 2): Uint8Array {
  const [h, w] = shape;
  const rows = tiles.length;
  const cols = Math.max(...tiles.map((r) => r.length));
  const width = cols * w * scale + (cols - 1) * gap;
  const height = rows * h * scale + (rows - 1) * gap;
  const rgb = Buffer.alloc(width * height * 3, 255);
  tiles.forEach((row, r) =>
    row.forEach((tile, c) => {
      if (tile.length !== h * w * 3)
        throw new Error(`tiles[${r}][${c}]: expected ${h * w * 3} bytes, got ${tile.length}`);
      const top = r * (h * scale + gap);
      const left = c * (w * scale + gap);
      for (let y = 0; y < h * scale; y++)
        for (let x = 0; x < w * scale; x++) {
          const from = 3 * (Math.floor(y / scale) * w + Math.floor(x / scale));
          const to = 3 * ((top + y) * width + left + x);
          rgb[to] = tile[from];
          rgb[to + 1] = tile[from + 1];
          rgb[to + 2] = tile[from + 2];
        }
    }),
  );
  return encode(width, height, rgb, 2);
}

/** `data:image/png;base64,…` for embedding a PNG in HTML. */
export function dataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
}

/** Width and height from a PNG's IHDR chunk (undefined when it is not a PNG). */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((v, i) => png[i] !== v)) return undefined;
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

// ---------------------------------------------------------------------------------------------

function checkShape(values: ArrayLike<number>, shape: [number, number]): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d > 0))
    throw new Error(`shape: expected [height, width] of positive integers, got ${JSON.stringify(shape)}`);
  if (values.length !== shape[0] * shape[1])
    throw new Error(
      `values: expected ${shape[0]} × ${shape[1]} = ${shape[0] * shape[1]} entries, got ${values.length}`,
    );
  return shape;
}

function checkRange(range: [number, number]): [number, number] {
  if (range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || range[0] > range[1])
    throw new Error(`range: expected finite [low, high] with low ≤ high, got ${JSON.stringify(range)}`);
  return range;
}

/** Finite min..max; [0, 0] when nothing is finite. */
function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** Position of v in lo..hi, clamped to 0..1; 0.5 for an empty range; NaN → 0. */
function unit(v: number, lo: number, hi: number): number {
  if (Number.isNaN(v)) return 0;
  if (!(hi > lo)) return v < lo ? 0 : v > hi ? 1 : 0.5;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

/** Like `unit`, but with 0 at exactly 0.5 when the range straddles 0 (each side scaled alone). */
function divergingUnit(v: number, lo: number, hi: number): number {
  if (lo < 0 && hi > 0) return v < 0 ? 0.5 - 0.5 * Math.min(1, v / lo) : 0.5 + 0.5 * Math.min(1, v / hi);
  return unit(v, lo, hi);
}

function toByte(t: number): number {
  return Math.round(t * 255);
}

function encode(width: number, height: number, data: Buffer, colorType: 0 | 2): Uint8Array {
  const png = new PNG({ width, height });
  png.data = data;
  const bytes = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  return new Uint8Array(bytes); // a copy: small Buffers can be views into Node's shared pool
}

/** matplotlib's viridis at 32 evenly spaced positions (sampled from its 256-entry table). */
const VIRIDIS = [
  0x440154, 0x470d60, 0x48196b, 0x482474, 0x472e7c, 0x453882, 0x414286, 0x3e4b89, 0x3a548c, 0x365d8d, 0x32658e,
  0x2e6d8e, 0x2b758e, 0x287d8e, 0x25858e, 0x228c8d, 0x20948c, 0x1e9c89, 0x20a386, 0x25ab82, 0x2db27d, 0x39ba76,
  0x48c16e, 0x58c765, 0x6acd5b, 0x7ed34f, 0x92d742, 0xa8db34, 0xbedf26, 0xd4e21b, 0xe9e41a, 0xfde725,
];

/** matplotlib's magma at 32 evenly spaced positions. */
const MAGMA = [
  0x000004, 0x040312, 0x0b0823, 0x140e35, 0x1e1149, 0x2a115d, 0x38106d, 0x461077, 0x54137d, 0x601880, 0x6d1e81,
  0x7a2382, 0x872781, 0x942c80, 0xa2307e, 0xaf347b, 0xbd3977, 0xca3e72, 0xd6456c, 0xe24d66, 0xec5860, 0xf3655c,
  0xf8745c, 0xfb8360, 0xfd9366, 0xfea26f, 0xfeb27a, 0xfec185, 0xfed093, 0xfddfa1, 0xfceeb0, 0xfcfdbf,
];

/** ColorBrewer RdBu (11 classes), reversed so that negative is blue, with a pure white centre. */
const DIVERGING = [
  0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xffffff, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
];

function unpack(hex: number[]): Uint8Array {
  const out = new Uint8Array(hex.length * 3);
  hex.forEach((h, i) => out.set([(h >> 16) & 255, (h >> 8) & 255, h & 255], 3 * i));
  return out;
}

const STOPS: Record<Colormap, Uint8Array> = {
  viridis: unpack(VIRIDIS),
  magma: unpack(MAGMA),
  diverging: unpack(DIVERGING),
};
