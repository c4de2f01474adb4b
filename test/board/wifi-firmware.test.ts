/**
 * firmware/wifitest/wifi.c drives the Wi-Fi MAC registers the way libpp does (docs/wifi-mac.md)
 * against a scripted peer: an AP on channel 6 that answers probe requests, acknowledges frames
 * sent to it and answers a data frame with one of its own. What the program prints is what the
 * chip would let it see. The peer tunes the radio when the program prints "tune N" (tuning through
 * the ROM's RF PLL routine, as libphy does, is wifi-join.test.ts's part).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { TICKS_PER_MICROSECOND } from '../../src/board/clock.ts';
import {
  airtimeMicros,
  WifiRate,
  type WifiTransmission,
} from '../../src/board/peripherals/wifi-radio-port.ts';
import { TestAp } from './wifi-test-ap.ts';

const AP = [0x02, 0x82, 0x66, 0x00, 0x00, 0x01];
const STA = [0x18, 0xfe, 0x34, 0x00, 0x00, 0x01];
const OTHER = [0x02, 0x00, 0x00, 0x00, 0x00, 0x09];
const OTHER_BSS = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];

function run() {
  const board = createBoard({
    flash: readFileSync(new URL('../../firmware/wifitest/out/wifi.bin', import.meta.url)),
  });
  const soc = board.soc;
  const ap = new TestAp(soc.clock, soc.wifi, { ssid: 'v8266-test', bssid: AP, channel: 6 });
  const sent: WifiTransmission[] = [];
  const later = (us: number, fn: () => void) =>
    soc.clock.createAlarm(fn, 'peer').scheduleIn(us * TICKS_PER_MICROSECOND);
  const deliver = (mpdu: number[]) =>
    soc.wifi.receive({
      mpdu: Uint8Array.from(mpdu),
      rssiDbm: -52,
      noiseFloorDbm: -95,
      channel: 6,
      rate: WifiRate.CCK_1M,
    });
  soc.wifi.port = {
    transmit(tx) {
      sent.push(tx);
      const outcome = ap.transmit(tx);
      const m = tx.mpdu;
      // A data frame to the AP (ToDS): the AP answers with a FromDS data frame.
      if (outcome.acked && m[0] === 0x08 && m[1] === 0x01) {
        const body = [...new TextEncoder().encode('pong sta')];
        const reply = [0x08, 0x02, 0, 0, ...STA, ...AP, ...AP, 0x20, 0, ...body];
        later(airtimeMicros(m.length + 4, tx.rate) + 200, () => deliver(reply));
      }
      return outcome;
    },
  };
  let raw = '';
  let handled = 0;
  board.listen({ uartTx: (n, b) => n === 0 && (raw += String.fromCharCode(b)) });
  board.powerOn();
  const lines = () => {
    const at = raw.indexOf('csum 0x');
    const start = at < 0 ? -1 : raw.indexOf('\n', at);
    return start < 0
      ? []
      : raw
          .slice(start + 1)
          .replace(/\r\n/g, '\n')
          .split('\n');
  };
  while (board.seconds < 2 && !raw.includes('done\r\n')) {
    board.runUntil(board.seconds + 0.0005);
    const all = lines();
    for (; handled < all.length - 1; handled++) {
      const line = all[handled];
      const tune = /^tune (\d+)$/.exec(line);
      if (tune) soc.wifi.tune(Number(tune[1]));
      // A frame of another BSS: seen only while sniffing (masks 0), filtered out after.
      if (line === 'sniff' || line === 'unsniff')
        later(1000, () =>
          deliver([0x08, 0x02, 0, 0, ...OTHER, ...OTHER_BSS, ...OTHER_BSS, 0x30, 0]),
        );
    }
  }
  return { text: lines().join('\n'), sent };
}

describe('firmware/wifitest on the Wi-Fi MAC', () => {
  it('scans 13 channels, finds the AP on 6 only, exchanges data, ACK timeout, sniffer', () => {
    const { text, sent } = run();
    const expected = ['ready'];
    for (let ch = 1; ch <= 13; ch++) {
      expected.push(`tune ${ch}`, `ch ${ch} probe q=0 result=0 starts=${ch}`);
      if (ch === 6)
        expected.push(
          'rx fc=50 from 02:82:66:00:00:01 rssi=-48 len=65 buf=77 match=5 ssid=v8266-test',
        );
    }
    expected.push(
      'tune 6',
      'data to ap result=0',
      'rx fc=08 from 02:82:66:00:00:01 rssi=-52 len=36 buf=48 match=5',
      'data to nobody result=5',
      'sniff',
      'rx fc=08 from 02:00:00:00:00:0b rssi=-52 len=28 buf=40 match=5',
      'unsniff',
      'done',
      '',
    );
    expect(text).toBe(expected.join('\n'));
    // 13 probe requests (each on the channel the radio was tuned to) and 2 data frames left.
    expect(sent.map((t) => `${t.mpdu[0].toString(16)}@${t.channel}`)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => `40@${i + 1}`),
      '8@6',
      '8@6',
    ]);
    expect([...sent[13].mpdu.subarray(24)]).toEqual([...new TextEncoder().encode('ping ap')]);
  });
});
