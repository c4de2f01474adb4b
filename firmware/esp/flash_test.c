/* The flash chip through the SPI0 controller's registers (no ROM calls): JEDEC id, sector
   erase, page program (NOR: bits only clear), read into W0..W7, status polling, and the same
   bytes through the flash-cache window at 0x40200000. */
#include "esp.h"

#define TEST_ADDR 0x210000u /* 2 MB + 64 KB */

static void spi_cmd(uint32_t cmd) {
  SPI0_CMD = cmd;
  while (SPI0_CMD) {
  }
}

static void wait_ready(void) {
  do {
    spi_cmd(SPI_CMD_RDSR);
  } while (SPI0_RD_STATUS & 1);
}

static void flash_read(uint32_t addr, uint32_t *words, uint32_t n) {
  SPI0_ADDR = addr | (n * 4) << 24;
  spi_cmd(SPI_CMD_READ);
  for (uint32_t i = 0; i < n; i++) words[i] = SPI0_W(i);
}

static void flash_program(uint32_t addr, const uint32_t *words, uint32_t n) {
  spi_cmd(SPI_CMD_WREN);
  for (uint32_t i = 0; i < n; i++) SPI0_W(i) = words[i];
  SPI0_ADDR = addr | (n * 4) << 24;
  spi_cmd(SPI_CMD_PP);
  wait_ready();
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t fails = 0, w[8], pattern[8];
  esp_start_clocks();
  ets_printf("\nflash test\n");

  spi_cmd(SPI_CMD_RDID);
  uint32_t id = SPI0_W(0) & 0xFFFFFF;
  ets_printf("jedec id %06x\n", id);
  fails += esp_check("jedec id (Winbond, 4 MB)", id == 0x1640EF);

  spi_cmd(SPI_CMD_WREN);
  SPI0_ADDR = TEST_ADDR;
  spi_cmd(SPI_CMD_SE);
  wait_ready();
  flash_read(TEST_ADDR, w, 8);
  uint32_t erased = 1;
  for (int i = 0; i < 8; i++) erased &= w[i] == 0xFFFFFFFFu;
  fails += esp_check("sector erase reads 0xFF", erased);

  for (uint32_t i = 0; i < 8; i++) pattern[i] = 0x11111111u * (i + 1) ^ 0xFFFF0000u;
  flash_program(TEST_ADDR, pattern, 8);
  flash_read(TEST_ADDR, w, 8);
  uint32_t same = 1;
  for (int i = 0; i < 8; i++) same &= w[i] == pattern[i];
  fails += esp_check("page program and read back", same);

  /* Programming again can only clear bits: the result is old AND new. */
  uint32_t mask[8];
  for (int i = 0; i < 8; i++) mask[i] = 0x0F0F0F0Fu;
  flash_program(TEST_ADDR, mask, 8);
  flash_read(TEST_ADDR, w, 8);
  same = 1;
  for (int i = 0; i < 8; i++) same &= w[i] == (pattern[i] & 0x0F0F0F0Fu);
  fails += esp_check("program only clears bits", same);

  /* The same bytes through the window: map flash 2 MB (p = 1) at 0x40200000. */
  SPI0_CTRL |= 1u << 17;
  DPORT_CACHE_CTRL = (DPORT_CACHE_CTRL & ~((7u << 16) | (3u << 24))) | (1u << 16) | (1u << 8);
  volatile uint32_t *window = (volatile uint32_t *)(0x40200000u + (TEST_ADDR - 0x200000u));
  same = 1;
  for (int i = 0; i < 8; i++) same &= window[i] == (pattern[i] & 0x0F0F0F0Fu);
  fails += esp_check("read through the flash window", same);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
