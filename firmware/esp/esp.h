/* What our ESP8266 programs share: registers (facts: esp8266-hw.md §5), ROM functions, start-up. */
#ifndef V8266_ESP_H
#define V8266_ESP_H
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
#define UART0_FIFO REG(0x60000000)
#define UART0_STATUS REG(0x6000001C)
#define GPIO_OUT_W1TS REG(0x60000304)
#define GPIO_OUT_W1TC REG(0x60000308)
#define GPIO_ENABLE_W1TS REG(0x60000310)
#define GPIO_IN REG(0x60000318)
#define IOMUX_GPIO2 REG(0x60000838)
#define ANALOG_I2C_HOST4 REG(0x60000D10)
#define MICROS REG(0x3FF20C00)
#define RTC_USER_MEM ((volatile uint32_t *)0x60001200)

int ets_printf(const char *fmt, ...);
void uart_div_modify(uint32_t uart, uint32_t div);
void ets_update_cpu_frequency(uint32_t mhz);
int SPIRead(uint32_t addr, void *buf, uint32_t len);
int SPIWrite(uint32_t addr, const void *buf, uint32_t len);
int SPIEraseSector(uint32_t sector);

/* What the SDK does first: start the PLL (i2c_bbpll, block 0x67 on host 4), wait for the ROM's
   last byte to leave, then switch UART0 to 115200 on the 80 MHz APB. */
static inline void esp_start_clocks(void) {
  ANALOG_I2C_HOST4 = 0x67 | (1u << 8) | (0x88u << 16) | (1u << 24);
  ets_update_cpu_frequency(80);
  while ((UART0_STATUS >> 16) & 0xFF) {
  }
  uart_div_modify(0, 80000000 / 115200);
}

static inline uint32_t uart0_rx_count(void) { return UART0_STATUS & 0xFF; }
#endif
