/** `v8266 run`: read the images, lay out the flash, run the board against the script. */

import { formatFlashSize } from '../board/image/flash-layout.ts';
import type { BoardListeners } from '../board/board-api.ts';
import { checkBootImage, flashFromImages } from './flash-args.ts';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from './errors.ts';
import { formatGpioLogLine, VcdRecorder } from './gpio-trace.ts';
import type { CliHost, OutputFile } from './host.ts';
import { runHelp } from './help.ts';
import { parseRunArgs, type RunRequest } from './run-args.ts';
import { formatStatsLine, runFirmware } from './run.ts';
import { startBoardNetwork } from './net/board-network.ts';
import { wantsNetwork } from './net/network-args.ts';

function openTrace(request: RunRequest, host: CliHost): OutputFile | null {
  const path = request.vcdPath;
  if (path === null) return null;
  if (!host.openOutputFile) throw new UsageError('--vcd is not available in this host');
  try {
    return host.openOutputFile(path);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

export function runCommand(argv: readonly string[], host: CliHost): number {
  const request = parseRunArgs(argv);
  if (request.help) {
    host.writeStdout(runHelp());
    return EXIT_OK;
  }
  const flash = flashFromImages(request.images, request.flashSize, request.headerSizeCode, host);
  const boot = checkBootImage(flash, host);

  const board = host.createBoard(flash);
  if (!board) {
    const files = request.images.length === 1 ? '1 file' : `${request.images.length} files`;
    host.writeStderr(
      `v8266: flash image ready (${formatFlashSize(request.flashSize)}, ${files}` +
        `${boot.ok ? `; ${boot.text}` : ''}), but running firmware is not implemented yet: ` +
        `no ESP8266 board is wired into the CLI (src/cli/board-factory.ts)\n`,
    );
    return EXIT_NOT_MET;
  }

  const network = wantsNetwork(request.network)
    ? startBoardNetwork(board, request.network, host)
    : null;
  const traceFile = openTrace(request, host);
  const vcd = traceFile ? new VcdRecorder((text) => traceFile.write(text), host.version) : null;
  let gpioLog = '';
  const listeners: BoardListeners = {};
  if (vcd || request.gpioLog) {
    listeners.gpio = (pin, level) => {
      const seconds = board.seconds;
      vcd?.change(pin, level, seconds);
      if (request.gpioLog) gpioLog += formatGpioLogLine(pin, level, seconds);
    };
  }
  const flushGpioLog = () => {
    if (gpioLog === '') return;
    host.writeStderr(gpioLog);
    gpioLog = '';
  };

  let result;
  try {
    result = runFirmware(
      board,
      { script: request.script, timeoutSeconds: request.timeoutSeconds },
      {
        output: (bytes) => host.writeStdout(bytes),
        wallSeconds: () => host.wallSeconds(),
        listeners,
        afterSlice: flushGpioLog,
      },
    );
  } finally {
    flushGpioLog();
    network?.finish();
    if (vcd && traceFile) {
      vcd.finish(board.seconds);
      traceFile.close();
    }
  }
  if (result.error) host.writeStderr(`v8266: ${result.error}\n`);
  if (request.stats) host.writeStderr(`${formatStatsLine(result.stats)}\n`);
  return result.exitCode;
}
