import { describe, expect, it } from 'vitest';
import { gpioOf, layoutFor, pinExists } from './index.ts';
import { placedPins } from './layout.ts';

describe('board layouts', () => {
  it('D1 mini: D0–D8, RX, TX, A0, RST, 3V3, 5V, GND; LED on GPIO2 active low; RST only', () => {
    const l = layoutFor('d1-mini');
    expect(
      placedPins(l)
        .map((p) => p.pin.name)
        .sort(),
    ).toEqual(
      [
        '3V3',
        '5V',
        'A0',
        'D0',
        'D1',
        'D2',
        'D3',
        'D4',
        'D5',
        'D6',
        'D7',
        'D8',
        'GND',
        'RST',
        'RX',
        'TX',
      ].sort(),
    );
    const gpios = {
      D0: 16,
      D1: 5,
      D2: 4,
      D3: 0,
      D4: 2,
      D5: 14,
      D6: 12,
      D7: 13,
      D8: 15,
      RX: 3,
      TX: 1,
    };
    for (const [pin, gpio] of Object.entries(gpios)) expect(gpioOf('d1-mini', pin)).toBe(gpio);
    expect(l.leds).toEqual([expect.objectContaining({ gpio: 2, activeLow: true })]);
    expect(l.buttons.map((b) => b.id)).toEqual(['rst']);
    expect(l.a0Volts).toBe(3.2);
  });

  it('ESP-01: 8 pins, the LED on GPIO2, no buttons, no A0', () => {
    const l = layoutFor('esp-01');
    expect(placedPins(l).map((p) => p.pin.name)).toEqual([
      'GND',
      'GPIO2',
      'GPIO0',
      'RX',
      'TX',
      'CH_PD',
      'RST',
      'VCC',
    ]);
    expect(gpioOf('esp-01', 'RX')).toBe(3);
    expect(gpioOf('esp-01', 'TX')).toBe(1);
    expect(pinExists('esp-01', 'GPIO2')).toBe(true);
    expect(pinExists('esp-01', 'D4')).toBe(false);
    expect(l.leds).toEqual([
      expect.objectContaining({ id: 'led-gpio2', gpio: 2, activeLow: true }),
    ]);
    expect(l.buttons).toEqual([]);
    expect(l.a0Volts).toBeUndefined();
  });

  it('every pin sits on the PCB', () => {
    for (const board of ['nodemcu-v1', 'd1-mini', 'esp-01'] as const) {
      const l = layoutFor(board);
      for (const p of placedPins(l)) {
        expect(p.x).toBeGreaterThan(0);
        expect(p.x).toBeLessThan(l.width);
        expect(p.y).toBeGreaterThan(0);
        expect(p.y).toBeLessThan(l.height);
      }
    }
  });
});
