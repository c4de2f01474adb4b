/**
 * One hour of emulated time on firmware/soak/soak.c, an idle NONOS-style program: the watchdog fed
 * the SDK way (1.6 s tick → task → feed), and every timer source counted. A real chip runs this
 * for months without a reset, its timers on time, its RTC counter at its own constant rate against
 * the CPU clock. The program sleeps in WAITI between events, so the hour costs a few seconds.
 */
import { describe, expect, it } from 'vitest';
import { RTC_SLOW_CLOCK_HZ } from '../../src/board/peripherals/time-bases.ts';
import { bench, soakImage } from './firmware.ts';

interface Minute {
  t: number;
  us: number;
  rtc: number;
  frc1: number;
  cc: number;
  ta: number;
  tb: number;
  feeds: number;
  late: number;
  stage1: number;
}

/** The ROM arms ms × 312500 / 1000 + 1 FRC2 ticks of 3.2 µs (rom-internals §3.3). */
const romTimerPeriodUs = (ms: number) => ((Math.floor((ms * 312500) / 1000) + 1) * 1e6) / 312500;

describe('soak: an hour of an idle SDK-style program', () => {
  it('never resets, and FRC1, CCOMPARE, ROM timers and the RTC keep time', () => {
    const b = bench(soakImage('soak'));
    b.waitFor('start us=');
    while (!b.out.includes('soak done') && b.board.seconds < 3700)
      b.board.runUntil(b.board.seconds + 60);
    expect(b.out).toContain('soak done');
    expect(b.resets).toEqual([]);
    expect(b.out).not.toContain('Soft WDT');

    const start = /start us=(\d+) rtc=(\d+)/.exec(b.out);
    const rtc0 = Number(start?.[2]);
    const minutes: Minute[] = [...b.out.matchAll(/^t=.*$/gm)].map(
      (m) =>
        Object.fromEntries(
          m[0]
            .trim()
            .split(' ')
            .map((kv) => kv.split('='))
            .map(([k, v]) => [k, Number(v)]),
        ) as unknown as Minute,
    );
    expect(minutes.map((m) => m.t)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const m of minutes) {
      const s = m.us / 1e6;
      expect(m.ta).toBe(60 * m.t);
      // FRC1 every 50 ms, CCOMPARE0 every 80e6 cycles = 1 s at 80 MHz, the 250 ms ROM timer.
      expect(Math.abs(m.frc1 - s / 0.05)).toBeLessThan(1);
      expect(Math.abs(m.cc - s)).toBeLessThan(1);
      expect(Math.abs(m.tb - (m.us - m.late) / romTimerPeriodUs(250))).toBeLessThan(1);
      // The watchdog fed on every 32nd FRC1 tick, its stage-1 interrupt never reached.
      expect(m.feeds).toBe(Math.floor(m.frc1 / 32));
      expect(m.stage1).toBe(0);
      // RTC slow clock against the CPU's µs: the same rate all hour (no drift).
      expect(Math.abs((m.rtc - rtc0) / s - RTC_SLOW_CLOCK_HZ)).toBeLessThan(0.1);
    }
    // The 1000 ms ROM timer's worst lateness stays what the start-up print cost (blocking ROM
    // printf at 115200 baud): it does not grow over the hour.
    const late = minutes.map((m) => m.late);
    expect(Math.max(...late)).toBe(late[0]);
    expect(late[0]).toBeLessThan(5000);
    const last = minutes[59];
    expect(last.us).toBeGreaterThanOrEqual(romTimerPeriodUs(1000) * 3600);
  });
});
