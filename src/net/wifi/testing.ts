/**
 * For tests: a simulated clock without a CPU, advanced from alarm to alarm.
 * (Conditions are checked in simulated time; nothing here reads the wall clock.)
 */
import { ManualCycleCounter, SimClock, TICKS_PER_MICROSECOND } from '../../board/clock.ts';

export class TestClock {
  readonly counter = new ManualCycleCounter();
  readonly clock = new SimClock(this.counter, 80);

  get now(): number {
    return this.clock.now;
  }
  get micros(): number {
    return this.clock.now / TICKS_PER_MICROSECOND;
  }

  /** Runs alarms in order until `tick` (inclusive). */
  runUntil(tick: number): void {
    for (;;) {
      const next = this.clock.nextAlarmAt();
      if (next > tick) break;
      this.counter.cycles += this.clock.cyclesUntil(next);
      this.clock.fireDue();
    }
    this.counter.cycles += this.clock.cyclesUntil(tick);
    this.clock.fireDue();
  }

  runFor(micros: number): void {
    this.runUntil(this.now + micros * TICKS_PER_MICROSECOND);
  }

  /** Runs until `done()` holds, or fails after `limitMicros` of simulated time. */
  runUntilTrue(done: () => boolean, limitMicros: number, what = 'condition'): void {
    const limit = this.now + limitMicros * TICKS_PER_MICROSECOND;
    while (!done()) {
      const next = this.clock.nextAlarmAt();
      if (next > limit)
        throw new Error(`${what} not reached within ${limitMicros} µs of simulated time`);
      this.counter.cycles += this.clock.cyclesUntil(next);
      this.clock.fireDue();
    }
  }
}
