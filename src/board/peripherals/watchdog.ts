/**
 * ESP8266 hardware watchdog (0x60000900).
 *
 *   const wdt = new Watchdog(clock, router.edgeLine(EdgeIrqSource.WDT));
 *   wdt.onReset = () => …;   // the final stage expired: the SoC resets with cause 4 ("wdt reset")
 *
 * Enabled by WDT_CTL bit 0. Stage 1 lasts per WDT_OP, then raises its interrupt (CPU INT 8 through
 * DPORT EDGE_INT_ENABLE bit 0: the NONOS soft watchdog runs from it); stage 2 lasts per WDT_OP_ND,
 * then resets the chip. Writing 0x73 to WDT_RST feeds it: back to the start of stage 1.
 *
 * NONOS 2.2 `wdt_init` (own disassembly of libmain) writes WDT_OP = 11, WDT_OP_ND = 13, sets
 * WDT_CTL to 0x38, clears bits 1–2 and sets bit 0, enables DPORT edge bit 0 and unmasks INT 8.
 *
 * Stage lengths: the registers hold exponents (the ROM maps its modes 3/6/12 to 11/12/13). The
 * chip's watchdog clock is not documented; we take a stage with exponent n to last
 * 2^n × 800 µs, so the settings firmware uses (11 then 13) give 1.64 s + 6.55 s ≈ 8.2 s from the
 * last feed to the reset — the ~8 s hardware-watchdog reset widely reported for ESP8266 sketches
 * that stop feeding (esp8266-hw.md §5.8 and §10 list the exact durations as unverified).
 */

import type { Alarm, SimClock } from '../clock';
import { TICKS_PER_MICROSECOND } from '../clock';
import { Peripheral, type IrqLine } from './peripheral';

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

/** Ticks a stage with exponent `n` lasts. */
export function wdtStageTicks(exponent: number): number {
  return 2 ** (exponent & 0x1f) * WDT_UNIT_TICKS;
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

  constructor(
    clock: SimClock,
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
        this.op = value & 0x1f;
        return;
      case WDT_OP_ND:
        this.opNd = value & 0x1f;
        return;
      case WDT_RST:
        if (value === WDT_FEED_VALUE && this.enabled) this.startStage1();
        return;
      case WDT_STAGE2_RST:
        // Feeds only the final stage: the reset is pushed back, the stage-1 interrupt has happened.
        if (value === WDT_FEED_VALUE && this.enabled && this.stage === 2) {
          this.timer.scheduleIn(wdtStageTicks(this.opNd));
        }
        return;
    }
  }

  override reset(): void {
    this.ctl = 0;
    this.op = 0;
    this.opNd = 0;
    this.stop();
  }

  private startStage1(): void {
    this.stage = 1;
    this.timer.scheduleIn(wdtStageTicks(this.op));
  }

  private stop(): void {
    this.stage = 0;
    this.timer.cancel();
  }

  private stageExpired(): void {
    if (this.stage === 1) {
      this.stage = 2;
      this.timer.scheduleIn(wdtStageTicks(this.opNd));
      this.irq.pulse();
      return;
    }
    this.stop();
    this.onReset?.();
  }
}
