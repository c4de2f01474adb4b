/**
 * A stand-in board for testing the host path (worker loop, rings, terminal, pacing) before the
 * ESP8266 exists, and for telling a host bug from an emulator bug later.
 *
 * It has no CPU. Simulated time advances as asked; UART0 prints a banner at power-on and echoes
 * every received byte; GPIO2 (the NodeMCU's blue LED) toggles every half second. Selected with
 * `?board=loopback` in the page URL; never the default. `?board=loopback-busy` also burns wall
 * time in `runUntil`, like a guest that cannot keep up with real time, to show the UI stays
 * responsive whatever the guest does.
 */

import type { BoardListeners, BoardStats, EmulatedBoard } from '../board/board-api.ts';

const BLINK_HALF_PERIOD_SECONDS = 0.5;
const NOMINAL_MHZ = 80;

export class LoopbackBoard implements EmulatedBoard {
  private now = 0;
  private powered = false;
  private led: 0 | 1 = 1;
  private listeners: BoardListeners = {};
  private readonly driven = new Map<number, 0 | 1>();

  constructor(
    readonly flash: Uint8Array,
    /** Wall milliseconds `runUntil` spends per simulated millisecond (0: free). */
    private readonly wallMsPerSimMs = 0,
  ) {}

  get seconds(): number {
    return this.now;
  }

  get stats(): BoardStats {
    const cycles = Math.round(this.now * NOMINAL_MHZ * 1e6);
    return { instructions: 0, cycles, seconds: this.now, cpuMhz: NOMINAL_MHZ };
  }

  listen(listeners: BoardListeners): void {
    this.listeners = listeners;
  }

  powerOn(): void {
    this.powered = true;
    this.now = 0;
    this.boot();
  }

  powerOff(): void {
    this.powered = false;
  }

  reset(): void {
    if (!this.powered) return;
    this.now = 0;
    this.listeners.reset?.(2);
    this.boot();
  }

  runUntil(seconds: number): void {
    if (!this.powered || seconds <= this.now) return;
    if (this.wallMsPerSimMs > 0) this.burn((seconds - this.now) * 1000 * this.wallMsPerSimMs);
    const blinksBefore = Math.floor(this.now / BLINK_HALF_PERIOD_SECONDS);
    const blinksAfter = Math.floor(seconds / BLINK_HALF_PERIOD_SECONDS);
    if ((blinksAfter - blinksBefore) % 2 === 1) {
      this.led = this.led ? 0 : 1;
      this.listeners.gpio?.(2, this.led);
    }
    this.now = seconds;
  }

  uartReceive(uart: number, bytes: Uint8Array): void {
    if (!this.powered) return;
    for (const b of bytes) this.listeners.uartTx?.(uart, b);
  }

  driveGpio(pin: number, level: 0 | 1 | null): void {
    if (level === null) this.driven.delete(pin);
    else this.driven.set(pin, level);
    this.listeners.gpio?.(pin, level ?? 1);
  }

  /** Keep the thread busy, as an interpreter working through instructions would. */
  private burn(wallMs: number): void {
    const until = performance.now() + wallMs;
    while (performance.now() < until) {
      // spin
    }
  }

  private boot(): void {
    this.led = 1;
    this.listeners.gpio?.(2, this.led);
    const banner = `\r\nv8266 loopback board: ${this.flash.length} bytes of flash; UART0 echoes.\r\n`;
    for (let i = 0; i < banner.length; i++) this.listeners.uartTx?.(0, banner.charCodeAt(i));
  }
}
