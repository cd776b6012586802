import { main } from '../../app/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the tool against an in-memory file system: `files` maps paths to contents (text is UTF-8
 * encoded); any other path is missing, and the path 'a-directory' is a directory.
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
  });
  return { code, stdout, stderr };
}
