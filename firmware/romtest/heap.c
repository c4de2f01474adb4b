/* The ROM heap (firmware/rom/heap.c) on an arena of our own, base64_encode allocating from it,
   and aes_decrypt_init/deinit's static context (firmware/rom/hostap.c). */
#include "romtest.h"

void mem_init(void *base);
void *mem_malloc(uint32_t size);
void *mem_zalloc(uint32_t size);
void *mem_calloc(uint32_t count, uint32_t size);
void mem_free(void *p);
void *mem_trim(void *p, uint32_t size);
char *base64_encode(const void *src, uint32_t len, uint32_t *out_len);
void *aes_decrypt_init(const uint8_t *key, uint32_t len);
void aes_decrypt(void *ctx, const uint8_t *crypt, uint8_t *plain);
void aes_decrypt_deinit(void *ctx);

static uint8_t arena[0x1000 + 16];

/* Offsets from the aligned arena start, so the output does not depend on where .bss lands. */
static uint32_t off(const void *p, const uint8_t *ram) { return p ? (uint32_t)((const uint8_t *)p - ram) : 0xFFFF; }

static void show_b64(const char *src, uint32_t len) {
  uint32_t n = 0xEEEE;
  char *s = base64_encode(src, len, &n);
  ets_printf("b64 %d [", n);
  for (uint32_t i = 0; s && s[i]; i++) ets_printf(s[i] == '\n' ? "|" : "%c", s[i]);
  ets_printf("]\n");
  mem_free(s);
}

ENTRY {
  romtest_start();
  const uint8_t *ram = (const uint8_t *)(((uint32_t)arena + 1 + 3) & ~3u);
  mem_init(arena + 1);
  ets_printf("init next %x used %d end used %d\n", ram[0] | ram[1] << 8, ram[4], ram[0x1004]);
  uint8_t *a = mem_malloc(10), *b = mem_zalloc(100), *c = mem_calloc(3, 5);
  int zero = 1;
  for (int i = 0; i < 100; i++) zero &= b[i] == 0;
  ets_printf("alloc %x %x %x zero %d hdr %x\n", off(a, ram), off(b, ram), off(c, ram), zero,
             ram[0] | ram[1] << 8);
  ets_printf("none %x %x\n", off(mem_malloc(0), ram), off(mem_malloc(0x1001), ram));
  mem_free(a);
  uint8_t *d = mem_malloc(12);
  ets_printf("reuse %x\n", off(d, ram));
  mem_free(b);
  mem_free(c);
  mem_free(d);
  mem_free((void *)0x3FFE8000); /* outside the arena: ignored */
  ets_printf("merged next %x used %d\n", ram[0] | ram[1] << 8, ram[4]);
  uint8_t *big = mem_malloc(0x1000 - 8);
  ets_printf("whole %x then %x\n", off(big, ram), off(mem_malloc(4), ram));
  mem_free(big);

  /* mem_trim: a used successor keeps its place (the tail becomes a free block only when 20
     bytes or more are left); a free successor moves down; pointers outside the arena come back. */
  uint8_t *t1 = mem_malloc(40), *t2 = mem_malloc(40);
  void *same = mem_trim(t1, 30); /* 32 of 40: 8 left, too few for a block */
  void *cut = mem_trim(t1, 16);  /* 24 left: a free 16-byte block at +0x18 */
  ets_printf("trim %x %x next %x free %x used %d\n", off(same, ram), off(cut, ram), ram[0] | ram[1] << 8,
             ram[0x18] | ram[0x19] << 8, ram[0x1C]);
  void *grow = mem_trim(t2, 41), *huge = mem_trim(t2, 0x1001), *eq = mem_trim(t2, 40);
  void *tail = mem_trim(t2, 12); /* the free rest of the arena moves down to +0x44 */
  ets_printf("trim %x %x %x %x next %x free %x\n", off(grow, ram), off(huge, ram), off(eq, ram), off(tail, ram),
             ram[0x30] | ram[0x31] << 8, ram[0x44] | ram[0x45] << 8);
  ets_printf("trim outside %x\n", (uint32_t)mem_trim((void *)0x3FFE8000, 4));
  mem_free(t1);
  mem_free(t2);
  ets_printf("merged next %x used %d\n", ram[0] | ram[1] << 8, ram[4]);

  show_b64("", 0);
  show_b64("f", 1);
  show_b64("fo", 2);
  show_b64("foo", 3);
  show_b64("foobar", 6);
  char line[56];
  for (int i = 0, k = 0; i < 56; i++, k = k == 25 ? 0 : k + 1) line[i] = 'a' + k;
  show_b64(line, 56); /* 76 characters of base64: a line feed after 72 */
  uint32_t n;
  char *p = base64_encode("x", 1, &n);
  ets_printf("b64 buffer %x\n", off(p, ram));
  mem_free(p);

  static const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  static const uint8_t ct[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
  uint8_t pt[16];
  ets_printf("aes24 %x\n", (uint32_t)aes_decrypt_init(key, 24));
  void *ctx = aes_decrypt_init(key, 16);
  aes_decrypt(ctx, ct, pt);
  ets_printf("aes ctx %x pt", (uint32_t)ctx);
  for (int i = 0; i < 16; i++) ets_printf(" %02x", pt[i]);
  uint32_t *w = ctx;
  uint32_t any = 0;
  aes_decrypt_deinit(ctx);
  for (int i = 0; i < 44; i++) any |= w[i];
  ets_printf("\ndeinit %x next %x\n", any, w[44]);
  romtest_end();
}
