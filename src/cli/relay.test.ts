/**
 * `v8266 relay` in-process with real WebSocket clients (the `ws` package, as the page's worker
 * uses the browser's): two virtual LANs, each linked to the relay the way the page links its LAN
 * (src/net/relay/relay-link.ts), reach each other across it — ARP, ping, UDP — and the allow-list
 * keeps frames for other destinations out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { formatIpv4, parseIpv4, utf8, fromUtf8 } from '../net/ip/bytes.ts';
import { DestinationFilter, parseCidr, PRIVATE_NETWORKS } from '../net/relay/destination-filter.ts';
import { hostBeyondRelay } from './net/relayed-host.ts';
import { parseRelayArgs } from './relay-args.ts';
import { startRelay, type Relay } from './relay-command.ts';

/** An Ethernet II frame carrying an IPv4 header to `dst` (enough for the filter). */
function ipv4To(dst: string): Uint8Array {
  const f = new Uint8Array(34);
  f[12] = 0x08;
  f[14] = 0x45;
  new DataView(f.buffer).setUint32(30, parseIpv4(dst));
  return f;
}

describe('relay destination filter', () => {
  it('passes IPv4 and ARP for allowed networks and the limited broadcast, nothing else', () => {
    const filter = new DestinationFilter(PRIVATE_NETWORKS.map(parseCidr));
    expect(filter.describe()).toBe('10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16');
    expect(filter.allows(ipv4To('192.168.10.1'))).toBe(true);
    expect(filter.allows(ipv4To('172.31.255.255'))).toBe(true);
    expect(filter.allows(ipv4To('255.255.255.255'))).toBe(true); // DHCP discover
    expect(filter.allows(ipv4To('172.32.0.1'))).toBe(false);
    expect(filter.allows(ipv4To('8.8.8.8'))).toBe(false);
    const arp = new Uint8Array(42);
    arp.set([0x08, 0x06], 12);
    arp.set([10, 0, 0, 9], 38);
    expect(filter.allows(arp)).toBe(true);
    arp.set([1, 1, 1, 1], 38);
    expect(filter.allows(arp)).toBe(false);
    const ipv6 = new Uint8Array(60);
    ipv6.set([0x86, 0xdd], 12);
    expect(filter.allows(ipv6)).toBe(false);
    expect(filter.allows(new Uint8Array(10))).toBe(false);
    expect(new DestinationFilter([parseCidr('0.0.0.0/0')]).allows(ipv4To('8.8.8.8'))).toBe(true);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(RangeError);
    expect(parseCidr('192.168.10.77')).toEqual({
      network: parseIpv4('192.168.10.77'),
      prefixLength: 32,
    });
  });

  it('reads its options: localhost, port 8265 and the private networks by default', () => {
    const r = parseRelayArgs([]);
    expect(r).toMatchObject({ port: 8265, listen: '127.0.0.1', tapIfname: null });
    expect(new DestinationFilter(r.allow).describe()).toBe(
      '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16',
    );
    const s = parseRelayArgs(['--port', '0', '--allow', '192.168.10.0/24', '--allow', '10.1.2.3']);
    expect(new DestinationFilter(s.allow).describe()).toBe('192.168.10.0/24, 10.1.2.3/32');
    expect(() => parseRelayArgs(['--allow', 'everything'])).toThrowError(
      /bad --allow "everything"/,
    );
    expect(() => parseRelayArgs(['extra'])).toThrowError(/relay takes no arguments/);
  });
});

describe('v8266 relay', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A LAN on wall-paced time with one host, linked to the relay by a WebSocket. */
  async function lan(relay: Relay, name: string, ip: string, mac: string) {
    const beyond = hostBeyondRelay(`ws://127.0.0.1:${relay.port}/`, name, ip, mac);
    cleanups.push(() => beyond.close());
    await waitFor(() => beyond.link.state === 'open');
    return beyond;
  }

  async function waitFor(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it("joins two LANs: ARP, ping and UDP cross it; a frame to a disallowed address doesn't", async () => {
    const lines: string[] = [];
    const relay = await startRelay(
      { port: 0, listen: '127.0.0.1', allow: [parseCidr('192.168.10.0/24')], tapIfname: null },
      (line) => lines.push(line),
    );
    cleanups.push(() => relay.close());
    const a = await lan(relay, 'a', '192.168.10.1', '02:00:00:00:0a:01');
    const b = await lan(relay, 'b', '192.168.10.77', '02:00:00:00:0b:01');
    await waitFor(() => relay.clients === 2);

    const replies: string[] = [];
    b.host.onEchoReply = (from, _id, seq) => replies.push(`${formatIpv4(from)} seq ${seq}`);
    b.host.ping(parseIpv4('192.168.10.1'), 1, 1, utf8('across'));
    await waitFor(() => replies.length === 1);
    expect(replies).toEqual(['192.168.10.1 seq 1']);

    const got: string[] = [];
    a.host.udpBind(7000, (m) => got.push(`${formatIpv4(m.src)}:${m.srcPort} ${fromUtf8(m.data)}`));
    b.host.udpBind(7001).send(parseIpv4('192.168.10.1'), 7000, utf8('hello over the relay'));
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['192.168.10.77:7001 hello over the relay']);

    // Frames into the relay for elsewhere are dropped there: the other side never sees them.
    const before = a.link.framesIn;
    const outside = new WebSocket(`ws://127.0.0.1:${relay.port}/`);
    await new Promise((resolve) => outside.once('open', resolve));
    const frame = ipv4To('192.168.11.5');
    frame.fill(0xff, 0, 6); // broadcast: every client would get it
    outside.send(frame);
    const allowed = ipv4To('192.168.10.200');
    allowed.fill(0xff, 0, 6);
    outside.send(allowed);
    await waitFor(() => a.link.framesIn > before);
    expect(a.link.framesIn).toBe(before + 1);
    outside.close();
    await waitFor(() => lines.some((l) => l.includes('left') && l.includes('1 refused')));
    expect(lines[0]).toMatch(/^client 1 joined from 127\.0\.0\.1:\d+$/);
  });
});
