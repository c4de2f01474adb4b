/**
 * One line of serial output read the way the Arduino IDE's Serial Plotter reads it: values
 * separated by spaces, tabs or commas, each either a bare number or `label:number`. A line
 * with anything else in it (a boot banner, a log message) is not data and is skipped whole,
 * so text printed between the numbers never becomes a spike.
 */

export interface PlotSample {
  /** The label of each value: its own, or `value N` (1-based position) when it has none. */
  labels: string[];
  values: number[];
}

/** The IDE plots at most eight variables per line; further ones are dropped. */
export const MAX_SERIES = 8;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function parsePlotLine(line: string): PlotSample | null {
  const tokens = line
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (tokens.length === 0) return null;
  const labels: string[] = [];
  const values: number[] = [];
  for (const token of tokens.slice(0, MAX_SERIES)) {
    const colon = token.lastIndexOf(':');
    const label = colon > 0 ? token.slice(0, colon) : `value ${values.length + 1}`;
    const number = colon >= 0 ? token.slice(colon + 1) : token;
    if (!NUMBER.test(number)) return null;
    labels.push(label);
    values.push(Number(number));
  }
  return { labels, values };
}

/** Cuts a byte stream into lines (LF or CRLF), keeping the unfinished tail for the next bytes. */
export class LineCutter {
  private tail = '';

  push(text: string): string[] {
    const parts = (this.tail + text).split('\n');
    this.tail = parts.pop()!;
    // A runaway line with no newline is not a plot line: keep the tail bounded.
    if (this.tail.length > 1024) this.tail = '';
    return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  reset(): void {
    this.tail = '';
  }
}
