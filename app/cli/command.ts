import { CliIO } from './io';

/** One subcommand of `tfjs-topo`. `run` returns the exit status or throws a CliError. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text, printed for `tfjs-topo help NAME` and `tfjs-topo NAME --help`. */
  usage: string;
  run(args: readonly string[], io: CliIO): number | Promise<number>;
}
