/** Boot one of our firmware/esp programs on the board and drive it like a person at the bench. */
import { readFileSync } from 'node:fs';
import { createBoard, type Board } from '../../src/board/board.ts';

export function firmwareImage(name: string): Uint8Array {
  return readFileSync(new URL(`../../firmware/esp/out/${name}.bin`, import.meta.url));
}

/** One of the long-running programs in firmware/soak. */
export function soakImage(name: string): Uint8Array {
  return readFileSync(new URL(`../../firmware/soak/out/${name}.bin`, import.meta.url));
}

export interface Bench {
  board: Board;
  /** Everything UART0 printed since power-on. */
  out: string;
  /** Simulated time of each UART0 byte (same index as `out`). */
  byteTimes: number[];
  /** `pin=level@seconds` for every pad change. */
  gpio: { pin: number; level: number; at: number }[];
  resets: { cause: number; at: number }[];
  bauds: number[];
  /** Run until `text` appears in the output after `from` (default: anywhere), or fail. */
  waitFor(text: string, maxSeconds?: number, from?: number): number;
  send(text: string): void;
}

export function bench(name: string | Uint8Array, flash?: Uint8Array): Bench {
  const image = typeof name === 'string' ? firmwareImage(name) : name;
  const board = createBoard({ flash: flash ?? image });
  const b: Bench = {
    board,
    out: '',
    byteTimes: [],
    gpio: [],
    resets: [],
    bauds: [],
    waitFor(text, maxSeconds = 2, from = 0) {
      const limit = board.seconds + maxSeconds;
      for (;;) {
        const at = b.out.indexOf(text, from);
        if (at >= 0) return at;
        if (board.seconds >= limit)
          throw new Error(`"${text}" not seen within ${maxSeconds} s; output:\n${b.out}`);
        board.runUntil(Math.min(limit, board.seconds + 0.005));
      }
    },
    send(text) {
      board.uartReceive(0, new TextEncoder().encode(text));
    },
  };
  board.listen({
    uartTx: (uart, byte) => {
      if (uart !== 0) return;
      b.out += String.fromCharCode(byte);
      b.byteTimes.push(board.seconds);
    },
    uartBaud: (uart, baud) => {
      if (uart === 0) b.bauds.push(baud);
    },
    gpio: (pin, level) => b.gpio.push({ pin, level, at: board.seconds }),
    reset: (cause) => b.resets.push({ cause, at: board.seconds }),
  });
  board.powerOn();
  return b;
}

/** The PASS/FAIL lines a test program printed. */
export function verdicts(out: string): string[] {
  return out.split('\r\n').filter((l) => /^(PASS|FAIL) /.test(l));
}
