/**
 * ESP8266 hardware watchdog (0x60000900).
 *
 *   const wdt = new Watchdog(clock, router.edgeLine(EdgeIrqSource.WDT));
 *   wdt.onReset = () => …;   // the final stage expired: the SoC resets with cause 4 ("wdt reset")
 *
 * WDT_CTL: bit 0 enable, [2:1] response mode (0 = interrupt, then reset), [5:3] reset pulse length
 * (firmware writes 7); only the enable bit changes the model. Stage 1 lasts per WDT_OP, then
 * raises its interrupt (CPU INT 8 through DPORT EDGE_INT_ENABLE bit 0); stage 2 lasts per
 * WDT_OP_ND, then resets the chip. Writing 0x73 to WDT_RST feeds it: back to the start of stage 1.
 *
 * Stage lengths: a 4-bit exponent n gives 2^n × 0.8 ms. That is Espressif's own comment in
 * ESP8266_RTOS_SDK components/esp8266/source/task_wdt.c ("2^n * 0.8ms, mask 0xf, n = 13 ->
 * 6.5536", "n = 11 -> 1.6384"). NONOS libmain `wdt_init` writes WDT_OP = 11, WDT_OP_ND = 13, so a
 * program that stops feeding gets the stage-1 interrupt 1.6384 s and the reset 8.192 s after the
 * last feed (the widely measured "8.2 s hardware watchdog"). NONOS feeds it from a task its soft
 * watchdog posts every 1.6 s (SDK 2.x) or 3 s (3.x) off Wi-Fi MAC timer 1: docs/watchdog.md.
 */

import type { Alarm, SimClock } from '../clock';
import { TICKS_PER_MICROSECOND } from '../clock';
import { Peripheral, type IrqLine } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

export const WDT_CTL = 0x00;
export const WDT_OP = 0x04;
export const WDT_OP_ND = 0x08;
export const WDT_STATE = 0x10;
export const WDT_RST = 0x14;
export const WDT_STAGE2_RST = 0x18;

export const WDT_CTL_EN = 1 << 0;
export const WDT_FEED_VALUE = 0x73;

/** Duration of one unit of a stage's 2^n length. */
export const WDT_UNIT_TICKS = 800 * TICKS_PER_MICROSECOND;

/** WDT_OP / WDT_OP_ND hold a 4-bit exponent. */
export const WDT_EXPONENT_MASK = 0xf;

/** Ticks a stage with exponent `n` lasts. */
export function wdtStageTicks(exponent: number): number {
  // A shift, not `2 **`: firmware re-arms the stage on every feed (MicroPython's idle loop feeds
  // about once per microsecond), and V8's pow took a tenth of that loop's run time.
  return (1 << (exponent & WDT_EXPONENT_MASK)) * WDT_UNIT_TICKS;
}

export class Watchdog extends Peripheral {
  /** Stage 2 expired without a feed: the chip resets (cause 4). */
  onReset: (() => void) | null = null;

  private ctl = 0;
  private op = 0;
  private opNd = 0;
  /** 0 idle, 1 in stage 1, 2 in stage 2. */
  private stage = 0;
  private readonly timer: Alarm;
  /** While paused (light sleep): the ticks the current stage still had, else null. */
  private pausedTicks: number | null = null;

  constructor(
    private readonly clock: SimClock,
    private readonly irq: IrqLine,
  ) {
    super('WDT');
    this.timer = clock.createAlarm(() => this.stageExpired(), 'WDT');
  }

  get enabled(): boolean {
    return (this.ctl & WDT_CTL_EN) !== 0;
  }

  /** Current stage: 0 off, 1 before the interrupt, 2 before the reset. */
  get currentStage(): number {
    return this.stage;
  }

  read(offset: number): number {
    switch (offset) {
      case WDT_CTL:
        return this.ctl;
      case WDT_OP:
        return this.op;
      case WDT_OP_ND:
        return this.opNd;
      case WDT_STATE:
        return this.stage;
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case WDT_CTL: {
        const wasEnabled = this.enabled;
        this.ctl = value;
        if (this.enabled && !wasEnabled) this.startStage1();
        else if (!this.enabled) this.stop();
        return;
      }
      case WDT_OP:
        this.op = value & WDT_EXPONENT_MASK;
        return;
      case WDT_OP_ND:
        this.opNd = value & WDT_EXPONENT_MASK;
        return;
      case WDT_RST:
        if (value === WDT_FEED_VALUE && this.enabled) this.startStage1();
        return;
      case WDT_STAGE2_RST:
        // Feeds only the final stage: the reset is pushed back, the stage-1 interrupt has happened.
        if (value === WDT_FEED_VALUE && this.enabled && this.stage === 2) {
          this.arm(wdtStageTicks(this.opNd));
        }
        return;
    }
  }

  /**
   * Light sleep (rtc.ts): the chip's clocks stop, and with them the count; the stage goes on
   * where it was when the chip wakes. While paused a feed restarts the stage without running it.
   */
  setPaused(paused: boolean): void {
    if (paused === (this.pausedTicks !== null)) return;
    if (paused) {
      this.pausedTicks = this.timer.scheduled ? this.timer.at - this.clock.now : 0;
      this.timer.cancel();
      return;
    }
    const ticks = this.pausedTicks!;
    this.pausedTicks = null;
    if (this.stage !== 0) this.timer.scheduleIn(ticks);
  }

  get paused(): boolean {
    return this.pausedTicks !== null;
  }

  override reset(): void {
    this.ctl = 0;
    this.op = 0;
    this.opNd = 0;
    this.pausedTicks = null;
    this.stop();
  }

  /** Registers and the stage (the stage's deadline is the clock's "WDT" alarm). */
  override saveState(): SavedState {
    return {
      ctl: this.ctl,
      op: this.op,
      opNd: this.opNd,
      stage: this.stage,
      pausedTicks: this.pausedTicks ?? -1,
    };
  }

  override restoreState(s: StateReader): void {
    this.ctl = s.u32('ctl');
    this.op = s.u32('op');
    this.opNd = s.u32('opNd');
    this.stage = s.int('stage');
    // Snapshots from before light sleep paused the count were never taken paused.
    const paused = s.has('pausedTicks') ? s.number('pausedTicks') : -1;
    this.pausedTicks = paused >= 0 ? paused : null;
  }

  private arm(ticks: number): void {
    if (this.pausedTicks !== null) this.pausedTicks = ticks;
    else this.timer.scheduleIn(ticks);
  }

  private startStage1(): void {
    this.stage = 1;
    this.arm(wdtStageTicks(this.op));
  }

  private stop(): void {
    this.stage = 0;
    this.timer.cancel();
    if (this.pausedTicks !== null) this.pausedTicks = 0;
  }

  private stageExpired(): void {
    if (this.stage === 1) {
      this.stage = 2;
      this.arm(wdtStageTicks(this.opNd));
      this.irq.pulse();
      return;
    }
    this.stop();
    this.onReset?.();
  }
}
