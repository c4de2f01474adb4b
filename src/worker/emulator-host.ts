/**
 * The worker's side of the emulator: owns guest memory, the shared channels and at most one
 * board, and runs the board in paced time slices.
 *
 * Free of Worker globals (the environment is injected), so it runs under Vitest with a fake wall
 * clock and a hand-driven scheduler. `emulator.worker.ts` wires it to the real thing.
 *
 * The run loop, one macrotask at a time:
 *   - run slices of `sliceSeconds` simulated time until the pacer's target is reached or the wall
 *     budget for this macrotask is spent, feeding queued UART input between slices;
 *   - publish UART output to the ring and figures to the status block;
 *   - yield (through a MessageChannel when there is more to do right away, a timer when the guest
 *     is ahead of real time), so comlink messages are handled between macrotasks whatever the
 *     guest does.
 */

import { AutoReset } from '../board/auto-reset.ts';
import type { EmulatedBoard } from '../board/board-api.ts';
import { readBoardSnapshot, type BoardSnapshot } from '../board/snapshot/board-snapshot.ts';
import { allocateGuestMemory } from '../board/memory-layout.ts';
import type { DebugToolSpec } from '../net/ip/debug-tool.ts';
import type { BridgeRequest, BridgeResponse } from '../net/http/http-bridge.ts';
import { readWorld, type SavedWorld } from '../net/world-snapshot.ts';
import {
  BoardNetwork,
  type NetworkPackets,
  type PageNetworkConfig,
  type PageNetworkStatus,
} from './board-network.ts';
import { FlashChangeTracker, type FlashChanges } from './flash-changes.ts';
import { assembleFlash, describeImage } from './flash-image.ts';
import { guestRamOffset } from './guest-address.ts';
import { Pacer, SpeedMeter } from './pacer.ts';
import {
  GPIO_COUNT,
  type BoardChoice,
  type ChipConfig,
  type EmulatorApi,
  type EmulatorState,
  type FlashImage,
  type LoadedFirmware,
  type Pacing,
  type RunState,
  type SharedChannels,
  type StartOptions,
} from './protocol.ts';
import { ByteRing } from './ring.ts';
import { SERIAL_EVENT_BYTES, SerialEventRing, type SerialEvent } from './serial-events.ts';
import { readPinModes } from './pin-modes.ts';
import { STATUS_BLOCK_BYTES, StatusBlock } from './status-block.ts';

export interface HostEnvironment {
  /** Wall-clock milliseconds (performance.now in the worker). */
  now(): number;
  /** Run `task` as a new macrotask, after queued messages. */
  yieldThen(task: () => void): void;
  /** Run `task` after about `ms` wall milliseconds. */
  after(ms: number, task: () => void): void;
  buildBoard(
    choice: BoardChoice,
    memory: SharedArrayBuffer | ArrayBuffer,
    flash: Uint8Array,
    mac?: readonly number[],
  ): EmulatedBoard | null;
  /** The board a snapshot saved (hosts without snapshots leave it out). Throws when it cannot. */
  restoreBoard?(
    choice: BoardChoice,
    memory: SharedArrayBuffer | ArrayBuffer,
    snapshot: BoardSnapshot,
  ): EmulatedBoard;
}

export interface HostTuning {
  /** Simulated time per slice: input is fed and alarms settle between slices. */
  sliceSeconds: number;
  /** Wall time one macrotask may spend running slices before it yields. */
  wallBudgetMs: number;
  uartRingCapacity: number;
  /** UART output kept in the worker when the UI is not draining the ring; beyond it, dropped. */
  maxUartBacklog: number;
  /** Serial events (line starts, baud changes) the ring holds; beyond it they wait in the worker. */
  eventRingRecords: number;
}

const DEFAULT_TUNING: HostTuning = {
  sliceSeconds: 0.002,
  wallBudgetMs: 8,
  uartRingCapacity: 1 << 16,
  maxUartBacklog: 1 << 20,
  eventRingRecords: 2048,
};

/** UARTs whose output the host publishes: UART0 (the USB serial) and UART1 (TX on GPIO2). */
const UART_COUNT = 2;
/** Serial events kept in the worker while the UI does not drain them; beyond it, dropped. */
const MAX_EVENT_BACKLOG = 1 << 16;
const LF = 0x0a;

/** How often a board that stopped advancing (halted) is asked again, so input can wake it. */
const STALLED_RETRY_MS = 20;

export class EmulatorHost implements EmulatorApi {
  private readonly tuning: HostTuning;
  private readonly guestMemory: SharedArrayBuffer;
  private readonly uartRings: ByteRing[];
  private readonly eventRing: SerialEventRing;
  private readonly status: StatusBlock;
  private readonly pacer = new Pacer();
  private readonly speed = new SpeedMeter();

  private boardChoice: BoardChoice = 'esp8266';
  private board: EmulatedBoard | null = null;
  private runState: RunState = 'no-board';
  private firmware: LoadedFirmware | null = null;
  private error: string | null = null;
  private readonly gpio: (0 | 1 | null)[] = new Array(GPIO_COUNT).fill(null);
  private uartInput: Uint8Array[] = [];
  private uartBacklogs: number[][] = [[], []];
  private eventBacklog: SerialEvent[] = [];
  private uartBytesReceived = 0;
  /** Bytes each UART has sent since the worker started (the serial events' byte index). */
  private readonly uartSent = [0, 0];
  private readonly uartLastByte = [LF, LF];
  private readonly hostDrive: (0 | 1 | null)[] = new Array(GPIO_COUNT).fill(null);
  private a0 = 0;
  /** Set by `configure`; undefined = the board's default MAC. */
  private mac: number[] | undefined;
  /** The flash as the UI last persisted it: `takeFlashChanges` reports the difference. */
  private readonly flashTracker = new FlashChangeTracker();
  /** Bumped whenever the loop must stop; a scheduled tick from an older generation does nothing. */
  private loopGeneration = 0;
  /** DTR/RTS → EN/GPIO0; created when a serial tool first sets the lines. */
  private autoReset: AutoReset | null = null;
  /** UART0's sender rate as the host's serial port declares it; 0 = unknown. */
  private uartLineBaud = 0;
  /** The virtual network around the board. */
  private readonly network = new BoardNetwork();

  constructor(
    private readonly env: HostEnvironment,
    tuning: Partial<HostTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    const memory = allocateGuestMemory();
    if (!(memory instanceof SharedArrayBuffer)) {
      throw new Error('SharedArrayBuffer is unavailable: the page is not cross-origin isolated');
    }
    this.guestMemory = memory;
    const ringCapacity = this.tuning.uartRingCapacity;
    this.uartRings = Array.from({ length: UART_COUNT }, () => ByteRing.allocate(ringCapacity));
    this.eventRing = new SerialEventRing(
      ByteRing.allocate(this.tuning.eventRingRecords * SERIAL_EVENT_BYTES),
    );
    this.status = new StatusBlock(new SharedArrayBuffer(STATUS_BLOCK_BYTES));
    this.publish();
  }

  start(options: StartOptions): SharedChannels {
    this.boardChoice = options.board;
    return {
      guestMemory: this.guestMemory,
      uart0Tx: this.uartRings[0].buffer as SharedArrayBuffer,
      uart0TxCapacity: this.uartRings[0].capacity,
      uart1Tx: this.uartRings[1].buffer as SharedArrayBuffer,
      uart1TxCapacity: this.uartRings[1].capacity,
      serialEvents: this.eventRing.ring.buffer as SharedArrayBuffer,
      serialEventsCapacity: this.eventRing.ring.capacity,
      status: this.status.buffer as SharedArrayBuffer,
    };
  }

  loadFlash(image: FlashImage): EmulatorState {
    const flash = assembleFlash(image); // throws a FlashImageError the UI shows as is
    return this.boot(flash, {
      name: describeImage(image),
      bytes: image.parts.reduce((sum, p) => sum + p.data.length, 0),
      parts: image.parts.length,
      flashSize: image.flashSize,
    });
  }

  eraseFlash(flashSize: number): EmulatorState {
    // Validate the size the same way a load does (a one-byte erased part at 0).
    assembleFlash({ flashSize, parts: [{ offset: 0, data: new Uint8Array([0xff]) }] });
    const flash = new Uint8Array(flashSize).fill(0xff);
    return this.boot(flash, { name: 'erased flash', bytes: 0, parts: 0, flashSize });
  }

  restoreFlash(flash: Uint8Array, name: string): EmulatorState {
    // Validate the size as a load does; the contents are taken as they are (a saved chip may
    // hold anything at 0x0, as a real one may).
    assembleFlash({
      flashSize: flash.length,
      parts: [{ offset: 0, data: new Uint8Array([0xff]) }],
    });
    const state = this.boot(flash, { name, bytes: 0, parts: 0, flashSize: flash.length });
    this.flashTracker.adopted(flash);
    return state;
  }

  takeFlashChanges(full = false): FlashChanges | null {
    return this.board ? this.flashTracker.take(this.board.flash, full) : null;
  }

  pokeFlash(offset: number, bytes: Uint8Array): void {
    const flash = this.board?.flash;
    if (!flash) throw new Error('no board');
    if (!Number.isInteger(offset) || offset < 0 || offset + bytes.length > flash.length) {
      throw new RangeError(`0x${offset.toString(16)}+${bytes.length} is outside the flash`);
    }
    flash.set(bytes, offset);
  }

  readFlash(): Uint8Array | null {
    return this.board ? this.board.flash.slice() : null;
  }

  configure(config: ChipConfig): EmulatorState {
    if (
      config.mac.length !== 6 ||
      config.mac.some((b) => !Number.isInteger(b) || b < 0 || b > 255)
    ) {
      throw new RangeError('a MAC address is 6 bytes');
    }
    const macChanged = this.mac === undefined || this.mac.join() !== config.mac.join();
    this.mac = [...config.mac];
    const board = this.board;
    const sizeChanged = board !== null && board.flash.length !== config.flashSize;
    if (!board || !this.firmware || (!macChanged && !sizeChanged)) return this.getState();
    // Validate the size as a load does, then carry the contents over.
    assembleFlash({
      flashSize: config.flashSize,
      parts: [{ offset: 0, data: new Uint8Array([0xff]) }],
    });
    const flash = new Uint8Array(config.flashSize).fill(0xff);
    flash.set(board.flash.subarray(0, Math.min(board.flash.length, config.flashSize)));
    return this.boot(flash, { ...this.firmware, flashSize: config.flashSize });
  }

  private boot(flash: Uint8Array, firmware: LoadedFirmware): EmulatorState {
    const board = this.replaceBoard(
      () => this.env.buildBoard(this.boardChoice, this.guestMemory, flash, this.mac),
      firmware,
    );
    if (!board) return this.getState();
    this.runState = 'off';
    return this.powerOn();
  }

  saveSnapshot(): Uint8Array | null {
    const board = this.board;
    if (!board?.saveSnapshot) return null;
    const f = this.firmware;
    // The network goes with it, configuration and running state: `v8266 run --snapshot-in`
    // resumes both; the page takes its network from the board document (which a share link
    // carries beside the snapshot) and resumes the saved one when it is that same network.
    const network = this.network.saveState();
    return board.saveSnapshot({
      firmware: f ? { name: f.name, bytes: f.bytes, parts: f.parts } : null,
      hostDrive: Int8Array.from(this.hostDrive, (level) => (level === null ? -1 : level)),
      ...(network ? { network } : {}),
    });
  }

  restoreSnapshot(file: Uint8Array): EmulatorState {
    const restore = this.env.restoreBoard;
    if (!restore) throw new Error('this page cannot restore snapshots');
    // Decoded before anything changes: a file that cannot be restored leaves the board alone.
    const snapshot = readBoardSnapshot(file);
    const saved = snapshot.host;
    const name =
      saved.has('firmware') && saved.child('firmware').has('name')
        ? saved.child('firmware').string('name')
        : 'snapshot';
    const drives = saved.has('hostDrive')
      ? saved.array('hostDrive', new Int8Array(GPIO_COUNT))
      : null;
    const network = saved.has('network') ? readWorld(saved.child('network')) : null;
    // The factory restores into a board of its own first: a failure throws before the shared RAM
    // is touched, and the running board goes on as it was.
    const restored = restore(this.boardChoice, this.guestMemory, snapshot);
    const board = this.replaceBoard(
      () => restored,
      { name, bytes: 0, parts: 0, flashSize: snapshot.flashSize },
      network,
    );
    if (!board) return this.getState();
    for (let pin = 0; pin < GPIO_COUNT; pin++) {
      this.gpio[pin] = board.gpioLevel?.(pin) ?? null;
      if (drives) this.hostDrive[pin] = drives[pin] < 0 ? null : (drives[pin] as 0 | 1);
    }
    this.runState = 'off';
    if (snapshot.board.boolean('powered')) this.startRunning();
    else this.publish();
    return this.getState();
  }

  /**
   * Drop the current board for the one `build` makes (listeners attached, state cleared); null
   * when there is none. When `build` throws, the old board is gone too ('no-board').
   */
  private replaceBoard(
    build: () => EmulatedBoard | null,
    firmware: LoadedFirmware,
    network: SavedWorld | null = null,
  ): EmulatedBoard | null {
    this.stopLoop();
    if (this.board) this.board.powerOff();
    this.board = null;
    this.network.attach(null);
    this.runState = 'no-board'; // until the new board exists (building it may throw)
    this.uartInput = [];
    this.error = null;
    this.gpio.fill(null);
    this.hostDrive.fill(null);
    this.firmware = firmware;
    this.flashTracker.replaced();
    let board: EmulatedBoard | null;
    try {
      board = build();
    } finally {
      this.publish();
    }
    if (!board) {
      this.runState = 'no-board';
      this.publish();
      return null;
    }
    this.board = board;
    this.network.attach(board, network);
    this.applyA0(board);
    if (this.uartLineBaud) board.uartLineBaud?.(0, this.uartLineBaud);
    board.listen({
      uartTx: (uart, byte) => {
        if (uart === 0 || uart === 1) this.queueUartOutput(board, uart, byte);
      },
      uartBaud: (uart, baud) => {
        if (uart === 0 || uart === 1) {
          this.queueEvent({
            kind: 'baud',
            uart,
            byteIndex: this.uartSent[uart],
            seconds: board.seconds,
            baud,
          });
        }
      },
      gpio: (pin, level) => {
        if (pin >= 0 && pin < GPIO_COUNT) this.gpio[pin] = level;
      },
    });
    return board;
  }

  powerOn(): EmulatorState {
    if (this.board && (this.runState === 'off' || this.runState === 'crashed')) {
      this.error = null;
      if (this.guard(() => this.board!.powerOn())) this.startRunning();
    }
    return this.getState();
  }

  powerOff(): EmulatorState {
    if (this.board && this.runState !== 'off') {
      this.stopLoop();
      this.uartInput = [];
      this.guard(() => this.board!.powerOff());
      if (this.runState !== 'crashed') this.runState = 'off';
      this.speed.stop();
      this.publish();
    }
    return this.getState();
  }

  reset(): EmulatorState {
    if (!this.board) return this.getState();
    if (this.runState === 'off') return this.powerOn();
    if (this.runState === 'crashed') {
      this.guard(() => this.board!.powerOff());
      this.runState = 'off';
      return this.powerOn();
    }
    const wasPaused = this.runState === 'paused';
    if (this.guard(() => this.board!.reset())) {
      if (wasPaused) this.publish();
      else this.startRunning();
    }
    return this.getState();
  }

  pause(): EmulatorState {
    if (this.runState === 'running') {
      this.stopLoop();
      this.runState = 'paused';
      this.speed.stop();
      this.publish();
    }
    return this.getState();
  }

  resume(): EmulatorState {
    if (this.runState === 'paused') this.startRunning();
    return this.getState();
  }

  setPacing(pacing: Pacing): EmulatorState {
    this.pacer.mode = pacing;
    if (this.board) this.pacer.anchor(this.board.seconds, this.env.now());
    this.publish();
    return this.getState();
  }

  uartWrite(uart: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.uartBytesReceived += bytes.length;
    // Input waits for the next slice boundary, so it reaches the guest at a simulated time the
    // run loop chose, not in the middle of an instruction stream.
    // Bytes sent to an unpowered or missing board are lost, as on a real wire.
    const listening = this.runState === 'running' || this.runState === 'paused';
    if (uart === 0 && listening) this.uartInput.push(bytes.slice());
    if (this.runState !== 'running') this.publish();
  }

  driveGpio(pin: number, level: 0 | 1 | null): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= GPIO_COUNT) {
      throw new RangeError(`no GPIO${pin}`);
    }
    this.hostDrive[pin] = level;
    if (this.board) this.guard(() => this.board!.driveGpio(pin, level));
    this.publish();
  }

  setSerialLines(dtr: boolean, rts: boolean): void {
    this.autoReset ??= new AutoReset(
      {
        driveGpio: (pin, level) => this.driveGpio(pin, level),
        reset: () => void this.reset(),
      },
      (ms, task) => {
        let live = true;
        this.env.after(ms, () => live && task());
        return () => {
          live = false;
        };
      },
    );
    this.autoReset.setLines(dtr, rts);
  }

  setUartLineBaud(baud: number): void {
    this.uartLineBaud = Number.isFinite(baud) && baud > 0 ? baud : 0;
    this.board?.uartLineBaud?.(0, this.uartLineBaud);
  }

  setA0(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`bad A0 value ${value}`);
    this.a0 = Math.min(1023, Math.max(0, Math.round(value)));
    if (this.board) this.applyA0(this.board);
    this.publish();
  }

  private applyA0(board: EmulatedBoard): void {
    const analog = board as EmulatedBoard & { setA0?(value: number): void };
    analog.setA0?.(this.a0);
  }

  getState(): EmulatorState {
    const stats = this.board?.stats;
    return {
      runState: this.runState,
      pacing: this.pacer.mode,
      firmware: this.firmware,
      simSeconds: stats?.seconds ?? 0,
      speedPercent: this.speed.percent,
      mips: this.speed.mips,
      cpuMhz: stats?.cpuMhz ?? 0,
      instructions: stats?.instructions ?? 0,
      gpio: [...this.gpio],
      ...this.pinState(),
      gpioHostDrive: [...this.hostDrive],
      a0: this.a0,
      uartBytesReceived: this.uartBytesReceived,
      uartBytesSent: this.uartSent[0],
      uart1BytesSent: this.uartSent[1],
      error: this.error,
    };
  }

  setNetwork(config: PageNetworkConfig | null): void {
    this.network.configure(config);
  }

  /** How the network came back with the last board: 'resumed', 'fresh', or why not resumed. */
  networkResumeOutcome(): string | null {
    return this.network.resumeOutcome;
  }

  networkStatus(): PageNetworkStatus | null {
    return this.network.status();
  }

  takePackets(): NetworkPackets {
    return this.network.takePackets();
  }

  stationPing(index: number): void {
    this.network.stationPing(index);
  }

  serveFile(path: string, bytes: Uint8Array | null): void {
    this.network.serveFile(path, bytes);
  }

  servedFiles(): { path: string; size: number }[] {
    return this.network.servedFiles();
  }

  stationGet(index: number, path: string): void {
    this.network.stationGet(index, path);
  }

  toolOpen(lan: number, spec: DebugToolSpec): number | null {
    return this.network.toolOpen(lan, spec);
  }

  toolSend(lan: number, session: number, text: string): boolean {
    return this.network.toolSend(lan, session, text);
  }

  toolClose(lan: number, session: number): void {
    this.network.toolClose(lan, session);
  }

  networkCapture(): Uint8Array | null {
    return this.network.capture();
  }

  httpRequest(request: BridgeRequest): Promise<BridgeResponse> {
    return this.network.httpRequest(request);
  }

  writeGuestMemory(address: number, bytes: Uint8Array): void {
    const offset = guestRamOffset(address, bytes.length);
    if (offset === null) {
      throw new RangeError(`0x${(address >>> 0).toString(16)}+${bytes.length} is not guest RAM`);
    }
    new Uint8Array(this.guestMemory, offset, bytes.length).set(bytes);
  }

  // ---- the run loop ----

  private startRunning(): void {
    const board = this.board!;
    this.runState = 'running';
    const now = this.env.now();
    this.pacer.anchor(board.seconds, now);
    this.speed.restart(board.seconds, now, board.stats.instructions);
    this.publish();
    this.stopLoop();
    const generation = this.loopGeneration;
    this.env.yieldThen(() => this.tick(generation));
  }

  private stopLoop(): void {
    this.loopGeneration++;
  }

  private tick(generation: number): void {
    if (generation !== this.loopGeneration || this.runState !== 'running') return;
    const board = this.board!;
    if (this.autoReset?.inReset) {
      // EN is low: the chip does nothing until it rises (then reset() restarts the loop).
      this.env.after(STALLED_RETRY_MS, () => this.tick(generation));
      return;
    }
    const started = this.env.now();
    let wallNow = started;
    let aheadOfRealTime = false;
    let stalled = false;
    const ok = this.guard(() => {
      for (;;) {
        const target = this.pacer.targetAt(board.seconds, wallNow);
        if (board.seconds >= target) {
          aheadOfRealTime = true;
          break;
        }
        this.feedUartInput(board);
        const before = board.seconds;
        board.runUntil(Math.min(target, board.seconds + this.tuning.sliceSeconds));
        wallNow = this.env.now();
        // A board may stop short of the target (halted for good): don't spin on it.
        if (board.seconds <= before) {
          stalled = true;
          break;
        }
        if (wallNow - started >= this.tuning.wallBudgetMs) break;
        if (this.runState !== 'running') break;
      }
    });
    this.speed.sample(board.seconds, wallNow, board.stats.instructions);
    this.publish();
    if (!ok || this.runState !== 'running') return;
    const next = () => this.tick(generation);
    if (stalled) {
      this.env.after(STALLED_RETRY_MS, next);
    } else if (aheadOfRealTime) {
      const waitMs = this.pacer.wallMsUntil(board.seconds + this.tuning.sliceSeconds, wallNow);
      this.env.after(Math.max(1, waitMs), next);
    } else {
      this.env.yieldThen(next);
    }
  }

  private feedUartInput(board: EmulatedBoard): void {
    if (this.uartInput.length === 0) return;
    const chunks = this.uartInput;
    this.uartInput = [];
    for (const chunk of chunks) board.uartReceive(0, chunk);
  }

  private queueUartOutput(board: EmulatedBoard, uart: number, byte: number): void {
    if (this.uartLastByte[uart] === LF) {
      const byteIndex = this.uartSent[uart];
      this.queueEvent({ kind: 'line', uart, byteIndex, seconds: board.seconds });
    }
    this.uartLastByte[uart] = byte;
    this.uartSent[uart]++;
    const backlog = this.uartBacklogs[uart];
    if (backlog.length >= this.tuning.maxUartBacklog) {
      this.uartRings[uart].addDropped(1);
      return;
    }
    backlog.push(byte);
  }

  private queueEvent(event: SerialEvent): void {
    if (this.eventBacklog.length < MAX_EVENT_BACKLOG) this.eventBacklog.push(event);
  }

  /** Move UART output and serial events into their rings; what does not fit waits. */
  private flushUartOutput(): void {
    for (let uart = 0; uart < UART_COUNT; uart++) {
      const backlog = this.uartBacklogs[uart];
      if (backlog.length === 0) continue;
      const taken = this.uartRings[uart].write(Uint8Array.from(backlog));
      this.uartBacklogs[uart] = taken === backlog.length ? [] : backlog.slice(taken);
    }
    let sent = 0;
    while (sent < this.eventBacklog.length && this.eventRing.ring.free >= SERIAL_EVENT_BYTES) {
      this.eventRing.write(this.eventBacklog[sent++]);
    }
    if (sent > 0) this.eventBacklog = this.eventBacklog.slice(sent);
  }

  /** Which pads the firmware drives, and where the host drives against it. */
  private pinState(): { gpioOutput: (0 | 1 | null)[]; gpioConflict: boolean[] } {
    const modes = this.board ? readPinModes(this.board) : null;
    return {
      gpioOutput: modes?.output ?? new Array<null>(GPIO_COUNT).fill(null),
      gpioConflict: modes?.conflict ?? new Array<boolean>(GPIO_COUNT).fill(false),
    };
  }

  private publish(): void {
    this.flushUartOutput();
    const state = this.getState();
    this.status.publish(state);
  }

  /** Run board code; when it throws, the board is 'crashed' and the message is kept. */
  private guard(action: () => void): boolean {
    try {
      action();
      return true;
    } catch (err) {
      this.stopLoop();
      this.runState = 'crashed';
      this.error = err instanceof Error ? err.message : String(err);
      this.speed.stop();
      this.publish();
      return false;
    }
  }
}
