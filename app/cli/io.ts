import { readFileSync } from 'fs';

/** Everything a command touches outside itself, so that commands run in tests without processes. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whole file contents; throws (a Node error with `code`, or any Error) when unreadable. */
  readFile(path: string): Uint8Array;
}

export const nodeIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFileSync(path),
};
