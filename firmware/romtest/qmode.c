/* The flash status writes under the read-mode set-up (rom-internals §4.2): SPI_write_status,
   Enable_QMode, Disable_QMode. Both QMode functions set SPI0 CTRL.WRSR_2B (bit 22) before they
   write, so status register 2 (QE, status bit 9) is written too: Disable_QMode's write-back of
   status register 1 clears QE. SPI_write_status does not wait for the chip afterwards, so
   RD_STATUS still holds the value written. Status registers are read with the flash's own RDSR
   (0x05) and RDSR2 (0x35) opcodes as user transactions. */
#include "romtest.h"

struct flashchip;
int SPI_write_status(struct flashchip *fc, uint32_t status);
int SPI_write_enable(struct flashchip *fc);
int Enable_QMode(struct flashchip *fc);
int Disable_QMode(struct flashchip *fc);
int SPIUnlock(void);
#define FLASHCHIP (*(struct flashchip **)0x3FFFC714)

#define SPI0_CMD REG(0x60000200)
#define SPI0_CTRL REG(0x60000208)
#define SPI0_RD_STATUS REG(0x60000210)
#define SPI0_USER REG(0x6000021C)
#define SPI0_USER1 REG(0x60000220)
#define SPI0_USER2 REG(0x60000224)
#define SPI0_W0 REG(0x60000240)
#define WRSR_2B (1u << 22)
#define wrsr_2b() ((SPI0_CTRL >> 22) & 1)

/* One status register through a user transaction: 8-bit opcode, 8 bits in. */
static uint32_t read_sr(uint32_t opcode) {
  uint32_t user = SPI0_USER, user1 = SPI0_USER1, user2 = SPI0_USER2;
  SPI0_USER = (1u << 31) | (1u << 28); /* command, MISO */
  SPI0_USER1 = 7u << 8;                /* MISO bit length - 1 */
  SPI0_USER2 = (7u << 28) | opcode;    /* command bit length - 1, opcode */
  SPI0_CMD = 1u << 18;
  while (SPI0_CMD) {
  }
  uint32_t v = SPI0_W0 & 0xFF;
  SPI0_USER = user;
  SPI0_USER1 = user1;
  SPI0_USER2 = user2;
  return v;
}
#define SR1 read_sr(0x05)
#define SR2 read_sr(0x35)

ENTRY {
  romtest_start();
  struct flashchip *fc = FLASHCHIP;
  ets_printf("boot 2b %d\n", wrsr_2b());
  SPI0_CTRL &= ~WRSR_2B;
  int r = Enable_QMode(fc);
  ets_printf("enable %d 2b %d sr %x %x\n", r, wrsr_2b(), SR1, SR2);
  SPI0_CTRL &= ~WRSR_2B;
  r = Disable_QMode(fc);
  ets_printf("disable %d 2b %d sr %x %x\n", r, wrsr_2b(), SR1, SR2);
  r = SPI_write_status(fc, 0x21C); /* no write-enable: the chip ignores it */
  ets_printf("no wel %d rd %x sr %x %x\n", r, SPI0_RD_STATUS, SR1, SR2);
  SPI_write_enable(fc);
  r = SPI_write_status(fc, 0x21C);
  ets_printf("wel %d rd %x sr %x %x\n", r, SPI0_RD_STATUS, SR1, SR2);
  r = SPIUnlock();
  ets_printf("unlock %d sr %x %x\n", r, SR1, SR2);
  romtest_end();
}
