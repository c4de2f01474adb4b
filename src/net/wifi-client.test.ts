import { describe, expect, it } from 'vitest';
import { SimNet } from './ip/testing/sim-net.ts';
import { CLIENT_RETRY_SECONDS, clientMac } from './wifi-client.ts';
import { NetworkWorld } from './world.ts';
import { networkStatus } from './world-status.ts';

function ip(text: string): number {
  return text.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

describe('WifiClient', () => {
  it('joins a WPA2 network by SSID, takes a lease and answers ping from the gateway', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'home', passphrase: 'correct horse' }],
      clients: [{ ssid: 'home', passphrase: 'correct horse', name: 'phone' }],
    });
    const client = world.clients[0];
    const events: string[] = [];
    client.onEvent = (line) => events.push(line);
    expect(net.runUntil(() => client.state === 'bound', 30)).toBe(true);
    expect(client.host.ip).toBe(ip('192.168.10.100'));
    expect(client.host.gateway).toBe(ip('192.168.10.1'));
    expect(events).toEqual([
      'client 0 02:82:66:80:00:01: joined "home" (02:82:66:00:00:00), AID 1',
      'client 0 02:82:66:80:00:01: got 192.168.10.100 from 192.168.10.1, gateway 192.168.10.1',
    ]);
    expect(world.describe()).toContain('client 0 phone joins "home" (wpa2)');

    const gateway = world.aps[0].lan.host;
    let replies = 0;
    gateway.onEchoReply = (from) => {
      if (from === client.host.ip) replies++;
    };
    gateway.ping(client.host.ip, 1, 1);
    expect(net.runUntil(() => replies === 1, 5)).toBe(true);
  });

  it('keeps trying every few seconds while the network is not there, and says so once', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'home' }],
      clients: [{ ssid: 'elsewhere' }],
    });
    const client = world.clients[0];
    const events: string[] = [];
    client.onEvent = (line) => events.push(line);
    net.run(4 * CLIENT_RETRY_SECONDS + 1);
    expect(client.attempts).toBeGreaterThanOrEqual(4);
    expect(client.state).toBe('waiting');
    expect(events).toEqual(['client 0 02:82:66:80:00:01: cannot join "elsewhere": no AP found']);
  });

  it('refuses a passphrase for an open network; dropped by its AP, it says so and looks again', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'cafe' }],
      clients: [{ ssid: 'cafe', passphrase: 'not needed' }, { ssid: 'cafe' }],
    });
    const [wrong, right] = world.clients;
    const events: string[] = [];
    wrong.onEvent = right.onEvent = (line) => events.push(line);
    expect(net.runUntil(() => right.state === 'bound', 30)).toBe(true);
    expect(wrong.state).not.toBe('bound');
    expect(events).toContain('client 0 02:82:66:80:00:01: cannot join "cafe": AP is open');
    expect(right.mac).toEqual(clientMac(1));

    world.switchOff(0, true); // hostapd's shutdown: deauthentication, reason 3
    const lookedAgain = () => events.some((e) => e.startsWith('client 1') && e.includes('cannot'));
    expect(net.runUntil(lookedAgain, 10)).toBe(true);
    expect(right.host.ip).toBe(0);
    expect(events.filter((e) => e.startsWith('client 1')).slice(-2)).toEqual([
      'client 1 02:82:66:81:00:01: dropped by the AP (reason 3)',
      'client 1 02:82:66:81:00:01: cannot join "cafe": no AP found',
    ]);
  });

  it('pings and GETs from its gateway on request, keeps a log, and shows in the network status', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [{ ssid: 'home', passphrase: 'correct horse' }],
      clients: [{ ssid: 'home', passphrase: 'correct horse', name: 'phone' }],
      httpFiles: { '/index.html': '<h1>hi</h1>' },
    });
    const client = world.clients[0];
    client.ping();
    expect(net.runUntil(() => client.state === 'bound', 30)).toBe(true);
    client.ping();
    let response: string | null | undefined;
    client.httpGet('/index.html', undefined, (r) => (response = r));
    expect(net.runUntil(() => response !== undefined, 30)).toBe(true);
    expect(response).toContain('<h1>hi</h1>');
    let missing: string | null | undefined;
    client.httpGet('/nothing', ip('192.168.10.99'), (r) => (missing = r));
    expect(net.runUntil(() => missing !== undefined, 60)).toBe(true);
    expect(missing).toBeNull();
    expect(client.log.map((l) => l.replace(/^[0-9]+\.[0-9]{3} /, ''))).toEqual([
      'ping: no address yet',
      'joined "home" (02:82:66:00:00:00), AID 1',
      'got 192.168.10.100 from 192.168.10.1, gateway 192.168.10.1',
      expect.stringMatching(/^ping 192\.168\.10\.1: reply in [0-9.]+ ms$/),
      'GET /index.html → HTTP/1.1 200 OK, 11 bytes',
      'GET /nothing: aborted',
    ]);
    expect(networkStatus(world).stations).toEqual([
      {
        index: 0,
        name: 'phone',
        ssid: 'home',
        security: 'wpa2',
        mac: '02:82:66:80:00:01',
        state: 'bound',
        bssid: '02:82:66:00:00:00',
        ip: '192.168.10.100',
        gateway: '192.168.10.1',
        log: expect.arrayContaining([expect.stringMatching(/GET \/index\.html/)]),
      },
    ]);
    expect(networkStatus(world).aps[0].stations).toMatchObject([
      {
        mac: '02:82:66:80:00:01',
        state: 'authorized',
        lease: { ip: '192.168.10.100', hostname: 'phone' },
      },
    ]);
  });
});
