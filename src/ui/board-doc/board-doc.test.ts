import { describe, expect, it } from 'vitest';
import {
  BoardDocumentError,
  defaultDocument,
  formatDocument,
  parseDocument,
  validateDocument,
  type BoardDocument,
} from './document.ts';
import {
  MAX_PLAIN_URL,
  ShareError,
  decodeShare,
  embedFirmware,
  encodeShareFragment,
  shareValue,
  toBase64Url,
  unembedFirmware,
} from './share.ts';

const pinOk = (_board: string, pin: string) => /^D[0-8]$/.test(pin);

function problems(value: unknown): string[] {
  try {
    validateDocument(value, pinOk);
  } catch (err) {
    if (err instanceof BoardDocumentError) return err.problems;
    throw err;
  }
  return [];
}

describe('board document', () => {
  it('fills defaults and round-trips through its text', () => {
    const doc = validateDocument({}, pinOk);
    expect(doc).toEqual(defaultDocument());
    expect(parseDocument(formatDocument(doc), pinOk)).toEqual(doc);
  });

  it('accepts the four part types and lower-cases the MAC', () => {
    const doc = validateDocument(
      {
        mac: '5C:CF:7F:00:11:22',
        flashSize: '1M',
        parts: [
          { type: 'led', id: 'led1', pin: 'D1', color: 'red', wiring: 'cathode' },
          { type: 'button', id: 'btn', pin: 'D3' },
          { type: 'switch', id: 'sw', pin: 'D5', value: 1 },
          { type: 'potentiometer', id: 'pot', pin: 'A0', value: 512 },
        ],
      },
      pinOk,
    );
    expect(doc.mac).toBe('5c:cf:7f:00:11:22');
    expect(doc.parts.map((p) => p.type)).toEqual(['led', 'button', 'switch', 'potentiometer']);
  });

  it('names every problem with its path', () => {
    expect(
      problems({ board: 'uno', flashSize: '3M', mac: 'zz', pacing: 'slow', colour: 1 }),
    ).toEqual([
      'colour: unknown property',
      expect.stringContaining('board: one of nodemcu-v1'),
      expect.stringContaining('flashSize: one of 512K'),
      expect.stringContaining('mac: six hex bytes'),
      expect.stringContaining('pacing:'),
    ]);
    expect(problems({ mac: '19:00:00:00:00:00' })).toEqual([expect.stringContaining('unicast')]);
    expect(
      problems({
        parts: [
          { type: 'led', id: 'a', pin: 'D9' },
          { type: 'led', id: 'a', pin: 'D1' },
          { type: 'potentiometer', id: 'p', pin: 'D1' },
          { type: 'servo', id: 's', pin: 'D1' },
          { type: 'button', id: 'b', pin: 'A0' },
          { type: 'switch', id: 'w', pin: 'D2', value: 2 },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^parts\[0\]\.pin: "D9"/),
      expect.stringMatching(/^parts\[1\]\.id: "a" is used twice/),
      expect.stringMatching(/^parts\[2\]\.pin: a potentiometer goes to A0/),
      expect.stringMatching(/^parts\[3\]\.type:/),
      expect.stringMatching(/^parts\[4\]\.pin: "A0"/),
      expect.stringMatching(/^parts\[5\]\.value: 0 or 1/),
    ]);
    expect(() => parseDocument('{ "board": ', pinOk)).toThrow(/not valid JSON/);
  });
});

describe('share URL', () => {
  const doc: BoardDocument = {
    ...defaultDocument(),
    flashSize: '2M',
    parts: [{ type: 'led', id: 'led1', pin: 'D1', color: 'green' }],
  };

  it('round-trips a document through the fragment, small and URL-safe', () => {
    const fragment = encodeShareFragment(doc);
    expect(fragment).toMatch(/^#b=[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(MAX_PLAIN_URL);
    expect(decodeShare(shareValue(fragment)!, pinOk)).toEqual(doc);
    expect(shareValue('#x=1')).toBeNull();
  });

  it('refuses tampered and corrupt links with a message', () => {
    const value = shareValue(encodeShareFragment(doc))!;
    expect(() => decodeShare(value.slice(0, value.length - 6), pinOk)).toThrow(ShareError);
    expect(() => decodeShare('not*base64', pinOk)).toThrow(/characters/);
    expect(() => decodeShare('', pinOk)).toThrow(/no board/);
    const flipped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11);
    expect(() => decodeShare(flipped, pinOk)).toThrow(ShareError);
    // Well-formed compression of a bad board: the validator's message comes through.
    const bad = encodeShareFragment({ ...doc, flashSize: '3M' });
    expect(() => decodeShare(shareValue(bad)!, pinOk)).toThrow(/not valid: flashSize/);
    // Deflate of something that is not JSON.
    expect(() => decodeShare(toBase64Url(new Uint8Array([3, 0])), pinOk)).toThrow(ShareError);
  });

  it('embeds firmware parts and gets the same bytes back', () => {
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const ref = embedFirmware('app.bin', [
      { offset: 0, data },
      { offset: 0x10000, data: data.subarray(0, 10) },
    ]);
    const back = validateDocument({ firmware: ref }, pinOk);
    expect(back.firmware.kind).toBe('embedded');
    const parts = unembedFirmware(back.firmware as Extract<typeof ref, { kind: 'embedded' }>);
    expect(parts.map((p) => p.offset)).toEqual([0, 0x10000]);
    expect([...parts[0].data]).toEqual([...data]);
    expect(parts[0].name).toBe('app.bin');
  });
});
