import { main } from '../../app/cli';
import { nodeIO } from '../../app/cli/io';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the tool against an in-memory file system: `files` maps paths to contents (text is UTF-8
 * encoded); any other path is missing, and the path 'a-directory' is a directory. A path under
 * which `files` has entries ('pred' for 'pred/a.npy') is a folder holding the files directly in it.
 */
export async function runCli(argv: string[], files: Record<string, Uint8Array | string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (path) => {
      if (path === 'a-directory') throw Object.assign(new Error('EISDIR: illegal operation'), { code: 'EISDIR' });
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      const f = files[path];
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    listFolder: (path) => {
      if (path === 'a-directory') return [];
      const prefix = path.replace(/\/+$/, '') + '/';
      const inside = Object.keys(files).filter((f) => f.startsWith(prefix));
      if (inside.length === 0) return undefined;
      return inside.map((f) => f.slice(prefix.length)).filter((name) => !name.includes('/'));
    },
  });
  return { code, stdout, stderr };
}

/** Runs the tool on the real file system, capturing what it prints. */
export async function runCliOnDisk(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    ...nodeIO,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  });
  return { code, stdout, stderr };
}
