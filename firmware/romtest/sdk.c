/* ROM services the NONOS SDK relies on at start-up (docs/real-firmware.md): string and memory
   functions reading from instruction memory, the PHY function table and the analog I2C helpers,
   lldesc chains, roundup2/multofup. */
#include "romtest.h"

uint32_t ets_strlen(const char *s);
char *ets_strcpy(char *d, const char *s);
int ets_strcmp(const char *a, const char *b);
int ets_strncmp(const char *a, const char *b, uint32_t n);
void *ets_memcpy(void *d, const void *s, uint32_t n);
int ets_memcmp(const void *a, const void *b, uint32_t n);
void **phy_get_romfuncs(void);
uint32_t rom_i2c_readReg(uint32_t block, uint32_t host, uint32_t reg);
uint32_t rom_i2c_readReg_Mask(uint32_t block, uint32_t host, uint32_t reg, uint32_t msb, uint32_t lsb);
void rom_i2c_writeReg(uint32_t block, uint32_t host, uint32_t reg, uint32_t data);
void rom_i2c_writeReg_Mask(uint32_t block, uint32_t host, uint32_t reg, uint32_t msb, uint32_t lsb,
                           uint32_t data);
void rom_i2c_writeReg_Mask_addr(void) __asm__("rom_i2c_writeReg_Mask");
uint32_t rom_mhz2ieee(uint32_t mhz, uint32_t flags);
uint32_t rom_get_noisefloor(void);
int32_t rom_txtone_linear_pwr(uint32_t shift, uint32_t samples);
struct lldesc { uint32_t ctrl; uint8_t *buf; struct lldesc *next; };
void lldesc_build_chain(void *desc, uint32_t desclen, void *blk, uint32_t buflen, uint32_t blksz,
                        uint32_t owner, struct lldesc **head, struct lldesc **tail);
struct lldesc *lldesc_num2link(struct lldesc *head, uint32_t n);
struct lldesc *lldesc_set_owner(struct lldesc *head, uint32_t n, uint32_t owner);
uint32_t roundup2(uint32_t x, uint32_t align);
uint32_t multofup(uint32_t x, uint32_t size);

/* In IRAM: only 32-bit loads work there, as in flash. */
static const char iram_text[] __attribute__((section(".text.iram_text"), aligned(4))) = "odd\tstring";

static char buf[32];
static struct lldesc desc[4];
static uint8_t blocks[100];

ENTRY {
  romtest_start();
  ets_printf("strlen %d ", ets_strlen(iram_text + 1));
  ets_strcpy(buf, iram_text + 1);
  ets_printf("strcpy %s cmp %d %d ", buf, ets_strcmp(buf, iram_text + 1),
             ets_strncmp(iram_text, "odx", 2));
  ets_memcpy(buf, iram_text + 3, 5);
  buf[5] = 0;
  ets_printf("memcpy [%s] %d\n", buf + 1, ets_memcmp(buf, iram_text + 3, 5));

  void **tab = phy_get_romfuncs();
  ets_printf("phy %p slot39 %d ", tab, tab[39] == (void *)rom_i2c_writeReg_Mask_addr);
  rom_i2c_writeReg(0x62, 1, 3, 0xA5);
  rom_i2c_writeReg_Mask(0x62, 1, 3, 5, 2, 0x6);
  ets_printf("i2c %x %x pll %d ", rom_i2c_readReg(0x62, 1, 3), rom_i2c_readReg_Mask(0x62, 1, 3, 5, 2),
             rom_i2c_readReg_Mask(0x62, 1, 7, 7, 7));
  ets_printf("ch %d %d %d nf %d\n", rom_mhz2ieee(2412, 0), rom_mhz2ieee(2472, 0), rom_mhz2ieee(2484, 0),
             rom_get_noisefloor());
  /* libphy's TX calibration: table slot +112 twice with (4, 10), then a division by the sum */
  int32_t (*txtone)(uint32_t, uint32_t) = (int32_t (*)(uint32_t, uint32_t))tab[28];
  int32_t p1 = txtone(4, 10), p2 = txtone(4, 10);
  ets_printf("txtone %d %d %d direct %d\n", p1, p2, (p1 << 8) / (p1 + p2), rom_txtone_linear_pwr(4, 10));

  struct lldesc *head, *tail;
  lldesc_build_chain(desc, sizeof desc, blocks, sizeof blocks, 32, 1, &head, &tail);
  ets_printf("chain %d %d %x %d %d ", head == &desc[0], tail == &desc[2], desc[1].ctrl,
             desc[1].buf - blocks, desc[2].next == 0);
  ets_printf("num2link %d ", lldesc_num2link(head, 2) == &desc[1]);
  ets_printf("owner %d %x\n", lldesc_set_owner(head, 2, 0) == &desc[1], desc[0].ctrl >> 31 | desc[2].ctrl >> 30);
  ets_printf("roundup2 %d %d multofup %d %d\n", roundup2(13, 4), roundup2(16, 8), multofup(1604, 256),
             multofup(512, 256));
  romtest_end();
}
