/** Boots a firmware/romtest image on the board and collects what it prints after the ROM's lines. */
import { readFileSync } from 'node:fs';
import { createBoard, type Board } from '../../src/board/board.ts';

export function romtestImage(name: string): Uint8Array {
  return readFileSync(new URL(`../../firmware/romtest/out/${name}.bin`, import.meta.url));
}

export interface RomtestRun {
  board: Board;
  /** UART0 output after the ROM's "csum" line, with CR LF turned into LF. */
  out: () => string;
  /** Everything UART1 sent, as sent. */
  out1: () => string;
  /** Runs until `text` appears in the output or `seconds` of simulated time passed. */
  runUntilText: (text: string, seconds?: number) => boolean;
}

export function bootRomtest(name: string): RomtestRun {
  const board = createBoard({ flash: romtestImage(name) });
  let raw = '';
  let raw1 = '';
  board.listen({
    uartTx: (uart, b) => {
      if (uart === 0) raw += String.fromCharCode(b);
      else raw1 += String.fromCharCode(b);
    },
  });
  board.powerOn();
  const out = () => {
    const at = raw.indexOf('csum 0x');
    const rest = at < 0 ? '' : raw.slice(raw.indexOf('\n', at) + 1);
    return rest.replace(/\r\n/g, '\n');
  };
  const runUntilText = (text: string, seconds = 0.5) => {
    const end = board.seconds + seconds;
    while (board.seconds < end) {
      board.runUntil(Math.min(end, board.seconds + 0.005));
      if (out().includes(text)) return true;
    }
    return out().includes(text);
  };
  return { board, out, out1: () => raw1, runUntilText };
}
