/**
 * `--tool SPEC` and `--tool-send TEXT` (docs/cli.md, "The network debugging tool"): the seed
 * guide's PC "network debugging tool" on a LAN's .1 host: 192.168.10.1 (AP 0's LAN) unless the
 * spec ends in `@N` (AP N's LAN, 192.168.(10+N).1) or names a peer address on another LAN.
 * Reads no files.
 *
 *   --tool tcp-server:PORT          listen on TCP PORT (the board is the client: seed 3.3.2)
 *   --tool tcp-client:IP:PORT       connect to IP:PORT (the board is the server: seed 3.3.3)
 *   --tool udp:PORT[:IP:RPORT]      a UDP port; sends go to IP:RPORT, or to whoever sent last (3.3.1)
 *   --tool-send TEXT                send TEXT (escapes as --send) on the latest --tool before it
 */
import { parseIpv4 } from '../../net/ip/bytes.ts';
import type { DebugToolSpec } from '../../net/ip/debug-tool.ts';
import { decodeEscapes } from '../escapes.ts';
import { UsageError } from '../errors.ts';
import type { OptionSpec } from '../options.ts';

export type ToolSpec = DebugToolSpec;

/** One thing the tool does, in command-line order: open a session, or send on one. */
export type ToolStep =
  /** `lan`: the AP whose LAN's .1 host runs it, when not AP 0. */
  | { kind: 'open'; spec: ToolSpec; text: string; lan?: number }
  /** `tool`: which `--tool` (0 = the first given) the text goes to. */
  | { kind: 'send'; tool: number; text: string; bytes: Uint8Array };

export const TOOL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'tool',
    value: 'SPEC',
    repeatable: true,
    help: "the guides' network debugging tool on 192.168.10.1: tcp-server:PORT, tcp-client:IP:PORT or udp:PORT[:IP:PORT], with @N on AP N's LAN host 192.168.(10+N).1 (a peer IP in that LAN picks it too); prints what it sees on stderr (repeatable; `run` opens it once every earlier --expect is met)",
  },
  {
    name: 'tool-send',
    value: 'TEXT',
    repeatable: true,
    help: 'send TEXT (escapes as --send) on the latest --tool before it, once every earlier --expect is met and it has a peer (repeatable)',
  },
];

/** `serve` only (a `run` does not wait for a keyboard): the console's input line. */
export const TOOL_STDIN_OPTION: OptionSpec = {
  name: 'tool-stdin',
  help: 'send what is typed on stdin (line by line, newline included) on the latest --tool',
};

function port(text: string, spec: string, zeroOk = false): number {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= (zeroOk ? 0 : 1) && n <= 65535))
    throw new UsageError(`bad --tool "${spec}": port "${text}"`);
  return n;
}

function ip(text: string, spec: string): number {
  try {
    return parseIpv4(text);
  } catch {
    throw new UsageError(`bad --tool "${spec}": "${text}" is not an IPv4 address`);
  }
}

export function parseToolSpec(spec: string): ToolSpec {
  const [kind, ...rest] = spec.split(':');
  if (kind === 'tcp-server' && rest.length === 1) return { kind, port: port(rest[0], spec) };
  if (kind === 'tcp-client' && rest.length === 2)
    return { kind, ip: ip(rest[0], spec), port: port(rest[1], spec) };
  if (kind === 'udp' && rest.length === 1) return { kind, port: port(rest[0], spec, true) };
  if (kind === 'udp' && rest.length === 3)
    return {
      kind,
      port: port(rest[0], spec, true),
      remote: { ip: ip(rest[1], spec), port: port(rest[2], spec) },
    };
  throw new UsageError(
    `bad --tool "${spec}" (tcp-server:PORT, tcp-client:IP:PORT, udp:PORT or udp:PORT:IP:PORT)`,
  );
}

/**
 * The LAN a spec's tool runs on: `@N` at its end, else the LAN 192.168.(10+N).0/24 that holds the
 * peer it names (tcp-client, udp with a remote), else 0.
 */
export function toolLan(text: string): { spec: string; lan: number } {
  const at = /@([0-9]{1,3})$/.exec(text);
  if (at) return { spec: text.slice(0, at.index), lan: Number(at[1]) };
  const spec = parseToolSpec(text);
  // parseToolSpec gives numbers (the type also allows the console's strings).
  const peer =
    spec.kind === 'tcp-client' ? spec.ip : spec.kind === 'udp' ? spec.remote?.ip : undefined;
  if (typeof peer !== 'number' || peer >>> 16 !== 0xc0a8) return { spec: text, lan: 0 };
  const third = (peer >>> 8) & 0xff;
  const lan = third >= 10 ? third - 10 : 0;
  return { spec: text, lan };
}

/** Appends a `--tool`/`--tool-send` to `steps` and returns it; null when `name` is neither. */
export function applyToolOption(steps: ToolStep[], name: string, text: string): ToolStep | null {
  if (name === 'tool') {
    const { spec, lan } = toolLan(text);
    const step: ToolStep = { kind: 'open', spec: parseToolSpec(spec), text };
    if (lan !== 0) step.lan = lan;
    steps.push(step);
    return step;
  }
  if (name !== 'tool-send') return null;
  if (text === '') throw new UsageError('--tool-send needs a non-empty TEXT');
  const opened = steps.filter((s) => s.kind === 'open').length;
  if (opened === 0) throw new UsageError('--tool-send needs a --tool before it (where to send)');
  const step: ToolStep = {
    kind: 'send',
    tool: opened - 1,
    text,
    bytes: decodeEscapes(text, '--tool-send'),
  };
  steps.push(step);
  return step;
}
