/**
 * Serial side information the UI needs to show UART output faithfully, without tagging the byte
 * stream itself: when a line started (for timestamps in simulated time) and when a UART's baud
 * rate changed (for the `── 115200 baud ──` marker).
 *
 * Each event names the UART and the position in that UART's output stream (how many bytes the
 * worker had sent on it before the event), so the consumer can splice it in at the exact byte.
 * Events travel through a `ByteRing` as fixed 32-byte records (four Float64 values):
 *
 *   [0] kind * 16 + uart   [1] byteIndex   [2] simulated seconds   [3] value (baud, or 0)
 *
 * The producer only ever writes whole records; when the ring is full the event is dropped (the
 * UI then shows a line without a timestamp, never a corrupted one).
 */

import { ByteRing } from './ring.ts';

export const SERIAL_EVENT_BYTES = 32;

export type SerialEvent =
  /** The byte at `byteIndex` starts a line; it left the UART at `seconds`. */
  | { kind: 'line'; uart: number; byteIndex: number; seconds: number }
  /** From the byte at `byteIndex` on, the UART runs at `baud` (set at `seconds`). */
  | { kind: 'baud'; uart: number; byteIndex: number; seconds: number; baud: number };

const KIND_CODES = { line: 1, baud: 2 } as const;

export function encodeSerialEvent(event: SerialEvent): Uint8Array {
  const record = new Float64Array(4);
  record[0] = KIND_CODES[event.kind] * 16 + event.uart;
  record[1] = event.byteIndex;
  record[2] = event.seconds;
  record[3] = event.kind === 'baud' ? event.baud : 0;
  return new Uint8Array(record.buffer);
}

export function decodeSerialEvents(bytes: Uint8Array): SerialEvent[] {
  const events: SerialEvent[] = [];
  const count = Math.floor(bytes.length / SERIAL_EVENT_BYTES);
  const copy = new Float64Array(bytes.slice(0, count * SERIAL_EVENT_BYTES).buffer);
  for (let i = 0; i < count; i++) {
    const code = copy[i * 4];
    const uart = code % 16;
    const kind = Math.floor(code / 16);
    const byteIndex = copy[i * 4 + 1];
    const seconds = copy[i * 4 + 2];
    if (kind === KIND_CODES.line) events.push({ kind: 'line', uart, byteIndex, seconds });
    else if (kind === KIND_CODES.baud) {
      events.push({ kind: 'baud', uart, byteIndex, seconds, baud: copy[i * 4 + 3] });
    }
  }
  return events;
}

/** Whole-record access to a byte ring whose capacity is a multiple of the record size. */
export class SerialEventRing {
  constructor(readonly ring: ByteRing) {
    if (ring.capacity % SERIAL_EVENT_BYTES !== 0) {
      throw new RangeError('event ring capacity must hold whole records');
    }
  }

  /** Producer: false (and nothing written) when the ring has no room for the record. */
  write(event: SerialEvent): boolean {
    if (this.ring.free < SERIAL_EVENT_BYTES) {
      this.ring.addDropped(1);
      return false;
    }
    this.ring.write(encodeSerialEvent(event));
    return true;
  }

  /** Consumer: every whole record waiting. */
  read(): SerialEvent[] {
    const whole = this.ring.available - (this.ring.available % SERIAL_EVENT_BYTES);
    return decodeSerialEvents(this.ring.read(whole));
  }
}
