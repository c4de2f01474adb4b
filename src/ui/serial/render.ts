/**
 * Turning a UART's items (bytes, line starts, baud changes) into terminal text, the way the
 * Arduino Serial Monitor shows it: optional `HH:MM:SS.mmm -> ` timestamps in simulated time at
 * each line start, a quiet marker line where the baud rate changes, and an optional hex view.
 *
 * Stateful (a line may span many chunks) and pure: the same items always give the same text,
 * so a view change re-renders the kept history through a fresh renderer.
 */

import { formatTimestamp, nominalBaud, type SerialItem } from './stream.ts';

export interface RenderOptions {
  timestamps: boolean;
  hex: boolean;
  /** Dim the baud marker with ANSI escapes (the terminal); off for saved logs. */
  ansi: boolean;
}

const LF = 0x0a;
const HEX_PER_LINE = 16;
const DIM = '\x1b[2m';
const PLAIN = '\x1b[0m';

export class SerialRenderer {
  private atLineStart = true;
  private lineSeconds = 0;
  private hexOnLine = 0;
  private shownBaud: number | null = null;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly options: RenderOptions) {}

  render(items: readonly SerialItem[]): string {
    let out = '';
    for (const item of items) {
      if (item.kind === 'line') {
        this.lineSeconds = item.seconds;
      } else if (item.kind === 'baud') {
        out += this.baudMarker(item.baud, item.seconds);
      } else if (this.options.hex) {
        out += this.hexBytes(item.bytes);
      } else {
        out += this.textBytes(item.bytes);
      }
    }
    return out;
  }

  private prefix(): string {
    return this.options.timestamps ? `${formatTimestamp(this.lineSeconds)} -> ` : '';
  }

  private baudMarker(baud: number, seconds: number): string {
    const nominal = nominalBaud(baud);
    if (nominal === this.shownBaud) return '';
    this.shownBaud = nominal;
    let out = this.options.hex ? '' : this.decoder.decode();
    if (!this.atLineStart) out += '\r\n';
    this.lineSeconds = seconds;
    const text = `── ${nominal} baud ──`;
    out += this.prefix() + (this.options.ansi ? `${DIM}${text}${PLAIN}` : text) + '\r\n';
    this.atLineStart = true;
    this.hexOnLine = 0;
    return out;
  }

  private textBytes(bytes: Uint8Array): string {
    let out = '';
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (this.atLineStart) {
        out += this.decoder.decode(bytes.subarray(start, i), { stream: true }) + this.prefix();
        start = i;
        this.atLineStart = false;
      }
      if (bytes[i] === LF) this.atLineStart = true;
    }
    return out + this.decoder.decode(bytes.subarray(start), { stream: true });
  }

  private hexBytes(bytes: Uint8Array): string {
    let out = '';
    for (const byte of bytes) {
      if (this.atLineStart) {
        out += this.prefix();
        this.atLineStart = false;
      }
      out += byte.toString(16).toUpperCase().padStart(2, '0');
      this.hexOnLine++;
      if (byte === LF || this.hexOnLine === HEX_PER_LINE) {
        out += '\r\n';
        this.atLineStart = true;
        this.hexOnLine = 0;
      } else {
        out += ' ';
      }
    }
    return out;
  }
}
