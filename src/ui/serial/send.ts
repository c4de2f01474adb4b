/**
 * What goes out to the guest's RX: the send box's line ending, and pastes paced so a REPL whose
 * firmware reads a 128-byte FIFO by interrupt never drops characters.
 */

export type LineEnding = 'none' | 'nl' | 'cr' | 'crlf';

export const LINE_ENDINGS: readonly { value: LineEnding; label: string }[] = [
  { value: 'none', label: 'No line ending' },
  { value: 'nl', label: 'Newline' },
  { value: 'cr', label: 'Carriage return' },
  { value: 'crlf', label: 'Both NL & CR' },
];

const ENDINGS: Record<LineEnding, string> = { none: '', nl: '\n', cr: '\r', crlf: '\r\n' };

export function withLineEnding(text: string, ending: LineEnding): string {
  return text + ENDINGS[ending];
}

/**
 * Split a paste into chunks sent one after another: a chunk ends after each line break (CR, LF,
 * or CR LF kept together) and is never longer than `maxChunk` bytes.
 */
export function pasteChunks(bytes: Uint8Array, maxChunk = 32): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const lineEnd = b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a);
    if (lineEnd || i + 1 - start === maxChunk) {
      chunks.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) chunks.push(bytes.subarray(start));
  return chunks;
}

/**
 * Sends chunks one per `intervalMs`: the first at once, the rest spaced out. Anything sent while
 * a paste is still going waits its turn, so typing never overtakes pasted text.
 */
export class PacedSender {
  private queue: Uint8Array[] = [];
  private busy = false;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly schedule: (task: () => void, ms: number) => void,
    private readonly intervalMs = 20,
  ) {}

  /** Bytes typed or pasted; pastes are chunked, everything is sent in order. */
  enqueue(chunks: Uint8Array[]): void {
    this.queue.push(...chunks.filter((c) => c.length > 0));
    if (!this.busy) this.next();
  }

  get pending(): number {
    return this.queue.length;
  }

  cancel(): void {
    this.queue = [];
  }

  private next = (): void => {
    const chunk = this.queue.shift();
    if (!chunk) {
      this.busy = false;
      return;
    }
    this.busy = true;
    this.send(chunk);
    this.schedule(this.next, this.intervalMs);
  };
}
