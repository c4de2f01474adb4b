/** The default demo (firmware/esp/demo.c) on the board: what a NodeMCU running it would do. */
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { bench, firmwareImage } from './firmware.ts';

/** One FRC1 count at 80 MHz / 256. */
const FRC1_TICK = 256 / 80e6;

describe('own ESP8266 firmware', () => {
  it('hello prints after the ROM banner at 115200 baud', () => {
    const b = bench('hello');
    b.waitFor('hello from v8266\r\n', 0.1);
    expect(b.out).toMatch(/csum 0x[0-9a-f]{2}\r\nhello from v8266\r\n$/);
    expect(b.board.stats.cpuMhz).toBe(80);
  });

  it('demo says it is ready, then blinks GPIO2 at 1 Hz (0.5 s per level) from its timer', () => {
    const b = bench('demo');
    b.waitFor('v8266 demo ready', 0.1);
    b.board.runUntil(4.2);
    const led = b.gpio.filter((g) => g.pin === 2 && g.at > 0);
    expect(led.length).toBe(8);
    for (let i = 1; i < led.length; i++) {
      expect(led[i].level).not.toBe(led[i - 1].level);
      expect(Math.abs(led[i].at - led[i - 1].at - 0.5)).toBeLessThanOrEqual(FRC1_TICK);
    }
    for (let i = 2; i < led.length; i++) {
      expect(Math.abs(led[i].at - led[i - 2].at - 1)).toBeLessThanOrEqual(FRC1_TICK);
    }
    expect(led[0].level).toBe(0); // first toggle lights the (active-low) LED
  });

  it('demo idles in WAITI: a simulated second costs a few hundred instructions', () => {
    const b = bench('demo');
    b.board.runUntil(1);
    const before = b.board.stats.instructions;
    b.board.runUntil(11);
    const perSecond = (b.board.stats.instructions - before) / 10;
    expect(perSecond).toBeGreaterThan(0); // the blink interrupts run
    expect(perSecond).toBeLessThan(500);
  });

  it('demo counts boots in RTC memory across resets and in flash across power cycles', () => {
    const b = bench('demo');
    b.waitFor('v8266 demo ready', 0.1);
    expect(b.out).toContain('boot 1 (flash), 1 since power-on (rtc)');
    const mark = b.out.length;
    b.board.reset();
    b.waitFor('v8266 demo ready', 0.1, mark);
    expect(b.out.slice(mark)).toContain('rst cause:2');
    expect(b.out.slice(mark)).toContain('boot 2 (flash), 2 since power-on (rtc)');
    // Power cycle: a new board with the flash the old one left (the host persisted it).
    const again = bench(firmwareImage('demo'), b.board.flash);
    again.waitFor('v8266 demo ready', 0.1);
    expect(again.out).toContain('boot 3 (flash), 1 since power-on (rtc)');
    // The same board powered off and on again: RTC memory starts over, flash keeps counting.
    b.board.powerOff();
    b.board.powerOn();
    const mark2 = b.out.length;
    b.waitFor('v8266 demo ready', 0.1, mark2);
    expect(b.out.slice(mark2)).toContain('rst cause:1');
    expect(b.out.slice(mark2)).toContain('boot 3 (flash), 1 since power-on (rtc)');
  });

  it('demo echoes serial input and reports the FLASH button, toggling the GPIO16 LED', () => {
    const b = bench('demo');
    b.waitFor('v8266 demo ready', 0.1);
    b.board.runUntil(0.1);
    const mark = b.out.length;
    b.send('ping');
    b.board.runUntil(0.2);
    expect(b.out.slice(mark)).toBe('ping');
    b.board.pressFlashButton(true);
    b.board.runUntil(0.25);
    b.board.pressFlashButton(false);
    b.board.runUntil(0.3);
    b.board.pressFlashButton(true);
    b.board.runUntil(0.35);
    b.board.pressFlashButton(false);
    b.board.runUntil(0.4);
    expect(b.out.slice(mark)).toBe('pingFLASH button pressed (1)\r\nFLASH button pressed (2)\r\n');
    const led16 = b.gpio.filter((g) => g.pin === 16 && g.at > 0.1).map((g) => g.level);
    expect(led16).toEqual([0, 1]);
    expect(b.board.leds.gpio16).toBe(false);
  });

  it('the board API gives the power-on pad levels first, then only changes', () => {
    const board = createBoard({ flash: firmwareImage('hello') });
    const seen: string[] = [];
    board.listen({ gpio: (pin, level) => seen.push(`${pin}=${level}`) });
    board.powerOn();
    expect(seen.length).toBe(17);
    expect(seen.slice(0, 3)).toEqual(['0=1', '1=1', '2=1']);
    expect(seen[16]).toBe('16=0');
  });
});
