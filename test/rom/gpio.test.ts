/**
 * The ROM's GPIO driver (firmware/rom/gpio.c) through firmware/romtest/gpio.c, as the mask ROM
 * behaves: gpio_init disables every output and clears the delivered set; gpio_register_set/get
 * take a pin index and remember its interrupt type; the INT 4 dispatcher clears a firing pin's
 * type and STATUS bit and calls the registered handler once per unacknowledged delivery;
 * gpio_intr_ack restores the acknowledged pins' types and raises the other delivered pins again;
 * gpio_input_get returns the whole GPIO_IN register (esp8266-hw.md §7.1), strap latches included.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM GPIO driver', () => {
  it('gpio_init, pin registers by index, delivery and acknowledgement', () => {
    const t = bootRomtest('gpio');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'init enable 0 pending 0', // the outputs enabled before gpio_init (GPIO4, 5) are off
        'set 104 get 104', // GPIO_PIN4 (0x60000338): open drain (bit 2) + falling edge (2 << 7)
        'state 4 get 104', // type cleared in the register; get reports the configured type
        'delivered 1 pins 10 arg 1234 type 0 status 0 pending 10', // handler saw GPIO4, type and STATUS cleared
        'joined 1 pending 30', // GPIO5's edge while GPIO4 is unacknowledged: no second call
        'ack4 calls 1 type4 2 status 20 pending 0', // GPIO4's type back, GPIO5 raised in STATUS
        'ack5 calls 2 pins 20 type5 0 pending 20', // GPIO5's type back → interrupt → delivered alone
        // GPIO4 driven high, GPIO5 low; boot mode 3 (GPIO2 and GPIO0 high, GPIO15 low) in [18:16]
        'input same 1 pins 1 straps 3',
        'done',
        '',
      ].join('\n'),
    );
  });
});
