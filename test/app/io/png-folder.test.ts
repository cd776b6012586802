import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PNG } from 'pngjs';
import { deflateSync } from 'zlib';
import { readPngSegmentationFolder } from '../../../app/io/png-folder';

/** A PNG written by pngjs from samples already in the output colour type (grey, RGB or RGBA). */
function png(width: number, height: number, colorType: 0 | 2 | 6, bitDepth: 8 | 16, samples: number[]): Buffer {
  const image = new PNG({ width, height });
  const typed = bitDepth === 16 ? Uint16Array.from(samples) : Uint8Array.from(samples);
  image.data = Buffer.from(typed.buffer);
  return PNG.sync.write(image, { colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType === 6 });
}

/** A 4-bit palette PNG built by hand (pngjs cannot write one): `indices` into `palette` (RGB triples). */
function palettePng(width: number, height: number, palette: number[], indices: number[]): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, data: Buffer): Buffer => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    let c = 0xffffffff;
    for (const b of out.subarray(4, 8 + data.length)) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 4; // bit depth of the indices
  ihdr[9] = 3; // palette
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(0); // filter type None
    for (let x = 0; x < width; x += 2) raw.push((indices[y * width + x] << 4) | (indices[y * width + x + 1] ?? 0));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette)),
    chunk('IDAT', deflateSync(Buffer.from(raw))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'png-folder-'));
  mkdirSync(join(root, 'images'));
  mkdirSync(join(root, 'masks'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const put = (folder: string, name: string, bytes: Buffer) => writeFileSync(join(root, folder, name), bytes);

describe('readPngSegmentationFolder', () => {
  test('pairs images and masks by name, in natural order; grey scaled to [0, 1], masks at half range', () => {
    // 2 × 3 images. img10 is 8-bit grey, img2 16-bit grey; masks 8-bit grey.
    put('images', 'img10.png', png(3, 2, 0, 8, [0, 51, 102, 153, 204, 255]));
    put('images', 'img2.png', png(3, 2, 0, 16, [0, 65535, 0, 13107, 0, 65535]));
    put('masks', 'img10.png', png(3, 2, 0, 8, [0, 127, 128, 255, 0, 200]));
    put('masks', 'img2.png', png(3, 2, 0, 8, [255, 0, 0, 0, 0, 255]));
    put('images', 'notes.txt', Buffer.from('ignored'));
    const set = readPngSegmentationFolder(root);
    expect(set.names).toEqual(['img2.png', 'img10.png']);
    expect(set.shape).toEqual([2, 2, 3]);
    expect(set.images).toBeInstanceOf(Float32Array);
    expect(Array.from(set.images)).toEqual([0, 1, 0, 0.2, 0, 1, 0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => Math.fround(v)));
    // 127 of 255 is below half the range, 128 above.
    expect(Array.from(set.masks)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1]);
  });

  test('colour images become their luminance; alpha is ignored; maskThreshold for 0/1 masks', () => {
    // RGB (255, 0, 0) → 0.299 · 255; RGBA grey 100 with alpha 0 → 100.
    put('images', 'a.png', png(2, 1, 2, 8, [255, 0, 0, 0, 0, 255]));
    put('images', 'b.png', png(2, 1, 6, 8, [100, 100, 100, 0, 255, 255, 255, 255]));
    put('masks', 'a.png', png(2, 1, 0, 8, [1, 0]));
    put('masks', 'b.png', png(2, 1, 2, 8, [0, 0, 0, 1, 1, 1]));
    const half = readPngSegmentationFolder(root);
    expect(half.images[0]).toBeCloseTo(0.299, 6);
    expect(half.images[1]).toBeCloseTo(0.114, 6);
    expect(half.images[2]).toBeCloseTo(100 / 255, 6);
    expect(half.images[3]).toBe(1);
    expect(Array.from(half.masks)).toEqual([0, 0, 0, 0]); // 1 of 255 is no foreground at half range
    const binary = readPngSegmentationFolder(root, { maskThreshold: 0 });
    expect(Array.from(binary.masks)).toEqual([1, 0, 0, 1]);
  });

  test('palette images scale by 255 (their colours are 8-bit, whatever the index depth)', () => {
    put('images', 'a.png', palettePng(2, 1, [0, 0, 0, 51, 51, 51], [1, 0]));
    put('masks', 'a.png', palettePng(2, 1, [0, 0, 0, 255, 255, 255], [1, 0]));
    const set = readPngSegmentationFolder(root);
    expect(Array.from(set.images)).toEqual([Math.fround(0.2), 0]);
    expect(Array.from(set.masks)).toEqual([1, 0]);
  });

  test('other folder names, relative or absolute', () => {
    mkdirSync(join(root, 'x'));
    mkdirSync(join(root, 'y'));
    put('x', 'p.PNG', png(1, 1, 0, 8, [255]));
    put('y', 'p.PNG', png(1, 1, 0, 8, [255]));
    const set = readPngSegmentationFolder(root, { images: 'x', masks: join(root, 'y') });
    expect(set.names).toEqual(['p.PNG']);
    expect(Array.from(set.images)).toEqual([1]);
    expect(Array.from(set.masks)).toEqual([1]);
  });

  test('clear errors that name the path', () => {
    const images = join(root, 'images');
    const masks = join(root, 'masks');
    expect(() => readPngSegmentationFolder(root)).toThrow(`${images}: no .png files in the images folder`);
    expect(() => readPngSegmentationFolder(join(root, 'nowhere'))).toThrow(
      `${join(root, 'nowhere', 'images')}: no such folder`,
    );
    put('images', 'a.png', png(2, 2, 0, 8, [0, 0, 0, 0]));
    expect(() => readPngSegmentationFolder(root)).toThrow(
      `${join(images, 'a.png')}: no mask for it (expected ${join(masks, 'a.png')})`,
    );
    put('masks', 'a.png', png(2, 1, 0, 8, [0, 0]));
    expect(() => readPngSegmentationFolder(root)).toThrow(
      `${join(masks, 'a.png')}: size 1 × 2 differs from its image ${join(images, 'a.png')} (2 × 2)`,
    );
    put('masks', 'a.png', png(2, 2, 0, 8, [0, 0, 0, 0]));
    put('masks', 'b.png', png(2, 2, 0, 8, [0, 0, 0, 0]));
    expect(() => readPngSegmentationFolder(root)).toThrow(
      `${join(masks, 'b.png')}: no image for it (expected ${join(images, 'b.png')})`,
    );
    put('images', 'b.png', png(3, 2, 0, 8, [0, 0, 0, 0, 0, 0]));
    expect(() => readPngSegmentationFolder(root)).toThrow(
      `${join(images, 'b.png')}: size 2 × 3 differs from ${join(images, 'a.png')} (2 × 2); all images must share one size`,
    );
    put('images', 'b.png', Buffer.from('not a png'));
    expect(() => readPngSegmentationFolder(root)).toThrow(`${join(images, 'b.png')}: invalid PNG`);
    writeFileSync(join(root, 'file'), 'x');
    expect(() => readPngSegmentationFolder(root, { images: 'file' })).toThrow(`${join(root, 'file')}: not a folder`);
    expect(() => readPngSegmentationFolder(root, { maskThreshold: 1 })).toThrow(
      'options.maskThreshold: expected a number in [0, 1), got 1',
    );
  });
});
