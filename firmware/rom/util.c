/* Small ROM services: arithmetic helpers, memory/string functions, CPU frequency, resets. */
#include "rom.h"

/*
 * Memory and string functions. Sources are read with rd8 (through the aligned word, rom.h) so that
 * strings and tables in flash or IRAM work, as firmware expects; destinations are written bytewise
 * (or wordwise when both pointers are aligned), so storing into instruction memory still faults.
 */
void *IMPL(ets_memcpy)(void *dst, const void *src, uint32_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if ((((uint32_t)d | (uint32_t)s) & 3) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4) *(rom_word_t *)d = *(const rom_word_t *)s;
  }
  for (; n; n--) *d++ = (uint8_t)rd8(s++);
  return dst;
}

void *IMPL(ets_memset)(void *dst, int c, uint32_t n) {
  uint8_t *d = dst;
  for (; n && ((uint32_t)d & 3); n--) *d++ = (uint8_t)c;
  uint32_t w = (uint8_t)c * 0x01010101u;
  for (; n >= 4; n -= 4, d += 4) *(rom_word_t *)d = w;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

int IMPL(ets_memcmp)(const void *a, const void *b, uint32_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++) {
    int d = (int)rd8(x) - (int)rd8(y);
    if (d) return d;
  }
  return 0;
}

void *IMPL(ets_memmove)(void *dst, const void *src, uint32_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s)
    for (uint32_t i = 0; i < n; i++) d[i] = (uint8_t)rd8(s + i);
  else
    while (n--) d[n] = (uint8_t)rd8(s + n);
  return dst;
}

void IMPL(ets_bzero)(void *dst, uint32_t n) { impl_ets_memset(dst, 0, n); }
void *IMPL(memcpy)(void *dst, const void *src, uint32_t n) { return impl_ets_memcpy(dst, src, n); }
void *IMPL(memset)(void *dst, int c, uint32_t n) { return impl_ets_memset(dst, c, n); }
void *IMPL(memmove)(void *dst, const void *src, uint32_t n) { return impl_ets_memmove(dst, src, n); }
int IMPL(memcmp)(const void *a, const void *b, uint32_t n) { return impl_ets_memcmp(a, b, n); }
void IMPL(bzero)(void *dst, uint32_t n) { impl_ets_memset(dst, 0, n); }

uint32_t IMPL(ets_strlen)(const char *s) {
  uint32_t n = 0;
  while (rd8(s + n)) n++;
  return n;
}
uint32_t IMPL(strlen)(const char *s) { return impl_ets_strlen(s); }

char *IMPL(ets_strncpy)(char *d, const char *s, uint32_t n) {
  char *r = d;
  for (uint32_t c; n && (c = rd8(s)); n--, s++) *d++ = (char)c;
  for (; n; n--) *d++ = 0;
  return r;
}
char *IMPL(strncpy)(char *d, const char *s, uint32_t n) { return impl_ets_strncpy(d, s, n); }

char *IMPL(ets_strstr)(const char *h, const char *n) {
  for (;; h++) {
    uint32_t i = 0;
    while (rd8(n + i) && rd8(h + i) == rd8(n + i)) i++;
    if (!rd8(n + i)) return (char *)h;
    if (!rd8(h)) return 0;
  }
}
char *IMPL(strstr)(const char *h, const char *n) { return impl_ets_strstr(h, n); }

int IMPL(ets_strcmp)(const char *a, const char *b) {
  while (rd8(a) && rd8(a) == rd8(b)) a++, b++;
  return (int)rd8(a) - (int)rd8(b);
}
int IMPL(strcmp)(const char *a, const char *b) { return impl_ets_strcmp(a, b); }

int IMPL(ets_strncmp)(const char *a, const char *b, uint32_t n) {
  for (; n; n--, a++, b++) {
    uint32_t x = rd8(a), y = rd8(b);
    if (x != y) return (int)x - (int)y;
    if (!x) return 0;
  }
  return 0;
}
int IMPL(strncmp)(const char *a, const char *b, uint32_t n) { return impl_ets_strncmp(a, b, n); }

char *IMPL(ets_strcpy)(char *d, const char *s) {
  char *r = d;
  for (uint32_t c;; s++) {
    c = rd8(s);
    *d++ = (char)c;
    if (!c) break;
  }
  return r;
}
char *IMPL(strcpy)(char *d, const char *s) { return impl_ets_strcpy(d, s); }

uint32_t IMPL(ets_get_cpu_frequency)(void) { return CPU_MHZ; }
void IMPL(ets_update_cpu_frequency)(uint32_t mhz) { CPU_MHZ = mhz; }

/* Busy-waits on CCOUNT for us x the stored MHz (wrap-safe). */
void IMPL(ets_delay_us)(uint32_t us) {
  uint32_t start = rsr_ccount();
  uint32_t cycles = us * CPU_MHZ;
  while (rsr_ccount() - start < cycles) {
  }
}

void IMPL(uart_div_modify)(uint32_t uart, uint32_t div) { UART_CLKDIV(uart) = div & 0xFFFFF; }

void IMPL(gpio_output_set)(uint32_t set, uint32_t clear, uint32_t enable, uint32_t disable) {
  GPIO_OUT_W1TS = set;
  GPIO_OUT_W1TC = clear;
  GPIO_ENABLE_W1TS = enable;
  GPIO_ENABLE_W1TC = disable;
}

uint32_t IMPL(gpio_input_get)(void) { return GPIO_IN; }

/* Reset cause from RTC 0x14, refined by the wake flags when it says "wake" (5). */
uint32_t IMPL(rtc_get_reset_reason)(void) {
  uint32_t r = RTC_RESET_CAUSE & 0xF;
  RTC_STATE1 &= ~(1u << 21);
  if (r != 5) return r;
  uint32_t f = (RTC_WAKE_FLAGS >> 8) & 0x3F;
  return f == 1 ? 6 : f == 8 ? 5 : 0;
}

void IMPL(software_reset)(void) { RTC_CTRL0 |= 1u << 31; }

void *IMPL(_xtos_set_exception_handler)(uint32_t cause, void *fn) {
  const uint32_t p_none = 0x4000DBF8;
  if (cause >= 64) return 0;
  uint32_t *asm_table = (uint32_t *)0x3FFFC000, *c_table = (uint32_t *)0x3FFFC100;
  uint32_t f = fn ? (uint32_t)fn : p_none;
  uint32_t prev = c_table[cause];
  c_table[cause] = f;
  asm_table[cause] = f == p_none ? 0x4000DC44 : 0x40000598;
  return prev == p_none ? 0 : (void *)prev;
}

/*
 * DMA descriptor chains (the 12-byte lldesc of esp8266-hw.md §11.3: word 0 = size [11:0],
 * length [23:12], EOF bit 30, owner bit 31; word 1 = buffer; word 2 = next). libpp builds the
 * Wi-Fi RX rings with them. Signatures as Espressif's ROM headers declare them.
 */
struct lldesc {
  uint32_t ctrl;
  uint8_t *buf;
  struct lldesc *next;
};
#define LLDESC_OWNER (1u << 31)
#define LLDESC_EOF (1u << 30)
#define LLDESC_SIZE_MASK 0xFFFu
#define LLDESC_LENGTH_SHIFT 12

/*
 * Cut `descptr` (desclen bytes) into descriptors and `mblkptr` (buflen bytes) into blocks of
 * blksz; link one descriptor per block (size = length = blksz, no EOF, the given owner) until
 * either runs out; *head / *tail get the first and last (NULL when none fits).
 */
void IMPL(lldesc_build_chain)(uint8_t *descptr, uint32_t desclen, uint8_t *mblkptr,
                              uint32_t buflen, uint32_t blksz, uint32_t owner,
                              struct lldesc **head, struct lldesc **tail) {
  struct lldesc *first = 0, *last = 0;
  uint32_t n = desclen / sizeof(struct lldesc);
  for (uint32_t i = 0; i < n && blksz && buflen >= blksz; i++, buflen -= blksz) {
    struct lldesc *d = (struct lldesc *)descptr + i;
    d->ctrl = (blksz & LLDESC_SIZE_MASK) | (blksz & LLDESC_SIZE_MASK) << LLDESC_LENGTH_SHIFT |
              (owner & 1 ? LLDESC_OWNER : 0);
    d->buf = mblkptr + i * blksz;
    d->next = 0;
    if (last) last->next = d;
    else first = d;
    last = d;
  }
  if (head) *head = first;
  if (tail) *tail = last;
}

/* The nblks-th descriptor of the chain at head (head itself for 1), or the last one reached. */
struct lldesc *IMPL(lldesc_num2link)(struct lldesc *head, uint32_t nblks) {
  struct lldesc *d = head;
  for (nblks &= 0xFFFF; d && nblks > 1 && d->next; nblks--) d = d->next;
  return d;
}

/* Give nblks descriptors from head to `owner` (1 = hardware); returns the last one changed. */
struct lldesc *IMPL(lldesc_set_owner)(struct lldesc *head, uint32_t nblks, uint32_t owner) {
  struct lldesc *d = head, *last = head;
  for (nblks &= 0xFFFF; d && nblks; nblks--, d = d->next) {
    d->ctrl = (d->ctrl & ~LLDESC_OWNER) | (owner & 1 ? LLDESC_OWNER : 0);
    last = d;
  }
  return last;
}

/* x rounded up to a multiple of the power of two `align` (libpp and libnet80211 size buffers). */
uint32_t IMPL(roundup2)(uint32_t x, uint32_t align) { return (x + align - 1) & ~(align - 1); }

/* How many blocks of `size` hold x bytes: x / size rounded up. */
uint32_t IMPL(multofup)(uint32_t x, uint32_t size) { return size ? (x + size - 1) / size : 0; }

/*
 * rand/srand. The references do not give the mask ROM's generator; ours is newlib's (the C
 * library the Xtensa toolchains ship): a 64-bit LCG, next = next * 6364136223846793005 + 1,
 * result bits 62..32 (RAND_MAX 0x7FFFFFFF), state 1 until srand(seed) sets it to seed.
 */
static uint64_t rand_next = 1;
void IMPL(srand)(uint32_t seed) { rand_next = seed; }
int IMPL(rand)(void) {
  rand_next = rand_next * 6364136223846793005ULL + 1;
  return (int)((rand_next >> 32) & 0x7FFFFFFF);
}
