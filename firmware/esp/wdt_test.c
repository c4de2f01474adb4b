/* The hardware watchdog resets a guest that spins with interrupts off: armed like NONOS
   wdt_init (CTL 0x38, then bit 0), but with short stages (2^8 × 0.8 ms each), never fed. The
   second boot finds rst cause 4 in the RTC and the ROM printed "wdt reset". */
#include "esp.h"

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  uint32_t cause = RTC_RESET_CAUSE & 0xF;
  ets_printf("\nwatchdog test, reset cause %u\n", cause);
  if (cause != 4) {
    ets_printf("arming the watchdog, spinning with interrupts off\n");
    uart0_drain();
    WDT_OP = 8;
    WDT_OP_ND = 8;
    WDT_CTL = 0x38;
    WDT_CTL = (WDT_CTL & ~6u) | 1;
    esp_irq_disable();
    for (;;) {
    }
  }
  uint32_t fails = esp_check("watchdog reset (cause 4)", cause == 4);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
