import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatSimTime, formatSpeed, statusText } from './format.ts';

describe('format', () => {
  it('shows simulated time as m:ss.mmm, with hours when needed', () => {
    expect(formatSimTime(0)).toBe('0:00.000');
    expect(formatSimTime(1.2345)).toBe('0:01.234');
    expect(formatSimTime(61.5)).toBe('1:01.500');
    expect(formatSimTime(3723.004)).toBe('1:02:03.004');
    expect(formatSimTime(-1)).toBe('0:00.000');
  });

  it('shows the measured rate as a factor of real time and MIPS, only while running', () => {
    expect(formatSpeed(42, true, 35.2)).toBe('0.42× · 35 MIPS');
    expect(formatSpeed(99.6, true, 4.25)).toBe('1.00× · 4.3 MIPS');
    expect(formatSpeed(12345, true, 510)).toBe('123× · 510 MIPS');
    expect(formatSpeed(1234, true)).toBe('12.3×');
    expect(formatSpeed(0, true, 0)).toBe('–');
    expect(formatSpeed(50, false, 3)).toBe('–');
  });

  it('shortens large counts', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(12_345)).toBe('12.3 k');
    expect(formatCount(4_560_000)).toBe('4.56 M');
    expect(formatCount(1.2e9)).toBe('1.20 G');
  });

  it('sizes bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MB');
  });

  it('says what the board is doing', () => {
    const fw = { name: 'blink.bin', bytes: 4096, parts: 1, flashSize: 0x400000 };
    expect(statusText('no-board', null, null)).toMatch(/No board yet/);
    expect(statusText('no-board', fw, null)).toBe(
      'blink.bin loaded (4.0 KB); no board model to run it',
    );
    expect(statusText('running', fw, null)).toBe('Running blink.bin');
    expect(statusText('crashed', fw, 'illegal instruction')).toBe('Crashed: illegal instruction');
  });
});
