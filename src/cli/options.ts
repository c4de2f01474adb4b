/**
 * A small command-line parser shared by the subcommands. Options keep their order, because
 * `--expect` and `--send` form one script in the order they were given.
 *
 * Accepted spellings: `--name value`, `--name=value`, flags as `--name`; `--` ends the options.
 */

import { UsageError } from './errors.ts';

export interface OptionSpec {
  /** Long name without the dashes. */
  name: string;
  /** Short alias without the dash (`h` for `-h`). */
  short?: string;
  /** Name of the value in help text; absent for flags. */
  value?: string;
  /** May be given more than once. */
  repeatable?: boolean;
  help: string;
}

export interface ParsedOption {
  name: string;
  /** `true` for flags. */
  value: string | true;
}

export interface ParsedArgs {
  /** In command-line order. */
  options: ParsedOption[];
  positionals: string[];
}

export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const options: ParsedOption[] = [];
  const positionals: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const key = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const spec = specs.find((s) => (long ? s.name === key : s.short === key));
    if (!spec) throw new UsageError(`unknown option ${long ? `--${key}` : arg}`);
    let value: string | true = true;
    if (spec.value !== undefined) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
    } else if (eq >= 0) {
      throw new UsageError(`--${spec.name} takes no value`);
    }
    if (seen.has(spec.name) && !spec.repeatable) {
      throw new UsageError(`--${spec.name} given more than once`);
    }
    seen.add(spec.name);
    options.push({ name: spec.name, value });
  }
  return { options, positionals };
}

/** The help lines for a list of options, aligned. */
export function formatOptionHelp(specs: readonly OptionSpec[]): string {
  const left = specs.map((s) => {
    const short = s.short ? `-${s.short}, ` : '    ';
    return `  ${short}--${s.name}${s.value ? ` ${s.value}` : ''}`;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return specs.map((s, i) => left[i].padEnd(width) + s.help).join('\n');
}
