/* Shared definitions of the v8266 boot ROM (our own code; see docs/rom.md). */
#ifndef V8266_ROM_H
#define V8266_ROM_H

#include <stdarg.h>
#include <stdint.h>

/* A ROM function with a documented address: the stub there jumps to impl_<name>. */
#define IMPL(name) impl_##name

#define REG(addr) (*(volatile uint32_t *)(addr))

#define UART_BASE(n) ((n) ? 0x60000F00u : 0x60000000u)
#define UART_FIFO(n) REG(UART_BASE(n) + 0x00)
#define UART_INT_ENA(n) REG(UART_BASE(n) + 0x0C)
#define UART_INT_CLR(n) REG(UART_BASE(n) + 0x10)
#define UART_CLKDIV(n) REG(UART_BASE(n) + 0x14)
#define UART_AUTOBAUD(n) REG(UART_BASE(n) + 0x18)
#define UART_STATUS(n) REG(UART_BASE(n) + 0x1C)
#define UART_CONF0(n) REG(UART_BASE(n) + 0x20)
#define UART_CONF1(n) REG(UART_BASE(n) + 0x24)
#define UART_LOWPULSE(n) REG(UART_BASE(n) + 0x28)
#define UART_HIGHPULSE(n) REG(UART_BASE(n) + 0x2C)
#define UART_PULSE_NUM(n) REG(UART_BASE(n) + 0x30)

#define GPIO_OUT_W1TS REG(0x60000304)
#define GPIO_OUT_W1TC REG(0x60000308)
#define GPIO_ENABLE_W1TS REG(0x60000310)
#define GPIO_ENABLE_W1TC REG(0x60000314)
#define GPIO_IN REG(0x60000318)

#define IOMUX_U0TXD REG(0x60000818)
#define IOMUX_GPIO2 REG(0x60000838)

#define RTC_CTRL0 REG(0x60000700)
#define RTC_STATE1 REG(0x60000708)
#define RTC_RESET_CAUSE REG(0x60000714)
#define RTC_WAKE_FLAGS REG(0x60000718)

#define SPI0_CMD REG(0x60000200)
#define SPI0_ADDR REG(0x60000204)
#define SPI0_CTRL REG(0x60000208)
#define SPI0_RD_STATUS REG(0x60000210)
#define SPI0_W(i) REG(0x60000240 + 4 * (i))
#define SPI_CMD_READ (1u << 31)
#define SPI_CMD_WREN (1u << 30)
#define SPI_CMD_RDSR (1u << 27)
#define SPI_CMD_PP (1u << 25)
#define SPI_CMD_SE (1u << 24)
#define SPI_CMD_RES (1u << 20)
#define SPI_CTRL_ENABLE_AHB (1u << 17)
#define SPI_CTRL_WRSR_2B (1u << 22) /* WRSR sends two status bytes */

#define DPORT_CACHE_CTRL REG(0x3FF0000C)
#define DPORT_SPI_BUSY REG(0x3FF0020C) /* the 0x0C register through the 0x100 mirror */
#define DPORT_IRAM_BANKS REG(0x3FF00024)

struct flashchip {
  uint32_t device_id;
  uint32_t chip_size;
  uint32_t block_size;
  uint32_t sector_size;
  uint32_t page_size;
  uint32_t status_mask;
};
#define FLASHCHIP (*(struct flashchip *volatile *)0x3FFFC714)
#define CPU_MHZ REG(0x3FFFC704)

/*
 * One byte of a string or buffer, read through its aligned word. Firmware hands the ROM's string
 * and memory functions strings that live in flash (the NONOS SDK's printf passes its flash format
 * string to ets_strlen and copies it with ets_memcpy): the instruction bus only does 32-bit loads,
 * so the ROM reads sources a word at a time, as the chip's ROM evidently does.
 */
typedef uint32_t __attribute__((may_alias)) rom_word_t;
static inline uint32_t rd8(const void *p) {
  uint32_t a = (uint32_t)p;
  return (*(const volatile rom_word_t *)(a & ~3u) >> ((a & 3) * 8)) & 0xFF;
}

typedef void (*putc_fn)(char c);
extern putc_fn ets_putc1, ets_putc2;
extern uint32_t user_start_fptr;

int ets_printf(const char *fmt, ...);
void ets_uart_putc1(char c);
void uart_tx_one_char(char c);
void uartAttach(void);
void Uart_Init(uint32_t uart_no);
uint32_t ets_isr_mask(uint32_t mask);
int SPIRead(uint32_t addr, void *buf, uint32_t len);
int SPIReadModeCnfig(uint32_t mode);
void spi_flash_attach(void);
uint32_t rtc_get_reset_reason(void);
void *_xtos_set_exception_handler(uint32_t cause, void *fn);
void rom_fatal_exception_handler(void *frame, int cause);
void rom_unaligned_exception_handler(void *frame, int cause);
void rom_park(void) __attribute__((noreturn));

static inline uint32_t rsr_exccause(void) { uint32_t v; __asm__ volatile("rsr.exccause %0" : "=a"(v)); return v; }
static inline uint32_t rsr_epc1(void) { uint32_t v; __asm__ volatile("rsr.epc1 %0" : "=a"(v)); return v; }
static inline uint32_t rsr_epc2(void) { uint32_t v; __asm__ volatile("rsr.epc2 %0" : "=a"(v)); return v; }
static inline uint32_t rsr_epc3(void) { uint32_t v; __asm__ volatile("rsr.epc3 %0" : "=a"(v)); return v; }
static inline uint32_t rsr_excvaddr(void) { uint32_t v; __asm__ volatile("rsr.excvaddr %0" : "=a"(v)); return v; }
static inline uint32_t rsr_depc(void) { uint32_t v; __asm__ volatile("rsr.depc %0" : "=a"(v)); return v; }
static inline uint32_t rsr_ccount(void) { uint32_t v; __asm__ volatile("rsr.ccount %0" : "=a"(v)); return v; }

#endif
