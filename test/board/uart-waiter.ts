/** Waiting for text on UART0 and typing into it, for tests that script a real firmware's console. */
import type { EmulatedBoard } from '../../src/board/board-api.ts';

/**
 * `until(needle, seconds)` runs the board in 10 ms steps until `needle` appears after the previous
 * match (true) or `seconds` of simulated time pass (false); `send` types into UART0.
 */
export function uartWaiter(board: EmulatedBoard, text: () => string) {
  let from = 0;
  const until = (needle: string, seconds: number) => {
    const end = board.seconds + seconds;
    while (board.seconds < end) {
      board.runUntil(Math.min(end, board.seconds + 0.01));
      const at = text().indexOf(needle, from);
      if (at >= 0) {
        from = at + needle.length;
        return true;
      }
    }
    return false;
  };
  const send = (s: string) => board.uartReceive(0, new TextEncoder().encode(s));
  return { until, send };
}
