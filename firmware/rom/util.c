/* Small ROM services: arithmetic helpers, memory/string functions, CPU frequency, resets. */
#include "rom.h"

static uint32_t udivmod(uint32_t n, uint32_t d, uint32_t *rem) {
  uint32_t q = 0, r = 0;
  for (int bit = 31; bit >= 0; bit--) {
    r = (r << 1) | ((n >> bit) & 1);
    if (r >= d) {
      r -= d;
      q |= 1u << bit;
    }
  }
  *rem = r;
  return q;
}

/* Division by zero gives what the shift-subtract loop gives (all ones), as there is no trap. */
uint32_t IMPL(__udivsi3)(uint32_t n, uint32_t d) {
  uint32_t r;
  return udivmod(n, d, &r);
}

uint32_t IMPL(__umodsi3)(uint32_t n, uint32_t d) {
  uint32_t r;
  udivmod(n, d, &r);
  return r;
}

int32_t IMPL(__divsi3)(int32_t n, int32_t d) {
  uint32_t r;
  uint32_t q = udivmod(n < 0 ? -(uint32_t)n : (uint32_t)n, d < 0 ? -(uint32_t)d : (uint32_t)d, &r);
  return (n < 0) != (d < 0) ? -(int32_t)q : (int32_t)q;
}

void *IMPL(ets_memcpy)(void *dst, const void *src, uint32_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *IMPL(ets_memset)(void *dst, int c, uint32_t n) {
  uint8_t *d = dst;
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
