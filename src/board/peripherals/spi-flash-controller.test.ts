import { describe, expect, it } from 'vitest';
import { FlashChip } from '../flash/flash-chip';
import {
  SpiFlashController,
  SPI_ADDR,
  SPI_CMD,
  SPI_CTRL,
  SPI_ENABLE_AHB,
  SPI_FLASH_BE,
  SPI_FLASH_PP,
  SPI_FLASH_RDID,
  SPI_FLASH_RDSR,
  SPI_FLASH_READ,
  SPI_FLASH_SE,
  SPI_FLASH_WREN,
  SPI_FLASH_WRSR,
  SPI_RD_STATUS,
  SPI_USER,
  SPI_USER1,
  SPI_USER2,
  SPI_USR,
  SPI_USR_ADDR,
  SPI_USR_COMMAND,
  SPI_USR_MISO,
  SPI_W0,
  SPI_WRSR_2B,
} from './spi-flash-controller';

function setup() {
  const flash = new FlashChip({ size: 0x400000 });
  for (let i = 0; i < 64; i++) flash.bytes[0x2000 + i] = i;
  const spi = new SpiFlashController('SPI0', flash);
  return { flash, spi };
}

/** The ROM's SPI_write_enable: WREN, then RDSR until WEL. */
function writeEnable(spi: SpiFlashController): void {
  spi.write(SPI_CMD, SPI_FLASH_WREN);
  spi.write(SPI_RD_STATUS, 0);
  spi.write(SPI_CMD, SPI_FLASH_RDSR);
  expect(spi.read(SPI_RD_STATUS) & 2).toBe(2);
}

describe('SPI0 flash commands (the ROM SPIRead/SPIWrite/SPIEraseSector protocol)', () => {
  it('READ: count in ADDR[31:24] into W0.. as little-endian words; CMD reads 0 when done', () => {
    const { spi } = setup();
    spi.write(SPI_ADDR, 0x2000 | (32 << 24));
    spi.write(SPI_CMD, SPI_FLASH_READ);
    expect(spi.read(SPI_CMD)).toBe(0);
    expect(spi.read(SPI_W0)).toBe(0x03020100);
    expect(spi.read(SPI_W0 + 28)).toBe(0x1f1e1d1c);
  });

  it('RDSR reports WEL after WREN and busy 0', () => {
    const { spi } = setup();
    writeEnable(spi);
    expect(spi.read(SPI_RD_STATUS) & 1).toBe(0);
  });

  it('PP programs W0.. only after WREN, AND-ing into flash', () => {
    const { spi, flash } = setup();
    spi.write(SPI_W0, 0x12345678);
    spi.write(SPI_ADDR, 0x3000 | (4 << 24));
    spi.write(SPI_CMD, SPI_FLASH_PP);
    expect(flash.bytes[0x3000]).toBe(0xff);
    writeEnable(spi);
    spi.write(SPI_CMD, SPI_FLASH_PP);
    expect([...flash.bytes.subarray(0x3000, 0x3004)]).toEqual([0x78, 0x56, 0x34, 0x12]);
  });

  it('SE and BE erase after WREN', () => {
    const { spi, flash } = setup();
    flash.bytes.fill(0, 0x10000, 0x30000);
    writeEnable(spi);
    spi.write(SPI_ADDR, 0x11000);
    spi.write(SPI_CMD, SPI_FLASH_SE);
    expect(flash.bytes[0x11000]).toBe(0xff);
    expect(flash.bytes[0x12000]).toBe(0);
    writeEnable(spi);
    spi.write(SPI_ADDR, 0x20000);
    spi.write(SPI_CMD, SPI_FLASH_BE);
    expect(flash.bytes[0x2ffff]).toBe(0xff);
  });

  it('RDID puts the JEDEC id in W0', () => {
    const { spi } = setup();
    spi.write(SPI_CMD, SPI_FLASH_RDID);
    expect(spi.read(SPI_W0) & 0xffffff).toBe(0x1640ef);
  });

  it('WRSR writes both status bytes from RD_STATUS with CTRL.WRSR_2B (Enable_QMode sets QE)', () => {
    const { spi, flash } = setup();
    spi.write(SPI_CTRL, SPI_WRSR_2B);
    writeEnable(spi);
    spi.write(SPI_RD_STATUS, 0x0200);
    spi.write(SPI_CMD, SPI_FLASH_WRSR);
    expect(flash.readStatus()).toBe(0x0200);
    writeEnable(spi);
    spi.write(SPI_RD_STATUS, 0x001c); // Disable_QMode's write: status register 1 only, QE goes
    spi.write(SPI_CMD, SPI_FLASH_WRSR);
    expect(flash.readStatus()).toBe(0x001c);
  });

  it('WRSR without CTRL.WRSR_2B sends one byte: status register 2 keeps QE', () => {
    const { spi, flash } = setup();
    spi.write(SPI_CTRL, SPI_WRSR_2B);
    writeEnable(spi);
    spi.write(SPI_RD_STATUS, 0x0200);
    spi.write(SPI_CMD, SPI_FLASH_WRSR);
    spi.write(SPI_CTRL, 0);
    writeEnable(spi);
    spi.write(SPI_RD_STATUS, 0x001c);
    spi.write(SPI_CMD, SPI_FLASH_WRSR);
    expect(flash.readStatus()).toBe(0x021c);
  });

  it('CTRL bit 17 switches the flash window, reported once per change', () => {
    const { spi } = setup();
    const seen: boolean[] = [];
    spi.onFlashWindowChange = (on) => seen.push(on);
    spi.write(SPI_CTRL, SPI_ENABLE_AHB);
    spi.write(SPI_CTRL, SPI_ENABLE_AHB | (1 << 13));
    spi.write(SPI_CTRL, 0);
    expect(seen).toEqual([true, false]);
  });
});

describe('SPI user transactions', () => {
  it('RDID through USR: 8-bit command 0x9F, 24 MISO bits into W0', () => {
    const { spi } = setup();
    spi.write(SPI_USER, SPI_USR_COMMAND | SPI_USR_MISO);
    spi.write(SPI_USER1, 23 << 8);
    spi.write(SPI_USER2, (7 << 28) | 0x9f);
    spi.write(SPI_CMD, SPI_USR);
    expect(spi.read(SPI_CMD)).toBe(0);
    expect(spi.read(SPI_W0) & 0xffffff).toBe(0x1640ef);
  });

  it('READ 0x03 through USR with a 24-bit address phase (MSB-aligned)', () => {
    const { spi } = setup();
    spi.write(SPI_USER, SPI_USR_COMMAND | SPI_USR_ADDR | SPI_USR_MISO);
    spi.write(SPI_USER1, (23 << 26) | (63 << 8));
    spi.write(SPI_USER2, (7 << 28) | 0x03);
    spi.write(SPI_ADDR, 0x2004 << 8);
    spi.write(SPI_CMD, SPI_USR);
    expect(spi.read(SPI_W0)).toBe(0x07060504);
    expect(spi.read(SPI_W0 + 4)).toBe(0x0b0a0908);
  });

  it('RDSR 0x05 through USR reads the status byte', () => {
    const { spi } = setup();
    spi.write(SPI_CMD, SPI_FLASH_WREN);
    spi.write(SPI_USER, SPI_USR_COMMAND | SPI_USR_MISO);
    spi.write(SPI_USER1, 7 << 8);
    spi.write(SPI_USER2, (7 << 28) | 0x05);
    spi.write(SPI_CMD, SPI_USR);
    expect(spi.read(SPI_W0) & 0xff).toBe(0x02);
  });
});

describe('SPI1 (HSPI) with no device', () => {
  it('completes commands and reads floating-high data', () => {
    const spi1 = new SpiFlashController('SPI1', null);
    spi1.write(SPI_CMD, SPI_FLASH_READ);
    expect(spi1.read(SPI_CMD)).toBe(0);
    expect(spi1.read(SPI_W0)).toBe(0xffffffff);
  });
});
