import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Aes128,
  aesUnwrap,
  aesWrap,
  ccmOpen,
  ccmSeal,
  hmacSha1,
  pbkdf2Sha1,
  sha1,
} from './index.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/[\s-]/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('AES-128 encryption', () => {
  it('matches FIPS 197 Appendix C.1', () => {
    const aes = new Aes128(hex('000102030405060708090a0b0c0d0e0f'));
    expect(toHex(aes.encryptBlock(hex('00112233445566778899aabbccddeeff')))).toBe(
      '69c4e0d86a7b0430d8cdb78070b4c55a',
    );
  });
  it('matches node:crypto on random keys and blocks', () => {
    for (let i = 0; i < 50; i++) {
      const key = randomBytes(16);
      const block = randomBytes(16);
      const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(block);
      expect(toHex(new Aes128(key).encryptBlock(block))).toBe(c.toString('hex'));
    }
  });
});

describe('AES key wrap (RFC 3394)', () => {
  it('wraps 128 bits of key data with a 128-bit KEK (§4.1)', () => {
    const kek = hex('000102030405060708090A0B0C0D0E0F');
    const key = hex('00112233445566778899AABBCCDDEEFF');
    const wrapped = aesWrap(kek, key);
    expect(toHex(wrapped)).toBe('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    const un = aesUnwrap(kek, 2, wrapped);
    expect(un.ok).toBe(true);
    expect(toHex(un.plain)).toBe(toHex(key));
  });
  it('matches node:crypto id-aes128-wrap for longer data', () => {
    const kek = randomBytes(16);
    const data = randomBytes(40);
    const c = createCipheriv('id-aes128-wrap', kek, Buffer.from('a6a6a6a6a6a6a6a6', 'hex')).update(
      data,
    );
    expect(toHex(aesWrap(kek, data))).toBe(c.toString('hex'));
  });
});

describe('AES-CCM', () => {
  it('RFC 3610 packet vector #1 (M = 8, L = 2)', () => {
    const key = hex('C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF');
    const nonce = hex('00000003020100A0A1A2A3A4A5');
    const packet = hex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E');
    const sealed = ccmSeal(key, nonce, packet.subarray(0, 8), packet.subarray(8));
    expect(toHex(sealed)).toBe(
      '588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0'.toLowerCase(),
    );
    expect(toHex(ccmOpen(key, nonce, packet.subarray(0, 8), sealed)!)).toBe(
      toHex(packet.subarray(8)),
    );
    sealed[3] ^= 1;
    expect(ccmOpen(key, nonce, packet.subarray(0, 8), sealed)).toBeNull();
  });
  it('matches node:crypto aes-128-ccm on random inputs', () => {
    for (let i = 0; i < 20; i++) {
      const key = randomBytes(16);
      const nonce = randomBytes(13);
      const aad = randomBytes(22 + (i % 9));
      const plain = randomBytes(1 + i * 7);
      const c = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: 8 });
      c.setAAD(aad, { plaintextLength: plain.length });
      const ct = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
      expect(toHex(ccmSeal(key, nonce, aad, plain))).toBe(ct.toString('hex'));
    }
  });
});

describe('SHA-1 family (the ROM natives, used as pure functions)', () => {
  it('agree with node:crypto', () => {
    const data = randomBytes(300);
    const key = randomBytes(32);
    expect(toHex(sha1(data))).toBe(createHash('sha1').update(data).digest('hex'));
    expect(toHex(hmacSha1(key, data))).toBe(createHmac('sha1', key).update(data).digest('hex'));
    expect(toHex(pbkdf2Sha1(Buffer.from('secret'), Buffer.from('salt'), 100, 32))).toBe(
      pbkdf2Sync('secret', 'salt', 100, 32, 'sha1').toString('hex'),
    );
  });
});

describe('PBKDF2-HMAC-SHA1 with precomputed pads', () => {
  it('agrees with node:crypto, including keys longer than a block', () => {
    for (const [pw, salt, n, len] of [
      ['password', 'salt', 1, 20],
      ['password', 'salt', 4096, 32],
      ['x'.repeat(80), 'IEEE', 10, 48],
    ] as const)
      expect(toHex(pbkdf2Sha1(Buffer.from(pw), Buffer.from(salt), n, len))).toBe(
        pbkdf2Sync(pw, salt, n, len, 'sha1').toString('hex'),
      );
  });
});
