import { describe, expect, it } from 'vitest';
import {
  Gpio,
  GPIO_ENABLE,
  GPIO_ENABLE_W1TC,
  GPIO_ENABLE_W1TS,
  GPIO_IN,
  GPIO_INT_ANYEDGE,
  GPIO_INT_HILEVEL,
  GPIO_INT_NEGEDGE,
  GPIO_INT_POSEDGE,
  GPIO_OUT,
  GPIO_OUT_W1TC,
  GPIO_OUT_W1TS,
  GPIO_PIN0,
  GPIO_PIN_DRIVER,
  GPIO_PIN_INT_TYPE_SHIFT,
  GPIO_RTC_CALIB_SYNC,
  GPIO_RTC_CALIB_VALUE,
  GPIO_STATUS,
  GPIO_STATUS_W1TC,
  GPIO_STATUS_W1TS,
} from './gpio';
import {
  IoMux,
  IOMUX_INDEX_OF_GPIO,
  PERIPHS_IO_MUX_FUNC_LOW_SHIFT,
  PERIPHS_IO_MUX_GPIO2_U,
  PERIPHS_IO_MUX_MTDI_U,
  PERIPHS_IO_MUX_MTDO_U,
  PERIPHS_IO_MUX_PULLUP,
  PERIPHS_IO_MUX_U0TXD_U,
} from './iomux';
import { RecordingLine } from './testing';

function setup() {
  const iomux = new IoMux();
  const irq = new RecordingLine();
  const gpio = new Gpio(irq, iomux);
  const changes: [number, number][] = [];
  gpio.onPinChange = (pin, level) => changes.push([pin, level]);
  return { iomux, irq, gpio, changes };
}

const pinConf = (n: number) => GPIO_PIN0 + 4 * n;
const intType = (t: number) => t << GPIO_PIN_INT_TYPE_SHIFT;
/** IO MUX register offset of GPIO n. */
const padOffset = (n: number) => 4 + 4 * IOMUX_INDEX_OF_GPIO[n];

describe('IO MUX', () => {
  it('maps pad registers out of GPIO order (MTDI is GPIO12, U0TXD is GPIO1, 0x38 is GPIO2)', () => {
    expect(padOffset(12)).toBe(PERIPHS_IO_MUX_MTDI_U);
    expect(padOffset(15)).toBe(PERIPHS_IO_MUX_MTDO_U);
    expect(padOffset(1)).toBe(PERIPHS_IO_MUX_U0TXD_U);
    expect(padOffset(2)).toBe(PERIPHS_IO_MUX_GPIO2_U);
  });

  it('GPIO function is 0 on GPIO0/2/4/5 and 3 elsewhere, with function bit 2 at bit 8', () => {
    const iomux = new IoMux();
    expect(iomux.isGpioFunction(4)).toBe(true);
    expect(iomux.isGpioFunction(12)).toBe(false);
    iomux.write(padOffset(12), 3 << PERIPHS_IO_MUX_FUNC_LOW_SHIFT);
    expect(iomux.isGpioFunction(12)).toBe(true);
    iomux.write(padOffset(2), 0x100); // function 4 = U0TXD_BK
    expect(iomux.functionOf(2)).toBe(4);
  });
});

describe('GPIO outputs', () => {
  it('OUT and ENABLE read back and follow W1TS/W1TC', () => {
    const { gpio } = setup();
    gpio.write(GPIO_OUT, 0x0005);
    gpio.write(GPIO_OUT_W1TS, 0x0010);
    gpio.write(GPIO_OUT_W1TC, 0x0001);
    expect(gpio.read(GPIO_OUT)).toBe(0x0014);
    gpio.write(GPIO_ENABLE_W1TS, 0x0030);
    gpio.write(GPIO_ENABLE_W1TC, 0x0010);
    expect(gpio.read(GPIO_ENABLE)).toBe(0x0020);
  });

  it('drives the pad only when enabled, and reports each change once', () => {
    const { gpio, changes } = setup();
    gpio.write(GPIO_OUT_W1TS, 1 << 4);
    expect(gpio.level(4)).toBe(0);
    gpio.write(GPIO_ENABLE_W1TS, 1 << 4);
    expect(gpio.level(4)).toBe(1);
    gpio.write(GPIO_OUT_W1TS, 1 << 4);
    gpio.write(GPIO_OUT_W1TC, 1 << 4);
    expect(changes).toEqual([
      [4, 1],
      [4, 0],
    ]);
    expect(gpio.read(GPIO_IN) & 0xffff & (1 << 4)).toBe(0);
  });

  it('does not drive a pad whose IO MUX function is not GPIO', () => {
    const { gpio, iomux } = setup();
    gpio.write(GPIO_ENABLE_W1TS, 1 << 12);
    gpio.write(GPIO_OUT_W1TS, 1 << 12);
    expect(gpio.level(12)).toBe(0);
    iomux.write(padOffset(12), 3 << PERIPHS_IO_MUX_FUNC_LOW_SHIFT);
    expect(gpio.level(12)).toBe(1);
  });

  it('open drain releases the pad on 1 (pull-up decides) and pulls it low on 0', () => {
    const { gpio, iomux } = setup();
    gpio.write(pinConf(5), GPIO_PIN_DRIVER);
    gpio.write(GPIO_ENABLE_W1TS, 1 << 5);
    gpio.write(GPIO_OUT_W1TS, 1 << 5);
    expect(gpio.level(5)).toBe(0); // released, floating
    iomux.write(padOffset(5), PERIPHS_IO_MUX_PULLUP);
    expect(gpio.level(5)).toBe(1);
    gpio.driveInput(5, 0);
    expect(gpio.level(5)).toBe(0);
    expect(gpio.isConflict(5)).toBe(false);
    gpio.write(GPIO_OUT_W1TC, 1 << 5);
    gpio.driveInput(5, null);
    expect(gpio.level(5)).toBe(0);
  });
});

describe('GPIO inputs', () => {
  it('reads external drive, then pulls, then board resistors', () => {
    const { gpio, iomux } = setup();
    expect(gpio.level(0)).toBe(1); // board pull-up on GPIO0
    expect(gpio.level(15)).toBe(0); // board pull-down on GPIO15
    gpio.driveInput(0, 0);
    expect(gpio.read(GPIO_IN) & 1).toBe(0);
    gpio.driveInput(0, null);
    expect(gpio.read(GPIO_IN) & 1).toBe(1);
    expect(gpio.level(13)).toBe(0);
    iomux.write(padOffset(13), PERIPHS_IO_MUX_PULLUP);
    expect(gpio.level(13)).toBe(1);
  });

  it('reports a conflict while firmware and host drive different levels; firmware wins', () => {
    const { gpio } = setup();
    const seen: [number, boolean][] = [];
    gpio.onConflictChange = (pin, c) => seen.push([pin, c]);
    gpio.write(GPIO_ENABLE_W1TS, 1 << 4);
    gpio.write(GPIO_OUT_W1TS, 1 << 4);
    gpio.driveInput(4, 1);
    expect(gpio.isConflict(4)).toBe(false);
    gpio.driveInput(4, 0);
    expect(gpio.isConflict(4)).toBe(true);
    expect(gpio.level(4)).toBe(1);
    gpio.write(GPIO_ENABLE_W1TC, 1 << 4);
    expect(gpio.isConflict(4)).toBe(false);
    expect(gpio.level(4)).toBe(0);
    expect(seen).toEqual([
      [4, true],
      [4, false],
    ]);
  });
});

describe('GPIO strap latches', () => {
  it('latch GPIO2/GPIO0/GPIO15 into IN[18:16] at reset: flash boot by default', () => {
    const { gpio } = setup();
    expect((gpio.read(GPIO_IN) >>> 16) & 7).toBe(3);
  });

  it('a held-down GPIO0 at reset selects UART download (1), and the latch holds after release', () => {
    const { gpio } = setup();
    gpio.driveInput(0, 0);
    gpio.reset();
    gpio.driveInput(0, null);
    expect((gpio.read(GPIO_IN) >>> 16) & 7).toBe(1);
    expect(gpio.bootMode).toBe(1);
  });
});

describe('GPIO interrupts', () => {
  it('rising edge sets STATUS and asserts the level until W1TC', () => {
    const { gpio, irq } = setup();
    gpio.write(pinConf(4), intType(GPIO_INT_POSEDGE));
    gpio.driveInput(4, 0);
    expect(irq.level).toBe(false);
    gpio.driveInput(4, 1);
    expect(gpio.read(GPIO_STATUS)).toBe(1 << 4);
    expect(irq.level).toBe(true);
    gpio.write(GPIO_STATUS_W1TC, 1 << 4);
    expect(irq.level).toBe(false);
    gpio.driveInput(4, 0); // falling: ignored by a positive-edge pin
    expect(gpio.read(GPIO_STATUS)).toBe(0);
  });

  it('negative and any edges', () => {
    const { gpio } = setup();
    gpio.write(pinConf(4), intType(GPIO_INT_NEGEDGE));
    gpio.write(pinConf(5), intType(GPIO_INT_ANYEDGE));
    gpio.driveInput(4, 1);
    gpio.driveInput(5, 1);
    expect(gpio.read(GPIO_STATUS)).toBe(1 << 5);
    gpio.write(GPIO_STATUS_W1TC, 0xffff);
    gpio.driveInput(4, 0);
    gpio.driveInput(5, 0);
    expect(gpio.read(GPIO_STATUS)).toBe((1 << 4) | (1 << 5));
  });

  it('a high-level interrupt cannot be cleared while the level holds', () => {
    const { gpio, irq } = setup();
    gpio.driveInput(13, 1);
    gpio.write(pinConf(13), intType(GPIO_INT_HILEVEL));
    expect(irq.level).toBe(true);
    gpio.write(GPIO_STATUS_W1TC, 1 << 13);
    expect(irq.level).toBe(true);
    gpio.driveInput(13, 0);
    gpio.write(GPIO_STATUS_W1TC, 1 << 13);
    expect(irq.level).toBe(false);
  });

  it('STATUS_W1TS sets bits; they interrupt only on pins with an interrupt type', () => {
    const { gpio, irq } = setup();
    gpio.write(GPIO_STATUS_W1TS, 1 << 6);
    expect(gpio.read(GPIO_STATUS)).toBe(1 << 6);
    expect(irq.level).toBe(false);
    gpio.write(pinConf(6), intType(GPIO_INT_POSEDGE));
    expect(irq.level).toBe(true);
  });
});

describe('GPIO RTC calibration', () => {
  it('reports ready with a count on start, as pm_rtc_clock_cali polls for', () => {
    const { gpio } = setup();
    gpio.write(GPIO_RTC_CALIB_SYNC, (1 << 31) | 100);
    const v = gpio.read(GPIO_RTC_CALIB_VALUE);
    expect(v >>> 31).toBe(1);
    expect(v & 0xfffff).toBe(Math.round((100 * 26e6) / 150e3));
  });
});

describe('GPIO wake-up levels (light sleep)', () => {
  it('reports a pin with bit 10 set at its type level: 4 low, 5 high; other types never', () => {
    const { gpio } = setup();
    const WAKE = 1 << 10;
    gpio.driveInput(13, 1);
    gpio.write(pinConf(13), WAKE | intType(4));
    expect(gpio.wakeupLevelMet()).toBe(false);
    gpio.driveInput(13, 0);
    expect(gpio.wakeupLevelMet()).toBe(true);
    gpio.write(pinConf(13), intType(4)); // type kept, wake-up off
    expect(gpio.wakeupLevelMet()).toBe(false);
    gpio.write(pinConf(13), WAKE | intType(5));
    expect(gpio.wakeupLevelMet()).toBe(false);
    gpio.driveInput(13, 1);
    expect(gpio.wakeupLevelMet()).toBe(true);
    gpio.write(pinConf(13), WAKE | intType(2)); // an edge type does not wake
    expect(gpio.wakeupLevelMet()).toBe(false);
  });
});
