/**
 * Where the ESP8266's RAMs live inside the one SharedArrayBuffer that backs guest memory.
 *
 * The worker allocates the buffer, the board maps these regions onto views of it, and the UI
 * thread can read guest memory directly (a memory viewer, the LED state of a RAM framebuffer…)
 * without a message round trip. Flash lives in its own buffer because its size varies.
 */

export interface RamRegion {
  /** Guest address of the first byte. */
  readonly base: number;
  readonly size: number;
  /** Byte offset of the region inside the guest-memory buffer. */
  readonly offset: number;
}

export const GUEST_RAM = {
  /** User DRAM (0x3FFE8000, 80 KB) followed by the ROM's ETS RAM (0x3FFFC000, 16 KB). */
  dram: { base: 0x3ffe8000, size: 0x18000, offset: 0x00000 },
  /** IRAM 32 KB + the two 16 KB banks that can become flash cache. */
  iram: { base: 0x40100000, size: 0x10000, offset: 0x18000 },
  /** Our own boot ROM image (never Espressif's bytes). */
  rom: { base: 0x40000000, size: 0x10000, offset: 0x28000 },
  /** RTC slow memory, kept across every reset but power-on. */
  rtcMem: { base: 0x60001000, size: 0x400, offset: 0x38000 },
} as const satisfies Record<string, RamRegion>;

export const GUEST_RAM_BYTES = 0x38400;

/** A buffer for guest RAM: shared when the platform allows it (cross-origin isolated pages, Node). */
export function allocateGuestMemory(bytes = GUEST_RAM_BYTES): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}
