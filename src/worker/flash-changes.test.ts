import { describe, expect, it } from 'vitest';
import { FlashChangeTracker, SECTOR_SIZE } from './flash-changes.ts';

describe('FlashChangeTracker', () => {
  it('lists the whole flash after a replace, then only the sectors that changed', () => {
    const flash = new Uint8Array(16 * SECTOR_SIZE).fill(0xff);
    flash[0] = 0xe9;
    flash[5 * SECTOR_SIZE + 100] = 1;
    const tracker = new FlashChangeTracker();
    tracker.replaced();
    const first = tracker.take(flash);
    expect(first.full).toBe(true);
    expect(first.sectors.map((s) => s.index)).toEqual([0, 5]);
    expect(tracker.take(flash).sectors).toEqual([]);

    flash[5 * SECTOR_SIZE + 100] = 0xff; // erased again: reported as null (nothing to store)
    flash[15 * SECTOR_SIZE + 4095] = 0;
    const next = tracker.take(flash);
    expect(next.full).toBe(false);
    expect(next.sectors.map((s) => [s.index, s.data === null])).toEqual([
      [5, true],
      [15, false],
    ]);
    expect(next.sectors[1].data![4095]).toBe(0);
  });

  it('reports nothing for a restored flash until the firmware writes, and all when forced', () => {
    const flash = new Uint8Array(16 * SECTOR_SIZE).fill(0x11);
    const tracker = new FlashChangeTracker();
    tracker.adopted(flash);
    expect(tracker.take(flash).sectors).toEqual([]);
    flash[3 * SECTOR_SIZE] = 0;
    expect(tracker.take(flash).sectors.map((s) => s.index)).toEqual([3]);
    expect(tracker.take(flash, true).sectors).toHaveLength(16);
  });

  it('compares unaligned views byte by byte', () => {
    const backing = new Uint8Array(2 * SECTOR_SIZE + 1).fill(0xff);
    const flash = backing.subarray(1);
    const tracker = new FlashChangeTracker();
    tracker.adopted(flash);
    flash[SECTOR_SIZE + 7] = 3;
    expect(tracker.take(flash).sectors.map((s) => s.index)).toEqual([1]);
  });
});
