/**
 * Every ESP8266 peripheral, built and wired the way the chip wires them. A convenience for the
 * SoC: it still owns the bus, the CPU and the reset policy.
 *
 *   const p = createEsp8266Peripherals({ clock, cpu, flash, rtcMemoryBytes, mac });
 *   p.ioBlocks[(addr >>> 8) & 0xf]   // the block for 0x60000000..0x60000FFF, by 0x100-byte slot
 *   p.dport                          // 0x3FF00000 (mirrored every 0x100 up to 0x3FF00FFF)
 *   p.rtcMemory                      // 0x60001000, 1 KB (or map rtcMemory.bytes as RAM)
 *   p.chipReset(); p.powerOn();
 *
 * Interrupt wiring (esp8266-hw.md §6): UART0+UART1 → INT 5 (OR-ed), GPIO → INT 4, RTC → INT 3,
 * WDT → INT 8, FRC1 → INT 9 or NMI, FRC2 → INT 10 (edges gated by DPORT EDGE_INT_ENABLE).
 * Not wired here (the SoC decides): dport.onCacheChange / onCpuClockChange /
 * onIramCacheBanksChange, spi0.onFlashWindowChange, rtc.onSoftwareReset / onDeepSleep /
 * onDeepSleepTimer, wdt.onReset, flash.onWrite, and the host seams.
 */

import type { SimClock } from '../clock';
import type { FlashChip } from '../flash/flash-chip';
import { SarAdc } from './adc';
import { Dport } from './dport';
import { FrcTimers } from './frc-timers';
import { Gpio, type GpioOptions } from './gpio';
import { CpuIrq, EdgeIrqSource, InterruptRouter } from './interrupt-router';
import { IoMux } from './iomux';
import { StoragePeripheral, type IrqSink, type Peripheral } from './peripheral';
import { RfStub } from './rf-stub';
import { Rtc } from './rtc';
import { RtcMemory } from './rtc-memory';
import { SpiFlashController } from './spi-flash-controller';
import { Uart } from './uart';
import { Watchdog } from './watchdog';

export const IO_BLOCK_BASE = 0x60000000;

export interface Esp8266PeripheralOptions {
  clock: SimClock;
  /** The CPU's interrupt inputs. */
  cpu: IrqSink;
  flash: FlashChip;
  /** 1 KB view of the guest-memory buffer for RTC memory (GUEST_RAM.rtcMem). */
  rtcMemoryBytes?: Uint8Array;
  mac?: ArrayLike<number>;
  gpio?: GpioOptions;
}

export interface Esp8266Peripherals {
  readonly router: InterruptRouter;
  readonly dport: Dport;
  readonly uart0: Uart;
  readonly uart1: Uart;
  readonly spi0: SpiFlashController;
  readonly spi1: SpiFlashController;
  readonly gpio: Gpio;
  readonly iomux: IoMux;
  readonly rf: RfStub;
  readonly frc: FrcTimers;
  readonly rtc: Rtc;
  readonly rtcMemory: RtcMemory;
  readonly wdt: Watchdog;
  readonly sdio: StoragePeripheral;
  readonly slc: StoragePeripheral;
  readonly sar: SarAdc;
  readonly i2s: StoragePeripheral;
  /** The 16 blocks of 0x60000000..0x60000FFF, indexed by address bits [11:8]. */
  readonly ioBlocks: readonly Peripheral[];
  /** Every block's chip reset (the RTC domain and RTC memory keep their state). */
  chipReset(): void;
  /** Power-on: chip reset plus the RTC domain and RTC memory. */
  powerOn(): void;
  /** The clock UART dividers and FRC prescalers count (52 MHz boot clock, 80 MHz after PLL). */
  setApbHz(hz: number): void;
}

export function createEsp8266Peripherals(options: Esp8266PeripheralOptions): Esp8266Peripherals {
  const { clock, cpu, flash } = options;
  const router = new InterruptRouter(cpu);
  const dport = new Dport(router, options.mac ? { mac: options.mac } : {});
  const uart0 = new Uart(clock, router.levelLine(CpuIrq.UART), 0);
  const uart1 = new Uart(clock, router.levelLine(CpuIrq.UART), 1);
  const spi0 = new SpiFlashController('SPI0', flash);
  const spi1 = new SpiFlashController('SPI1', null);
  const iomux = new IoMux();
  const gpio = new Gpio(router.levelLine(CpuIrq.GPIO), iomux, options.gpio);
  const rf = new RfStub();
  const frc = new FrcTimers(
    clock,
    router.edgeLine(EdgeIrqSource.FRC1),
    router.edgeLine(EdgeIrqSource.FRC2),
  );
  const rtc = new Rtc(clock, router.levelLine(CpuIrq.RTC));
  const rtcMemory = new RtcMemory(options.rtcMemoryBytes);
  const wdt = new Watchdog(clock, router.edgeLine(EdgeIrqSource.WDT));
  const sdio = new StoragePeripheral('SDIO');
  const slc = new StoragePeripheral('SLC');
  const sar = new SarAdc();
  const i2s = new StoragePeripheral('I2S');
  const unknown4 = new StoragePeripheral('IO 0x400');
  const unknownC = new StoragePeripheral('IO 0xC00');
  const ioBlocks: Peripheral[] = [
    uart0, // 0x000
    spi1, // 0x100
    spi0, // 0x200
    gpio, // 0x300
    unknown4, // 0x400
    rf, // 0x500
    frc, // 0x600
    rtc, // 0x700
    iomux, // 0x800
    wdt, // 0x900
    sdio, // 0xA00
    slc, // 0xB00
    unknownC, // 0xC00
    sar, // 0xD00
    i2s, // 0xE00
    uart1, // 0xF00
  ];

  const chipReset = (): void => {
    dport.reset();
    // IO MUX before GPIO: the strap latch samples pads with the pulls in their reset state.
    iomux.reset();
    for (const block of ioBlocks) if (block !== iomux) block.reset();
  };

  return {
    router,
    dport,
    uart0,
    uart1,
    spi0,
    spi1,
    gpio,
    iomux,
    rf,
    frc,
    rtc,
    rtcMemory,
    wdt,
    sdio,
    slc,
    sar,
    i2s,
    ioBlocks,
    chipReset,
    powerOn(): void {
      rtc.powerOn();
      rtcMemory.powerOn();
      flash.reset();
      chipReset();
    },
    setApbHz(hz: number): void {
      uart0.apbHz = hz;
      uart1.apbHz = hz;
      frc.apbHz = hz;
    },
  };
}
