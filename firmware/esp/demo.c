/* The default board demo. The LED on GPIO2 blinks at 1 Hz from the FRC1 timer interrupt; serial
   input is echoed from the UART RX interrupt; the FLASH button (GPIO0, falling edge) is reported
   and toggles the GPIO16 LED; boots are counted in RTC memory (survives resets) and in flash
   (survives power cycles). Between events the CPU sleeps in WAITI, so an idle demo costs the
   host almost nothing. */
#include "esp.h"

#define RTC_MAGIC 0x56383236u /* "V826" */
#define COUNTER_SECTOR 0x100  /* flash offset 1 MB */
#define BLINK_HALF_PERIOD 156250u /* FRC1 ticks at 80 MHz / 256 = 312.5 kHz: 0.5 s */

static volatile uint32_t button_events;
static uint32_t led_on;

static uint32_t flash_boot_count(void) {
  uint32_t words[2];
  SPIRead(COUNTER_SECTOR * 0x1000, words, sizeof words);
  uint32_t count = words[0] == RTC_MAGIC ? words[1] + 1 : 1;
  words[0] = RTC_MAGIC;
  words[1] = count;
  SPIEraseSector(COUNTER_SECTOR);
  SPIWrite(COUNTER_SECTOR * 0x1000, words, sizeof words);
  return count;
}

static uint32_t rtc_boot_count(void) {
  uint32_t count = RTC_USER_MEM[0] == RTC_MAGIC ? RTC_USER_MEM[1] + 1 : 1;
  RTC_USER_MEM[0] = RTC_MAGIC;
  RTC_USER_MEM[1] = count;
  return count;
}

/* FRC1 reached 0 (every 0.5 s, auto-reload): toggle the LED (active low). */
static void blink_isr(void) {
  led_on ^= 1;
  if (led_on) GPIO_OUT_W1TC = 1u << 2;
  else GPIO_OUT_W1TS = 1u << 2;
}

/* Bytes arrived: echo them (the TX FIFO holds 128, the host types slower than 115200 baud). */
static void uart_isr(void) {
  while (uart0_rx_count()) {
    uint32_t b = UART0_FIFO & 0xFF;
    while (uart0_tx_count() >= 127) {
    }
    UART0_FIFO = b;
  }
  UART0_INT_CLR = 0x1FF;
}

static void gpio_isr(void) {
  uint32_t status = GPIO_STATUS;
  GPIO_STATUS_W1TC = status;
  if (status & 1) button_events++;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  esp_irq_init();
  uint32_t flash_boots = flash_boot_count();
  uint32_t rtc_boots = rtc_boot_count();
  ets_printf("\nv8266 demo: boot %u (flash), %u since power-on (rtc)\n", flash_boots, rtc_boots);

  /* LEDs: GPIO2 back to the GPIO function (the ROM gave it to U0TXD_BK), off before it drives;
     GPIO16 through the RTC block, off. */
  IOMUX_GPIO2 &= ~((3u << 4) | (1u << 8));
  GPIO_OUT_W1TS = 1u << 2;
  GPIO_ENABLE_W1TS = 1u << 2;
  RTC_GPIO16_OUT = 1;
  RTC_GPIO16_ENABLE = 1;

  /* FLASH button: GPIO0 input, interrupt on the falling edge. */
  GPIO_ENABLE_W1TC = 1u << 0;
  GPIO_STATUS_W1TC = 0xFFFF;
  GPIO_PIN(0) = GPIO_INT_NEGEDGE;
  esp_isr_attach(INUM_GPIO, gpio_isr);

  /* Serial: an interrupt for every received byte. */
  UART0_CONF1 = (UART0_CONF1 & ~0x7Fu) | 1;
  UART0_INT_CLR = 0x1FF;
  UART0_INT_ENA = UART_RXFIFO_FULL_INT;
  esp_isr_attach(INUM_UART, uart_isr);

  /* Blink: FRC1 counts down from 0.5 s at 312.5 kHz, reloads, and raises INT 9 (edge). */
  esp_isr_attach(INUM_FRC1, blink_isr);
  DPORT_EDGE_INT_ENABLE |= 1u << 1;
  FRC1_CTRL = FRC_ENABLE | FRC_AUTO_RELOAD | FRC_DIV256;
  FRC1_LOAD = BLINK_HALF_PERIOD;
  esp_ints_on((1u << INUM_GPIO) | (1u << INUM_UART) | (1u << INUM_FRC1));

  ets_printf("v8266 demo ready: LED GPIO2 blinks at 1 Hz, type to echo, press FLASH\n");
  uint32_t reported = 0;
  for (;;) {
    esp_irq_disable();
    if (button_events == reported) {
      esp_wait_for_interrupt(); /* sleeps with interrupts on; the handler runs, then we loop */
      continue;
    }
    reported = button_events;
    esp_irq_enable();
    RTC_GPIO16_OUT ^= 1;
    ets_printf("FLASH button pressed (%u)\n", reported);
  }
}
