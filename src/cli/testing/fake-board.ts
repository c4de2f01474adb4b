/**
 * A stand-in EmulatedBoard for the CLI's tests: it "prints" scripted UART bytes at scripted
 * simulated times and records what it is sent. Enough to test the run loop, not the chip.
 */

import type { BoardListeners, BoardStats, EmulatedBoard } from '../../board/board-api.ts';

export interface ScheduledOutput {
  /** Simulated seconds since power-on. */
  at: number;
  text: string;
  uart?: number;
}

export interface Received {
  at: number;
  uart: number;
  text: string;
}

export class FakeBoard implements EmulatedBoard {
  seconds = 0;
  readonly flash = new Uint8Array(0);
  readonly received: Received[] = [];
  readonly runCalls: number[] = [];
  poweredOn = false;
  /** Simulated time at which the fake stops advancing (a halted chip). */
  haltAt = Infinity;
  private listeners: BoardListeners = {};
  private readonly queue: ScheduledOutput[];

  constructor(
    outputs: ScheduledOutput[] = [],
    /** Called when bytes arrive: return outputs to schedule (an echo, a reply). */
    private readonly respond?: (text: string, now: number) => ScheduledOutput[],
  ) {
    this.queue = [...outputs].sort((a, b) => a.at - b.at);
  }

  get stats(): BoardStats {
    // 80 MHz, one instruction every 1.25 cycles: fixed ratios the tests can check.
    const cycles = Math.round(this.seconds * 80e6);
    return { instructions: Math.round(cycles / 1.25), cycles, seconds: this.seconds, cpuMhz: 80 };
  }

  listen(listeners: BoardListeners): void {
    this.listeners = listeners;
  }
  powerOn(): void {
    this.poweredOn = true;
  }
  powerOff(): void {
    this.poweredOn = false;
  }
  reset(): void {}
  /** `driveGpio` calls: when (simulated seconds), which pad, which level. */
  readonly driven: { at: number; pin: number; level: 0 | 1 | null }[] = [];
  driveGpio(pin: number, level: 0 | 1 | null): void {
    this.driven.push({ at: this.seconds, pin, level });
  }

  runUntil(target: number): void {
    this.runCalls.push(target);
    const end = Math.min(target, this.haltAt);
    while (this.queue.length > 0 && this.queue[0].at <= end) {
      const item = this.queue.shift()!;
      this.seconds = Math.max(this.seconds, item.at);
      for (const byte of new TextEncoder().encode(item.text)) {
        this.listeners.uartTx?.(item.uart ?? 0, byte);
      }
    }
    this.seconds = Math.max(this.seconds, end);
  }

  uartReceive(uart: number, bytes: Uint8Array): void {
    const text = new TextDecoder().decode(bytes);
    this.received.push({ at: this.seconds, uart, text });
    for (const out of this.respond?.(text, this.seconds) ?? []) {
      this.queue.push(out);
      this.queue.sort((a, b) => a.at - b.at);
    }
  }
}
