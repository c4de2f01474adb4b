/*
 * The hostapd-era helpers of the mask ROM that are not pure computation (the rest are TypeScript
 * natives, src/board/rom/crypto.ts). Behaviour as the mask ROM has it (public disassembly in
 * sheinz/esp-open-bootrom; the code is ours), which differs from hostapd in where memory comes
 * from:
 *
 * - aes_decrypt_init(key, len) allocates nothing: it builds the decryption schedule in one static
 *   176-byte context at 0x3FFFEA80 and returns that (or NULL unless len is 16), so a second init
 *   replaces the first. aes_decrypt_deinit(ctx) zeroes 176 bytes there.
 * - base64_encode(src, len, out_len) takes its buffer from the ROM heap (heap.c, mem_malloc), and
 *   reads its alphabet from the table at 0x3FFFD600.
 */
#include "rom.h"

#define AES_CTX ((uint32_t *)0x3FFFEA80)
#define AES_CTX_BYTES 176 /* 44 round-key words: AES-128 only */

typedef int (*key_setup_fn)(uint32_t *rk, const uint8_t *key);
#define RIJNDAEL_KEY_SETUP_DEC ((key_setup_fn)0x40008DD0) /* a native (crypto.ts) */

void *impl_ets_memset(void *dst, int c, uint32_t n);
void *impl_mem_malloc(uint32_t size);

/* The alphabet at the ROM's address (section placed by rom.ld). */
__attribute__((section(".ets_b64"), used)) const char base64_table[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void *IMPL(aes_decrypt_init)(const uint8_t *key, uint32_t len) {
  if (len != 16) return 0;
  RIJNDAEL_KEY_SETUP_DEC(AES_CTX, key);
  return AES_CTX;
}

void IMPL(aes_decrypt_deinit)(void *ctx) { impl_ets_memset(ctx, 0, AES_CTX_BYTES); }

static char b64(uint32_t i) { return (char)rd8(base64_table + i); }

/*
 * RFC 1521 base64 with a line feed after every 72 characters and after a last partial line, then
 * a NUL; *out_len (when given) counts up to the NUL. NULL when the size overflows or the heap is
 * out of room. The buffer size (len·4/3 + 4, + 1 per 72, + 1) is truncated to 16 bits for
 * mem_malloc, as the ROM does.
 */
char *IMPL(base64_encode)(const uint8_t *src, uint32_t len, uint32_t *out_len) {
  uint32_t olen = len * 4 / 3 + 4;
  olen += olen / 72;
  olen++;
  if (olen < len) return 0;
  char *out = impl_mem_malloc(olen & 0xFFFF);
  if (!out) return 0;
  const uint8_t *in = src, *end = src + len;
  char *pos = out;
  uint32_t line_len = 0;
  while (end - in >= 3) {
    uint32_t b0 = rd8(in), b1 = rd8(in + 1), b2 = rd8(in + 2);
    *pos++ = b64(b0 >> 2);
    *pos++ = b64(((b0 & 3) << 4) | (b1 >> 4));
    *pos++ = b64(((b1 & 0xF) << 2) | (b2 >> 6));
    *pos++ = b64(b2 & 0x3F);
    in += 3;
    line_len += 4;
    if (line_len >= 72) {
      *pos++ = '\n';
      line_len = 0;
    }
  }
  if (end - in) {
    uint32_t b0 = rd8(in);
    *pos++ = b64(b0 >> 2);
    if (end - in == 1) {
      *pos++ = b64((b0 & 3) << 4);
      *pos++ = '=';
    } else {
      uint32_t b1 = rd8(in + 1);
      *pos++ = b64(((b0 & 3) << 4) | (b1 >> 4));
      *pos++ = b64((b1 & 0xF) << 2);
    }
    *pos++ = '=';
    line_len += 4;
  }
  if (line_len) *pos++ = '\n';
  *pos = '\0';
  if (out_len) *out_len = (uint32_t)(pos - out);
  return out;
}
