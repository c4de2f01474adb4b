/**
 * Our boot ROM on the emulated chip: the banner and loader lines byte for byte as the mask ROM
 * prints them (formulas: esp8266-hw.md §7.4–7.6, rom-internals §4.1–4.2, format: SDK programming
 * guide Appendix A.3), and what it does with images it cannot boot.
 */
import { describe, expect, it } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';
import { bannerLine, buildImage, loaderLines } from './esp-image.ts';

const J_SELF = [0x06, 0xff, 0xff, 0x00]; // "j ." padded to a word

function boot(
  flash: Uint8Array,
  seconds = 0.1,
  setup?: (b: Board) => void,
): { out: string; board: Board } {
  const board = createBoard({ flash });
  let out = '';
  board.listen({
    uartTx: (uart, byte) => {
      if (uart === 0) out += String.fromCharCode(byte);
    },
  });
  setup?.(board);
  board.powerOn();
  board.runUntil(seconds);
  return { out, board };
}

/** GPIO_IN[31:29] as the ROM reads it for the banner's second number. */
function sdStraps(board: Board): number {
  return (board.soc.gpio.read(0x18) >>> 29) & 7;
}

describe('boot ROM banner', () => {
  it('prints the banner and loader lines exactly as the mask ROM formulas give them', () => {
    const image = buildImage(0x40100000, [
      { addr: 0x40100000, data: new Uint8Array([...J_SELF, 1, 2, 3, 4, 5, 6, 7, 8]) },
      { addr: 0x3ffe8000, data: new Uint8Array(40).map((_, i) => i * 7) },
    ]);
    const { out, board } = boot(image);
    expect(out).toBe(bannerLine(1, 3, sdStraps(board)) + loaderLines(image));
    expect(board.soc.cpu.pc).toBe(0x40100000);
  });

  // rom-internals §4.1 (uartAttach): firmware attaches its own UART0 RX handler to &UartDev.rcv_buff
  // (0x3FFFDE28) and stores bytes at its write pointer; NodeMCU 0.9.5 takes these as the ROM left
  // them. Layout: baud +0, data bits +4, parity +8/+12, stop +16, flow +20, RX buffer {size,
  // start, write, read, trigger level, state} at +24, TX buffer {size, start} at +48, UART +64.
  it('leaves UartDev as uartAttach does: 256-byte RX buffer at 0x3FFFDE60, 100-byte TX buffer', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    const { board } = boot(image);
    const word = (off: number) => board.soc.bus.read32(0x3fffde10 + off);
    expect(word(0)).toBe(115200);
    expect(word(4)).toBe(3);
    expect([word(8), word(12), word(16), word(20)]).toEqual([0, 0, 0, 0]);
    expect([word(24), word(28), word(32), word(36)]).toEqual([
      256, 0x3fffde60, 0x3fffde60, 0x3fffde60,
    ]);
    expect(word(40) & 0xff).toBe(1);
    expect(word(44)).toBe(0);
    expect([word(48), word(52)]).toEqual([100, 0x3fffdf60]);
    expect([word(56), word(60), word(64) & 0xff]).toEqual([0, 0, 0]);
  });

  it('matches the Appendix A.3 shape (one segment at 0x4010f000, room 16)', () => {
    const image = buildImage(0x4010f000, [
      { addr: 0x4010f000, data: new Uint8Array(1264).fill(0) },
    ]);
    image.set(J_SELF, 16);
    image[image.length - 1] = 0xef ^ J_SELF.reduce((a, b) => a ^ b, 0);
    const { out } = boot(image);
    const lines = out.split('\r\n');
    expect(lines[1]).toMatch(/^ ets Jan {2}8 2013,rst cause:1, boot mode:\(3,\d\)$/);
    expect(lines[3]).toBe('load 0x4010f000, len 1264, room 16 ');
    expect(lines[4]).toBe('tail 0');
    expect(lines[5]).toMatch(/^chksum 0x[0-9a-f]{2}$/);
    expect(lines[6]).toBe(`csum ${lines[5].slice(7)}`);
  });

  it('prints the "ho" line when a segment header straddles a 16-byte chunk', () => {
    // Segment 1 data at 16, 12 bytes long: the next header starts at offset 28 (28 mod 16 = 12).
    const image = buildImage(0x40100000, [
      { addr: 0x40100000, data: new Uint8Array([...J_SELF, 0, 0, 0, 0, 9, 9, 9, 9]) },
      { addr: 0x3ffe8000, data: new Uint8Array(8).fill(0x55) },
    ]);
    const { out, board } = boot(image);
    expect(out).toContain('ho 0 tail 12 room 4\r\nload 0x3ffe8000, len 8, room 12 \r\n');
    expect(out).toBe(bannerLine(1, 3, sdStraps(board)) + loaderLines(image));
  });

  it('reports an external reset as rst cause:2 and keeps booting', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    const { board } = boot(image);
    let out = '';
    board.listen({ uartTx: (_u, b) => (out += String.fromCharCode(b)) });
    board.reset();
    board.runUntil(board.seconds + 0.1);
    expect(out).toBe(bannerLine(2, 3, sdStraps(board)) + loaderLines(image));
  });

  it('waits in UART download mode when FLASH (GPIO0) is held at reset', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    const { out, board } = boot(image, 0.1, (b) => b.pressFlashButton(true));
    expect(out).toBe(bannerLine(1, 1, sdStraps(board)));
    expect(board.soc.cpu.halted).toBe(true);
  });
});

describe('boot ROM with images it cannot boot', () => {
  const PANIC = 'ets_main.c ';

  it('empty flash (all 0xFF): banner, then the ets_main.c panic, then the CPU stays parked', () => {
    const { out, board } = boot(new Uint8Array(0));
    expect(out).toBe(bannerLine(1, 3, sdStraps(board)) + PANIC);
    const before = out.length;
    board.runUntil(0.5);
    expect(out.length).toBe(before);
  });

  it('bad magic byte: the same silent failure', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    image[0] = 0xea;
    const { out, board } = boot(image);
    expect(out).toBe(bannerLine(1, 3, sdStraps(board)) + PANIC);
  });

  it('checksum mismatch: csum line, "csum err", panic', () => {
    const image = buildImage(0x40100000, [{ addr: 0x40100000, data: new Uint8Array(J_SELF) }]);
    image[image.length - 1] ^= 0x5a;
    const { out, board } = boot(image);
    expect(out).toBe(
      bannerLine(1, 3, sdStraps(board)) + loaderLines(image) + 'csum err\r\n' + PANIC,
    );
  });

  it('segment outside RAM: the load line, then the store faults and the CPU parks', () => {
    const image = buildImage(0x40100000, [{ addr: 0x50000000, data: new Uint8Array(16).fill(1) }]);
    const { out, board } = boot(image);
    expect(out).toBe(bannerLine(1, 3, sdStraps(board)) + 'load 0x50000000, len 16, room 16 \r\n');
    expect(board.seconds).toBeGreaterThanOrEqual(0.1);
  });

  it('truncated image: the missing segment header reads as erased flash (0xFFFFFFFF)', () => {
    const full = buildImage(0x40100000, [
      { addr: 0x40100000, data: new Uint8Array(J_SELF) },
      { addr: 0x3ffe8000, data: new Uint8Array(64).fill(3) },
    ]);
    const truncated = full.slice(0, 8 + 8 + 4);
    const { out, board } = boot(truncated);
    const first = loaderLines(full).split('\r\n').slice(0, 3).join('\r\n') + '\r\n';
    expect(out).toBe(
      bannerLine(1, 3, sdStraps(board)) + first + 'load 0xffffffff, len -1, room 4 \r\n',
    );
  });
});
