import { describe, expect, it } from 'vitest';
import { NODEMCU_V1 } from '../boards/nodemcu.ts';
import { ESP_01 } from '../boards/esp01.ts';
import { partRow, wirePath } from './wire-geometry.ts';

describe('partRow', () => {
  it('puts parts on the header their pin is on', () => {
    expect(partRow(NODEMCU_V1, 'A0')).toBe('above'); // NodeMCU's A0 is on the top header
    expect(partRow(NODEMCU_V1, 'D4')).toBe('below');
    expect(partRow(NODEMCU_V1, 'no-such-pin')).toBe('below');
  });
  it('follows the ESP-01 header rows', () => {
    expect(partRow(ESP_01, 'GPIO0')).toBe('above'); // the inner row, labels towards the module
    expect(partRow(ESP_01, 'TX')).toBe('below'); // the edge row
  });
});

describe('wirePath', () => {
  it('starts at the part and ends at the pin, leaving and arriving vertically', () => {
    const d = wirePath({ x: 10, y: 200 }, { x: 50, y: 100 });
    expect(d).toBe('M10 200 C10 150 50 150 50 100');
  });
  it('bends at least a little between close points', () => {
    expect(wirePath({ x: 0, y: 0 }, { x: 30, y: 4 })).toBe('M0 0 C0 12 30 -8 30 4');
  });
});
