/**
 * ESP8266 FRC1/FRC2 timers (0x60000600).
 *
 *   const timers = new FrcTimers(clock, router.edgeLine(EdgeIrqSource.FRC1),
 *                                       router.edgeLine(EdgeIrqSource.FRC2));
 *   timers.apbHz = …;   // the clock both prescalers divide (80 MHz after PLL start)
 *
 * FRC1: 23-bit down-counter. Writing FRC1_LOAD restarts it from that value; when it reaches 0 it
 * raises its interrupt and continues from FRC1_LOAD (auto-reload, CTRL bit 6) or from 0x7FFFFF,
 * so with LOAD = L and reload on, interrupts come every L prescaled cycles (Arduino timer1_write).
 * The interrupt is the counter stepping into 0, so LOAD = 0 raises nothing at once: the count
 * sits at 0, wraps to 0x7FFFFF and fires 2^23 prescaled cycles later. Firmware relies on that:
 * the SDK 0.9.x PWM driver in NodeMCU 0.9.2/0.9.4 unmasks INT 9 and writes LOAD = 0 before it
 * has set up what its handler dereferences (app/driver/pwm.c `pwm_init`, and the image's own
 * code), and those images run on real modules.
 * FRC2: 32-bit free-running up-counter; writing FRC2_LOAD sets the count; the interrupt fires when
 * the count becomes FRC2_ALARM (NONOS soft timers, /256 → 312.5 kHz).
 * CTRL: bit 0 interrupt type (0 edge, 1 level), [3:2] prescaler /1, /16, /256, /256, bit 6
 * auto-reload (FRC1), bit 7 enable, bit 8 interrupt status (read-only; cleared by writing INT).
 * Edge mode pulses the line once per event; level mode holds it until INT is written. The router
 * sends FRC1 to INT 9 or the NMI, FRC2 to INT 10, gated by DPORT EDGE_INT_ENABLE.
 *
 * Nothing ticks: counts are computed from the clock on read and an alarm waits for the next event.
 * Facts: esp8266-hw.md §5.6, §10.
 */

import { TICKS_PER_SECOND, type Alarm, type SimClock } from '../clock';
import { Peripheral, type IrqLine } from './peripheral';
import { APB_HZ } from './time-bases';
import type { SavedState, StateReader } from '../snapshot/state';

export const FRC1_LOAD = 0x00;
export const FRC1_COUNT = 0x04;
export const FRC1_CTRL = 0x08;
export const FRC1_INT = 0x0c;
export const FRC2_LOAD = 0x20;
export const FRC2_COUNT = 0x24;
export const FRC2_CTRL = 0x28;
export const FRC2_INT = 0x2c;
export const FRC2_ALARM = 0x30;

export const FRC_CTRL_INT_LEVEL = 1 << 0;
export const FRC_CTRL_PRESCALE_SHIFT = 2; // [3:2]
export const FRC_CTRL_AUTO_RELOAD = 1 << 6;
export const FRC_CTRL_ENABLE = 1 << 7;
export const FRC_CTRL_INT_STATUS = 1 << 8;
const FRC_CTRL_WRITABLE = 0xff;

export const FRC1_MAX = 0x7fffff;
const TWO_POW_32 = 0x1_0000_0000;

function prescaleOf(ctrl: number): number {
  const field = (ctrl >>> FRC_CTRL_PRESCALE_SHIFT) & 3;
  return field === 0 ? 1 : field === 1 ? 16 : 256;
}

/** State shared by both timers: control word, interrupt status and output. */
abstract class FrcTimer {
  ctrl = 0;
  protected intStatus = false;
  /** Count at `baseTick`, and the tick the count was last rebased at. */
  protected baseCount = 0;
  protected baseTick = 0;
  protected readonly alarm: Alarm;

  constructor(
    protected readonly clock: SimClock,
    private readonly irq: IrqLine,
    protected apbTicks: number,
    name: string,
  ) {
    this.alarm = clock.createAlarm(() => this.onEvent(), name);
  }

  get enabled(): boolean {
    return (this.ctrl & FRC_CTRL_ENABLE) !== 0;
  }

  /** Ticks per counted (prescaled) cycle. */
  get periodTicks(): number {
    return this.apbTicks * prescaleOf(this.ctrl);
  }

  /** Whole prescaled cycles since the last rebase. */
  protected elapsedCycles(): number {
    return this.enabled ? Math.floor((this.clock.now - this.baseTick) / this.periodTicks) : 0;
  }

  readCtrl(): number {
    return this.ctrl | (this.intStatus ? FRC_CTRL_INT_STATUS : 0);
  }

  writeCtrl(value: number): void {
    const count = this.count();
    const phase = this.currentCycleStart();
    this.ctrl = value & FRC_CTRL_WRITABLE;
    this.baseCount = count;
    this.baseTick = phase;
    this.schedule();
    if (!(this.ctrl & FRC_CTRL_INT_LEVEL)) this.irq.set(false);
  }

  /**
   * Tick at which the current prescaled cycle began: rebasing there instead of at `now` keeps the
   * counter's phase, so register writes do not make it lose time.
   */
  protected currentCycleStart(): number {
    if (!this.enabled) return this.clock.now;
    return this.baseTick + this.elapsedCycles() * this.periodTicks;
  }

  clearInterrupt(): void {
    this.intStatus = false;
    this.irq.set(false);
  }

  setApbTicks(ticks: number): void {
    const count = this.count();
    const phase = this.currentCycleStart();
    this.apbTicks = ticks;
    this.baseCount = count;
    this.baseTick = phase;
    this.schedule();
  }

  reset(): void {
    this.ctrl = 0;
    this.intStatus = false;
    this.irq.set(false);
    this.baseCount = 0;
    this.baseTick = this.clock.now;
    this.alarm.cancel();
  }

  saveState(): SavedState {
    return {
      ctrl: this.ctrl,
      intStatus: this.intStatus,
      baseCount: this.baseCount,
      baseTick: this.baseTick,
      apbTicks: this.apbTicks,
    };
  }

  restoreState(s: StateReader): void {
    this.ctrl = s.u32('ctrl');
    this.intStatus = s.boolean('intStatus');
    this.baseCount = s.number('baseCount');
    this.baseTick = s.number('baseTick');
    this.apbTicks = s.number('apbTicks');
  }

  protected raise(): void {
    this.intStatus = true;
    if (this.ctrl & FRC_CTRL_INT_LEVEL) this.irq.set(true);
    else this.irq.pulse();
  }

  /** Restart counting from `count` now, and schedule the next event. */
  protected rebase(count: number): void {
    this.baseCount = count;
    this.baseTick = this.clock.now;
    this.schedule();
  }

  abstract count(): number;
  protected abstract schedule(): void;
  protected abstract onEvent(): void;
}

class Frc1 extends FrcTimer {
  load = 0;

  /** What the count restarts from after reaching 0. */
  private get reloadValue(): number {
    if (this.ctrl & FRC_CTRL_AUTO_RELOAD) return this.load === 0 ? FRC1_MAX + 1 : this.load;
    return FRC1_MAX;
  }

  count(): number {
    const n = this.elapsedCycles();
    if (n < this.baseCount) return (this.baseCount - n) & FRC1_MAX;
    // Read after the zero crossing but before the alarm ran (the CPU overshoots by an instruction).
    const r = this.reloadValue;
    return (r - ((n - this.baseCount) % r)) & FRC1_MAX;
  }

  writeLoad(value: number): void {
    this.load = value & FRC1_MAX;
    // A count of 0 is not a step into 0: the next one is a full wrap away.
    this.rebase(this.load === 0 ? FRC1_MAX + 1 : this.load);
  }

  protected schedule(): void {
    if (!this.enabled) {
      this.alarm.cancel();
      return;
    }
    this.alarm.scheduleAt(this.baseTick + this.baseCount * this.periodTicks);
  }

  protected onEvent(): void {
    const zeroAt = this.baseTick + this.baseCount * this.periodTicks;
    this.baseTick = zeroAt;
    this.baseCount = this.reloadValue;
    this.schedule();
    this.raise();
  }

  override reset(): void {
    super.reset();
    this.load = 0;
  }

  override saveState(): SavedState {
    return { ...super.saveState(), load: this.load };
  }

  override restoreState(s: StateReader): void {
    super.restoreState(s);
    this.load = s.u32('load');
  }
}

class Frc2 extends FrcTimer {
  alarmValue = 0;
  /** Cycles from the base to the scheduled ALARM match. */
  private matchCycles = 0;

  count(): number {
    return (this.baseCount + this.elapsedCycles()) % TWO_POW_32;
  }

  writeLoad(value: number): void {
    this.rebase(value >>> 0);
  }

  writeAlarm(value: number): void {
    this.alarmValue = value >>> 0;
    this.schedule();
  }

  protected schedule(): void {
    if (!this.enabled) {
      this.alarm.cancel();
      return;
    }
    // The next cycle (strictly after the current count) at which the count equals ALARM; an ALARM
    // already passed waits for the counter to wrap, as on the chip.
    const n = this.elapsedCycles();
    const current = (this.baseCount + n) % TWO_POW_32;
    const distance = (this.alarmValue - current) >>> 0 || TWO_POW_32;
    this.matchCycles = n + distance;
    this.alarm.scheduleAt(this.baseTick + this.matchCycles * this.periodTicks);
  }

  protected onEvent(): void {
    // Rebase at the match so the counter stays exact over long runs.
    this.baseTick += this.matchCycles * this.periodTicks;
    this.baseCount = this.alarmValue;
    this.schedule();
    this.raise();
  }

  override reset(): void {
    super.reset();
    this.alarmValue = 0;
  }

  override saveState(): SavedState {
    return { ...super.saveState(), alarmValue: this.alarmValue, matchCycles: this.matchCycles };
  }

  override restoreState(s: StateReader): void {
    super.restoreState(s);
    this.alarmValue = s.u32('alarmValue');
    this.matchCycles = s.number('matchCycles');
  }
}

export class FrcTimers extends Peripheral {
  private readonly frc1: Frc1;
  private readonly frc2: Frc2;
  private apb = APB_HZ;

  constructor(clock: SimClock, frc1Irq: IrqLine, frc2Irq: IrqLine, apbHz = APB_HZ) {
    super('FRC');
    this.apb = apbHz;
    const apbTicks = TICKS_PER_SECOND / apbHz;
    this.frc1 = new Frc1(clock, frc1Irq, apbTicks, 'FRC1');
    this.frc2 = new Frc2(clock, frc2Irq, apbTicks, 'FRC2');
  }

  get apbHz(): number {
    return this.apb;
  }
  set apbHz(hz: number) {
    if (hz === this.apb) return;
    this.apb = hz;
    this.frc1.setApbTicks(TICKS_PER_SECOND / hz);
    this.frc2.setApbTicks(TICKS_PER_SECOND / hz);
  }

  read(offset: number): number {
    switch (offset) {
      case FRC1_LOAD:
        return this.frc1.load;
      case FRC1_COUNT:
        return this.frc1.count();
      case FRC1_CTRL:
        return this.frc1.readCtrl();
      case FRC2_LOAD:
        return 0;
      case FRC2_COUNT:
        return this.frc2.count();
      case FRC2_CTRL:
        return this.frc2.readCtrl();
      case FRC2_ALARM:
        return this.frc2.alarmValue;
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case FRC1_LOAD:
        this.frc1.writeLoad(value);
        return;
      case FRC1_CTRL:
        this.frc1.writeCtrl(value);
        return;
      case FRC1_INT:
        this.frc1.clearInterrupt();
        return;
      case FRC2_LOAD:
        this.frc2.writeLoad(value);
        return;
      case FRC2_CTRL:
        this.frc2.writeCtrl(value);
        return;
      case FRC2_INT:
        this.frc2.clearInterrupt();
        return;
      case FRC2_ALARM:
        this.frc2.writeAlarm(value);
        return;
    }
  }

  override reset(): void {
    this.frc1.reset();
    this.frc2.reset();
  }

  /** Both counters' bases (their alarms are the clock's). */
  override saveState(): SavedState {
    return { apbHz: this.apb, frc1: this.frc1.saveState(), frc2: this.frc2.saveState() };
  }

  override restoreState(s: StateReader): void {
    this.apb = s.number('apbHz');
    this.frc1.restoreState(s.child('frc1'));
    this.frc2.restoreState(s.child('frc2'));
  }
}
