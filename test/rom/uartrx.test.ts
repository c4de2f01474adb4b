/**
 * The ROM's INT 5 receiver (firmware/rom/print.c uart_rx_intr_handler; rom-internals §4.1: the
 * reset path's uartAttach attaches it with arg 0x3FFFDE28, INT 5 masked) through
 * firmware/romtest/uartrx.c: once the firmware unmasks INT 5, UART0 bytes land in UartDev's RX
 * ring; a byte that would fill the ring is dropped.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('ROM UART RX interrupt handler', () => {
  it('is attached at reset and fills the RX ring', () => {
    const t = bootRomtest('uartrx');
    expect(t.runUntilText('ready\n', 0.5)).toBe(true);
    t.board.uartReceive(0, bytes('abc'));
    expect(t.runUntilText('full\n', 0.5)).toBe(true);
    t.board.uartReceive(0, bytes('xyz'));
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'int5 40003bbc 3fffde28', // the record of INT 5: the ROM handler, UartDev's RX record
        'ready',
        'ring abc wr +3',
        'full',
        'kept x wr +1', // one free byte: "x" stored, "y" and "z" dropped
        'done',
        '',
      ].join('\n'),
    );
  });
});
