import { existsSync, writeFileSync } from 'fs';
import { PNG } from 'pngjs';
import { withPath } from '../../../app/io/fs-errors';
import { maxPixels, readPngGrey } from '../../../app/io/png';
import { fileKind } from '../../../app/cli/load';
import { oneLine } from '../../../app/cli/errors';
import { runCli } from '../../reference/run-cli';

// Files the tools must not misread: a file's kind is told from its content, huge images are
// refused from their header, broken files and failed writes give one line naming the path.

const png = (width: number, height: number): Uint8Array => PNG.sync.write(new PNG({ width, height }));

/** A valid PNG header claiming width × height, followed by a tiny image's data (never decoded). */
function hugeHeader(width: number, height: number): Uint8Array {
  const bytes = Buffer.from(png(4, 4));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return bytes;
}

test('a PNG given to rips is named as such, not parsed as CSV', async () => {
  const r = await runCli(['rips', 'points.csv'], { 'points.csv': png(4, 4) });
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr: 'tfjs-topo: points.csv: expected a .npy array or a text (.csv) file of points, got a PNG image\n',
  });
  const gz = await runCli(['diagram', 'x.npy.gz'], { 'x.npy.gz': Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]) });
  expect(gz.stderr).toBe('tfjs-topo: x.npy.gz: expected a .npy or .png file, got a gzip archive\n');
});

test('file kinds from content', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  expect(fileKind(png(1, 1))).toBe('png');
  expect(fileKind(text('0,1\n2,3\n'))).toBe('text');
  expect(fileKind(text('é,ü\n'.repeat(2000)))).toBe('text'); // a character cut at the 4 KB mark
  expect(fileKind(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
  expect(fileKind(Uint8Array.from([1, 2, 0, 4]))).toBe('binary');
  expect(fileKind(Uint8Array.from([0xc3, 0x28, 0x41]))).toBe('binary'); // invalid UTF-8
});

test('a huge image is refused from its header, before decoding, with how to raise the limit', async () => {
  const t0 = Date.now();
  const r = await runCli(['diagram', 'big.png'], { 'big.png': hugeHeader(20000, 20000) });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    'tfjs-topo: big.png: image of 20000 × 20000 = 400000000 pixels is larger than the limit of 67108864 pixels ' +
      '(set the environment variable TFJS_TOPO_MAX_PIXELS to raise it)\n',
  );
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(() => readPngGrey(hugeHeader(100, 100), 'luminance', 9999)).toThrow(/limit of 9999 pixels/);
  expect(maxPixels({ TFJS_TOPO_MAX_PIXELS: '1000' })).toBe(1000);
  expect(() => maxPixels({ TFJS_TOPO_MAX_PIXELS: 'lots' })).toThrow(
    "TFJS_TOPO_MAX_PIXELS: expected a positive integer, got 'lots'",
  );
});

test("a truncated PNG says so, not pngjs's stream internals", async () => {
  const bytes = png(8, 8);
  for (const cut of [20, 40, bytes.length - 4]) {
    const r = await runCli(['diagram', 'cut.png'], { 'cut.png': bytes.subarray(0, cut) });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/waitng|stream/);
    expect(r.stderr).toMatch(/^tfjs-topo: cut\.png: invalid PNG: .+\n$/);
  }
});

test('a failed write is one line naming the path and the reason (ENOSPC, ENOTDIR)', () => {
  if (existsSync('/dev/full'))
    expect(() => withPath('write', '/dev/full', () => writeFileSync('/dev/full', 'x'))).toThrow(
      'cannot write /dev/full: no space left on device',
    );
  expect(() => withPath('write', '/dev/null/x', () => writeFileSync('/dev/null/x', 'x'))).toThrow(
    'cannot write /dev/null/x: a parent is not a directory',
  );
});

test('messages stay on one line: file content is escaped, and oneLine flattens whatever is left', async () => {
  const r = await runCli(['rips', 'x.csv'], { 'x.csv': new TextEncoder().encode('1,2\n3,a\rb') });
  expect(r.stderr).toBe("tfjs-topo: x.csv: line 2: 'a\\rb' is not a number\n");
  expect(oneLine(new Error('a\r\nb \n c\rd\u2028e\u0085f'))).toBe('a b c d e f');
  expect(oneLine(new Error('tab\there, nul\u0000, bell\u0007, already escaped \\n'))).toBe(
    'tab here, nul\\u0000, bell\\u0007, already escaped \\n',
  );
  expect(oneLine('  plain\n')).toBe('plain');
  expect(oneLine(Object.create(null))).toBe('[object Object]');
});
