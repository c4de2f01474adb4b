/** `v8266 run` arguments → a description of what to run. Reads no files. */

import {
  DEFAULT_FLASH_SIZE,
  FlashLayoutError,
  parseFlashSize,
  parseHeaderFlashSize,
  parseOffset,
} from '../board/image/flash-layout.ts';
import { decodeEscapes } from './escapes.ts';
import { UsageError } from './errors.ts';
import { parseOptions, type OptionSpec } from './options.ts';
import type { ScriptStep } from './run.ts';
import {
  applyNetworkOption,
  checkNetworkRequest,
  emptyNetworkRequest,
  NETWORK_OPTIONS,
  TAP_OPTION,
  type NetworkRequest,
} from './net/network-args.ts';

export const RUN_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'flash-size',
    value: 'SIZE',
    help: 'flash chip size: 512K, 1M, 2M, 4M, 8M or 16M (default 4M)',
  },
  {
    name: 'header-size',
    value: 'SIZE',
    help: 'set the flash size in the image header at offset 0, as esptool --flash_size does (1MB, 2MB-c1…)',
  },
  { name: 'timeout', value: 'S', help: 'emulated seconds before giving up (default 10)' },
  {
    name: 'expect',
    value: 'TEXT',
    repeatable: true,
    help: 'wait until TEXT appears on UART0 (repeatable, matched in order)',
  },
  {
    name: 'send',
    value: 'TEXT',
    repeatable: true,
    help: 'type TEXT into UART0 once every earlier --expect is met (repeatable)',
  },
  {
    name: 'gpio',
    value: 'PIN=LEVEL[@S]',
    repeatable: true,
    help: 'drive GPIO PIN (0-16) to LEVEL 0 or 1, or let it go (z), once every earlier --expect is met and not before S emulated seconds (repeatable)',
  },
  { name: 'stats', help: 'print a JSON line of run statistics on stderr at exit' },
  {
    name: 'vcd',
    value: 'FILE',
    help: 'write GPIO 0-16 level changes to FILE as a VCD trace (simulated time, 1 ns)',
  },
  {
    name: 'gpio-log',
    help: 'print "t=SECONDS GPIOn=LEVEL" on stderr for every GPIO level change',
  },
  ...NETWORK_OPTIONS,
  {
    ...TAP_OPTION,
    help: `${TAP_OPTION.help}; the run is then paced to the wall clock`,
  },
  {
    name: 'snapshot-out',
    value: 'FILE',
    help: 'when the run ends, save the whole machine state to FILE (a .v8266snap snapshot)',
  },
  {
    name: 'snapshot-in',
    value: 'FILE',
    help: 'resume the machine saved in FILE instead of powering on (images, if given, replace its flash)',
  },
  {
    name: 'gdb',
    value: 'PORT',
    help: 'wait for GDB on 127.0.0.1:PORT before running (0 picks a free port), then run with it attached',
  },
  { name: 'help', short: 'h', help: 'show this help' },
];

export interface ImageArg {
  path: string;
  offset: number;
}

export interface RunRequest {
  images: ImageArg[];
  flashSize: number;
  /** `--header-size`: the size code to write into the header at offset 0, or null (keep). */
  headerSizeCode: number | null;
  timeoutSeconds: number;
  script: ScriptStep[];
  stats: boolean;
  /** `--vcd FILE`: where to write the GPIO trace, or null. */
  vcdPath: string | null;
  gpioLog: boolean;
  /** `--ap`, `--echo`, `--http`, `--mqtt`, `--pcap`, `--tool`: the virtual network around the board. */
  network: NetworkRequest;
  /** `--snapshot-out FILE`: where to save the state when the run ends, or null. */
  snapshotOut: string | null;
  /** `--snapshot-in FILE`: the snapshot to resume, or null (power on). */
  snapshotIn: string | null;
  /** `--gdb PORT`: wait for a GDB there before running, or null. */
  gdbPort: number | null;
  /** Whether `--flash-size` was given (a resumed board otherwise keeps the snapshot's). */
  flashSizeGiven: boolean;
  help: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;

/** `fw.bin@0x10000` → path and offset. The last `@` splits, so paths may contain `@` too. */
export function parseImageArg(arg: string): ImageArg {
  const at = arg.lastIndexOf('@');
  const path = at < 0 ? arg : arg.slice(0, at);
  if (path === '') throw new UsageError(`image argument ${JSON.stringify(arg)} has no file name`);
  if (at < 0) return { path, offset: 0 };
  try {
    return { path, offset: parseOffset(arg.slice(at + 1)) };
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

/** A TCP port number on the command line (0: the system picks a free one). */
export function parsePort(text: string, option: string): number {
  const port = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`bad --${option} "${text}" (0-65535)`);
  return port;
}

/** `--gpio 13=0@30`: a pad, the level to drive it to (`z`: released) and not before when. */
export function parseGpioDrive(text: string): {
  pin: number;
  level: 0 | 1 | null;
  atSeconds: number;
} {
  const m = /^\s*([0-9]{1,2})\s*=\s*([01zZ])\s*(?:@\s*([0-9]*\.?[0-9]+)\s*)?$/.exec(text);
  const pin = m ? Number(m[1]) : NaN;
  if (!m || pin > 16)
    throw new UsageError(
      `bad --gpio "${text}" (PIN=LEVEL[@S]: PIN 0-16, LEVEL 0, 1 or z, S emulated seconds)`,
    );
  const level = m[2] === '0' ? 0 : m[2] === '1' ? 1 : null;
  return { pin, level, atSeconds: m[3] === undefined ? 0 : Number(m[3]) };
}

function parseTimeout(text: string): number {
  const seconds = /^\s*[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?\s*$/i.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new UsageError(`bad --timeout "${text}" (a positive number of emulated seconds)`);
  }
  return seconds;
}

export function parseRunArgs(argv: readonly string[]): RunRequest {
  const { options, positionals } = parseOptions(argv, RUN_OPTIONS);
  const request: RunRequest = {
    images: [],
    flashSize: DEFAULT_FLASH_SIZE,
    headerSizeCode: null,
    timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    script: [],
    stats: false,
    vcdPath: null,
    gpioLog: false,
    network: emptyNetworkRequest(),
    snapshotOut: null,
    snapshotIn: null,
    gdbPort: null,
    flashSizeGiven: false,
    help: false,
  };
  for (const { name, value } of options) {
    const text = value === true ? '' : value;
    if (applyNetworkOption(request.network, name, text)) {
      // The tool's steps belong to the script: each comes due once every earlier --expect is met.
      if (name === 'tool' || name === 'tool-send')
        request.script.push({
          kind: 'tool',
          text: `--${name} ${text}`,
          step: request.network.tool.at(-1)!,
        });
      continue;
    }
    switch (name) {
      case 'flash-size':
        try {
          request.flashSize = parseFlashSize(text);
          request.flashSizeGiven = true;
        } catch (e) {
          if (e instanceof FlashLayoutError) throw new UsageError(e.message);
          throw e;
        }
        break;
      case 'header-size':
        try {
          request.headerSizeCode = parseHeaderFlashSize(text);
        } catch (e) {
          if (e instanceof FlashLayoutError) throw new UsageError(e.message);
          throw e;
        }
        break;
      case 'timeout':
        request.timeoutSeconds = parseTimeout(text);
        break;
      case 'expect':
      case 'send': {
        if (text === '') throw new UsageError(`--${name} needs a non-empty TEXT`);
        const bytes = decodeEscapes(text, `--${name}`);
        request.script.push({ kind: name, text, bytes });
        break;
      }
      case 'gpio':
        request.script.push({ kind: 'gpio', text, ...parseGpioDrive(text) });
        break;
      case 'stats':
        request.stats = true;
        break;
      case 'vcd':
        if (text === '') throw new UsageError('--vcd needs a FILE name');
        request.vcdPath = text;
        break;
      case 'gpio-log':
        request.gpioLog = true;
        break;
      case 'snapshot-out':
      case 'snapshot-in':
        if (text === '') throw new UsageError(`--${name} needs a FILE name`);
        if (name === 'snapshot-out') request.snapshotOut = text;
        else request.snapshotIn = text;
        break;
      case 'gdb':
        request.gdbPort = parsePort(text, name);
        break;
      case 'help':
        request.help = true;
        break;
    }
  }
  if (request.help) return request;
  checkNetworkRequest(request.network);
  // The kernel behind a TAP runs in real time; GDB holds simulated time still.
  if (request.network.tapIfname !== null && request.gdbPort !== null)
    throw new UsageError('--tap and --gdb cannot be used together');
  request.images = positionals.map(parseImageArg);
  if (request.images.length === 0 && request.snapshotIn === null) {
    throw new UsageError('no image given (v8266 run [options] IMAGE[@OFFSET]...)');
  }
  return request;
}
