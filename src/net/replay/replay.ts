/**
 * Brings a world back to where a snapshot left it: built afresh from its configuration at the
 * tick it was first built, on a clock of its own, it is fed its history (world-history.ts) — each
 * frame the board sent, each retune and each input at its tick and after the same number of the
 * world's own alarms — with the board's MAC played from the recorded answers, until its clock
 * reaches the snapshot's tick and alarm count. Then its alarms move onto the board's clock and
 * the real MAC takes over. Whatever the world sends the board during the replay goes nowhere:
 * the board's side of it is in the board's own snapshot.
 *
 * The replay is checked as it goes: an alarm count that cannot be reached, an event that would
 * have to happen in the past, or the MAC's answers used up differently all throw
 * ReplayDiverged, which world-snapshot.ts reports as a snapshot that cannot be resumed.
 */
import type { NetClock } from '../clock.ts';
import type { BoardWifiMac } from '../board-radio.ts';
import { NetworkWorld, type WorldConfig } from '../world.ts';
import { BoardMacTap, isEvent, ReplayCursor, ReplayDiverged } from './board-mac-tap.ts';
import { WorldClock } from './world-clock.ts';
import { parseHistory, Rec, WorldHistory, type HistoryEvent } from './world-history.ts';

/** A world's history as a snapshot carries it. */
export interface SavedHistory {
  /** Board tick the world was built at. */
  createdAt: number;
  /** The board MAC's channel then. */
  channel: number;
  /** Board tick and the world's alarm count when the snapshot was taken. */
  at: number;
  fired: number;
  log: Uint8Array;
}

/** The history of `world` for a snapshot, or why it has none. */
export function saveHistory(world: NetworkWorld): SavedHistory | { unreplayable: string } {
  const h = world.history;
  const clock = world.clock;
  if (!h || !(clock instanceof WorldClock))
    return { unreplayable: 'the network was not built for a board' };
  if (h.unreplayable !== null) return { unreplayable: h.unreplayable };
  const tap = world.boardRadios[0]?.mac;
  return {
    createdAt: world.createdAt,
    channel: tap instanceof BoardMacTap ? tap.startChannel : 0,
    at: clock.now,
    fired: clock.fired,
    log: h.log(),
  };
}

export function replayHistory(
  wifi: { clock: NetClock; mac: BoardWifiMac },
  config: WorldConfig,
  saved: SavedHistory,
): NetworkWorld {
  if (wifi.clock.now !== saved.at)
    throw new ReplayDiverged(
      `the board's clock is at tick ${wifi.clock.now}, the network's history at ${saved.at}`,
    );
  let parsed;
  try {
    parsed = parseHistory(saved.log);
  } catch (error) {
    throw new ReplayDiverged((error as Error).message);
  }
  const clock = WorldClock.replaying(saved.createdAt);
  clock.late = parsed.late;
  const world = new NetworkWorld(clock, config);
  const history = new WorldHistory(saved.log);
  history.recording = false;
  world.history = history;
  const cursor = new ReplayCursor(parsed.records, (e) => apply(world, tap, e));
  const tap: BoardMacTap = new BoardMacTap(clock, history, null, saved.channel, cursor);
  world.attachBoard(tap);
  for (let r = cursor.peek(); r !== undefined; r = cursor.peek()) {
    if (isEvent(r) && !r.nested) {
      cursor.take();
      catchUp(clock, r.fired, r.tick);
      apply(world, tap, r);
    } else if (!clock.fireNext()) {
      // An answer of the MAC comes from a call one of the world's alarms makes: fire on.
      throw new ReplayDiverged(
        `the history has record ${r.rec} that no event of the world asks for`,
      );
    }
  }
  catchUp(clock, saved.fired, saved.at);
  history.recording = true;
  clock.onLate = (fired, ticks) => history.late(fired, ticks);
  clock.goLive(wifi.clock);
  tap.goLive(wifi.mac);
  return world;
}

/** Fires the world's alarms until `fired` have run, then stands at `tick`. */
function catchUp(clock: WorldClock, fired: number, tick: number): void {
  while (clock.fired < fired)
    if (!clock.fireNext())
      throw new ReplayDiverged(
        `the replayed network ran out of events after ${clock.fired} of ${fired}`,
      );
  if (clock.fired !== fired || clock.now > tick)
    throw new ReplayDiverged(
      `the replayed network is at tick ${clock.now} after ${clock.fired} events; its history says ${tick} after ${fired}`,
    );
  clock.advanceTo(tick);
}

function apply(world: NetworkWorld, tap: BoardMacTap, e: HistoryEvent): void {
  switch (e.rec) {
    case Rec.Transmit:
      tap.port?.transmit(e.tx);
      return;
    case Rec.Channel:
      tap.onChannelChange?.(e.channel);
      return;
    case Rec.Input:
      world.apply(e.input);
      return;
  }
}
