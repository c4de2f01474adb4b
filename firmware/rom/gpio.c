/*
 * The ROM's GPIO driver (esp8266-hw.md §7.1 addresses; prototypes from the SDK's public
 * include/gpio.h; the register effects and the RAM it keeps are the mask ROM's, read from the
 * public disassembly in sheinz/esp-open-bootrom). Firmware that calls gpio_init: Espruino's
 * ESP8266 port (2015 builds) at start-up, before it registers its own GPIO handler.
 *
 * State in ETS RAM, at the mask ROM's addresses:
 *   0x3FFFDFD0  pins whose interrupt the dispatcher delivered and nobody acknowledged yet
 *   0x3FFFDFD4  the handler gpio_intr_handler_register installed, 0x3FFFDFD8 its argument
 *   0x3FFFDFE0  16 bytes: each pin's interrupt type as last configured (restored on ack)
 *
 * Registers: GPIO block 0x60000300, STATUS 0x1C, STATUS_W1TS 0x20, STATUS_W1TC 0x24,
 * GPIO_PINn 0x28 + 4n with the interrupt type in bits 9:7.
 */
#include "rom.h"

#define GPIO_BASE 0x60000300u
#define GPIO_STATUS REG(GPIO_BASE + 0x1C)
#define GPIO_STATUS_W1TS REG(GPIO_BASE + 0x20)
#define GPIO_STATUS_W1TC REG(GPIO_BASE + 0x24)
#define GPIO_PIN(i) REG(GPIO_BASE + 0x28 + 4u * (i))
#define GPIO_PIN_INT_TYPE_MASK 0x380u
#define GPIO_PIN_INT_TYPE_SHIFT 7
#define GPIO_PINS 16
#define GPIO_INUM 4

typedef void (*gpio_intr_handler_fn)(uint32_t pins, void *arg);

struct gpio_state {
  uint32_t delivered;
  gpio_intr_handler_fn handler;
  void *arg;
  uint32_t unused;
  uint8_t int_type[GPIO_PINS];
};
#define GPIO_STATE (*(volatile struct gpio_state *)0x3FFFDFD0)

uint32_t impl_ets_intr_lock(void);
void impl_ets_intr_unlock(void);
void *impl_ets_isr_attach(uint32_t n, void *f, void *arg);
void impl_ets_isr_mask(uint32_t mask);
void impl_ets_isr_unmask(uint32_t mask);
void impl_gpio_output_set(uint32_t set, uint32_t clear, uint32_t enable, uint32_t disable);
uint32_t impl_gpio_input_get(void);

/* Pin i's interrupt type (GPIO_INT_TYPE: 0 off, 1 rising, 2 falling, 3 both, 4 low, 5 high);
   the other bits of its pin register stay. */
void IMPL(gpio_pin_intr_state_set)(uint32_t i, uint32_t state) {
  impl_ets_intr_lock();
  uint32_t v = GPIO_PIN(i) & ~GPIO_PIN_INT_TYPE_MASK;
  GPIO_PIN(i) = v | (state << GPIO_PIN_INT_TYPE_SHIFT);
  impl_ets_intr_unlock();
}

/*
 * "Set the specified GPIO register": reg_id is a pin index (GPIO_ID_PIN(n) = n in gpio.h), the
 * register 0x60000328 + 4·reg_id. For a pin the interrupt type is remembered for
 * gpio_intr_ack, and a pin set to "no interrupt" loses its undelivered mark. The SDK's own key
 * driver passes GPIO_PIN_ADDR(n) = 0x28 + 4n here, which on the chip lands 0xA0 + 16n bytes
 * further on, outside the pin registers; we do the same.
 */
void IMPL(gpio_register_set)(uint32_t reg_id, uint32_t value) {
  impl_ets_intr_lock();
  REG(GPIO_BASE + 0x28 + 4u * reg_id) = value;
  if (reg_id < GPIO_PINS) {
    uint32_t type = (value >> GPIO_PIN_INT_TYPE_SHIFT) & 7;
    GPIO_STATE.int_type[reg_id] = type;
    if (type == 0) GPIO_STATE.delivered &= ~(1u << reg_id);
  }
  impl_ets_intr_unlock();
}

/* The register, with a pin's interrupt type as configured (not as the dispatcher left it). */
uint32_t IMPL(gpio_register_get)(uint32_t reg_id) {
  uint32_t v = REG(GPIO_BASE + 0x28 + 4u * reg_id);
  if (reg_id >= GPIO_PINS) return v;
  return (v & ~GPIO_PIN_INT_TYPE_MASK) | ((uint32_t)GPIO_STATE.int_type[reg_id] << GPIO_PIN_INT_TYPE_SHIFT);
}

uint32_t IMPL(gpio_intr_pending)(void) { return GPIO_STATE.delivered; }

void IMPL(gpio_intr_handler_register)(void *fn, void *arg) {
  GPIO_STATE.handler = (gpio_intr_handler_fn)fn;
  GPIO_STATE.arg = arg;
}

/*
 * Acknowledge the pins in mask: they leave the delivered set and get their interrupt type back.
 * Delivered pins not in mask are raised again in STATUS (W1TS), so the dispatcher hands them over
 * once more.
 */
void IMPL(gpio_intr_ack)(uint32_t mask) {
  impl_ets_intr_lock();
  uint32_t before = GPIO_STATE.delivered;
  uint32_t rest = before & ~mask;
  GPIO_STATE.delivered = rest;
  if (rest) {
    GPIO_STATUS_W1TS = rest;
    GPIO_STATE.delivered = 0;
  }
  for (uint32_t i = 0; i < GPIO_PINS; i++)
    if (mask & (1u << i)) IMPL(gpio_pin_intr_state_set)(i, GPIO_STATE.int_type[i]);
  impl_ets_intr_unlock();
}

/*
 * INT 4: every pin in STATUS gets its interrupt type cleared (so a level interrupt does not
 * storm) and its STATUS bit acknowledged. While an earlier delivery is unacknowledged the pins
 * only join it; otherwise they go to the handler.
 */
static void gpio_intr_dispatch(void *unused) {
  (void)unused;
  uint32_t status = GPIO_STATUS;
  for (uint32_t i = 0; i < GPIO_PINS; i++)
    if (status & (1u << i)) IMPL(gpio_pin_intr_state_set)(i, 0);
  GPIO_STATUS_W1TC = status;
  if (GPIO_STATE.delivered) {
    GPIO_STATE.delivered |= status;
    return;
  }
  GPIO_STATE.delivered = status;
  GPIO_STATE.handler(status, GPIO_STATE.arg);
}

/* The ROM's default handler: GPIO1 follows GPIO3 (UART TX mirrors RX), then ack. */
void IMPL(gpio_intr_test)(uint32_t pins, void *arg) {
  (void)arg;
  if (impl_gpio_input_get() & (1u << 3))
    impl_gpio_output_set(1u << 1, ~3u, 1u << 1, 0);
  else
    impl_gpio_output_set(0, ~1u, 1u << 1, 0);
  IMPL(gpio_intr_ack)(pins);
}

/*
 * Attach the dispatcher to INT 4 (masked while setting up), disable every output, forget earlier
 * deliveries, remember each pin's interrupt type, clear STATUS, install gpio_intr_test, unmask.
 * (The mask ROM also writes 0 through gpio_register_set with byte offsets 0x28…0x64 as ids, i.e.
 * to 0x600003C8 + 16k, outside the pin registers; we leave that out.)
 */
void IMPL(gpio_init)(void) {
  impl_ets_isr_attach(GPIO_INUM, (void *)gpio_intr_dispatch, 0);
  impl_ets_isr_mask(1u << GPIO_INUM);
  impl_gpio_output_set(0, 0, 0, 0xFFFF);
  GPIO_STATE.delivered = 0;
  for (uint32_t i = 0; i < GPIO_PINS; i++)
    GPIO_STATE.int_type[i] = (GPIO_PIN(i) >> GPIO_PIN_INT_TYPE_SHIFT) & 7;
  GPIO_STATUS_W1TC = 0xFFFF;
  IMPL(gpio_intr_handler_register)((void *)IMPL(gpio_intr_test), 0);
  impl_ets_isr_unmask(1u << GPIO_INUM);
}
