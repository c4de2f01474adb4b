/**
 * ROM UART character functions (rom-internals §4.1: uartAttach, Uart_Init, uart_buff_switch,
 * uart_rx_one_char(_block), uart_tx_one_char) and rand/srand (newlib's generator, our choice:
 * docs/rom.md), through firmware/romtest/uart.c booted on the board.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

/** newlib rand(): next = next * 6364136223846793005 + 1 (mod 2^64), bits 62..32. */
function newlibRand(seed: bigint, n: number): number[] {
  let next = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    next = BigInt.asUintN(64, next * 6364136223846793005n + 1n);
    out.push(Number((next >> 32n) & 0x7fffffffn));
  }
  return out;
}

describe('ROM UART character functions and rand', () => {
  it('rand/srand, RX polling and blocking, uartAttach, Uart_Init(1), uart_buff_switch', () => {
    const t = bootRomtest('uart');
    expect(t.runUntilText('ready\n', 0.5)).toBe(true);
    // Nothing arrives for a while: uart_rx_one_char_block keeps waiting.
    t.runUntilText('got', 0.02);
    expect(t.out()).not.toContain('got');
    t.board.uartReceive(0, Uint8Array.from([0x68, 0x69])); // "hi"
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    const [r0, r1] = newlibRand(1n, 2);
    const [a, b] = newlibRand(42n, 2);
    expect(t.out()).toBe(
      [
        `rand ${r0} ${r1} srand ${a} ${b} ${a}`,
        'rx empty 1 55', // FAIL, the byte untouched
        'ready',
        'got hi',
        // the fields uartAttach sets again: baud, RX buffer start and write pointer, trigger level
        'attach 115200 3fffde60 3fffde60 1',
        'uart1 694 c 1',
        'done',
        '',
      ].join('\n'),
    );
    expect(t.out1()).toBe('Aon uart1\r\n');
  });
});
