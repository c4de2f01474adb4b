/**
 * `v8266 serve`: a board running in real time whose UART0 is a serial port other programs open —
 * RFC 2217 (pyserial `rfc2217://`, esptool, PlatformIO, miniterm) and optionally plain TCP — with
 * DTR/RTS wired to EN and GPIO0 through NodeMCU's auto-reset circuit (src/board/auto-reset.ts).
 *
 * Node-only (sockets, timers). Listens on 127.0.0.1 only: the port drives a reset line and takes
 * firmware, so it is not offered to the network.
 */

import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { EmulatedBoard } from '../board/board-api.ts';
import { AutoReset } from '../board/auto-reset.ts';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from './errors.ts';
import { checkBootImage, flashFromImages } from './flash-args.ts';
import { LOOPBACK, startGdbServer } from './gdb-server.ts';
import { serveHelp } from './help.ts';
import type { CliHost } from './host.ts';
import { Rfc2217Server } from './rfc2217.ts';
import { parseServeArgs } from './serve-args.ts';
import { startBoardNetwork } from './net/board-network.ts';
import { wantsNetwork } from './net/network-args.ts';
import { TapBridge } from './net/tap-bridge.ts';

/** Wall milliseconds between slices; each slice runs the simulated time that passed. */
const SLICE_MS = 10;
/** A host that fell behind (a paused process, a loaded machine) does not try to catch up. */
const MAX_CATCH_UP_SECONDS = 0.1;
/** Simulated time between hand-overs of the guest's output. */
const STEP_SECONDS = 0.001;

/** One connected client, whatever its protocol: where the board's output goes. */
interface Client {
  write(bytes: Uint8Array): void;
}

/**
 * Runs the board at wall-clock speed while it is out of reset. Each tick runs the simulated time
 * that passed, in steps of `STEP_SECONDS`, handing output on after every step: a tool waiting
 * for an answer (esptool gives some only 100-200 ms) gets it as soon as the guest sent it, not
 * at the end of a long tick on a slow host.
 */
class RealTimeRunner {
  private timer: ReturnType<typeof setInterval> | null = null;
  private last = performance.now();

  constructor(
    private readonly board: EmulatedBoard,
    private readonly inReset: () => boolean,
    private readonly afterStep: () => void,
  ) {}

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), SLICE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const started = performance.now();
    const elapsed = Math.min((started - this.last) / 1000, MAX_CATCH_UP_SECONDS);
    this.last = started;
    if (this.inReset()) return;
    const target = this.board.seconds + elapsed;
    // A host slower than the guest gives the event loop back (socket input, control lines)
    // rather than finishing the tick; the time not run is dropped, as a paused board would.
    while (this.board.seconds < target && performance.now() - started < SLICE_MS) {
      this.board.runUntil(Math.min(target, this.board.seconds + STEP_SECONDS));
      this.afterStep();
    }
  }
}

function listen(server: Server, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${LOOPBACK}:${port} (${what}): ${error.code ?? error.message}`)),
    );
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export async function serveCommand(argv: readonly string[], host: CliHost): Promise<number> {
  const request = parseServeArgs(argv);
  if (request.help) {
    host.writeStdout(serveHelp());
    return EXIT_OK;
  }
  const flash = flashFromImages(request.images, request.flashSize, request.headerSizeCode, host);
  const boot = checkBootImage(flash, host);
  const board = host.createBoard(flash);
  if (!board) {
    host.writeStderr('v8266: no ESP8266 board is wired into the CLI\n');
    return EXIT_NOT_MET;
  }

  const clients = new Set<Client>();
  const sockets = new Set<Socket>();
  let pending: number[] = [];
  board.listen({
    uartTx(uart, byte) {
      if (uart === 0) pending.push(byte);
    },
    reset(cause) {
      host.writeStderr(`v8266: the chip reset itself (cause ${cause})\n`);
    },
  });
  const autoReset = new AutoReset(
    board,
    (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    (gpio0) =>
      host.writeStderr(
        `v8266: reset by DTR/RTS, GPIO0 ${gpio0 ? 'high: runs the flash' : 'low: download mode'}\n`,
      ),
  );
  const cpuDebugger = request.gdbPort === null ? null : (board.createDebugger?.() ?? null);
  if (request.gdbPort !== null && !cpuDebugger) throw new UsageError('--gdb: this board has no debuggable CPU');
  const runner = new RealTimeRunner(
    board,
    () => autoReset.inReset || (cpuDebugger?.stopped ?? false),
    () => {
      if (toolSteps.length > 0) network?.tool?.performDue(toolSteps);
      network?.tool?.flush();
      if (pending.length === 0) return;
      const bytes = Uint8Array.from(pending);
      pending = [];
      for (const client of clients) client.write(bytes);
    },
  );

  const track = (socket: Socket, client: Client, onData: (bytes: Uint8Array) => void) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    clients.add(client);
    socket.on('data', (chunk: Buffer) => onData(new Uint8Array(chunk)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clients.delete(client);
      sockets.delete(socket);
    });
  };

  const rfc2217 = createServer((socket) => {
    const session = new Rfc2217Server((bytes) => socket.write(bytes), {
      data: (bytes) => board.uartReceive(0, bytes),
      controlLines: (dtr, rts) => autoReset.setLines(dtr, rts),
      baud: (baud) => board.uartLineBaud?.(0, baud),
    });
    board.uartLineBaud?.(0, session.settings.baud); // until the client sets its own
    track(socket, { write: (bytes) => session.sendData(bytes) }, (bytes) => session.receive(bytes));
  });
  const raw = request.rawPort === null ? null : createServer((socket) =>
    track(socket, { write: (bytes) => socket.write(bytes) }, (bytes) => board.uartReceive(0, bytes)),
  );

  const network = wantsNetwork(request.network)
    ? startBoardNetwork(board, request.network, host)
    : null;
  // `--tool`: without expectations, each step is done as soon as it can be.
  const toolSteps = [...request.network.tool];
  const onStdin = (chunk: Buffer) => network?.tool?.sendToLatest(new Uint8Array(chunk));
  if (request.toolStdin) process.stdin.on('data', onStdin);
  let tap: TapBridge | null = null;
  if (network && request.network.tapIfname !== null) {
    try {
      tap = await TapBridge.open(request.network.tapIfname);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    tap.attachTo(network.world.aps[0].lan.segment);
    host.writeStderr(`v8266: TAP ${tap.ifname} is a wired host on ${network.world.aps[0].config.ssid}'s LAN\n`);
  }
  const port = await listen(rfc2217, request.port, 'RFC 2217');
  const rawPort = raw ? await listen(raw, request.rawPort!, 'raw TCP') : null;
  const gdb = cpuDebugger ? await startGdbServer(cpuDebugger, request.gdbPort!) : null;
  const gdbPort = gdb?.port ?? null;
  board.powerOn();
  runner.start();
  host.writeStderr(
    `v8266: serving UART0 on rfc2217://${LOOPBACK}:${port}` +
      (rawPort === null ? '' : ` and tcp://${LOOPBACK}:${rawPort}`) +
      (gdbPort === null ? '' : `, GDB on ${LOOPBACK}:${gdbPort}`) +
      (boot.ok ? ` (${boot.text})` : '') +
      '; Ctrl-C stops\n',
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  runner.stop();
  if (request.toolStdin) {
    process.stdin.off('data', onStdin);
    process.stdin.pause();
  }
  tap?.close();
  network?.finish();
  rfc2217.close();
  raw?.close();
  gdb?.close();
  for (const socket of sockets) socket.destroy();
  return EXIT_OK;
}
