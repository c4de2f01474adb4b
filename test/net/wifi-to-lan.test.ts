/**
 * The two halves of the virtual network together: a virtual station associates with a virtual
 * AP over the air, an IpHost runs over the station, takes a DHCP lease from the LAN behind the AP
 * (192.168.10.0/24) and downloads a file over TCP — all in simulated time on one clock.
 */
import { describe, expect, it } from 'vitest';
import type { EthernetSegment } from '../../src/net/ethernet';
import { concatBytes, formatIpv4, fromUtf8, parseMac, utf8 } from '../../src/net/ip/bytes';
import { DhcpClient } from '../../src/net/ip/dhcp-client';
import { IpHost } from '../../src/net/ip/host';
import { createVirtualLan } from '../../src/net/ip/lan';
import { SimNet } from '../../src/net/ip/testing/sim-net';
import { AccessPoint, Air, VirtualStation } from '../../src/net/wifi/index';

describe('virtual station → AP → LAN services', () => {
  it('associates, takes a DHCP lease through the AP and fetches a page over TCP', () => {
    const net = new SimNet();
    const air = new Air(net.clock, { seed: 1 });
    const lan = createVirtualLan(net.clock, 0);
    new AccessPoint(air, { ssid: 'v8266', bssid: parseMac('02:00:00:00:01:00'), channel: 6, lan: lan.segment });
    const sta = new VirtualStation(air, { mac: parseMac('5c:cf:7f:00:00:01') });
    let associated: unknown;
    sta.connect({ ssid: 'v8266' }, (r) => (associated = r));
    expect(net.runUntil(() => associated !== undefined, 20)).toBe(true);
    expect(associated).toMatchObject({ ok: true });

    // The station is the host's Ethernet.
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
    expect([formatIpv4(host.ip), formatIpv4(host.gateway)]).toEqual(['192.168.10.100', '192.168.10.1']);
    expect(formatIpv4(lan.dns.lookup('esp-sta.lan')!)).toBe('192.168.10.100');

    const c = host.tcpConnect(lan.layout.gateway, 80);
    const got: Uint8Array[] = [];
    let closed = false;
    c.onData = (d) => got.push(d);
    c.onEnd = () => c.end();
    c.onClose = () => (closed = true);
    c.send(utf8('GET / HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n'));
    expect(net.runUntil(() => closed, 30)).toBe(true);
    const text = fromUtf8(concatBytes(got));
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(text).toContain('192.168.10.0/24 gateway 192.168.10.1');
  });
});
