import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Prf } from '../crypto/index.ts';
import { ccmpDecrypt, ccmpEncrypt, ccmpHeader } from './ccmp.ts';
import { buildEapolKey, KeyInfo } from './eapol.ts';
import {
  derivePtk,
  pmkFromPassphrase,
  signEapol,
  unwrapKeyData,
  verifyEapolMic,
  wrapKeyData,
} from './wpa.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('IEEE 802.11-2016 Annex J test vectors', () => {
  it('J.4: PSK from passphrase and SSID', () => {
    expect(toHex(pmkFromPassphrase('password', 'IEEE'))).toBe(
      'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e',
    );
    expect(toHex(pmkFromPassphrase('ThisIsAPassword', 'ThisIsASSID'))).toBe(
      '0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af',
    );
    // and independently of the vectors:
    expect(toHex(pmkFromPassphrase('v8266-pass', 'v8266'))).toBe(
      pbkdf2Sync('v8266-pass', 'v8266', 4096, 32, 'sha1').toString('hex'),
    );
  });

  it('J.3: PRF test vectors (PRF-512)', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(toHex(sha1Prf(hex('0b'.repeat(20)), enc('prefix'), enc('Hi There'), 64))).toBe(
      'bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee' +
        '75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a',
    );
    expect(
      toHex(sha1Prf(enc('Jefe'), enc('prefix'), enc('what do ya want for nothing?'), 64)),
    ).toBe(
      '51f4de5b33f249adf81aeb713a3c20f4fe631446fabdfa58244759ae58ef9009' +
        'a99abf4eac2ca5fa87e692c440eb40023e7babb206d61de7b92f41529092b8fc',
    );
  });

  it('J.6.4: CCMP MPDU encapsulation', () => {
    const tk = hex('c97c1f67ce371185514a8a19f2bdd52f');
    const plain = hex(
      '08 48 c3 2c 0f d2 e1 28 a5 7c 50 30 f1 84 44 08 ab ae a5 b8 fc ba 80 33' +
        'f8 ba 1a 55 d0 2f 85 ae 96 7b b6 2f b6 cd a8 eb 7e 78 a0 50',
    );
    plain[1] &= ~0x40;
    const enc = ccmpEncrypt(plain, tk, 0xb5039776e70cn, 0);
    expect(toHex(enc)).toBe(
      '0848c32c0fd2e128a57c5030f1844408abaea5b8fcba8033' +
        '0ce70020769703b5' +
        'f3d0a2fe9a3dbf2342a643e43246e80c3c04d019' +
        '7845ce0b16f97623',
    );
    expect(ccmpHeader(enc)).toEqual({ pn: 0xb5039776e70cn, keyId: 0 });
    const dec = ccmpDecrypt(enc, tk)!;
    expect(toHex(dec.mpdu)).toBe(toHex(plain));
    enc[30] ^= 0x01;
    expect(ccmpDecrypt(enc, tk)).toBeNull();
  });
});

describe('4-way handshake keys', () => {
  it('PTK = PRF(PMK, "Pairwise key expansion", min/max of addresses and nonces)', () => {
    const pmk = pmkFromPassphrase('v8266-pass', 'v8266');
    const aa = hex('020000000100');
    const spa = hex('5ccf7f010203');
    const an = new Uint8Array(32).fill(0x11);
    const sn = new Uint8Array(32).fill(0x22);
    const ptk = derivePtk(pmk, aa, spa, an, sn);
    // Reference computed with node:crypto's HMAC, written out from §12.7.1.2.
    const data = Buffer.concat([aa, spa, an, sn]);
    const prf = (i: number) =>
      createHmac('sha1', pmk)
        .update(
          Buffer.concat([Buffer.from('Pairwise key expansion'), Buffer.of(0), data, Buffer.of(i)]),
        )
        .digest();
    const ref = Buffer.concat([prf(0), prf(1), prf(2)]);
    expect(toHex(ptk.kck)).toBe(ref.subarray(0, 16).toString('hex'));
    expect(toHex(ptk.kek)).toBe(ref.subarray(16, 32).toString('hex'));
    expect(toHex(ptk.tk)).toBe(ref.subarray(32, 48).toString('hex'));
    // Swapping roles gives the same PTK.
    expect(derivePtk(pmk, spa, aa, sn, an)).toEqual(ptk);
  });

  it('EAPOL-Key MIC and key data wrap', () => {
    const kck = new Uint8Array(16).fill(7);
    const m2 = signEapol(
      kck,
      buildEapolKey({
        keyInfo: KeyInfo.VERSION_AES_HMAC_SHA1 | KeyInfo.PAIRWISE | KeyInfo.MIC,
        replayCounter: 1n,
      }),
    );
    expect(verifyEapolMic(kck, m2)).toBe(true);
    expect(verifyEapolMic(new Uint8Array(16), m2)).toBe(false);
    const kek = new Uint8Array(16).fill(9);
    const data = Uint8Array.from({ length: 24 }, (_, i) => i);
    expect(toHex(unwrapKeyData(kek, wrapKeyData(kek, data))!)).toBe(toHex(data));
    expect(unwrapKeyData(new Uint8Array(16), wrapKeyData(kek, data))).toBeNull();
  });
});
