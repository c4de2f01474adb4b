/** The ESP8266 address map: what loads, stores and fetches do in each region (esp8266-hw.md §1–2). */
import { describe, expect, it } from 'vitest';
import { SimClock, ManualCycleCounter } from '../../src/board/clock.ts';
import { MemoryFault } from '../../src/board/cpu/bus.ts';
import { Esp8266Bus } from '../../src/board/esp8266-bus.ts';
import { allocateGuestMemory } from '../../src/board/memory-layout.ts';

function makeBus() {
  const counter = new ManualCycleCounter();
  const clock = new SimClock(counter, 80);
  const flash = new Uint8Array(0x400000);
  for (let i = 0; i < flash.length; i += 4) new DataView(flash.buffer).setUint32(i, i, true);
  const bus = new Esp8266Bus({ memory: allocateGuestMemory(), flash, clock, rngSeed: 42 });
  return { bus, counter, clock };
}

function faultOf(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof MemoryFault) return e.cause;
    throw e;
  }
  return -1;
}

describe('Esp8266Bus', () => {
  it('DRAM takes every width; the hole below 0x3FFE8000 is unmapped', () => {
    const { bus } = makeBus();
    bus.write32(0x3ffe8000, 0x11223344);
    expect(bus.read8(0x3ffe8001)).toBe(0x33);
    expect(bus.read16(0x3ffe8002)).toBe(0x1122);
    bus.write8(0x3fffffff, 0xab);
    expect(bus.read32(0x3ffffffc) >>> 24).toBe(0xab);
    expect(faultOf(() => bus.read32(0x3ffe7ffc))).toBe(28);
    expect(faultOf(() => bus.write32(0x3ffe7ffc, 0))).toBe(29);
  });

  it('narrow loads and stores in instruction memory raise LoadStoreError (3)', () => {
    const { bus } = makeBus();
    for (const a of [0x40000000, 0x40100000, 0x40200000]) {
      expect(faultOf(() => bus.read8(a))).toBe(3);
      expect(faultOf(() => bus.read16(a))).toBe(3);
    }
    expect(faultOf(() => bus.write8(0x40100000, 1))).toBe(3);
    bus.write32(0x40100000, 0xdeadbeef);
    expect(bus.read32(0x40100000)).toBe(0xdeadbeef);
  });

  it('unmapped addresses fault: loads 28, stores 29, fetches 20', () => {
    const { bus } = makeBus();
    expect(faultOf(() => bus.read32(0x00000000))).toBe(28);
    expect(faultOf(() => bus.write32(0x20000000, 0))).toBe(29);
    expect(faultOf(() => bus.fetch(0x3ffe8000))).toBe(20);
  });

  // Loads do not fault with the cache off (esptool #335) and NodeMCU 0.9.5 hands ROM SPIWrite a
  // source in the window right after Cache_Read_Disable: loads read flash through the mapping
  // the DPORT bits select. Fetches still need the cache (header comment of esp8266-bus.ts).
  it('the flash window: fetches only while SPI0 AHB and the cache are enabled, loads always', () => {
    const { bus } = makeBus();
    expect(faultOf(() => bus.fetch(0x40200010))).toBe(2);
    expect(bus.read32(0x40200010)).toBe(0x10);
    bus.write32(0x60000208, 1 << 17); // SPI0 CTRL ENABLE_AHB
    bus.write32(0x3ff0000c, 1 << 8); // cache enable, map 0, p 0
    expect(bus.read32(0x40200010)).toBe(0x10);
    expect(bus.fetch(0x40200010)).toBe(0x10);
    bus.write32(0x3ff0000c, (1 << 8) | (1 << 25) | (1 << 16)); // odd MB, p = 1 → 3 MB
    expect(bus.read32(0x40200010)).toBe(0x300010);
    bus.write32(0x40200010, 0); // read-only: dropped
    expect(bus.read32(0x40200010)).toBe(0x300010);
    // Cache_Read_Disable: bit 8 and AHB off, the mapping bits stay.
    bus.write32(0x3ff0000c, (1 << 25) | (1 << 16));
    bus.write32(0x60000208, 0);
    expect(faultOf(() => bus.fetch(0x40200010))).toBe(2);
    expect(bus.read32(0x40200010)).toBe(0x300010);
  });

  it('DPORT is mirrored every 0x100 bytes up to 0x3FF00FFF', () => {
    const { bus } = makeBus();
    bus.write32(0x3ff00028, 0x5);
    expect(bus.read32(0x3ff00328)).toBe(0x5);
  });

  it('the wDev µs timer counts simulated time at 1 MHz and the RNG is reproducible', () => {
    const { bus, counter } = makeBus();
    counter.cycles = 80 * 1234; // 1234 µs at 80 MHz
    expect(bus.read32(0x3ff20c00)).toBe(1234);
    const a = [bus.read32(0x3ff20e44), bus.read32(0x3ff20e44)];
    const b = makeBus().bus;
    expect([b.read32(0x3ff20e44), b.read32(0x3ff20e44)]).toEqual(a);
    expect(a[0]).not.toBe(a[1]);
    bus.write32(0x3ff21000, 77);
    expect(bus.read32(0x3ff21000)).toBe(77);
  });

  it('RTC memory keeps words and bytes', () => {
    const { bus } = makeBus();
    bus.write32(0x60001200, 0xcafef00d);
    bus.write8(0x60001200, 0x11);
    expect(bus.read32(0x60001200)).toBe(0xcafef011);
  });

  it('an IRAM bank handed to the flash cache is unmapped while it is cache', () => {
    const { bus } = makeBus();
    bus.write32(0x4010c000, 1);
    bus.write32(0x3ff00024, 1 << 3); // 0x4010C000 bank becomes cache
    expect(faultOf(() => bus.read32(0x4010c000))).toBe(28);
    expect(bus.read32(0x40108000)).toBe(0);
  });
});
