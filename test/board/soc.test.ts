/**
 * The SoC's wiring of its blocks, checked through the guest's address map (the accesses firmware
 * makes) on a board running hello.bin, which idles in WAITI after its greeting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';

const hello = readFileSync(new URL('../../firmware/esp/out/hello.bin', import.meta.url));

function booted() {
  const board = createBoard({ flash: hello });
  const log = { out: '', resets: [] as number[], gpio: [] as string[] };
  board.listen({
    uartTx: (_u, b) => (log.out += String.fromCharCode(b)),
    reset: (cause) => log.resets.push(cause),
    gpio: (pin, level) => log.gpio.push(`${pin}=${level}`),
  });
  board.powerOn();
  board.runUntil(0.05);
  const bus = board.soc.bus;
  return { board, log, bus };
}

describe('ESP8266 SoC wiring', () => {
  it('the banner reads boot mode (3,6): the ESP-12E SD-pad straps in GPIO_IN[31:29]', () => {
    const { board, log, bus } = booted();
    expect(log.out.startsWith('\r\n ets Jan  8 2013,rst cause:1, boot mode:(3,6)\r\n\r\n')).toBe(
      true,
    );
    expect(bus.read32(0x60000318) >>> 29).toBe(6);
    expect((bus.read32(0x60000318) >>> 16) & 7).toBe(3);
    expect(board.soc.cpuMhz).toBe(80);
  });

  it('the PLL write switches the APB to 80 MHz: FRC1 counts 80e6/16 per second after it', () => {
    const { board, bus } = booted();
    bus.write32(0x60000600, 0x7fffff); // FRC1 LOAD
    bus.write32(0x60000608, (1 << 7) | (1 << 2)); // enable, /16
    const before = bus.read32(0x60000604);
    board.runUntil(board.seconds + 0.01);
    expect(before - bus.read32(0x60000604)).toBe(50_000);
  });

  it('a software reset (RTC CTRL0 bit 31) reboots with rst cause:3 and keeps RTC memory', () => {
    const { board, log, bus } = booted();
    bus.write32(0x60001200, 0xcafe0001);
    log.out = '';
    bus.write32(0x60000700, 1 << 31);
    board.runUntil(board.seconds + 0.05);
    expect(log.resets).toEqual([3]);
    expect(log.out).toContain('rst cause:3, boot mode:(3,6)');
    expect(log.out).toContain('hello from v8266');
    expect(bus.read32(0x60001200)).toBe(0xcafe0001);
  });

  it('deep sleep stops the CPU; the RTC timer wakes it with rst cause:5, RTC memory kept', () => {
    const { board, log, bus } = booted();
    bus.write32(0x60001204, 0x5eed);
    const counter = bus.read32(0x6000071c);
    bus.write32(0x60000718, 8); // wake by timer
    bus.write32(0x60000704, counter + 15_000); // 0.1 s of the 150 kHz slow clock
    bus.write32(0x60000708, 1 << 20); // sleep
    log.out = '';
    const instructions = board.stats.instructions;
    const start = board.seconds;
    board.runUntil(start + 0.09);
    expect(board.soc.deepSleeping).toBe(true);
    expect(board.stats.instructions).toBe(instructions);
    expect(log.resets).toEqual([]);
    board.runUntil(start + 0.2);
    expect(log.resets).toEqual([5]);
    expect(log.out).toContain('rst cause:5, boot mode:(3,6)');
    expect(bus.read32(0x60001204)).toBe(0x5eed);
  });

  it('power-on clears RTC memory; an external reset keeps it', () => {
    const { board, bus } = booted();
    bus.write32(0x60001300, 77);
    board.reset();
    board.runUntil(board.seconds + 0.01);
    expect(bus.read32(0x60001300)).toBe(77);
    board.powerOn();
    expect(bus.read32(0x60001300)).toBe(0);
  });

  it('the watchdog, armed and never fed, resets the chip with rst cause:4 and "wdt reset"', () => {
    const { board, log, bus } = booted();
    bus.write32(0x60000904, 4); // stage 1: 2^4 × 0.8 ms
    bus.write32(0x60000908, 4); // stage 2
    bus.write32(0x60000900, 1);
    log.out = '';
    board.runUntil(board.seconds + 0.06);
    expect(log.resets).toEqual([4]);
    expect(log.out).toContain('rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\n');
  });

  it('A0 reaches the SAR sample words the SDK averages', () => {
    const { board, bus } = booted();
    board.setA0(700);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += ~bus.read32(0x60000d80 + 4 * i) & 0x7ff;
    expect((sum + 8) >> 4).toBe(700);
  });

  it('GPIO16 (the carrier LED, RTC block) reports its level changes', () => {
    const { board, log, bus } = booted();
    expect(log.gpio).toContain('16=0');
    bus.write32(0x60000768, 1);
    bus.write32(0x60000774, 1);
    expect(log.gpio.at(-1)).toBe('16=1');
    expect(board.leds.gpio16).toBe(false);
    bus.write32(0x60000768, 0);
    expect(board.leds.gpio16).toBe(true);
  });

  it('code in the flash window, reprogrammed through SPI0 and the cache flushed, runs anew', () => {
    const { board, bus } = booted();
    const cpu = board.soc.cpu;
    // Map flash 0 (the window needs SPI0 ENABLE_AHB and the DPORT cache bit).
    bus.write32(0x60000208, bus.read32(0x60000208) | (1 << 17));
    bus.write32(0x3ff0000c, 1 << 8);
    // At flash 0x10000: "movi.n a2, 5; ret.n" (0x250c, 0xf00d).
    const at = 0x10000;
    const program = (b: number[]) => {
      bus.write32(0x60000200, 1 << 30); // WREN
      bus.write32(0x60000240, (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0);
      bus.write32(0x60000204, at | (4 << 24));
      bus.write32(0x60000200, 1 << 25); // PP
    };
    const call = () => {
      cpu.reset(0x40200000 + at);
      cpu.regs[0] = 0x40100000; // returns into IRAM (hello's entry)
      cpu.step();
      cpu.step();
      return cpu.regs[2];
    };
    program([0x0c, 0x52, 0x0d, 0xf0]);
    // The cache mapping lives in DPORT, which cpu.reset leaves alone.
    expect(call()).toBe(5);
    bus.write32(0x60000200, 1 << 30);
    bus.write32(0x60000204, at);
    bus.write32(0x60000200, 1 << 24); // SE
    program([0x0c, 0x72, 0x0d, 0xf0]); // movi.n a2, 7
    // Cache_Flush: pulse DPORT 0x0C bit 0 (the mapping itself does not change).
    bus.write32(0x3ff0000c, bus.read32(0x3ff0000c) | 1);
    bus.write32(0x3ff0000c, bus.read32(0x3ff0000c) & ~1);
    expect(call()).toBe(7);
  });
});
