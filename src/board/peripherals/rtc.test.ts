import { describe, expect, it } from 'vitest';
import {
  Rtc,
  PAD_XPD_DCDC_CONF,
  RTC_COUNTER,
  RTC_CTRL0,
  RTC_GPIO_ENABLE,
  RTC_GPIO_IN_DATA,
  RTC_GPIO_OUT,
  RTC_INT_CLR,
  RTC_INT_ENA,
  RTC_INT_ST,
  RTC_RESET_CAUSE,
  RTC_RESET_CAUSE_WDT,
  RTC_SLP_CTRL,
  RTC_SLP_VAL,
  RTC_STORE0,
  RTC_STORE1,
  RTC_STORE2,
  RTC_STORE3,
  RTC_WAKEUP_CAUSE,
} from './rtc';
import { RtcMemory } from './rtc-memory';
import { RecordingLine, TestClock } from './testing';

function setup() {
  const t = new TestClock();
  const irq = new RecordingLine();
  const rtc = new Rtc(t.clock, irq);
  return { t, irq, rtc };
}

describe('RTC reset cause', () => {
  it('reads 1 after power-on and what the SoC sets on later resets; scratch survives resets', () => {
    const { rtc } = setup();
    expect(rtc.read(RTC_RESET_CAUSE) & 0xf).toBe(1);
    rtc.write(RTC_STORE0, 0xdeadbeef);
    rtc.reset();
    rtc.setResetCause(RTC_RESET_CAUSE_WDT);
    expect(rtc.read(RTC_RESET_CAUSE) & 0xf).toBe(4);
    expect(rtc.read(RTC_STORE0)).toBe(0xdeadbeef);
    rtc.powerOn();
    expect(rtc.read(RTC_STORE0)).toBe(0);
    expect(rtc.resetCause).toBe(1);
  });

  it('software_reset (CTRL0 bit 31, other bits kept) asks the SoC to reset', () => {
    const { rtc } = setup();
    let resets = 0;
    rtc.onSoftwareReset = () => resets++;
    rtc.write(RTC_CTRL0, 0x12);
    expect(resets).toBe(0);
    rtc.write(RTC_CTRL0, rtc.read(RTC_CTRL0) | 0x80000000);
    expect(resets).toBe(1);
  });
});

describe('RTC counter and sleep timer', () => {
  it('counts the 150 kHz slow clock from power-on', () => {
    const { t, rtc } = setup();
    t.advanceMicros(1000);
    expect(rtc.read(RTC_COUNTER)).toBe(150);
    t.advanceMicros(1_000_000);
    expect(rtc.read(RTC_COUNTER)).toBe(150_150);
  });

  it('sets the timer status at RTC_SLP_VAL and interrupts when enabled', () => {
    const { t, rtc, irq } = setup();
    rtc.write(RTC_INT_ENA, 1);
    rtc.write(RTC_SLP_VAL, rtc.read(RTC_COUNTER) + 300); // 2 ms
    t.advanceMicros(1990);
    expect(rtc.read(RTC_INT_ST)).toBe(0);
    t.advanceMicros(20);
    expect(rtc.read(RTC_INT_ST)).toBe(1);
    expect(irq.level).toBe(true);
    rtc.write(RTC_INT_CLR, 1);
    expect(irq.level).toBe(false);
  });

  it('deep sleep with a timer wakes the chip when the counter reaches the target', () => {
    const { t, rtc } = setup();
    const events: string[] = [];
    rtc.onDeepSleep = () => events.push(`sleep@${Math.round(t.clock.micros)}`);
    rtc.onDeepSleepTimer = () => events.push(`wake@${Math.round(t.clock.micros)}`);
    // The SDK sequence (esp-open-rtos _deep_sleep_phase2), reduced to the RTC words we model.
    rtc.write(RTC_CTRL0, 0);
    rtc.write(RTC_CTRL0, rtc.read(RTC_CTRL0) | 0x30);
    rtc.write(RTC_SLP_VAL, rtc.read(RTC_COUNTER) + 136);
    rtc.write(RTC_WAKEUP_CAUSE, 8);
    rtc.write(RTC_SLP_CTRL, 0x00100000); // first time: still running
    expect(rtc.deepSleeping).toBe(false);
    t.advanceMicros(200);
    rtc.write(RTC_CTRL0, rtc.read(RTC_CTRL0) & 0xffffffcf);
    const start = t.clock.now;
    rtc.write(RTC_SLP_VAL, rtc.read(RTC_COUNTER) + 150_000); // 1 s
    rtc.write(RTC_WAKEUP_CAUSE, 8);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    expect(rtc.deepSleeping).toBe(true);
    t.runUntil(start + 2 * 2_080_000_000);
    expect(events).toEqual(['sleep@200', 'wake@1000200']);
    // What the ROM's rtc_get_reset_reason needs to report 5 after the SoC sets cause 5.
    expect((rtc.read(RTC_WAKEUP_CAUSE) >>> 8) & 0x3f).toBe(8);
  });

  it('keeps the latched wake source through firmware writes to 0x18 until a non-wake pin reset', () => {
    const { t, rtc } = setup();
    rtc.write(RTC_SLP_VAL, rtc.read(RTC_COUNTER) + 150);
    rtc.write(RTC_WAKEUP_CAUSE, 8);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    t.runUntil(2 * 2_080_000);
    rtc.reset();
    rtc.pinReset(true); // GPIO16 pulled RST: the wake
    expect(rtc.read(RTC_WAKEUP_CAUSE)).toBe(0x808);
    // The SDK rewrites the enables after the wake; a later software restart (a jump to the reset
    // vector, no reset at all) must still find [13:8] = 8, or the ROM reads cause 0 and panics.
    rtc.write(RTC_WAKEUP_CAUSE, 0);
    expect(rtc.read(RTC_WAKEUP_CAUSE)).toBe(0x800);
    rtc.write(RTC_WAKEUP_CAUSE, 0x3f07);
    expect(rtc.read(RTC_WAKEUP_CAUSE)).toBe(0x807);
    rtc.pinReset(false); // the RST button while awake
    expect(rtc.read(RTC_WAKEUP_CAUSE)).toBe(0x7);
  });

  it('a pin reset restarts the counter and clears STORE0-3; watchdog/software resets keep both', () => {
    const { t, rtc } = setup();
    t.advanceMicros(10_000);
    for (const [i, off] of [RTC_STORE0, RTC_STORE1, RTC_STORE2, RTC_STORE3].entries())
      rtc.write(off, 0x1111 * (i + 1));
    rtc.reset(); // watchdog or RTC software reset: the RTC domain as it was
    expect(rtc.read(RTC_COUNTER)).toBe(1500);
    expect([0x30, 0x34, 0x38, 0x3c].map((o) => rtc.read(o))).toEqual([
      0x1111, 0x2222, 0x3333, 0x4444,
    ]);
    rtc.reset();
    rtc.pinReset(false); // EXT_RST: "the register of the RTC timer counts from zero" (§3.2.10)
    expect(rtc.read(RTC_COUNTER)).toBe(0);
    expect([0x30, 0x34, 0x38, 0x3c].map((o) => rtc.read(o))).toEqual([0, 0, 0, 0]);
    t.advanceMicros(1000);
    expect(rtc.read(RTC_COUNTER)).toBe(150);
  });

  it('shows a GPIO wake-up level in bit 1 of the status light sleep polls, without an interrupt', () => {
    const { irq, rtc } = setup();
    let level = false;
    rtc.gpioWake = () => level;
    rtc.write(RTC_INT_ENA, 3);
    expect(rtc.read(RTC_INT_ST) & 3).toBe(0);
    level = true;
    expect(rtc.read(RTC_INT_ST) & 3).toBe(2);
    expect(rtc.read(RTC_INT_ENA) & 3).toBe(3);
    expect(irq.level).toBe(false);
    level = false;
    expect(rtc.read(RTC_INT_ST) & 3).toBe(0);
  });

  it('0x08 bit 20 is a command that does not read back: a later read-modify-write does not sleep', () => {
    const { t, rtc } = setup();
    let slept = false;
    rtc.onDeepSleep = () => (slept = true);
    // RTOS SDK 1.5 start-up: bit 20 under CTRL0[5:4], then CTRL0 with [5:4] clear.
    rtc.write(RTC_CTRL0, 0x800050);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    rtc.write(RTC_CTRL0, 0x1000000);
    expect(rtc.read(RTC_SLP_CTRL)).toBe(0);
    t.advanceMicros(1000);
    // system_restart jumps to the ROM's reset vector; its rtc_get_reset_reason clears bit 21.
    rtc.write(RTC_SLP_CTRL, rtc.read(RTC_SLP_CTRL) & ~(1 << 21));
    expect(slept).toBe(false);
    expect(rtc.deepSleeping).toBe(false);
    // Other bits of the word stay as written.
    rtc.write(RTC_CTRL0, 0x30);
    rtc.write(RTC_SLP_CTRL, 0x00300004);
    expect(rtc.read(RTC_SLP_CTRL)).toBe(0x00200004);
    expect(slept).toBe(false);
  });

  it('0x08 bit 20 under CTRL0[5:4] is light sleep, until a CTRL0 write clears them', () => {
    const { rtc } = setup();
    const events: string[] = [];
    rtc.onLightSleep = (asleep) => events.push(asleep ? 'sleep' : 'wake');
    rtc.onDeepSleep = () => events.push('deep');
    // RTOS SDK 1.5 pm_goto_sleep: CTRL0 = 0x800050, wake sources, 0x08 |= bit 20, … CTRL0 = 0x1000000
    rtc.write(RTC_CTRL0, 0x800050);
    rtc.write(RTC_WAKEUP_CAUSE, 4);
    rtc.write(RTC_SLP_CTRL, rtc.read(RTC_SLP_CTRL) | 0x00100000);
    expect(rtc.lightSleeping).toBe(true);
    rtc.write(RTC_CTRL0, 0x800070); // still held: still asleep
    expect(rtc.lightSleeping).toBe(true);
    rtc.write(RTC_CTRL0, 0x1000000);
    expect(rtc.lightSleeping).toBe(false);
    // The deep-sleep sequence: its first write is a light sleep, its last the deep sleep.
    rtc.write(RTC_CTRL0, 0x30);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    rtc.write(RTC_CTRL0, 0);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    expect(events).toEqual(['sleep', 'wake', 'sleep', 'wake', 'deep']);
    rtc.write(RTC_CTRL0, 0x30);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    rtc.reset(); // a chip reset ends it without a callback: the SoC resets its blocks anyway
    expect(rtc.lightSleeping).toBe(false);
  });

  it('deep sleep with no wake source (0x18 = 0) never wakes by itself', () => {
    const { t, rtc } = setup();
    let woke = false;
    rtc.onDeepSleepTimer = () => (woke = true);
    rtc.write(RTC_SLP_VAL, 1000);
    rtc.write(RTC_WAKEUP_CAUSE, 0);
    rtc.write(RTC_SLP_CTRL, 0x00100000);
    t.runUntil(2_080_000_000);
    expect(woke).toBe(false);
  });
});

describe('GPIO16', () => {
  it('drives the pad from RTC_GPIO_OUT when enabled, reads the host otherwise', () => {
    const { rtc } = setup();
    const changes: [number, number][] = [];
    rtc.gpio16.onPinChange = (pin, level) => changes.push([pin, level]);
    rtc.write(PAD_XPD_DCDC_CONF, 1);
    rtc.write(RTC_GPIO_ENABLE, 1);
    rtc.write(RTC_GPIO_OUT, 1);
    expect(rtc.read(RTC_GPIO_IN_DATA) & 1).toBe(1);
    rtc.gpio16.driveInput(0);
    expect(rtc.gpio16.isConflict()).toBe(true);
    rtc.write(RTC_GPIO_ENABLE, 0);
    expect(rtc.gpio16.isConflict()).toBe(false);
    expect(rtc.read(RTC_GPIO_IN_DATA) & 1).toBe(0);
    expect(changes).toEqual([
      [16, 1],
      [16, 0],
    ]);
  });
});

describe('RTC memory', () => {
  it('keeps its words across chip resets and clears at power-on', () => {
    const buffer = new ArrayBuffer(0x38400);
    const mem = new RtcMemory(new Uint8Array(buffer, 0x38000, 0x400));
    mem.write(0x200, 0x12345678);
    mem.reset();
    expect(mem.read(0x200)).toBe(0x12345678);
    expect(new DataView(buffer).getUint32(0x38200, true)).toBe(0x12345678);
    mem.powerOn();
    expect(mem.read(0x200)).toBe(0);
  });
});
