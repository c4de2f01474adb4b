/** The default demo (firmware/esp/demo.c) on the board: what a NodeMCU running it would do. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';

const demo = readFileSync(new URL('../../firmware/esp/out/demo.bin', import.meta.url));
const hello = readFileSync(new URL('../../firmware/esp/out/hello.bin', import.meta.url));

function start(image: Uint8Array) {
  const board = createBoard({ flash: image });
  const state = { out: '', led: [] as { level: number; at: number }[] };
  board.listen({
    uartTx: (_u, b) => (state.out += String.fromCharCode(b)),
    gpio: (pin, level) => { if (pin === 2) state.led.push({ level, at: board.seconds }); },
  });
  board.powerOn();
  return { board, state };
}

describe('own ESP8266 firmware', () => {
  it('hello prints after the ROM banner at 115200 baud', () => {
    const { board, state } = start(hello);
    board.runUntil(0.1);
    expect(state.out).toMatch(/csum 0x[0-9a-f]{2}\r\nhello from v8266\r\n$/);
    expect(board.stats.cpuMhz).toBe(80);
  });

  it('demo blinks GPIO2 at 1 Hz in simulated time', () => {
    const { board, state } = start(demo);
    board.runUntil(3.2);
    const changes = state.led.slice(1); // the first entry is the power-on level
    expect(changes.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < changes.length; i++) {
      expect(changes[i].level).not.toBe(changes[i - 1].level);
      expect(changes[i].at - changes[i - 1].at).toBeCloseTo(0.5, 3);
    }
  }, 120_000);

  it('demo counts boots in RTC memory across resets and in flash across power cycles', () => {
    const { board, state } = start(demo);
    board.runUntil(0.1);
    expect(state.out).toContain('boot 1 (flash), 1 since power-on (rtc)');
    state.out = '';
    board.reset();
    board.runUntil(board.seconds + 0.1);
    expect(state.out).toContain('rst cause:2');
    expect(state.out).toContain('boot 2 (flash), 2 since power-on (rtc)');
    const again = createBoard({ flash: board.flash });
    let out = '';
    again.listen({ uartTx: (_u, b) => (out += String.fromCharCode(b)) });
    again.powerOn();
    again.runUntil(0.1);
    expect(out).toContain('boot 3 (flash), 1 since power-on (rtc)');
  }, 120_000);

  it('demo echoes serial input and reports the FLASH button', () => {
    const { board, state } = start(demo);
    board.runUntil(0.1);
    state.out = '';
    board.uartReceive(0, new TextEncoder().encode('ping'));
    board.runUntil(0.2);
    expect(state.out).toBe('ping');
    board.pressFlashButton(true);
    board.runUntil(0.25);
    board.pressFlashButton(false);
    board.runUntil(0.3);
    expect(state.out).toBe('pingFLASH button pressed\r\n');
  }, 120_000);
});
