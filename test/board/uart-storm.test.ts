/**
 * UART output integrity under load (firmware/soak/uart_storm.c): 150 lines written the polled
 * SDK way (wait while TXCNT ≥ 126) from a task that a 2 kHz timer interrupt keeps preempting, then
 * 150 through an interrupt-driven ring (TXFIFO_EMPTY refills, Arduino HardwareSerial style). On
 * the chip every byte leaves the pin once, in order, back to back at the line rate.
 */
import { describe, expect, it } from 'vitest';
import { bench, soakImage } from './firmware.ts';

const BODY = ' 0123456789abcdefghijklmnopqrstuvwxyz\r\n';
const lines = (phase: string) =>
  Array.from({ length: 150 }, (_, n) => `${phase} ${String(n).padStart(4, '0')}${BODY}`).join('');

describe('UART print storm', () => {
  it('never drops, duplicates or reorders a byte, and keeps the line busy', () => {
    const b = bench(soakImage('uart_storm'));
    const start = b.waitFor('uart storm\r\n') + 'uart storm\r\n'.length;
    const done = b.waitFor('storm done', 20);
    expect(b.out.slice(start, done)).toBe(lines('P') + lines('R'));
    b.waitFor('timer interrupts', 1, done);
    expect(Number(/storm done, (\d+) timer/.exec(b.out)?.[1])).toBeGreaterThan(1000);
    // Polled writes keep the FIFO from running dry: consecutive bytes one frame apart.
    const frame = 10 / 115274;
    const gaps = b.byteTimes.slice(start + 1, done).map((t, i) => t - b.byteTimes[start + i]);
    expect(Math.max(...gaps)).toBeLessThan(frame * 1.01);
  });
});
