/**
 * A simulated-time driver for tests of the virtual LAN without a board: a SimClock on a manual
 * cycle counter, advanced from alarm to alarm (so a test "waits" 60 s of TCP TIME_WAIT instantly).
 */
import { ManualCycleCounter, SimClock, TICKS_PER_SECOND } from '../../../board/clock';

export class SimNet {
  readonly counter = new ManualCycleCounter();
  readonly clock = new SimClock(this.counter, 80);

  get seconds(): number {
    return this.clock.now / TICKS_PER_SECOND;
  }

  /** Fire every alarm up to `seconds` from now, ending exactly there. */
  run(seconds: number): void {
    this.runUntilTick(this.clock.now + seconds * TICKS_PER_SECOND, () => false);
  }

  /** Run until `done()` holds (checked after each alarm); false if `maxSeconds` passed first. */
  runUntil(done: () => boolean, maxSeconds = 600): boolean {
    return this.runUntilTick(this.clock.now + maxSeconds * TICKS_PER_SECOND, done);
  }

  private runUntilTick(limit: number, done: () => boolean): boolean {
    const tpc = this.clock.ticksPerCycle;
    for (;;) {
      if (done()) return true;
      const next = this.clock.nextAlarmAt();
      if (next > limit) {
        this.counter.cycles = Math.max(this.counter.cycles, Math.floor(limit / tpc));
        return done();
      }
      this.counter.cycles = Math.max(this.counter.cycles, Math.ceil(next / tpc));
      this.clock.fireDue();
    }
  }
}
