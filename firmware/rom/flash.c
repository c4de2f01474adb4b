/* SPI flash access through the SPI0 controller, as the mask ROM drives it (docs/rom.md). */
#include "rom.h"

#define SPI_CMD_WRSR (1u << 26)
#define SPI_CMD_BE (1u << 23)
#define SPI_CMD_CE (1u << 22)

static void spi_cmd(uint32_t cmd) {
  SPI0_CMD = cmd;
  while (SPI0_CMD) {
  }
}


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

/*
 * The three flash primitives the SDK's own flash layer calls with its own copy of the flashchip
 * struct (RTOS SDK libmain `spi_flash.o`: SPIRead → SPI_read_data for the whole length, SPIWrite
 * → SPI_page_program once per page piece, SPIEraseSector → SPI_write_enable + SPI_sector_erase
 * at the byte address). The ROM's SPIRead/SPIWrite/SPIEraseSector are the same wrappers around
 * them on the ROM's flashchip. Checks and command sequences: esp8266-rom-internals §4.4, the
 * public C re-creation in sheinz/esp-open-bootrom (facts only).
 */

/* Whole words into a word-aligned buffer, 32 bytes per READ; up to 3 bytes past len are written. */
int IMPL(SPI_read_data)(struct flashchip *fc, uint32_t addr, uint32_t *dst, uint32_t len) {
  if (addr + len > fc->chip_size) return 1;
  impl_Wait_SPI_Idle(fc);
  while (len) {
    uint32_t n = len > 32 ? 32 : len;
    SPI0_ADDR = addr | (n << 24);
    spi_cmd(SPI_CMD_READ);
    for (uint32_t i = 0; i < (n + 3) >> 2; i++) *dst++ = SPI0_W(i);
    addr += n;
    len -= n;
  }
  return 0;
}

/* One page piece (it must not cross a page), 32 bytes per PP, each after its own WREN. */
int IMPL(SPI_page_program)(struct flashchip *fc, uint32_t addr, const uint32_t *src, uint32_t len) {
  if (len & 3) return 1;
  if (len + addr % fc->page_size > fc->page_size) return 1;
  impl_Wait_SPI_Idle(fc);
  while (len) {
    uint32_t n = len > 32 ? 32 : len;
    SPI0_ADDR = (addr & 0xFFFFFF) | (n << 24);
    for (uint32_t i = 0; i < n >> 2; i++) SPI0_W(i) = *src++;
    impl_SPI_write_enable(fc);
    spi_cmd(SPI_CMD_PP);
    impl_Wait_SPI_Idle(fc);
    addr += n;
    len -= n;
  }
  return 0;
}

/* SE at a 4 KB-aligned byte address; the caller sends WREN first. */
int IMPL(SPI_sector_erase)(struct flashchip *fc, uint32_t addr) {
  if (addr & 0xFFF) return 1;
  impl_Wait_SPI_Idle(fc);
  SPI0_ADDR = addr & 0xFFFFFF;
  spi_cmd(SPI_CMD_SE);
  impl_Wait_SPI_Idle(fc);
  return 0;
}

int IMPL(SPIRead)(uint32_t addr, uint32_t *buf, uint32_t len) {
  return impl_SPI_read_data(FLASHCHIP, addr, buf, len) ? 1 : 0;
}

/* The first page's rest, whole pages, the tail: one SPI_page_program each. */
int IMPL(SPIWrite)(uint32_t addr, const uint32_t *src, uint32_t len) {
  struct flashchip *fc = FLASHCHIP;
  if (addr + len > fc->chip_size) return 1;
  while (len) {
    uint32_t room = fc->page_size - addr % fc->page_size;
    uint32_t n = len < room ? len : room;
    if (impl_SPI_page_program(fc, addr, src, n)) return 1;
    src += n >> 2;
    addr += n;
    len -= n;
  }
  return 0;
}

int IMPL(SPIEraseSector)(uint32_t sector) {
  struct flashchip *fc = FLASHCHIP;
  if (sector >= fc->chip_size / fc->sector_size) return 1;
  if (impl_SPI_write_enable(fc)) return 1;
  return impl_SPI_sector_erase(fc, sector * fc->sector_size) ? 1 : 0;
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

/* Wakes the flash (RES) so a flash boot can read it, in slow read mode. */
void IMPL(spi_flash_attach)(void) {
  SPI0_CMD = SPI_CMD_RES;
  while (SPI0_CMD) {
  }
  SPIReadModeCnfig(5);
}

/* WRSR with `status` in RD_STATUS, unmasked; always 0. The mask ROM does not wait for the write
   to finish, so RD_STATUS still holds the value written when it returns. */
int IMPL(SPI_write_status)(struct flashchip *fc, uint32_t status) {
  impl_Wait_SPI_Idle(fc);
  SPI0_RD_STATUS = status;
  spi_cmd(SPI_CMD_WRSR);
  return 0;
}

/* QE on: two-byte status writes, write-enable, status 0x0200 (QE is status bit 9). */
int IMPL(Enable_QMode)(struct flashchip *fc) {
  SPI0_CTRL |= SPI_CTRL_WRSR_2B;
  if (impl_SPI_write_enable(fc)) return 1;
  return impl_SPI_write_status(fc, 0x200) ? 1 : 0;
}

/* QE off: two-byte status writes too, so writing back status register 1 alone zeroes register 2
   and with it QE. */
int IMPL(Disable_QMode)(struct flashchip *fc) {
  uint32_t status;
  SPI0_CTRL |= SPI_CTRL_WRSR_2B;
  if (impl_SPI_write_enable(fc)) return 1;
  impl_SPI_read_status(fc, &status);
  return impl_SPI_write_status(fc, status & 0xFF) ? 1 : 0;
}

/* Read mode from an image header (rom-internals §4.2): clear the mode bits, set them, 0. */
int IMPL(SPIReadModeCnfig)(uint32_t mode) {
  static const uint32_t bits[] = {0x01002000, 0x00102000, 0x00802000, 0x00006000, 0x00002000, 0};
  struct flashchip *fc = FLASHCHIP;
  SPI0_CTRL &= 0xFE6F9FFF;
  if (mode < 2) impl_Enable_QMode(fc);
  else impl_Disable_QMode(fc);
  SPI0_CTRL |= bits[mode < 5 ? mode : 5];
  return 0;
}

int IMPL(SPIUnlock)(void) {
  struct flashchip *fc = FLASHCHIP;
  impl_SPI_write_enable(fc);
  return impl_SPI_write_status(fc, 0) ? 1 : 0;
}

int IMPL(SPILock)(void) {
  struct flashchip *fc = FLASHCHIP;
  impl_SPI_write_enable(fc);
  return impl_SPI_write_status(fc, 0x1C) ? 1 : 0;
}

int IMPL(SPIEraseBlock)(uint32_t block) {
  struct flashchip *fc = FLASHCHIP;
  if (block >= fc->chip_size / fc->block_size) return 1;
  impl_SPI_write_enable(fc);
  SPI0_ADDR = (block * fc->block_size) & 0xFFFFFF;
  spi_cmd(SPI_CMD_BE);
  impl_Wait_SPI_Idle(fc);
  return 0;
}

int IMPL(SPIEraseChip)(void) {
  struct flashchip *fc = FLASHCHIP;
  impl_SPI_write_enable(fc);
  spi_cmd(SPI_CMD_CE);
  impl_Wait_SPI_Idle(fc);
  return 0;
}

/* Slow read mode, unlock, then head sectors up to a block boundary, whole blocks, tail sectors. */
int IMPL(SPIEraseArea)(uint32_t start, uint32_t len) {
  struct flashchip *fc = FLASHCHIP;
  if (start + len > fc->chip_size || start % fc->sector_size) return 1;
  impl_SPIReadModeCnfig(5);
  if (impl_SPIUnlock()) return 1;
  uint32_t sector = start / fc->sector_size;
  uint32_t count = (len + fc->sector_size - 1) / fc->sector_size;
  uint32_t per_block = fc->block_size / fc->sector_size;
  while (count && sector % per_block) {
    if (impl_SPIEraseSector(sector++)) return 1;
    count--;
  }
  while (count >= per_block) {
    if (impl_SPIEraseBlock(sector / per_block)) return 1;
    sector += per_block;
    count -= per_block;
  }
  while (count--)
    if (impl_SPIEraseSector(sector++)) return 1;
  return 0;
}
