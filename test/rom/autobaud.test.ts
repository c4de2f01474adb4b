/**
 * The ROM's uart_baudrate_detect (docs/rom.md, "UART download mode": autobaud) called as
 * Arduino's and NodeMCU's UART drivers call it, through firmware/romtest/autobaud.c: the divider
 * for the host's rate in cycles of the 80 MHz APB clock the firmware runs UART0 from.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const sync = () => new Uint8Array(4).fill(0x55); // 10 RXD edges per byte

describe('ROM uart_baudrate_detect', () => {
  it('returns 0 until more than 29 edges were timed, then APB / baud; async 0 waits for it', () => {
    const t = bootRomtest('autobaud');
    t.board.uartLineBaud(0, 115200);
    expect(t.runUntilText('ready\n')).toBe(true);
    // Nothing arrives: the async caller keeps getting 0.
    t.runUntilText('div', 0.02);
    expect(t.out()).not.toContain('div');
    t.board.uartReceive(0, sync());
    expect(t.runUntilText('ready2\n')).toBe(true);
    t.board.uartLineBaud(0, 57600);
    t.board.uartReceive(0, sync());
    expect(t.runUntilText('done\n')).toBe(true);
    expect(t.out()).toBe(
      [
        'none 0 autobaud 801', // the first call enabled the measurement (glitch filter 8)
        'ready',
        'div 694 autobaud 800 edges>29 1', // 80e6 / 115200; the measurement stopped
        'again 694', // the registers kept their values
        'ready2',
        'sync 1389', // 80e6 / 57600
        'done',
        '',
      ].join('\n'),
    );
  });
});
