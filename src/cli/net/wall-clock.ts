/**
 * Simulated time paced to wall time, for a virtual LAN that talks to real machines through a TAP
 * bridge: a SimClock whose cycle counter follows `performance.now()`. Alarms fire from a 1 ms
 * interval, and `advance()` is called before a frame from outside enters the LAN, so it arrives at
 * its real time.
 */
import { performance } from 'node:perf_hooks';
import { ManualCycleCounter, SimClock, TICKS_PER_SECOND } from '../../board/clock.ts';

export class WallPacedClock {
  readonly counter = new ManualCycleCounter();
  readonly clock = new SimClock(this.counter, 80);
  private readonly startedAt = performance.now();
  private interval: ReturnType<typeof setInterval> | null = null;

  /** Bring simulated time up to wall time and fire what is due. */
  advance(): void {
    const ticks = ((performance.now() - this.startedAt) / 1000) * TICKS_PER_SECOND;
    const cycles = Math.floor(ticks / this.clock.ticksPerCycle);
    if (cycles > this.counter.cycles) this.counter.cycles = cycles;
    this.clock.fireDue();
  }

  start(): void {
    this.interval ??= setInterval(() => this.advance(), 1);
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
  }
}
