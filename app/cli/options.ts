import { usageError } from './errors';

/** `flag`: present or not (`--superlevel`); `value`: takes one argument (`--dims 0,1` or `--dims=0,1`). */
export type OptionKind = 'flag' | 'value';

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/**
 * Splits a command's arguments into positionals and the options of `spec` (names without "--").
 * Unknown, repeated or malformed options are usage errors. After `--` everything is positional.
 */
export function parseArgs(args: readonly string[], spec: Readonly<Record<string, OptionKind>>): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) throw usageError(`unknown option '${eq < 0 ? arg : arg.slice(0, eq)}'`);
    if (out.flags.has(name) || out.values.has(name)) throw usageError(`option --${name} given twice`);
    if (kind === 'flag') {
      if (eq >= 0) throw usageError(`option --${name} takes no value`);
      out.flags.add(name);
    } else if (eq >= 0) {
      out.values.set(name, arg.slice(eq + 1));
    } else {
      if (i + 1 >= args.length) throw usageError(`option --${name} needs a value`);
      out.values.set(name, args[++i]);
    }
  }
  return out;
}
