/* FRC1 and FRC2 as SDK code drives them: FRC1 counts down, auto-reloads and interrupts (INT 9);
   FRC2 counts up and interrupts at its alarm (INT 10). Intervals are measured with the wDev
   microsecond counter. */
#include "esp.h"

static volatile uint32_t frc1_irqs, frc1_last_us, frc2_irqs, frc2_count_at_irq, frc2_us;

static void frc1_isr(void) {
  frc1_irqs++;
  frc1_last_us = MICROS;
}

static void frc2_isr(void) {
  frc2_count_at_irq = FRC2_COUNT;
  frc2_us = MICROS;
  frc2_irqs++;
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  uint32_t fails = 0;
  esp_start_clocks();
  esp_irq_init();
  ets_printf("\ntimer test\n");

  /* FRC1 count-down at 80 MHz / 16 = 5 MHz: 100 µs = 500 counts. */
  FRC1_CTRL = FRC_ENABLE | FRC_DIV16;
  FRC1_LOAD = 1000000;
  uint32_t c0 = FRC1_COUNT;
  uint32_t t0 = MICROS;
  while (MICROS - t0 < 100) {
  }
  uint32_t c1 = FRC1_COUNT;
  ets_printf("frc1 counted down %u in 100 us\n", c0 - c1);
  fails += esp_check("frc1 count-down", c0 > c1 && c0 - c1 >= 495 && c0 - c1 <= 510);

  /* Auto-reload: LOAD 5000 at 5 MHz = an interrupt every millisecond. */
  esp_isr_attach(INUM_FRC1, frc1_isr);
  DPORT_EDGE_INT_ENABLE |= 1u << 1;
  esp_ints_on(1u << INUM_FRC1);
  FRC1_CTRL = FRC_ENABLE | FRC_AUTO_RELOAD | FRC_DIV16;
  uint32_t start = MICROS;
  FRC1_LOAD = 5000;
  for (;;) {
    esp_irq_disable();
    if (frc1_irqs >= 10) break;
    esp_wait_for_interrupt();
  }
  FRC1_CTRL = 0;
  esp_irq_enable();
  uint32_t took = frc1_last_us - start;
  ets_printf("frc1 10 interrupts in %u us\n", took);
  fails += esp_check("frc1 auto-reload interrupt", took >= 9998 && took <= 10002);

  /* FRC2 alarm at 80 MHz / 256 = 312.5 kHz: 3125 counts = 10 ms. */
  esp_isr_attach(INUM_FRC2, frc2_isr);
  DPORT_EDGE_INT_ENABLE |= 1u << 2;
  esp_ints_on(1u << INUM_FRC2);
  FRC2_CTRL = FRC_ENABLE | FRC_DIV256;
  FRC2_LOAD = 0;
  uint32_t alarm = FRC2_COUNT + 3125;
  start = MICROS;
  FRC2_ALARM = alarm;
  for (;;) {
    esp_irq_disable();
    if (frc2_irqs) break;
    esp_wait_for_interrupt();
  }
  esp_irq_enable();
  took = frc2_us - start;
  ets_printf("frc2 alarm after %u us, count %u (alarm %u)\n", took, frc2_count_at_irq, alarm);
  fails += esp_check("frc2 alarm", frc2_count_at_irq >= alarm && frc2_count_at_irq <= alarm + 1 &&
                                       took >= 9990 && took <= 10010);
  ets_printf("DONE %u failed\n", fails);
  for (;;) __asm__ volatile("waiti 0");
}
