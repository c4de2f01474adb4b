/**
 * Test doubles for peripheral tests: a clock driven by hand and interrupt recorders.
 * Not used by the board itself.
 */

import { ManualCycleCounter, SimClock } from '../clock';
import type { IrqLine, IrqSink } from './peripheral';

/** A clock at 80 MHz whose time the test advances. */
export class TestClock {
  readonly cycles = new ManualCycleCounter();
  readonly clock = new SimClock(this.cycles, 80);

  /** Advance by `ticks` (rounded up to whole 80 MHz cycles) and fire what has come due. */
  advanceTicks(ticks: number): void {
    this.cycles.cycles += Math.ceil(ticks / this.clock.ticksPerCycle);
    this.clock.fireDue();
  }

  advanceMicros(us: number): void {
    this.advanceTicks(us * 2080);
  }

  /** Advance exactly to an absolute tick (alarms at that tick fire). */
  advanceTo(tick: number): void {
    this.advanceTicks(Math.max(0, tick - this.clock.now));
  }

  /** Step through every alarm up to `tick`, so each fires at its own time. */
  runUntil(tick: number): void {
    for (;;) {
      const next = this.clock.nextAlarmAt();
      if (next > tick) break;
      this.advanceTo(next);
    }
    this.advanceTo(tick);
  }
}

/** An IrqLine that remembers its level, its pulses and when they happened. */
export class RecordingLine implements IrqLine {
  level = false;
  pulses = 0;
  readonly pulseTimes: number[] = [];
  constructor(private readonly clock?: SimClock) {}
  set(asserted: boolean): void {
    this.level = asserted;
  }
  pulse(): void {
    this.pulses++;
    if (this.clock) this.pulseTimes.push(this.clock.now);
  }
}

/** An IrqSink (the CPU's side) that records what reached it. */
export class RecordingIrqSink implements IrqSink {
  readonly levels = new Array<boolean>(6).fill(false);
  readonly edges: number[] = [];
  setIrqLevel(n: number, asserted: boolean): void {
    this.levels[n] = asserted;
  }
  raiseIrqEdge(n: number): void {
    this.edges.push(n);
  }
}
