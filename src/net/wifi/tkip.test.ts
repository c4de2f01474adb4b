import { describe, expect, it } from 'vitest';
import { Suite, parseRsn, rsnIe } from './ie.ts';
import { associationRsn, groupCipherOf } from './station.ts';
import { michael, tkipDecrypt, tkipEncrypt, tkipPhase1, tkipPhase2 } from './tkip.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('TKIP (IEEE 802.11 §12.5.2)', () => {
  it('Michael: the standard chain of test vectors, each MIC the next key', () => {
    let key: Uint8Array = new Uint8Array(8);
    const expected: [string, string][] = [
      ['', '82925c1ca1d130b8'],
      ['M', '434721ca40639b3f'],
      ['Mi', 'e8f9becae97e5d29'],
      ['Mic', '90038fc6cf13c1db'],
      ['Mich', 'd55e100510128986'],
      ['Michael', '0a942b124ecaa546'],
    ];
    for (const [message, mic] of expected) {
      key = michael(key, new TextEncoder().encode(message));
      expect(hex(key)).toBe(mic);
    }
  });

  it('key mixing: the published vector (TK 00..0F, TA 10:22:33:44:55:66, TSC 0)', () => {
    const tk = Uint8Array.from({ length: 16 }, (_, i) => i);
    const ttak = tkipPhase1(tk, bytes('102233445566'), 0);
    expect([...ttak]).toEqual([0x3dd2, 0x016e, 0x76f4, 0x8697, 0xb2e8]);
    expect(hex(tkipPhase2(ttak, tk, 0))).toBe('00200033ea8d2f60ca6d1374234a660b');
  });

  // A group frame from an AP (FromDS) with its IV header: TSC 0x000000000102, key id 1.
  const header = bytes('0842 0000 ffffffffffff 1afe34a1b2c3 1afe34a1b2c3 1000');
  const iv = bytes('01 21 02 60 00000000');
  const body = bytes('aaaa030000000800 4500001c00000000401100000a0000010a0000ff');
  const frame = Uint8Array.from([...header, ...iv, ...body]);
  const tk = bytes('3e2cda429e83f496f2f78e4bfaba9d19');
  const micKey = bytes('167b6ac3b3baa840');

  it('encrypts body + Michael MIC + ICV and decrypts back to the plaintext MPDU', () => {
    const sealed = tkipEncrypt(frame, tk, micKey);
    expect(sealed.length).toBe(frame.length + 8 + 4);
    expect(sealed[1] & 0x40).toBe(0x40);
    expect(hex(sealed.subarray(0, 32))).toBe(hex(frame.subarray(0, 32))); // header + IV in the clear
    expect(hex(sealed.subarray(32, 32 + body.length))).not.toBe(hex(body));
    const opened = tkipDecrypt(sealed, tk, micKey)!;
    expect(opened.tsc).toBe(0x0102n);
    expect(opened.keyId).toBe(1);
    expect(opened.mpdu[1] & 0x40).toBe(0);
    expect(hex(opened.mpdu.subarray(24))).toBe(hex(body));
  });

  it('rejects a frame opened with the wrong Michael key or with a flipped byte', () => {
    const sealed = tkipEncrypt(frame, tk, micKey);
    expect(tkipDecrypt(sealed, tk, bytes('46e48addafdbbd1a'))).toBeNull();
    const flipped = sealed.slice();
    flipped[40] ^= 1;
    expect(tkipDecrypt(flipped, tk, micKey)).toBeNull();
  });
});

describe('a station joining an AP whose group cipher is TKIP (the ESP8266 SoftAP)', () => {
  it('reads the group cipher from the beacon and echoes it in its association RSN element', () => {
    const apRsn = rsnIe({
      version: 1,
      groupCipher: Suite.TKIP,
      pairwiseCiphers: [Suite.CCMP, Suite.TKIP],
      akms: [Suite.AKM_PSK],
      capabilities: 0,
    });
    expect(groupCipherOf(apRsn)).toBe(Suite.TKIP);
    expect(groupCipherOf(undefined)).toBe(Suite.CCMP);
    const sent = parseRsn(associationRsn(groupCipherOf(apRsn)).data);
    expect(sent.groupCipher).toBe(Suite.TKIP);
    expect(sent.pairwiseCiphers).toEqual([Suite.CCMP]);
    expect(sent.akms).toEqual([Suite.AKM_PSK]);
  });
});
