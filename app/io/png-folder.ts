/**
 * A segmentation dataset from a user's PNG files: a folder of images and a folder of masks,
 * paired by file name (`images/cell-01.png` with `masks/cell-01.png`), read into the form of the
 * library's synthetic datasets — `{ images, masks, shape }` with row-major `[N, H, W]` arrays.
 *
 * - Images become grey values in [0, 1]: the stored grey value (colour: its BT.601 luminance, as
 *   `readPngGrey`) divided by the largest value of the file's sample depth (255 for 8-bit and
 *   palette images, 65535 for 16-bit, 2^d − 1 for d-bit grey). Alpha is ignored.
 * - Masks are read the same way and thresholded at half that range (`value > max / 2` is 1), or
 *   at `maskThreshold` (in [0, 1] of the range) when given: masks stored as 0/1 in 8-bit files
 *   need `maskThreshold: 0`.
 * - Files are taken in the natural order of their names (`img2` before `img10`); only `.png`
 *   files count (any case of the extension); all must share one size.
 *
 * Every error names the file or folder at fault.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { readPngGrey } from './png';

export interface PngFolderOptions {
  /** The images' folder, relative to the root (or absolute). Default `'images'`. */
  images?: string;
  /** The masks' folder, relative to the root (or absolute). Default `'masks'`. */
  masks?: string;
  /** Masks are 1 where their value is above this fraction of the range, in [0, 1). Default 0.5. */
  maskThreshold?: number;
}

export interface PngSegmentationSet {
  /** Row-major `[N, H, W]` grey values in [0, 1]. */
  images: Float32Array;
  /** Row-major `[N, H, W]` masks, 0 or 1. */
  masks: Float32Array;
  /** `[N, H, W]`. */
  shape: [number, number, number];
  /** The file names, in the order of the arrays. */
  names: string[];
}

/** Reads `root/images/*.png` and `root/masks/*.png` (see the file comment). */
export function readPngSegmentationFolder(root: string, options: PngFolderOptions = {}): PngSegmentationSet {
  const imagesDir = resolve(root, options.images ?? 'images');
  const masksDir = resolve(root, options.masks ?? 'masks');
  const threshold = options.maskThreshold ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold < 1))
    throw new Error(`options.maskThreshold: expected a number in [0, 1), got ${String(threshold)}`);
  const imageNames = pngFiles(imagesDir);
  const maskNames = pngFiles(masksDir);
  if (imageNames.length === 0) throw new Error(`${imagesDir}: no .png files in the images folder`);
  const maskSet = new Set(maskNames);
  const imageSet = new Set(imageNames);
  for (const name of imageNames)
    if (!maskSet.has(name))
      throw new Error(`${join(imagesDir, name)}: no mask for it (expected ${join(masksDir, name)})`);
  for (const name of maskNames)
    if (!imageSet.has(name))
      throw new Error(`${join(masksDir, name)}: no image for it (expected ${join(imagesDir, name)})`);

  const n = imageNames.length;
  let height = 0;
  let width = 0;
  let images = new Float32Array(0);
  let masks = new Float32Array(0);
  imageNames.forEach((name, i) => {
    const imagePath = join(imagesDir, name);
    const maskPath = join(masksDir, name);
    const image = readScaled(imagePath);
    const mask = readScaled(maskPath);
    if (i === 0) {
      [height, width] = image.shape;
      images = new Float32Array(n * height * width);
      masks = new Float32Array(n * height * width);
    } else if (image.shape[0] !== height || image.shape[1] !== width) {
      throw new Error(
        `${imagePath}: size ${size(image.shape)} differs from ${join(imagesDir, imageNames[0])} ` +
          `(${height} × ${width}); all images must share one size`,
      );
    }
    if (mask.shape[0] !== image.shape[0] || mask.shape[1] !== image.shape[1])
      throw new Error(
        `${maskPath}: size ${size(mask.shape)} differs from its image ${imagePath} (${size(image.shape)})`,
      );
    const at = i * height * width;
    images.set(image.values, at);
    for (let p = 0; p < height * width; p++) masks[at + p] = mask.values[p] > threshold ? 1 : 0;
  });
  return { images, masks, shape: [n, height, width], names: imageNames };
}

/** The `.png` file names of a folder, in natural order; an error naming the folder if it cannot be listed. */
function pngFiles(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${dir}: no such folder`, { cause: e });
    throw e instanceof Error && e.message.startsWith(dir)
      ? e
      : new Error(`${dir}: ${(e as Error).message}`, { cause: e });
  }
  return entries
    .filter((name) => /\.png$/i.test(name) && statSync(join(dir, name)).isFile())
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A PNG's grey values scaled to [0, 1] by the largest value of its sample depth. */
function readScaled(path: string): { values: Float32Array; shape: [number, number] } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read file: ${(e as Error).message}`, { cause: e });
  }
  let grey;
  try {
    grey = readPngGrey(bytes);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
  // Palette images (IHDR colour type 3, byte 25) expand to 8-bit colours whatever their index depth.
  const palette = bytes[25] === 3;
  const max = palette ? 255 : 2 ** grey.bitDepth - 1;
  const values = new Float32Array(grey.data.length);
  for (let i = 0; i < values.length; i++) values[i] = grey.data[i] / max;
  return { values, shape: grey.shape };
}

const size = ([h, w]: readonly number[]) => `${h} × ${w}`;
