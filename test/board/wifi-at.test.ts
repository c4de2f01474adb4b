/**
 * Espressif's AT firmware scanning through the MAC model: a scripted AP answers probe requests
 * and AT+CWLAP lists it. The images are never in this repository (docs/real-firmware.md); the
 * test runs only when V8266_REALFW_DIR points at them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import {
  assembleFlash,
  parseHeaderFlashSize,
  patchHeaderFlashSize,
} from '../../src/board/image/flash-layout.ts';
import { TestAp } from './wifi-test-ap.ts';
import { uartWaiter } from './uart-waiter.ts';
import { NetworkWorld } from '../../src/net/world.ts';

const dir = process.env.V8266_REALFW_DIR ?? '';
const present = dir !== '' && existsSync(join(dir, 'at200', 'eagle.flash.bin'));

function bootWithAp(parts: [string, number][], flashSize: number, headerSize: string) {
  const flash = assembleFlash(
    parts.map(([name, offset]) => ({ name, offset, data: readFileSync(join(dir, name)) })),
    flashSize,
  );
  patchHeaderFlashSize(flash, parseHeaderFlashSize(headerSize));
  const board = createBoard({ flash, flashSize });
  const ap = new TestAp(board.soc.clock, board.soc.wifi, {
    ssid: 'v8266-test',
    bssid: [0x02, 0x82, 0x66, 0, 0, 1],
    channel: 6,
    rssiDbm: -48,
    beacons: true,
    associate: true,
  });
  board.soc.wifi.port = ap;
  let out = '';
  board.listen({ uartTx: (n, b) => n === 0 && (out += String.fromCharCode(b)) });
  board.powerOn();
  const { until, send } = uartWaiter(board, () => out);
  return { until, send, text: () => out, ap };
}

describe.skipIf(!present)('AT firmware scans through the Wi-Fi MAC (V8266_REALFW_DIR)', () => {
  it('AT 2.0.0: AT+CWLAP lists the scripted AP; AT+CWJAP associates and sends DHCP', () => {
    const r = bootWithAp(
      [
        ['at200/eagle.flash.bin', 0],
        ['at200/eagle.irom0text.bin', 0x10000],
        ['at200/esp_init_data_default.bin', 0xfc000],
        ['at200/blank.bin', 0x7e000],
        ['at200/blank.bin', 0xfe000],
      ],
      1 << 20,
      '1MB',
    );
    expect(r.until('ready', 10)).toBe(true);
    r.send('AT+CWMODE=1\r\n');
    expect(r.until('OK', 5)).toBe(true);
    r.send('AT+CWLAP\r\n');
    expect(r.until('OK', 20)).toBe(true);
    // ppRx adds 3 to the RSSI byte before the scan code subtracts 96: -48 dBm shows as -45.
    expect(r.text()).toContain('+CWLAP:(0,"v8266-test",-45,"02:82:66:00:00:01",6,');
    expect(r.ap.sent.filter((t) => t.mpdu[0] === 0x40).length).toBeGreaterThanOrEqual(11);

    // Open association, then the station's first data frame: a DHCP DISCOVER to the AP (ToDS),
    // addressed to broadcast, LLC/SNAP + IPv4 + UDP 68 → 67. No DHCP server answers here, so AT
    // gives up with +CWJAP:1 (timeout).
    r.send('AT+CWJAP="v8266-test",""\r\n');
    expect(r.until('WIFI CONNECTED', 10)).toBe(true);
    const auth = r.ap.sent.find((t) => t.mpdu[0] === 0xb0);
    const assoc = r.ap.sent.find((t) => t.mpdu[0] === 0x00);
    expect(auth && assoc).toBeTruthy();
    expect(r.until('+CWJAP:1', 30)).toBe(true);
    const data = r.ap.sent.find((t) => t.mpdu[0] === 0x08);
    expect(data).toBeDefined();
    const m = data!.mpdu;
    expect(m[1] & 3).toBe(1); // ToDS
    expect([...m.subarray(4, 10)]).toEqual([0x02, 0x82, 0x66, 0, 0, 1]);
    expect([...m.subarray(16, 22)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect([...m.subarray(24, 32)]).toEqual([0xaa, 0xaa, 3, 0, 0, 0, 8, 0]);
    const udp = 24 + 8 + 20;
    expect((m[udp] << 8) | m[udp + 1]).toBe(68);
    expect((m[udp + 2] << 8) | m[udp + 3]).toBe(67);
  });
});

const AT200: [string, number][] = [
  ['at200/eagle.flash.bin', 0],
  ['at200/eagle.irom0text.bin', 0x10000],
  ['at200/esp_init_data_default.bin', 0xfc000],
  ['at200/blank.bin', 0x7e000],
  ['at200/blank.bin', 0xfe000],
];

describe.skipIf(!present)('AT 2.0.0 in a virtual network (V8266_REALFW_DIR)', () => {
  it('lists APs on three channels, joins over WPA2, takes a lease, pings, echoes over TCP; a wrong passphrase fails', () => {
    const flash = assembleFlash(
      AT200.map(([name, offset]) => ({ name, offset, data: readFileSync(join(dir, name)) })),
      1 << 20,
    );
    patchHeaderFlashSize(flash, parseHeaderFlashSize('1MB'));
    const board = createBoard({ flash, flashSize: 1 << 20 });
    const world = new NetworkWorld(board.soc.clock, {
      aps: [
        { ssid: 'home', passphrase: 'correct horse', channel: 6, rssi: -45 },
        { ssid: 'cafe', channel: 1, rssi: -70 },
        { ssid: 'office', passphrase: 'office-secret', channel: 11, rssi: -62 },
      ],
    });
    world.attachBoard(board.soc.wifi);
    let out = '';
    board.listen({ uartTx: (n, b) => n === 0 && (out += String.fromCharCode(b)) });
    board.powerOn();
    const { until, send } = uartWaiter(board, () => out);
    expect(until('ready', 10)).toBe(true);
    send('AT+CWMODE=1\r\n');
    expect(until('OK', 5)).toBe(true);
    send('AT+CWLAP\r\n');
    expect(until('OK', 20)).toBe(true);
    // The scan hops channels through the RF PLL; ppRx adds 3 dB to what it reports.
    expect(out).toContain('+CWLAP:(0,"cafe",-67,"02:82:66:01:00:00",1,');
    expect(out).toContain('+CWLAP:(3,"home",-42,"02:82:66:00:00:00",6,');
    expect(out).toContain('+CWLAP:(3,"office",-59,"02:82:66:02:00:00",11,');

    send('AT+CWJAP="home","wrong pass"\r\n');
    expect(until('+CWJAP:2', 40)).toBe(true);
    expect(world.aps[0].ap.events.some((e) => e.type === 'deauthenticated' && e.reason === 15)).toBe(true);

    send('AT+CWJAP="home","correct horse"\r\n');
    expect(until('WIFI GOT IP', 30)).toBe(true);
    expect(until('OK', 5)).toBe(true);
    send('AT+CIFSR\r\n');
    expect(until('+CIFSR:STAIP,"192.168.10.100"', 5)).toBe(true);
    expect(until('OK', 5)).toBe(true);
    send('AT+PING="192.168.10.1"\r\n');
    expect(until('OK', 10)).toBe(true);
    send('AT+CIPSTART="TCP","192.168.10.1",7\r\n');
    expect(until('CONNECT', 10)).toBe(true);
    send('AT+CIPSEND=5\r\n');
    expect(until('>', 5)).toBe(true);
    send('hello');
    expect(until('+IPD,5:hello', 10)).toBe(true);
    expect(world.aps[0].ap.stats.micFailures).toBe(0);
  });
});
