/**
 * Our own peripheral test programs (firmware/esp/*_test.c) on the board. Each drives one block
 * through its registers the way SDK code does and prints PASS/FAIL lines; the host side plays the
 * person at the bench (types, drives pins, presses FLASH) and checks what a real NodeMCU would
 * show on its serial port and pins, with timing where it matters.
 */
import { describe, expect, it } from 'vitest';
import { bench, verdicts } from './firmware.ts';

describe('peripheral programs', () => {
  it('UART: baud switch, TX FIFO count, RX polling with echo, RX interrupt', () => {
    const b = bench('uart_test');
    b.waitFor('send 5 bytes\r\n');
    b.send('abcde');
    b.waitFor('send 3 bytes for the interrupt\r\n');
    b.send('xyz');
    b.waitFor('DONE');
    expect(b.out).toContain('rx fifo count 5, echo: abcde\r\n');
    expect(b.out).toContain('rx interrupt got "xyz"\r\n');
    expect(b.out).toContain('tx fifo count 20\r\n');
    expect(verdicts(b.out)).toEqual([
      'PASS clkdiv 115200',
      'PASS baud switch',
      'PASS tx fifo count',
      'PASS rx fifo count',
      'PASS rx interrupt',
      'PASS rx interrupt cleared',
    ]);
    // 74880-ish ROM banner, 115200, 9600, 115200 again (reported as the divider gives them).
    expect(b.bauds.filter((x, i) => x !== b.bauds[i - 1])).toEqual([74928, 115274, 9600, 115274]);
    // At 9600 baud each 10-bit frame takes 1.0417 ms on the wire.
    const at = b.out.indexOf('at 9600 baud');
    const gap = b.byteTimes[at + 5] - b.byteTimes[at + 4];
    expect(gap).toBeCloseTo(10 / 9600, 6);
    expect(b.out).toContain('DONE 0 failed');
  });

  it('GPIO: outputs, an input driven by the host, the FLASH edge interrupt, GPIO16', () => {
    const b = bench('gpio_test');
    b.waitFor('drive gpio12 high\r\n');
    b.board.driveGpio(12, 1);
    b.waitFor('press flash\r\n');
    b.board.pressFlashButton(true);
    b.waitFor('release flash\r\n');
    b.board.pressFlashButton(false);
    b.waitFor('DONE');
    expect(b.out).toContain('gpio interrupt status 0x1\r\n');
    expect(verdicts(b.out)).toEqual([
      'PASS output gpio4=1 gpio5=0',
      'PASS output gpio4=0 gpio5=1',
      'PASS input gpio12 low',
      'PASS input gpio12 high',
      'PASS falling edge interrupt',
      'PASS no interrupt on the rising edge',
      'PASS gpio16 low',
      'PASS gpio16 high',
    ]);
    const pads = b.gpio.filter((g) => g.at > 0).map((g) => `${g.pin}=${g.level}`);
    expect(pads).toEqual(['4=1', '4=0', '5=1', '12=1', '0=0', '0=1', '16=1']);
  });

  it('FRC1 count-down, auto-reload interrupts and the FRC2 alarm, timed in simulated µs', () => {
    const b = bench('timer_test');
    b.waitFor('DONE');
    expect(b.out).toMatch(/frc1 counted down (49[5-9]|50\d) in 100 us/);
    expect(verdicts(b.out)).toEqual([
      'PASS frc1 count-down',
      'PASS frc1 auto-reload interrupt',
      'PASS frc2 alarm',
    ]);
  });

  it('RTC memory survives a software reset (second boot: rst cause:3)', () => {
    const b = bench('rtcmem_test');
    b.waitFor('DONE', 1);
    expect(b.resets.map((r) => r.cause)).toEqual([3]);
    expect(b.out).toContain('rtc memory written, software reset\r\n');
    expect(b.out).toContain(' ets Jan  8 2013,rst cause:3, boot mode:(3,6)\r\n');
    expect(verdicts(b.out)).toEqual([
      'PASS rtc memory kept across software reset',
      'PASS reset cause 3',
    ]);
  });

  it('flash erase/program/read through the SPI0 registers, and the flash window', () => {
    const b = bench('flash_test');
    b.waitFor('DONE');
    expect(b.out).toContain('jedec id 1640ef\r\n');
    expect(verdicts(b.out)).toEqual([
      'PASS jedec id (Winbond, 4 MB)',
      'PASS sector erase reads 0xFF',
      'PASS page program and read back',
      'PASS program only clears bits',
      'PASS read through the flash window',
    ]);
    const flash = new DataView(b.board.flash.buffer);
    expect(flash.getUint32(0x210000, true)).toBe((0x11111111 ^ 0xffff0000) & 0x0f0f0f0f);
    expect(flash.getUint32(0x210020, true)).toBe(0xffffffff);
  });

  it('a guest spinning with interrupts off is reset by the watchdog (rst cause:4)', () => {
    const b = bench('wdt_test');
    const line = 'spinning with interrupts off\r\n';
    const armed = b.waitFor(line);
    // The program drains the UART, then arms: the line's last byte is the arming time.
    const armedAt = b.byteTimes[armed + line.length - 1];
    b.waitFor('DONE', 2, armed);
    expect(b.resets.map((r) => r.cause)).toEqual([4]);
    // Two stages of 2^8 × 0.8 ms from the arming.
    expect(b.resets[0].at - armedAt).toBeGreaterThan(0.4096);
    expect(b.resets[0].at - armedAt).toBeLessThan(0.4096 + 0.0001);
    expect(b.out).toContain(' ets Jan  8 2013,rst cause:4, boot mode:(3,6)\r\n\r\nwdt reset\r\n');
    expect(verdicts(b.out)).toEqual(['PASS watchdog reset (cause 4)']);
  });
});
