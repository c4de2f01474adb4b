import { describe, expect, it } from 'vitest';
import type { SerialEvent } from '../../worker/serial-events.ts';
import { SerialRenderer } from './render.ts';
import { PacedSender, pasteChunks, withLineEnding } from './send.ts';
import { formatTimestamp, nominalBaud, SerialSplicer, type SerialItem } from './stream.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (items: SerialItem[]) =>
  items
    .map((i) => (i.kind === 'bytes' ? new TextDecoder().decode(i.bytes) : `<${i.kind}>`))
    .join('');

describe('SerialSplicer', () => {
  it('cuts the byte stream exactly where each event belongs, across chunks', () => {
    const s = new SerialSplicer();
    const events: SerialEvent[] = [
      { kind: 'baud', uart: 0, byteIndex: 0, seconds: 0, baud: 74928 },
      { kind: 'line', uart: 0, byteIndex: 0, seconds: 0.001 },
      { kind: 'line', uart: 0, byteIndex: 3, seconds: 0.002 },
      { kind: 'baud', uart: 0, byteIndex: 7, seconds: 0.02, baud: 115274 },
    ];
    expect(text(s.push(bytes('ab\nc'), events))).toBe('<baud><line>ab\n<line>c');
    // The baud change at byte 7 waits until the bytes before it have arrived.
    expect(text(s.push(bytes('de'), []))).toBe('de');
    expect(text(s.push(bytes('fgh'), []))).toBe('f<baud>gh');
    expect(s.position).toBe(9);
  });

  it('emits an event that falls right after the last byte without waiting for more', () => {
    const s = new SerialSplicer();
    s.push(bytes('abc'));
    const items = s.push(new Uint8Array(0), [
      { kind: 'baud', uart: 0, byteIndex: 3, seconds: 1, baud: 9600 },
    ]);
    expect(items).toEqual([{ kind: 'baud', baud: 9600, seconds: 1 }]);
  });
});

describe('nominalBaud and formatTimestamp', () => {
  it('names divider rates by the standard rate they approximate', () => {
    expect(nominalBaud(74928)).toBe(74880);
    expect(nominalBaud(115274)).toBe(115200);
    expect(nominalBaud(9615)).toBe(9600);
    expect(nominalBaud(12345)).toBe(12345);
  });

  it('formats simulated time as HH:MM:SS.mmm', () => {
    expect(formatTimestamp(0)).toBe('00:00:00.000');
    expect(formatTimestamp(0.0238)).toBe('00:00:00.023');
    expect(formatTimestamp(3723.5)).toBe('01:02:03.500');
    expect(formatTimestamp(1.001)).toBe('00:00:01.001');
  });
});

describe('SerialRenderer', () => {
  const items: SerialItem[] = [
    { kind: 'baud', baud: 74928, seconds: 0 },
    { kind: 'line', seconds: 0.0012 },
    { kind: 'bytes', bytes: bytes('ets Jan  8 2013\r\ncs') },
    { kind: 'baud', baud: 115274, seconds: 0.0238 },
    { kind: 'bytes', bytes: bytes('um\n') },
    { kind: 'line', seconds: 0.5 },
    { kind: 'bytes', bytes: bytes('ready\n') },
  ];

  it('shows a dim marker on its own line where the baud changes', () => {
    const out = new SerialRenderer({ timestamps: false, hex: false, ansi: true }).render(items);
    expect(out).toBe(
      '\x1b[2m── 74880 baud ──\x1b[0m\r\nets Jan  8 2013\r\ncs\r\n\x1b[2m── 115200 baud ──\x1b[0m\r\num\nready\n',
    );
  });

  it('prefixes each line with its simulated time when asked', () => {
    const out = new SerialRenderer({ timestamps: true, hex: false, ansi: false }).render(items);
    expect(out.split(/\r?\n/)).toEqual([
      '00:00:00.000 -> ── 74880 baud ──',
      '00:00:00.001 -> ets Jan  8 2013',
      '00:00:00.001 -> cs',
      '00:00:00.023 -> ── 115200 baud ──',
      '00:00:00.023 -> um',
      '00:00:00.500 -> ready',
      '',
    ]);
  });

  it('shows bytes as hex, 16 a line or up to a line feed', () => {
    const r = new SerialRenderer({ timestamps: false, hex: true, ansi: false });
    expect(r.render([{ kind: 'bytes', bytes: Uint8Array.of(0x41, 0x0d, 0x0a, 0xff) }])).toBe(
      '41 0D 0A\r\nFF ',
    );
    const many = new Uint8Array(17).fill(0x30);
    expect(
      new SerialRenderer({ timestamps: false, hex: true, ansi: false }).render([
        { kind: 'bytes', bytes: many },
      ]),
    ).toBe(`${'30 '.repeat(15)}30\r\n30 `);
  });

  it('does not repeat a marker for the same rate, and keeps UTF-8 split across chunks', () => {
    const r = new SerialRenderer({ timestamps: false, hex: false, ansi: false });
    const euro = bytes('€');
    expect(
      r.render([
        { kind: 'baud', baud: 115200, seconds: 0 },
        { kind: 'baud', baud: 115274, seconds: 1 },
        { kind: 'bytes', bytes: euro.subarray(0, 1) },
      ]),
    ).toBe('── 115200 baud ──\r\n');
    expect(r.render([{ kind: 'bytes', bytes: euro.subarray(1) }])).toBe('€');
  });
});

describe('sending', () => {
  it('applies the Arduino line endings', () => {
    expect(withLineEnding('AT', 'none')).toBe('AT');
    expect(withLineEnding('AT', 'nl')).toBe('AT\n');
    expect(withLineEnding('AT', 'cr')).toBe('AT\r');
    expect(withLineEnding('AT', 'crlf')).toBe('AT\r\n');
  });

  it('cuts a paste after each line break and at the chunk limit', () => {
    const chunks = pasteChunks(bytes('print(1)\r\nx=2\nabcdefghij\rz'), 8);
    expect(chunks.map((c) => new TextDecoder().decode(c))).toEqual([
      'print(1)',
      '\r\n',
      'x=2\n',
      'abcdefgh',
      'ij\r',
      'z',
    ]);
  });

  it('paces chunks one per interval, in order, typing after pasting', () => {
    const sent: string[] = [];
    const timers: (() => void)[] = [];
    const sender = new PacedSender(
      (b) => sent.push(new TextDecoder().decode(b)),
      (task, ms) => {
        expect(ms).toBe(20);
        timers.push(task);
      },
    );
    sender.enqueue(pasteChunks(bytes('a\nb\nc\n')));
    expect(sent).toEqual(['a\n']);
    sender.enqueue([bytes('typed')]);
    timers.shift()!();
    expect(sent).toEqual(['a\n', 'b\n']);
    timers.shift()!();
    timers.shift()!();
    expect(sent).toEqual(['a\n', 'b\n', 'c\n', 'typed']);
    timers.shift()!();
    expect(sender.pending).toBe(0);
    sender.enqueue([bytes('x')]);
    expect(sent.at(-1)).toBe('x'); // idle again: sent at once
  });
});
