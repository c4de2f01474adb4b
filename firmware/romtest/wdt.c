/* The ROM's hardware-watchdog API (ets_wdt_*, esp8266-hw.md §5.8/§7.1) driving the WDT block:
   register values and wdt_info per mode, feeding with 0x73, disable/restore, then a starved
   watchdog that resets the chip (cause 4); the second boot reports the cause and ends. */
#include "romtest.h"

void ets_wdt_init(void);
void ets_wdt_enable(uint32_t mode, uint32_t a, uint32_t b);
uint32_t ets_wdt_disable(void);
void ets_wdt_restore(uint32_t mode);
uint32_t ets_wdt_get_mode(void);
uint32_t rtc_get_reset_reason(void);

#define WDT_CTRL REG(0x60000900)
#define WDT_OP REG(0x60000904)
#define WDT_OP_ND REG(0x60000908)
#define WDT_FEED REG(0x60000914)
#define WDT_INFO ((volatile uint32_t *)0x3FFFC708)

static void show(const char *what) {
  ets_printf("%s mode=%d ctrl=%x op=%d nd=%d info=%d,%d,%d\n", what, ets_wdt_get_mode(), WDT_CTRL,
             WDT_OP, WDT_OP_ND, WDT_INFO[0], WDT_INFO[1], WDT_INFO[2]);
}

static volatile int woke;
static void on_ccompare(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  xthal_set_ccompare(0, xthal_get_ccount() - 1); /* clears INT 6 */
  woke = 1;
}

/* Sleeps `ms` milliseconds in 100 ms WAITIs on CCOMPARE0 (80 MHz), feeding after each when asked. */
static void wait_ms(uint32_t ms, int feed) {
  for (uint32_t t = 0; t < ms; t += 100) {
    woke = 0;
    xthal_set_ccompare(0, xthal_get_ccount() + 8000000);
    while (!woke) __asm__ volatile("waiti 0");
    if (feed) WDT_FEED = 0x73;
  }
}

ENTRY {
  romtest_start();
  if (rtc_get_reset_reason() == 4) {
    show("after reset");
    romtest_end();
  }
  _xtos_set_interrupt_handler(6, on_ccompare);
  ets_isr_unmask(1u << 6);
  ets_wdt_init();
  show("init");
  ets_wdt_enable(3, 3, 6);
  show("enable 3");
  wait_ms(6000, 1);
  ets_printf("fed 6 s\n");
  ets_printf("disable %d\n", ets_wdt_disable());
  show("disabled");
  wait_ms(6000, 0);
  ets_printf("unfed 6 s\n");
  ets_wdt_restore(0);
  show("restore 0");
  ets_wdt_restore(3);
  show("restore 3");
  ets_wdt_disable();
  ets_wdt_enable(4, 12, 3);
  show("enable 4");
  ets_printf("starving\n");
  for (;;) __asm__ volatile("rsil a2, 15; waiti 15" ::: "a2");
}
