import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../board/board.ts';
import { ManualCycleCounter, SimClock } from '../../board/clock.ts';
import { boardFromSnapshot, readBoardSnapshot } from '../../board/snapshot/board-snapshot.ts';
import { StateReader } from '../../board/snapshot/state.ts';
import { worldForBoard, type WorldConfig } from '../world.ts';
import { readWorld, saveWorld, saveWorldConfig } from '../world-snapshot.ts';
import { ReplayDiverged } from './board-mac-tap.ts';
import { WorldClock } from './world-clock.ts';
import { parseHistory, Rec, WorldHistory } from './world-history.ts';

const JOIN = readFileSync(new URL('../../../firmware/wifitest/out/join.bin', import.meta.url));
const NETWORK: WorldConfig = {
  aps: [{ ssid: 'v8266-open', channel: 6 }],
  stations: [{ name: 'phone', ssid: 'v8266-open' }],
};

describe('WorldClock', () => {
  it('fires live alarms through the board clock, counting them, ties in creation order', () => {
    const counter = new ManualCycleCounter();
    const board = new SimClock(counter, 80);
    const clock = WorldClock.live(board);
    const order: string[] = [];
    const a = clock.createAlarm(() => order.push('a'));
    const b = clock.createAlarm(() => order.push('b'));
    b.scheduleAt(260);
    a.scheduleAt(260);
    counter.cycles = 10;
    board.fireDue();
    expect(order).toEqual(['a', 'b']);
    expect(clock.fired).toBe(2);
  });

  it('replays by the same rule, reports lateness live and applies it in the replay', () => {
    const counter = new ManualCycleCounter();
    const board = new SimClock(counter, 80);
    const live = WorldClock.live(board);
    const late: [number, number][] = [];
    live.onLate = (n, ticks) => late.push([n, ticks]);
    const seen: number[] = [];
    const x = live.createAlarm(() => seen.push(live.now));
    x.scheduleAt(100); // between two cycles (26 ticks each at 80 MHz): fires at 104
    counter.cycles = 4;
    board.fireDue();
    expect(seen).toEqual([104]);
    expect(late).toEqual([[1, 4]]);

    const replay = WorldClock.replaying(0);
    replay.late = new Map(late);
    const replayed: number[] = [];
    const y = replay.createAlarm(() => replayed.push(replay.now));
    y.scheduleAt(100);
    expect(replay.fireNext()).toBe(true);
    expect(replayed).toEqual([104]);
    expect(replay.fireNext()).toBe(false);
  });

  it('moves pending alarms onto the board clock when the replay ends, keeping their order', () => {
    const replay = WorldClock.replaying(1000);
    const order: string[] = [];
    const first = replay.createAlarm(() => order.push('first'));
    const second = replay.createAlarm(() => order.push('second'));
    second.scheduleAt(2600);
    first.scheduleAt(2600);
    const counter = new ManualCycleCounter();
    const board = new SimClock(counter, 80);
    replay.goLive(board);
    expect(first.at).toBe(2600);
    counter.cycles = 100;
    board.fireDue();
    expect(order).toEqual(['first', 'second']);
    expect(replay.fired).toBe(2);
  });
});

describe('WorldHistory', () => {
  it('reads back every kind of record as written', () => {
    const h = new WorldHistory();
    const key = { slot: 2, cipher: 3, keyId: 1, key: Uint8Array.from({ length: 16 }, (_, i) => i) };
    h.transmit(1.5e9, 7, false, {
      mpdu: Uint8Array.of(0x80, 0, 1, 2),
      channel: 6,
      rate: 11,
      queue: 3,
      key,
    });
    h.accepted(true);
    h.rxKey(null);
    h.rxKey(key);
    h.channel(2e9, 9, true, 11);
    h.complete(false);
    h.late(12, 26);
    h.input(3e9, 20, { op: 'toolSend', lan: 0, session: 1, data: Uint8Array.of(104, 105) });
    h.input(3e9, 20, { op: 'serveFile', path: '/ota.bin', data: null });
    h.input(3e9, 21, { op: 'stationPing', station: 0 });
    const parsed = parseHistory(h.log());
    expect(parsed.late).toEqual(new Map([[12, 26]]));
    expect(parsed.records).toEqual([
      {
        rec: Rec.Transmit,
        tick: 1.5e9,
        fired: 7,
        nested: false,
        tx: { mpdu: Uint8Array.of(0x80, 0, 1, 2), channel: 6, rate: 11, queue: 3, key },
      },
      { rec: Rec.Accepted, accepted: true },
      { rec: Rec.Key, key: null },
      { rec: Rec.Key, key },
      { rec: Rec.Channel, tick: 2e9, fired: 9, nested: true, channel: 11 },
      { rec: Rec.Complete, acked: false },
      {
        rec: Rec.Input,
        tick: 3e9,
        fired: 20,
        nested: false,
        input: { op: 'toolSend', lan: 0, session: 1, data: Uint8Array.of(104, 105) },
      },
      {
        rec: Rec.Input,
        tick: 3e9,
        fired: 20,
        nested: false,
        input: { op: 'serveFile', path: '/ota.bin', data: null },
      },
      {
        rec: Rec.Input,
        tick: 3e9,
        fired: 21,
        nested: false,
        input: { op: 'stationPing', station: 0 },
      },
    ]);
  });

  it('says where a cut or unknown record is', () => {
    const h = new WorldHistory();
    h.channel(1, 2, false, 6);
    const log = h.log();
    expect(() => parseHistory(log.subarray(0, log.length - 1))).toThrow(
      'the network history ends inside the record at 0',
    );
    expect(() => parseHistory(Uint8Array.of(99))).toThrow('unknown record 99 at 0');
  });
});

/** join.bin and a phone on the open AP, saved at 0.4 s: the phone is joining. */
function savedAtJoin() {
  const board = createBoard({ flash: JOIN });
  const world = worldForBoard(board.wifi, NETWORK);
  board.powerOn();
  board.runUntil(0.4);
  return { board, world, file: board.saveSnapshot({ network: saveWorld(world) }) };
}

describe('a resumed world', () => {
  it('is refused when its history does not replay: a cut log, a board at another time', () => {
    const { file } = savedAtJoin();
    const snapshot = readBoardSnapshot(file);
    const saved = readWorld(snapshot.host.child('network'));
    expect(saved.noHistory).toBeNull();
    const board = boardFromSnapshot(snapshot);
    const cut = { ...saved.history!, log: saved.history!.log.subarray(0, 40) };
    expect(() => worldForBoard(board.wifi, saved.config, cut)).toThrow(ReplayDiverged);
    const later = { ...saved.history!, at: saved.history!.at + 1 };
    expect(() => worldForBoard(board.wifi, saved.config, later)).toThrow(
      /the board's clock is at tick \d+, the network's history at \d+/,
    );
    // Untouched, it resumes.
    expect(() => worldForBoard(board.wifi, saved.config, saved.history)).not.toThrow();
  });

  it('without a history (a relay or TAP reached it, or format 1) resumes from its configuration, saying why', () => {
    const { world } = savedAtJoin();
    world.notReplayable('its LAN is linked to a relay (frames from a real network)');
    const saved = readWorld(new StateReader({ network: saveWorld(world) }).child('network'));
    expect(saved.history).toBeNull();
    expect(saved.noHistory).toBe('its LAN is linked to a relay (frames from a real network)');
    const v1 = readWorld(
      new StateReader({ network: { ...saveWorldConfig(NETWORK), version: 1 } }).child('network'),
    );
    expect(v1.history).toBeNull();
    expect(v1.config.aps).toEqual(NETWORK.aps);
  });
});
