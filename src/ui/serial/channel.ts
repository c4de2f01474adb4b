/**
 * One UART's output on the UI side: spliced items kept (bounded) so a view change or a tab
 * switch can re-render everything, listeners for new items, and a plain text log for the
 * automation API and "save log".
 */

import type { SerialEvent } from '../../worker/serial-events.ts';
import { SerialSplicer, type SerialItem } from './stream.ts';

/** Bytes of history kept per UART; the oldest half goes when it is exceeded. */
const HISTORY_BYTES = 1 << 20;

export type SerialItemsListener = (items: SerialItem[]) => void;

export class SerialChannel {
  private readonly splicer = new SerialSplicer();
  private items: SerialItem[] = [];
  private keptBytes = 0;
  private log = '';
  private readonly listeners = new Set<SerialItemsListener>();
  /** The last baud rate the UART was set to (actual divider rate), or null before any. */
  baud: number | null = null;

  ingest(bytes: Uint8Array, events: readonly SerialEvent[]): SerialItem[] {
    if (bytes.length === 0 && events.length === 0) return [];
    const items = this.splicer.push(bytes, events).map((item) =>
      // Copy: the ring hands out a fresh array, but subarrays of it are shared between items.
      item.kind === 'bytes' ? { kind: 'bytes' as const, bytes: item.bytes.slice() } : item,
    );
    for (const item of items) {
      if (item.kind === 'baud') this.baud = item.baud;
      if (item.kind === 'bytes') {
        this.keptBytes += item.bytes.length;
        this.log += latin1(item.bytes);
      }
    }
    this.items.push(...items);
    if (this.keptBytes > HISTORY_BYTES) this.trim();
    for (const listener of this.listeners) listener(items);
    return items;
  }

  get history(): readonly SerialItem[] {
    return this.items;
  }

  /** Everything received (within the history limit), one char per byte. */
  get text(): string {
    return this.log;
  }

  clear(): void {
    this.items = [];
    this.keptBytes = 0;
    this.log = '';
  }

  onItems(listener: SerialItemsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private trim(): void {
    let drop = 0;
    let dropped = 0;
    while (drop < this.items.length && dropped < HISTORY_BYTES / 2) {
      const item = this.items[drop++];
      if (item.kind === 'bytes') dropped += item.bytes.length;
    }
    this.items = this.items.slice(drop);
    this.keptBytes -= dropped;
    this.log = this.log.slice(Math.max(0, this.log.length - this.keptBytes));
  }
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}
