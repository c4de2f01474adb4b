/*
 * ets_wdt_*: the ROM's hardware-watchdog API (esp8266-hw.md §5.8, §7.1). Facts used: the entry
 * addresses, CTRL = 0x38 (modes 2/4) or 0x3C (mode 3), the stage-exponent mapping 3 -> 11,
 * 6 -> 12, 12 -> 13, and wdt_info {mode, A, B} at 0x3FFFC708. Everything else here is our
 * assumption, listed in docs/rom.md ("Watchdog").
 */
#include "rom.h"

#define WDT_CTRL REG(0x60000900)
#define WDT_OP REG(0x60000904)
#define WDT_OP_ND REG(0x60000908)
#define WDT_INFO ((volatile uint32_t *)0x3FFFC708)

static uint32_t wdt_exponent(uint32_t v) {
  if (v == 3) return 11;
  if (v == 6) return 12;
  if (v == 12) return 13;
  return v; /* assumption: other values are exponents already */
}

void IMPL(ets_wdt_init)(void) {
  WDT_CTRL &= ~1u;
  WDT_INFO[0] = 0;
  WDT_INFO[1] = 0;
  WDT_INFO[2] = 0;
}

void IMPL(ets_wdt_enable)(uint32_t mode, uint32_t a, uint32_t b) {
  WDT_INFO[0] = mode;
  WDT_INFO[1] = a;
  WDT_INFO[2] = b;
  WDT_CTRL &= ~1u;
  if (mode < 2 || mode > 4) return; /* assumption: only 2/3/4 run the hardware */
  WDT_OP = wdt_exponent(a);
  WDT_OP_ND = wdt_exponent(b);
  WDT_CTRL = mode == 3 ? 0x3C : 0x38;
  WDT_CTRL |= 1u;
}

uint32_t IMPL(ets_wdt_disable)(void) {
  uint32_t mode = WDT_INFO[0];
  WDT_CTRL &= ~1u;
  WDT_INFO[0] = 0;
  return mode;
}

void IMPL(ets_wdt_restore)(uint32_t mode) {
  if (mode == 0) return;
  IMPL(ets_wdt_enable)(mode, WDT_INFO[1], WDT_INFO[2]);
}

uint32_t IMPL(ets_wdt_get_mode)(void) { return WDT_INFO[0]; }
