/**
 * Our own station firmware (firmware/wifitest/join.c) joins a virtual network through the whole
 * chain: the Wi-Fi MAC model, the ROM's rom_write_rfpll_sdm → RF PLL → channel, the board radio
 * adapter (src/net/board-radio.ts), the air, a virtual AP and the LAN behind it. It tunes channel
 * by channel, finds the first AP that answers its probe request, authenticates, associates and
 * resolves the gateway with ARP — what the chip would print against real APs with these settings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { NetworkWorld, type WorldConfig } from '../../src/net/world.ts';
import { networkStatus } from '../../src/net/world-status.ts';

function run(aps: WorldConfig['aps'], country?: WorldConfig['country']) {
  const board = createBoard({
    flash: readFileSync(new URL('../../firmware/wifitest/out/join.bin', import.meta.url)),
  });
  const world = new NetworkWorld(board.soc.clock, { aps, country });
  const radio = world.attachBoard(board.soc.wifi);
  let raw = '';
  board.listen({ uartTx: (n, b) => n === 0 && (raw += String.fromCharCode(b)) });
  board.powerOn();
  while (board.seconds < 3 && !raw.includes('done\r\n')) board.runUntil(board.seconds + 0.01);
  const at = raw.indexOf('ready');
  const text = at < 0 ? raw : raw.slice(at).replace(/\r\n/g, '\n');
  return { text, world, radio, channel: board.soc.wifi.channel };
}

describe('own station firmware on the virtual network', () => {
  it('scans through the RF PLL, joins the open AP on channel 6 and gets an ARP reply from its LAN', () => {
    const { text, world, radio, channel } = run([
      { ssid: 'v8266-open', channel: 6, rssi: -55 },
      { ssid: 'far-away', channel: 11, rssi: -80 },
    ]);
    expect(text).toBe(
      [
        'ready',
        'ch 6: "v8266-open" 02:82:66:00:00:00 rssi -55',
        'auth sent result=0',
        'auth reply ok status 0',
        'assoc sent result=0',
        'assoc status 0 aid 1',
        'arp sent result=0',
        // The LAN's .1 host (02:82:66:00:00:01) answers; the AP relays it FromDS.
        'arp reply op 2: 192.168.10.1 is at 02:82:66:00:00:01 (from 02:82:66:00:00:00, fc 08:02)',
        'done',
        '',
      ].join('\n'),
    );
    expect(channel).toBe(6);
    expect(world.aps[0].ap.events.map((e) => e.type)).toEqual([
      'authenticated',
      'associated',
      'authorized',
    ]);
    expect(world.aps[1].ap.events).toEqual([]);
    // Every unicast frame the firmware sent was acknowledged over the air.
    expect(radio.stats.ackTimeouts).toBe(0);
    expect(radio.stats.acked).toBe(3);
    // What the network panel shows: the board as a station associated to the open AP.
    const [board] = networkStatus(world).boards;
    expect(board).toMatchObject({
      mode: 'station',
      channel: 6,
      association: {
        ssid: 'v8266-open',
        bssid: '02:82:66:00:00:00',
        state: 'authorized',
        aid: 1,
        rssi: -55,
        lease: null,
      },
    });
    expect(board.stationMac).toBe(world.aps[0].ap.stations.keys().next().value);
  });

  it('finds nothing when the only AP is on a channel it never hears (14 is outside 1-13)', () => {
    const { text } = run([{ ssid: 'japan-only', channel: 14, rssi: -50 }], 'JP');
    expect(text).toBe('ready\nno network\ndone\n');
  });
});
