/**
 * The ROM's GPIO register helpers (firmware/rom/gpio.c) through firmware/romtest/gpio.c:
 * gpio_register_set/get on a pin register by its byte offset, gpio_pin_intr_state_set changing
 * only bits 9:7, and a falling edge seen by gpio_intr_pending and cleared by gpio_intr_ack.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM GPIO helpers', () => {
  it('set and read pin registers, interrupt type, pending and ack', () => {
    const t = bootRomtest('gpio');
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'set 4 get 4', // open drain bit 2 in GPIO_PIN4 (0x60000338)
        'state 104', // falling edge (2 << 7) added, bit 2 kept
        'pending 10 acked 0', // GPIO4 went 1 → 0: STATUS bit 4, cleared through STATUS_W1TC
        'off 0', // interrupt type back to 0 (the driver bit was cleared for the edge)
        'done',
        '',
      ].join('\n'),
    );
  });
});
