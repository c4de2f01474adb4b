import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';

describe('Board.runUntil', () => {
  it('reaches at least the time asked for, whatever its float rounding', () => {
    const board = createBoard({ flash: readFileSync(new URL('../../firmware/esp/out/demo.bin', import.meta.url)) });
    board.powerOn();
    // Sums of decimal steps, the way hosts compute "now + slice": many are one rounding short
    // of a whole tick, and a loop `while (board.seconds < end) runUntil(end)` must still end.
    let end = 0;
    let short = 0;
    for (let i = 0; i < 2000; i++) {
      end += 0.0007 + (i % 7) * 1e-9;
      if (Math.round(end * 2_080_000_000) / 2_080_000_000 < end) short++;
      board.runUntil(end);
      expect(board.seconds).toBeGreaterThanOrEqual(end);
    }
    expect(short).toBeGreaterThan(0); // the case this guards against really occurs
  });
});
