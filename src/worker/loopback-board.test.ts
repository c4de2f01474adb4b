import { describe, expect, it } from 'vitest';
import { LoopbackBoard } from './loopback-board.ts';

describe('LoopbackBoard', () => {
  it('stays silent and still until powered', () => {
    const board = new LoopbackBoard(new Uint8Array(8));
    const out: number[] = [];
    board.listen({ uartTx: (_u, b) => out.push(b) });
    board.runUntil(1);
    board.uartReceive(0, new Uint8Array([65]));
    expect(board.seconds).toBe(0);
    expect(out).toEqual([]);
    board.powerOn();
    expect(String.fromCharCode(...out)).toContain('8 bytes of flash');
  });

  it('burns wall time in proportion to simulated time when busy', () => {
    const board = new LoopbackBoard(new Uint8Array(8), 4);
    board.powerOn();
    const start = performance.now();
    board.runUntil(0.005); // 5 simulated ms → at least 20 wall ms
    expect(performance.now() - start).toBeGreaterThanOrEqual(20);
    expect(board.seconds).toBe(0.005);
  });
});
