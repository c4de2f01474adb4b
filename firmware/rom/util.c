/* Small ROM services: arithmetic helpers, memory/string functions, CPU frequency, resets. */
#include "rom.h"

/* Word copies when both pointers are aligned (so narrow accesses fault where the chip's do). */
void *IMPL(ets_memcpy)(void *dst, const void *src, uint32_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if ((((uint32_t)d | (uint32_t)s) & 3) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4) *(uint32_t *)d = *(const uint32_t *)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *IMPL(ets_memset)(void *dst, int c, uint32_t n) {
  uint8_t *d = dst;
  for (; n && ((uint32_t)d & 3); n--) *d++ = (uint8_t)c;
  uint32_t w = (uint8_t)c * 0x01010101u;
  for (; n >= 4; n -= 4, d += 4) *(uint32_t *)d = w;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

int IMPL(ets_memcmp)(const void *a, const void *b, uint32_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

void *IMPL(ets_memmove)(void *dst, const void *src, uint32_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s)
    while (n--) *d++ = *s++;
  else
    while (n--) d[n] = s[n];
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
  while (s[n]) n++;
  return n;
}
uint32_t IMPL(strlen)(const char *s) { return impl_ets_strlen(s); }

char *IMPL(ets_strncpy)(char *d, const char *s, uint32_t n) {
  char *r = d;
  for (; n && *s; n--) *d++ = *s++;
  for (; n; n--) *d++ = 0;
  return r;
}
char *IMPL(strncpy)(char *d, const char *s, uint32_t n) { return impl_ets_strncpy(d, s, n); }

char *IMPL(ets_strstr)(const char *h, const char *n) {
  for (;; h++) {
    uint32_t i = 0;
    while (n[i] && h[i] == n[i]) i++;
    if (!n[i]) return (char *)h;
    if (!*h) return 0;
  }
}
char *IMPL(strstr)(const char *h, const char *n) { return impl_ets_strstr(h, n); }

int IMPL(ets_strcmp)(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (uint8_t)*a - (uint8_t)*b;
}
int IMPL(strcmp)(const char *a, const char *b) { return impl_ets_strcmp(a, b); }

int IMPL(ets_strncmp)(const char *a, const char *b, uint32_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (uint8_t)*a - (uint8_t)*b;
    if (!*a) return 0;
  }
  return 0;
}
int IMPL(strncmp)(const char *a, const char *b, uint32_t n) { return impl_ets_strncmp(a, b, n); }

char *IMPL(ets_strcpy)(char *d, const char *s) {
  char *r = d;
  while ((*d++ = *s++)) {
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
