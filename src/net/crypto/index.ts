/**
 * The synchronous crypto the virtual network needs (WPA2-PSK and CCMP), as pure functions.
 * SHA-1/HMAC/PBKDF2/PRF/AES decryption/unwrap are the ROM natives' implementations (pure
 * functions over byte arrays, written from FIPS 180, RFC 2104, RFC 2898, IEEE 802.11 §12.7.1.2,
 * FIPS 197 and RFC 3394); encryption, wrap and CCM are here.
 */
export { sha1, hmacSha1, pbkdf2Sha1, sha1Prf, aesUnwrap } from '../../board/rom/crypto.ts';
export { Aes128, aesWrap } from './aes.ts';
export { ccmSeal, ccmOpen } from './ccm.ts';
