/* SPI flash access through the SPI0 controller, as the mask ROM drives it (docs/rom.md). */
#include "rom.h"

int IMPL(SPI_read_status)(struct flashchip *fc, uint32_t *out) {
  uint32_t v;
  do {
    SPI0_RD_STATUS = 0;
    SPI0_CMD = SPI_CMD_RDSR;
    while (SPI0_CMD) {
    }
    v = SPI0_RD_STATUS & fc->status_mask;
  } while (v & 1);
  if (out) *out = v;
  return 0;
}

int IMPL(Wait_SPI_Idle)(struct flashchip *fc) {
  while (DPORT_SPI_BUSY & (1u << 9)) {
  }
  return impl_SPI_read_status(fc, 0);
}

int IMPL(SPI_write_enable)(struct flashchip *fc) {
  impl_Wait_SPI_Idle(fc);
  SPI0_CMD = SPI_CMD_WREN;
  while (SPI0_CMD) {
  }
  uint32_t status;
  do {
    SPI0_RD_STATUS = 0;
    SPI0_CMD = SPI_CMD_RDSR;
    while (SPI0_CMD) {
    }
    status = SPI0_RD_STATUS & fc->status_mask;
  } while (!(status & 2));
  return 0;
}

/* Reads whole words into a word-aligned buffer, 32 bytes per command. */
int IMPL(SPIRead)(uint32_t addr, uint32_t *buf, uint32_t len) {
  struct flashchip *fc = FLASHCHIP;
  if (addr + len > fc->chip_size) return 1;
  while (len) {
    uint32_t n = len > 32 ? 32 : len;
    impl_Wait_SPI_Idle(fc);
    SPI0_ADDR = (addr & 0xFFFFFF) | (n << 24);
    SPI0_CMD = SPI_CMD_READ;
    while (SPI0_CMD) {
    }
    for (uint32_t i = 0; i < (n + 3) >> 2; i++) *buf++ = SPI0_W(i);
    addr += n;
    len -= n;
  }
  return 0;
}

/* Page program in 32-byte pieces, split at page boundaries; src and len word-granular. */
int IMPL(SPIWrite)(uint32_t addr, const uint32_t *src, uint32_t len) {
  struct flashchip *fc = FLASHCHIP;
  if (addr + len > fc->chip_size || (len & 3)) return 1;
  while (len) {
    uint32_t room = fc->page_size - (addr % fc->page_size);
    uint32_t n = len < room ? len : room;
    if (n > 32) n = 32;
    for (uint32_t i = 0; i < n >> 2; i++) SPI0_W(i) = *src++;
    impl_SPI_write_enable(fc);
    SPI0_ADDR = (addr & 0xFFFFFF) | (n << 24);
    SPI0_CMD = SPI_CMD_PP;
    while (SPI0_CMD) {
    }
    impl_Wait_SPI_Idle(fc);
    addr += n;
    len -= n;
  }
  return 0;
}

int IMPL(SPIEraseSector)(uint32_t sector) {
  struct flashchip *fc = FLASHCHIP;
  if (sector >= fc->chip_size / fc->sector_size) return 1;
  impl_SPI_write_enable(fc);
  impl_Wait_SPI_Idle(fc);
  SPI0_ADDR = (sector * fc->sector_size) & 0xFFFFFF;
  SPI0_CMD = SPI_CMD_SE;
  while (SPI0_CMD) {
  }
  impl_Wait_SPI_Idle(fc);
  return 0;
}

int IMPL(SPIParamCfg)(uint32_t id, uint32_t size, uint32_t block, uint32_t sector, uint32_t page,
                      uint32_t mask) {
  struct flashchip *fc = FLASHCHIP;
  fc->device_id = id;
  fc->chip_size = size;
  fc->block_size = block;
  fc->sector_size = sector;
  fc->page_size = page;
  fc->status_mask = mask;
  return 0;
}

/* Maps 1 MB of flash at 0x40200000: map = odd megabyte, p = flash address bits 21..23. */
void IMPL(Cache_Read_Enable)(uint32_t map, uint32_t p, uint32_t v) {
  while (DPORT_CACHE_CTRL & (1u << 8)) DPORT_CACHE_CTRL &= ~(1u << 8);
  SPI0_CTRL &= ~SPI_CTRL_ENABLE_AHB;
  DPORT_CACHE_CTRL &= ~1u;
  DPORT_CACHE_CTRL |= 1u;
  while (!(DPORT_CACHE_CTRL & 2u)) {
  }
  DPORT_CACHE_CTRL &= ~1u;
  SPI0_CTRL |= SPI_CTRL_ENABLE_AHB;
  uint32_t ctrl = DPORT_CACHE_CTRL & ~((3u << 24) | (7u << 16) | (1u << 26));
  if (map == 1) ctrl |= 1u << 25;
  else if (map >= 2) ctrl |= 1u << 24;
  ctrl |= (p << 16) | (v << 26);
  DPORT_CACHE_CTRL = ctrl;
  DPORT_IRAM_BANKS |= v ? 0x18 : 0x08;
  DPORT_CACHE_CTRL |= 1u << 8;
  while (!(DPORT_CACHE_CTRL & (1u << 8))) {
  }
}

void IMPL(Cache_Read_Disable)(void) {
  while (DPORT_CACHE_CTRL & (1u << 8)) DPORT_CACHE_CTRL &= ~(1u << 8);
  SPI0_CTRL &= ~SPI_CTRL_ENABLE_AHB;
  DPORT_CACHE_CTRL &= ~1u;
  DPORT_CACHE_CTRL |= 1u;
  while (!(DPORT_CACHE_CTRL & 2u)) {
  }
  DPORT_CACHE_CTRL &= ~1u;
}

/* Wakes the flash (RES) so a flash boot can read it. */
void IMPL(spi_flash_attach)(void) {
  SPI0_CMD = SPI_CMD_RES;
  while (SPI0_CMD) {
  }
}
