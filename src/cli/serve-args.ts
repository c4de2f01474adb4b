/** `v8266 serve` arguments → what to serve. Reads no files. */

import {
  DEFAULT_FLASH_SIZE,
  FlashLayoutError,
  parseFlashSize,
  parseHeaderFlashSize,
} from '../board/image/flash-layout.ts';
import { UsageError } from './errors.ts';
import { parseOptions, type OptionSpec } from './options.ts';
import { parseImageArg, parsePort, RUN_OPTIONS, type ImageArg } from './run-args.ts';
import {
  applyNetworkOption,
  checkNetworkRequest,
  emptyNetworkRequest,
  NETWORK_OPTIONS,
  TAP_OPTION,
  type NetworkRequest,
} from './net/network-args.ts';
import { TOOL_STDIN_OPTION } from './net/tool-args.ts';

/** esptool's and pyserial's usual RFC 2217 port. */
export const DEFAULT_RFC2217_PORT = 2217;

const shared = (name: string) => RUN_OPTIONS.find((o) => o.name === name)!;

export const SERVE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'port',
    value: 'N',
    help: `RFC 2217 port on 127.0.0.1 (default ${DEFAULT_RFC2217_PORT}; 0 picks a free one)`,
  },
  { name: 'raw-port', value: 'M', help: 'also serve UART0 as plain TCP on 127.0.0.1:M (nc, socat)' },
  { name: 'gdb', value: 'G', help: 'a GDB remote stub on 127.0.0.1:G (xtensa-lx106-elf-gdb: target remote :G)' },
  shared('flash-size'),
  shared('header-size'),
  ...NETWORK_OPTIONS,
  TAP_OPTION,
  TOOL_STDIN_OPTION,
  shared('help'),
];

export interface ServeRequest {
  images: ImageArg[];
  flashSize: number;
  headerSizeCode: number | null;
  port: number;
  rawPort: number | null;
  /** `--ap`, `--echo`, `--http`, `--mqtt`, `--pcap`, `--tap`: the virtual network around the board. */
  network: NetworkRequest;
  gdbPort: number | null;
  /** `--tool-stdin`: stdin goes to the latest `--tool`. */
  toolStdin: boolean;
  help: boolean;
}

function sizeOption<T>(parse: (text: string) => T, text: string): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof FlashLayoutError) throw new UsageError(e.message);
    throw e;
  }
}

export function parseServeArgs(argv: readonly string[]): ServeRequest {
  const { options, positionals } = parseOptions(argv, SERVE_OPTIONS);
  const request: ServeRequest = {
    images: [],
    flashSize: DEFAULT_FLASH_SIZE,
    headerSizeCode: null,
    port: DEFAULT_RFC2217_PORT,
    rawPort: null,
    network: emptyNetworkRequest(),
    gdbPort: null,
    toolStdin: false,
    help: false,
  };
  for (const { name, value } of options) {
    const text = value === true ? '' : value;
    if (applyNetworkOption(request.network, name, text)) continue;
    if (name === 'port') request.port = parsePort(text, name);
    else if (name === 'raw-port') request.rawPort = parsePort(text, name);
    else if (name === 'gdb') request.gdbPort = parsePort(text, name);
    else if (name === 'flash-size') request.flashSize = sizeOption(parseFlashSize, text);
    else if (name === 'header-size') request.headerSizeCode = sizeOption(parseHeaderFlashSize, text);
    else if (name === 'tool-stdin') request.toolStdin = true;
    else if (name === 'help') request.help = true;
  }
  if (request.help) return request;
  checkNetworkRequest(request.network);
  if (request.toolStdin && !request.network.tool.some((s) => s.kind === 'open'))
    throw new UsageError('--tool-stdin needs a --tool (where to send)');
  request.images = positionals.map(parseImageArg);
  if (request.images.length === 0) {
    throw new UsageError('no image given (v8266 serve [options] IMAGE[@OFFSET]...)');
  }
  return request;
}
