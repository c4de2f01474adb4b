/**
 * Bad input never crashes the emulator. Each image below is something a user can really flash;
 * the ROM reacts the way the mask ROM does (its lines, byte for byte), and the board keeps running:
 * simulated time advances, no exception reaches the host, and the RST button boots it again.
 */
import { describe, expect, it } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';
import { bannerLine, buildImage, loaderLines } from './esp-image.ts';

const J_SELF = [0x06, 0xff, 0xff, 0x00]; // "j ." padded to a word
const PANIC = 'ets_main.c ';

function runBad(flash: Uint8Array): { board: Board; out: () => string } {
  const board = createBoard({ flash });
  let out = '';
  board.listen({ uartTx: (_u, b) => (out += String.fromCharCode(b)) });
  board.powerOn();
  // In slices, as the hosts run it.
  for (let t = 0.05; t <= 0.5 + 1e-9; t += 0.05) board.runUntil(t);
  expect(board.seconds).toBeGreaterThanOrEqual(0.5);
  return { board, out: () => out };
}

/** The board still answers: an external reset prints the banner again, time goes on. */
function expectAlive(board: Board, out: () => string): void {
  const before = out().length;
  const t = board.seconds;
  board.reset();
  board.runUntil(t + 0.05);
  expect(board.seconds).toBeGreaterThanOrEqual(t + 0.05);
  expect(out().slice(before)).toContain(bannerLine(2, 3, 6));
}

describe('bad flash contents', () => {
  it('empty flash (erased, 0xFF): banner, the ets_main.c panic, then nothing; still running', () => {
    const { board, out } = runBad(new Uint8Array(0));
    expect(out()).toBe(bannerLine(1, 3, 6) + PANIC);
    expectAlive(board, out);
  });

  it('truncated image: segment data missing reads as erased flash, then the store faults', () => {
    const full = buildImage(0x40100000, [
      { addr: 0x40100000, data: new Uint8Array(J_SELF) },
      { addr: 0x3ffe8000, data: new Uint8Array(64).fill(3) },
    ]);
    const { board, out } = runBad(full.slice(0, 8 + 8 + 4));
    const first = loaderLines(full).split('\r\n').slice(0, 3).join('\r\n') + '\r\n';
    expect(out()).toBe(bannerLine(1, 3, 6) + first + 'load 0xffffffff, len -1, room 4 \r\n');
    expectAlive(board, out);
  });

  it('truncated inside the last segment: the checksum no longer matches', () => {
    const full = buildImage(0x40100000, [
      { addr: 0x40100000, data: new Uint8Array(J_SELF) },
      { addr: 0x3ffe8000, data: new Uint8Array(64).fill(3) },
    ]);
    const cut = full.slice(0, full.length - 40);
    const { board, out } = runBad(cut);
    // The missing bytes read 0xFF: the loader lines are those of the cut image padded with 0xFF.
    const padded = new Uint8Array(full.length).fill(0xff);
    padded.set(cut);
    expect(out()).toBe(bannerLine(1, 3, 6) + loaderLines(padded) + 'csum err\r\n' + PANIC);
    expectAlive(board, out);
  });

  it('corrupt checksum: the csum line, "csum err", the panic', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    image[image.length - 1] ^= 0x5a;
    const { board, out } = runBad(image);
    expect(out()).toBe(bannerLine(1, 3, 6) + loaderLines(image) + 'csum err\r\n' + PANIC);
    expectAlive(board, out);
  });

  it('segment outside RAM: the load line, then the ROM store faults and the CPU parks', () => {
    const image = buildImage(0x40100000, [{ addr: 0x50000000, data: new Uint8Array(16).fill(1) }]);
    const { board, out } = runBad(image);
    expect(out()).toBe(bannerLine(1, 3, 6) + 'load 0x50000000, len 16, room 16 \r\n');
    expectAlive(board, out);
  });

  it('a good image whose entry point is unmapped: the fetch faults in the guest, not the host', () => {
    const image = buildImage(0x00000000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    const { board, out } = runBad(image);
    // Cause 20 has no ROM handler: the unhandled-exception path parks the CPU, silently.
    expect(out()).toBe(bannerLine(1, 3, 6) + loaderLines(image));
    expect(board.soc.cpu.halted).toBe(true);
    expectAlive(board, out);
  });

  it('random bytes behind a valid magic byte (seeded): never an exception, time always advances', () => {
    let seed = 0x8266;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    for (let n = 0; n < 12; n++) {
      const image = new Uint8Array(64 + Math.floor(rand() * 512)).map(() =>
        Math.floor(rand() * 256),
      );
      image[0] = 0xe9;
      image[1] = 1 + Math.floor(rand() * 3);
      const board = createBoard({ flash: image });
      board.listen({});
      board.powerOn();
      board.runUntil(0.05);
      board.runUntil(0.1);
      expect(board.seconds).toBeGreaterThanOrEqual(0.1);
    }
  });
});

describe('bad host input', () => {
  it('odd calls from a host are ignored, never thrown', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    const board = createBoard({ flash: image });
    board.runUntil(1); // not powered: nothing happens
    expect(board.seconds).toBe(0);
    board.powerOn();
    board.driveGpio(99, 1);
    board.driveGpio(-1, 0);
    board.driveGpio(1.5, 0);
    board.setA0(Number.NaN);
    board.setA0(1e9);
    board.runUntil(Number.NaN);
    board.runUntil(-5);
    board.uartReceive(7, new Uint8Array(4));
    board.uartReceive(0, new Uint8Array(100_000).fill(0x55)); // far more than the 128-byte FIFO
    board.runUntil(0.2);
    expect(board.seconds).toBeGreaterThanOrEqual(0.2);
    expect(board.soc.sar.a0).toBe(1023);
  });
});
