import { describe, expect, it } from 'vitest';
import { Pacer, SpeedMeter } from './pacer.ts';

describe('Pacer', () => {
  it('lets simulated time follow the wall clock from the anchor', () => {
    const pacer = new Pacer();
    pacer.anchor(2, 1000);
    expect(pacer.targetAt(2, 1000)).toBe(2);
    expect(pacer.targetAt(2, 1050)).toBeCloseTo(2.05);
    expect(pacer.wallMsUntil(2.1, 1050)).toBeCloseTo(50);
    expect(pacer.wallMsUntil(2.01, 1050)).toBe(0);
  });

  it('forgives a debt larger than maxLag instead of racing to catch up', () => {
    const pacer = new Pacer(0.1);
    pacer.anchor(0, 0);
    // One second of wall time passed but the guest only reached 0.2 s: it cannot keep up.
    expect(pacer.targetAt(0.2, 1000)).toBeCloseTo(0.3);
    // The anchor moved: from now on, the target follows the wall clock from (0.2 s, 1000 ms).
    expect(pacer.targetAt(0.25, 1050)).toBeCloseTo(0.25);
  });

  it('has no target when running as fast as possible', () => {
    const pacer = new Pacer();
    pacer.mode = 'max';
    pacer.anchor(0, 0);
    expect(pacer.targetAt(5, 1)).toBe(Infinity);
    expect(pacer.wallMsUntil(100, 1)).toBe(0);
  });
});

describe('SpeedMeter', () => {
  it('shows the rate measured over the last window, without lag from smoothing', () => {
    const meter = new SpeedMeter(1000);
    meter.sample(0, 0, 0);
    meter.sample(0.1, 100, 1e6); // under a quarter window: nothing yet
    expect(meter.percent).toBe(0);
    // 0.42× real time and 35 MIPS, steadily.
    for (let wall = 200; wall <= 3000; wall += 100)
      meter.sample(wall * 0.00042, wall, wall * 35_000);
    expect(meter.percent).toBeCloseTo(42, 6);
    expect(meter.mips).toBeCloseTo(35, 6);
    // The guest speeds up to 2×: one window later the readout says 2× exactly.
    const sim0 = 3000 * 0.00042;
    for (let wall = 3100; wall <= 4000; wall += 100)
      meter.sample(sim0 + (wall - 3000) * 0.002, wall, 0);
    expect(meter.percent).toBeCloseTo(200, 6);
  });

  it('starts fresh after stop', () => {
    const meter = new SpeedMeter(100);
    meter.sample(0, 0);
    meter.sample(1, 100);
    expect(meter.percent).toBeCloseTo(1000);
    meter.stop();
    expect(meter.percent).toBe(0);
    meter.sample(5, 10_000); // first sample after a stop only anchors
    expect(meter.percent).toBe(0);
    meter.sample(5.05, 10_100);
    expect(meter.percent).toBeCloseTo(50);
  });
});
