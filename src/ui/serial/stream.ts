/**
 * Putting a UART's bytes and its side events (line starts, baud changes) back in order.
 *
 * The worker sends bytes through one ring per UART and events through a shared event ring; each
 * event names the byte index it belongs before. `SerialSplicer` tracks how many bytes of its UART
 * it has seen and cuts the byte stream at each event, so a baud marker lands exactly between the
 * ROM's last 74880-baud byte and the app's first 115200-baud byte.
 */

import type { SerialEvent } from '../../worker/serial-events.ts';

export type SerialItem =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'line'; seconds: number }
  | { kind: 'baud'; baud: number; seconds: number };

export class SerialSplicer {
  /** Bytes of this UART seen so far (the index of the next byte). */
  position = 0;
  private pending: SerialEvent[] = [];

  /** Bytes just read from the ring, and events just read for this UART (in order). */
  push(bytes: Uint8Array, events: readonly SerialEvent[] = []): SerialItem[] {
    if (events.length > 0) this.pending.push(...events);
    const items: SerialItem[] = [];
    const end = this.position + bytes.length;
    let cut = 0;
    while (this.pending.length > 0 && this.pending[0].byteIndex <= end) {
      const event = this.pending.shift()!;
      const at = Math.max(cut, event.byteIndex - this.position);
      if (at > cut) items.push({ kind: 'bytes', bytes: bytes.subarray(cut, at) });
      cut = at;
      items.push(
        event.kind === 'baud'
          ? { kind: 'baud', baud: event.baud, seconds: event.seconds }
          : { kind: 'line', seconds: event.seconds },
      );
    }
    if (cut < bytes.length) items.push({ kind: 'bytes', bytes: bytes.subarray(cut) });
    this.position = end;
    return items;
  }

  /** Bytes the producer dropped (ring overflow): skip their indices. */
  skip(count: number): void {
    this.position += count;
  }
}

const STANDARD_BAUDS = [
  300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 28800, 31250, 38400, 57600, 74880, 115200, 230400,
  250000, 256000, 460800, 500000, 921600, 1000000, 1500000, 2000000, 3000000,
];

/**
 * The rate a person would name for a UART divider's actual rate: the ROM's 74928 (26 MHz
 * crystal, divider for 115200 at 40 MHz) is "74880", 115274 is "115200". Within 1 %, else as is.
 */
export function nominalBaud(baud: number): number {
  let best = Math.round(baud);
  let bestError = 0.01;
  for (const standard of STANDARD_BAUDS) {
    const error = Math.abs(baud - standard) / standard;
    if (error < bestError) {
      best = standard;
      bestError = error;
    }
  }
  return best;
}

/** Simulated seconds as the Arduino Serial Monitor's timestamp: HH:MM:SS.mmm. */
export function formatTimestamp(seconds: number): string {
  const totalMs = Math.max(0, Math.floor(seconds * 1000 + 1e-6));
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000) % 60;
  const m = Math.floor(totalMs / 60000) % 60;
  const h = Math.floor(totalMs / 3600000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}.${String(ms).padStart(3, '0')}`;
}
