/* What an SDK reads from the image header at boot: the flash-size code (byte 3, high nibble),
   and from it where its RF calibration and init data sectors are (the NONOS SDK puts
   esp_init_data_default at size - 16 KB and calibrates into size - 20 KB). It reads the header
   and the init data's first byte through SPI0's registers and prints what the SDK would, so a test
   sees which size the header says — the thing esptool's --flash_size and v8266's --header-size
   rewrite — and whether the init data is where that size puts it. */
#include "esp.h"

static uint32_t flash_word(uint32_t addr) {
  SPI0_ADDR = addr | 4u << 24;
  SPI0_CMD = SPI_CMD_READ;
  while (SPI0_CMD) {
  }
  return SPI0_W(0);
}

/* Header size codes (esptool's --flash_size names) in KB; 0 for codes no chip uses. */
static const uint32_t size_kb[16] = {512, 256, 1024, 2048, 4096, 2048, 4096, 0, 8192, 16384};

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  uint32_t header = flash_word(0);
  uint32_t code = (header >> 28) & 0xF;
  uint32_t kb = size_kb[code];
  ets_printf("\nflash map: header size code %u", code);
  if (kb == 0) {
    ets_printf(" unknown\nDONE\n");
  } else {
    uint32_t bytes = kb * 1024;
    ets_printf(", %u KB\nrf cal sector: %u\n", kb, bytes / 4096 - 5);
    uint32_t init = flash_word(bytes - 0x4000) & 0xFF;
    if (init == 0x05)
      ets_printf("init data at 0x%x\n", bytes - 0x4000);
    else
      ets_printf("rf_cal[0] !=0x05,is 0x%02X\n", init);
    ets_printf("DONE\n");
  }
  for (;;) __asm__ volatile("waiti 0");
}
