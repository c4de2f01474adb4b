/**
 * ESP-01 / ESP-01S, drawn standing up: the PCB antenna at the top, the ESP8266EX and its flash
 * chip in the middle, the 2×4 header at the bottom. Seen from the component side:
 *
 *   inner row   GND    GPIO2  GPIO0  RX (GPIO3)
 *   edge row    TX     CH_PD  RST    VCC
 *             (TX is GPIO1)
 *
 * No buttons, no A0 (TOUT is not brought out). The blue LED: on the ESP-01S it is on GPIO2
 * (active low), which is what is drawn; the older blue-PCB ESP-01 wires it to TX (GPIO1) instead,
 * so it flickers with serial output. Flash: 1 MB on the ESP-01S (512 KB on early ESP-01s); the
 * board document's flashSize decides.
 */

import { PIN_PITCH, type BoardLayout, type PinDef } from './layout.ts';

const PITCH = PIN_PITCH;

const innerRow: PinDef[] = [
  { name: 'GND', kind: 'ground' },
  {
    name: 'GPIO2',
    kind: 'gpio',
    gpio: 2,
    notes: 'TXD1; blue LED (active low, ESP-01S); pulled up',
  },
  { name: 'GPIO0', kind: 'gpio', gpio: 0, notes: 'pulled up; low at reset: download mode' },
  { name: 'RX', kind: 'gpio', gpio: 3, notes: 'U0RXD, UART0 receive' },
];

const edgeRow: PinDef[] = [
  { name: 'TX', kind: 'gpio', gpio: 1, notes: 'U0TXD, UART0 transmit' },
  { name: 'CH_PD', kind: 'control', notes: 'chip enable (EN): high to run' },
  { name: 'RST', kind: 'control', notes: 'external reset (active low)' },
  { name: 'VCC', kind: 'power', notes: '3.3 V only' },
];

const WIDTH = 14.3;
const HEIGHT = 24.8;
const FIRST_PIN_X = (WIDTH - 3 * PITCH) / 2;

export const ESP_01: BoardLayout = {
  id: 'esp-01',
  name: 'ESP-01S',
  description: 'ESP8266EX · 1 MB flash · LED on GPIO2',
  width: WIDTH,
  height: HEIGHT,
  pcbColor: '#1d2a22',
  radius: 0.6,
  holes: [],
  holeDiameter: 2,
  headers: [
    {
      x: FIRST_PIN_X,
      y: HEIGHT - 1.6 - PITCH,
      direction: 'x',
      pitch: PITCH,
      labelSide: 'top',
      pins: innerRow,
    },
    {
      x: FIRST_PIN_X,
      y: HEIGHT - 1.6,
      direction: 'x',
      pitch: PITCH,
      labelSide: 'bottom',
      pins: edgeRow,
    },
  ],
  parts: [
    { kind: 'chip', x: 1.4, y: 4.0, width: 5, height: 5, label: 'ESP8266EX' },
    { kind: 'chip', x: 7.8, y: 4.4, width: 4, height: 3.4, label: '25Q80' },
  ],
  leds: [
    { id: 'led-gpio2', gpio: 2, activeLow: true, x: 12.6, y: 9.4, color: '#4aa8ff', label: '' },
  ],
  buttons: [],
  silkscreen: [{ text: 'ESP-01S · antenna', x: 7.15, y: 2.4, size: 0.85 }],
};
