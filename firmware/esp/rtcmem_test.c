/* RTC memory (0x60001200, user area) across a software reset: the first boot fills it and sets
   RTC CTRL0 bit 31; the second boot (rst cause 3) finds every word and clears the marker. */
#include "esp.h"

#define MAGIC 0x52544331u /* "RTC1" */
#define WORDS 127

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  uint32_t cause = RTC_RESET_CAUSE & 0xF;
  ets_printf("\nrtc memory test, reset cause %u\n", cause);
  if (RTC_USER_MEM[0] != MAGIC) {
    for (uint32_t i = 1; i <= WORDS; i++) RTC_USER_MEM[i] = i * 0x01010101u ^ 0xA5A5A5A5u;
    RTC_USER_MEM[0] = MAGIC;
    ets_printf("rtc memory written, software reset\n");
    uart0_drain();
    RTC_CTRL0 |= 1u << 31;
    for (;;) {
    }
  }
  uint32_t bad = 0;
  for (uint32_t i = 1; i <= WORDS; i++) bad += RTC_USER_MEM[i] != (i * 0x01010101u ^ 0xA5A5A5A5u);
  RTC_USER_MEM[0] = 0;
  uint32_t fails = esp_check("rtc memory kept across software reset", bad == 0);
  fails += esp_check("reset cause 3", cause == 3);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
