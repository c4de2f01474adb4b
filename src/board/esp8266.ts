/**
 * The ESP8266 SoC: the LX106 core, the bus, the peripheral blocks, interrupt routing, clocks
 * and resets. The board (board.ts) adds the module around it (flash chip, LEDs, button).
 *
 * Clocks. The chip leaves reset on its boot clock: the PLL is still set up for a 40 MHz crystal
 * while the module has a 26 MHz one, so CPU and APB run at 80·26/40 = 52 MHz. The ROM computes its
 * UART divider for 80 MHz (694) and the banner therefore leaves at 52e6/694 ≈ 74880 baud. The SDK
 * reprograms the PLL over the analog I²C bus (block 0x67, i2c_bbpll) before its first print; from
 * then on the APB runs at 80 MHz and the CPU at 80 or 160 MHz (DPORT 0x14 bit 0), so
 * uart_div_modify(0, 80000000/115200) gives 115200 baud. We model exactly that switch: the first
 * write command to analog-I²C block 0x67 "locks the PLL". Every chip reset returns to 52 MHz.
 *
 * Resets. Power-on clears all RAM (RTC memory included) and reports cause 1; an external reset
 * (RST pin) reports 2, the RTC software-reset bit 3, the watchdog 4, a deep-sleep wake 5. Every
 * reset but power-on keeps RTC memory. The reset cause reaches the ROM through RTC 0x14.
 */

import { SimClock, ManualCycleCounter } from './clock.ts';
import { XtensaCpu } from './cpu/index.ts';
import { Esp8266Bus } from './esp8266-bus.ts';
import { GUEST_RAM, GUEST_RAM_BYTES, allocateGuestMemory } from './memory-layout.ts';
import {
  CpuIrq,
  Dport,
  Gpio,
  InterruptRouter,
  IoMux,
  StoragePeripheral,
  Uart,
  type Peripheral,
} from './peripherals/index.ts';
import { SpiFlashController } from './peripherals/spi-flash-controller.ts';
import { APB_HZ, BOOT_APB_HZ } from './peripherals/time-bases.ts';
import { FlashChip } from './flash/flash-chip.ts';
import { ROM_IMAGE_BASE64 } from './rom/rom-image.ts';
import { installRomNatives } from './rom/natives.ts';

export const enum ResetCause {
  PowerOn = 1,
  External = 2,
  Software = 3,
  Watchdog = 4,
  DeepSleepWake = 5,
}

/** Peripheral block index on the bus (0x60000000 + 0x100·index). */
export const Block = {
  UART0: 0x0,
  SPI1: 0x1,
  SPI0: 0x2,
  GPIO: 0x3,
  FRC: 0x6,
  RTC: 0x7,
  IOMUX: 0x8,
  WDT: 0x9,
  SDIO: 0xa,
  SLC: 0xb,
  ANALOG_I2C: 0xd,
  I2S: 0xe,
  UART1: 0xf,
} as const;

const BOOT_MHZ = 52;
const RTC_RESET_CAUSE = 0x14;
const RTC_CTRL0 = 0x00;
const RTC_SOFTWARE_RESET = 1 << 31;
const I2C_BBPLL_BLOCK = 0x67;
const I2C_WRITE = 1 << 24;

export interface SocOptions {
  flash: Uint8Array;
  memory?: ArrayBuffer | SharedArrayBuffer;
  mac?: ArrayLike<number>;
  /** Board pull resistors per GPIO (strap pins!). */
  boardLevels?: Readonly<Record<number, 0 | 1>>;
  /** Blocks to map instead of the defaults (tests; blocks not modelled yet). */
  blocks?: Partial<Record<number, Peripheral>>;
  rngSeed?: number;
}

let romImage: Uint8Array | null = null;
function decodeRom(): Uint8Array {
  if (!romImage) {
    const bin = atob(ROM_IMAGE_BASE64);
    romImage = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) romImage[i] = bin.charCodeAt(i);
  }
  return romImage;
}

export class Esp8266 {
  readonly memory: ArrayBuffer | SharedArrayBuffer;
  readonly clock: SimClock;
  readonly bus: Esp8266Bus;
  readonly cpu: XtensaCpu;
  readonly router: InterruptRouter;
  readonly uart0: Uart;
  readonly uart1: Uart;
  readonly iomux: IoMux;
  readonly gpio: Gpio;
  readonly dport: Dport;
  readonly flashChip: FlashChip;
  readonly blocks: Peripheral[];

  /** A reset the chip performed by itself (watchdog, software reset, wake). */
  onReset: ((cause: number) => void) | null = null;

  private pllLocked = false;
  private pendingReset = 0;

  constructor(options: SocOptions) {
    this.memory = options.memory ?? allocateGuestMemory(GUEST_RAM_BYTES);
    this.clock = new SimClock(new ManualCycleCounter(), BOOT_MHZ);
    this.bus = new Esp8266Bus({
      memory: this.memory,
      flash: options.flash,
      clock: this.clock,
      rngSeed: options.rngSeed,
    });
    this.cpu = new XtensaCpu(this.bus);
    installRomNatives(this.cpu);
    this.clock.attachCounter(this.cpu);
    this.clock.onEarlierAlarm = () => this.cpu.requestStop();
    this.bus.invalidateCode = (addr, len) => this.cpu.invalidateCode(addr, len);

    this.router = new InterruptRouter(this.cpu);
    this.uart0 = new Uart(this.clock, this.router.levelLine(CpuIrq.UART), 0, BOOT_APB_HZ);
    this.uart1 = new Uart(this.clock, this.router.levelLine(CpuIrq.UART), 1, BOOT_APB_HZ);
    this.iomux = new IoMux();
    this.gpio = new Gpio(this.router.levelLine(CpuIrq.GPIO), this.iomux, {
      boardLevels: options.boardLevels,
    });
    this.dport = new Dport(this.router, { mac: options.mac });
    this.dport.onCpuClockChange = () => this.applyClocks();

    this.flashChip = new FlashChip({ bytes: options.flash });
    const blocks: Peripheral[] = [];
    for (let i = 0; i < 16; i++) blocks.push(new StoragePeripheral(`io${i.toString(16)}`));
    blocks[Block.UART0] = this.uart0;
    blocks[Block.UART1] = this.uart1;
    blocks[Block.SPI0] = new SpiFlashController('SPI0', this.flashChip);
    blocks[Block.SPI1] = new SpiFlashController('SPI1', null);
    blocks[Block.GPIO] = this.gpio;
    blocks[Block.IOMUX] = this.iomux;
    for (const [index, p] of Object.entries(options.blocks ?? {})) if (p) blocks[Number(index)] = p;
    this.blocks = blocks;
    blocks.forEach((p, i) => this.bus.attach(i, p));
    this.bus.attachDport(this.dport);
    this.bus.onIoWrite = (addr, value) => this.watchIoWrite(addr, value);
  }

  get rtc(): Peripheral {
    return this.blocks[Block.RTC];
  }

  /** Power applied: RAM (RTC memory too) starts cleared, the ROM image appears, cause 1. */
  powerOn(): void {
    new Uint8Array(this.memory).fill(0);
    new Uint8Array(this.memory, GUEST_RAM.rom.offset, GUEST_RAM.rom.size).set(decodeRom());
    this.cpu.invalidateCode(GUEST_RAM.rom.base, GUEST_RAM.rom.size);
    this.cpu.invalidateCode(GUEST_RAM.iram.base, GUEST_RAM.iram.size);
    this.resetChip(ResetCause.PowerOn);
  }

  /**
   * A chip reset with `cause`: every block and the core start over, RAM keeps its contents
   * (the ROM rewrites its own), RTC memory survives.
   */
  resetChip(cause: number): void {
    this.pendingReset = 0;
    for (const p of this.blocks) p.reset();
    this.dport.reset();
    this.rtc.write(RTC_RESET_CAUSE, cause);
    this.gpio.latchStraps();
    this.pllLocked = false;
    this.applyClocks();
    this.bus.reset();
    this.cpu.reset();
  }

  /** Ask for a reset from inside an access or an alarm; it happens at the next slice boundary. */
  requestReset(cause: number): void {
    this.pendingReset = cause;
    this.cpu.requestStop();
  }

  /** Run until the clock reaches `tick` (see docs/architecture.md). */
  runUntil(tick: number): void {
    const clock = this.clock;
    while (clock.now < tick) {
      const until = Math.min(tick, clock.nextAlarmAt());
      this.cpu.run(clock.cyclesUntil(until));
      clock.fireDue();
      if (this.pendingReset) {
        const cause = this.pendingReset;
        this.resetChip(cause);
        this.onReset?.(cause);
      }
    }
  }

  get cpuMhz(): number {
    return this.clock.cpuMhz;
  }

  private applyClocks(): void {
    const mhz = !this.pllLocked ? BOOT_MHZ : this.dport.read(0x14) & 1 ? 160 : 80;
    this.clock.setCpuMhz(mhz);
    const apb = this.pllLocked ? APB_HZ : BOOT_APB_HZ;
    this.uart0.apbHz = apb;
    this.uart1.apbHz = apb;
  }

  private watchIoWrite(addr: number, value: number): void {
    const block = (addr >>> 8) & 0xf;
    const offset = addr & 0xfc;
    if (block === Block.ANALOG_I2C && offset < 0x20) {
      if (!this.pllLocked && (value & 0x7f) === I2C_BBPLL_BLOCK && value & I2C_WRITE) {
        this.pllLocked = true;
        this.applyClocks();
      }
    } else if (block === Block.RTC && offset === RTC_CTRL0 && value & RTC_SOFTWARE_RESET) {
      this.requestReset(ResetCause.Software);
    }
  }
}
