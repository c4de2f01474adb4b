/**
 * The ROM's UART download protocol (firmware/rom/download.c) at the packet level: what esptool
 * sends and what the ESP8266's ROM loader answers (esptool's serial-protocol documentation).
 * Strap 1 — GPIO0 held low at reset — enters it, as on the chip.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';

const SECTOR = 4096;
const FLASH_SIZE = 0x100000;

/** SLIP framing as esptool writes it. */
function slip(packet: readonly number[]): number[] {
  const out = [0xc0];
  for (const b of packet) {
    if (b === 0xc0) out.push(0xdb, 0xdc);
    else if (b === 0xdb) out.push(0xdb, 0xdd);
    else out.push(b);
  }
  out.push(0xc0);
  return out;
}

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const words = (...v: number[]) => v.flatMap(le32);

interface Answer {
  command: number;
  value: number;
  status: number;
  error: number;
}

/** A board in download mode and esptool's side of the conversation. */
class Loader {
  readonly board: Board;
  private rx: number[] = [];
  private text = '';

  constructor(flash: Uint8Array, hostBaud = 115200) {
    this.board = createBoard({ flash, flashSize: flash.length });
    this.board.uartLineBaud(0, hostBaud);
    this.board.listen({
      uartTx: (uart, b) => {
        if (uart !== 0) return;
        this.rx.push(b);
        this.text += String.fromCharCode(b);
      },
    });
    this.board.driveGpio(0, 0);
    this.board.powerOn();
    this.runUntil(() => this.text.includes('boot mode:(1,'));
    this.rx = [];
  }

  get output(): string {
    return this.text;
  }

  runUntil(done: () => boolean, seconds = 2): void {
    const end = this.board.seconds + seconds;
    while (!done() && this.board.seconds < end) this.board.runUntil(this.board.seconds + 0.002);
  }

  /** Sends a request and collects `expected` answers (or what came within two seconds). */
  request(command: number, data: readonly number[], checksum = 0, expected = 1): Answer[] {
    this.board.uartReceive(0, Uint8Array.from(slip([0x00, command, data.length & 0xff, data.length >> 8, ...le32(checksum), ...data])));
    const answers: Answer[] = [];
    this.runUntil(() => {
      answers.push(...this.takeAnswers());
      return answers.length >= expected;
    });
    // Let any further answers (repeats) arrive too.
    this.board.runUntil(this.board.seconds + 0.05);
    answers.push(...this.takeAnswers());
    return answers;
  }

  private takeAnswers(): Answer[] {
    const answers: Answer[] = [];
    for (;;) {
      const start = this.rx.indexOf(0xc0);
      const end = start < 0 ? -1 : this.rx.indexOf(0xc0, start + 1);
      if (end < 0) return answers;
      const frame = this.rx.slice(start + 1, end);
      this.rx = this.rx.slice(end + 1);
      const bytes: number[] = [];
      for (let i = 0; i < frame.length; i++) {
        if (frame[i] === 0xdb) bytes.push(frame[++i] === 0xdc ? 0xc0 : 0xdb);
        else bytes.push(frame[i]);
      }
      if (bytes.length === 0) continue;
      expect(bytes[0]).toBe(0x01);
      expect(bytes[2] | (bytes[3] << 8)).toBe(bytes.length - 8);
      answers.push({
        command: bytes[1],
        value: (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0,
        status: bytes[8],
        error: bytes[9],
      });
    }
  }
}

const checksum = (data: readonly number[]) => data.reduce((x, b) => x ^ b, 0xef);
const SYNC = [0x07, 0x07, 0x12, 0x20, ...new Array(32).fill(0x55)];

/** Flash whose every sector holds its own number, so an erased sector shows as 0xFF. */
function numberedFlash(): Uint8Array {
  const flash = new Uint8Array(FLASH_SIZE);
  for (let s = 0; s < FLASH_SIZE / SECTOR; s++) flash.fill(s & 0x7f, s * SECTOR, (s + 1) * SECTOR);
  return flash;
}

function erasedSectors(flash: Uint8Array): number[] {
  const erased: number[] = [];
  for (let s = 0; s < flash.length / SECTOR; s++) if (flash[s * SECTOR] === 0xff) erased.push(s);
  return erased;
}

describe('ROM UART download protocol', () => {
  it('answers SYNC eight times with a non-zero value (a stub would send 0)', () => {
    const loader = new Loader(numberedFlash());
    const answers = loader.request(0x08, SYNC, 0, 8);
    expect(answers).toHaveLength(8);
    for (const a of answers) expect(a).toMatchObject({ command: 0x08, status: 0, error: 0 });
    expect(answers[0].value).not.toBe(0);
  });

  it('finds the host\'s baud rate by autobaud on the first packet and sets UART_CLKDIV from it', () => {
    // The ROM runs UART0 from the 52 MHz boot clock: the divider for the host's rate is
    // 52e6 / baud, and esptool turns it back into the crystal (divider × baud / 2 ≈ 26 MHz).
    for (const [baud, divider] of [
      [115200, 451],
      [921600, 56],
      [9600, 5417],
    ]) {
      const loader = new Loader(numberedFlash(), baud);
      expect(loader.request(0x08, SYNC, 0, 8)).toHaveLength(8);
      const clkdiv = loader.request(0x0a, words(0x60000014))[0].value & 0xfffff;
      expect(clkdiv).toBe(divider);
      expect(Math.round((clkdiv * baud) / 1e6 / 2)).toBe(26);
    }
  });

  it("READ_REG of 0x40001000 gives the ESP8266's chip magic; WRITE_REG honours the mask", () => {
    const loader = new Loader(numberedFlash());
    expect(loader.request(0x0a, words(0x40001000))).toEqual([{ command: 0x0a, value: 0xfff0c101, status: 0, error: 0 }]);
    const ram = 0x3ffe9000;
    loader.request(0x09, words(ram, 0x12345678, 0xffffffff, 0));
    loader.request(0x09, words(ram, 0xabcd0000, 0xffff0000, 0));
    expect(loader.request(0x0a, words(ram))[0].value).toBe(0xabcd5678);
  });

  it('answers a command it does not know eight times, as unsupported', () => {
    const loader = new Loader(numberedFlash());
    loader.request(0x08, SYNC, 0, 8); // an empty request alone has too few edges for autobaud
    const answers = loader.request(0x14, [], 0, 8); // GET_SECURITY_INFO: ESP32-S2 and later only
    expect(answers).toHaveLength(8);
    for (const a of answers) {
      expect(a.command).not.toBe(0x14);
      expect(a).toMatchObject({ status: 1, error: 0x05 });
    }
  });

  it('MEM_BEGIN/DATA load RAM, a bad checksum is refused, MEM_END runs the code', () => {
    const loader = new Loader(numberedFlash());
    // Assembled with Debian's xtensa-lx106-elf-as at 0x40108000 (the literal first, then code):
    //   lit: .word 0x60000000 / l32r a2, lit / movi.n a3, '5' / s32i.n a3, a2, 0 / 1: j 1b
    // It writes '5' into UART0's TX FIFO, then loops.
    const code = [0x00, 0x00, 0x00, 0x60, 0x21, 0xff, 0xff, 0x3c, 0x53, 0x39, 0x02, 0x06, 0xff, 0xff, 0x00, 0x00];
    expect(loader.request(0x05, words(code.length, 1, 0x1800, 0x40108000))[0]).toMatchObject({ status: 0 });
    const payload = [...words(code.length, 0, 0, 0), ...code];
    expect(loader.request(0x07, payload, checksum(code) ^ 1)[0]).toMatchObject({ status: 1, error: 0x07 });
    expect(loader.request(0x07, payload, checksum(code))[0]).toMatchObject({ status: 0 });
    const before = loader.output.length;
    expect(loader.request(0x06, words(0, 0x40108004))[0]).toMatchObject({ command: 0x06, status: 0 });
    loader.runUntil(() => loader.output.length > before && loader.output.endsWith('5'));
    expect(loader.output.endsWith('5')).toBe(true);
  });

  it("FLASH_BEGIN erases n + min(n, sectors to the next 64 KB) sectors: the ROM miscount esptool corrects for", () => {
    const flash = numberedFlash();
    const loader = new Loader(flash);
    // 3 sectors at 0x3000: 13 sectors to the 64 KB boundary, so the ROM erases 3 + 3 = 6.
    expect(loader.request(0x02, words(3 * SECTOR, 3, 0x400, 0x3000))[0]).toMatchObject({ status: 0 });
    expect(erasedSectors(loader.board.flash)).toEqual([3, 4, 5, 6, 7, 8]);
    // esptool's compensated size for 20 sectors at 0x20000 (head 16): it sends 20 - 16 = 4.
    expect(loader.request(0x02, words(4 * SECTOR, 20, 0x400, 0x20000))[0]).toMatchObject({ status: 0 });
    expect(erasedSectors(loader.board.flash).filter((s) => s >= 32)).toEqual(
      Array.from({ length: 8 }, (_, i) => 32 + i),
    );
  });

  it('FLASH_DATA writes blocks (a bad checksum is refused), FLASH_END 0 boots the new image', () => {
    const image = readFileSync(new URL('../../firmware/esp/out/hello.bin', import.meta.url));
    const loader = new Loader(new Uint8Array(FLASH_SIZE).fill(0xff));
    const block = 0x400;
    const blocks = Math.ceil(image.length / block);
    expect(loader.request(0x02, words(image.length, blocks, block, 0))[0]).toMatchObject({ status: 0 });
    for (let seq = 0; seq < blocks; seq++) {
      const data = [...image.subarray(seq * block, (seq + 1) * block)];
      while (data.length < block) data.push(0xff);
      const payload = [...words(block, seq, 0, 0), ...data];
      if (seq === 0) {
        expect(loader.request(0x03, payload, checksum(data) ^ 0x10)[0]).toMatchObject({ status: 1, error: 0x07 });
      }
      expect(loader.request(0x03, payload, checksum(data))[0]).toMatchObject({ command: 0x03, status: 0 });
    }
    expect([...loader.board.flash.subarray(0, image.length)]).toEqual([...image]);
    loader.request(0x04, words(0));
    loader.runUntil(() => loader.output.includes('hello from v8266'));
    expect(loader.output).toContain('hello from v8266');
  });
});
