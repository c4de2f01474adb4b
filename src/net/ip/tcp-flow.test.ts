import { describe, expect, it } from 'vitest';
import { ETHERTYPE_IPV4 } from '../ethernet';
import { concatBytes, fromUtf8, parseIpv4, parseMac, utf8 } from './bytes';
import { frameEthertype } from './frame';
import { IpHost } from './host';
import { parseIpv4Header, PROTO_TCP } from './ipv4';
import { SwitchedSegment } from './segment';
import type { TcpConfig } from './tcp';
import { parseTcp, seqDiff, type TcpSegment } from './tcp-segment';
import { SimNet } from './testing/sim-net';

function pair(clientTcp: Partial<TcpConfig> = {}) {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const server = new IpHost(net.clock, { name: 's', mac: parseMac('02:00:00:00:00:01'), ip: parseIpv4('10.0.0.1'), netmask: 0xffffff00 });
  const client = new IpHost(net.clock, { name: 'c', mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('10.0.0.2'), netmask: 0xffffff00, tcp: clientTcp });
  server.attachTo(seg);
  client.attachTo(seg);
  const log: { from: 'server' | 'client'; seg: TcpSegment }[] = [];
  seg.observe((f) => {
    if (frameEthertype(f) !== ETHERTYPE_IPV4) return;
    const ip = parseIpv4Header(f.subarray(14))!;
    if (ip.protocol === PROTO_TCP) log.push({ from: ip.src === server.ip ? 'server' : 'client', seg: parseTcp(ip.src, ip.dst, ip.payload)! });
  });
  return { net, server, client, log };
}

describe('TCP flow control and closing', () => {
  it("never sends beyond the peer's advertised window (no window scaling offered by a small receiver)", () => {
    const { net, server, client, log } = pair({ receiveWindow: 4096, windowScale: 0 });
    const body = new Uint8Array(100_000).fill(0x61);
    server.tcpListen(80, (c) => c.send(body));
    const c = client.tcpConnect(server.ip, 80);
    let total = 0;
    c.onData = (d) => (total += d.length);
    net.runUntil(() => total === body.length, 30);
    expect(total).toBe(body.length);
    // SYN from the client offered window scaling (shift 0); the server answered it.
    expect(log[0].seg.windowScale).toBe(0);
    let acked = -1;
    let maxAhead = 0;
    for (const { from, seg } of log) {
      if (from === 'client' && seg.flags & 0x10) acked = seg.ack;
      else if (from === 'server' && seg.data.length && acked >= 0) {
        maxAhead = Math.max(maxAhead, seqDiff((seg.seq + seg.data.length) >>> 0, acked));
      }
    }
    expect(maxAhead).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThanOrEqual(4096);
  });

  it('half-close: the side that got FIN may go on sending until it closes too', () => {
    const { net, server, client } = pair();
    server.tcpListen(80, (c) => {
      const got: Uint8Array[] = [];
      c.onData = (d) => got.push(d);
      c.onEnd = () => {
        // The request is complete only now; answer after the client's FIN.
        c.send(utf8(`you said ${fromUtf8(concatBytes(got))}`));
        c.end();
      };
    });
    const c = client.tcpConnect(server.ip, 80);
    const reply: Uint8Array[] = [];
    let closed = false;
    c.onData = (d) => reply.push(d);
    c.onClose = () => (closed = true);
    c.send(utf8('ping'));
    c.end();
    net.runUntil(() => closed, 10);
    expect(fromUtf8(concatBytes(reply))).toBe('you said ping');
    expect(c.state).toBe('TIME_WAIT');
  });

  it('simultaneous close: both sides pass through CLOSING to TIME_WAIT', () => {
    const { net, server, client, log } = pair();
    let accepted: ReturnType<IpHost['tcpConnect']> | null = null;
    server.tcpListen(80, (c) => (accepted = c));
    const c = client.tcpConnect(server.ip, 80);
    net.runUntil(() => accepted !== null && c.state === 'ESTABLISHED');
    const states: string[] = [];
    c.end();
    accepted!.end();
    states.push(c.state, accepted!.state);
    net.run(0.001);
    states.push(c.state, accepted!.state);
    expect(states).toEqual(['FIN_WAIT_1', 'FIN_WAIT_1', 'TIME_WAIT', 'TIME_WAIT']);
    const fins = log.filter((l) => l.seg.flags & 0x01);
    expect(fins.map((f) => f.from)).toEqual(['client', 'server']);
    net.run(61);
    expect([c.state, accepted!.state]).toEqual(['CLOSED', 'CLOSED']);
  });

  it('answers an in-window RST that is not at RCV.NXT with a challenge ACK and stays open (RFC 5961)', () => {
    const { net, server, client, log } = pair();
    server.tcpListen(80, () => {});
    const c = client.tcpConnect(server.ip, 80);
    net.runUntil(() => c.state === 'ESTABLISHED');
    net.run(0.001);
    const synAck = log.find((l) => l.from === 'server')!.seg;
    const rcvNxt = (synAck.seq + 1) >>> 0;
    const before = log.length;
    c.segmentArrives({ srcPort: 80, dstPort: c.localPort, seq: (rcvNxt + 100) >>> 0, ack: 0, flags: 0x04, window: 0, data: new Uint8Array(0) });
    net.run(0.001);
    expect(c.state).toBe('ESTABLISHED');
    const challenge = log.slice(before).find((l) => l.from === 'client')!.seg;
    expect([challenge.flags, challenge.ack]).toEqual([0x10, rcvNxt]);
    c.segmentArrives({ srcPort: 80, dstPort: c.localPort, seq: rcvNxt, ack: 0, flags: 0x04, window: 0, data: new Uint8Array(0) });
    expect(c.state).toBe('CLOSED');
  });
});
