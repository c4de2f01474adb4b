/* Lines for a serial plotter in the Arduino IDE's format: "label:value" pairs separated by a
   comma or a tab, one line every 20 ms of simulated time: a triangle wave (0..50), a square
   wave (-10/+10) and the line number. A text line first, which a plotter must skip. */
#include "esp.h"

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  ets_printf("\nv8266 plotter demo: tri, sq and n, a line every 20 ms\n");
  for (uint32_t n = 0;; n++) {
    int tri = (int)(n % 100) - 50;
    if (tri < 0) tri = -tri;
    int sq = (n / 25) % 2 ? 10 : -10;
    ets_printf("tri:%d,sq:%d\tn:%u\n", tri, sq, n);
    ets_delay_us(20000);
  }
}
