/* The ROM's GPIO driver (firmware/rom/gpio.c): pin registers by pin index, gpio_init, the INT 4
   dispatcher's delivery / acknowledgement protocol with two pins driven as outputs, and
   gpio_input_get. */
#include "romtest.h"

void gpio_init(void);
void gpio_register_set(uint32_t reg_id, uint32_t value);
uint32_t gpio_register_get(uint32_t reg_id);
void gpio_pin_intr_state_set(uint32_t i, uint32_t state);
uint32_t gpio_intr_pending(void);
void gpio_intr_ack(uint32_t mask);
void gpio_intr_handler_register(void *fn, void *arg);
void gpio_output_set(uint32_t set, uint32_t clear, uint32_t enable, uint32_t disable);
uint32_t gpio_input_get(void);

#define GPIO_STATUS REG(0x6000031C)
#define GPIO_ENABLE REG(0x6000030C)
#define GPIO_PIN(i) REG(0x60000328 + 4 * (i))
#define FALLING 2

static volatile uint32_t calls, last_pins, last_arg, type_in_handler, status_in_handler;

static void handler(uint32_t pins, void *arg) {
  calls++;
  last_pins = pins;
  last_arg = (uint32_t)arg;
  type_in_handler = (GPIO_PIN(4) >> 7) & 7;
  status_in_handler = GPIO_STATUS;
}

static void falling_edge(uint32_t pin) {
  gpio_output_set(1u << pin, 0, 1u << pin, 0);
  gpio_output_set(0, 1u << pin, 0, 0);
}

ENTRY {
  romtest_start();
  gpio_output_set(0, 0, 0x30, 0);
  gpio_init();
  ets_printf("init enable %x pending %x\n", GPIO_ENABLE & 0xFFFF, gpio_intr_pending());

  /* pin index, not byte offset: GPIO4's register, open drain (bit 2) + falling edge */
  gpio_register_set(4, (1u << 2) | (FALLING << 7));
  ets_printf("set %x get %x\n", GPIO_PIN(4), gpio_register_get(4));
  /* the type changed behind the driver's back: get still reports the configured one */
  gpio_pin_intr_state_set(4, 0);
  ets_printf("state %x get %x\n", GPIO_PIN(4), gpio_register_get(4));
  gpio_register_set(4, FALLING << 7);
  gpio_register_set(5, FALLING << 7);

  gpio_intr_handler_register((void *)handler, (void *)0x1234);
  falling_edge(4);
  ets_printf("delivered %d pins %x arg %x type %d status %x pending %x\n", calls, last_pins, last_arg,
             type_in_handler, status_in_handler, gpio_intr_pending());
  /* not acknowledged yet: GPIO5's edge joins the delivered set, the handler is not called */
  falling_edge(5);
  ets_printf("joined %d pending %x\n", calls, gpio_intr_pending());
  /* ack GPIO4: its type comes back; GPIO5 is raised again in STATUS, but its type is still the 0
     the dispatcher left, so nothing is delivered until it is acknowledged too */
  gpio_intr_ack(1u << 4);
  ets_printf("ack4 calls %d type4 %d status %x pending %x\n", calls, (GPIO_PIN(4) >> 7) & 7,
             GPIO_STATUS & 0x30, gpio_intr_pending());
  /* ack GPIO5: its type comes back, the raised bit interrupts, the dispatcher delivers it alone */
  gpio_intr_ack(1u << 5);
  ets_printf("ack5 calls %d pins %x type5 %d pending %x\n", calls, last_pins, (GPIO_PIN(5) >> 7) & 7,
             gpio_intr_pending());
  /* gpio_input_get is the whole GPIO_IN register: pad levels in [15:0] (an output pin reads its
     driven level), the boot straps latched at reset in [18:16] */
  gpio_output_set(1u << 4, 1u << 5, 0x30, 0);
  uint32_t in = gpio_input_get();
  ets_printf("input same %d pins %x straps %x\n", in == REG(0x60000318), (in >> 4) & 3, (in >> 16) & 7);
  romtest_end();
}
