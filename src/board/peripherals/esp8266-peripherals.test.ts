/**
 * The peripherals wired together, driven through the register sequences the ROM and the NONOS SDK
 * use (rom-internals §4, esp8266-hw.md §5.5, §5.6, §9), by absolute address as firmware sees them.
 */

import { describe, expect, it } from 'vitest';
import { FlashChip } from '../flash/flash-chip';
import { createEsp8266Peripherals } from './esp8266-peripherals';
import { RecordingIrqSink, TestClock } from './testing';

function board() {
  const t = new TestClock();
  const cpu = new RecordingIrqSink();
  const flash = new FlashChip({ size: 0x400000 });
  flash.bytes.set([0xe9, 0x03, 0x02, 0x40, 0x10, 0x20, 0x30, 0x40], 0);
  const p = createEsp8266Peripherals({ clock: t.clock, cpu, flash });
  p.powerOn();
  const read = (addr: number): number => {
    if (addr >= 0x3ff00000 && addr < 0x3ff01000) return p.dport.read(addr & 0xff);
    return p.ioBlocks[(addr >>> 8) & 0xf].read(addr & 0xff);
  };
  const write = (addr: number, value: number): void => {
    if (addr >= 0x3ff00000 && addr < 0x3ff01000) p.dport.write(addr & 0xff, value);
    else p.ioBlocks[(addr >>> 8) & 0xf].write(addr & 0xff, value);
  };
  /** Spin like firmware: read until the predicate holds, advancing time a little per poll. */
  const spin = (addr: number, done: (v: number) => boolean, maxPolls = 100_000): number => {
    for (let i = 0; i < maxPolls; i++) {
      const v = read(addr);
      if (done(v)) return v;
      t.advanceTicks(26 * 10);
    }
    throw new Error(`poll of 0x${addr.toString(16)} never finished`);
  };
  return { t, cpu, flash, p, read, write, spin };
}

describe('boot straps and reset cause as the ROM reads them', () => {
  it('power-on: RTC cause 1, GPIO_IN[18:16] = 3 (flash boot)', () => {
    const { read } = board();
    expect(read(0x60000714) & 0xf).toBe(1);
    expect((read(0x60000318) >>> 16) & 7).toBe(3);
  });
});

describe('ROM UART output on the boot clock', () => {
  it('putc waits for TXCNT = 0 per byte; "ets" leaves at ≈74880 baud', () => {
    const { t, p, read, write, spin } = board();
    p.setApbHz(52_000_000);
    write(0x60000014, 0x2b6);
    write(0x60000020, 0x0c);
    const out: number[] = [];
    p.uart0.onByte = (b) => out.push(b);
    for (const ch of 'ets') {
      spin(0x6000001c, (v) => ((v >>> 16) & 0xff) === 0);
      write(0x60000000, ch.charCodeAt(0));
    }
    spin(0x6000001c, (v) => ((v >>> 16) & 0xff) === 0);
    expect(String.fromCharCode(...out)).toBe('ets');
    const seconds = t.clock.seconds;
    // Three 10-bit frames at ≈74928 baud, plus the poll granularity.
    expect(seconds).toBeGreaterThan(30 / 74928);
    expect(seconds).toBeLessThan(30 / 74928 + 0.0001);
    expect(read(0x60000014)).toBe(0x2b6);
  });
});

describe('ROM flash services', () => {
  it('Cache_Read_Enable(0, 0, 1) maps flash 0 into the window', () => {
    const { p, read, write, spin } = board();
    const events: string[] = [];
    p.dport.onCacheChange = (on, off, size) => events.push(`cache ${on} ${off} ${size}`);
    p.spi0.onFlashWindowChange = (on) => events.push(`window ${on}`);
    p.dport.onIramCacheBanksChange = (bits) => events.push(`banks ${bits}`);
    const CTRL = 0x3ff0000c;
    write(CTRL, read(CTRL) & ~0x100);
    spin(CTRL, (v) => (v & 0x100) === 0);
    write(0x60000208, read(0x60000208) & ~(1 << 17));
    write(CTRL, read(CTRL) & ~1);
    write(CTRL, read(CTRL) | 1);
    spin(CTRL, (v) => (v & 2) !== 0);
    write(CTRL, read(CTRL) & ~1);
    write(0x60000208, read(0x60000208) | (1 << 17));
    write(CTRL, (read(CTRL) & ~0x03000000 & ~0x04070000) | (1 << 26));
    write(0x3ff00024, read(0x3ff00024) | 0x18);
    write(CTRL, read(CTRL) | 0x100);
    spin(CTRL, (v) => (v & 0x100) !== 0);
    expect(events).toEqual(['window true', 'banks 24', 'cache true 0 32768']);
  });

  it('SPIRead of the image header, SPI_write_enable, SPIWrite and SPIEraseSector', () => {
    const { flash, read, write, spin } = board();
    const waitIdle = () => {
      spin(0x3ff0020c, (v) => (v & 0x200) === 0);
      write(0x60000210, 0);
      write(0x60000200, 1 << 27);
      spin(0x60000200, (v) => v === 0);
      spin(0x60000210, (v) => (v & 1) === 0);
    };
    waitIdle();
    write(0x60000204, 0 | (16 << 24));
    write(0x60000200, 1 << 31);
    spin(0x60000200, (v) => v === 0);
    expect(read(0x60000240) & 0xff).toBe(0xe9);
    expect(read(0x60000244)).toBe(0x40302010);

    const writeEnable = () => {
      waitIdle();
      write(0x60000200, 1 << 30);
      spin(0x60000200, (v) => v === 0);
      for (;;) {
        write(0x60000210, 0);
        write(0x60000200, 1 << 27);
        if (read(0x60000210) & 2) break;
      }
    };
    writeEnable();
    write(0x60000240, 0x11223344);
    write(0x60000204, 0x3fc000 | (4 << 24));
    write(0x60000200, 1 << 25);
    spin(0x60000200, (v) => v === 0);
    waitIdle();
    expect([...flash.bytes.subarray(0x3fc000, 0x3fc004)]).toEqual([0x44, 0x33, 0x22, 0x11]);

    writeEnable();
    write(0x60000204, 0x3fc000);
    write(0x60000200, 1 << 24);
    spin(0x60000200, (v) => v === 0);
    waitIdle();
    expect(flash.bytes[0x3fc000]).toBe(0xff);
  });

  it('RDID gives ESP.getFlashChipRealSize() = 4 MB', () => {
    const { read, write } = board();
    write(0x60000200, 1 << 28);
    expect(1 << ((read(0x60000240) >>> 16) & 0xff)).toBe(0x400000);
  });
});

describe('SDK timers and interrupts', () => {
  it('ets_timer_init on FRC2, then an alarm 1 ms ahead raises INT 10', () => {
    const { t, cpu, read, write } = board();
    write(0x3ff00004, read(0x3ff00004) | 4);
    write(0x60000630, 0);
    write(0x60000628, 0x88);
    write(0x60000620, 0);
    t.advanceMicros(100);
    const now = read(0x60000624);
    expect(now).toBe(31); // 312.5 kHz
    write(0x60000630, now + 313);
    t.runUntil(t.clock.now + 2 * 2_080_000);
    expect(cpu.edges).toEqual([10]);
    write(0x6000062c, 0);
  });

  it('FRC1 through NmiTimSetFunc reaches the NMI, and Arduino timer1 on INT 9 otherwise', () => {
    const { t, cpu, read, write } = board();
    write(0x3ff00000, (read(0x3ff00000) & ~0x1f) | 0x0f);
    write(0x60000608, 0x80 | 0x40); // enable, auto-reload, /1
    write(0x60000600, 80); // 1 µs
    t.runUntil(t.clock.now + 3 * 2080);
    expect(cpu.edges).toEqual([14, 14, 14]);
    write(0x3ff00000, 0);
    write(0x3ff00004, 2);
    t.runUntil(t.clock.now + 2080);
    expect(cpu.edges.slice(3)).toEqual([9]);
  });

  it('UART0 and UART1 share INT 5', () => {
    const { t, cpu, p, write } = board();
    write(0x6000000c, 1); // UART0 RXFIFO_FULL
    write(0x60000f0c, 1); // UART1 RXFIFO_FULL
    write(0x60000024, 1);
    write(0x60000f24, 1);
    p.uart0.receive([1]);
    p.uart1.receive([2]);
    t.runUntil(t.clock.now + p.uart0.frameTicks);
    expect(cpu.levels[5]).toBe(true);
    p.uart0.read(0);
    write(0x60000010, 1);
    expect(cpu.levels[5]).toBe(true);
    p.uart1.read(0);
    write(0x60000f10, 1);
    expect(cpu.levels[5]).toBe(false);
  });

  it('PHY poll loops read done: 0x6000057C bit 31, 0x60000D4C bit 24, 0x60000D50[26:24] = 0', () => {
    const { read, write } = board();
    write(0x60000d50, 0x07000000);
    expect(read(0x6000057c) >>> 31).toBe(1);
    expect((read(0x60000d4c) >>> 24) & 1).toBe(1);
    expect((read(0x60000d50) >>> 24) & 7).toBe(0);
  });
});

describe('chip reset', () => {
  it('keeps the RTC domain and RTC memory, clears the rest, re-latches straps', () => {
    const { p, read, write } = board();
    write(0x60000730, 0xabcd);
    p.rtcMemory.write(0x100, 7);
    write(0x60000014, 100);
    p.gpio.driveInput(0, 0);
    p.chipReset();
    p.rtc.setResetCause(4);
    expect(read(0x60000730)).toBe(0xabcd);
    expect(p.rtcMemory.read(0x100)).toBe(7);
    expect(read(0x60000014)).toBe(0x2b6);
    expect(read(0x60000714) & 0xf).toBe(4);
    expect((read(0x60000318) >>> 16) & 7).toBe(1);
  });
});
