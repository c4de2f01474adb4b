/**
 * The escapes `--send` and `--expect` understand, so that control characters and raw bytes can be
 * typed on any shell: `\r`, `\n`, `\t`, `\\` and `\xNN`. Everything else is sent as UTF-8.
 */

import { UsageError } from './errors.ts';

const SIMPLE: Readonly<Record<string, number>> = { r: 0x0d, n: 0x0a, t: 0x09, '\\': 0x5c };

export function decodeEscapes(text: string, what = 'text'): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  let literalStart = 0;
  const flushLiteral = (end: number) => {
    if (end > literalStart) out.push(...encoder.encode(text.slice(literalStart, end)));
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    flushLiteral(i);
    const kind = text[i + 1];
    if (kind === undefined)
      throw new UsageError(`${what} ${JSON.stringify(text)} ends with a lone \\`);
    if (kind in SIMPLE) {
      out.push(SIMPLE[kind]);
      i += 1;
    } else if (kind === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const shown = kind === 'x' ? text.slice(i, i + 4) : `\\${kind}`;
      throw new UsageError(
        `${what} ${JSON.stringify(text)}: unknown escape ${shown} (use \\r \\n \\t \\\\ or \\xNN)`,
      );
    }
    literalStart = i + 1;
  }
  flushLiteral(text.length);
  return Uint8Array.from(out);
}
