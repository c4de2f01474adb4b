/**
 * The typed contract between the UI thread and the emulator worker.
 *
 * Commands and queries go through comlink (`EmulatorApi`); anything that streams (UART output,
 * run figures, GPIO levels, guest RAM) goes through shared memory the UI reads on its own schedule
 * (`SharedChannels`), so a chatty guest never floods the message queue.
 */

import type { FlashPart } from '../board/board-api.ts';
import type { NetworkPackets, PageNetworkConfig, PageNetworkStatus } from './board-network.ts';
import type { DebugToolSpec } from '../net/ip/debug-tool.ts';
import type { BridgeRequest, BridgeResponse } from '../net/http/http-bridge.ts';
import type { FlashChanges } from './flash-changes.ts';

/** A firmware image as it is flashed: parts at offsets, on a chip of `flashSize` bytes. */
export interface FlashImage {
  parts: FlashPart[];
  flashSize: number;
}

/** Which board the worker builds once firmware is loaded. */
export type BoardChoice =
  /** The NodeMCU-style ESP8266 board (src/board/board.ts). */
  | 'esp8266'
  /** A diagnostic stand-in that echoes UART0 and blinks GPIO2, for testing the host path. */
  | 'loopback'
  /** The same, burning 4 ms of CPU per simulated ms: a guest too slow for real time. */
  | 'loopback-busy';

export const BOARD_CHOICES: readonly BoardChoice[] = ['esp8266', 'loopback', 'loopback-busy'];

export interface StartOptions {
  board: BoardChoice;
}

/** What the board document says about the chip itself (src/ui/board-doc/). */
export interface ChipConfig {
  /** The station MAC (6 bytes), burnt into the eFuses. */
  mac: number[];
  /** Flash chip size in bytes. */
  flashSize: number;
}

export type RunState =
  /** No board yet: no firmware loaded, or no model for it. The worker is still live. */
  | 'no-board'
  /** A board exists but has no power (or no firmware has been loaded yet). */
  | 'off'
  | 'running'
  | 'paused'
  /** The board threw; `error` says what. Loading firmware or a reset starts over. */
  | 'crashed';

/** How fast simulated time runs against the wall clock. */
export type Pacing = 'realtime' | 'max';

export interface LoadedFirmware {
  name: string;
  bytes: number;
  parts: number;
  flashSize: number;
}

export interface EmulatorState {
  runState: RunState;
  pacing: Pacing;
  firmware: LoadedFirmware | null;
  /** Simulated seconds since power-on. */
  simSeconds: number;
  /** Simulated time per wall time over the last second, in percent (100 = real time). */
  speedPercent: number;
  /** Guest instructions per wall-clock second over the last second, in millions. */
  mips: number;
  cpuMhz: number;
  instructions: number;
  /** Pad levels of GPIO0..16; null where the board has not reported one yet. */
  gpio: (0 | 1 | null)[];
  /** Bytes the host has sent into UART0 (typing, paste) since the worker started. */
  uartBytesReceived: number;
  /** Bytes UART0 has sent to the host since the worker started. */
  uartBytesSent: number;
  /** Bytes UART1 (TX only, on GPIO2) has sent since the worker started. */
  uart1BytesSent: number;
  /** Per GPIO0..16: 1 while the firmware drives the pad as an output, 0 when it does not, null unknown. */
  gpioOutput: (0 | 1 | null)[];
  /** Per GPIO0..16: what the host (a click, a button, a test) drives the pad to; null = released. */
  gpioHostDrive: (0 | 1 | null)[];
  /** Per GPIO0..16: the host drives the pad against the firmware's output. */
  gpioConflict: boolean[];
  /** The A0 (TOUT) input as the ADC reads it, 0..1023. */
  a0: number;
  error: string | null;
}

/** Shared memory the worker hands to the UI once, at start. */
export interface SharedChannels {
  /** Guest RAM, laid out as `GUEST_RAM` in src/board/memory-layout.ts says. */
  guestMemory: SharedArrayBuffer;
  /** UART0 output: a `ByteRing` (src/worker/ring.ts) the worker fills and the UI drains. */
  uart0Tx: SharedArrayBuffer;
  uart0TxCapacity: number;
  /** UART1 output (TX only, GPIO2: where the SDK prints debug): a `ByteRing` like uart0Tx. */
  uart1Tx: SharedArrayBuffer;
  uart1TxCapacity: number;
  /** Line starts and baud changes, as records (src/worker/serial-events.ts) in a `ByteRing`. */
  serialEvents: SharedArrayBuffer;
  serialEventsCapacity: number;
  /** Run figures and GPIO levels: a `StatusBlock` (src/worker/status-block.ts). */
  status: SharedArrayBuffer;
}

export const GPIO_COUNT = 17;

export interface EmulatorApi {
  /** Pick the board model and get the shared memory. Call once, first. */
  start(options: StartOptions): SharedChannels;
  /** Flash the image and power the board on (what plugging in a freshly flashed board does). */
  loadFlash(image: FlashImage): EmulatorState;
  powerOn(): EmulatorState;
  powerOff(): EmulatorState;
  /** The RST button. */
  reset(): EmulatorState;
  pause(): EmulatorState;
  resume(): EmulatorState;
  setPacing(pacing: Pacing): EmulatorState;
  /** Bytes arriving on UART n's RX pin (batched: one call per keystroke burst or paste). */
  uartWrite(uart: number, bytes: Uint8Array): void;
  /** Drive a pad from outside; null releases it. */
  driveGpio(pin: number, level: 0 | 1 | null): void;
  /**
   * A serial adapter's DTR/RTS (asserted = true) through NodeMCU's auto-reset circuit to EN and
   * GPIO0 (src/board/auto-reset.ts): what esptool's reset sequences drive. While EN is low the
   * board does not run; when it rises the chip resets and samples GPIO0 as a boot strap.
   */
  setSerialLines(dtr: boolean, rts: boolean): void;
  /** The baud rate the host sends at on UART0's RX pin (what the chip's autobaud measures). */
  setUartLineBaud(baud: number): void;
  /** The A0 input, 0..1023 (kept across firmware loads). */
  setA0(value: number): void;
  /** Flash an erased chip (all 0xFF) of `flashSize` bytes and power on: what `esptool erase_flash` leaves. */
  eraseFlash(flashSize: number): EmulatorState;
  getState(): EmulatorState;
  /**
   * Boot a saved chip: `flash` (its length is the chip size) exactly as it was persisted, with no
   * image check. Later `takeFlashChanges` report only what the firmware writes from here on.
   */
  restoreFlash(flash: Uint8Array, name: string): EmulatorState;
  /**
   * The 4 KB sectors the firmware (or a load) changed since the last call, so the UI persists only
   * those; `full` after a load, erase or resize. Null without a board.
   */
  takeFlashChanges(full?: boolean): FlashChanges | null;
  /**
   * Write bytes straight into the flash chip, as a programmer on the SPI pins would, without
   * telling the firmware (tests of persistence use it). Throws without a board or out of range.
   */
  pokeFlash(offset: number, bytes: Uint8Array): void;
  /** A copy of the whole flash (share links, board files). Null without a board. */
  readFlash(): Uint8Array | null;
  /**
   * Set the MAC and flash size. A board that exists and differs is rebuilt with the same flash
   * contents (cut or padded with 0xFF to the new size) and powered on again; later loads use it.
   */
  configure(config: ChipConfig): EmulatorState;
  /**
   * Write bytes into guest RAM at a guest address (a host-side poke, as a debugger's memory
   * editor does). Throws when the range is not guest RAM.
   */
  writeGuestMemory(address: number, bytes: Uint8Array): void;
  /**
   * The whole machine as a `.v8266snap` file (src/board/snapshot/): CPU, RAM, peripherals with
   * their pending events, flash, clock; plus the firmware name and the hand-driven pins. Null
   * without a board or for a board that has no snapshots.
   */
  saveSnapshot(): Uint8Array | null;
  /**
   * Replace the board with the one `file` saved, running from where it was (paused stays
   * paused only in the sense that a snapshot of a powered board runs). Throws with a message
   * for a file it cannot restore, and then leaves the current board as it was. The flash is
   * reported as changed in full (`takeFlashChanges`).
   */
  restoreSnapshot(file: Uint8Array): EmulatorState;
  /**
   * The virtual network around the board (the document's `network`): access points and their
   * LANs in the board's simulated time. Rebuilt at once for the running board (stations the APs
   * knew are forgotten, so firmware notices after a reset or a beacon timeout); null or no APs:
   * no network.
   */
  setNetwork(config: PageNetworkConfig | null): void;
  /** The APs, their stations and the board's radio now; null without a network. */
  networkStatus(): PageNetworkStatus | null;
  /** The frames logged on the air since the last call (bounded: `dropped` counts the rest). */
  takePackets(): NetworkPackets;
  /**
   * Serve a file the user dropped at `path` on every LAN's .1 web server (null: stop); it stays
   * across network rebuilds until the page is closed.
   */
  serveFile(path: string, bytes: Uint8Array | null): void;
  /** The files `serveFile` serves. */
  servedFiles(): { path: string; size: number }[];
  /** Virtual station `index` (the document's `network.stations`) pings its gateway. */
  stationPing(index: number): void;
  /** Virtual station `index` fetches `path` over HTTP from its gateway (a board SoftAP's server). */
  stationGet(index: number, path: string): void;
  /**
   * The debugging tool on AP `lan`'s LAN host (the seed guide's PC tool): opens a session (its
   * number; null without that LAN), sends text on one, closes one. What it sees is in the status.
   */
  toolOpen(lan: number, spec: DebugToolSpec): number | null;
  toolSend(lan: number, session: number, text: string): boolean;
  toolClose(lan: number, session: number): void;
  /** A pcap file (radiotap + 802.11) of the air since the network was built; null without one. */
  networkCapture(): Uint8Array | null;
  /**
   * One HTTP request to a board or virtual host over a virtual TCP connection (the page's web
   * bridge, src/net/http/http-bridge.ts); answers once the exchange completes in simulated time.
   */
  httpRequest(request: BridgeRequest): Promise<BridgeResponse>;
}
