/**
 * Simulated time for the whole board.
 *
 * Time is counted in ticks of 2.08 GHz. Every clock the chip runs from (26 MHz crystal, 40 MHz
 * QEMU sim, 52 MHz boot clock, 80 and 160 MHz CPU) is then a whole number of ticks per cycle, so
 * time stays exact integer arithmetic in a float64 (2^53 ticks ≈ 50 days of simulated time).
 *
 * The CPU's cycle counter is the source of truth: `now` is derived from it, so a peripheral that
 * reads the clock in the middle of an instruction stream sees exactly the time of that access,
 * without the CPU having to publish anything. When the CPU frequency changes the clock rebases.
 * When the core sleeps (WAITI) the run loop advances the cycle counter straight to the next alarm.
 *
 * Never wall time: the same inputs at the same simulated times give the same run.
 */

import { SnapshotError, type SavedState, type StateReader } from './snapshot/state.ts';

export const TICKS_PER_SECOND = 2_080_000_000;
export const TICKS_PER_MICROSECOND = 2080;

/** Ticks per cycle of a clock running at `mhz` (26 → 80, 52 → 40, 80 → 26, 160 → 13). */
export function ticksPerCycleAt(mhz: number): number {
  const t = 2080 / mhz;
  if (!Number.isInteger(t)) throw new RangeError(`clock ${mhz} MHz does not divide 2080 MHz`);
  return t;
}

/** Anything with a monotonically increasing cycle count: the CPU, or a test's stand-in. */
export interface CycleCounter {
  readonly cycles: number;
}

/** A stand-in cycle source for peripheral tests that run without a CPU. */
export class ManualCycleCounter implements CycleCounter {
  cycles = 0;
}

export interface Alarm {
  /** Absolute tick the alarm fires at (Infinity when not scheduled). */
  readonly at: number;
  readonly scheduled: boolean;
  /** Fire at an absolute tick. Rescheduling replaces the previous time. */
  scheduleAt(tick: number): void;
  /** Fire `ticks` after now. */
  scheduleIn(ticks: number): void;
  cancel(): void;
}

class ClockAlarm implements Alarm {
  at = Infinity;
  constructor(
    private readonly clock: SimClock,
    readonly callback: () => void,
    readonly name: string,
  ) {}
  get scheduled(): boolean {
    return this.at !== Infinity;
  }
  scheduleAt(tick: number): void {
    const was = this.at;
    this.at = tick;
    this.clock.alarmMoved(was, tick);
  }
  scheduleIn(ticks: number): void {
    this.scheduleAt(this.clock.now + ticks);
  }
  cancel(): void {
    if (this.at === Infinity) return;
    const was = this.at;
    this.at = Infinity;
    this.clock.alarmMoved(was, Infinity);
  }
}

export class SimClock {
  private baseTicks = 0;
  private baseCycles = 0;
  private tpc: number;
  private readonly alarms: ClockAlarm[] = [];
  private nextAt = Infinity;
  private firing = false;
  /**
   * Called when the earliest alarm moves earlier. The board uses it to end the CPU's current
   * time slice, so an alarm that a register write schedules mid-slice still fires on time.
   */
  onEarlierAlarm: (() => void) | null = null;

  constructor(
    private counter: CycleCounter,
    cpuMhz = 80,
  ) {
    this.tpc = ticksPerCycleAt(cpuMhz);
  }

  /** Current simulated time in ticks. */
  get now(): number {
    return this.baseTicks + (this.counter.cycles - this.baseCycles) * this.tpc;
  }

  get seconds(): number {
    return this.now / TICKS_PER_SECOND;
  }

  get micros(): number {
    return this.now / TICKS_PER_MICROSECOND;
  }

  get ticksPerCycle(): number {
    return this.tpc;
  }

  get cpuMhz(): number {
    return 2080 / this.tpc;
  }

  /** Attach a different cycle source (e.g. when the board builds its CPU after the clock). */
  attachCounter(counter: CycleCounter): void {
    this.baseTicks = this.now;
    this.counter = counter;
    this.baseCycles = counter.cycles;
  }

  /** Change the CPU clock (DPORT CPU_CLOCK bit, the boot clock → 80 MHz switch). */
  setCpuMhz(mhz: number): void {
    const tpc = ticksPerCycleAt(mhz);
    if (tpc === this.tpc) return;
    this.baseTicks = this.now;
    this.baseCycles = this.counter.cycles;
    this.tpc = tpc;
  }

  /** Number of whole CPU cycles until `tick` (0 when it has passed). */
  cyclesUntil(tick: number): number {
    const d = tick - this.now;
    return d <= 0 ? 0 : Math.ceil(d / this.tpc);
  }

  createAlarm(callback: () => void, name = 'alarm'): Alarm {
    const alarm = new ClockAlarm(this, callback, name);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Tick of the earliest scheduled alarm, Infinity when none. */
  nextAlarmAt(): number {
    return this.nextAt;
  }

  /**
   * @internal called by an alarm whose time went from `was` to `now`. Firmware re-arms some
   * alarms every few microseconds (a watchdog feed per idle-loop pass in MicroPython), so only a
   * move that can change the earliest time pays for a scan of every alarm.
   */
  alarmMoved(was: number, now: number): void {
    if (now < this.nextAt) {
      this.nextAt = now;
      if (!this.firing && this.onEarlierAlarm) this.onEarlierAlarm();
    } else if (was === this.nextAt && now !== was) {
      this.alarmsChanged();
    }
  }

  private alarmsChanged(): void {
    let next = Infinity;
    for (const a of this.alarms) if (a.at < next) next = a.at;
    const earlier = next < this.nextAt;
    this.nextAt = next;
    if (earlier && !this.firing && this.onEarlierAlarm) this.onEarlierAlarm();
  }

  /**
   * Fire every alarm whose time has come, earliest first. A callback may schedule further alarms;
   * those that are already due fire in the same call.
   */
  fireDue(): void {
    if (this.firing) return;
    this.firing = true;
    try {
      const now = this.now;
      while (this.nextAt <= now) {
        let due: ClockAlarm | undefined;
        for (const a of this.alarms)
          if (a.at === this.nextAt) {
            due = a;
            break;
          }
        if (!due) break;
        due.at = Infinity;
        this.alarmsChanged();
        due.callback();
      }
    } finally {
      this.firing = false;
    }
  }

  /** How many of the first alarms are the machine's own (`sealMachineAlarms`); the rest are not. */
  private machineAlarms = Infinity;

  /**
   * The alarms created so far are the machine's (the SoC calls this once it has built every
   * block). Alarms created later — the virtual network's, a test's scripted peer — run on the same
   * clock but are not part of a snapshot: their owners are not in it either.
   */
  sealMachineAlarms(): void {
    this.machineAlarms = this.alarms.length;
  }

  /**
   * The time base and every pending machine alarm by name (alarms are re-created by the objects
   * that own them; only their times are state). The cycle source saves itself (the CPU).
   */
  saveState(): SavedState {
    const alarms: Record<string, number> = {};
    for (const a of this.alarms.slice(0, this.machineAlarms)) {
      if (Object.prototype.hasOwnProperty.call(alarms, a.name))
        throw new Error(`two alarms are named "${a.name}": a snapshot could not tell them apart`);
      alarms[a.name] = a.at;
    }
    return { baseTicks: this.baseTicks, baseCycles: this.baseCycles, tpc: this.tpc, alarms };
  }

  restoreState(s: StateReader): void {
    this.baseTicks = s.number('baseTicks');
    this.baseCycles = s.number('baseCycles');
    const tpc = s.int('tpc');
    if (tpc <= 0 || 2080 % tpc !== 0) throw new SnapshotError(`snapshot field tpc: ${tpc}`);
    this.tpc = tpc;
    const saved = s.child('alarms');
    for (const a of this.alarms.slice(0, this.machineAlarms)) {
      if (!saved.has(a.name)) throw new SnapshotError(`snapshot has no time for alarm "${a.name}"`);
      a.at = saved.number(a.name, true);
    }
    let next = Infinity;
    for (const a of this.alarms) if (a.at < next) next = a.at;
    this.nextAt = next;
  }
}
