/* GPIO as SDK code drives it: outputs read back through GPIO_IN, an input the host drives, the
   FLASH button's falling edge as a CPU interrupt (INT 4), and GPIO16 in the RTC block. */
#include "esp.h"

static volatile uint32_t gpio_irqs, gpio_status_seen;

static void gpio_isr(void) {
  uint32_t status = GPIO_STATUS;
  GPIO_STATUS_W1TC = status; /* level source: cleared at the block */
  gpio_status_seen |= status;
  gpio_irqs++;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t fails = 0;
  esp_start_clocks();
  esp_irq_init();
  ets_printf("\ngpio test\n");

  /* Outputs: GPIO4 high, GPIO5 low (both are function 0 = GPIO after reset). */
  GPIO_OUT_W1TS = 1u << 4;
  GPIO_OUT_W1TC = 1u << 5;
  GPIO_ENABLE_W1TS = (1u << 4) | (1u << 5);
  fails += esp_check("output gpio4=1 gpio5=0", ((GPIO_IN >> 4) & 3) == 1);
  GPIO_OUT = (GPIO_OUT & ~(1u << 4)) | (1u << 5);
  fails += esp_check("output gpio4=0 gpio5=1", ((GPIO_IN >> 4) & 3) == 2);

  /* Input: GPIO12 (pad MTDI, function 3 = GPIO), floating low until the host drives it. */
  IOMUX_MTDI = (IOMUX_MTDI & ~((3u << 4) | (1u << 8))) | (3u << 4);
  GPIO_ENABLE_W1TC = 1u << 12;
  fails += esp_check("input gpio12 low", (GPIO_IN & (1u << 12)) == 0);
  ets_printf("drive gpio12 high\n");
  while (!(GPIO_IN & (1u << 12))) ets_delay_us(100);
  fails += esp_check("input gpio12 high", 1);

  /* Edge interrupt: GPIO0 falling edge (the FLASH button) → INT 4. */
  GPIO_ENABLE_W1TC = 1u << 0;
  GPIO_STATUS_W1TC = 0xFFFF;
  GPIO_PIN(0) = GPIO_INT_NEGEDGE;
  esp_isr_attach(INUM_GPIO, gpio_isr);
  esp_ints_on(1u << INUM_GPIO);
  ets_printf("press flash\n");
  for (;;) {
    esp_irq_disable();
    if (gpio_irqs) break;
    esp_wait_for_interrupt();
  }
  esp_irq_enable();
  ets_printf("gpio interrupt status 0x%x\n", gpio_status_seen);
  fails += esp_check("falling edge interrupt", gpio_status_seen == 1);
  ets_printf("release flash\n");
  while (!(GPIO_IN & 1)) ets_delay_us(100);
  ets_delay_us(1000);
  fails += esp_check("no interrupt on the rising edge", gpio_irqs == 1);

  /* GPIO16: output low lights the carrier LED; the pad reads back through RTC_GPIO_IN. */
  RTC_GPIO16_OUT = 0;
  RTC_GPIO16_ENABLE = 1;
  fails += esp_check("gpio16 low", (RTC_GPIO16_IN & 1) == 0);
  RTC_GPIO16_OUT = 1;
  fails += esp_check("gpio16 high", (RTC_GPIO16_IN & 1) == 1);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
