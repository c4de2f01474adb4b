/**
 * The hardware watchdog resets only firmware that really stops feeding it. firmware/soak/wdt_sdk.c
 * feeds it the way NONOS does (docs/watchdog.md): a 1.6 s timer interrupt sets a flag and posts a
 * task; the task feeds (0x73 → WDT_RST) and clears the flag; a tick that finds the flag still set
 * is the soft watchdog. Stages as libmain wdt_init sets them: 2^11 then 2^13 units of 0.8 ms, so
 * the stage-1 interrupt comes 1.6384 s and the reset 8.192 s after the last feed.
 */
import { describe, expect, it } from 'vitest';
import { bench, soakImage } from './firmware.ts';

const STAGE1_S = 2 ** 11 * 0.0008;
const STAGE2_S = 2 ** 13 * 0.0008;

/** The µs value a line `<prefix> <n> us` printed, in seconds. */
function printedSeconds(out: string, prefix: string, from = 0): number {
  const m = new RegExp(`${prefix} (\\d+) us`).exec(out.slice(from));
  if (!m) throw new Error(`no "${prefix}" in:\n${out}`);
  return Number(m[1]) / 1e6;
}

describe('watchdog, fed as the SDK feeds it', () => {
  it('an idle program that feeds from its task never resets over 12 emulated minutes', () => {
    const b = bench(soakImage('wdt_sdk'));
    b.waitFor('idle at');
    // A minute at a time: the board sleeps in WAITI between the 1 s poll and the 1.6 s ticks.
    while (!b.out.includes('alive 720 s')) b.board.runUntil(b.board.seconds + 60);
    expect(b.resets).toEqual([]);
    expect(b.out).not.toContain('wdt stage 1');
    expect(b.out).not.toContain('Soft WDT');
    // One feed per 1.6 s tick.
    const feeds = Number(/alive 720 s, (\d+) feeds/.exec(b.out)?.[1]);
    expect(Math.abs(feeds - 720 / 1.6)).toBeLessThanOrEqual(1);
  });

  it('a task that spins with interrupts on and the soft watchdog stopped gets "wdt reset"', () => {
    const b = bench(soakImage('wdt_sdk'));
    b.waitFor('idle at');
    b.send('h');
    const hangAt = b.waitFor('hanging at');
    b.waitFor('wdt reset', 10);
    // The last feed was the enable at start-up (the first 1.6 s tick never got its task run).
    const enabled = printedSeconds(b.out, 'idle at');
    const stage1 = printedSeconds(b.out, 'wdt stage 1 at', hangAt);
    expect(stage1 - enabled).toBeCloseTo(STAGE1_S, 2);
    expect(b.resets).toHaveLength(1);
    expect(b.resets[0].cause).toBe(4);
    expect(b.resets[0].at - enabled).toBeCloseTo(STAGE1_S + STAGE2_S, 2);
    expect(b.out).not.toContain('Soft WDT');
    b.waitFor('wdt_sdk: reset cause 4');
  });

  it("with the soft watchdog running, the firmware's own handler fires before the chip's", () => {
    const b = bench(soakImage('wdt_sdk'));
    b.waitFor('idle at');
    b.send('s');
    const hangAt = b.waitFor('hanging at');
    const hung = printedSeconds(b.out, 'hanging at', hangAt - 30);
    b.waitFor('Soft WDT reset at', 5);
    const soft = printedSeconds(b.out, 'Soft WDT reset at');
    // The first tick after the hang sets the flag, the next one finds it: 1.6 to 3.2 s.
    expect(soft - hung).toBeGreaterThan(1.6);
    expect(soft - hung).toBeLessThanOrEqual(3.2);
    b.waitFor('after soft wdt', 1);
    expect(b.resets.map((r) => r.cause)).toEqual([3]);
    expect(b.out).not.toContain('wdt reset');
  });
});
