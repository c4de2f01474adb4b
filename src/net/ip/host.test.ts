import { describe, expect, it } from 'vitest';
import { TICKS_PER_SECOND } from '../clock';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../ethernet';
import { ARP_REPLY, ARP_REQUEST, parseArp } from './arp';
import { formatIpv4, parseIpv4, parseMac, readU16, utf8, fromUtf8 } from './bytes';
import { frameEthertype } from './frame';
import { parseIcmp } from './icmp';
import { parseIpv4Header, PROTO_UDP } from './ipv4';
import { IpHost, type UdpMessage } from './host';
import { SwitchedSegment } from './segment';
import { SimNet } from './testing/sim-net';

function lan() {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const frames: Uint8Array[] = [];
  seg.observe((f) => frames.push(f));
  const a = new IpHost(net.clock, { name: 'a', mac: parseMac('02:00:00:00:00:01'), ip: parseIpv4('192.168.10.1'), netmask: 0xffffff00 });
  const b = new IpHost(net.clock, { name: 'b', mac: parseMac('02:00:00:00:00:02'), ip: parseIpv4('192.168.10.2'), netmask: 0xffffff00, seed: 2 });
  a.attachTo(seg);
  b.attachTo(seg);
  return { net, seg, frames, a, b };
}

const arps = (frames: Uint8Array[]) => frames.filter((f) => frameEthertype(f) === ETHERTYPE_ARP).map((f) => parseArp(f.subarray(14))!);

describe('IpHost: ARP', () => {
  it('announces its address with a gratuitous ARP when attached', () => {
    const { net, frames } = lan();
    net.run(0.01);
    const g = arps(frames);
    expect(g).toHaveLength(2);
    expect(g[0].senderIp).toBe(g[0].targetIp);
    expect(formatIpv4(g[0].senderIp)).toBe('192.168.10.1');
  });

  it('resolves before the first packet, answers requests, and caches until the entry times out', () => {
    const { net, frames, a, b } = lan();
    net.run(0.01);
    frames.length = 0;
    const got: UdpMessage[] = [];
    b.udpBind(5000, (m) => got.push(m));
    const sock = a.udpBind(4000);
    sock.send(b.ip, 5000, utf8('one'));
    net.run(0.01);
    expect(arps(frames).map((p) => p.op)).toEqual([ARP_REQUEST, ARP_REPLY]);
    expect(got.map((m) => fromUtf8(m.data))).toEqual(['one']);
    expect(got[0]).toMatchObject({ src: a.ip, srcPort: 4000, dstPort: 5000 });
    frames.length = 0;
    sock.send(b.ip, 5000, utf8('two'));
    net.run(0.01);
    expect(arps(frames)).toHaveLength(0); // cached
    net.run(61); // default lifetime 60 s
    frames.length = 0;
    sock.send(b.ip, 5000, utf8('three'));
    net.run(0.01);
    expect(arps(frames).map((p) => p.op)).toEqual([ARP_REQUEST, ARP_REPLY]);
    expect(got).toHaveLength(3);
  });

  it('retries an unanswered request three times, a second apart, then drops the packet', () => {
    const { net, frames, a } = lan();
    net.run(0.01);
    frames.length = 0;
    const t0 = net.clock.now;
    const times: number[] = [];
    a.udpBind(4000).send(parseIpv4('192.168.10.99'), 9, utf8('x'));
    const seg = (a as unknown as { attachment: { send(f: Uint8Array): void } }).attachment;
    const send = seg.send.bind(seg);
    seg.send = (f) => {
      times.push((net.clock.now - t0) / TICKS_PER_SECOND);
      send(f);
    };
    net.run(10);
    expect(arps(frames).filter((p) => formatIpv4(p.targetIp) === '192.168.10.99')).toHaveLength(3);
    expect(times).toEqual([1, 2]); // the first went out at once, before the hook
    expect(frames.filter((f) => frameEthertype(f) === ETHERTYPE_IPV4)).toHaveLength(0);
  });
});

describe('IpHost: IPv4 and ICMP', () => {
  it('answers ping with the same id, sequence and data', () => {
    const { net, a, b } = lan();
    const replies: unknown[] = [];
    a.onEchoReply = (from, id, seq, data) => replies.push({ from: formatIpv4(from), id, seq, data: fromUtf8(data) });
    a.ping(b.ip, 0x1234, 7, utf8('abcdefgh'));
    net.run(0.1);
    expect(replies).toEqual([{ from: '192.168.10.2', id: 0x1234, seq: 7, data: 'abcdefgh' }]);
  });

  it('answers a UDP datagram to a closed port with ICMP port unreachable quoting its header', () => {
    const { net, frames, a, b } = lan();
    a.udpBind(4000).send(b.ip, 9999, utf8('hello'));
    net.run(0.1);
    const icmp = frames
      .filter((f) => frameEthertype(f) === ETHERTYPE_IPV4)
      .map((f) => parseIpv4Header(f.subarray(14))!)
      .filter((p) => p.protocol === 1)
      .map((p) => parseIcmp(p.payload)!);
    expect(icmp).toHaveLength(1);
    expect([icmp[0].type, icmp[0].code]).toEqual([3, 3]);
    expect(icmp[0].body[9]).toBe(PROTO_UDP);
    expect(readU16(icmp[0].body, 22)).toBe(9999); // the quoted UDP destination port
  });

  it('fragments a large datagram on send and reassembles it on receive, fragments in any order', () => {
    const { net, seg, frames, a, b } = lan();
    const big = new Uint8Array(4000).map((_, i) => (i * 7) & 0xff);
    const got: Uint8Array[] = [];
    b.udpBind(7000, (m) => got.push(m.data));
    a.udpBind(7001).send(b.ip, 7000, big);
    net.run(0.1);
    const ipFrames = frames.filter((f) => frameEthertype(f) === ETHERTYPE_IPV4);
    expect(ipFrames.length).toBe(3);
    expect(Math.max(...ipFrames.map((f) => f.length - 14))).toBeLessThanOrEqual(1500);
    expect(got).toHaveLength(1);
    expect(got[0]).toEqual(big);
    // Reordered delivery still reassembles.
    const bAttachment = (b as unknown as { attachment: never }).attachment;
    seg.impair(bAttachment, { reorder: 0.5, reorderDelay: TICKS_PER_SECOND / 100 });
    for (let i = 0; i < 10; i++) a.udpBind(0).send(b.ip, 7000, big);
    net.run(1);
    expect(got).toHaveLength(11);
    for (const g of got) expect(g).toEqual(big);
  });

  it('drops packets with a bad header checksum', () => {
    const { net, a, b } = lan();
    const got: Uint8Array[] = [];
    b.udpBind(7000, (m) => got.push(m.data));
    net.run(0.01);
    a.udpBind(7001).send(b.ip, 7000, utf8('ok'));
    net.run(0.01);
    const frame = (b as unknown as { receive(f: Uint8Array): void });
    // Hand b a copy of a valid frame with one header byte flipped.
    const good: Uint8Array[] = [];
    const orig = b.receive.bind(b);
    b.receive = (f) => { good.push(f); orig(f); };
    a.udpBind(7002).send(b.ip, 7000, utf8('ok2'));
    net.run(0.01);
    const bad = Uint8Array.from(good[good.length - 1]);
    bad[14 + 8] ^= 1; // TTL
    frame.receive(bad);
    expect(got.map(fromUtf8)).toEqual(['ok', 'ok2']);
  });
});
