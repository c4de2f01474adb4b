/* ROM UART character functions (rom-internals §4.1) and rand/srand, called through their
   documented addresses. test/rom/uart.test.ts feeds UART0 RX and reads UART0/UART1 TX. */
#include "romtest.h"

void srand(uint32_t seed);
int rand(void);
void uartAttach(void);
void Uart_Init(uint32_t uart_no);
void uart_buff_switch(uint32_t uart_no);
uint32_t uart_rx_one_char(uint8_t *c);
uint8_t uart_rx_one_char_block(void);
void uart_tx_one_char(char c);

#define UART_DEV(off) REG(0x3FFFDE10 + (off))
#define UART1_CLKDIV REG(0x60000F14)
#define UART1_CONF0 REG(0x60000F20)
#define UART1_CONF1 REG(0x60000F24)

ENTRY {
  romtest_start();
  int r0 = rand();
  int r1 = rand();
  srand(42);
  int a = rand();
  int b = rand();
  srand(42);
  int c = rand();
  ets_printf("rand %d %d srand %d %d %d\n", r0, r1, a, b, c);
  uint8_t ch = 0x55;
  uint32_t st = uart_rx_one_char(&ch);
  ets_printf("rx empty %d %x\n", st, ch);
  ets_printf("ready\n");
  uint8_t first = uart_rx_one_char_block();
  while (uart_rx_one_char(&ch) != 0) {
  }
  ets_printf("got %c%c\n", first, ch);
  UART_DEV(0) = 9600;
  UART_DEV(32) = 0;
  uartAttach();
  ets_printf("attach %d %x %x %d\n", UART_DEV(0), UART_DEV(28), UART_DEV(32), UART_DEV(40));
  Uart_Init(1);
  ets_printf("uart1 %d %x %d\n", UART1_CLKDIV, UART1_CONF0, UART1_CONF1);
  uart_buff_switch(1);
  uart_tx_one_char('A');
  ets_printf("on uart1\n");
  uart_buff_switch(0);
  romtest_end();
}
