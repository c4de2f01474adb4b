/* Tuning the radio as libphy does, shared by the wifitest programs: the RF PLL word for a channel
   goes to the ROM's rom_write_rfpll_sdm, which the board decodes into the channel
   (docs/wifi-mac.md §5). */
#ifndef V8266_WIFITEST_RF_TUNE_H
#define V8266_WIFITEST_RF_TUNE_H
#include <stdint.h>

void rom_write_rfpll_sdm(const uint8_t *sdm);

/* libphy's RF PLL word for `mhz` with a 26 MHz crystal: 4·MHz / (3·26) − 32 as 8.16 fixed point
   (ram_rfpll_set_freq: integer part, then two fraction bytes). */
static void tune(int channel) {
  uint32_t mhz = channel == 14 ? 2484 : 2407 + 5 * channel;
  uint32_t r = (4u * mhz * 65536u) / 78u - (32u << 16);
  uint8_t sdm[3] = {(uint8_t)(r >> 16), (uint8_t)(r >> 8), (uint8_t)r};
  rom_write_rfpll_sdm(sdm);
}

#endif
