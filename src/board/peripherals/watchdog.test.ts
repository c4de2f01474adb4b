import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND } from '../clock';
import { RecordingLine, TestClock } from './testing';
import { Watchdog, WDT_CTL, WDT_OP, WDT_OP_ND, WDT_RST, wdtStageTicks } from './watchdog';

function setup() {
  const t = new TestClock();
  const irq = new RecordingLine(t.clock);
  const wdt = new Watchdog(t.clock, irq);
  const resets: number[] = [];
  wdt.onReset = () => resets.push(t.clock.now);
  // The usual configuration: stage 1 exponent 11, stage 2 exponent 13.
  wdt.write(WDT_OP, 11);
  wdt.write(WDT_OP_ND, 13);
  return { t, irq, wdt, resets };
}

describe('hardware watchdog', () => {
  it('a stage with exponent n lasts 2^n x 0.8 ms: NONOS 11 then 13 reset 8.192 s after the feed', () => {
    expect(wdtStageTicks(11) / TICKS_PER_SECOND).toBeCloseTo(1.6384, 9);
    expect(wdtStageTicks(13) / TICKS_PER_SECOND).toBeCloseTo(6.5536, 9);
  });

  it('the exponent field is 4 bits wide ("mask 0xf")', () => {
    const { t, irq, wdt } = setup();
    wdt.write(WDT_OP, 0x1b);
    wdt.write(WDT_CTL, 1);
    t.runUntil(3 * TICKS_PER_SECOND);
    expect(irq.pulseTimes).toEqual([wdtStageTicks(11)]);
  });

  it('raises INT 8 at the end of stage 1 and resets at the end of stage 2', () => {
    const { t, irq, wdt, resets } = setup();
    wdt.write(WDT_CTL, 0x38 | 1);
    t.runUntil(20 * TICKS_PER_SECOND);
    expect(irq.pulseTimes).toEqual([wdtStageTicks(11)]);
    expect(resets).toEqual([wdtStageTicks(11) + wdtStageTicks(13)]);
  });

  it('never resets while fed with 0x73 in time; other values do not feed', () => {
    const { t, wdt, resets, irq } = setup();
    wdt.write(WDT_CTL, 1);
    for (let i = 0; i < 20; i++) {
      t.runUntil(t.clock.now + TICKS_PER_SECOND);
      wdt.write(WDT_RST, 0x73);
    }
    expect(resets).toEqual([]);
    expect(irq.pulses).toBe(0);
    const lastFeed = t.clock.now;
    t.runUntil(lastFeed + TICKS_PER_SECOND);
    wdt.write(WDT_RST, 0x72);
    t.runUntil(lastFeed + 20 * TICKS_PER_SECOND);
    expect(resets).toEqual([lastFeed + wdtStageTicks(11) + wdtStageTicks(13)]);
  });

  it('does nothing while disabled, and disabling stops a running countdown', () => {
    const { t, wdt, resets } = setup();
    t.runUntil(20 * TICKS_PER_SECOND);
    wdt.write(WDT_CTL, 1);
    t.advanceTicks(TICKS_PER_SECOND);
    wdt.write(WDT_CTL, 0);
    t.runUntil(60 * TICKS_PER_SECOND);
    expect(resets).toEqual([]);
  });
});

describe('hardware watchdog in light sleep', () => {
  it('stops counting while paused and goes on with what the stage had left', () => {
    const { t, irq, wdt, resets } = setup();
    wdt.write(WDT_CTL, 0x38 | 1);
    const s1 = wdtStageTicks(11);
    const s2 = wdtStageTicks(13);
    t.runUntil(s1 / 2);
    wdt.setPaused(true);
    expect(wdt.paused).toBe(true);
    t.runUntil(s1 / 2 + 30 * TICKS_PER_SECOND); // a 30 s light sleep: no interrupt, no reset
    expect(irq.pulseTimes).toEqual([]);
    expect(resets).toEqual([]);
    wdt.setPaused(false);
    t.runUntil(60 * TICKS_PER_SECOND);
    const woke = s1 / 2 + 30 * TICKS_PER_SECOND;
    expect(irq.pulseTimes).toEqual([woke + s1 / 2]);
    expect(resets).toEqual([woke + s1 / 2 + s2]);
  });

  it('a feed while paused restarts the stage without running it; disabling clears it', () => {
    const { t, wdt, resets } = setup();
    wdt.write(WDT_CTL, 0x38 | 1);
    wdt.setPaused(true);
    t.runUntil(TICKS_PER_SECOND);
    wdt.write(WDT_RST, 0x73);
    t.runUntil(20 * TICKS_PER_SECOND);
    expect(resets).toEqual([]);
    wdt.setPaused(false);
    const woke = t.clock.now;
    t.runUntil(40 * TICKS_PER_SECOND);
    expect(resets).toEqual([woke + wdtStageTicks(11) + wdtStageTicks(13)]);
    wdt.write(WDT_CTL, 0x38 | 1); // a new countdown…
    wdt.setPaused(true);
    wdt.write(WDT_CTL, 0); // …stopped while asleep
    wdt.setPaused(false);
    t.runUntil(80 * TICKS_PER_SECOND);
    expect(resets).toHaveLength(1);
  });
});
