/**
 * Real firmware images on the board (docs/real-firmware.md). The images are Espressif's and
 * NodeMCU's/Arduino's, never part of this repository: these tests run only when
 * V8266_REALFW_DIR points to a directory laid out as that document describes, and are skipped
 * (with a message saying so) everywhere else, CI included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBoard, type Board } from '../../src/board/board.ts';
import {
  assembleFlash,
  parseHeaderFlashSize,
  patchHeaderFlashSize,
} from '../../src/board/image/flash-layout.ts';
import { uartWaiter } from '../board/uart-waiter.ts';
import { AT200, AT306 } from './layouts.ts';

const dir = process.env.V8266_REALFW_DIR ?? '';
const present = dir !== '' && existsSync(join(dir, 'at200', 'eagle.flash.bin'));
const has = (name: string) => present && existsSync(join(dir, name));
/** The Blink image is a local build (no public repository holds it): its cases skip without it. */
const BLINK = 'arduino/Blink.ino.d1_mini.bin';
if (!present) {
  console.log(
    'test/realfw: skipped — set V8266_REALFW_DIR to a directory holding the real images ' +
      '(docs/real-firmware.md says which, and where they come from)',
  );
}

interface Run {
  board: Board;
  /** Every chip reset after power-on: cause and simulated time. */
  resets: { cause: number; at: number }[];
  text: () => string;
  gpio2: { t: number; level: number }[];
  until: (needle: string, seconds: number) => boolean;
  send: (s: string) => void;
}

function boot(parts: [string, number][], flashSize: number, headerSize?: string): Run {
  const flash = assembleFlash(
    parts.map(([name, offset]) => ({ name, offset, data: readFileSync(join(dir, name)) })),
    flashSize,
  );
  if (headerSize) patchHeaderFlashSize(flash, parseHeaderFlashSize(headerSize));
  const board = createBoard({ flash, flashSize });
  let out = '';
  const gpio2: { t: number; level: number }[] = [];
  const resets: { cause: number; at: number }[] = [];
  board.listen({
    reset: (cause) => resets.push({ cause, at: board.seconds }),
    uartTx: (n, b) => {
      if (n === 0) out += String.fromCharCode(b);
    },
    gpio: (pin, level) => {
      if (pin === 2) gpio2.push({ t: board.seconds, level });
    },
  });
  board.powerOn();
  const { until, send } = uartWaiter(board, () => out);
  return { board, resets, text: () => out, gpio2, until, send };
}

const MB = 1 << 20;

/** Run `seconds` more of simulated time, `step` at a time, calling `each` after every step. */
function soak(r: Run, seconds: number, step: number, each?: () => void): void {
  const end = r.board.seconds + seconds;
  while (r.board.seconds < end - 1e-9) {
    r.board.runUntil(Math.min(end, r.board.seconds + step));
    each?.();
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe.skipIf(!present)('real firmware (V8266_REALFW_DIR)', () => {
  it('NONOS SDK 2.0.0 AT firmware: banner, ready, AT and AT+GMR', () => {
    const r = boot(
      [
        ['at200/eagle.flash.bin', 0],
        ['at200/eagle.irom0text.bin', 0x10000],
        ['at200/esp_init_data_default.bin', 0xfc000],
        ['at200/blank.bin', 0x7e000],
        ['at200/blank.bin', 0xfe000],
      ],
      1 * MB,
      '1MB',
    );
    expect(r.until('SDK ver: 2.0.0(656edbf) compiled @ Jul 19 2016 17:58:40', 3)).toBe(true);
    expect(r.until('ready\r\n', 3)).toBe(true);
    r.send('AT\r\n');
    expect(r.until('OK\r\n', 1)).toBe(true);
    r.send('AT+GMR\r\n');
    expect(r.until('SDK version:2.0.0(656edbf)', 1)).toBe(true);
    expect(r.until('OK\r\n', 1)).toBe(true);
  });

  it('NONOS SDK 3.0.6 AT firmware through boot_v1.7: user1, ready, AT', () => {
    const r = boot(
      [
        ['at306/boot_v1.7.bin', 0],
        ['at306/user1.2048.new.5.bin', 0x1000],
        ['at306/esp_init_data_default_v08.bin', 0x1fc000],
        ['at306/blank.bin', 0xfe000],
        ['at306/blank.bin', 0x1fe000],
      ],
      2 * MB,
      '2MB-c1',
    );
    expect(r.until('2nd boot version : 1.7(5d6f877)', 1)).toBe(true);
    expect(r.until('jump to run user1 @ 1000', 1)).toBe(true);
    expect(r.until('SDK ver: 3.0.6-dev(072755c)', 3)).toBe(true);
    expect(r.until('ready\r\n', 3)).toBe(true);
    r.send('AT\r\n');
    expect(r.until('OK\r\n', 1)).toBe(true);
    r.send('AT+GMR\r\n');
    expect(r.until('SDK version:3.0.6-dev(072755c)', 1)).toBe(true);
  });

  it.skipIf(!has(BLINK))(
    'Arduino Blink (core 2.7.4): eboot, then GPIO2 toggles 1000 ms apart',
    () => {
      const r = boot([['arduino/Blink.ino.d1_mini.bin', 0]], 4 * MB);
      expect(r.until('v2843a5ac', 1)).toBe(true);
      r.until('never', 1.5);
      const edges = r.gpio2.filter((e) => e.t > 0);
      expect(edges.length).toBeGreaterThanOrEqual(2);
      expect(edges[1].t - edges[0].t).toBeCloseTo(1.0, 2);
    },
  );

  // The sketch is the core's own example (libraries/esp8266/examples/Blink): LOW, delay(1000),
  // HIGH, delay(2000) — the image's loop() passes 0x3E8 and 0x7D0 to delay(). So GPIO2 is low
  // for 1 s and high for 2 s: edges 1, 2, 1, 2 … seconds apart, each within 1 ms.
  it.skipIf(!has(BLINK))('Arduino Blink keeps its 1 s low / 2 s high rhythm', () => {
    const r = boot([['arduino/Blink.ino.d1_mini.bin', 0]], 4 * MB);
    r.until('never', 7);
    const edges = r.gpio2.filter((e) => e.t > 0);
    expect(edges.map((e) => e.level)).toEqual([0, 1, 0, 1, 0]);
    for (let i = 1; i < edges.length; i++) {
      const want = edges[i].level === 1 ? 1.0 : 2.0;
      expect(Math.abs(edges[i].t - edges[i - 1].t - want)).toBeLessThan(0.001);
    }
  });

  it('NodeMCU 0.9.5: restores its init data, banner, prompt, print(1+1)', () => {
    const r = boot([['nodemcu/nodemcu_latest.bin', 0]], 4 * MB);
    expect(r.until('Restore init data.', 2)).toBe(true);
    expect(r.until('NodeMCU 0.9.5 build 20150214  powered by Lua 5.1.4', 2)).toBe(true);
    expect(r.until('> ', 2)).toBe(true);
    r.send('print(1+1)\r\n');
    expect(r.until('print(1+1)\r\n2\r\n> ', 2)).toBe(true);
    expect(r.text()).not.toContain('rst cause:4');
    // The init data went from the window (0x4023C2D0, image offset 0x3C2D0) to flash 0x7C000
    // with the cache off: the bytes arrive as they are in the image.
    const image = readFileSync(join(dir, 'nodemcu/nodemcu_latest.bin'));
    expect(r.board.flash.subarray(0x7c000, 0x7c080)).toEqual(
      new Uint8Array(image.subarray(0x3c2d0, 0x3c350)),
    );
  });
});

// A real board runs these for months. The watchdog (docs/watchdog.md) is fed by the SDK's soft
// watchdog off Wi-Fi MAC timer 1, so these need the MAC model's TSF and timer; each image runs
// 10 emulated minutes idle and 10 busy, and the chip must never reset.
describe.skipIf(!present)('real firmware, long runs (V8266_REALFW_DIR)', () => {
  for (const [name, parts, size, header] of [
    ['NONOS SDK 2.0.0 AT', AT200, 1 * MB, '1MB'],
    ['NONOS SDK 3.0.6 AT', AT306, 2 * MB, '2MB-c1'],
  ] as const) {
    it(`${name}: 10 minutes idle, then AT+GMR every 2 s for 10 minutes, no reset`, () => {
      const r = boot([...parts], size, header);
      expect(r.until('ready\r\n', 3)).toBe(true);
      soak(r, 600, 10);
      expect(r.resets).toEqual([]);
      const before = count(r.text(), 'OK\r\n');
      let sent = 0;
      soak(r, 600, 2, () => {
        r.send('AT+GMR\r\n');
        sent++;
      });
      r.until('never', 1);
      expect(count(r.text(), 'OK\r\n') - before).toBe(sent);
      expect(r.resets).toEqual([]);
      expect(count(r.text(), 'ets Jan  8 2013')).toBe(1);
    }, 300_000);
  }

  // Past 1200 s: libphy's ram_pbus_debugmode runs then and spins on an RF status bit (0x600005A0
  // bit 30); before the RF block raised it, the chip hung there and the watchdog reset it.
  it('NodeMCU 0.9.5: 10 minutes idle, then a Lua timer printing every 500 ms for 15 minutes', () => {
    const r = boot([['nodemcu/nodemcu_latest.bin', 0]], 4 * MB);
    expect(r.until('> ', 3)).toBe(true);
    soak(r, 600, 10);
    r.send('n=0 tmr.alarm(0, 500, 1, function() n=n+1 print("tick "..n.." "..tmr.now()) end)\r\n');
    soak(r, 900, 10);
    const ticks = [...r.text().matchAll(/tick (\d+) (\d+)\r\n/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(ticks.length).toBeGreaterThanOrEqual(1799);
    ticks.forEach(([n], i) => expect(n).toBe(i + 1));
    // tmr.now() (system_get_time) steps by the period, give or take an interrupt's worth of
    // jitter, and never drifts.
    for (let i = 1; i < ticks.length; i++)
      expect(Math.abs(ticks[i][1] - ticks[i - 1][1] - 500_000)).toBeLessThan(1000);
    const last = ticks[ticks.length - 1];
    expect(Math.abs(last[1] - ticks[0][1] - (last[0] - ticks[0][0]) * 500_000)).toBeLessThan(1000);
    expect(r.resets).toEqual([]);
    expect(count(r.text(), 'ets Jan  8 2013')).toBe(1);
  }, 300_000);

  it.skipIf(!has(BLINK))(
    'Arduino Blink: 20 minutes of its 1 s / 2 s rhythm, no reset',
    () => {
      const r = boot([['arduino/Blink.ino.d1_mini.bin', 0]], 4 * MB);
      soak(r, 1200, 10);
      const edges = r.gpio2.filter((e) => e.t > 0);
      expect(edges.length).toBeGreaterThanOrEqual(799);
      for (let i = 1; i < edges.length; i++) {
        const want = edges[i].level === 1 ? 1.0 : 2.0;
        expect(Math.abs(edges[i].t - edges[i - 1].t - want)).toBeLessThan(0.001);
      }
      expect(r.resets).toEqual([]);
      expect(count(r.text(), 'ets Jan  8 2013')).toBe(1);
    },
    300_000,
  );

  // The other half: firmware that really stops feeding is reset. A Lua loop that never returns
  // starves the SDK's tasks; the chip resets by watchdog (cause 4) and NodeMCU comes back.
  it('NodeMCU 0.9.5: a Lua busy loop is reset by the watchdog, back to the prompt', () => {
    const r = boot([['nodemcu/nodemcu_latest.bin', 0]], 4 * MB);
    expect(r.until('> ', 3)).toBe(true);
    r.send('print("hang") while true do end\r\n');
    expect(r.until('hang\r\n', 1)).toBe(true);
    const hungAt = r.board.seconds;
    expect(r.until('rst cause:4', 20)).toBe(true);
    expect(r.resets.map((x) => x.cause)).toEqual([4]);
    const after = r.resets[0].at - hungAt;
    expect(after).toBeGreaterThan(1);
    expect(after).toBeLessThan(10);
    expect(r.until('> ', 3)).toBe(true);
  });
});

// Optional images (docs/real-firmware.md, "More images"): each case runs only when its file is in
// V8266_REALFW_DIR, so the layout above stays enough for the rest.
const ESPRUINO_1V81: [string, number][] = [
  ['espruino/espruino_esp8266_board_0x00000.bin', 0],
  ['espruino/espruino_esp8266_board_0x10000.bin', 0x10000],
];

describe('real firmware, more images (V8266_REALFW_DIR)', () => {
  // Its start-up calls ROM gpio_init (0x40004C50); it stopped there before that was written.
  it.skipIf(!has(ESPRUINO_1V81[0][0]))(
    'Espruino 1v81 (2015-11-18): prompt, 1+2, a setInterval toggling D2 every 500 ms',
    () => {
      const r = boot(ESPRUINO_1V81, 512 * 1024);
      expect(r.until(' 1v81.780 Copyright 2015 G.Williams', 3)).toBe(true);
      expect(r.until('>', 2)).toBe(true);
      r.send('1+2\r');
      expect(r.until('=3', 2)).toBe(true);
      r.send('var on=false;setInterval(function(){on=!on;digitalWrite(D2,on);},500);\r');
      const from = r.board.seconds;
      soak(r, 5, 0.1);
      // The first call makes D2 an output (driving the latch's 0) and then writes 1, 57 µs
      // later: a short low pulse, as on a chip. The rhythm counts from there.
      const edges = r.gpio2.filter((e) => e.t > from).slice(1);
      expect(edges.length).toBeGreaterThanOrEqual(9);
      for (let i = 1; i < edges.length; i++)
        expect(edges[i].t - edges[i - 1].t).toBeCloseTo(0.5, 2);
      expect(r.resets).toEqual([]);
      expect(r.text()).not.toContain('not implemented');
    },
  );

  // ESP8266_RTOS_SDK v3.4 (IDF style) http_server template (TTA21/esp8266_http_server_template):
  // sqlite compares strings in flash .rodata byte by byte, each load a LoadStoreError the SDK's
  // handler emulates. It panicked when poll-loop fast-forward raised that fault at the loop's
  // `j` instead of at the load.
  it.skipIf(!has('rtos3_httpserver/simple.bin'))(
    'ESP8266_RTOS_SDK v3.4 http_server: SPIFFS, sqlite tables, then Wi-Fi, no panic',
    () => {
      const r = boot(
        [
          ['rtos3_httpserver/bootloader.bin', 0],
          ['rtos3_httpserver/partitions.bin', 0x8000],
          ['rtos3_httpserver/simple.bin', 0x10000],
        ],
        4 * MB,
      );
      expect(r.until('boot_sqlite: Recreating database', 2)).toBe(true);
      expect(r.until('create_sql_tables: Creating tables', 1)).toBe(true);
      expect(r.until('example_connect: Connecting to', 2)).toBe(true);
      expect(r.text()).not.toContain('Guru Meditation');
      expect(r.resets).toEqual([]);
    },
  );

  // Its pwm_init writes FRC1 LOAD = 0 with INT 9 unmasked before the handler's data exists:
  // no interrupt may come at once (it used to, and the fatal handler wdt-reset every 0.3 s).
  it.skipIf(!has('nodemcu092/nodemcu_512k_20141219.bin'))(
    'NodeMCU 0.9.2: prompt with no reset, print(1+2), 30 s without a reset',
    () => {
      const r = boot([['nodemcu092/nodemcu_512k_20141219.bin', 0]], 512 * 1024);
      expect(r.until('NodeMcu 0.9.2 build 20141219  powered by Lua 5.1.4', 3)).toBe(true);
      expect(r.until('> ', 2)).toBe(true);
      r.send('print(1+2)\r\n');
      expect(r.until('print(1+2)\r\n\r\n3\r\n> ', 2)).toBe(true);
      soak(r, 30, 1);
      expect(r.resets).toEqual([]);
      expect(count(r.text(), 'ets Jan  8 2013')).toBe(1);
    },
  );
});
