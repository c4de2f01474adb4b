import { describe, expect, it } from 'vitest';
import {
  FrcTimers,
  FRC1_COUNT,
  FRC1_CTRL,
  FRC1_INT,
  FRC1_LOAD,
  FRC2_ALARM,
  FRC2_COUNT,
  FRC2_CTRL,
  FRC2_INT,
  FRC2_LOAD,
  FRC_CTRL_AUTO_RELOAD,
  FRC_CTRL_ENABLE,
  FRC_CTRL_INT_LEVEL,
  FRC_CTRL_INT_STATUS,
} from './frc-timers';
import { RecordingLine, TestClock } from './testing';

/** Ticks per 80 MHz APB cycle. */
const APB = 26;

function setup() {
  const t = new TestClock();
  const frc1Irq = new RecordingLine(t.clock);
  const frc2Irq = new RecordingLine(t.clock);
  const timers = new FrcTimers(t.clock, frc1Irq, frc2Irq);
  return { t, frc1Irq, frc2Irq, timers };
}

describe('FRC1 (23-bit down-counter)', () => {
  for (const [field, divider] of [
    [0, 1],
    [1, 16],
    [2, 256],
  ] as const) {
    it(`counts down at APB/${divider} and reloads with auto-reload`, () => {
      const { t, timers, frc1Irq } = setup();
      timers.write(FRC1_CTRL, FRC_CTRL_ENABLE | FRC_CTRL_AUTO_RELOAD | (field << 2));
      timers.write(FRC1_LOAD, 1000);
      expect(timers.read(FRC1_COUNT)).toBe(1000);
      t.advanceTo(250 * divider * APB);
      expect(timers.read(FRC1_COUNT)).toBe(750);
      t.runUntil(1000 * divider * APB);
      expect(frc1Irq.pulseTimes).toEqual([1000 * divider * APB]);
      expect(timers.read(FRC1_COUNT)).toBe(1000);
      expect(timers.read(FRC1_CTRL) & FRC_CTRL_INT_STATUS).toBe(FRC_CTRL_INT_STATUS);
      t.runUntil(3000 * divider * APB);
      expect(frc1Irq.pulseTimes).toEqual([1, 2, 3].map((k) => k * 1000 * divider * APB));
    });
  }

  it('LOAD = 0 raises nothing at once: the count wraps and fires 2^23 prescaled cycles later', () => {
    // NodeMCU 0.9.2's pwm_init: INT 9 unmasked, CTRL = enable | /16 | edge, LOAD = 0, and only
    // then the data its handler reads; the image runs on real modules.
    const { t, timers, frc1Irq } = setup();
    timers.write(FRC1_INT, 0);
    timers.write(FRC1_CTRL, FRC_CTRL_ENABLE | (1 << 2));
    timers.write(FRC1_LOAD, 0);
    expect(timers.read(FRC1_COUNT)).toBe(0);
    t.runUntil(16 * APB);
    expect(frc1Irq.pulses).toBe(0);
    expect(timers.read(FRC1_COUNT)).toBe(0x7fffff);
    t.runUntil((0x800000 - 1) * 16 * APB);
    expect(frc1Irq.pulses).toBe(0);
    t.runUntil(0x800000 * 16 * APB);
    expect(frc1Irq.pulseTimes).toEqual([0x800000 * 16 * APB]);
  });

  it('without auto-reload continues from 0x7FFFFF after reaching 0', () => {
    const { t, timers, frc1Irq } = setup();
    timers.write(FRC1_CTRL, FRC_CTRL_ENABLE);
    timers.write(FRC1_LOAD, 100);
    t.runUntil(100 * APB);
    expect(frc1Irq.pulses).toBe(1);
    expect(timers.read(FRC1_COUNT)).toBe(0x7fffff);
    t.advanceTo(110 * APB);
    expect(timers.read(FRC1_COUNT)).toBe(0x7fffff - 10);
  });

  it('stops counting while disabled', () => {
    const { t, timers, frc1Irq } = setup();
    timers.write(FRC1_CTRL, FRC_CTRL_ENABLE | FRC_CTRL_AUTO_RELOAD);
    timers.write(FRC1_LOAD, 100);
    t.advanceTo(40 * APB);
    timers.write(FRC1_CTRL, FRC_CTRL_AUTO_RELOAD);
    t.runUntil(1000 * APB);
    expect(timers.read(FRC1_COUNT)).toBe(60);
    expect(frc1Irq.pulses).toBe(0);
  });

  it('level mode holds the line until FRC1_INT is written', () => {
    const { t, timers, frc1Irq } = setup();
    timers.write(FRC1_CTRL, FRC_CTRL_ENABLE | FRC_CTRL_AUTO_RELOAD | FRC_CTRL_INT_LEVEL);
    timers.write(FRC1_LOAD, 10);
    t.runUntil(10 * APB);
    expect(frc1Irq.level).toBe(true);
    expect(frc1Irq.pulses).toBe(0);
    timers.write(FRC1_INT, 0);
    expect(frc1Irq.level).toBe(false);
    expect(timers.read(FRC1_CTRL) & FRC_CTRL_INT_STATUS).toBe(0);
  });
});

describe('FRC2 (32-bit up-counter with alarm)', () => {
  it('LOAD sets the count; it counts up at APB/256 (312.5 kHz)', () => {
    const { t, timers } = setup();
    timers.write(FRC2_CTRL, FRC_CTRL_ENABLE | (2 << 2));
    timers.write(FRC2_LOAD, 5);
    t.advanceTo(256 * APB * 100);
    expect(timers.read(FRC2_COUNT)).toBe(105);
    t.advanceTo(2080 * 1000); // 1 ms → 312.5 counts since start
    expect(timers.read(FRC2_COUNT)).toBe(5 + 312);
  });

  it('interrupts exactly when the count becomes ALARM', () => {
    const { t, timers, frc2Irq } = setup();
    timers.write(FRC2_CTRL, FRC_CTRL_ENABLE | (1 << 2)); // /16
    timers.write(FRC2_ALARM, 0);
    timers.write(FRC2_LOAD, 0);
    timers.write(FRC2_ALARM, 5000);
    t.runUntil(10_000 * 16 * APB);
    expect(frc2Irq.pulseTimes).toEqual([5000 * 16 * APB]);
    expect(timers.read(FRC2_CTRL) & FRC_CTRL_INT_STATUS).toBe(FRC_CTRL_INT_STATUS);
    timers.write(FRC2_INT, 0);
    expect(timers.read(FRC2_CTRL) & FRC_CTRL_INT_STATUS).toBe(0);
  });

  it('re-arming ALARM does not disturb the count (soft timers re-arm it constantly)', () => {
    const { t, timers } = setup();
    timers.write(FRC2_CTRL, FRC_CTRL_ENABLE | (2 << 2));
    for (let i = 1; i <= 100; i++) {
      t.advanceTicks(1000); // not a whole number of 256-cycle periods
      timers.write(FRC2_ALARM, i * 7);
    }
    expect(timers.read(FRC2_COUNT)).toBe(Math.floor(t.clock.now / (256 * APB)));
  });

  it('an ALARM already passed waits for the 32-bit wrap', () => {
    const { t, timers, frc2Irq } = setup();
    timers.write(FRC2_CTRL, FRC_CTRL_ENABLE);
    timers.write(FRC2_LOAD, 100);
    timers.write(FRC2_ALARM, 50);
    t.runUntil(1_000_000 * APB);
    expect(frc2Irq.pulses).toBe(0);
    t.runUntil((0x1_0000_0000 - 50) * APB);
    expect(frc2Irq.pulses).toBe(1);
  });
});
