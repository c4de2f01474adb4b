/**
 * The packet list and the status a network panel shows, against a virtual station that joins an
 * open AP of a NetworkWorld and takes a DHCP lease: every step of the join appears in order with
 * the right addresses, and the AP's station table shows the lease.
 */
import { describe, expect, it } from 'vitest';
import type { EthernetSegment } from '../ethernet.ts';
import { parseMac } from '../ip/bytes.ts';
import { DhcpClient } from '../ip/dhcp-client.ts';
import { IpHost } from '../ip/host.ts';
import { SimNet } from '../ip/testing/sim-net.ts';
import { VirtualStation } from '../wifi/station.ts';
import { NetworkWorld } from '../world.ts';
import { networkStatus } from '../world-status.ts';
import { PacketLog } from './packet-log.ts';
import { summarizePayload } from './payload-summary.ts';

const STA = '5c:cf:7f:00:00:01';

function joinWithLease() {
  const net = new SimNet();
  const world = new NetworkWorld(net.clock, {
    aps: [
      { ssid: 'cafe', channel: 1, rssi: -45 },
      { ssid: 'home', passphrase: 'secret1234', channel: 6, hidden: true },
    ],
  });
  const log = new PacketLog(world.air);
  const sta = new VirtualStation(world.air, { mac: parseMac(STA) });
  let joined: unknown;
  sta.connect({ ssid: 'cafe' }, (r) => (joined = r));
  expect(net.runUntil(() => joined !== undefined, 20)).toBe(true);
  const overTheAir: EthernetSegment = {
    attach(port) {
      sta.onEthernet = (frame) => port.receive(frame);
      return { send: (frame) => sta.send(frame), detach: () => {} };
    },
  };
  const host = new IpHost(net.clock, { name: 'esp', mac: sta.config.mac });
  host.attachTo(overTheAir);
  const dhcp = new DhcpClient(host, { hostname: 'esp-sta' });
  dhcp.start();
  expect(net.runUntil(() => dhcp.state === 'BOUND', 60)).toBe(true);
  return { net, world, log };
}

describe('the packet log', () => {
  it('lists the join and the DHCP exchange in order, with the addresses of each frame', () => {
    const { log } = joinWithLease();
    const { entries, dropped } = log.drain();
    expect(dropped).toBe(0);
    const fromSta = entries.filter((e) => e.protocol !== '802.11' || !e.info.startsWith('Beacon'));
    const lines = fromSta
      .filter((e) => e.info !== 'ACK')
      .map((e) => `${e.src} > ${e.dst} ${e.protocol} ${e.info}`);
    const find = (text: string) => lines.findIndex((l) => l.includes(text));
    const steps = [
      `${STA} > broadcast 802.11 Probe request "cafe"`,
      `02:82:66:00:00:00 > ${STA} 802.11 Probe response "cafe"`,
      `${STA} > 02:82:66:00:00:00 802.11 Authentication seq 1 status 0`,
      `02:82:66:00:00:00 > ${STA} 802.11 Authentication seq 2 status 0`,
      `${STA} > 02:82:66:00:00:00 802.11 Association request "cafe"`,
      `02:82:66:00:00:00 > ${STA} 802.11 Association response status 0 aid 1`,
      '0.0.0.0 > 255.255.255.255 DHCP DHCP Discover',
      '192.168.10.1 > 192.168.10.100 DHCP DHCP Offer 192.168.10.100',
      '0.0.0.0 > 255.255.255.255 DHCP DHCP Request',
      '192.168.10.1 > 192.168.10.100 DHCP DHCP ACK 192.168.10.100',
      `${STA} > broadcast ARP Who has 192.168.10.100? (probe)`,
    ];
    const at = steps.map(find);
    expect(
      at.every((i) => i >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Beacons of both APs; the hidden one's SSID is not on the air.
    expect(entries.some((e) => e.info === 'Beacon "cafe"' && e.channel === 1)).toBe(true);
    expect(entries.some((e) => e.info === 'Beacon (hidden)' && e.channel === 6)).toBe(true);
    expect(entries.map((e) => e.number)).toEqual(entries.map((_, i) => i + 1));
    expect(log.drain().entries).toEqual([]);
  });

  it('keeps a bounded queue and says how many entries it dropped', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, { aps: [{ ssid: 'a' }] });
    const log = new PacketLog(world.air, 10);
    net.run(3); // ~29 beacons
    const { entries, dropped } = log.drain();
    expect(entries.length).toBeLessThanOrEqual(10);
    expect(entries.length + dropped).toBe(log.total);
    expect(entries.at(-1)!.number).toBe(log.total);
  });
});

describe('the network status', () => {
  it("shows each AP's settings and the station with its DHCP lease", () => {
    const { world } = joinWithLease();
    const s = networkStatus(world);
    expect(
      s.aps.map((a) => [a.ssid, a.bssid, a.channel, a.security, a.hidden, a.rssi, a.lan]),
    ).toEqual([
      ['cafe', '02:82:66:00:00:00', 1, 'open', false, -45, '192.168.10.0/24'],
      ['home', '02:82:66:01:00:00', 6, 'wpa2', true, -50, '192.168.11.0/24'],
    ]);
    expect(s.aps[0].stations).toEqual([
      {
        mac: STA,
        state: 'authorized',
        aid: 1,
        rssi: expect.any(Number),
        lease: { ip: '192.168.10.100', hostname: 'esp-sta', expiresIn: expect.any(Number) },
      },
    ]);
    expect(s.aps[1].stations).toEqual([]);
    expect(s.boards).toEqual([]);
  });
});

describe('payload summaries', () => {
  it('names ARP, ICMP, TCP flags and DNS, and never throws on a short packet', () => {
    const arp = Uint8Array.from([
      0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 168, 10, 100, 0, 0, 0, 0, 0, 0, 192, 168, 10,
      1,
    ]);
    expect(summarizePayload(0x0806, arp).info).toBe('Who has 192.168.10.1? Tell 192.168.10.100');
    const ip = (proto: number, body: number[]) =>
      Uint8Array.from([
        0x45,
        0,
        0,
        20 + body.length,
        0,
        0,
        0x40,
        0,
        64,
        proto,
        0,
        0,
        192,
        168,
        10,
        100,
        192,
        168,
        10,
        1,
        ...body,
      ]);
    expect(summarizePayload(0x0800, ip(1, [8, 0, 0, 0, 0, 1, 0, 7]))).toMatchObject({
      protocol: 'ICMP',
      info: 'Echo request seq 7',
    });
    const syn = [0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x10, 0, 0, 0, 0, 0];
    expect(summarizePayload(0x0800, ip(6, syn)).info).toBe('12345 → 80 [SYN] seq 1 win 4096 len 0');
    const query = [
      0x12,
      0x34,
      1,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      7,
      ...'gateway'.split('').map((c) => c.charCodeAt(0)),
      3,
      108,
      97,
      110,
      0,
      0,
      1,
      0,
      1,
    ];
    expect(
      summarizePayload(0x0800, ip(17, [0x10, 0, 0, 53, 0, 8 + query.length, 0, 0, ...query])).info,
    ).toBe('query 0x1234 gateway.lan');
    expect(summarizePayload(0x1234, new Uint8Array(3))).toEqual({
      protocol: '0x1234',
      info: '3 bytes',
    });
    expect(summarizePayload(0x0800, new Uint8Array(4)).protocol).toBe('0x0800'); // truncated: no throw
  });
});
