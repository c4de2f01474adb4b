/** `v8266 run`: read the images, lay out the flash, run the board against the script. */

import { formatFlashSize } from '../board/image/flash-layout.ts';
import type { BoardListeners, EmulatedBoard } from '../board/board-api.ts';
import { readBoardSnapshot, type BoardSnapshot } from '../board/snapshot/board-snapshot.ts';
import { SnapshotError, type SavedState } from '../board/snapshot/state.ts';
import { checkBootImage, flashFromImages } from './flash-args.ts';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from './errors.ts';
import { formatGpioLogLine, GPIO_PADS, VcdRecorder } from './gpio-trace.ts';
import type { CliHost, OutputFile } from './host.ts';
import { runHelp } from './help.ts';
import { parseRunArgs, type RunRequest } from './run-args.ts';
import { LOOPBACK, startGdbServer, type GdbServer } from './gdb-server.ts';
import {
  formatStatsLine,
  runFirmware,
  runFirmwareAsync,
  type RunIo,
  type RunPlan,
  type RunResult,
} from './run.ts';
import { startBoardNetwork, type BoardNetwork } from './net/board-network.ts';
import { TapBridge } from './net/tap-bridge.ts';
import { wantsNetwork } from './net/network-args.ts';
import { readWorld, saveWorld, type SavedWorld } from '../net/world-snapshot.ts';

/** Slices (10 ms of simulated time each) the tool's lines wait at most for a UART line to end. */
const TOOL_HOLD_SLICES = 10;

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

/** A freshly flashed board, or null (after saying why) when the host has none. */
function startBoard(request: RunRequest, host: CliHost): EmulatedBoard | null {
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
  }
  return board;
}

function readSnapshot(path: string, host: CliHost): BoardSnapshot {
  let file: Uint8Array;
  try {
    file = host.readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return readBoardSnapshot(file);
  } catch (error) {
    if (error instanceof SnapshotError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

interface Resumed {
  board: EmulatedBoard;
  /** The virtual network the snapshot was saved in, or null (none, or a file from before it). */
  network: SavedWorld | null;
}

/** `--snapshot-in`: the saved board, its flash replaced by the images when there are any. */
function resumeBoard(request: RunRequest, path: string, host: CliHost): Resumed {
  if (!host.restoreBoard) throw new UsageError('--snapshot-in is not available in this host');
  const snapshot = readSnapshot(path, host);
  if (request.flashSizeGiven && request.flashSize !== snapshot.flashSize) {
    throw new UsageError(
      `--flash-size ${formatFlashSize(request.flashSize)}: the board in ${path} has ` +
        `${formatFlashSize(snapshot.flashSize)} of flash, and a resumed board keeps its chip`,
    );
  }
  let flash: Uint8Array | null = null;
  if (request.images.length > 0) {
    flash = flashFromImages(request.images, snapshot.flashSize, request.headerSizeCode, host);
    checkBootImage(flash, host);
  }
  try {
    const network = snapshot.host.has('network') ? readWorld(snapshot.host.child('network')) : null;
    return { board: host.restoreBoard(snapshot, flash), network };
  } catch (error) {
    if (error instanceof SnapshotError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

export function runCommand(argv: readonly string[], host: CliHost): number | Promise<number> {
  const request = parseRunArgs(argv);
  if (request.help) {
    host.writeStdout(runHelp());
    return EXIT_OK;
  }
  if (request.snapshotOut !== null && !host.writeFile)
    throw new UsageError('--snapshot-out is not available in this host');
  const resumed =
    request.snapshotIn !== null ? resumeBoard(request, request.snapshotIn, host) : null;
  const created = resumed ? resumed.board : startBoard(request, host);
  if (!created) return EXIT_NOT_MET;
  const board = created;
  const savedNetwork = resumed?.network ?? null;
  if (request.snapshotOut !== null && !board.saveSnapshot)
    throw new UsageError('--snapshot-out: this board cannot save its state');

  const network =
    wantsNetwork(request.network) || savedNetwork
      ? startBoardNetwork(board, request.network, host, savedNetwork)
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
  // The tool's lines wait for the UART's current line to end (stdout and stderr often share a
  // terminal), but no longer than TOOL_HOLD_SLICES: a prompt without a newline does not hold them.
  let uartMidLine = false;
  let toolHeld = 0;
  const flushStderr = () => {
    if (gpioLog !== '') host.writeStderr(gpioLog);
    gpioLog = '';
    const tool = network?.tool;
    if (!tool?.hasPending) return;
    if (uartMidLine && ++toolHeld < TOOL_HOLD_SLICES) return;
    tool.flush();
    toolHeld = 0;
  };
  // A resumed board reports no power-on levels: the traces start with its pads as they are now.
  if (resumed && listeners.gpio && board.gpioLevel) {
    for (let pin = 0; pin < GPIO_PADS; pin++) listeners.gpio(pin, board.gpioLevel(pin));
  }

  const plan = {
    script: request.script,
    timeoutSeconds: request.timeoutSeconds,
    resumed: resumed !== null,
  };
  const io: RunIo = {
    output: (bytes) => {
      host.writeStdout(bytes);
      uartMidLine = bytes[bytes.length - 1] !== 0x0a;
    },
    wallSeconds: () => host.wallSeconds(),
    listeners,
    afterSlice: flushStderr,
    tool: (step) => network?.tool?.perform(step) ?? false,
  };
  const cleanUp = () => {
    flushStderr();
    network?.finish();
    if (vcd && traceFile) {
      vcd.finish(board.seconds);
      traceFile.close();
    }
  };
  const report = (result: RunResult): number => {
    if (request.snapshotOut !== null) {
      const path = request.snapshotOut;
      try {
        const saved: SavedState = network ? { network: saveWorld(network.world) } : {};
        host.writeFile!(path, board.saveSnapshot!(saved));
      } catch (error) {
        throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
      }
    }
    if (result.error) host.writeStderr(`v8266: ${result.error}\n`);
    if (request.stats) host.writeStderr(`${formatStatsLine(result.stats)}\n`);
    return result.exitCode;
  };

  if (request.network.tapIfname !== null) {
    return runOnTap(board, network!, request.network.tapIfname, plan, io, host, cleanUp).then(
      report,
    );
  }
  if (request.gdbPort !== null)
    return runUnderGdb(board, request.gdbPort, plan, io, host, cleanUp).then(report);
  let result;
  try {
    result = runFirmware(board, plan, io);
  } finally {
    cleanUp();
  }
  return report(result);
}

/**
 * `--gdb PORT`: wait for GDB, which finds the core stopped at the reset vector, then run as
 * `run` does while GDB controls it; simulated time stands still while GDB holds the board, so
 * `--timeout` and the expectations mean what they mean without it. A GDB still attached at the
 * end is told the exit code.
 */
async function runUnderGdb(
  board: EmulatedBoard,
  port: number,
  plan: RunPlan,
  io: RunIo,
  host: CliHost,
  cleanUp: () => void,
): Promise<RunResult> {
  const target = board.createDebugger?.();
  let gdb: GdbServer | null = null;
  let result: RunResult | undefined;
  try {
    if (!target) throw new UsageError('--gdb: this board has no debuggable CPU');
    gdb = await startGdbServer(target, port);
    host.writeStderr(
      `v8266: waiting for GDB on ${LOOPBACK}:${gdb.port} (target remote :${gdb.port})\n`,
    );
    const attached = gdb.attached;
    result = await runFirmwareAsync(
      board,
      plan,
      { ...io, held: () => target.stopped },
      async () => {
        await attached; // the first turn comes right after power-on
        await new Promise((resolve) => setImmediate(resolve)); // GDB's packets are handled here
        while (target.stopped) await new Promise((resolve) => setTimeout(resolve, 2));
      },
    );
  } finally {
    cleanUp();
    gdb?.close(result?.exitCode ?? 1);
  }
  return result;
}

/**
 * `--tap IFNAME`: a Linux TAP interface on the first AP's LAN as a wired host, with the kernel on
 * the other side. The kernel's timers (ARP, TCP retransmission, DHCP) run in real time, so the run
 * is paced to the wall clock: simulated time never runs ahead of it, and the event loop gets a
 * turn after every slice, which is when the kernel's frames come in.
 */
async function runOnTap(
  board: EmulatedBoard,
  network: BoardNetwork,
  ifname: string,
  plan: RunPlan,
  io: RunIo,
  host: CliHost,
  cleanUp: () => void,
): Promise<RunResult> {
  let tap: TapBridge;
  try {
    tap = await TapBridge.open(ifname);
  } catch (error) {
    cleanUp();
    throw new UsageError((error as Error).message);
  }
  const ap = network.world.aps[0];
  network.world.notReplayable(`its LAN is joined to the TAP interface ${ifname}`);
  tap.attachTo(ap.lan.segment);
  host.writeStderr(
    `v8266: TAP ${tap.ifname} is a wired host on ${ap.config.ssid}'s LAN; the run is paced to the wall clock\n`,
  );
  const simStart = board.seconds;
  const wallStart = host.wallSeconds();
  try {
    return await runFirmwareAsync(board, plan, io, async () => {
      const aheadMs = (board.seconds - simStart - (host.wallSeconds() - wallStart)) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, aheadMs)));
    });
  } finally {
    tap.close();
    cleanUp();
  }
}
