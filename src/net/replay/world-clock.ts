/**
 * The clock a NetworkWorld runs on: the board's clock, seen through a counter of how many of the
 * world's own alarms have fired — or, while a resumed world catches up (replay.ts), a private
 * clock with no board behind it.
 *
 * Why the count: a frame the firmware sends at tick t and a network alarm due at the same tick t
 * must meet in the same order when the world's history is replayed, and the tick alone cannot
 * say which came first. "After the world's n-th alarm" can. Alarms fire as the board's clock
 * fires them — earliest first, ties in creation order (src/board/clock.ts) — and the private
 * clock fires them by the same rule, one at a time. The board's clock fires an alarm at the
 * first instruction boundary at or after its tick, so a callback may see a `now` a few ticks
 * late; the live clock reports such lateness (`onLate`) and the replay applies it (`late`).
 *
 *   const clock = WorldClock.live(board.clock);          // a straight run
 *   const clock = WorldClock.replaying(createdAt);       // a resume: replay, then…
 *   clock.goLive(board.clock);                           // …every alarm moves onto the board's clock
 */
import type { Alarm, NetClock } from '../clock.ts';

export class WorldClock implements NetClock {
  /** The world's alarms that have fired so far. */
  fired = 0;
  /** Live: called when alarm number `fired` (1-based) ran later than its tick, with the delay. */
  onLate: ((fired: number, ticks: number) => void) | null = null;
  /** Replay: the recorded delays, by alarm number. */
  late = new Map<number, number>();
  private board: NetClock | null;
  private replayNow: number;
  private readonly alarms: WorldAlarm[] = [];

  private constructor(board: NetClock | null, now: number) {
    this.board = board;
    this.replayNow = now;
  }

  static live(board: NetClock): WorldClock {
    return new WorldClock(board, 0);
  }

  /** A clock standing at `tick` with no board: time moves only through `fireNext`/`advanceTo`. */
  static replaying(tick: number): WorldClock {
    return new WorldClock(null, tick);
  }

  get replaying(): boolean {
    return this.board === null;
  }

  get now(): number {
    return this.board ? this.board.now : this.replayNow;
  }

  createAlarm(callback: () => void, name = 'network'): Alarm {
    const alarm: WorldAlarm = new WorldAlarm(
      this,
      () => {
        this.fired++;
        const delay = this.now - alarm.due;
        if (delay !== 0 && this.board) this.onLate?.(this.fired, delay);
        callback();
      },
      name,
    );
    if (this.board) alarm.bind(this.board);
    this.alarms.push(alarm);
    return alarm;
  }

  /** @internal the replay clock's time, for its alarms. */
  get replayTime(): number {
    return this.replayNow;
  }

  /**
   * Replay: fires the earliest pending alarm (ties in creation order, as the board's clock does)
   * and moves time to it. False when none is pending.
   */
  fireNext(): boolean {
    let due: WorldAlarm | null = null;
    for (const a of this.alarms) if (a.at !== Infinity && (due === null || a.at < due.at)) due = a;
    if (due === null) return false;
    this.replayNow = Math.max(this.replayNow, due.at + (this.late.get(this.fired + 1) ?? 0));
    due.fire();
    return true;
  }

  /** Replay: moves time forward without firing anything (nothing may be due before `tick`). */
  advanceTo(tick: number): void {
    this.replayNow = Math.max(this.replayNow, tick);
  }

  /** The earliest pending alarm's tick (Infinity when none). */
  nextAt(): number {
    let next = Infinity;
    for (const a of this.alarms) if (a.at < next) next = a.at;
    return next;
  }

  /**
   * Ends a replay: every alarm, in creation order, becomes an alarm of `board` with its pending
   * time, so ties among them keep their order.
   */
  goLive(board: NetClock): void {
    if (this.board) throw new Error('the world clock is live already');
    this.board = board;
    for (const a of this.alarms) a.bind(board);
  }
}

class WorldAlarm implements Alarm {
  private inner: Alarm | null = null;
  private pendingAt = Infinity;
  /** The tick it was last scheduled for (what its callback's lateness is measured from). */
  due = Infinity;

  constructor(
    private readonly clock: WorldClock,
    private readonly callback: () => void,
    private readonly name: string,
  ) {}

  bind(board: NetClock): void {
    this.inner = board.createAlarm(this.callback, this.name);
    if (this.pendingAt !== Infinity) this.inner.scheduleAt(this.pendingAt);
    this.pendingAt = Infinity;
  }

  get at(): number {
    return this.inner ? this.inner.at : this.pendingAt;
  }

  get scheduled(): boolean {
    return this.at !== Infinity;
  }

  scheduleAt(tick: number): void {
    this.due = tick;
    if (this.inner) this.inner.scheduleAt(tick);
    else this.pendingAt = tick;
  }

  scheduleIn(ticks: number): void {
    this.scheduleAt(this.clock.now + ticks);
  }

  cancel(): void {
    if (this.inner) this.inner.cancel();
    else this.pendingAt = Infinity;
  }

  /** @internal replay: fire now. */
  fire(): void {
    this.pendingAt = Infinity;
    this.callback();
  }
}
