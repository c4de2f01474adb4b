import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BoardFileError, readBoardFile, writeBoardFile, type PinDrives } from './board-file.ts';
import { defaultDocument } from './document.ts';

// The `.v8266` board file ("download board file" / "open board file", and the file a too-big link
// names by SHA-256): what was written comes back, and anything damaged is refused with a message
// before the page changes anything.

const MAGIC = 'V8266BOARD1\n';

function sample() {
  const flash = new Uint8Array(1 << 20).fill(0xff);
  flash.set([0xe9, 1, 2, 0x20], 0);
  flash.set([1, 2, 3], 0x7c000);
  const drives: PinDrives = new Array<null>(17).fill(null);
  drives[5] = 1;
  drives[12] = 0;
  return { doc: { ...defaultDocument(), flashSize: '1MB' as const }, drives, flash };
}

/** A board file with the given description JSON and pack, for hand-made damage. */
function fileWith(json: string, pack: Uint8Array): Uint8Array {
  const body = strToU8(json);
  const out = new Uint8Array(MAGIC.length + 4 + body.length + pack.length);
  out.set(strToU8(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, body.length, true);
  out.set(body, MAGIC.length + 4);
  out.set(pack, MAGIC.length + 4 + body.length);
  return out;
}

const message = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(BoardFileError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('board file', () => {
  it('gives back the document, the hand-driven pins and every flash byte', () => {
    const bundle = sample();
    const back = readBoardFile(writeBoardFile(bundle));
    expect(back.doc).toEqual(bundle.doc);
    expect(back.drives).toEqual(bundle.drives);
    expect(Buffer.compare(back.flash, bundle.flash)).toBe(0);
  });

  it('refuses other files, truncation, tampering and bombs, saying which', () => {
    const file = writeBoardFile(sample());
    expect(message(() => readBoardFile(strToU8('PK\x03\x04 a zip file')))).toMatch(
      /not a v8266 board file/,
    );
    expect(message(() => readBoardFile(file.subarray(0, MAGIC.length + 2)))).toMatch(/cut short/);
    expect(message(() => readBoardFile(file.subarray(0, MAGIC.length + 20)))).toMatch(/cut short/);
    expect(message(() => readBoardFile(file.subarray(0, file.length - 3)))).toMatch(
      /in the board file, .*flash/,
    );
    // A description length past the limit (a "huge" file) is refused before anything is read.
    const huge = file.slice();
    new DataView(huge.buffer).setUint32(MAGIC.length, 0x7fffffff, true);
    expect(message(() => readBoardFile(huge))).toMatch(/cut short or altered/);
    // One byte of the description changed.
    const json = JSON.stringify({ doc: sample().doc, drives: sample().drives });
    const pack = file.subarray(MAGIC.length + 4 + json.length);
    expect(message(() => readBoardFile(fileWith(json.replace('{', '['), pack)))).toMatch(
      /not JSON/,
    );
    expect(message(() => readBoardFile(fileWith(json.replace('"1MB"', '"3MB"'), pack)))).toMatch(
      /description is not valid: .*flashSize/,
    );
    expect(message(() => readBoardFile(fileWith(json.replace('[null', '[7'), pack)))).toMatch(
      /hand-driven pins are altered/,
    );
    // A flash pack that inflates past any chip: inflation stops at the limit.
    expect(
      message(() => readBoardFile(fileWith(json, deflateSync(new Uint8Array(64 << 20))))),
    ).toMatch(/more than a 16 MB/);
  });
});
