/**
 * Wemos / LOLIN D1 mini (ESP-12F module), drawn lying down like the NodeMCU: micro-USB and the
 * RST button on the left, the module's antenna on the right. With the antenna up, the left header
 * reads RST, A0, D0, D5, D6, D7, D8, 3V3 from the top and the right header TX, RX, D1, D2, D3,
 * D4, GND, 5V; turned a quarter clockwise they become the top row read right to left and the
 * bottom row read right to left.
 *
 * GPIOs as printed: D0 = GPIO16, D1 = 5, D2 = 4, D3 = 0, D4 = 2, D5 = 14, D6 = 12, D7 = 13,
 * D8 = 15, RX = 3, TX = 1. The blue LED on the module is on GPIO2 (D4), lit while low. Only a
 * RST button: D3 (GPIO0) has a pull-up and no button. A0 has a 220k/100k divider: 0–3.2 V.
 */

import { parallelHeaders, type BoardLayout, type PinDef } from './layout.ts';

const topRow: PinDef[] = [
  { name: '3V3', kind: 'power' },
  { name: 'D8', kind: 'gpio', gpio: 15, notes: 'HSPI CS; pulled down (boot strap)' },
  { name: 'D7', kind: 'gpio', gpio: 13, notes: 'HSPI MOSI' },
  { name: 'D6', kind: 'gpio', gpio: 12, notes: 'HSPI MISO' },
  { name: 'D5', kind: 'gpio', gpio: 14, notes: 'HSPI CLK' },
  { name: 'D0', kind: 'gpio', gpio: 16, notes: 'RTC GPIO, wakes from deep sleep (wire to RST)' },
  { name: 'A0', kind: 'adc', notes: 'TOUT: ADC, 0–1 V on the chip (0–3.2 V on the board)' },
  { name: 'RST', kind: 'control', notes: 'external reset (active low)' },
];

const bottomRow: PinDef[] = [
  { name: '5V', kind: 'power', notes: '5 V from USB' },
  { name: 'GND', kind: 'ground' },
  { name: 'D4', kind: 'gpio', gpio: 2, notes: 'TXD1; module LED (active low); pulled up' },
  { name: 'D3', kind: 'gpio', gpio: 0, notes: 'pulled up (boot strap)' },
  { name: 'D2', kind: 'gpio', gpio: 4, notes: 'SDA (Arduino Wire default)' },
  { name: 'D1', kind: 'gpio', gpio: 5, notes: 'SCL (Arduino Wire default)' },
  { name: 'RX', kind: 'gpio', gpio: 3, notes: 'U0RXD, UART0 receive' },
  { name: 'TX', kind: 'gpio', gpio: 1, notes: 'U0TXD, UART0 transmit' },
];

const WIDTH = 34.2;
const HEIGHT = 25.6;
const ROW_SPACING = 22.86;
const FIRST_PIN_X = 3.6;

export const D1_MINI: BoardLayout = {
  id: 'd1-mini',
  name: 'Wemos D1 mini',
  description: 'ESP-12F · ESP8266EX · 4 MB flash',
  width: WIDTH,
  height: HEIGHT,
  pcbColor: '#1f4f6b',
  radius: 1.6,
  holes: [],
  holeDiameter: 2,
  a0Volts: 3.2,
  headers: parallelHeaders(FIRST_PIN_X, HEIGHT, ROW_SPACING, topRow, bottomRow),
  parts: [
    { kind: 'usb', x: -1.2, y: 9.6, width: 5.2, height: 6.4 },
    {
      kind: 'module',
      x: 12.2,
      y: 4.4,
      width: 22,
      height: 16.8,
      label: 'ESP8266EX',
      sublabel: 'ESP-12F',
    },
  ],
  leds: [
    { id: 'led-gpio2', gpio: 2, activeLow: true, x: 31.6, y: 5.6, color: '#4aa8ff', label: '' },
  ],
  buttons: [{ id: 'rst', label: 'RST', x: 3.4, y: 5.4, labelDx: 3.4, labelDy: 0.4 }],
  silkscreen: [
    { text: 'D1 mini', x: 8, y: 19.6, size: 1.2 },
    { text: 'v8266', x: 8, y: 8.4, size: 0.9 },
  ],
};
