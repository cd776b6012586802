import { readNpy } from '../io/npy';
import { readPngGrey } from '../io/png';

export interface LoadedArray {
  data: Float32Array | Float64Array;
  shape: number[];
}

const NPY_MAGIC = '\x93NUMPY';
const PNG_MAGIC = '\x89PNG\r\n\x1a\n';

/**
 * Decodes an array file, recognised by its content (so a misnamed file still loads) and otherwise
 * by its extension (so a broken .npy gets the .npy reader's message). Throws an Error on bad input.
 */
export function decodeArray(path: string, bytes: Uint8Array): LoadedArray {
  const head = String.fromCharCode(...bytes.subarray(0, 8));
  const ext = /\.([^./\\]+)$/.exec(path)?.[1].toLowerCase();
  if (head.startsWith(NPY_MAGIC) || (ext === 'npy' && !head.startsWith(PNG_MAGIC))) {
    const { data, shape } = readNpy(bytes);
    return { data, shape };
  }
  if (head === PNG_MAGIC || ext === 'png') {
    const { data, shape } = readPngGrey(bytes);
    return { data, shape: [...shape] };
  }
  throw new Error('unrecognised file format (expected a .npy or .png file)');
}

/** Reads a file, turning Node's error codes into short messages. */
export function readInput(path: string, readFile: (path: string) => Uint8Array): Uint8Array {
  try {
    return readFile(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (e as Error).message;
    throw new Error(`cannot read file: ${why}`, { cause: e });
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
