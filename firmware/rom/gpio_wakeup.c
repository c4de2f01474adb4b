/*
 * Light-sleep wake-up by GPIO level (the SDK's wifi_fpm / light-sleep code calls these; the
 * register effects are the mask ROM's, esp8266-hw.md §7.1 addresses, read from the public
 * disassembly in sheinz/esp-open-bootrom): GPIO_PINn [9:7] is the interrupt type, bit 10 the
 * wake-up enable.
 */
#include "rom.h"

#define GPIO_PIN(n) REG(0x60000328 + 4 * (n))
#define GPIO_PIN_INT_TYPE (7u << 7)
#define GPIO_PIN_WAKEUP_ENABLE (1u << 10)

void impl_ets_intr_lock(void);
void impl_ets_intr_unlock(void);

/* The type (4 low level, 5 high level) goes in unmasked, as on the chip. */
void IMPL(gpio_pin_wakeup_enable)(uint32_t pin, uint32_t type) {
  impl_ets_intr_lock();
  GPIO_PIN(pin) = (GPIO_PIN(pin) & ~GPIO_PIN_INT_TYPE) | (type << 7) | GPIO_PIN_WAKEUP_ENABLE;
  impl_ets_intr_unlock();
}

/* Every pin with wake-up enabled loses it and its interrupt type. */
void IMPL(gpio_pin_wakeup_disable)(void) {
  for (uint32_t pin = 0; pin < 16; pin++) {
    uint32_t v = GPIO_PIN(pin);
    if (v & GPIO_PIN_WAKEUP_ENABLE) GPIO_PIN(pin) = v & ~(GPIO_PIN_INT_TYPE | GPIO_PIN_WAKEUP_ENABLE);
  }
}
