import { flattenControls } from '../io/quote';

/** Exit statuses: 1 for input the command cannot use, 2 for a wrong command line. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** An error whose message is shown as is, with the exit status it calls for. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_BAD_INPUT | typeof EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT_USAGE);
export const inputError = (message: string): CliError => new CliError(message, EXIT_BAD_INPUT);

/** The message of anything thrown, on one line: line breaks flattened, control characters escaped. */
export function oneLine(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? String(e.message) : String(e);
  } catch {
    text = Object.prototype.toString.call(e); // an object without toString
  }
  return flattenControls(text).trim();
}
