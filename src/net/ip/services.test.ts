import { describe, expect, it } from 'vitest';
import { concatBytes, formatIpv4, fromUtf8, parseIpv4, parseMac, readU16, readU32, utf8, writeU16 } from './bytes';
import { DhcpClient } from './dhcp-client';
import { encodeName } from './dns-server';
import { IpHost } from './host';
import { createLanServices, createVirtualLan, defaultLanLayout, describeLan } from './lan';
import { SwitchedSegment } from './segment';
import { SimNet } from './testing/sim-net';

function setup(leaseSeconds = 3600) {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const lan = createLanServices(net.clock, seg, defaultLanLayout(0), { leaseSeconds });
  const station = new IpHost(net.clock, { name: 'sta', mac: parseMac('02:00:00:00:aa:01'), seed: 3 });
  station.attachTo(seg);
  const dhcp = new DhcpClient(station, { hostname: 'esp-test' });
  return { net, seg, lan, station, dhcp };
}

function bound(setupResult: ReturnType<typeof setup>) {
  const { net, dhcp } = setupResult;
  dhcp.start();
  expect(net.runUntil(() => dhcp.state === 'BOUND', 30)).toBe(true);
  return setupResult;
}

function dnsQuery(name: string, type = 1): Uint8Array {
  const q = new Uint8Array(12);
  writeU16(q, 0, 0xbeef);
  q[2] = 0x01; // RD
  writeU16(q, 4, 1);
  const tail = new Uint8Array(4);
  writeU16(tail, 0, type);
  writeU16(tail, 2, 1);
  return concatBytes([q, encodeName(name), tail]);
}

describe('default LAN layout', () => {
  it('puts AP n on 192.168.(10+n).0/24 with everything at .1', () => {
    expect(describeLan(defaultLanLayout(0))).toBe('192.168.10.0/24 gateway 192.168.10.1 dhcp 192.168.10.100-192.168.10.199');
    const l = defaultLanLayout(3);
    expect(formatIpv4(l.gateway)).toBe('192.168.13.1');
    expect(l.gatewayMac).toEqual(Uint8Array.of(2, 0x82, 0x66, 0, 3, 1));
  });

  it('builds a second LAN whose clients get 192.168.11.x from its own server', () => {
    const net = new SimNet();
    const lan = createVirtualLan(net.clock, 1);
    const sta = new IpHost(net.clock, { mac: parseMac('02:00:00:00:11:01') });
    sta.attachTo(lan.segment);
    const dhcp = new DhcpClient(sta);
    dhcp.start();
    net.runUntil(() => dhcp.state === 'BOUND', 30);
    expect([formatIpv4(sta.ip), formatIpv4(sta.gateway), formatIpv4(sta.dns)]).toEqual(['192.168.11.100', '192.168.11.1', '192.168.11.1']);
  });
});

describe('DHCP', () => {
  it('leases the first pool address with mask, router, DNS, domain and lease time', () => {
    const { station, dhcp, lan } = bound(setup());
    expect(dhcp.history.map((h) => h.split(' ')[1])).toEqual(['INIT', 'SELECTING', 'REQUESTING', 'PROBING', 'BOUND']);
    expect(formatIpv4(station.ip)).toBe('192.168.10.100');
    expect(dhcp.lease).toMatchObject({ netmask: 0xffffff00, router: lan.host.ip, dns: lan.host.ip, server: lan.host.ip, leaseSeconds: 3600, domain: 'lan' });
    expect(lan.dhcp.describe()).toEqual(['192.168.10.100 02:00:00:00:aa:01 esp-test']);
    expect(formatIpv4(lan.dns.lookup('esp-test.lan')!)).toBe('192.168.10.100');
  });

  it('renews at T1 by unicast, keeps the same address, and the server extends the lease', () => {
    const { net, station, dhcp, lan } = bound(setup(120));
    const t0 = net.seconds;
    net.run(61);
    const states = dhcp.history.slice(5).map((h) => h.split(' ')[1]);
    expect(states).toEqual(['RENEWING', 'BOUND']);
    expect(Number(dhcp.history[5].split(' ')[0]) - t0).toBeCloseTo(60, 0);
    expect(formatIpv4(station.ip)).toBe('192.168.10.100');
    net.run(100); // past the first lease's end: still leased
    expect(lan.dhcp.leases).toHaveLength(1);
  });

  it('rebinds at T2 when the server is silent, and drops the address when the lease runs out', () => {
    const { net, station, dhcp, lan } = bound(setup(120));
    lan.dhcp.stop();
    let lost = '';
    dhcp.onLost = (why) => (lost = why);
    net.run(121);
    const states = dhcp.history.slice(5).map((h) => h.split(' ')[1]);
    expect(states.slice(0, 4)).toEqual(['RENEWING', 'REBINDING', 'INIT', 'SELECTING']);
    expect(lost).toBe('lease expired');
    expect(station.ip).toBe(0);
  });

  it('gives the address back on release, and the server re-offers it', () => {
    const { net, dhcp, lan, seg } = bound(setup());
    expect(lan.dns.lookup('esp-test')).toBeDefined();
    dhcp.release();
    net.run(1);
    expect(lan.dhcp.leases).toHaveLength(0);
    expect(lan.dns.lookup('esp-test')).toBeUndefined(); // the name goes with the lease
    const other = new IpHost(net.clock, { name: 'b', mac: parseMac('02:00:00:00:aa:02') });
    other.attachTo(seg);
    const c2 = new DhcpClient(other);
    c2.start();
    net.runUntil(() => c2.state === 'BOUND', 30);
    expect(formatIpv4(other.ip)).toBe('192.168.10.100');
  });

  it('declines an address another host already uses, and the server sets it aside', () => {
    const { net, seg, lan } = setup();
    // A host configured by hand on .100 without the server knowing.
    const squatter = new IpHost(net.clock, { name: 'sq', mac: parseMac('02:00:00:00:bb:01'), ip: parseIpv4('192.168.10.100'), netmask: 0xffffff00 });
    squatter.attachTo(seg);
    const station = new IpHost(net.clock, { name: 'sta', mac: parseMac('02:00:00:00:aa:01') });
    station.attachTo(seg);
    const dhcp = new DhcpClient(station);
    dhcp.start();
    net.runUntil(() => dhcp.state === 'BOUND', 60);
    expect(dhcp.history).toContain('declined 192.168.10.100');
    expect(formatIpv4(station.ip)).toBe('192.168.10.101');
    expect(lan.dhcp.leases.map((l) => formatIpv4(l.ip))).toEqual(['192.168.10.101']);
  });
});

describe('DNS, echo, SNTP', () => {
  it('answers A queries for known names and NXDOMAIN for others', () => {
    const { net, station } = bound(setup());
    const answers: Uint8Array[] = [];
    const sock = station.udpBind(0, (m) => answers.push(m.data));
    sock.send(station.dns, 53, dnsQuery('gateway.lan'));
    sock.send(station.dns, 53, dnsQuery('GATEWAY'));
    sock.send(station.dns, 53, dnsQuery('nowhere.example'));
    sock.send(station.dns, 53, dnsQuery('gateway', 28)); // AAAA
    net.run(1);
    expect(answers).toHaveLength(4);
    const [a, b, nx, aaaa] = answers;
    expect(readU16(a, 0)).toBe(0xbeef);
    expect(a[2] & 0x84).toBe(0x84); // QR, AA
    expect([a[3] & 0x0f, readU16(a, 6)]).toEqual([0, 1]);
    expect(formatIpv4(readU32(a, a.length - 4))).toBe('192.168.10.1');
    expect(formatIpv4(readU32(b, b.length - 4))).toBe('192.168.10.1');
    expect([nx[3] & 0x0f, readU16(nx, 6)]).toEqual([3, 0]);
    expect([aaaa[3] & 0x0f, readU16(aaaa, 6)]).toEqual([0, 0]);
  });

  it('echoes UDP datagrams and TCP streams on port 7', () => {
    const { net, station, lan } = bound(setup());
    const udp: string[] = [];
    station.udpBind(0, (m) => udp.push(fromUtf8(m.data))).send(lan.host.ip, 7, utf8('ping'));
    const c = station.tcpConnect(lan.host.ip, 7);
    const tcp: Uint8Array[] = [];
    let closed = false;
    c.onData = (d) => tcp.push(d);
    c.onClose = () => (closed = true);
    c.send(utf8('over tcp'));
    c.end();
    net.runUntil(() => closed, 10);
    expect(udp).toEqual(['ping']);
    expect(fromUtf8(concatBytes(tcp))).toBe('over tcp');
  });

  it('answers SNTP with the epoch plus simulated time', () => {
    const { net, station, lan } = bound(setup());
    net.run(100 - net.seconds); // simulated t = 100 s
    const replies: Uint8Array[] = [];
    const q = new Uint8Array(48);
    q[0] = (4 << 3) | 3;
    q.set([1, 2, 3, 4, 5, 6, 7, 8], 40);
    station.udpBind(0, (m) => replies.push(m.data)).send(lan.host.ip, 123, q);
    net.run(1);
    const r = replies[0];
    expect([r[0] & 7, (r[0] >> 3) & 7, r[1]]).toEqual([4, 4, 1]);
    expect([...r.subarray(24, 32)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const unix = readU32(r, 40) - 2_208_988_800;
    expect(unix).toBe(Date.UTC(2026, 0, 1) / 1000 + 100);
  });
});

describe('HTTP file server', () => {
  function request(text: string) {
    const s = bound(setup());
    const { net, station, lan } = s;
    const c = station.tcpConnect(lan.host.ip, 80);
    const got: Uint8Array[] = [];
    let closed = false;
    c.onData = (d) => got.push(d);
    c.onEnd = () => c.end();
    c.onClose = () => (closed = true);
    c.send(utf8(text));
    return { ...s, c, response: () => fromUtf8(concatBytes(got)), closed: () => closed, run: (sec = 2) => net.run(sec) };
  }

  it('serves GET and HEAD on one kept-alive connection, 404 for the unknown, closes on request', () => {
    const r = request(
      'GET / HTTP/1.1\r\nHost: gateway\r\n\r\n' +
        'HEAD / HTTP/1.1\r\nHost: gateway\r\n\r\n' +
        'GET /missing HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n',
    );
    r.net.runUntil(r.closed, 10);
    const text = r.response();
    const responses = text.split(/(?=HTTP\/1\.1 )/);
    expect(responses.map((x) => x.split('\r\n')[0])).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found']);
    const body = responses[0].split('\r\n\r\n')[1];
    expect(responses[0]).toContain(`Content-Length: ${utf8(body).length}`);
    expect(responses[0]).toContain('Date: Thu, 01 Jan 2026 00:00:');
    expect(responses[1].endsWith('\r\n\r\n')).toBe(true); // HEAD: headers only
    expect(responses[2]).toContain('Connection: close');
    expect(r.closed()).toBe(true);
  });

  it('sends a chunked response that decodes to the file', () => {
    const s = bound(setup());
    const big = new Uint8Array(40000).map((_, i) => i % 251);
    s.lan.http.addFile('/big.bin', big, 'application/octet-stream', { chunked: true });
    const c = s.station.tcpConnect(s.lan.host.ip, 80);
    const got: Uint8Array[] = [];
    c.onData = (d) => got.push(d);
    c.send(utf8('GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.net.run(2);
    const all = concatBytes(got);
    const text = new TextDecoder('latin1').decode(all);
    expect(text).toContain('Transfer-Encoding: chunked');
    let o = text.indexOf('\r\n\r\n') + 4;
    const parts: Uint8Array[] = [];
    for (;;) {
      const eol = text.indexOf('\r\n', o);
      const size = parseInt(text.slice(o, eol), 16);
      o = eol + 2;
      if (size === 0) break;
      parts.push(all.subarray(o, o + size));
      o += size + 2;
    }
    const joined = concatBytes(parts);
    expect(joined.length).toBe(big.length);
    expect(joined.every((b, i) => b === big[i])).toBe(true);
  });

  it('answers 501 to other methods and 400 to garbage', () => {
    const r = request('DELETE / HTTP/1.1\r\nHost: x\r\n\r\nnot http\r\n\r\n');
    r.net.runUntil(r.closed, 10);
    expect(r.response().split(/(?=HTTP\/1\.1 )/).map((x) => x.split('\r\n')[0])).toEqual([
      'HTTP/1.1 501 Not Implemented',
      'HTTP/1.1 400 Bad Request',
    ]);
  });
  it('echoes any request to /echo with its headers and body, and keeps the connection', () => {
    const r = request(
      'POST /echo?x=1 HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nname=a+b&n=42' +
        'GET /echo HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n',
    );
    r.net.runUntil(r.closed, 10);
    const responses = r.response().split(/(?=HTTP\/1\.1 200)/);
    expect(responses).toHaveLength(2);
    const body = responses[0].split('\r\n\r\n').slice(1).join('\r\n\r\n');
    expect(body).toBe(
      'POST /echo?x=1 HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nname=a+b&n=42',
    );
    expect(responses[0]).toContain('Content-Type: text/plain; charset=utf-8');
    expect(responses[1]).toContain('GET /echo HTTP/1.1');
  });

  it('generates /bytes/N: N bytes, the same every time; past 16 MiB, or with a file there, not', () => {
    const get = (paths: string[]) => {
      const s = bound(setup());
      s.lan.http.addFile('/bytes/5', 'mine');
      const c = s.station.tcpConnect(s.lan.host.ip, 80);
      const got: Uint8Array[] = [];
      let closed = false;
      c.onData = (d) => got.push(d);
      c.onEnd = () => c.end();
      c.onClose = () => (closed = true);
      c.send(
        utf8(
          paths
            .map(
              (p, i) =>
                `GET ${p} HTTP/1.1\r\nHost: x\r\n${i === paths.length - 1 ? 'Connection: close\r\n' : ''}\r\n`,
            )
            .join(''),
        ),
      );
      s.net.runUntil(() => closed, 30);
      return concatBytes(got);
    };
    const all = get(['/bytes/100000', '/bytes/16777217', '/bytes/5']);
    const text = new TextDecoder('latin1').decode(all);
    const heads = text.split(/(?=HTTP\/1\.1 )/).map((r) => r.split('\r\n')[0]);
    expect(heads[0]).toBe('HTTP/1.1 200 OK');
    expect(text).toContain('Content-Type: application/octet-stream\r\nContent-Length: 100000');
    const start = text.indexOf('\r\n\r\n') + 4;
    const body = all.subarray(start, start + 100000);
    // httpbin-like but ours: a fixed sequence, so two downloads can be compared byte for byte.
    const again = get(['/bytes/100000']);
    const start2 = new TextDecoder('latin1').decode(again).indexOf('\r\n\r\n') + 4;
    expect(again.subarray(start2)).toEqual(body);
    expect(new Set(body).size).toBe(256);
    expect(text).toContain('HTTP/1.1 404 Not Found'); // 16 MiB + 1
    expect(text.endsWith('\r\n\r\nmine')).toBe(true); // a published file wins
  });
});
