/* The ROM's GPIO register helpers (firmware/rom/gpio.c) on the GPIO block. */
#include "romtest.h"

void gpio_register_set(uint32_t reg_id, uint32_t value);
uint32_t gpio_register_get(uint32_t reg_id);
void gpio_pin_intr_state_set(uint32_t i, uint32_t state);
uint32_t gpio_intr_pending(void);
void gpio_intr_ack(uint32_t mask);
void gpio_output_set(uint32_t set, uint32_t clear, uint32_t enable, uint32_t disable);

#define GPIO_PIN(i) (*(volatile uint32_t *)(0x60000328 + 4 * (i)))

ENTRY {
  romtest_start();
  /* the SDK's key driver: pin register = INT_TYPE 0 | open drain (bit 2) */
  gpio_register_set(0x28 + 4 * 4, 1u << 2);
  ets_printf("set %x get %x\n", GPIO_PIN(4), gpio_register_get(0x28 + 4 * 4));
  /* falling edge on GPIO4 keeps the driver bit */
  gpio_pin_intr_state_set(4, 2);
  ets_printf("state %x\n", GPIO_PIN(4));
  /* push-pull again (an open-drain high is released, no edge); GPIO4 as output, driven high,
     then low: the falling edge sets its STATUS bit */
  gpio_register_set(0x28 + 4 * 4, gpio_register_get(0x28 + 4 * 4) & ~(1u << 2));
  gpio_output_set(1u << 4, 0, 1u << 4, 0);
  gpio_output_set(0, 1u << 4, 0, 0);
  uint32_t pending = gpio_intr_pending();
  gpio_intr_ack(1u << 4);
  ets_printf("pending %x acked %x\n", pending, gpio_intr_pending());
  gpio_pin_intr_state_set(4, 0);
  ets_printf("off %x\n", GPIO_PIN(4));
  romtest_end();
}
