/**
 * The ROM crypto helpers (src/board/rom/crypto.ts) called at the register level, like firmware's
 * CALL0 does: arguments in a2..a7 (sha1_prf's 7th on the stack), guest memory in DRAM, result in
 * a2. Oracles: node:crypto (md5, sha1, HMAC, PBKDF2, AES-128-ECB, id-aes128-wrap) and the
 * published vectors of RFC 1321, FIPS 180 / RFC 3174, RFC 2202, RFC 6070, IEEE 802.11i (H.4),
 * FIPS 197 (C.1), RFC 3394 (4.1) and well-known RC4 vectors. The AES tables are checked in ETS
 * RAM after the ROM's reset copy.
 */
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/board.ts';
import { SR } from '../../src/board/cpu/index.ts';
import { AES_TD0, AES_TE0, INV_SBOX, SBOX } from '../../src/board/rom/crypto.ts';
import { ROM_NATIVES } from '../../src/board/rom/natives.ts';
import { bootRomtest } from './romtest.ts';

const RETURN_TO = 0x40100000;
const board = createBoard();
board.powerOn();
const cpu = board.soc.cpu;
cpu.writeSpecial(SR.PS, 0x20);
const bus = cpu.bus;
const addrOf = (name: string) => {
  const n = ROM_NATIVES.find((x) => x.name === name);
  if (!n) throw new Error(name);
  return n.addr;
};

// A bump allocator in user DRAM, reset per test.
const HEAP = 0x3ffe8000;
let heap = HEAP;
const alloc = (n: number, align = 4) => {
  heap = (heap + align - 1) & ~(align - 1);
  const p = heap >>> 0;
  heap += n;
  return p;
};
const put = (bytes: Uint8Array | string, align = 4) => {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const p = alloc(b.length + 1, align);
  b.forEach((v, i) => bus.write8(p + i, v));
  bus.write8(p + b.length, 0);
  return p;
};
const get = (p: number, n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => bus.read8(p + i)));
const putWords = (w: number[]) => {
  const p = alloc(4 * w.length);
  w.forEach((v, i) => bus.write32(p + 4 * i, v >>> 0));
  return p;
};
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function call(name: string, args: number[], stack: number[] = []): number {
  const r = cpu.regs;
  r.fill(0x5a5a5a5a);
  args.forEach((v, i) => (r[2 + i] = v >>> 0));
  const sp = 0x3fffe000;
  stack.forEach((v, i) => bus.write32(sp + 4 * i, v >>> 0));
  r[0] = RETURN_TO;
  r[1] = sp;
  const saved = [r[1], r[12], r[13], r[14], r[15]];
  cpu.pc = addrOf(name);
  cpu.step();
  expect(cpu.pc).toBe(RETURN_TO);
  expect([r[1], r[12], r[13], r[14], r[15]]).toEqual(saved);
  return r[2] | 0;
}
/** Puts the parts and their (addr[], len[]) arrays into memory; unaligned starts on purpose. */
function vector(parts: Buffer[]) {
  const addrs = parts.map((p) => put(p, 1));
  return { n: parts.length, addrs: putWords(addrs), lens: putWords(parts.map((p) => p.length)) };
}
const reset = () => (heap = HEAP);
const lengths = [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 128, 300];

describe('ROM crypto: hashes', () => {
  it('md5_vector and sha1_vector against node:crypto (1..3 fragments, block boundaries)', () => {
    for (const len of lengths)
      for (const nparts of [1, 2, 3]) {
        reset();
        const data = randomBytes(len);
        const cuts = [0, Math.floor(len / 3), Math.floor((2 * len) / 3), len].slice(0, nparts);
        const parts = cuts.map((c, i) => data.subarray(c, i + 1 < nparts ? cuts[i + 1] : len));
        const v = vector(parts);
        const mac = alloc(20);
        expect(call('md5_vector', [v.n, v.addrs, v.lens, mac])).toBe(0);
        expect(get(mac, 16).toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
        expect(call('sha1_vector', [v.n, v.addrs, v.lens, mac])).toBe(0);
        expect(get(mac, 20).toString('hex')).toBe(createHash('sha1').update(data).digest('hex'));
      }
  });

  it('RFC 1321 and FIPS 180 published digests', () => {
    const md5s: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        '57edf4a22be3c955ac49da2e2107b67a',
      ],
    ];
    const sha1s: [string, string][] = [
      ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
      [
        'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
        '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
      ],
    ];
    for (const [msg, want] of md5s) {
      reset();
      const v = vector([Buffer.from(msg)]);
      const mac = alloc(16);
      call('md5_vector', [v.n, v.addrs, v.lens, mac]);
      expect(get(mac, 16).toString('hex')).toBe(want);
    }
    for (const [msg, want] of sha1s) {
      reset();
      const v = vector([Buffer.from(msg)]);
      const mac = alloc(20);
      call('sha1_vector', [v.n, v.addrs, v.lens, mac]);
      expect(get(mac, 20).toString('hex')).toBe(want);
    }
  });

  it('MD5Init/Update/Final and SHA1Init/Update/Final stream through hostapd contexts in guest memory', () => {
    reset();
    const data = randomBytes(1000);
    const md5ctx = alloc(88);
    const shactx = alloc(92);
    call('MD5Init', [md5ctx]);
    call('SHA1Init', [shactx]);
    // MD5Context { u32 buf[4]; u32 bits[2]; u8 in[64]; }: the IV words, a zero count
    expect([0, 1, 2, 3, 4, 5].map((i) => bus.read32(md5ctx + 4 * i))).toEqual([
      0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0, 0,
    ]);
    expect(bus.read32(shactx + 16)).toBe(0xc3d2e1f0);
    const src = put(data, 1);
    for (let off = 0, step = 1; off < data.length; off += step, step = (step * 7 + 3) % 131) {
      const n = Math.min(step, data.length - off);
      call('MD5Update', [md5ctx, src + off, n]);
      call('SHA1Update', [shactx, src + off, n]);
    }
    expect(bus.read32(md5ctx + 16)).toBe(8000); // bits[0]: the bit count, low word
    expect(bus.read32(shactx + 20)).toBe(8000); // count[0]
    const out = alloc(20);
    call('MD5Final', [out, md5ctx]);
    expect(get(out, 16).toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
    expect(get(md5ctx, 88).every((b) => b === 0)).toBe(true);
    call('SHA1Final', [out, shactx]);
    expect(get(out, 20).toString('hex')).toBe(createHash('sha1').update(data).digest('hex'));
    expect(get(shactx, 92).every((b) => b === 0)).toBe(true);
  });

  it('SHA1Transform compresses one block into state[5]', () => {
    reset();
    // "abc" padded to one block: the state after it is the digest (FIPS 180 example).
    const blk = Buffer.alloc(64);
    blk.write('abc');
    blk[3] = 0x80;
    blk[63] = 24;
    const st = putWords([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
    call('SHA1Transform', [st, put(blk)]);
    expect(
      [0, 1, 2, 3, 4]
        .map((i) =>
          bus
            .read32(st + 4 * i)
            .toString(16)
            .padStart(8, '0'),
        )
        .join(''),
    ).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('ROM crypto: HMAC, PBKDF2, PRF', () => {
  it('hmac_md5(_vector) and hmac_sha1(_vector) against createHmac (short and long keys)', () => {
    for (const klen of [0, 5, 20, 64, 65, 131])
      for (const len of [0, 17, 64, 200]) {
        reset();
        const key = randomBytes(klen);
        const data = randomBytes(len);
        const k = put(key, 1);
        const d = put(data, 1);
        const mac = alloc(20);
        const wantMd5 = createHmac('md5', key).update(data).digest('hex');
        const wantSha1 = createHmac('sha1', key).update(data).digest('hex');
        expect(call('hmac_md5', [k, klen, d, len, mac])).toBe(0);
        expect(get(mac, 16).toString('hex')).toBe(wantMd5);
        expect(call('hmac_sha1', [k, klen, d, len, mac])).toBe(0);
        expect(get(mac, 20).toString('hex')).toBe(wantSha1);
        const v = vector([data.subarray(0, len >> 1), data.subarray(len >> 1)]);
        expect(call('hmac_md5_vector', [k, klen, v.n, v.addrs, v.lens, mac])).toBe(0);
        expect(get(mac, 16).toString('hex')).toBe(wantMd5);
        expect(call('hmac_sha1_vector', [k, klen, v.n, v.addrs, v.lens, mac])).toBe(0);
        expect(get(mac, 20).toString('hex')).toBe(wantSha1);
      }
  });

  it('RFC 2202 test cases 1 and 2; more than 5 fragments is refused (hostapd limit)', () => {
    reset();
    const mac = alloc(20);
    const k1 = put(Buffer.alloc(16, 0x0b));
    const d1 = put('Hi There');
    call('hmac_md5', [k1, 16, d1, 8, mac]);
    expect(get(mac, 16).toString('hex')).toBe('9294727a3638bb1c13f48ef8158bfc9d');
    const k2 = put(Buffer.alloc(20, 0x0b));
    call('hmac_sha1', [k2, 20, d1, 8, mac]);
    expect(get(mac, 20).toString('hex')).toBe('b617318655057264e28bc0b6fb378c8ef146be00');
    const jefe = put('Jefe');
    const what = put('what do ya want for nothing?');
    call('hmac_md5', [jefe, 4, what, 28, mac]);
    expect(get(mac, 16).toString('hex')).toBe('750c783e6ab0b503eaa86e310a5db738');
    call('hmac_sha1', [jefe, 4, what, 28, mac]);
    expect(get(mac, 20).toString('hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    const v = vector(Array.from({ length: 6 }, () => Buffer.from('x')));
    expect(call('hmac_sha1_vector', [jefe, 4, v.n, v.addrs, v.lens, mac])).toBe(-1);
    expect(call('hmac_md5_vector', [jefe, 4, v.n, v.addrs, v.lens, mac])).toBe(-1);
  });

  it('pbkdf2_sha1: RFC 6070 vectors, the WPA PSK of IEEE 802.11i H.4, and pbkdf2Sync', () => {
    reset();
    const buf = alloc(40);
    const p = put('password');
    const s = put('salt');
    expect(call('pbkdf2_sha1', [p, s, 4, 1, buf, 20])).toBe(0);
    expect(get(buf, 20).toString('hex')).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
    call('pbkdf2_sha1', [p, s, 4, 2, buf, 20]);
    expect(get(buf, 20).toString('hex')).toBe('ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
    // WPA: PSK = PBKDF2(passphrase, SSID, 4096, 32)
    const pass = put('password');
    const ssid = put('IEEE');
    call('pbkdf2_sha1', [pass, ssid, 4, 4096, buf, 32]);
    expect(get(buf, 32).toString('hex')).toBe(
      'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e',
    );
    for (const [pw, salt, it, len] of [
      ['ThisIsAPassword', 'ThisIsASSID', 4096, 32],
      ['x', 'y', 3, 40],
    ] as const) {
      call('pbkdf2_sha1', [put(pw), put(salt), salt.length, it, buf, len]);
      expect(get(buf, len).toString('hex')).toBe(
        pbkdf2Sync(pw, salt, it, len, 'sha1').toString('hex'),
      );
    }
  });

  it('sha1_prf: HMAC-SHA1(key, label || 0 || data || counter), 7th argument on the stack', () => {
    reset();
    const key = randomBytes(32);
    const data = randomBytes(76);
    const label = 'Pairwise key expansion';
    const buf = alloc(64);
    const k = put(key);
    const l = put(label);
    const d = put(data);
    const want = Buffer.concat(
      [0, 1, 2, 3].map((c) =>
        createHmac('sha1', key)
          .update(Buffer.concat([Buffer.from(label), Buffer.of(0), data, Buffer.of(c)]))
          .digest(),
      ),
    );
    for (const len of [16, 20, 48, 64]) {
      expect(call('sha1_prf', [k, 32, l, d, 76, buf], [len])).toBe(0);
      expect(get(buf, len).toString('hex')).toBe(want.subarray(0, len).toString('hex'));
    }
    // IEEE 802.11i Annex H.3 (RFC 2202 key), "prefix" label, 20 bytes
    const key0b = put(Buffer.alloc(20, 0x0b));
    call('sha1_prf', [key0b, 20, put('prefix'), put('Hi There'), 8, buf], [64]);
    expect(get(buf, 64).toString('hex')).toBe(
      'bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a',
    );
  });
});

describe('ROM crypto: AES and RC4', () => {
  it('the AES tables sit in ETS RAM after the reset copy (Te0, rcons, Td0, Td4s)', () => {
    const t = bootRomtest('sdk');
    t.runUntilText('done\n', 0.5);
    const b = t.board.soc.cpu.bus;
    for (let i = 0; i < 256; i++) {
      expect(b.read32(0x3fffccf0 + 4 * i) >>> 0).toBe(AES_TE0[i]);
      expect(b.read32(0x3fffd100 + 4 * i) >>> 0).toBe(AES_TD0[i]);
      expect(b.read8(0x3fffd500 + i)).toBe(INV_SBOX[i]);
    }
    expect(Array.from({ length: 10 }, (_, i) => b.read8(0x3fffd0f0 + i))).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128, 0x1b, 0x36,
    ]);
    // FIPS 197 §5.1.1 example and the first table entries of the reference implementation
    expect([SBOX[0], SBOX[0x53], INV_SBOX[0]]).toEqual([0x63, 0xed, 0x52]);
    expect([AES_TE0[0], AES_TD0[0]]).toEqual([0xc66363a5, 0x51f4a750]);
  });

  it('rijndaelKeySetupEnc (FIPS 197 A.1 expansion), rijndaelKeySetupDec + aes_decrypt (C.1, node AES-128-ECB)', () => {
    reset();
    const rk = alloc(176);
    const key = put(hex('2b7e151628aed2a6abf7158809cf4f3c'));
    expect(call('rijndaelKeySetupEnc', [rk, key])).toBe(10);
    expect(bus.read32(rk + 4 * 4) >>> 0).toBe(0xa0fafe17); // w[4]
    expect(bus.read32(rk + 4 * 43) >>> 0).toBe(0xb6630ca6); // w[43]
    const k2 = put(hex('000102030405060708090a0b0c0d0e0f'));
    call('rijndaelKeySetupDec', [rk, k2]);
    const ct = put(hex('69c4e0d86a7b0430d8cdb78070b4c55a'));
    const pt = alloc(16);
    call('aes_decrypt', [rk, ct, pt]);
    expect(get(pt, 16).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    for (let i = 0; i < 20; i++) {
      reset();
      const kb = randomBytes(16);
      const block = randomBytes(16);
      const enc = createCipheriv('aes-128-ecb', kb, null).setAutoPadding(false).update(block);
      const ctx = alloc(176);
      call('rijndaelKeySetupDec', [ctx, put(kb)]);
      const out = alloc(16);
      call('aes_decrypt', [ctx, put(enc, 1), out]);
      expect(get(out, 16).toString('hex')).toBe(block.toString('hex'));
    }
  });

  it('aes_unwrap: RFC 3394 4.1, node id-aes128-wrap, and -1 on a corrupted IV', () => {
    reset();
    const plain = alloc(64);
    const kek = put(hex('000102030405060708090A0B0C0D0E0F'));
    const c = put(hex('1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5'));
    expect(call('aes_unwrap', [kek, 2, c, plain])).toBe(0);
    expect(get(plain, 16).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    for (const n of [2, 3, 4, 6]) {
      const kb = randomBytes(16);
      const data = randomBytes(8 * n);
      const wrapped = createCipheriv('id-aes128-wrap', kb, hex('A6A6A6A6A6A6A6A6')).update(data);
      expect(wrapped.length).toBe(8 * (n + 1));
      const wp = put(wrapped, 1);
      expect(call('aes_unwrap', [put(kb), n, wp, plain])).toBe(0);
      expect(get(plain, 8 * n).toString('hex')).toBe(data.toString('hex'));
      bus.write8(wp, bus.read8(wp) ^ 1);
      expect(call('aes_unwrap', [put(kb), n, wp, plain])).toBe(-1);
    }
  });

  it('rc4_skip: published vectors and a reference RC4 with skip', () => {
    reset();
    const rc4 = (key: Buffer, skip: number, data: Buffer) => {
      const s = Array.from({ length: 256 }, (_, i) => i);
      let j = 0;
      for (let i = 0; i < 256; i++) {
        j = (j + s[i] + key[i % key.length]) & 255;
        [s[i], s[j]] = [s[j], s[i]];
      }
      let i = 0;
      j = 0;
      const ks = () => {
        i = (i + 1) & 255;
        j = (j + s[i]) & 255;
        [s[i], s[j]] = [s[j], s[i]];
        return s[(s[i] + s[j]) & 255];
      };
      for (let k = 0; k < skip; k++) ks();
      return Buffer.from(data.map((b) => b ^ ks()));
    };
    for (const [k, p, c] of [
      ['Key', 'Plaintext', 'bbf316e8d940af0ad3'],
      ['Wiki', 'pedia', '1021bf0420'],
      ['Secret', 'Attack at dawn', '45a01f645fc35b383552544b9bf5'],
    ]) {
      const d = put(p, 1);
      expect(call('rc4_skip', [put(k), k.length, 0, d, p.length])).toBe(0);
      expect(get(d, p.length).toString('hex')).toBe(c);
    }
    for (const skip of [0, 1, 256, 1536, 3072]) {
      const key = randomBytes(13);
      const data = randomBytes(77);
      const d = put(data, 1);
      call('rc4_skip', [put(key), 13, skip, d, 77]);
      expect(get(d, 77).toString('hex')).toBe(rc4(key, skip, data).toString('hex'));
    }
  });

  it('charges cycles by work done', () => {
    reset();
    const v1 = vector([Buffer.alloc(10)]);
    const v2 = vector([Buffer.alloc(1000)]);
    const mac = alloc(20);
    let t = cpu.cycles;
    call('sha1_vector', [v1.n, v1.addrs, v1.lens, mac]);
    const small = cpu.cycles - t;
    t = cpu.cycles;
    call('sha1_vector', [v2.n, v2.addrs, v2.lens, mac]);
    expect(cpu.cycles - t).toBeGreaterThan(10 * small);
  });
});
