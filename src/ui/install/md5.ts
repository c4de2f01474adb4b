/**
 * MD5 (RFC 1321) of a byte array as lowercase hex: esptool-js asks the caller for it to compare
 * with the digest esptool's stub computes over the written flash. Browsers' SubtleCrypto has no
 * MD5; the ROM natives already carry one (pure functions over byte arrays).
 */
import { md5 } from '../../board/rom/crypto.ts';

export function md5Hex(data: Uint8Array): string {
  return Array.from(md5(data), (b) => b.toString(16).padStart(2, '0')).join('');
}
