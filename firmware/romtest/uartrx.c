/* The ROM's INT 5 receiver (uart_rx_intr_handler, attached by uartAttach at reset): bytes
   arriving on UART0 land in UartDev's RX ring once INT 5 is unmasked. test/rom/uartrx.test.ts
   sends "abc", then "xyz" into a ring with one free byte. */
#include "romtest.h"

uint32_t ets_isr_unmask(uint32_t mask);
void ets_delay_us(uint32_t us);

#define UART_DEV(off) REG(0x3FFFDE10 + (off))
#define INT5_RECORD(i) REG(0x3FFFC278 - 8 * 5 + 4 * (i))

static void wait_written(uint32_t from, uint32_t n) {
  while (UART_DEV(32) - from < n) {
  }
}

ENTRY {
  romtest_start();
  ets_printf("int5 %x %x\n", INT5_RECORD(0), INT5_RECORD(1));
  uint32_t start = UART_DEV(32);
  ets_isr_unmask(1u << 5);
  ets_printf("ready\n");
  wait_written(start, 3);
  const uint8_t *ring = (const uint8_t *)UART_DEV(28);
  ets_printf("ring %c%c%c wr +%d\n", ring[0], ring[1], ring[2], UART_DEV(32) - UART_DEV(28));
  /* one free byte: the read pointer two bytes ahead of the write pointer */
  UART_DEV(36) = UART_DEV(32) + 2;
  uint32_t before = UART_DEV(32);
  ets_printf("full\n");
  wait_written(before, 1);
  ets_delay_us(5000); /* "y" and "z" arrive (0.1 ms apart at 115200 baud) and are dropped */
  ets_printf("kept %c wr +%d\n", ring[3], UART_DEV(32) - before);
  romtest_end();
}
