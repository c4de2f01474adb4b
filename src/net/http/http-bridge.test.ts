/**
 * The page's bridge into the virtual network, without a browser: requests as the Service Worker
 * hands them over, answered by the LAN's HTTP server, a hand-written server, or nobody.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4, fromUtf8, utf8 } from '../ip/bytes.ts';
import { createVirtualLan } from '../ip/lan.ts';
import { SimNet } from '../ip/testing/sim-net.ts';
import { AccessPoint } from '../wifi/access-point.ts';
import { NetworkWorld } from '../world.ts';
import {
  bridgeLocation,
  HttpBridge,
  type BridgeRequest,
  type BridgeResponse,
} from './http-bridge.ts';
import { headerValue } from './http-codec.ts';

const PREFIX = '/app/board-http/';

function setup() {
  const net = new SimNet();
  const world = new NetworkWorld(net.clock, {
    aps: [{ ssid: 'home' }],
    httpFiles: { '/index.html': '<h1>hi</h1>' },
  });
  const bridge = new HttpBridge(world);
  const fetch = (
    request: Partial<BridgeRequest> & { host: string },
    seconds = 60,
  ): BridgeResponse => {
    let response: BridgeResponse | undefined;
    bridge.request(
      { method: 'GET', target: '/', headers: [], prefix: PREFIX, ...request },
      (r) => (response = r),
    );
    expect(net.runUntil(() => response !== undefined, seconds)).toBe(true);
    return response!;
  };
  return { net, world, bridge, fetch };
}

describe('HTTP bridge', () => {
  it('GETs from a LAN host by address and by name, as the tab at .250', () => {
    const { world, fetch } = setup();
    const r = fetch({
      host: '192.168.10.1',
      target: '/index.html',
      headers: [['Accept', 'text/html']],
    });
    expect(r.status).toBe(200);
    expect(fromUtf8(r.body)).toBe('<h1>hi</h1>');
    expect(headerValue(r.headers, 'content-type')).toBe('text/html; charset=utf-8');
    expect(fetch({ host: 'gateway' }).status).toBe(200);
    expect(fetch({ host: 'gateway.lan', target: '/missing' }).status).toBe(404);
    expect(world.aps[0].lan.http.log).toEqual([
      'GET /index.html HTTP/1.1',
      'GET / HTTP/1.1',
      'GET /missing HTTP/1.1',
    ]);
    const tab = world.aps[0].lan.host.tcpConnections.map((c) => formatIpv4(c.remoteIp));
    expect(new Set(tab)).toEqual(new Set(['192.168.10.250']));
  });

  it('POSTs a form body and returns what the server made of it', () => {
    const { fetch } = setup();
    const r = fetch({
      method: 'POST',
      host: '192.168.10.1',
      target: '/echo',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Connection', 'keep-alive'],
        ['Accept-Encoding', 'gzip'],
      ],
      body: utf8('ssid=my+net&pass=x%26y'),
    });
    expect(r.status).toBe(200);
    expect(fromUtf8(r.body)).toBe(
      'POST /echo HTTP/1.1\r\nHost: 192.168.10.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 22\r\n\r\nssid=my+net&pass=x%26y',
    );
  });

  it('keeps the connection alive between requests and reuses it; decodes a chunked body', () => {
    const { world, fetch, net } = setup();
    const big = new Uint8Array(50_000).map((_, i) => i % 253);
    world.aps[0].lan.http.addFile('/big.bin', big, 'application/octet-stream', { chunked: true });
    const server = world.aps[0].lan.host;
    fetch({ host: '192.168.10.1' });
    const first = server.tcpConnections.filter((c) => c.state === 'ESTABLISHED');
    expect(first).toHaveLength(1);
    const r = fetch({ host: '192.168.10.1', target: '/big.bin' });
    expect(r.body).toEqual(big);
    expect(server.tcpConnections.filter((c) => c.state === 'ESTABLISHED')).toEqual(first);
    // Idle for 5 s, the bridge closes it; the next request opens a new one.
    net.run(10);
    expect(server.tcpConnections.filter((c) => c.state === 'ESTABLISHED')).toHaveLength(0);
    expect(fetch({ host: '192.168.10.1' }).status).toBe(200);
  });

  it('retries on a new connection when the server drops the kept-alive one instead of answering', () => {
    const { world, fetch } = setup();
    let served = 0;
    let connections = 0;
    world.aps[0].lan.host.tcpListen(8080, (c) => {
      connections++;
      let requests = 0;
      c.onData = () => {
        // Like a small server that keeps a connection open but serves one request on it.
        if (++requests > 1) return c.end();
        served++;
        c.send(utf8(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n#${served}`));
      };
      c.onEnd = () => c.end();
    });
    expect(fromUtf8(fetch({ host: '192.168.10.1:8080' }).body)).toBe('#1');
    expect(fromUtf8(fetch({ host: '192.168.10.1:8080' }).body)).toBe('#2');
    expect(connections).toBe(2);
  });

  it('maps redirects to the board under the prefix and reads close-delimited bodies', () => {
    const { world, fetch } = setup();
    world.aps[0].lan.host.tcpListen(8080, (c) => {
      c.onData = () => {
        c.send(utf8('HTTP/1.0 302 Found\r\nLocation: /setup\r\n\r\nmoved'));
        c.end();
      };
    });
    const r = fetch({ host: '192.168.10.1:8080' });
    expect(r.status).toBe(302);
    expect(headerValue(r.headers, 'location')).toBe('/app/board-http/192.168.10.1:8080/setup');
    expect(fromUtf8(r.body)).toBe('moved');
  });

  it('rewrites Location: absolute paths and URLs under the prefix, relative ones untouched', () => {
    expect(bridgeLocation('/', 'board', PREFIX)).toBe('/app/board-http/board/');
    expect(bridgeLocation('http://192.168.4.1/wifi?x=1', 'board', PREFIX)).toBe(
      '/app/board-http/192.168.4.1/wifi?x=1',
    );
    expect(bridgeLocation('http://192.168.4.1', 'board', PREFIX)).toBe(
      '/app/board-http/192.168.4.1/',
    );
    expect(bridgeLocation('//example.com/x', 'board', PREFIX)).toBe(
      '/app/board-http/example.com/x',
    );
    expect(bridgeLocation('HTTPS://example.com:8443/', 'b', PREFIX)).toBe(
      '/app/board-http/example.com:8443/',
    );
    expect(bridgeLocation('next.html', 'board', PREFIX)).toBe('next.html');
    expect(bridgeLocation('?page=2', 'board', PREFIX)).toBe('?page=2');
  });

  it('refuses hosts outside the virtual networks, unknown names and bad hosts; reports refused ports', () => {
    const { world, fetch } = setup();
    for (const host of ['8.8.8.8', '127.0.0.1', '192.168.11.1']) {
      const r = fetch({ host });
      expect(r.status, host).toBe(502);
      expect(r.statusText).toBe('Not on the virtual network');
      expect(fromUtf8(r.body)).toContain('never leaves the simulation');
    }
    expect(fetch({ host: 'example.com' }).statusText).toBe('Unknown virtual host');
    expect(fetch({ host: 'a b' }).status).toBe(400);
    expect(fetch({ host: '192.168.10.1:70000' }).status).toBe(400);
    expect(fetch({ host: '192.168.10.1', target: '/a b' }).status).toBe(400);
    const refused = fetch({ host: '192.168.10.1:81' });
    expect([refused.status, refused.statusText]).toEqual([502, 'Connection refused']);
    expect(world.aps[0].lan.http.log).toEqual([]);
  });

  it('gives up with 504 after 30 s of simulated time when nobody answers', () => {
    const { world, fetch, net } = setup();
    world.aps[0].lan.host.tcpListen(8080, () => {});
    const before = net.seconds;
    const r = fetch({ host: '192.168.10.1:8080' }, 60);
    expect([r.status, r.statusText]).toEqual([504, 'No answer']);
    expect(net.seconds - before).toBeCloseTo(30, 1);
    // An address on the LAN where no one lives: ARP fails, the connection times out or is dropped.
    expect(fetch({ host: '192.168.10.77' }, 200).status).toBeGreaterThanOrEqual(502);
  });

  it('reaches a network that only a virtual station is on (as a board SoftAP would be)', () => {
    const net = new SimNet();
    const world = new NetworkWorld(net.clock, {
      aps: [],
      stations: [{ name: 'phone', ssid: 'ESP_SOFTAP' }],
    });
    // Another AP on the same air with its own LAN, standing in for a board's SoftAP.
    const lan = createVirtualLan(net.clock, 4);
    lan.http.addFile('/', '<p>softap page</p>', 'text/html');
    new AccessPoint(world.air, {
      ssid: 'ESP_SOFTAP',
      bssid: Uint8Array.of(2, 0, 0, 0, 0, 4),
      channel: 1,
      lan: lan.segment,
    });
    const phone = world.stations[0];
    expect(net.runUntil(() => phone.phase === 'online', 60)).toBe(true);
    const bridge = new HttpBridge(world);
    let r: BridgeResponse | undefined;
    bridge.request(
      { method: 'GET', host: formatIpv4(phone.gateway), target: '/', headers: [], prefix: PREFIX },
      (x) => (r = x),
    );
    expect(net.runUntil(() => r !== undefined, 30)).toBe(true);
    expect(fromUtf8(r!.body)).toBe('<p>softap page</p>');
    expect(lan.http.log).toEqual(['GET / HTTP/1.1']);
  });
});
