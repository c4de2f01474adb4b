import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND } from '../clock';
import { ETHERTYPE_IPV4 } from '../ethernet';
import { concatBytes, fromUtf8, parseIpv4, parseMac, utf8 } from './bytes';
import { frameEthertype } from './frame';
import { IpHost } from './host';
import { parseIpv4Header, PROTO_TCP } from './ipv4';
import { SwitchedSegment, type LinkImpairment } from './segment';
import type { TcpConnection } from './tcp';
import { ACK, FIN, parseTcp, RST, SYN, type TcpSegment } from './tcp-segment';
import { SimNet } from './testing/sim-net';

function lan(seed = 1, arpLifetimeSeconds = 60) {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock, { seed });
  const server = new IpHost(net.clock, { name: 'server', mac: parseMac('02:00:00:00:00:01'), ip: parseIpv4('10.0.0.1'), netmask: 0xffffff00 });
  const client = new IpHost(net.clock, { name: 'client', mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('10.0.0.2'), netmask: 0xffffff00, seed: 9, arpLifetimeSeconds });
  server.attachTo(seg);
  client.attachTo(seg);
  const segments: { from: string; seg: TcpSegment }[] = [];
  seg.observe((f) => {
    if (frameEthertype(f) !== ETHERTYPE_IPV4) return;
    const ip = parseIpv4Header(f.subarray(14));
    if (!ip || ip.protocol !== PROTO_TCP) return;
    segments.push({ from: ip.src === server.ip ? 'server' : 'client', seg: parseTcp(ip.src, ip.dst, ip.payload)! });
  });
  const impair = (host: IpHost, imp: LinkImpairment) =>
    seg.impair((host as unknown as { attachment: never }).attachment, imp);
  return { net, seg, server, client, segments, impair };
}

function flagsOf(s: TcpSegment): string {
  return [s.flags & SYN && 'S', s.flags & FIN && 'F', s.flags & RST && 'R', s.flags & ACK && '.'].filter(Boolean).join('');
}

/** An echo server on port 7 that closes when the client does. */
function echoServer(server: IpHost): TcpConnection[] {
  const accepted: TcpConnection[] = [];
  server.tcpListen(7, (c) => {
    accepted.push(c);
    c.onData = (d) => c.send(d);
    c.onEnd = () => c.end();
  });
  return accepted;
}

function pattern(n: number, salt = 0): Uint8Array {
  const b = new Uint8Array(n);
  let x = 0x12345678 ^ salt;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Vitest's deep equality is slow on megabyte arrays. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

describe('TCP', () => {
  it('opens with a three-way handshake carrying MSS and window scale, echoes, closes through TIME_WAIT', () => {
    const { net, server, client, segments } = lan();
    const accepted = echoServer(server);
    const c = client.tcpConnect(server.ip, 7);
    const events: string[] = [];
    const received: Uint8Array[] = [];
    c.onConnect = () => events.push('connect');
    c.onData = (d) => received.push(d);
    c.onEnd = () => events.push('end');
    c.onClose = (e) => events.push(`close${e ? ':' + e : ''}`);
    net.runUntil(() => c.state === 'ESTABLISHED' && accepted.length === 1);
    const hs = segments.slice(0, 3);
    expect(hs.map((s) => `${s.from}:${flagsOf(s.seg)}`)).toEqual(['client:S', 'server:S.', 'client:.']);
    expect(hs[0].seg.mss).toBe(1460);
    expect(hs[0].seg.windowScale).toBe(3);
    expect(hs[1].seg.mss).toBe(1460);
    expect(hs[1].seg.ack).toBe((hs[0].seg.seq + 1) >>> 0);
    expect(hs[2].seg.ack).toBe((hs[1].seg.seq + 1) >>> 0);
    expect(accepted).toHaveLength(1);

    c.send(utf8('hello, '));
    c.send(utf8('world'));
    net.runUntil(() => received.length > 0 && fromUtf8(concatBytes(received)) === 'hello, world', 5);
    expect(fromUtf8(concatBytes(received))).toBe('hello, world');

    c.end();
    net.runUntil(() => events.includes('close'), 5);
    expect(events).toEqual(['connect', 'end', 'close']);
    expect(c.state).toBe('TIME_WAIT'); // the active closer waits 2 MSL
    net.run(0.01);
    expect(accepted[0].state).toBe('CLOSED'); // once our last ACK arrived
    net.run(59);
    expect(c.state).toBe('TIME_WAIT');
    net.run(2);
    expect(c.state).toBe('CLOSED');
    expect(client.tcpConnections).toHaveLength(0);
    expect(server.tcpConnections).toHaveLength(0);
  });

  it('answers a SYN to a closed port with RST+ACK: the connection is refused', () => {
    const { net, server, client, segments } = lan();
    void server;
    const c = client.tcpConnect(parseIpv4('10.0.0.1'), 81);
    let error: string | undefined;
    c.onClose = (e) => (error = e);
    net.run(1);
    expect(error).toBe('connection refused');
    const rst = segments.find((s) => s.from === 'server')!.seg;
    expect(flagsOf(rst)).toBe('R.');
    expect(rst.ack).toBe((segments[0].seg.seq + 1) >>> 0);
  });

  it('transfers 1 MB byte-exact in both directions', () => {
    const { net, server, client } = lan();
    echoServer(server);
    const data = pattern(1 << 20);
    const c = client.tcpConnect(server.ip, 7);
    const received: Uint8Array[] = [];
    let total = 0;
    c.onData = (d) => {
      received.push(d);
      total += d.length;
    };
    c.send(data);
    expect(net.runUntil(() => total === data.length, 60)).toBe(true);
    expect(sameBytes(concatBytes(received), data)).toBe(true);
    expect(c.stats.retransmits).toBe(0);
  });

  it('recovers from loss, reordering and duplication (seeded), delivering every byte once in order', () => {
    for (const seed of [1, 2, 3]) {
      const { net, server, client, impair } = lan(seed);
      impair(client, { loss: 0.05, reorder: 0.05, duplicate: 0.02, reorderDelay: TICKS_PER_SECOND / 200 });
      const accepted = echoServer(server);
      const data = pattern(300_000, seed);
      const c = client.tcpConnect(server.ip, 7);
      const received: Uint8Array[] = [];
      let total = 0;
      let closed = false;
      c.onData = (d) => {
        received.push(d);
        total += d.length;
      };
      c.onClose = () => (closed = true);
      c.send(data);
      c.end();
      expect(net.runUntil(() => closed, 600)).toBe(true);
      expect(total).toBe(data.length);
      expect(sameBytes(concatBytes(received), data)).toBe(true);
      const s = accepted[0].stats;
      expect(c.stats.retransmits + s.retransmits).toBeGreaterThan(0);
      expect(c.stats.fastRetransmits + s.fastRetransmits).toBeGreaterThan(0);
      expect(c.stats.outOfOrder + s.outOfOrder).toBeGreaterThan(0);
    }
  });

  it('retransmits with RFC 6298 timing: RTO 1 s, doubled on each expiry, gives up after the retry limit', () => {
    // A long ARP lifetime: the client must go on transmitting (not re-resolving) for minutes.
    const { net, server, client, segments, impair } = lan(1, 3600);
    echoServer(server);
    const c = client.tcpConnect(server.ip, 7);
    net.runUntil(() => c.state === 'ESTABLISHED');
    impair(server, { loss: 1 }); // the server hears nothing any more
    const start = net.clock.now;
    segments.length = 0;
    c.send(utf8('x'));
    let error: string | undefined;
    c.onClose = (e) => (error = e);
    net.runUntil(() => error !== undefined, 3600);
    const sends = segments.filter((s) => s.from === 'client' && s.seg.data.length === 1);
    expect(sends).toHaveLength(13); // first transmission + 12 retries
    expect(error).toBe('connection timed out');
    // 1, 2, 4, 8, 16, 32, then capped at 60 s: the reset comes after the 13th timeout.
    const expected = [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60].reduce((a, b) => a + b, 0);
    expect(Math.round((net.clock.now - start) / TICKS_PER_SECOND)).toBe(expected);
  });

  it('closes with an error when the peer resets the connection', () => {
    const { net, server, client } = lan();
    const accepted = echoServer(server);
    const c = client.tcpConnect(server.ip, 7);
    let error: string | undefined;
    c.onClose = (e) => (error = e);
    net.runUntil(() => accepted.length === 1);
    accepted[0].abort();
    net.run(0.1);
    expect(error).toBe('connection reset by peer');
    expect(c.state).toBe('CLOSED');
  });

  it('serves 50 parallel connections', () => {
    const { net, server, client } = lan();
    echoServer(server);
    const done: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const c = client.tcpConnect(server.ip, 7);
      const msg = pattern(3000 + i, i);
      const got: Uint8Array[] = [];
      c.onData = (d) => got.push(d);
      c.onClose = () => (done[i] = concatBytes(got).every((b, j) => b === msg[j]) && concatBytes(got).length === msg.length);
      c.send(msg);
      c.end();
    }
    net.runUntil(() => done.filter(Boolean).length === 50, 30);
    expect(done.filter(Boolean)).toHaveLength(50);
  });
});
