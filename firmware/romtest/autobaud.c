/* The ROM's uart_baudrate_detect as Arduino's and NodeMCU's UART drivers use it (async = 1,
   polled) and as the ROM's download path does (async = 0). test/rom/autobaud.test.ts sends 0x55
   bytes at a host rate it chooses and reads the dividers printed. */
#include "romtest.h"

uint32_t uart_baudrate_detect(uint32_t uart, uint32_t async);

#define UART0_AUTOBAUD REG(0x60000018)
#define UART0_PULSE_NUM REG(0x60000030)

ENTRY {
  romtest_start();
  ets_printf("none %d autobaud %x\n", uart_baudrate_detect(0, 1), UART0_AUTOBAUD);
  ets_printf("ready\n");
  uint32_t div;
  while ((div = uart_baudrate_detect(0, 1)) == 0) ets_delay_us(1000);
  ets_printf("div %d autobaud %x edges>29 %d\n", div, UART0_AUTOBAUD, UART0_PULSE_NUM > 29);
  /* The ROM remembers it started: a second call measures nothing new. */
  ets_printf("again %d\n", uart_baudrate_detect(0, 1));
  /* A new measurement needs the caller to enable AUTOBAUD again (Arduino's
     uart_start_detect_baudrate); async = 0 then waits for it. */
  UART0_AUTOBAUD = 0x801;
  ets_printf("ready2\n");
  ets_printf("sync %d\n", uart_baudrate_detect(0, 0));
  romtest_end();
}
