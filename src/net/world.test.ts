import { describe, expect, it } from 'vitest';
import { formatMac, fromUtf8, parseMac, utf8 } from './ip/bytes.ts';
import { IpHost } from './ip/host.ts';
import { SimNet } from './ip/testing/sim-net.ts';
import { NetworkWorld } from './world.ts';

/** A wired host on AP `index`'s LAN (.50), as a TAP bridge would put one. */
function wiredHost(net: SimNet, world: NetworkWorld, index: number) {
  const lan = world.aps[index].lan;
  const host = new IpHost(net.clock, {
    name: 'wired',
    mac: parseMac('02:00:00:00:00:50'),
    ip: lan.layout.network + 50,
    netmask: lan.layout.netmask,
  });
  host.attachTo(lan.segment);
  return host;
}

describe('NetworkWorld', () => {
  it('builds one AP and one LAN per entry, with BSSIDs and LANs by index', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [
        { ssid: 'home', passphrase: 'correct horse' },
        { ssid: 'cafe', channel: 1, rssi: -70 },
      ],
    });
    expect(world.aps.map((a) => [formatMac(a.ap.bssid), a.ap.config.channel, a.ap.wpa2])).toEqual([
      ['02:82:66:00:00:00', 6, true],
      ['02:82:66:01:00:00', 1, false],
    ]);
    expect(world.describe()).toEqual([
      'AP 0 "home" ch 6 wpa2 -50 dBm, LAN 192.168.10.0/24 gateway 192.168.10.1',
      'AP 1 "cafe" ch 1 open -70 dBm, LAN 192.168.11.0/24 gateway 192.168.11.1',
    ]);
  });

  it('runs the extra echo services on their protocol only, and MQTT and TLS only when asked', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'lab' }],
      echo: [{ protocol: 'tcp', port: 2323 }],
      mqtt: false,
      tls: false,
      httpFiles: { '/hello.txt': 'hi there' },
    });
    const host = wiredHost(net, world, 0);
    const gateway = world.aps[0].lan.layout.gateway;
    const echoed: string[] = [];
    const c = host.tcpConnect(gateway, 2323);
    c.onData = (d) => echoed.push(fromUtf8(d));
    c.send(utf8('ping'));
    expect(net.runUntil(() => echoed.join('') === 'ping', 5)).toBe(true);

    let udpReplies = 0;
    const sock = host.udpBind(4000, () => udpReplies++);
    sock.send(gateway, 2323, utf8('x'));
    let closed: string | undefined = 'open';
    const mqtt = host.tcpConnect(gateway, 1883);
    mqtt.onClose = (e) => (closed = e ?? 'closed');
    const refused: (string | undefined)[] = [];
    for (const port of [443, 4433]) host.tcpConnect(gateway, port).onClose = (e) => refused.push(e);
    net.run(2);
    expect(udpReplies).toBe(0);
    expect(closed).not.toBe('open'); // refused: no broker
    expect(refused).toEqual(['connection refused', 'connection refused']); // no TLS services

    const got: string[] = [];
    const h = host.tcpConnect(gateway, 80);
    h.onData = (d) => got.push(fromUtf8(d));
    h.send(utf8('GET /hello.txt HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n'));
    expect(net.runUntil(() => got.join('').endsWith('hi there'), 5)).toBe(true);
  });
});
