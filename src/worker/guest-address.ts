/**
 * Guest address → byte offset in the guest-memory buffer, for host-side reads and writes (the
 * UI's memory views, the worker's pokes). Both threads use it, so they agree on the layout.
 */

import { GUEST_RAM } from '../board/memory-layout.ts';

/** Offset of `length` bytes at guest `address` in the buffer, or null when not all guest RAM. */
export function guestRamOffset(address: number, length: number): number | null {
  const addr = address >>> 0;
  for (const region of Object.values(GUEST_RAM)) {
    if (addr >= region.base && addr + length <= region.base + region.size) {
      return region.offset + (addr - region.base);
    }
  }
  return null;
}
