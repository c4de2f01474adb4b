/**
 * The packets the page keeps for its list: the newest `capacity` of all frames, and separately
 * the newest `capacity` of the ones worth reading (not beacons, not ACKs), so ten beacons a
 * second per AP never push a join out of view. Both are capped, so the list stays cheap to render.
 */
import type { PacketEntry } from '../../net/monitor/packet-log.ts';
import type { NetworkPackets } from '../../worker/board-network.ts';

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
  /** The network the entries come from (`NetworkPackets.generation`); null before the first. */
  generation: number | null = null;

  constructor(readonly capacity = PACKET_LIST_CAPACITY) {}

  /**
   * Appends a batch; a batch from a rebuilt network (a load, a new board, an edited network)
   * starts the list over, as its frames are numbered and timed from 0 again. Returns whether the
   * list changed.
   */
  add({ entries, dropped, generation }: NetworkPackets): boolean {
    let changed = false;
    if (generation !== this.generation) {
      changed = this.all.length > 0 || this.dropped > 0;
      this.clear();
      this.generation = generation;
    }
    this.dropped += dropped;
    if (entries.length === 0) return changed || dropped > 0;
    this.all = this.all.concat(entries).slice(-this.capacity);
    const kept = entries.filter((e) => !isNoise(e));
    if (kept.length > 0) this.interesting = this.interesting.concat(kept).slice(-this.capacity);
    return true;
  }

  clear(): void {
    this.all = [];
    this.interesting = [];
    this.dropped = 0;
  }
}
