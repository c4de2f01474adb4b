/*
 * The ROM's GPIO register helpers (esp8266-hw.md §7.1; prototypes and meanings from the SDK's
 * public include/gpio.h and eagle_soc.h). NONOS SDK 2.x/3.x libdriver (its key driver) and Arduino
 * 2.4.2 call gpio_register_set and gpio_pin_intr_state_set; NodeMCU's GPIO interrupts call the
 * latter. Registers are offsets in the GPIO block at 0x60000300: STATUS 0x1C, STATUS_W1TC 0x24,
 * GPIO_PINn 0x28 + 4n with the interrupt type in bits 9:7.
 */
#include "rom.h"

#define GPIO_BASE 0x60000300u
#define GPIO_STATUS REG(GPIO_BASE + 0x1C)
#define GPIO_STATUS_W1TC REG(GPIO_BASE + 0x24)
#define GPIO_PIN(i) REG(GPIO_BASE + 0x28 + 4u * (i))
#define GPIO_PIN_INT_TYPE_MASK 0x380u
#define GPIO_PIN_INT_TYPE_SHIFT 7

/* "Set the specified GPIO register to the specified value": reg_id is the byte offset in the
   block, as the SDK's GPIO_PIN_ADDR(i) = 0x28 + 4i passes it. */
void IMPL(gpio_register_set)(uint32_t reg_id, uint32_t value) { REG(GPIO_BASE + (reg_id & 0xFC)) = value; }

uint32_t IMPL(gpio_register_get)(uint32_t reg_id) { return REG(GPIO_BASE + (reg_id & 0xFC)); }

/* Pin i's interrupt type (GPIO_INT_TYPE: 0 off, 1 rising, 2 falling, 3 both, 4 low, 5 high);
   the other bits of its pin register stay. */
void IMPL(gpio_pin_intr_state_set)(uint32_t i, uint32_t state) {
  uint32_t v = GPIO_PIN(i) & ~GPIO_PIN_INT_TYPE_MASK;
  GPIO_PIN(i) = v | ((state << GPIO_PIN_INT_TYPE_SHIFT) & GPIO_PIN_INT_TYPE_MASK);
}

/* The pins with an interrupt pending, and their acknowledgement. */
uint32_t IMPL(gpio_intr_pending)(void) { return GPIO_STATUS; }

void IMPL(gpio_intr_ack)(uint32_t mask) { GPIO_STATUS_W1TC = mask; }
