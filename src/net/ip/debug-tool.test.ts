/**
 * The network debugging tool on a LAN's .1 host against another host's real TCP and UDP (src/net):
 * the three things the seed guide's §3.3 does with it — a UDP peer (3.3.1), a TCP server the
 * board connects to (3.3.2), a TCP client of the board's server (3.3.3).
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, parseMac, utf8 } from './bytes';
import { DhcpClient } from './dhcp-client';
import { IpHost } from './host';
import { createLanServices, defaultLanLayout } from './lan';
import { SwitchedSegment } from './segment';
import { SimNet } from './testing/sim-net';
import { NetDebugTool, printable, TOOL_LOG_LIMIT } from './debug-tool';

/** A LAN whose .1 host runs the tool, and a "board" host that took a lease (192.168.10.100). */
function lanWithBoard() {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const lan = createLanServices(net.clock, seg, defaultLanLayout(0));
  const board = new IpHost(net.clock, {
    name: 'board',
    mac: parseMac('02:00:00:00:aa:01'),
    seed: 3,
  });
  board.attachTo(seg);
  const dhcp = new DhcpClient(board, { hostname: 'esp' });
  dhcp.start();
  expect(net.runUntil(() => dhcp.state === 'BOUND', 30)).toBe(true);
  const tool = lan.tool;
  const lines = () => tool.log.map((l) => l.line);
  return { net, lan, board, tool, lines };
}

describe('network debugging tool', () => {
  it('as a TCP server (seed 3.3.2): accepts the board, shows what it sends with the peer and count, answers', () => {
    const { net, board, tool, lines } = lanWithBoard();
    const server = tool.tcpListen(1001);
    expect(tool.canSend(server)).toBe(false); // no client yet
    const c = board.tcpConnect(0xc0a80a01, 1001);
    const got: Uint8Array[] = [];
    c.onData = (d) => got.push(d);
    c.onConnect = () => c.send(utf8('ESP8266 recv test'));
    net.run(1);
    expect(tool.canSend(server)).toBe(true);
    // Sending on the listener goes to its newest client, logged under that client's session.
    expect(tool.send(server, 'hello\r\n')).toBe(true);
    net.run(1);
    expect(fromUtf8(concatBytes(got))).toBe('hello\r\n');
    const peer = `192.168.10.100:${c.localPort}`;
    expect(lines()).toEqual([
      '[1] tcp listening on 1001',
      `[2] tcp ${peer} connected (to port 1001, session 1)`,
      `[2] < ${peer} (17 bytes) ESP8266 recv test`,
      `[2] > ${peer} (7 bytes) hello\\r\\n`,
    ]);
    expect(tool.list()).toEqual([
      '[1] tcp listening on 1001 (1 client)',
      `[2] tcp ${peer} ESTABLISHED`,
    ]);
    // Every line carries the simulated time it happened at.
    const times = tool.log.map((l) => l.seconds);
    expect(times[0]).toBeLessThan(times[1]);
    expect(times[2]).toBeGreaterThanOrEqual(times[1]);
    // The board closes: the tool closes its side too, the session goes away, the listener stays.
    c.end();
    expect(net.runUntil(() => tool.list().length === 1, 5)).toBe(true);
    expect(lines().slice(4)).toEqual(['[2] peer closed (FIN); closing', '[2] tcp closed']);
    expect(tool.list()).toEqual(['[1] tcp listening on 1001 (0 clients)']);
    expect(tool.canSend(server)).toBe(false);
    // Closing a connection from the tool's side: FIN, listed until the peer has closed too.
    const c2 = board.tcpConnect(0xc0a80a01, 1001);
    c2.onEnd = () => c2.end();
    net.run(1);
    const s2 = tool.sessions().find((s) => s.kind === 'tcp')!.id;
    tool.close(s2);
    expect(lines().at(-1)).toBe(`[${s2}] closing (FIN sent)`);
    expect(tool.list()).toHaveLength(2);
    expect(net.runUntil(() => tool.list().length === 1, 5)).toBe(true);
    expect(lines().at(-1)).toBe(`[${s2}] tcp closed`);
  });

  it("as a TCP client (seed 3.3.3): connects to the board's server, sends once connected, reports a refusal", () => {
    const { net, board, tool, lines } = lanWithBoard();
    const received: string[] = [];
    board.tcpListen(1002, (conn) => {
      conn.onData = (d) => {
        received.push(fromUtf8(d));
        conn.send(utf8('got it'));
      };
    });
    const s = tool.tcpConnect('192.168.10.100', 1002);
    expect(tool.canSend(s)).toBe(false); // still in the handshake: nothing is queued behind it
    net.runUntil(() => tool.canSend(s), 5);
    tool.send(s, '\x00\x01hi\\');
    net.run(1);
    expect(received).toEqual(['\x00\x01hi\\']);
    const port = board.tcpConnections[0].remotePort;
    expect(lines()).toEqual([
      '[1] tcp connecting to 192.168.10.100:1002',
      `[1] tcp connected to 192.168.10.100:1002 from port ${port}`,
      '[1] > 192.168.10.100:1002 (5 bytes) \\x00\\x01hi\\x5c',
      '[1] < 192.168.10.100:1002 (6 bytes) got it',
    ]);
    const refused = tool.tcpConnect('192.168.10.100', 9);
    net.run(1);
    expect(lines().at(-1)).toBe(`[${refused}] tcp connection refused`);
    expect(tool.send(refused, 'x')).toBe(false);
    expect(lines().at(-1)).toBe(`[${refused}] nothing to send to`);
  });

  it('as a UDP peer (seed 3.3.1): sends to a fixed remote, or answers whoever sent last', () => {
    const { net, board, tool, lines } = lanWithBoard();
    const echoed: string[] = [];
    // The board's UDP socket echoes, as the seed's example does.
    const sock = board.udpBind(1200, (m) => {
      echoed.push(fromUtf8(m.data));
      sock.send(m.src, m.srcPort, m.data);
    });
    const fixed = tool.udpOpen(5000, '192.168.10.100', 1200);
    expect(tool.canSend(fixed)).toBe(true);
    tool.send(fixed, 'ESP8266 UDP test');
    net.run(1);
    expect(echoed).toEqual(['ESP8266 UDP test']);
    expect(lines()).toEqual([
      '[1] udp open on 5000, sending to 192.168.10.100:1200',
      '[1] > 192.168.10.100:1200 (16 bytes) ESP8266 UDP test',
      '[1] < 192.168.10.100:1200 (16 bytes) ESP8266 UDP test',
    ]);
    const open = tool.udpOpen(1025);
    expect(tool.canSend(open)).toBe(false);
    board.udpBind(4444).send(0xc0a80a01, 1025, utf8('\x01udp'));
    net.run(1);
    expect(tool.canSend(open)).toBe(true);
    tool.send(open, 'reply');
    net.run(1);
    expect(lines().slice(3)).toEqual([
      '[2] udp open on 1025',
      '[2] < 192.168.10.100:4444 (4 bytes) \\x01udp',
      '[2] > 192.168.10.100:4444 (5 bytes) reply',
    ]);
    expect(tool.list()).toEqual([
      '[1] udp 5000 → 192.168.10.100:1200',
      '[2] udp 1025 → 192.168.10.100:4444',
    ]);
    tool.closeAll();
    expect(tool.list()).toEqual([]);
  });

  it('logs a port in use instead of throwing, and keeps a bounded log', () => {
    const { lan, tool, lines } = lanWithBoard();
    tool.tcpListen(80); // the LAN's HTTP server has it
    tool.udpOpen(53); // and DNS this one
    expect(lines()).toEqual([
      '[1] cannot listen on tcp 80: gateway0: TCP port 80 in use',
      '[2] cannot open udp 53: gateway0: UDP port 53 in use',
    ]);
    const other = new NetDebugTool(lan.host);
    for (let i = 0; i < TOOL_LOG_LIMIT + 5; i++) other.send(1, 'x');
    expect(other.log).toHaveLength(TOOL_LOG_LIMIT);
    expect(other.dropped).toBe(5);
  });

  it('shows bytes as text with escapes', () => {
    expect(printable(Uint8Array.of(0x41, 0x0d, 0x0a, 0x00, 0x5c, 0x7f, 0xff))).toBe(
      'A\\r\\n\\x00\\x5c\\x7f\\xff',
    );
  });
});
