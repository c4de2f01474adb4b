/**
 * The packets the page keeps for its list: the newest `capacity` of all frames, and separately
 * the newest `capacity` of the ones worth reading (not beacons, not ACKs), so ten beacons a
 * second per AP never push a join out of view. Both are capped, so the list stays cheap to render.
 */
import type { PacketEntry } from '../../net/monitor/packet-log.ts';

export const PACKET_LIST_CAPACITY = 500;

/** Frames every AP sends all the time, and the ACK after every unicast frame. */
export function isNoise(e: PacketEntry): boolean {
  return e.protocol === '802.11' && (e.info.startsWith('Beacon') || e.info.startsWith('ACK'));
}

export class PacketBuffer {
  all: PacketEntry[] = [];
  interesting: PacketEntry[] = [];
  /** Frames the worker dropped before the page drained them. */
  dropped = 0;

  constructor(readonly capacity = PACKET_LIST_CAPACITY) {}

  add(entries: readonly PacketEntry[], dropped: number): void {
    this.dropped += dropped;
    if (entries.length === 0) return;
    this.all = this.all.concat(entries).slice(-this.capacity);
    const kept = entries.filter((e) => !isNoise(e));
    if (kept.length > 0) this.interesting = this.interesting.concat(kept).slice(-this.capacity);
  }

  clear(): void {
    this.all = [];
    this.interesting = [];
    this.dropped = 0;
  }
}
