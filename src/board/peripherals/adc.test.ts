import { describe, expect, it } from 'vitest';
import { SarAdc, SAR_CAL_STATUS, SAR_CFG, SAR_CTRL, SAR_DATA0, SAR_ENABLE, SAR_START } from './adc';
import { ANALOG_I2C_BUSY, ANALOG_I2C_WRITE, I2C_BLOCK_BBPLL } from './analog-i2c';

/** libphy test_tout as described in esp8266-hw.md §5.9 (without the low-byte correction). */
function systemAdcRead(sar: SarAdc): number {
  sar.write(SAR_CFG, sar.read(SAR_CFG) | SAR_ENABLE);
  while ((sar.read(SAR_CTRL) >>> 24) & 7);
  sar.write(SAR_CTRL, sar.read(SAR_CTRL) & ~SAR_START);
  sar.write(SAR_CTRL, sar.read(SAR_CTRL) | SAR_START);
  while ((sar.read(SAR_CTRL) >>> 24) & 7);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ~sar.read(SAR_DATA0 + 4 * i) & 0x7ff;
  return (sum + 8) >> 4;
}

describe('SAR ADC', () => {
  it('returns the A0 level the host sets through the SDK read sequence', () => {
    const sar = new SarAdc();
    for (const level of [0, 1, 512, 1023]) {
      sar.a0 = level;
      expect(systemAdcRead(sar)).toBe(level);
    }
    sar.setA0Volts(0.5);
    expect(systemAdcRead(sar)).toBe(512);
    sar.a0 = 5000;
    expect(sar.a0).toBe(1023);
  });

  it('reports calibration done at 0x4C bit 24', () => {
    const sar = new SarAdc();
    expect((sar.read(SAR_CAL_STATUS) >>> 24) & 1).toBe(1);
  });
});

describe('analog I2C', () => {
  it('writes complete at once (busy reads 0) and reads return the stored byte in [23:16]', () => {
    const sar = new SarAdc();
    const host = 4;
    sar.write(4 * host, I2C_BLOCK_BBPLL | (2 << 8) | (0x5a << 16) | ANALOG_I2C_WRITE);
    expect(sar.read(4 * host) & ANALOG_I2C_BUSY).toBe(0);
    sar.write(4 * host, I2C_BLOCK_BBPLL | (2 << 8));
    expect((sar.read(4 * host) >>> 16) & 0xff).toBe(0x5a);
    sar.write(4 * host, I2C_BLOCK_BBPLL | (3 << 8));
    expect((sar.read(4 * host) >>> 16) & 0xff).toBe(0);
    expect(sar.i2c.register(I2C_BLOCK_BBPLL, 2)).toBe(0x5a);
  });

  it('keeps presets across reset', () => {
    const sar = new SarAdc();
    sar.i2c.preset(0x62, 1, 0x80);
    sar.write(4, 0x62 | (1 << 8) | (0x11 << 16) | ANALOG_I2C_WRITE);
    sar.reset();
    sar.write(4, 0x62 | (1 << 8));
    expect((sar.read(4) >>> 16) & 0xff).toBe(0x80);
  });
});
