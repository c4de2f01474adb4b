import { describe, expect, it } from 'vitest';
import {
  Dport,
  DPORT_CACHE_FLASH_CTRL,
  DPORT_CACHE_FLUSH_DONE,
  DPORT_CACHE_FLUSH_START,
  DPORT_CACHE_MAP_ODD,
  DPORT_CACHE_READ_EN,
  DPORT_CACHE_SIZE_32K,
  DPORT_CPU_CLOCK,
  DPORT_EDGE_INT_ENABLE,
  DPORT_NMI_INT,
  DPORT_OTP_MAC0,
  DPORT_OTP_MAC1,
  DPORT_OTP_MAC3,
  DPORT_SPI_CACHE_RAM,
} from './dport';
import {
  DEFAULT_MAC,
  decodeEfuseMac,
  efuseChipId,
  efuseIsEsp8285,
  encodeEfuse,
  sdkEfuseMac,
} from './efuse';
import { EdgeIrqSource, InterruptRouter } from './interrupt-router';
import { RecordingIrqSink } from './testing';

function setup(mac?: number[]) {
  const cpu = new RecordingIrqSink();
  const router = new InterruptRouter(cpu);
  const dport = new Dport(router, mac ? { mac } : {});
  return { cpu, router, dport };
}

describe('DPORT cache control (the ROM Cache_Read_Enable protocol)', () => {
  it('flush done reads 1 while flush start is held, SPI busy reads 0, enable reads back', () => {
    const { dport } = setup();
    dport.write(DPORT_CACHE_FLASH_CTRL, DPORT_CACHE_FLUSH_START);
    expect(dport.read(DPORT_CACHE_FLASH_CTRL) & DPORT_CACHE_FLUSH_DONE).toBe(
      DPORT_CACHE_FLUSH_DONE,
    );
    dport.write(DPORT_CACHE_FLASH_CTRL, DPORT_CACHE_READ_EN | (1 << 9));
    expect(dport.read(DPORT_CACHE_FLASH_CTRL)).toBe(DPORT_CACHE_READ_EN);
    // Wait_SPI_Idle polls the mirror at 0x3FF0020C.
    expect(dport.read(0x20c) & (1 << 9)).toBe(0);
  });

  it('reports the mapping: Cache_Read_Enable(1, 1, 1) maps flash 3 MB with a 32 KB cache', () => {
    const { dport } = setup();
    const seen: [boolean, number, number][] = [];
    dport.onCacheChange = (e, off, size) => seen.push([e, off, size]);
    const mapping = DPORT_CACHE_MAP_ODD | (1 << 16) | DPORT_CACHE_SIZE_32K;
    dport.write(DPORT_CACHE_FLASH_CTRL, mapping);
    dport.write(DPORT_CACHE_FLASH_CTRL, mapping | DPORT_CACHE_READ_EN);
    dport.write(DPORT_CACHE_FLASH_CTRL, mapping | DPORT_CACHE_READ_EN);
    expect(seen).toEqual([[true, 0x300000, 0x8000]]);
  });

  it('reports the CPU clock bit as 160/80 MHz, once per change', () => {
    const { dport } = setup();
    const seen: number[] = [];
    dport.onCpuClockChange = (mhz) => seen.push(mhz);
    dport.write(DPORT_CPU_CLOCK, 1);
    dport.write(DPORT_CPU_CLOCK, 1);
    dport.write(DPORT_CPU_CLOCK, 0);
    expect(seen).toEqual([160, 80]);
  });

  it('reports IRAM banks given to the cache (0x24 bits 3/4)', () => {
    const { dport } = setup();
    const seen: number[] = [];
    dport.onIramCacheBanksChange = (b) => seen.push(b);
    dport.write(DPORT_SPI_CACHE_RAM, 0x18);
    expect(seen).toEqual([0x18]);
    expect(dport.read(DPORT_SPI_CACHE_RAM)).toBe(0x18);
  });
});

describe('DPORT interrupt routing', () => {
  it('EDGE_INT_ENABLE gates FRC2 → INT 10', () => {
    const { cpu, router, dport } = setup();
    const frc2 = router.edgeLine(EdgeIrqSource.FRC2);
    frc2.pulse();
    dport.write(DPORT_EDGE_INT_ENABLE, 4);
    frc2.pulse();
    expect(cpu.edges).toEqual([10]);
  });

  it('NmiTimSetFunc (0x0F) routes FRC1 to the NMI; the NMI handler (0x0E … 0x0F) pauses it', () => {
    const { cpu, router, dport } = setup();
    const frc1 = router.edgeLine(EdgeIrqSource.FRC1);
    dport.write(DPORT_EDGE_INT_ENABLE, 2);
    dport.write(DPORT_NMI_INT, 0x0f);
    frc1.pulse();
    expect(cpu.edges).toEqual([14]);
    // NONOS NMI_Handler: write 0x0E, spin until bit 0 reads 0, … , the vector writes 0x0F.
    dport.write(DPORT_NMI_INT, 0x0e);
    expect(dport.read(DPORT_NMI_INT)).toBe(0x0e);
    frc1.pulse();
    expect(cpu.edges).toEqual([14]);
    dport.write(DPORT_NMI_INT, 0x0f);
    expect(dport.read(DPORT_NMI_INT)).toBe(0x0f);
    frc1.pulse();
    expect(cpu.edges).toEqual([14, 14]);
    dport.write(DPORT_NMI_INT, 0);
    frc1.pulse();
    expect(cpu.edges).toEqual([14, 14, 9]);
  });

  it('the RTOS SDK value 0x01 gives the Wi-Fi MAC to the NMI and takes it off INT 0', () => {
    const { cpu, router, dport } = setup();
    const mac = router.wifiMacLine();
    mac.set(true);
    expect(cpu.levels[0]).toBe(true);
    dport.write(DPORT_NMI_INT, 0x01);
    expect(cpu.levels[0]).toBe(false);
    expect(cpu.edges).toEqual([14]);
    // vPortETSIntrLock saves the word, writes 0 and writes it back: still 0x01.
    expect(dport.read(DPORT_NMI_INT)).toBe(0x01);
  });
});

describe('eFuse MAC', () => {
  it('round-trips the default MAC (OUI 18:FE:34) the way esptool reads it', () => {
    const { dport } = setup();
    const words = [0x50, 0x54, 0x58, 0x5c].map((o) => dport.read(o));
    expect(decodeEfuseMac(words)).toEqual([...DEFAULT_MAC]);
    expect(dport.read(DPORT_OTP_MAC3)).toBe(0);
    expect((dport.read(DPORT_OTP_MAC1) >>> 16) & 0xff).toBe(0);
    expect(efuseChipId(words)).toBe(0xa1b2c3);
  });

  it('encodes AC:D0:74 as OUI code 1 and any other OUI in MAC3', () => {
    const a = [0xac, 0xd0, 0x74, 1, 2, 3];
    const wa = encodeEfuse(a);
    expect((wa[1] >>> 16) & 0xff).toBe(1);
    expect(decodeEfuseMac(wa)).toEqual(a);
    const b = [0x5c, 0xcf, 0x7f, 0x10, 0x20, 0x30];
    const wb = encodeEfuse(b);
    expect(wb[3]).toBe(0x5ccf7f);
    expect(decodeEfuseMac(wb)).toEqual(b);
  });

  it('reports a plain ESP8266EX that the SDK accepts, with the same MAC esptool reads', () => {
    for (const mac of [
      [...DEFAULT_MAC],
      [0xac, 0xd0, 0x74, 1, 2, 3],
      [0x5c, 0xcf, 0x7f, 0x10, 0x20, 0x30],
    ]) {
      const words = encodeEfuse(mac);
      expect(efuseIsEsp8285(words)).toBe(false);
      expect(sdkEfuseMac(words)).toEqual(mac);
      expect(decodeEfuseMac(words)).toEqual(mac);
    }
    expect(sdkEfuseMac([0, 0, 0, 0])).toBe('not ESP8266');
    expect(sdkEfuseMac([0, 0, 1 << 15, 0])).toBe('empty otp');
  });

  it('fuse words ignore writes', () => {
    const { dport } = setup([0x18, 0xfe, 0x34, 1, 2, 3]);
    const before = dport.read(DPORT_OTP_MAC0);
    dport.write(DPORT_OTP_MAC0, 0xffffffff);
    expect(dport.read(DPORT_OTP_MAC0)).toBe(before);
    expect(before >>> 24).toBe(3);
  });
});
