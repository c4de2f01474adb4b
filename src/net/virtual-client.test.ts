/**
 * Virtual stations in a world: they join by SSID (open or WPA2), take a DHCP lease, ping and
 * fetch pages — from a world AP's LAN, or from any other AP that comes up on the same air later
 * (what a board's SoftAP is to them), after a failed join and the 5 s retry a phone would do.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4, parseMac } from './ip/bytes.ts';
import { createVirtualLan } from './ip/lan.ts';
import { SimNet } from './ip/testing/sim-net.ts';
import { AccessPoint } from './wifi/access-point.ts';
import { NetworkWorld } from './world.ts';
import { networkStatus } from './world-status.ts';

const lines = (log: readonly string[]) => log.map((l) => l.replace(/^[0-9.]+ /, ''));

describe('virtual stations', () => {
  it('join a WPA2 AP, take a lease, ping the gateway and GET a page', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'home', passphrase: 'correct horse' }],
      stations: [{ name: 'phone', ssid: 'home', passphrase: 'correct horse' }],
      httpFiles: { '/index.html': '<h1>hi</h1>' },
    });
    const [phone] = world.stations;
    expect(net.runUntil(() => phone.phase === 'online', 30)).toBe(true);
    expect(formatIpv4(phone.ip)).toBe('192.168.10.100');
    expect(formatIpv4(phone.gateway)).toBe('192.168.10.1');
    expect(world.aps[0].lan.dns.lookup('phone.lan')).toBe(phone.ip);
    // What the panel shows: the station itself, and the AP's view of it with its lease.
    const status = networkStatus(world);
    expect(status.stations).toEqual([
      {
        index: 0,
        name: 'phone',
        ssid: 'home',
        security: 'wpa2',
        mac: '02:82:66:5a:00:00',
        phase: 'online',
        bssid: '02:82:66:00:00:00',
        ip: '192.168.10.100',
        gateway: '192.168.10.1',
        log: [
          expect.stringMatching(/joined "home"/),
          expect.stringMatching(/lease 192\.168\.10\.100/),
        ],
      },
    ]);
    expect(status.aps[0].stations).toMatchObject([
      {
        mac: '02:82:66:5a:00:00',
        state: 'authorized',
        lease: { ip: '192.168.10.100', hostname: 'phone' },
      },
    ]);
    phone.ping();
    let response: string | null | undefined;
    phone.httpGet('/index.html', undefined, (r) => (response = r));
    expect(net.runUntil(() => response !== undefined, 30)).toBe(true);
    expect(response).toContain('<h1>hi</h1>');
    expect(lines(phone.log)).toEqual([
      'joined "home" 02:82:66:00:00:00 (AID 1)',
      'lease 192.168.10.100 router 192.168.10.1',
      expect.stringMatching(/^ping 192\.168\.10\.1: reply in [0-9.]+ ms$/),
      'GET /index.html → HTTP/1.1 200 OK, 11 bytes',
    ]);
    // A binary body is counted in bytes (decoded as text, its invalid sequences would grow).
    phone.httpGet('/bytes/70000', undefined, (r) => (response = r));
    response = undefined;
    expect(net.runUntil(() => response !== undefined, 30)).toBe(true);
    expect(lines(phone.log).at(-1)).toBe('GET /bytes/70000 → HTTP/1.1 200 OK, 70000 bytes');
  });

  it('a wrong passphrase fails the join (the AP gives up with reason 15), and it tries again', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'home', passphrase: 'correct horse' }],
      stations: [{ name: 'guest', ssid: 'home', passphrase: 'wrong horse' }],
    });
    const [guest] = world.stations;
    net.run(15);
    expect(guest.phase).not.toBe('online');
    // 3.1 s of message 1 retries before the deauthentication, then 5 s to the next attempt.
    expect(guest.log).toEqual([
      expect.stringMatching(/^3\.[0-9]+ join "home" failed: deauthenticated$/),
      expect.stringMatching(/^12\.[0-9]+ join "home" failed: deauthenticated$/),
    ]);
    guest.ping();
    expect(lines(guest.log).at(-1)).toBe('ping: not online yet');
  });

  it('finds an SSID that comes up later on the same air, as a board SoftAP would', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [],
      stations: [{ name: 'laptop', ssid: 'ESP_0A1B2C' }],
    });
    const [laptop] = world.stations;
    net.run(2);
    expect(lines(laptop.log)[0]).toMatch(/^join "ESP_0A1B2C" failed: /);
    // Another radio on the air with its own LAN: 192.168.15.0/24.
    const lan = createVirtualLan(net.clock, 5);
    new AccessPoint(world.air, {
      ssid: 'ESP_0A1B2C',
      bssid: parseMac('1a:fe:34:0a:1b:2c'),
      channel: 1,
      lan: lan.segment,
    });
    expect(net.runUntil(() => laptop.phase === 'online', 30)).toBe(true);
    expect(formatIpv4(laptop.ip)).toBe('192.168.15.100');
    expect(lines(laptop.log)).toContain('joined "ESP_0A1B2C" 1a:fe:34:0a:1b:2c (AID 1)');
    world.stop();
    expect(laptop.phase).toBe('online'); // stopped where it was; nothing runs any more
  });
});
