/**
 * Snapshots are exact on the real images too (docs/real-firmware.md): N s, save, restore into a
 * fresh board, M s ends in the same machine, byte for byte, with the same UART bytes and pin
 * changes at the same simulated times, as N + M s straight. Each save point is inside something
 * the firmware is doing: the SDK's start-up (RF calibration, flash writes, Wi-Fi timers), a command
 * whose bytes are still on the wire, a Lua prompt, the middle of a blink. Runs only when
 * V8266_REALFW_DIR names the images (skipped otherwise, CI included), like realfw.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleFlash,
  parseHeaderFlashSize,
  patchHeaderFlashSize,
} from '../../src/board/image/flash-layout.ts';
import { checkResume, uartText, type Input, type Recorder } from '../board/snapshot-resume.ts';
import { uartWaiter } from '../board/uart-waiter.ts';
import { AT200, AT306 } from './layouts.ts';

const dir = process.env.V8266_REALFW_DIR ?? '';
const has = (file: string) => dir !== '' && existsSync(join(dir, file));
const MB = 1 << 20;

function flash(parts: [string, number][], size: number, headerSize?: string): Uint8Array {
  const bytes = assembleFlash(
    parts.map(([name, offset]) => ({ name, offset, data: readFileSync(join(dir, name)) })),
    size,
  );
  if (headerSize) patchHeaderFlashSize(bytes, parseHeaderFlashSize(headerSize));
  return bytes;
}

/** What UART0 sent after the save point, as text. */
const uart0 = (r: Recorder) => uartText(r, 0);

/**
 * Asks a firmware's prompt `question` every half second of emulated time until its answer holds
 * `joined` (10 s at most): a join takes a few seconds of scans and handshakes.
 */
function askUntilJoined(
  a: ReturnType<typeof uartWaiter>,
  text: () => string,
  question: string,
  prompt: string,
  joined: string,
): void {
  for (let i = 0; i < 20 && !text().includes(joined); i++) {
    a.until('never printed', 0.5); // let it get on with the join
    a.send(question);
    a.until(prompt, 1);
  }
  expect(text()).toContain(joined);
}

/** AT commands typed after the firmware is ready (it is by 2 s on each AT image). */
const AT_INPUTS: Input[] = [
  { at: 2.5, text: 'AT\r\n' },
  { at: 2.8, text: 'AT+GMR\r\n' },
];

describe('real firmware: a restored snapshot carries on exactly (V8266_REALFW_DIR)', () => {
  it.skipIf(!has(AT200[0][0]))('AT 2.0.0, saved during the SDK start-up', () => {
    const { resumed } = checkResume({
      name: 'at200',
      flash: flash(AT200, 1 * MB, '1MB'),
      n: 0.12, // the ROM has loaded it; the SDK is starting (SDK ver comes at about 0.15 s)
      m: 3.4 - 0.12,
      inputs: AT_INPUTS,
    });
    expect(uart0(resumed)).toContain('ready\r\n');
    expect(uart0(resumed)).toMatch(/AT\s+OK\r\n[^]*SDK version:2\.0\.0[^]*OK\r\n/);
  });

  it.skipIf(!has(AT200[0][0]))(
    'AT 2.0.0, saved with AT+GMR still on the wire (block compiler)',
    () => {
      // 'AT+GMR\r\n' takes 0.69 ms at 115200 baud: at 2.8003 s part of it is still arriving.
      const { resumed } = checkResume(
        { name: 'at200', flash: flash(AT200, 1 * MB, '1MB'), n: 2.8003, m: 0.6, inputs: AT_INPUTS },
        true,
      );
      expect(uart0(resumed)).toContain('SDK version:2.0.0');
    },
  );

  it.skipIf(!has(AT306[0][0]))('AT 3.0.6 through boot_v1.7, saved during the SDK start-up', () => {
    const { resumed } = checkResume({
      name: 'at306',
      flash: flash(AT306, 2 * MB, '2MB-c1'),
      n: 0.2, // boot_v1.7 has jumped to user1; 'ready' comes at about 0.3 s
      m: 3.4 - 0.2,
      inputs: AT_INPUTS,
    });
    expect(uart0(resumed)).toMatch(/AT\s+OK\r\n[^]*SDK version:3\.0\.6[^]*OK\r\n/);
  });

  it.skipIf(!has('nodemcu/nodemcu_latest.bin'))(
    'NodeMCU 0.9.5, saved during its start-up, then print(1+1)',
    () => {
      const { resumed } = checkResume({
        name: 'nodemcu',
        flash: flash([['nodemcu/nodemcu_latest.bin', 0]], 4 * MB),
        n: 0.25, // the prompt comes at about 0.4 s
        m: 2.25,
        inputs: [{ at: 2.0, text: 'print(1+1)\r\n' }],
      });
      expect(uart0(resumed)).toContain('print(1+1)\r\n2\r\n> ');
    },
  );

  it.skipIf(!has('arduino/Blink.ino.d1_mini.bin'))(
    'Arduino Blink, saved between two edges of GPIO2',
    () => {
      const { resumed } = checkResume({
        name: 'arduino',
        flash: flash([['arduino/Blink.ino.d1_mini.bin', 0]], 4 * MB),
        n: 1.7,
        m: 3,
        expectOutput: false,
      });
      expect(resumed.gpio.filter((e) => e.startsWith('2=')).length).toBeGreaterThanOrEqual(2);
    },
  );

  it.skipIf(!has('micropython/esp8266-20220117-v1.18.bin'))(
    'MicroPython 1.18, saved at the REPL, then print(1+2)',
    () => {
      const { resumed } = checkResume(
        {
          name: 'micropython',
          flash: flash([['micropython/esp8266-20220117-v1.18.bin', 0]], 4 * MB, '4MB'),
          n: 2.5,
          m: 1,
          inputs: [{ at: 2.6, text: 'print(1+2)\r\n' }],
        },
        true,
      );
      expect(uart0(resumed)).toContain('print(1+2)\r\n3\r\n>>> ');
    },
  );
});

/**
 * The network's running state goes with the snapshot (src/net/replay/): a resumed board is still
 * joined, keeps its address and its open TCP connection, and the rest goes as the straight run.
 */
describe('real firmware: resumed into the network where it was (V8266_REALFW_DIR)', () => {
  it.skipIf(!has(AT200[0][0]))(
    'AT 2.0.0 joined to a WPA2 AP with a TCP connection open: after the resume it sends on it',
    () => {
      const { resumed } = checkResume({
        name: 'at200',
        flash: flash(AT200, 1 * MB, '1MB'),
        n: 0,
        m: 2,
        network: { aps: [{ ssid: 'home', passphrase: 'correct horse' }] },
        before: (board, _world, text) => {
          const a = uartWaiter(board, text);
          expect(a.until('ready', 10)).toBe(true);
          a.send('AT+CWMODE=1\r\n');
          expect(a.until('OK', 5)).toBe(true);
          a.send('AT+CWJAP="home","correct horse"\r\n');
          expect(a.until('WIFI GOT IP', 15)).toBe(true);
          expect(a.until('OK', 5)).toBe(true);
          a.send('AT+CIPSTART="TCP","192.168.10.1",7\r\n');
          expect(a.until('OK', 5)).toBe(true);
        },
        inputsAfterSave: [
          { at: 0.1, text: 'AT+CIPSEND=5\r\n' },
          { at: 0.3, text: 'hello' },
          { at: 0.8, text: 'AT+PING="192.168.10.1"\r\n' },
        ],
      });
      const after = uart0(resumed);
      expect(after).not.toContain('WIFI DISCONNECT');
      expect(after).toContain('SEND OK');
      expect(after).toContain('+IPD,5:hello');
      expect(after).toMatch(/AT\+PING="192\.168\.10\.1"\r+\n\+\d+\r\n\r\nOK\r\n/);
    },
  );

  it.skipIf(!has('nodemcu/nodemcu_latest.bin'))(
    'NodeMCU 0.9.5 joined to a WPA2 AP: after the resume it still has its address',
    () => {
      const { resumed } = checkResume({
        name: 'nodemcu',
        flash: flash([['nodemcu/nodemcu_latest.bin', 0]], 4 * MB),
        n: 0,
        m: 2,
        network: { aps: [{ ssid: 'home', passphrase: 'correct horse' }] },
        before: (board, _world, text) => {
          const a = uartWaiter(board, text);
          expect(a.until('> ', 3)).toBe(true);
          a.send('wifi.setmode(wifi.STATION) wifi.sta.config("home","correct horse")\r\n');
          expect(a.until('> ', 2)).toBe(true);
          askUntilJoined(a, text, 'print(wifi.sta.getip())\r\n', '> ', '192.168.10.100');
        },
        inputsAfterSave: [{ at: 1, text: 'print(wifi.sta.status(), wifi.sta.getip())\r\n' }],
      });
      expect(uart0(resumed)).toMatch(
        /\r\n5\t192\.168\.10\.100\t255\.255\.255\.0\t192\.168\.10\.1\r\n/,
      );
    },
  );

  it.skipIf(!has('micropython/esp8266-20220117-v1.18.bin'))(
    'MicroPython 1.18 joined with network.WLAN: after the resume it is still connected',
    () => {
      const { resumed } = checkResume(
        {
          name: 'micropython',
          flash: flash([['micropython/esp8266-20220117-v1.18.bin', 0]], 4 * MB, '4MB'),
          n: 0,
          m: 1.5,
          network: { aps: [{ ssid: 'home', passphrase: 'correct horse' }] },
          before: (board, _world, text) => {
            const a = uartWaiter(board, text);
            expect(a.until('>>> ', 10)).toBe(true);
            a.send(
              "import network; w = network.WLAN(network.STA_IF); w.active(True); w.connect('home', 'correct horse')\r\n",
            );
            expect(a.until('>>> ', 5)).toBe(true);
            askUntilJoined(a, text, 'w.isconnected()\r\n', '>>> ', '\r\nTrue\r\n');
          },
          inputsAfterSave: [{ at: 0.5, text: 'print(w.isconnected(), w.ifconfig()[0])\r\n' }],
        },
        true,
      );
      expect(uart0(resumed)).toContain('True 192.168.10.100');
    },
  );
});
