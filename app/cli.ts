/**
 * The `tfjs-topo` command-line tool: `tfjs-topo COMMAND [args]`. Commands live in a table, each
 * with its own help; errors print one line on stderr and set the exit status
 * (1 unusable input, 2 wrong command line).
 */
import { Command } from './cli/command';
import { demoCommand } from './cli/demo';
import { diagramCommand } from './cli/diagram';
import { metricsCommand } from './cli/metrics';
import { ripsCommand } from './cli/rips';
import { CliError, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, oneLine, usageError } from './cli/errors';
import { CliIO, nodeIO } from './cli/io';
import { packageVersion } from './package-root';

export type { CliIO } from './cli/io';
export type { Command } from './cli/command';

/** Subcommands by name; add new ones here. */
export const COMMANDS: readonly Command[] = [diagramCommand, ripsCommand, metricsCommand, demoCommand];

/** Ways to ask for the version, as common tools spell them (node and npm -v, git version, python -V). */
const VERSION_ARGS: readonly string[] = ['--version', '-v', '-V', 'version'];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 7);
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: tfjs-topo COMMAND [options]',
    '',
    'Commands:',
    ...rows,
    `  ${'help'.padEnd(width)}  this help, or a command's: tfjs-topo help COMMAND`,
    `  ${'version'.padEnd(width)}  the version of tfjs-topo (also --version, -v, -V)`,
    '',
    "Run 'tfjs-topo COMMAND --help' for a command's options.",
    '',
  ].join('\n');
}

/** Runs the tool on `argv` (without node and script) and resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIO = nodeIO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : EXIT_BAD_INPUT;
    const hint = code === EXIT_USAGE ? ` (run '${helpFor(argv[0])}')` : '';
    io.stderr(`tfjs-topo: ${oneLine(e)}${hint}\n`);
    return code;
  }
}

/**
 * The help that a usage error points at: the command's own when the command line named a known
 * one (its options are what went wrong), the command list otherwise.
 */
function helpFor(name: string | undefined): string {
  return COMMANDS.some((c) => c.name === name) ? `tfjs-topo help ${name}` : 'tfjs-topo --help';
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw usageError('missing command');
  if (name === '--help' || name === '-h' || name === 'help') {
    if (rest.length === 0) {
      io.stdout(usage());
      return EXIT_OK;
    }
    io.stdout(find(rest[0]).usage);
    return EXIT_OK;
  }
  if (VERSION_ARGS.includes(name)) {
    if (rest.length > 0) throw usageError(`${name}: unexpected argument '${rest[0]}'`);
    io.stdout(packageVersion() + '\n');
    return EXIT_OK;
  }
  const command = find(name);
  const beforeDashes = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    io.stdout(command.usage);
    return EXIT_OK;
  }
  return command.run(rest, io);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith('-') ? 'option' : 'command';
    throw usageError(`unknown ${what} '${name}'`);
  }
  return command;
}
