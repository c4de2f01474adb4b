/**
 * Many one-shot timers on one clock alarm. The board's SimClock keeps every alarm it ever created,
 * so a TCP connection must not create its own: hosts and segments multiplex their timers here.
 * Timers due at the same tick fire in the order they were set, so runs are deterministic.
 */
import type { Alarm, NetClock } from '../clock';

export interface Timer {
  readonly pending: boolean;
  cancel(): void;
}

class Entry implements Timer {
  pending = true;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly callback: () => void,
  ) {}
  cancel(): void {
    this.pending = false;
  }
}

export class NetTimers {
  private readonly heap: Entry[] = [];
  private readonly alarm: Alarm;
  private seq = 0;

  constructor(
    readonly clock: NetClock,
    name = 'net-timers',
  ) {
    this.alarm = clock.createAlarm(() => this.fire(), name);
  }

  get now(): number {
    return this.clock.now;
  }

  /** Call `callback` at absolute tick `at` (at once — at the next alarm — when it has passed). */
  at(at: number, callback: () => void): Timer {
    const e = new Entry(Math.max(at, this.clock.now), this.seq++, callback);
    this.push(e);
    if (this.heap[0] === e) this.alarm.scheduleAt(e.at);
    return e;
  }

  after(ticks: number, callback: () => void): Timer {
    return this.at(this.clock.now + ticks, callback);
  }

  private fire(): void {
    const now = this.clock.now;
    for (;;) {
      const top = this.heap[0];
      if (!top) break;
      if (!top.pending) {
        this.pop();
        continue;
      }
      if (top.at > now) break;
      this.pop();
      top.pending = false;
      top.callback();
    }
    this.rearm();
  }

  private rearm(): void {
    while (this.heap.length && !this.heap[0].pending) this.pop();
    if (this.heap.length) this.alarm.scheduleAt(this.heap[0].at);
    else this.alarm.cancel();
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l], h[m])) m = l;
      if (r < h.length && this.before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
