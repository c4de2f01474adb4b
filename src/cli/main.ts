/**
 * `v8266` command dispatch. Every command returns its exit code; thrown UsageErrors become
 * exit 2 with one line on stderr, anything else is a bug in v8266 (exit 3, with the stack).
 */

import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { mainHelp, relayHelp, runHelp, serveHelp } from './help.ts';
import type { CliHost } from './host.ts';
import { runCommand } from './run-command.ts';
import { relayCommand } from './relay-command.ts';
import { serveCommand } from './serve-command.ts';

interface Command {
  help(): string;
  run(argv: readonly string[], host: CliHost): number | Promise<number>;
}

/** Subcommands by name. Later commands (`bench`…) register here. */
const COMMANDS: Readonly<Record<string, Command>> = {
  run: { help: runHelp, run: runCommand },
  serve: { help: serveHelp, run: serveCommand },
  relay: { help: relayHelp, run: relayCommand },
  help: {
    help: mainHelp,
    run(argv, host) {
      const topic = argv[0];
      if (topic === undefined) host.writeStdout(mainHelp());
      else if (Object.hasOwn(COMMANDS, topic)) host.writeStdout(COMMANDS[topic].help());
      else throw new UsageError(`no help for unknown command "${topic}"`);
      return EXIT_OK;
    },
  },
  version: {
    help: () => 'Usage: v8266 version\n',
    run(_argv, host) {
      host.writeStdout(`v8266 ${host.version}\n`);
      return EXIT_OK;
    },
  },
};

function dispatch(argv: readonly string[], host: CliHost): number | Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    host.writeStderr(mainHelp());
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') return COMMANDS.help.run(rest, host);
  if (first === '--version' || first === '-V') return COMMANDS.version.run(rest, host);
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}`);
  if (!Object.hasOwn(COMMANDS, first)) {
    const hint = /\.(bin|elf)$/i.test(first) ? ` (did you mean: v8266 run ${first}?)` : '';
    throw new UsageError(`unknown command "${first}"${hint}`);
  }
  return COMMANDS[first].run(rest, host);
}

export async function main(argv: readonly string[], host: CliHost): Promise<number> {
  try {
    return await dispatch(argv, host);
  } catch (error) {
    if (error instanceof UsageError) {
      host.writeStderr(`v8266: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    host.writeStderr(`v8266: internal error: ${detail}\n`);
    return EXIT_INTERNAL;
  }
}
