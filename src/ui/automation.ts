/**
 * `window.v8266`: a small API for end-to-end tests and for poking at the emulator from the
 * browser console. Everything goes through the same paths the UI uses.
 */

import type { NetworkStatus } from '../net/world-status.ts';
import type { EmulatorState, Pacing } from '../worker/protocol.ts';
import type { StatusSnapshot } from '../worker/status-block.ts';
import type { BoardDocument } from './board-doc/document.ts';
import type { CrashReport } from './crash/parse.ts';
import type { EmulatorClient } from './emulator-client.ts';
import { useAppStore } from './store.ts';
import { loadFirmware } from './load-firmware.ts';
import { settled } from './board-doc/controller.ts';
import { symbolize } from './crash/parse.ts';
import { activeSession } from './persist/session.ts';

export interface AutomationFile {
  name: string;
  /** Plain arrays survive page.evaluate's serialisation; typed arrays are fine in the console. */
  bytes: ArrayLike<number>;
  offset?: number;
}

export interface V8266Automation {
  /** All UART0 output so far, one char per byte. */
  serialText(): string;
  /** All output of UART n (0, or 1: TX on GPIO2) so far, one char per byte. */
  uartText(uart: number): string;
  /** Pad levels GPIO0..16 (null: unknown), from shared memory. */
  gpio(): (0 | 1 | null)[];
  /** The on-board LEDs (active low): lit while their pad is low and the board is powered. */
  leds(): { gpio2: boolean; gpio16: boolean };
  /** Hold (true) or let go (false) of a board button: FLASH holds GPIO0 low; RST resets on release. */
  pressButton(button: 'flash' | 'rst', pressed: boolean): Promise<void>;
  setA0(value: number): Promise<void>;
  eraseFlash(flashSize?: number): Promise<EmulatorState>;
  clearSerial(): void;
  /** The figures in shared memory, read synchronously (no message to the worker). */
  status(): StatusSnapshot;
  /** The worker's full state (a comlink round trip). */
  state(): Promise<EmulatorState>;
  load(files: AutomationFile[]): Promise<EmulatorState>;
  powerOn(): Promise<EmulatorState>;
  powerOff(): Promise<EmulatorState>;
  reset(): Promise<EmulatorState>;
  pause(): Promise<EmulatorState>;
  resume(): Promise<EmulatorState>;
  setPacing(pacing: Pacing): Promise<EmulatorState>;
  typeSerial(text: string): Promise<void>;
  driveGpio(pin: number, level: 0 | 1 | null): Promise<void>;
  /** Guest RAM read synchronously from the shared buffer. */
  readGuestMemory(address: number, length: number): number[];
  /** Virtual station `index` of the document fetches `path` from its gateway (the panel's GET). */
  stationGet(index: number, path: string): Promise<void>;
  /** The board document as applied. */
  doc(): BoardDocument;
  /**
   * Replace the editor text (applied when valid) once the page's start-up is over (it sets the
   * document it opened with, which would replace this one); the problems, empty when applied.
   */
  setDocText(text: string): Promise<string[]>;
  /** The crash report the panel shows (the last one seen on UART0), or null. */
  crash(): CrashReport | null;
  /** The virtual network now (APs, stations, the board's radio); null without one. */
  network(): Promise<NetworkStatus | null>;
  /** Symbols of the loaded .elf: `function+0xoffset` for an address, null without an ELF. */
  symbolize(address: number): string | null;
  /** Ask the worker to write guest RAM. */
  writeGuestMemory(address: number, bytes: ArrayLike<number>): Promise<void>;
  /** Write bytes straight into the flash chip (a programmer on the SPI pins). */
  pokeFlash(offset: number, bytes: ArrayLike<number>): Promise<void>;
  /** `length` bytes of the flash from `offset` (a copy from the worker). */
  readFlash(offset: number, length: number): Promise<number[]>;
  /**
   * SHA-256 (hex) of the whole flash, or null without a board; `blank` zeroes a range first (a
   * region the firmware keeps changing, so the rest can be compared).
   */
  flashSha256(blank?: { offset: number; length: number }): Promise<string | null>;
  /**
   * Save the board now (IndexedDB: the changed sectors and the document, one transaction);
   * resolves with the number of commits so far once it is durable. Null when saving is off.
   */
  persistNow(): Promise<number | null>;
  /** The saved boards, newest first, and which one this page shows. */
  savedBoards(): Promise<{ id: string; name: string; current: boolean; flashSize: number }[]>;
}

declare global {
  interface Window {
    v8266?: V8266Automation;
  }
}

export function installAutomation(client: EmulatorClient): V8266Automation {
  const api: V8266Automation = {
    serialText: () => client.serialText,
    uartText: (uart) => client.uarts[uart]?.text ?? '',
    gpio: () => client.readStatus().gpio,
    leds: () => {
      const s = client.readStatus();
      const on = s.runState === 'running' || s.runState === 'paused';
      return { gpio2: on && s.gpio[2] === 0, gpio16: on && s.gpio[16] === 0 };
    },
    pressButton: async (button, pressed) => {
      if (button === 'flash') return client.driveGpio(0, pressed ? 0 : null);
      if (!pressed) await client.reset();
    },
    setA0: (value) => client.setA0(value),
    eraseFlash: (flashSize = 0x400000) => client.eraseFlash(flashSize),
    clearSerial: () => client.clearSerialLog(),
    status: () => client.readStatus(),
    state: () => client.getState(),
    load: async (files) => {
      // After the document's apply (board, pacing, network) the page started with: a load racing
      // it ran on a board whose network was then rebuilt under it, forgetting its association.
      await settled();
      return loadFirmware(
        client,
        files.map((f) => ({ name: f.name, data: Uint8Array.from(f.bytes), offset: f.offset })),
      );
    },
    powerOn: () => client.powerOn(),
    powerOff: () => client.powerOff(),
    reset: () => client.reset(),
    pause: () => client.pause(),
    resume: () => client.resume(),
    setPacing: (pacing) => client.setPacing(pacing),
    typeSerial: (text) => client.sendSerial(new TextEncoder().encode(text)),
    driveGpio: (pin, level) => client.driveGpio(pin, level),
    readGuestMemory: (address, length) => [...client.readGuestMemory(address, length)],
    stationGet: (index, path) => client.stationGet(index, path),
    doc: () => useAppStore.getState().doc,
    setDocText: async (text) => {
      await settled();
      useAppStore.getState().setDocText(text);
      return useAppStore.getState().docProblems;
    },
    crash: () => useAppStore.getState().crash,
    network: () => client.networkStatus(),
    symbolize: (address) => {
      const elf = useAppStore.getState().elf;
      return elf ? symbolize(address, (a) => elf.file.symbolAt(a)) : null;
    },
    writeGuestMemory: (address, bytes) => client.writeGuestMemory(address, Uint8Array.from(bytes)),
    pokeFlash: (offset, bytes) => client.pokeFlash(offset, Uint8Array.from(bytes)),
    readFlash: async (offset, length) => {
      const flash = await client.readFlash();
      return flash ? [...flash.subarray(offset, offset + length)] : [];
    },
    flashSha256: async (blank) => {
      const flash = await client.readFlash();
      if (!flash) return null;
      if (blank) flash.fill(0, blank.offset, blank.offset + blank.length);
      const digest = new Uint8Array(
        await crypto.subtle.digest('SHA-256', flash as Uint8Array<ArrayBuffer>),
      );
      return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
    persistNow: async () => {
      const session = activeSession();
      return session ? (await session.commit()).commits : null;
    },
    savedBoards: async () => {
      const session = activeSession();
      if (!session) return [];
      return (await session.list()).map((b) => ({
        id: b.id,
        name: b.name,
        current: b.id === session.board.id,
        flashSize: b.flashSize,
      }));
    },
  };
  window.v8266 = api;
  return api;
}
