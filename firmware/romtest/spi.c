/* The flash primitives RTOS SDK libmain calls with its own flashchip copy (SPI_read_data,
   SPI_page_program, SPI_sector_erase; rom-internals §4.4) on the NOR model: WEL, AND-programming,
   the page/alignment refusals; and the GPIO wake-up helpers' register effects. */
#include "romtest.h"

struct flashchip {
  uint32_t id, chip_size, block, sector, page, status_mask;
};
int SPI_read_data(struct flashchip *fc, uint32_t addr, uint32_t *dst, uint32_t len);
int SPI_page_program(struct flashchip *fc, uint32_t addr, const uint32_t *src, uint32_t len);
int SPI_sector_erase(struct flashchip *fc, uint32_t addr);
int SPI_write_enable(struct flashchip *fc);
int SPI_read_status(struct flashchip *fc, uint32_t *out);
void gpio_pin_wakeup_enable(uint32_t pin, uint32_t type);
void gpio_pin_wakeup_disable(void);
#define GPIO_PIN(n) REG(0x60000328 + 4 * (n))

/* The SDK's own copy, as libmain keeps it in .data (1 MB here: the bound is this struct's). */
static struct flashchip chip = {0x1640EF, 0x100000, 0x10000, 0x1000, 0x100, 0xFFFF};
static uint32_t buf[16];

static uint32_t status(void) {
  uint32_t st = 0xFFFF;
  SPI_read_status(&chip, &st);
  return st;
}

ENTRY {
  romtest_start();
  static const uint32_t src[10] = {0x12345678, 0x9ABCDEF0, 2, 3, 4, 5, 6, 7, 8, 0xCAFEF00D};
  ets_printf("wren %d st %x ", SPI_write_enable(&chip), status());
  ets_printf("se %d st %x\n", SPI_sector_erase(&chip, 0xF0000), status());
  ets_printf("pp %d st %x\n", SPI_page_program(&chip, 0xF0010, src, 40), status()); /* 32 + 8 */
  for (int i = 0; i < 16; i++) buf[i] = 0x55555555;
  ets_printf("rd %d %x %x %x %x\n", SPI_read_data(&chip, 0xF0010, buf, 37), buf[0], buf[8], buf[9] & 0xFF, buf[10]);
  static const uint32_t mask = 0x0F0F0F0F;
  ets_printf("and %d ", SPI_page_program(&chip, 0xF0010, &mask, 4));
  SPI_read_data(&chip, 0xF0010, buf, 4);
  ets_printf("%x\n", buf[0]);
  SPI_write_enable(&chip);
  ets_printf("refused %d %d %d %d ", SPI_page_program(&chip, 0xF0100, src, 6), /* length */
             SPI_page_program(&chip, 0xF01F8, src, 16),                         /* crosses a page */
             SPI_sector_erase(&chip, 0xF0800),                                  /* unaligned */
             SPI_read_data(&chip, 0xFFFFC, buf, 8));                            /* past chip_size */
  ets_printf("st %x\n", status()); /* the refusals sent nothing: WEL still set */
  SPI_sector_erase(&chip, 0xF0000); /* uses up the WEL */
  SPI_page_program(&chip, 0xF0000, src, 4);
  ets_printf("no wren: se %d ", SPI_sector_erase(&chip, 0xF0000)); /* the chip ignores SE */
  SPI_read_data(&chip, 0xF0000, buf, 4);
  ets_printf("%x\n", buf[0]);

  GPIO_PIN(13) = 1u << 2;        /* open drain, kept */
  GPIO_PIN(4) = 3u << 7;         /* an interrupt type without wake-up, kept by disable */
  gpio_pin_wakeup_enable(13, 4); /* low level */
  gpio_pin_wakeup_enable(2, 5);  /* high level */
  ets_printf("wake %x %x %x ", GPIO_PIN(13), GPIO_PIN(2), GPIO_PIN(4));
  gpio_pin_wakeup_disable();
  ets_printf("off %x %x %x\n", GPIO_PIN(13), GPIO_PIN(2), GPIO_PIN(4));
  romtest_end();
}
