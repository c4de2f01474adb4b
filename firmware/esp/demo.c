/* The default board demo: blink the GPIO2 LED at 1 Hz, echo serial, report the FLASH button,
   count boots in RTC memory (survives resets) and in flash (survives power cycles). */
#include "esp.h"

#define RTC_MAGIC 0x56383236u /* "V826" */
#define COUNTER_SECTOR 0x100  /* flash offset 1 MB */

static uint32_t flash_boot_count(void) {
  uint32_t words[2];
  SPIRead(COUNTER_SECTOR * 0x1000, words, sizeof words);
  uint32_t count = words[0] == RTC_MAGIC ? words[1] + 1 : 1;
  words[0] = RTC_MAGIC;
  words[1] = count;
  SPIEraseSector(COUNTER_SECTOR);
  SPIWrite(COUNTER_SECTOR * 0x1000, words, sizeof words);
  return count;
}

static uint32_t rtc_boot_count(void) {
  uint32_t count = RTC_USER_MEM[0] == RTC_MAGIC ? RTC_USER_MEM[1] + 1 : 1;
  RTC_USER_MEM[0] = RTC_MAGIC;
  RTC_USER_MEM[1] = count;
  return count;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  uint32_t flash_boots = flash_boot_count();
  uint32_t rtc_boots = rtc_boot_count();
  ets_printf("\nv8266 demo: boot %u (flash), %u since power-on (rtc)\n", flash_boots, rtc_boots);
  IOMUX_GPIO2 &= ~((3u << 4) | (1u << 8)); /* pad GPIO2 back to function 0: GPIO */
  GPIO_OUT_W1TS = 1u << 2; /* LED off before the pad drives */
  GPIO_ENABLE_W1TS = 1u << 2;
  uint32_t next_toggle = MICROS + 500000;
  uint32_t led_on = 0;
  uint32_t button_was = GPIO_IN & 1;
  for (;;) {
    if ((int32_t)(MICROS - next_toggle) >= 0) {
      next_toggle += 500000;
      led_on ^= 1;
      if (led_on) GPIO_OUT_W1TC = 1u << 2; /* active low */
      else GPIO_OUT_W1TS = 1u << 2;
    }
    while (uart0_rx_count()) UART0_FIFO = UART0_FIFO & 0xFF;
    uint32_t button = GPIO_IN & 1;
    if (button != button_was) {
      button_was = button;
      if (!button) ets_printf("FLASH button pressed\n");
    }
  }
}
