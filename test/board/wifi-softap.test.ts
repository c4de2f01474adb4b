/**
 * The board as an access point: our own SoftAP firmware (firmware/wifitest/softap.c) on the MAC
 * registers sends beacons on channel 6, and virtual stations find it by a directed scan,
 * authenticate, associate, take a DHCP lease from it (or use a static address), resolve
 * 192.168.4.1 with ARP and ping it — what phones do with a chip's SoftAP, minus WPA2 (the SDK's
 * own WPA2 SoftAP is checked with real firmware: docs/real-firmware.md, seed 3.2.4).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import type { EthernetSegment } from '../../src/net/ethernet.ts';
import { formatIpv4, parseIpv4, parseMac } from '../../src/net/ip/bytes.ts';
import { IpHost } from '../../src/net/ip/host.ts';
import { VirtualStation, type ConnectResult } from '../../src/net/wifi/station.ts';
import { NetworkWorld, type WorldConfig } from '../../src/net/world.ts';

const AP_IP = parseIpv4('192.168.4.1');

function setup(stations: WorldConfig['stations'] = []) {
  const board = createBoard({
    flash: readFileSync(new URL('../../firmware/wifitest/out/softap.bin', import.meta.url)),
  });
  const world = new NetworkWorld(board.soc.clock, { aps: [], stations });
  const boardRadio = world.attachBoard(board.soc.wifi);
  const sta = new VirtualStation(world.air, { mac: parseMac('02:82:66:5a:00:00') });
  world.air.setLink(sta.mac.radio, boardRadio.radio, { rssi: -45 });
  let raw = '';
  board.listen({ uartTx: (n, b) => n === 0 && (raw += String.fromCharCode(b)) });
  board.powerOn();
  const runUntil = (done: () => boolean, seconds: number) => {
    const end = board.seconds + seconds;
    while (!done() && board.seconds < end) board.runUntil(board.seconds + 0.005);
    return done();
  };
  const lines = () => raw.replace(/\r\n/g, '\n').split('\n');
  return { board, world, sta, boardRadio, runUntil, lines };
}

describe('own SoftAP firmware and a virtual station', () => {
  it('is found, authenticates and associates a station with a static address, answers ARP and ping', () => {
    const { board, sta, boardRadio, runUntil, lines } = setup();
    expect(runUntil(() => lines().some((l) => l.startsWith('softap ')), 1)).toBe(true);

    let joined: ConnectResult | undefined;
    sta.connect({ ssid: 'v8266-softap' }, (r) => (joined = r));
    expect(runUntil(() => joined !== undefined, 5)).toBe(true);
    expect(joined).toEqual({ ok: true, aid: 1, bssid: parseMac('1a:fe:34:00:00:0a') });
    expect(lines()).toContain('auth from 02:82:66:5a:00:00 status 0');
    expect(lines()).toContain('assoc from 02:82:66:5a:00:00 aid 1');

    // The station's IP stack, with a static address in the SoftAP's 192.168.4.0/24.
    const overTheAir: EthernetSegment = {
      attach(port) {
        sta.onEthernet = (frame) => port.receive(frame);
        return { send: (frame) => sta.send(frame), detach: () => {} };
      },
    };
    const host = new IpHost(board.soc.clock, {
      name: 'phone',
      mac: sta.config.mac,
      ip: parseIpv4('192.168.4.2'),
      netmask: 0xffffff00,
    });
    host.attachTo(overTheAir);
    const replies: string[] = [];
    host.onEchoReply = (from, id, seq, data) =>
      replies.push(`${formatIpv4(from)} ${id} ${seq} ${data.length}`);
    host.ping(AP_IP, 0x8266, 1, new Uint8Array(32).fill(0x61));
    expect(runUntil(() => replies.length === 1, 2)).toBe(true);
    host.ping(AP_IP, 0x8266, 2, new Uint8Array(56));
    expect(runUntil(() => replies.length === 2, 2)).toBe(true);
    expect(replies).toEqual(['192.168.4.1 33382 1 32', '192.168.4.1 33382 2 56']);
    expect(lines()).toContain('arp who-has 192.168.4.1 from 192.168.4.2');
    expect(lines()).toContain('icmp echo from 192.168.4.2 id 33382 seq 2, 56 bytes');
    // The station stays associated: it keeps hearing the beacons (it would count 7 lost ones).
    expect(runUntil(() => false, 1.5)).toBe(false);
    expect(sta.state).toBe('connected');
    // Every unicast frame the firmware sent was acknowledged by the station.
    expect(boardRadio.stats.ackTimeouts).toBe(0);
  });

  it('leases 192.168.4.100 and .101 to two phones (VirtualClient, as --client) that then ping it', () => {
    const { world, runUntil, lines } = setup([
      { name: 'phone', ssid: 'v8266-softap' },
      { name: 'laptop', ssid: 'v8266-softap', rssi: -60 },
    ]);
    const [phone, laptop] = world.stations;
    expect(runUntil(() => phone.ip !== 0 && laptop.ip !== 0, 10)).toBe(true);
    expect([formatIpv4(phone.ip), formatIpv4(phone.gateway)]).toEqual([
      '192.168.4.100',
      '192.168.4.1',
    ]);
    expect(formatIpv4(laptop.ip)).toBe('192.168.4.101');
    phone.ping();
    laptop.ping();
    expect(
      runUntil(
        () =>
          [phone, laptop].every((c) =>
            c.log.some((l) => / ping 192\.168\.4\.1: reply in /.test(l)),
          ),
        3,
      ),
    ).toBe(true);
    // Each station's exchange in order (the two interleave).
    for (const [mac, ip, aid] of [
      ['02:82:66:5a:00:00', '192.168.4.100', 1],
      ['02:82:66:5a:00:01', '192.168.4.101', 2],
    ])
      expect(lines().filter((l) => /^(assoc|dhcp)/.test(l) && l.includes(String(mac)))).toEqual([
        `assoc from ${mac} aid ${aid}`,
        `dhcp offer ${ip} to ${mac}`,
        `dhcp ack ${ip} to ${mac}`,
      ]);
    expect(phone.log.some((l) => / lease 192\.168\.4\.100 router 192\.168\.4\.1$/.test(l))).toBe(
      true,
    );
  });
});
