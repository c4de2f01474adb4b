/**
 * A live list of what crosses the air, for a packet list to show: a monitor radio (all
 * channels, nothing lost) that turns each frame into a `PacketEntry` and keeps them in a queue a
 * reader drains in batches. The queue is bounded: a reader that falls behind loses the oldest
 * entries, and `dropped` says how many, so a chatty network never grows memory without limit.
 */
import { TICKS_PER_MICROSECOND } from '../clock.ts';
import type { Air, Radio } from '../wifi/air.ts';
import { summarizeFrame, type FrameSummary } from './frame-summary.ts';

export interface PacketEntry extends FrameSummary {
  /** 1, 2, … in the order frames started on the air. */
  number: number;
  /** Simulated time the frame started, in microseconds. */
  micros: number;
  channel: number;
  rssi: number;
  /** MPDU length without FCS. */
  length: number;
}

export interface PacketBatch {
  entries: PacketEntry[];
  /** Entries lost since the last drain because the queue was full. */
  dropped: number;
}

export const DEFAULT_PACKET_QUEUE = 4096;

export class PacketLog {
  private readonly radio: Radio;
  private queue: PacketEntry[] = [];
  private dropped = 0;
  private count = 0;

  constructor(
    air: Air,
    private readonly capacity = DEFAULT_PACKET_QUEUE,
  ) {
    this.radio = air.attach(
      (mpdu, info) => {
        this.push({
          ...summarizeFrame(mpdu),
          number: ++this.count,
          micros: Math.floor(info.start / TICKS_PER_MICROSECOND),
          channel: info.channel,
          rssi: info.rssi,
          length: mpdu.length,
        });
      },
      { monitor: true, name: 'packet log' },
    );
  }

  private push(entry: PacketEntry): void {
    if (this.queue.length >= this.capacity) {
      // Drop the oldest half at once: shifting one at a time would cost O(n) per frame.
      const cut = Math.ceil(this.capacity / 2);
      this.queue = this.queue.slice(cut);
      this.dropped += cut;
    }
    this.queue.push(entry);
  }

  /** Everything logged since the last drain, oldest first. */
  drain(): PacketBatch {
    const batch = { entries: this.queue, dropped: this.dropped };
    this.queue = [];
    this.dropped = 0;
    return batch;
  }

  /** Frames logged since the start. */
  get total(): number {
    return this.count;
  }

  stop(): void {
    this.radio.detach();
  }
}
