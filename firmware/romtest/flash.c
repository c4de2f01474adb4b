/* The SPI flash API through the SPI0 controller (rom-internals §4.4): reads, writes, erases,
   the bound checks against flashchip->chip_size, SPIParamCfg. */
#include "romtest.h"

int SPIEraseChip(void);
int SPIUnlock(void);
int SPI_read_status(void *fc, uint32_t *out);
#define FLASHCHIP (*(uint32_t **)0x3FFFC714)

static uint32_t buf[64];

ENTRY {
  romtest_start();
  uint32_t *fc = FLASHCHIP;
  ets_printf("chip %x %x %x %x %x %x\n", fc[0], fc[1], fc[2], fc[3], fc[4], fc[5]);
  for (int i = 0; i < 64; i++) buf[i] = 0x01010101u * i;
  ets_printf("write %d ", SPIWrite(0x1000F0, buf, 256)); /* crosses a page boundary */
  for (int i = 0; i < 64; i++) buf[i] = 0;
  ets_printf("read %d %x %x %x ", SPIRead(0x1000F0, buf, 256), buf[0], buf[4], buf[63]);
  ets_printf("odd %d\n", SPIWrite(0x100200, buf, 6));
  ets_printf("bounds %d %d %d %d\n", SPIRead(0x3FFFFC, buf, 8), SPIEraseSector(1024), SPIEraseBlock(64),
             SPIEraseArea(0x100100, 0x1000));
  uint32_t st = 0xFFFF;
  ets_printf("status %d %x unlock %d\n", SPI_read_status(fc, &st), st, SPIUnlock());
  ets_printf("erase sector %d ", SPIEraseSector(0x100));
  SPIRead(0x1000F0, buf, 32);
  ets_printf("%x %x\n", buf[0], buf[4]);
  static uint32_t mark = 0x12345678;
  SPIWrite(0x110000, &mark, 4);
  SPIWrite(0x12E000, &mark, 4); /* just before the area */
  SPIWrite(0x131000, &mark, 4);
  SPIWrite(0x134000, &mark, 4);
  SPIWrite(0x135000, &mark, 4); /* just after it */
  ets_printf("area %d block %d\n", SPIEraseArea(0x12F000, 0x6000), SPIEraseBlock(0x11));
  while (!(REG(0x60000318) & 1)) { /* wait for the test to look at the flash: FLASH button up */
  }
  ets_printf("param %d ", SPIParamCfg(0x1440EF, 0x100000, 0x10000, 0x1000, 0x100, 0xFFFF));
  ets_printf("small %d ", SPIRead(0x100000, buf, 4));
  SPIParamCfg(0x1640EF, 0x400000, 0x10000, 0x1000, 0x100, 0xFFFF);
  ets_printf("chip erase %d\n", SPIEraseChip());
  romtest_end();
}
