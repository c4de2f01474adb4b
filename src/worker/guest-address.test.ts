import { describe, expect, it } from 'vitest';
import { GUEST_RAM } from '../board/memory-layout.ts';
import { guestRamOffset } from './guest-address.ts';

describe('guestRamOffset', () => {
  it('maps every RAM region onto its place in the shared buffer', () => {
    for (const region of Object.values(GUEST_RAM)) {
      expect(guestRamOffset(region.base, 4)).toBe(region.offset);
      expect(guestRamOffset(region.base + region.size - 4, 4)).toBe(
        region.offset + region.size - 4,
      );
    }
  });

  it('refuses addresses outside RAM and ranges that run off a region', () => {
    expect(guestRamOffset(0x60000000, 4)).toBeNull(); // MMIO
    expect(guestRamOffset(0x40200000, 4)).toBeNull(); // flash cache window
    expect(guestRamOffset(GUEST_RAM.dram.base + GUEST_RAM.dram.size - 2, 4)).toBeNull();
    expect(guestRamOffset(GUEST_RAM.dram.base - 1, 1)).toBeNull();
  });

  it('treats addresses as unsigned', () => {
    expect(guestRamOffset(GUEST_RAM.iram.base | 0, 1)).toBe(GUEST_RAM.iram.offset);
  });
});
