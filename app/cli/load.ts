import { readNpy } from '../io/npy';
import { readPngGrey } from '../io/png';
import { fsReason } from '../io/fs-errors';

export interface LoadedArray {
  data: Float32Array | Float64Array;
  shape: number[];
}

/** What a file holds, judged by its first bytes. */
export type FileKind = 'npy' | 'png' | 'jpeg' | 'gif' | 'tiff' | 'zip' | 'gzip' | 'pdf' | 'text' | 'binary';

const MAGIC: readonly [FileKind, readonly number[]][] = [
  ['npy', [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]], // \x93NUMPY
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
  ['gif', [0x47, 0x49, 0x46, 0x38]], // GIF8
  ['tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['tiff', [0x4d, 0x4d, 0x00, 0x2a]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]], // also .npz
  ['gzip', [0x1f, 0x8b]],
  ['pdf', [0x25, 0x50, 0x44, 0x46]], // %PDF
];

/** The kind of a file from its signature; without one, text unless it has NUL bytes or invalid UTF-8. */
export function fileKind(bytes: Uint8Array): FileKind {
  for (const [kind, magic] of MAGIC) if (magic.every((b, i) => bytes[i] === b)) return kind;
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return 'binary';
  try {
    // Streaming mode: a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < bytes.length });
    return 'text';
  } catch {
    return 'binary';
  }
}

/** How an error names a kind of file. */
export const KIND_NAMES: Record<FileKind, string> = {
  npy: 'a .npy array',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  tiff: 'a TIFF image',
  zip: 'a zip archive (or .npz)',
  gzip: 'a gzip archive',
  pdf: 'a PDF document',
  text: 'a text file',
  binary: 'a binary file of unknown format',
};

/**
 * Decodes an image or array file, recognised by its content (so a misnamed file still loads) and
 * otherwise by its extension (so a broken .npy gets the .npy reader's message). Throws an Error on
 * bad input, naming what the file is when it is neither.
 */
export function decodeArray(path: string, bytes: Uint8Array): LoadedArray {
  const kind = fileKind(bytes);
  const ext = /\.([^./\\]+)$/.exec(path)?.[1].toLowerCase();
  if (kind === 'npy' || (ext === 'npy' && (kind === 'binary' || kind === 'text'))) {
    const { data, shape } = readNpy(bytes);
    return { data, shape };
  }
  if (kind === 'png' || (ext === 'png' && (kind === 'binary' || kind === 'text'))) {
    const { data, shape } = readPngGrey(bytes);
    return { data, shape: [...shape] };
  }
  throw new Error(`expected a .npy or .png file, got ${KIND_NAMES[kind]}`);
}

/** Reads a file, turning Node's error codes into short messages. */
export function readInput(path: string, readFile: (path: string) => Uint8Array): Uint8Array {
  try {
    return readFile(path);
  } catch (e) {
    throw new Error(`cannot read file: ${fsReason(e)}`, { cause: e });
  }
}

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) return i;
  }
  return -1;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
