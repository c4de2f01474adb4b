/* The smallest useful program: start the clocks and say hello at 115200 baud. */
#include "esp.h"

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  ets_printf("hello from v8266\n");
  for (;;) __asm__ volatile("waiti 15");
}
