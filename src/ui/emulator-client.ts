/**
 * The UI thread's handle on the emulator worker: commands go through comlink; streaming output
 * (UART bytes, run figures, guest RAM) is read straight from shared memory once per frame.
 */

import type {
  NetworkPackets,
  PageNetworkConfig,
  PageNetworkStatus,
} from '../worker/board-network.ts';
import type { DebugToolSpec } from '../net/ip/debug-tool.ts';
import type { BridgeRequest, BridgeResponse } from '../net/http/http-bridge.ts';
import * as Comlink from 'comlink';
import type {
  ChipConfig,
  FlashImage,
  EmulatorApi,
  EmulatorState,
  Pacing,
} from '../worker/protocol.ts';
import { guestRamOffset } from '../worker/guest-address.ts';
import { ByteRing } from '../worker/ring.ts';
import { StatusBlock, type StatusSnapshot } from '../worker/status-block.ts';
import type { BoardChoice } from '../worker/protocol.ts';
import type { FlashChanges } from '../worker/flash-changes.ts';
import { SerialEventRing } from '../worker/serial-events.ts';
import { SerialChannel } from './serial/channel.ts';

export type SerialListener = (bytes: Uint8Array) => void;
export type StatusListener = (status: StatusSnapshot) => void;

export class EmulatorClient {
  private readonly serialListeners = new Set<SerialListener>();
  private readonly statusListeners = new Set<StatusListener>();
  /** UART0 and UART1 output, spliced with their line starts and baud changes. */
  readonly uarts: readonly SerialChannel[] = [new SerialChannel(), new SerialChannel()];
  private frame = 0;
  private lastPublishes = -1;

  private constructor(
    private readonly worker: Worker,
    readonly api: Comlink.Remote<EmulatorApi>,
    private readonly guestMemory: Uint8Array,
    private readonly uartRings: readonly ByteRing[],
    private readonly events: SerialEventRing,
    private readonly status: StatusBlock,
  ) {
    this.poll();
  }

  static async start(board: BoardChoice): Promise<EmulatorClient> {
    const worker = new Worker(new URL('../worker/emulator.worker.ts', import.meta.url), {
      type: 'module',
      name: 'v8266-emulator',
    });
    const api = Comlink.wrap<EmulatorApi>(worker);
    // A worker that fails to load never answers; turn its error event into a rejection.
    const failed = new Promise<never>((_, reject) =>
      worker.addEventListener('error', (e) => reject(new Error(e.message || 'worker failed')), {
        once: true,
      }),
    );
    const channels = await Promise.race([api.start({ board }), failed]);
    return new EmulatorClient(
      worker,
      api,
      new Uint8Array(channels.guestMemory),
      [
        new ByteRing(channels.uart0Tx, channels.uart0TxCapacity),
        new ByteRing(channels.uart1Tx, channels.uart1TxCapacity),
      ],
      new SerialEventRing(new ByteRing(channels.serialEvents, channels.serialEventsCapacity)),
      new StatusBlock(channels.status),
    );
  }

  /** The latest figures the worker published (a shared-memory read, no message). */
  readStatus(): StatusSnapshot {
    return this.status.read();
  }

  /** Guest RAM bytes at a guest address, read directly from the shared buffer. */
  readGuestMemory(address: number, length: number): Uint8Array {
    const offset = guestRamOffset(address, length);
    if (offset === null) throw new RangeError(`0x${address.toString(16)} is not guest RAM`);
    return this.guestMemory.slice(offset, offset + length);
  }

  get serialText(): string {
    return this.uarts[0].text;
  }

  clearSerialLog(): void {
    this.uarts[0].clear();
  }

  /** UART0 output bytes as they arrive (the terminal subscribes). Returns an unsubscribe. */
  onSerial(listener: SerialListener): () => void {
    this.serialListeners.add(listener);
    return () => this.serialListeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    listener(this.status.read());
    return () => this.statusListeners.delete(listener);
  }

  // Commands: thin, typed pass-throughs.
  loadFlash(image: FlashImage): Promise<EmulatorState> {
    // Hand the bytes over instead of copying them (parts may share one buffer: list it once).
    // The caller's arrays are detached afterwards.
    const transfers = new Set(image.parts.map((p) => p.data.buffer as ArrayBuffer));
    return this.api.loadFlash(Comlink.transfer(image, [...transfers]));
  }
  powerOn(): Promise<EmulatorState> {
    return this.api.powerOn();
  }
  powerOff(): Promise<EmulatorState> {
    return this.api.powerOff();
  }
  reset(): Promise<EmulatorState> {
    return this.api.reset();
  }
  pause(): Promise<EmulatorState> {
    return this.api.pause();
  }
  resume(): Promise<EmulatorState> {
    return this.api.resume();
  }
  setPacing(pacing: Pacing): Promise<EmulatorState> {
    return this.api.setPacing(pacing);
  }
  getState(): Promise<EmulatorState> {
    return this.api.getState();
  }
  sendSerial(bytes: Uint8Array): Promise<void> {
    return this.api.uartWrite(0, bytes);
  }
  driveGpio(pin: number, level: 0 | 1 | null): Promise<void> {
    return this.api.driveGpio(pin, level);
  }
  setA0(value: number): Promise<void> {
    return this.api.setA0(value);
  }
  configure(config: ChipConfig): Promise<EmulatorState> {
    return this.api.configure(config);
  }
  eraseFlash(flashSize: number): Promise<EmulatorState> {
    return this.api.eraseFlash(flashSize);
  }
  restoreFlash(flash: Uint8Array, name: string): Promise<EmulatorState> {
    return this.api.restoreFlash(Comlink.transfer(flash, [flash.buffer as ArrayBuffer]), name);
  }
  takeFlashChanges(full = false): Promise<FlashChanges | null> {
    return this.api.takeFlashChanges(full);
  }
  pokeFlash(offset: number, bytes: Uint8Array): Promise<void> {
    return this.api.pokeFlash(offset, bytes);
  }
  saveSnapshot(): Promise<Uint8Array | null> {
    return this.api.saveSnapshot();
  }
  restoreSnapshot(file: Uint8Array): Promise<EmulatorState> {
    return this.api.restoreSnapshot(file);
  }
  readFlash(): Promise<Uint8Array | null> {
    return this.api.readFlash();
  }
  setNetwork(config: PageNetworkConfig | null): Promise<void> {
    return this.api.setNetwork(config);
  }
  networkStatus(): Promise<PageNetworkStatus | null> {
    return this.api.networkStatus();
  }
  takePackets(): Promise<NetworkPackets> {
    return this.api.takePackets();
  }
  stationPing(index: number): Promise<void> {
    return this.api.stationPing(index);
  }
  serveFile(path: string, bytes: Uint8Array | null): Promise<void> {
    return this.api.serveFile(path, bytes);
  }

  servedFiles(): Promise<{ path: string; size: number }[]> {
    return this.api.servedFiles();
  }

  stationGet(index: number, path: string): Promise<void> {
    return this.api.stationGet(index, path);
  }
  toolOpen(lan: number, spec: DebugToolSpec): Promise<number | null> {
    return this.api.toolOpen(lan, spec);
  }
  toolSend(lan: number, session: number, text: string): Promise<boolean> {
    return this.api.toolSend(lan, session, text);
  }
  toolClose(lan: number, session: number): Promise<void> {
    return this.api.toolClose(lan, session);
  }
  networkCapture(): Promise<Uint8Array | null> {
    return this.api.networkCapture();
  }
  httpRequest(request: BridgeRequest): Promise<BridgeResponse> {
    return this.api.httpRequest(request);
  }
  writeGuestMemory(address: number, bytes: Uint8Array): Promise<void> {
    return this.api.writeGuestMemory(address, bytes);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }

  /** Once per frame: drain UART output and serial events to listeners, pass on new figures. */
  private poll = (): void => {
    const events = this.events.read();
    for (let uart = 0; uart < this.uarts.length; uart++) {
      const bytes = this.uartRings[uart].read();
      const mine = events.filter((e) => e.uart === uart);
      this.uarts[uart].ingest(bytes, mine);
      if (uart === 0 && bytes.length > 0) {
        for (const listener of this.serialListeners) listener(bytes);
      }
    }
    const status = this.status.read();
    if (status.publishes !== this.lastPublishes) {
      this.lastPublishes = status.publishes;
      for (const listener of this.statusListeners) listener(status);
    }
    this.frame = requestAnimationFrame(this.poll);
  };
}
