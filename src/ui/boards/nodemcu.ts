/**
 * NodeMCU v1.0 (the "Amica" layout with an ESP-12E module), drawn lying down: USB socket and
 * the RST / FLASH buttons on the left, the module with its antenna on the right. Turned this
 * way, the header that runs down the board's left edge (A0 … VIN, antenna up) becomes the top
 * row read right to left, and the right-edge header (D0 … 3V3) becomes the bottom row.
 *
 * Pin names and GPIO numbers as printed on the real board: D0 = GPIO16, D1 = 5, D2 = 4, D3 = 0,
 * D4 = 2, D5 = 14, D6 = 12, D7 = 13, D8 = 15, RX = 3, TX = 1; SD2 = 9, SD3 = 10, SD1 = 8,
 * CMD = 11, SD0 = 7, CLK = 6 are the module's flash lines.
 */

import { parallelHeaders, type BoardLayout, type PinDef } from './layout.ts';

const topRow: PinDef[] = [
  { name: 'VIN', kind: 'power', notes: '5 V from USB' },
  { name: 'GND', kind: 'ground' },
  { name: 'RST', kind: 'control', notes: 'external reset (active low)' },
  { name: 'EN', kind: 'control', notes: 'chip enable (CH_PD)' },
  { name: '3V3', kind: 'power' },
  { name: 'GND', kind: 'ground' },
  { name: 'CLK', kind: 'flash', gpio: 6, notes: 'SD_CLK, flash clock' },
  { name: 'SD0', kind: 'flash', gpio: 7, notes: 'SD_DATA0, flash MISO' },
  { name: 'CMD', kind: 'flash', gpio: 11, notes: 'SD_CMD, flash chip select' },
  { name: 'SD1', kind: 'flash', gpio: 8, notes: 'SD_DATA1, flash MOSI' },
  { name: 'SD2', kind: 'flash', gpio: 9, notes: 'SD_DATA2, flash /HOLD' },
  { name: 'SD3', kind: 'flash', gpio: 10, notes: 'SD_DATA3, flash /WP' },
  { name: 'RSV', kind: 'reserved' },
  { name: 'RSV', kind: 'reserved' },
  { name: 'A0', kind: 'adc', notes: 'TOUT: ADC, 0–1 V on the chip (0–3.3 V on the board)' },
];

const bottomRow: PinDef[] = [
  { name: '3V3', kind: 'power' },
  { name: 'GND', kind: 'ground' },
  { name: 'TX', kind: 'gpio', gpio: 1, notes: 'U0TXD, UART0 transmit' },
  { name: 'RX', kind: 'gpio', gpio: 3, notes: 'U0RXD, UART0 receive' },
  { name: 'D8', kind: 'gpio', gpio: 15, notes: 'HSPI CS; pulled down (boot strap)' },
  { name: 'D7', kind: 'gpio', gpio: 13, notes: 'HSPI MOSI' },
  { name: 'D6', kind: 'gpio', gpio: 12, notes: 'HSPI MISO' },
  { name: 'D5', kind: 'gpio', gpio: 14, notes: 'HSPI CLK' },
  { name: 'GND', kind: 'ground' },
  { name: '3V3', kind: 'power' },
  { name: 'D4', kind: 'gpio', gpio: 2, notes: 'TXD1; module LED (active low); pulled up' },
  { name: 'D3', kind: 'gpio', gpio: 0, notes: 'FLASH button; pulled up (boot strap)' },
  { name: 'D2', kind: 'gpio', gpio: 4, notes: 'SDA (Arduino Wire default)' },
  { name: 'D1', kind: 'gpio', gpio: 5, notes: 'SCL (Arduino Wire default)' },
  { name: 'D0', kind: 'gpio', gpio: 16, notes: 'RTC GPIO, wakes from deep sleep; board LED' },
];

const WIDTH = 49;
const HEIGHT = 26;
const ROW_SPACING = 22.86; // 0.9 inch between the two headers
const FIRST_PIN_X = 7.4;

export const NODEMCU_V1: BoardLayout = {
  id: 'nodemcu-v1',
  name: 'NodeMCU v1.0',
  description: 'ESP-12E · ESP8266EX · 4 MB flash',
  width: WIDTH,
  height: HEIGHT,
  pcbColor: '#1b2f4a',
  radius: 1.2,
  holes: [
    { x: 1.8, y: 1.8 },
    { x: 1.8, y: HEIGHT - 1.8 },
    { x: WIDTH - 1.8, y: 1.8 },
    { x: WIDTH - 1.8, y: HEIGHT - 1.8 },
  ],
  holeDiameter: 2.2,
  a0Volts: 3.3,
  headers: parallelHeaders(FIRST_PIN_X, HEIGHT, ROW_SPACING, topRow, bottomRow),
  parts: [
    { kind: 'usb', x: -1.2, y: 9.4, width: 5.6, height: 7.2 },
    { kind: 'chip', x: 8.6, y: 9.6, width: 5.2, height: 5.2, label: 'CP2102' },
    { kind: 'regulator', x: 16, y: 15.4, width: 4.2, height: 3.4, label: '1117' },
    {
      kind: 'module',
      x: 24.8,
      y: 4.6,
      width: 24.2,
      height: 16.8,
      label: 'ESP8266EX',
      sublabel: 'ESP-12E',
    },
  ],
  leds: [
    { id: 'led-gpio2', gpio: 2, activeLow: true, x: 45.6, y: 5.3, color: '#4aa8ff', label: '' },
    {
      id: 'led-gpio16',
      gpio: 16,
      activeLow: true,
      x: 18.1,
      y: 11.2,
      color: '#4aa8ff',
      label: 'D0',
    },
  ],
  buttons: [
    { id: 'rst', label: 'RST', x: 4.1, y: 5.2, labelDx: 0, labelDy: -3.1 },
    { id: 'flash', label: 'FLASH', gpio: 0, x: 4.1, y: 20.8, labelDx: 0, labelDy: 4.0 },
  ],
  silkscreen: [
    { text: 'NodeMCU v1.0', x: 12.4, y: 7.6, size: 1.25 },
    { text: 'v8266', x: 12.4, y: 18.6, size: 1.1 },
  ],
};
