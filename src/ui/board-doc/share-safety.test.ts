import { deflateSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InflateCorruptError,
  InflateLimitError,
  inflateBounded,
} from '../../board/bounded-inflate.ts';
import { defaultDocument, validateDocument, type BoardDocument } from './document.ts';
import { fetchOnlyThere, isAllowedFirmwareUrl, resolveFirmwareUrl } from './firmware-url.ts';
import { encodeSnapshot } from '../../board/snapshot/snapshot-format.ts';
import {
  ShareError,
  decodeBoardFragment,
  decodeShare,
  encodeBoardFragment,
  encodeShareFragment,
  shareValue,
  toBase64Url,
  unembedFirmware,
} from './share.ts';

const pinOk = (_board: string, pin: string) => /^D[0-8]$/.test(pin);
/** 64 MB of zeros deflates to ~64 KB. */
const bomb = deflateSync(new Uint8Array(64 << 20), { level: 9 });

describe('bounded inflate', () => {
  it('round-trips what fits', () => {
    const data = strToU8('hello '.repeat(1000));
    expect(inflateBounded(deflateSync(data), data.length)).toEqual(data);
  });

  it('stops at the limit while it streams, not after inflating it all', () => {
    expect(() => inflateBounded(bomb, 8 << 20)).toThrow(InflateLimitError);
    // Cut short near its end: an inflate-then-check would report the truncation instead.
    expect(() => inflateBounded(bomb.subarray(0, bomb.length - 100), 8 << 20)).toThrow(
      InflateLimitError,
    );
  });

  it('reports truncated and altered data as corrupt', () => {
    const ok = deflateSync(strToU8(JSON.stringify(defaultDocument())));
    expect(() => inflateBounded(ok.subarray(0, ok.length - 3), 1 << 20)).toThrow(
      InflateCorruptError,
    );
    expect(() => inflateBounded(new Uint8Array([0xff, 0xff, 0xff]), 1 << 20)).toThrow(
      InflateCorruptError,
    );
    expect(() => inflateBounded(new Uint8Array(0), 1 << 20)).toThrow(InflateCorruptError);
  });
});

describe('crafted share links', () => {
  it('refuses a link whose document inflates past the limit, with a message', () => {
    expect(() => decodeShare(toBase64Url(bomb), pinOk)).toThrow(ShareError);
    expect(() => decodeShare(toBase64Url(bomb), pinOk)).toThrow(/too much data/);
  });

  it('refuses an embedded firmware part that inflates past the limit (the 13.7 KB link)', () => {
    // The document is small and valid; its embedded part is the bomb, doubly compressed.
    const doc: BoardDocument = {
      ...defaultDocument(),
      firmware: {
        kind: 'embedded',
        name: 'x.bin',
        parts: [{ offset: '0x0', data: toBase64Url(bomb) }],
      },
    };
    const fragment = encodeShareFragment(doc);
    expect(fragment.length).toBeLessThan(16 * 1024);
    const decoded = decodeShare(shareValue(fragment)!, pinOk);
    expect(decoded.firmware.kind).toBe('embedded');
    expect(() =>
      unembedFirmware(decoded.firmware as Extract<BoardDocument['firmware'], { kind: 'embedded' }>),
    ).toThrow(/too much data/);
  });

  it('gives a clear message for truncated, altered and non-base64 links', () => {
    const value = shareValue(encodeShareFragment(defaultDocument()))!;
    expect(() => decodeShare(value.slice(0, value.length - 5), pinOk)).toThrow(/cut short|altered/);
    expect(() => decodeShare(value.replace(/^.{4}/, 'AAAA'), pinOk)).toThrow(ShareError);
    expect(() => decodeShare('<script>', pinOk)).toThrow(/characters/);
    expect(() => decodeShare('', pinOk)).toThrow(/no board/);
  });
});

describe('firmware URLs', () => {
  const page = 'https://v8266.example/app/index.html';

  it('accepts absolute https and paths on this site', () => {
    for (const url of [
      'https://cdn.example/fw.bin',
      'https://h/x?y#z',
      '/fw/a.bin',
      './a.bin',
      '../a.bin',
      'demo.bin',
    ]) {
      expect(isAllowedFirmwareUrl(url), url).toBe(true);
    }
    expect(resolveFirmwareUrl('./a.bin', page).href).toBe('https://v8266.example/app/a.bin');
    expect(resolveFirmwareUrl('https://cdn.example/fw.bin', page).origin).toBe(
      'https://cdn.example',
    );
  });

  it('refuses protocol-relative, backslash, plain http and script URLs', () => {
    for (const url of [
      '//evil.example/fw.bin',
      '/\\evil.example/fw.bin',
      '\\\\evil.example/fw.bin',
      '/\t/evil.example/fw.bin',
      'http://evil.example/fw.bin',
      'javascript:alert(1)',
      'data:application/octet-stream;base64,AA',
      'https://user@evil.example/fw.bin',
      'https:/evil.example',
      ' https://a/b',
    ]) {
      expect(isAllowedFirmwareUrl(url), url).toBe(false);
      expect(() => resolveFirmwareUrl(url, page), url).toThrow();
    }
  });

  it('keeps a document naming //host out', () => {
    expect(() =>
      validateDocument({ firmware: { kind: 'url', url: '//evil.example/fw.bin' } }, pinOk),
    ).toThrow(/absolute https/);
  });
});

describe('the running machine in a link (s=)', () => {
  const machine = encodeSnapshot({ cpu: { pc: 0x40100000 }, note: 'test' });

  it('round-trips, and stands in for the flash (the snapshot holds it)', () => {
    const fragment = encodeBoardFragment(defaultDocument(), {
      snapshot: machine,
      flashPack: new Uint8Array([1, 2, 3]),
    });
    expect(fragment).toContain('&s=');
    expect(fragment).not.toContain('&f=');
    const shared = decodeBoardFragment(fragment)!;
    expect(shared.snapshot).toEqual(machine);
    expect(shared.flash).toBeNull();
  });

  it('refuses a tampered, truncated or foreign snapshot before anything changes', () => {
    const base = encodeShareFragment(defaultDocument());
    const flipped = machine.slice();
    flipped[flipped.length - 3] ^= 0x55;
    const cases: [Uint8Array, RegExp][] = [
      [flipped, /the link's machine: snapshot corrupt/],
      [machine.subarray(0, machine.length - 8), /the link's machine: snapshot corrupt/],
      [strToU8('V8266BOARD1\nnot a snapshot'), /the link's machine: not a v8266 snapshot/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeBoardFragment(`${base}&s=${toBase64Url(bytes)}`)).toThrow(message);
    }
    expect(() => decodeBoardFragment(`${base}&s=%%%`)).toThrow(ShareError);
  });
});

describe('fetching where the link says', () => {
  afterEach(() => vi.unstubAllGlobals());
  const url = new URL('https://example.org/board.v8266');

  it('asks for the URL without cookies and does not follow redirects', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('board', { status: 200 })));
    vi.stubGlobal('fetch', fetch);
    expect(await (await fetchOnlyThere(url)).text()).toBe('board');
    expect(fetch).toHaveBeenCalledWith(url, { redirect: 'manual', credentials: 'omit' });
  });

  it('refuses a redirect by name, and says what else went wrong', async () => {
    // What the browser hands back for `redirect: 'manual'` when the server redirects.
    const redirect = Object.defineProperty(new Response(null, { status: 200 }), 'type', {
      value: 'opaqueredirect',
    });
    vi.stubGlobal('fetch', () => Promise.resolve(redirect));
    await expect(fetchOnlyThere(url)).rejects.toThrow(
      "https://example.org/board.v8266 redirects elsewhere, and a link's file is fetched only from the address the link names",
    );
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('gone', { status: 404 })));
    await expect(fetchOnlyThere(url)).rejects.toThrow(
      'HTTP 404 from https://example.org/board.v8266',
    );
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(fetchOnlyThere(url)).rejects.toThrow(
      'https://example.org/board.v8266 did not answer (Failed to fetch)',
    );
  });
});
