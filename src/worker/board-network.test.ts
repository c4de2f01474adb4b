/**
 * The worker's network beside a real board running our own station firmware
 * (firmware/wifitest/join.c): the board shows up associated to the configured AP, the packet log
 * carries its probe, authentication, association and ARP, and a new configuration is what the
 * firmware finds after a reset.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../board/board.ts';
import { WebSocket } from 'ws';
import { startRelay } from '../cli/relay-command.ts';
import { hostBeyondRelay } from '../cli/net/relayed-host.ts';
import { parseIpv4 } from '../net/ip/bytes.ts';
import { parseCidr } from '../net/relay/destination-filter.ts';
import type { FrameSocket } from '../net/relay/relay-link.ts';
import { BoardNetwork } from './board-network.ts';

const JOIN = readFileSync(new URL('../../firmware/wifitest/out/join.bin', import.meta.url));

function bootJoin() {
  const board = createBoard({ flash: JOIN });
  let out = '';
  board.listen({ uartTx: (n, b) => n === 0 && (out += String.fromCharCode(b)) });
  const network = new BoardNetwork();
  network.attach(board);
  const runToDone = (start = () => board.powerOn()) => {
    out = '';
    start();
    const until = board.seconds + 3;
    while (board.seconds < until && !out.includes('done')) board.runUntil(board.seconds + 0.01);
    return out.slice(out.indexOf('ready')).replace(/\r\n/g, '\n');
  };
  return { board, network, runToDone };
}

/** Runs the board in small steps until `request` is answered (the bridge works in its time). */
async function runWhile<T>(board: ReturnType<typeof createBoard>, request: Promise<T>): Promise<T> {
  let answer: T | undefined;
  void request.then((r) => (answer = r));
  const until = board.seconds + 5;
  while (answer === undefined && board.seconds < until) {
    board.runUntil(board.seconds + 0.01);
    await Promise.resolve();
  }
  if (answer === undefined) throw new Error('no answer in 5 simulated seconds');
  return answer;
}

describe('BoardNetwork', () => {
  it('builds nothing without access points: the firmware finds no network', () => {
    const { network, runToDone } = bootJoin();
    network.configure({ aps: [] });
    expect(runToDone()).toContain('no network');
    expect(network.status()).toBeNull();
    expect(network.capture()).toBeNull();
    expect(network.takePackets()).toMatchObject({ entries: [], dropped: 0 });
  });

  it('shows the board associated and logs its join; a new channel is found after a reset', () => {
    const { board, network, runToDone } = bootJoin();
    network.configure({ aps: [{ ssid: 'v8266-open', channel: 6, rssi: -55 }] });
    expect(runToDone()).toContain('ch 6: "v8266-open" 02:82:66:00:00:00 rssi -55');
    const [radio] = network.status()!.boards;
    expect(radio).toMatchObject({
      mode: 'station',
      channel: 6,
      association: { ssid: 'v8266-open', state: 'authorized', aid: 1 },
    });
    const lines = network
      .takePackets()
      .entries.filter((e) => e.src === radio.stationMac)
      .map((e) => `${e.protocol} ${e.info}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        '802.11 Probe request (wildcard)',
        '802.11 Authentication seq 1 status 0',
        '802.11 Association request "v8266-open"',
        'ARP Who has 192.168.10.1? Tell 192.168.10.50',
      ]),
    );
    const pcap = network.capture()!;
    expect(new DataView(pcap.buffer).getUint32(0, true)).toBe(0xa1b2c3d4);

    // A new configuration is a new world whose log numbers frames from 1 again: its batches
    // say so, and the page starts its list over.
    const before = network.takePackets().generation;
    network.configure({ aps: [{ ssid: 'v8266-open', channel: 11, rssi: -70 }] });
    expect(network.takePackets().generation).not.toBe(before);
    // The RST button: RAM survives a chip reset, the firmware starts its MAC driver over.
    expect(runToDone(() => board.reset())).toContain(
      'ch 11: "v8266-open" 02:82:66:00:00:00 rssi -70',
    );
    expect(network.status()!.boards[0]).toMatchObject({ channel: 11, association: { aid: 1 } });
  });

  it("runs the debugging tool on a LAN: own firmware's UDP echo (seed 3.3.1) answers it", () => {
    const board = createBoard({
      flash: readFileSync(new URL('../../firmware/wifitest/out/sockets.bin', import.meta.url)),
    });
    let out = '';
    board.listen({ uartTx: (n, b) => n === 0 && (out += String.fromCharCode(b)) });
    const network = new BoardNetwork();
    network.attach(board);
    network.configure({ aps: [{ ssid: 'v8266-open', channel: 1 }] });
    expect(network.toolOpen(1, { kind: 'udp', port: 1 })).toBeNull(); // no second LAN
    const udp = network.toolOpen(0, {
      kind: 'udp',
      port: 5000,
      remote: { ip: '192.168.10.50', port: 1200 },
    })!;
    board.powerOn();
    const runUntil = (text: string) => {
      const until = board.seconds + 5;
      while (board.seconds < until && !out.includes(text)) board.runUntil(board.seconds + 0.01);
      expect(out).toContain(text);
    };
    runUntil('udp: listening on 1200');
    expect(network.toolSend(0, udp, 'ESP8266 UDP test')).toBe(true);
    runUntil('udp: sent it back');
    expect(out).toContain('udp: recv 16 bytes from 192.168.10.1:5000: ESP8266 UDP test');
    board.runUntil(board.seconds + 0.05);
    const [tool] = network.status()!.tools;
    expect(tool.host).toBe('192.168.10.1');
    expect(tool.sessions).toEqual([
      { id: udp, kind: 'udp', label: 'udp 5000 → 192.168.10.50:1200', canSend: true },
    ]);
    expect(tool.lines.map((l) => l.line)).toEqual([
      `[${udp}] udp open on 5000, sending to 192.168.10.50:1200`,
      `[${udp}] > 192.168.10.50:1200 (16 bytes) ESP8266 UDP test`,
      `[${udp}] < 192.168.10.50:1200 (16 bytes) ESP8266 UDP test`,
    ]);
    expect(tool.total).toBe(3);
    network.toolClose(0, udp);
    expect(network.status()!.tools[0].sessions).toEqual([]);
  });

  it("links the first LAN to a relay (v86 framing): a host beyond it pings the LAN's .1", async () => {
    const relay = await startRelay({
      port: 0,
      listen: '127.0.0.1',
      allow: [parseCidr('192.168.10.0/24')],
      tapIfname: null,
    });
    const board = createBoard({ flash: JOIN });
    const network = new BoardNetwork((url) => new WebSocket(url) as unknown as FrameSocket);
    network.attach(board);
    const url = `ws://127.0.0.1:${relay.port}/`;
    network.configure({ aps: [{ ssid: 'v8266-open', channel: 6 }], relay: url });
    board.powerOn();
    // The board's time runs in slices, with the event loop (the socket) between them.
    const runUntil = async (done: () => boolean) => {
      while (!done()) {
        board.runUntil(board.seconds + 0.002);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    await runUntil(() => network.status()!.relay!.state === 'open');
    // Frames from a real network cannot be replayed: a snapshot keeps the configuration only.
    expect(network.saveState()!.history).toEqual({
      unreplayable: 'its LAN is linked to a relay (frames from a real network)',
    });
    // Beyond the relay: a LAN of its own with one host on 192.168.10.0/24, on wall-paced time.
    const {
      host: far,
      link,
      close,
    } = hostBeyondRelay(url, 'far', '192.168.10.250', '02:00:00:00:0f:01');
    try {
      await runUntil(() => link.state === 'open');
      let replied = false;
      far.onEchoReply = () => (replied = true);
      far.ping(parseIpv4('192.168.10.1'), 7, 1, new Uint8Array(8));
      await runUntil(() => replied);
      const status = network.status()!.relay!;
      expect(status).toMatchObject({ url, state: 'open' });
      expect(status.framesIn).toBeGreaterThanOrEqual(2); // ARP request, echo request
      expect(status.framesOut).toBeGreaterThanOrEqual(2); // ARP reply, echo reply
      // A new configuration without the relay drops the link.
      network.configure({ aps: [{ ssid: 'v8266-open', channel: 6 }] });
      expect(network.status()!.relay).toBeNull();
      await runUntil(() => relay.clients === 1);
    } finally {
      close();
      await relay.close();
    }
  });

  it('serves dropped files on every LAN host, across rebuilds, until removed', async () => {
    const { board, network } = bootJoin();
    board.powerOn();
    const image = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff);
    network.serveFile('/user2.bin', image);
    expect(network.servedFiles()).toEqual([{ path: '/user2.bin', size: 5000 }]);
    // A new configuration is a new world: the file is served there too, on both LANs.
    network.configure({
      aps: [
        { ssid: 'a', channel: 1 },
        { ssid: 'b', channel: 6 },
      ],
    });
    board.runUntil(board.seconds + 0.01);
    // Its history can carry the world into a snapshot, served files included…
    const history = () => network.saveState()!.history as Record<string, unknown>;
    expect(history().unreplayable).toBeUndefined();
    expect(history().log).toBeInstanceOf(Uint8Array);
    const get = (host: string) =>
      network.httpRequest({
        method: 'GET',
        host,
        target: '/user2.bin',
        headers: [],
        prefix: '/board-http/',
      });
    const answer = await runWhile(board, get('192.168.11.1'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(image);
    // …until the page's web bridge talks to it: its requests wait on promises in the page, which
    // a replay cannot answer, so such a world resumes from its configuration.
    expect(history()).toEqual({ unreplayable: "the page's web bridge talked to it" });
    network.serveFile('/user2.bin', null);
    expect(network.servedFiles()).toEqual([]);
    expect((await runWhile(board, get('192.168.10.1'))).status).toBe(404);
  });

  it('links to the relay again when it comes back (1 s, 2 s, 4 s … between tries)', async () => {
    const request = {
      port: 0,
      listen: '127.0.0.1',
      allow: [parseCidr('192.168.10.0/24')],
      tapIfname: null,
    };
    let relay = await startRelay(request);
    const port = relay.port;
    const board = createBoard({ flash: JOIN });
    const network = new BoardNetwork((url) => new WebSocket(url) as unknown as FrameSocket);
    network.attach(board);
    network.configure({
      aps: [{ ssid: 'v8266-open', channel: 6 }],
      relay: `ws://127.0.0.1:${port}/`,
    });
    board.powerOn();
    const until = async (done: () => boolean) => {
      while (!done()) {
        board.runUntil(board.seconds + 0.002);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const link = () => network.status()!.relay!;
    try {
      await until(() => link().state === 'open');
      expect(link().links).toBe(1);
      // The relay goes away (restarted, the laptop slept): the link closes and is tried again.
      await relay.close();
      await until(() => link().state === 'closed');
      relay = await startRelay({ ...request, port });
      await until(() => link().state === 'open');
      expect(link().links).toBeGreaterThanOrEqual(2);
      await until(() => relay.clients === 1);
    } finally {
      network.configure(null);
      await relay.close();
    }
  });

  it("carries the page's HTTP requests into the world; without one, or when it is rebuilt, answers 503", async () => {
    const { board, network } = bootJoin();
    network.configure({ aps: [] });
    const none = await network.httpRequest({
      method: 'GET',
      host: 'gateway',
      target: '/',
      headers: [],
      prefix: '/board-http/',
    });
    expect([none.status, none.statusText]).toEqual([503, 'No virtual network']);

    network.configure({ aps: [{ ssid: 'v8266-open', channel: 6 }] });
    board.powerOn();
    const request = {
      method: 'GET',
      host: '192.168.10.1',
      target: '/',
      headers: [],
      prefix: '/board-http/',
    };
    let answer: { status: number; body: Uint8Array } | undefined;
    void network.httpRequest(request).then((r) => (answer = r));
    const until = board.seconds + 5;
    while (!answer && board.seconds < until) {
      board.runUntil(board.seconds + 0.01);
      await Promise.resolve();
    }
    expect(answer?.status).toBe(200);
    expect(new TextDecoder().decode(answer!.body)).toContain('v8266 LAN 0');

    // A request in flight when the network is rebuilt is answered at once.
    const pending = network.httpRequest(request);
    network.configure({ aps: [{ ssid: 'v8266-open', channel: 1 }] });
    expect((await pending).statusText).toBe('The virtual network was rebuilt');
  });
});
