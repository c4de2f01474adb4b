/* UART0 as SDK code drives it: baud switches through CLKDIV, TX FIFO counts, RX by polling the
   FIFO count (echoing the host's bytes) and RX by interrupt. Prints PASS/FAIL lines. */
#include "esp.h"

static volatile uint32_t rx_len;
static volatile char rx_buf[16];

static void uart_isr(void) {
  while (uart0_rx_count()) {
    uint32_t b = UART0_FIFO & 0xFF;
    if (rx_len < sizeof rx_buf - 1) rx_buf[rx_len++] = (char)b;
  }
  UART0_INT_CLR = 0x1FF;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t fails = 0;
  esp_start_clocks();
  esp_irq_init();
  ets_printf("\nuart test\n");
  fails += esp_check("clkdiv 115200", UART0_CLKDIV == 80000000 / 115200);

  /* Baud switch: wait until the FIFO is empty, change the divider, print, and back. */
  uart0_drain();
  UART0_CLKDIV = 80000000 / 9600;
  ets_printf("at 9600 baud\n");
  uart0_drain();
  UART0_CLKDIV = 80000000 / 115200;
  fails += esp_check("baud switch", UART0_CLKDIV == 694);

  /* TX FIFO: 20 bytes written back to back are all still queued right after. */
  uart0_drain();
  for (int i = 0; i < 20; i++) UART0_FIFO = 'a' + i;
  uint32_t queued = uart0_tx_count();
  uart0_drain();
  ets_printf("\ntx fifo count %u\n", queued);
  fails += esp_check("tx fifo count", queued == 20);

  /* RX by polling: wait for five bytes in the FIFO, then echo them. */
  ets_printf("send 5 bytes\n");
  while (uart0_rx_count() < 5) {
  }
  uint32_t got = uart0_rx_count();
  ets_printf("rx fifo count %u, echo: ", got);
  while (uart0_rx_count()) UART0_FIFO = UART0_FIFO & 0xFF;
  ets_printf("\n");
  fails += esp_check("rx fifo count", got == 5);

  /* RX by interrupt: RXFIFO_FULL with threshold 1 on CPU INT 5. */
  UART0_CONF1 = (UART0_CONF1 & ~0x7Fu) | 1;
  UART0_INT_CLR = 0x1FF;
  UART0_INT_ENA = UART_RXFIFO_FULL_INT;
  esp_isr_attach(INUM_UART, uart_isr);
  esp_ints_on(1u << INUM_UART);
  ets_printf("send 3 bytes for the interrupt\n");
  for (;;) {
    esp_irq_disable();
    if (rx_len >= 3) break;
    esp_wait_for_interrupt();
  }
  esp_irq_enable();
  rx_buf[rx_len] = 0;
  ets_printf("rx interrupt got \"%s\"\n", (const char *)rx_buf);
  fails += esp_check("rx interrupt", rx_len == 3);
  fails += esp_check("rx interrupt cleared", (UART0_INT_ST & UART_RXFIFO_FULL_INT) == 0);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
