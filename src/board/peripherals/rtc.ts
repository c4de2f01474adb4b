/**
 * ESP8266 RTC block (0x60000700): reset cause, software reset, the slow-clock counter, the sleep
 * timer and deep sleep, RTC interrupts (CPU INT 3), scratch registers and GPIO16.
 *
 *   const rtc = new Rtc(clock, router.levelLine(CpuIrq.RTC));
 *   rtc.powerOn();                       // power-on: clears the RTC domain, cause 1
 *   rtc.setResetCause(RTC_RESET_CAUSE_WDT);   // the SoC, on each reset, before the ROM runs
 *   rtc.onSoftwareReset = () => …;       // firmware set RTC_CTRL0 bit 31
 *   rtc.onDeepSleep = () => …;           // firmware entered deep sleep: stop the CPU
 *   rtc.onDeepSleepTimer = () => …;      // the sleep timer expired: on boards with GPIO16 wired
 *                                        // to RST, reset with RTC_RESET_CAUSE_DEEP_SLEEP
 *   rtc.gpio16                           // GPIO16's pad (gpio16.ts)
 *
 * The RTC domain survives chip resets (that is how the ROM learns the cause), so `reset()` only
 * drops the software-reset request and the interrupt enables; `powerOn()` clears everything.
 * A reset through the RST pin (`pinReset()`: the button, or GPIO16 pulling RST at a deep-sleep
 * wake) restarts the counter from zero (seed guide §3.2.10: "external reset: the register of the
 * RTC timer counts from zero"; watchdog and system_restart leave it alone) and clears the scratch
 * registers STORE0–3. The SDK keeps its reset reason in STORE0 (libmain writes 1 WDT, 2 exception,
 * 4 restart, 5 deep sleep before the reset and never clears it; at start-up STORE0 = 0 sends it to
 * the ROM's cause instead, where cause 2 with a deep-sleep rst_info in RTC memory still counts as a
 * wake: NONOS 2.2 / RTOS 1.5 libmain `user_start`, own disassembly). That branch only makes sense
 * if the pin reset clears STORE0 while RTC memory survives, which is what we model; that the other
 * three scratch words clear with it is our assumption.
 *
 * Counter: RTC_COUNTER counts the slow clock at RTC_SLOW_CLOCK_HZ (150 kHz, time-bases.ts) from
 * power-on, computed from the simulated clock. RTC_SLP_VAL is the target the sleep timer compares
 * against; at the match the timer interrupt status (bit 0) is set, which light sleep polls.
 * Deep sleep is entered by the write the SDK's deep-sleep sequence ends with (NONOS 2.2 libmain
 * `system_deep_sleep_local_2`, own disassembly; esp-open-rtos `_deep_sleep_phase2` re-creates it):
 * 0x08 = bit 20, after RTC_SLP_VAL and the wake sources at 0x18 (8 = the timer; 0 = none, so the
 * timer then does not wake the chip). The same sequence writes 0x08 = bit 20 once earlier while
 * CTRL0[5:4] are set (CTRL0 |= 0x30), waits 200 µs, clears them and carries on running, so only a
 * write with CTRL0[5:4] clear puts the chip to sleep (an inference from that code, not documentation).
 *
 * Light sleep is the same command written while CTRL0[5:4] are set: RTOS SDK 1.5 `pm_goto_sleep`
 * (own disassembly) sets CTRL0 = 0x800050, the wake sources at 0x18 (8 timer, 4 GPIO), clears the
 * interrupt status, ORs bit 20 into 0x08, then polls 0x28 [1:0] for the wake and writes
 * CTRL0 = 0x1000000. On a chip the clocks stop in between; here the CPU goes on polling, and
 * `onLightSleep` tells the SoC, which pauses the watchdog (it would otherwise reset a chip that
 * sleeps longer than its 8 s: seed 3.4.2 `wifi_fpm_do_sleep(0xFFFFFFFF)` until a GPIO level). The
 * start-up's analog reset and the deep-sleep sequence's first write take the same path for a few
 * milliseconds.
 *
 * Facts: esp8266-hw.md §5.7, §7.5, §9; rom-internals §4.5 (causes; software_reset sets bit 31).
 */

import { TICKS_PER_SECOND, type Alarm, type SimClock } from '../clock';
import { Gpio16 } from './gpio16';
import { Peripheral, type IrqLine } from './peripheral';
import { RTC_SLOW_CLOCK_HZ } from './time-bases';
import type { SavedState, StateReader } from '../snapshot/state';

export const RTC_CTRL0 = 0x00;
export const RTC_SLP_VAL = 0x04;
export const RTC_SLP_CTRL = 0x08;
export const RTC_RESET_CAUSE = 0x14;
export const RTC_WAKEUP_CAUSE = 0x18;
export const RTC_COUNTER = 0x1c;
export const RTC_INT_ST = 0x20;
export const RTC_INT_CLR = 0x24;
export const RTC_INT_ENA = 0x28;
export const RTC_STORE0 = 0x30;
export const RTC_STORE1 = 0x34;
export const RTC_STORE2 = 0x38;
export const RTC_STORE3 = 0x3c;
export const RTC_GPIO_OUT = 0x68;
export const RTC_GPIO_ENABLE = 0x74;
export const RTC_GPIO_IN_DATA = 0x8c;
export const RTC_GPIO_CONF = 0x90;
export const PAD_XPD_DCDC_CONF = 0xa0;

export const RTC_CTRL0_SW_RESET = 1 << 31;
/** Set during the first half of the SDK's deep-sleep sequence; sleep happens with them clear. */
export const RTC_CTRL0_SLEEP_HOLD = 0x30;
/**
 * RTC_SLP_CTRL bit 20 starts the sleep when written with CTRL0[5:4] clear, and reads back as 0:
 * a command bit. RTOS SDK 1.5's start-up (`sleep_reset_analog_rtcreg_8266`,
 * `change_bbpll160_sleep`, own disassembly) writes 0x08 = bit 20 under CTRL0[5:4] and never clears
 * it, and later read-modify-writes of 0x08 — its own copy of rtc_get_reset_reason, and the ROM's
 * after `system_restart` jumps to the reset vector with CTRL0[5:4] clear — would otherwise write
 * it back and put a chip that only restarts into deep sleep (a watchdog reset 8 s later instead
 * of the restart). Every deep-sleep sequence we know writes the bit afresh as its last step.
 */
export const RTC_SLP_CTRL_DEEP_SLEEP = 1 << 20;
/** Cleared by every ROM rtc_get_reset_reason call. */
export const RTC_SLP_CTRL_BIT21 = 1 << 21;
/**
 * RTC_WAKEUP_CAUSE: the SDK writes the wake sources it enables into [3:0] (8 = the sleep timer; 0
 * when sleeping "forever"), and the ROM reads the source that woke the chip from [13:8] (8 → a
 * deep-sleep wake). We latch the timer bit into [13:8] when the timer wakes the chip; firmware
 * writes leave [13:8] alone (the SDK rewrites the enables after a wake, and a later software
 * restart must still show cause 5 to the ROM: with [13:8] cleared rtc_get_reset_reason returns 0
 * and the ROM panics with "unknown reset"). The latch clears at power-on and at a pin reset that
 * is not a wake.
 */
export const RTC_WAKEUP_ENABLE_TIMER = 1 << 3;
export const RTC_WAKEUP_SUBCAUSE_SHIFT = 8; // RTC_WAKEUP_CAUSE [13:8]
const RTC_WAKEUP_SUBCAUSE_MASK = 0x3f << RTC_WAKEUP_SUBCAUSE_SHIFT;
export const RTC_INT_SLEEP_TIMER = 1 << 0;
/**
 * Light-sleep wake by a GPIO level: the SDK's pm_goto_sleep polls 0x28 [1:0] after gpio_pin_wakeup_
 * enable (RTOS SDK 1.5 libpp, own disassembly). Bit 1 for the GPIO is our reading of that
 * [1:0] test; it shows while the level holds (the `gpioWake` seam) and raises no interrupt.
 */
export const RTC_INT_GPIO_WAKE = 1 << 1;

/** Hardware reset causes in RTC_RESET_CAUSE [3:0] (the ROM prints them as "rst cause:N"). */
export const RTC_RESET_CAUSE_POWER_ON = 1;
export const RTC_RESET_CAUSE_EXTERNAL = 2;
/** What RTC_CTRL0 bit 31 reports is unverified (rom-internals §4.5); 3 per esp8266-hw.md §7.5. */
export const RTC_RESET_CAUSE_SOFTWARE = 3;
export const RTC_RESET_CAUSE_WDT = 4;
export const RTC_RESET_CAUSE_DEEP_SLEEP = 5;

const TWO_POW_32 = 0x1_0000_0000;

export class Rtc extends Peripheral {
  onSoftwareReset: (() => void) | null = null;
  onDeepSleep: (() => void) | null = null;
  /** Light sleep began (true) or ended (false): the SoC stops the clocks that stop on a chip. */
  onLightSleep: ((asleep: boolean) => void) | null = null;
  onDeepSleepTimer: (() => void) | null = null;
  /** The SoC's GPIO block: is a wake-up level met now (gpio.ts wakeupLevelMet)? */
  gpioWake: (() => boolean) | null = null;

  readonly gpio16 = new Gpio16();

  private readonly words = new Uint32Array(64);
  private intStatus = 0;
  private intEnable = 0;
  /** Clock tick at which the counter read 0. */
  private counterOrigin = 0;
  private readonly ticksPerRtcCycle: number;
  private readonly sleepTimer: Alarm;
  private inDeepSleep = false;
  private inLightSleep = false;

  constructor(
    private readonly clock: SimClock,
    private readonly irq: IrqLine,
    rtcHz = RTC_SLOW_CLOCK_HZ,
  ) {
    super('RTC');
    this.ticksPerRtcCycle = TICKS_PER_SECOND / rtcHz;
    this.sleepTimer = clock.createAlarm(() => this.sleepTimerExpired(), 'RTC sleep timer');
    this.powerOn();
  }

  /** RTC_COUNTER now (32 bits, wrapping). */
  get counter(): number {
    return Math.floor((this.clock.now - this.counterOrigin) / this.ticksPerRtcCycle) % TWO_POW_32;
  }

  get deepSleeping(): boolean {
    return this.inDeepSleep;
  }

  /** All but the free-running counter (the sleep timer's status is set by an alarm). */
  override readIsStable(offset: number): boolean {
    return offset !== RTC_COUNTER;
  }

  read(offset: number): number {
    switch (offset) {
      case RTC_COUNTER:
        return this.counter;
      case RTC_INT_ST:
        return this.intStatus | this.gpioWakeStatus();
      case RTC_INT_CLR:
        return 0;
      case RTC_INT_ENA:
        // The SDK's light-sleep code polls this word for the timer: show the status here too
        // (esp8266-hw.md §9 calls 0x60000728 the status; the register table says enable).
        return this.intEnable | this.intStatus | this.gpioWakeStatus();
      case RTC_GPIO_OUT:
        return this.gpio16.out;
      case RTC_GPIO_ENABLE:
        return this.gpio16.enable;
      case RTC_GPIO_IN_DATA:
        return this.gpio16.level;
      case RTC_GPIO_CONF:
        return this.gpio16.conf;
      case PAD_XPD_DCDC_CONF:
        return this.gpio16.pad;
      default:
        return this.words[(offset >>> 2) & 63];
    }
  }

  write(offset: number, value: number): void {
    value >>>= 0;
    switch (offset) {
      case RTC_CTRL0:
        this.words[0] = value;
        if (value & RTC_CTRL0_SW_RESET) this.onSoftwareReset?.();
        if (this.inLightSleep && !(value & RTC_CTRL0_SLEEP_HOLD)) this.setLightSleep(false);
        return;
      case RTC_SLP_VAL:
        this.words[RTC_SLP_VAL >>> 2] = value;
        this.scheduleSleepTimer();
        return;
      case RTC_SLP_CTRL:
        // Bit 20 is a command, not a setting: it never reads back (see RTC_SLP_CTRL_DEEP_SLEEP).
        this.words[RTC_SLP_CTRL >>> 2] = value & ~RTC_SLP_CTRL_DEEP_SLEEP;
        if (value & RTC_SLP_CTRL_DEEP_SLEEP) {
          if (!(this.words[0] & RTC_CTRL0_SLEEP_HOLD)) this.enterDeepSleep();
          else this.setLightSleep(true);
        }
        return;
      case RTC_WAKEUP_CAUSE: {
        const i = RTC_WAKEUP_CAUSE >>> 2;
        this.words[i] =
          ((value & ~RTC_WAKEUP_SUBCAUSE_MASK) | (this.words[i] & RTC_WAKEUP_SUBCAUSE_MASK)) >>> 0;
        return;
      }
      case RTC_COUNTER:
        return;
      case RTC_INT_ST:
        return;
      case RTC_INT_CLR:
        this.intStatus &= ~value;
        this.updateInterrupt();
        return;
      case RTC_INT_ENA:
        this.intEnable = value;
        this.updateInterrupt();
        return;
      case RTC_GPIO_OUT:
        this.gpio16.out = value;
        this.gpio16.refresh();
        return;
      case RTC_GPIO_ENABLE:
        this.gpio16.enable = value;
        this.gpio16.refresh();
        return;
      case RTC_GPIO_IN_DATA:
        return;
      case RTC_GPIO_CONF:
        this.gpio16.conf = value;
        return;
      case PAD_XPD_DCDC_CONF:
        this.gpio16.pad = value;
        this.gpio16.refresh();
        return;
      default:
        this.words[(offset >>> 2) & 63] = value;
    }
  }

  /** Chip reset: the RTC domain keeps its state; only requests and interrupt enables drop. */
  override reset(): void {
    this.words[0] &= ~RTC_CTRL0_SW_RESET;
    this.words[RTC_SLP_CTRL >>> 2] &= ~RTC_SLP_CTRL_DEEP_SLEEP;
    this.inDeepSleep = false;
    this.inLightSleep = false;
    this.intEnable = 0;
    this.intStatus = 0;
    this.updateInterrupt();
  }

  /**
   * The RST pin went low (button, or GPIO16 at a deep-sleep wake; `wake` says which): the counter
   * restarts from zero and STORE0–3 clear; RTC memory (a separate block) and the rest stay. A
   * reset that is not a wake drops the latched wake source.
   */
  pinReset(wake: boolean): void {
    this.counterOrigin = this.clock.now;
    for (const store of [RTC_STORE0, RTC_STORE1, RTC_STORE2, RTC_STORE3])
      this.words[store >>> 2] = 0;
    if (!wake) this.words[RTC_WAKEUP_CAUSE >>> 2] &= ~RTC_WAKEUP_SUBCAUSE_MASK;
    if (this.sleepTimer.scheduled) this.scheduleSleepTimer();
  }

  /** Power-on: every RTC register clears, the counter restarts, the cause reads 1. */
  powerOn(): void {
    this.words.fill(0);
    this.intEnable = 0;
    this.intStatus = 0;
    this.inDeepSleep = false;
    this.inLightSleep = false;
    this.counterOrigin = this.clock.now;
    this.sleepTimer.cancel();
    this.gpio16.powerOn();
    this.setResetCause(RTC_RESET_CAUSE_POWER_ON);
    this.updateInterrupt();
  }

  /** The SoC records why the chip (re)started; the ROM reads RTC_RESET_CAUSE [3:0]. */
  setResetCause(cause: number): void {
    const i = RTC_RESET_CAUSE >>> 2;
    this.words[i] = ((this.words[i] & ~0xf) | (cause & 0xf)) >>> 0;
  }

  get resetCause(): number {
    return this.words[RTC_RESET_CAUSE >>> 2] & 0xf;
  }

  /** The RTC domain, GPIO16 included (the sleep timer's alarm is the clock's). */
  override saveState(): SavedState {
    return {
      words: this.words.slice(),
      intStatus: this.intStatus,
      intEnable: this.intEnable,
      counterOrigin: this.counterOrigin,
      inDeepSleep: this.inDeepSleep,
      inLightSleep: this.inLightSleep,
      gpio16: this.gpio16.saveState(),
    };
  }

  override restoreState(s: StateReader): void {
    s.array('words', this.words);
    this.intStatus = s.u32('intStatus');
    this.intEnable = s.u32('intEnable');
    this.counterOrigin = s.number('counterOrigin');
    this.inDeepSleep = s.boolean('inDeepSleep');
    this.inLightSleep = s.has('inLightSleep') ? s.boolean('inLightSleep') : false;
    this.gpio16.restoreState(s.child('gpio16'));
  }

  private scheduleSleepTimer(): void {
    const target = this.words[RTC_SLP_VAL >>> 2];
    // Cycles from now until the counter equals the target; a target already passed waits a wrap.
    const elapsed = (this.clock.now - this.counterOrigin) / this.ticksPerRtcCycle;
    const current = Math.floor(elapsed);
    const distance = (target - (current % TWO_POW_32)) >>> 0 || TWO_POW_32;
    this.sleepTimer.scheduleAt(
      this.counterOrigin + Math.ceil((current + distance) * this.ticksPerRtcCycle),
    );
  }

  private sleepTimerExpired(): void {
    this.intStatus |= RTC_INT_SLEEP_TIMER;
    this.updateInterrupt();
    if (!this.inDeepSleep) return;
    const i = RTC_WAKEUP_CAUSE >>> 2;
    if (!(this.words[i] & RTC_WAKEUP_ENABLE_TIMER)) return;
    // Latch the wake source where the ROM's rtc_get_reset_reason looks ([13:8] = 8 → cause 5).
    this.words[i] =
      ((this.words[i] & ~RTC_WAKEUP_SUBCAUSE_MASK) |
        (RTC_WAKEUP_ENABLE_TIMER << RTC_WAKEUP_SUBCAUSE_SHIFT)) >>>
      0;
    this.onDeepSleepTimer?.();
  }

  /** True between a light-sleep command and the CTRL0 write that releases CTRL0[5:4]. */
  get lightSleeping(): boolean {
    return this.inLightSleep;
  }

  private setLightSleep(asleep: boolean): void {
    if (asleep === this.inLightSleep) return;
    this.inLightSleep = asleep;
    this.onLightSleep?.(asleep);
  }

  private enterDeepSleep(): void {
    this.inDeepSleep = true;
    this.onDeepSleep?.();
  }

  private gpioWakeStatus(): number {
    return this.gpioWake?.() ? RTC_INT_GPIO_WAKE : 0;
  }

  private updateInterrupt(): void {
    this.irq.set((this.intStatus & this.intEnable) !== 0);
  }
}
