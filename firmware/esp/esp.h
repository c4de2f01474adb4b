/* What our ESP8266 programs share: registers (facts: esp8266-hw.md §5), ROM functions, start-up,
   and our own interrupt plumbing (vectors.S, irq.c). */
#ifndef V8266_ESP_H
#define V8266_ESP_H
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
/* UART0 (0x60000000) */
#define UART0_FIFO REG(0x60000000)
#define UART0_INT_RAW REG(0x60000004)
#define UART0_INT_ST REG(0x60000008)
#define UART0_INT_ENA REG(0x6000000C)
#define UART0_INT_CLR REG(0x60000010)
#define UART0_CLKDIV REG(0x60000014)
#define UART0_STATUS REG(0x6000001C)
#define UART0_CONF1 REG(0x60000024)
#define UART_RXFIFO_FULL_INT (1u << 0)
/* SPI0, the flash controller (0x60000200) */
#define SPI0_CMD REG(0x60000200)
#define SPI0_ADDR REG(0x60000204)
#define SPI0_CTRL REG(0x60000208)
#define SPI0_RD_STATUS REG(0x60000210)
#define SPI0_W(n) REG(0x60000240 + 4 * (n))
#define SPI_CMD_READ (1u << 31)
#define SPI_CMD_WREN (1u << 30)
#define SPI_CMD_RDID (1u << 28)
#define SPI_CMD_RDSR (1u << 27)
#define SPI_CMD_PP (1u << 25)
#define SPI_CMD_SE (1u << 24)
/* GPIO (0x60000300) */
#define GPIO_OUT REG(0x60000300)
#define GPIO_OUT_W1TS REG(0x60000304)
#define GPIO_OUT_W1TC REG(0x60000308)
#define GPIO_ENABLE_W1TS REG(0x60000310)
#define GPIO_ENABLE_W1TC REG(0x60000314)
#define GPIO_IN REG(0x60000318)
#define GPIO_STATUS REG(0x6000031C)
#define GPIO_STATUS_W1TC REG(0x60000324)
#define GPIO_PIN(n) REG(0x60000328 + 4 * (n))
#define GPIO_INT_NEGEDGE (2u << 7)
/* FRC1 / FRC2 (0x60000600) */
#define FRC1_LOAD REG(0x60000600)
#define FRC1_COUNT REG(0x60000604)
#define FRC1_CTRL REG(0x60000608)
#define FRC1_INT REG(0x6000060C)
#define FRC2_LOAD REG(0x60000620)
#define FRC2_COUNT REG(0x60000624)
#define FRC2_CTRL REG(0x60000628)
#define FRC2_INT REG(0x6000062C)
#define FRC2_ALARM REG(0x60000630)
#define FRC_ENABLE (1u << 7)
#define FRC_AUTO_RELOAD (1u << 6)
#define FRC_DIV16 (1u << 2)
#define FRC_DIV256 (2u << 2)
/* RTC (0x60000700), GPIO16 in it, RTC user memory (0x60001200) */
#define RTC_CTRL0 REG(0x60000700)
#define RTC_RESET_CAUSE REG(0x60000714)
#define RTC_GPIO16_OUT REG(0x60000768)
#define RTC_GPIO16_ENABLE REG(0x60000774)
#define RTC_GPIO16_IN REG(0x6000078C)
#define RTC_USER_MEM ((volatile uint32_t *)0x60001200)
/* IO MUX (0x60000800) */
#define IOMUX_MTDI REG(0x60000804) /* GPIO12 */
#define IOMUX_GPIO0 REG(0x60000834)
#define IOMUX_GPIO2 REG(0x60000838)
#define IOMUX_GPIO4 REG(0x6000083C)
#define IOMUX_GPIO5 REG(0x60000840)
/* Watchdog (0x60000900) */
#define WDT_CTL REG(0x60000900)
#define WDT_OP REG(0x60000904)
#define WDT_OP_ND REG(0x60000908)
#define WDT_RST REG(0x60000914)
/* Analog I2C host 4, DPORT, wDev µs counter */
#define ANALOG_I2C_HOST4 REG(0x60000D10)
#define DPORT_NMI_INT REG(0x3FF00000)
#define DPORT_EDGE_INT_ENABLE REG(0x3FF00004)
#define DPORT_CACHE_CTRL REG(0x3FF0000C)
#define MICROS REG(0x3FF20C00)

/* CPU interrupt numbers (esp8266-hw.md §6). */
#define INUM_GPIO 4
#define INUM_UART 5
#define INUM_WDT 8
#define INUM_FRC1 9
#define INUM_FRC2 10

int ets_printf(const char *fmt, ...);
void ets_delay_us(uint32_t us);
void uart_div_modify(uint32_t uart, uint32_t div);
void ets_update_cpu_frequency(uint32_t mhz);
int SPIRead(uint32_t addr, void *buf, uint32_t len);
int SPIWrite(uint32_t addr, const void *buf, uint32_t len);
int SPIEraseSector(uint32_t sector);

/* irq.c + vectors.S */
typedef void (*esp_isr_t)(void);
void esp_irq_init(void);
void esp_isr_attach(uint32_t n, esp_isr_t handler);
void esp_ints_on(uint32_t mask);
/* The NMI (level 3, vector +0x20): runs whatever PS.INTLEVEL says; the handler must clear its
   source and must not call ROM functions that the interrupted code may be inside. */
void esp_nmi_attach(esp_isr_t handler);

static inline uint32_t uart0_rx_count(void) { return UART0_STATUS & 0xFF; }
static inline uint32_t uart0_tx_count(void) { return (UART0_STATUS >> 16) & 0xFF; }
static inline void uart0_drain(void) {
  while (uart0_tx_count()) {
  }
}

/* What the SDK does first: start the PLL (i2c_bbpll, block 0x67 on host 4), wait for the ROM's
   last byte to leave, then switch UART0 to 115200 on the 80 MHz APB. */
static inline void esp_start_clocks(void) {
  ANALOG_I2C_HOST4 = 0x67 | (1u << 8) | (0x88u << 16) | (1u << 24);
  ets_update_cpu_frequency(80);
  uart0_drain();
  uart_div_modify(0, 80000000 / 115200);
}

/* Interrupts off (level 15) / on (level 0); WAITI 0 sleeps with them on until one is taken. */
static inline void esp_irq_disable(void) { __asm__ volatile("rsil a15, 15" ::: "a15", "memory"); }
static inline void esp_irq_enable(void) { __asm__ volatile("rsil a15, 0" ::: "a15", "memory"); }
/* Sleep until an interrupt; call with interrupts disabled after checking for work (no lost wake). */
static inline void esp_wait_for_interrupt(void) { __asm__ volatile("waiti 0" ::: "memory"); }

/* Test verdicts: one line each, "PASS name" or "FAIL name". */
static inline int esp_check(const char *name, int ok) {
  ets_printf("%s %s\n", ok ? "PASS" : "FAIL", name);
  return ok ? 0 : 1;
}
#endif
