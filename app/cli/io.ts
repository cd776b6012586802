import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

/** Everything a command touches outside itself, so that commands run in tests without processes. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whole file contents; throws (a Node error with `code`, or any Error) when unreadable. */
  readFile(path: string): Uint8Array;
  /**
   * The names of the files in a folder (not its subfolders), or undefined when `path` is no folder
   * (a file, or nothing: reading it then says why); throws when a folder cannot be listed. Absent:
   * every path is taken for a file.
   */
  listFolder?(path: string): string[] | undefined;
}

export const nodeIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFileSync(path),
  listFolder: (path) => {
    let folder: boolean;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      return undefined;
    }
    if (!folder) return undefined;
    return readdirSync(path).filter((name) => {
      try {
        return statSync(join(path, name)).isFile();
      } catch {
        return false; // a dangling link
      }
    });
  },
};
