/**
 * The worker's network beside a real board running our own station firmware
 * (firmware/wifitest/join.c): the board shows up associated to the configured AP, the packet log
 * carries its probe, authentication, association and ARP, and a new configuration is what the
 * firmware finds after a reset.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../board/board.ts';
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
