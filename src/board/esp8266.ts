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
 * reset but power-on keeps RTC memory and the RTC domain, except that the RST-pin resets (the
 * button, a deep-sleep wake) restart the RTC counter and clear its scratch registers
 * (rtc.pinReset). The cause reaches the ROM through RTC 0x14 (rtc.setResetCause). Resets the chip performs by itself (software reset, watchdog,
 * wake) are requested from inside an access or an alarm and happen at the next slice boundary.
 *
 * Deep sleep: the CPU stops (no instructions, time still passes); the RTC sleep timer wakes the
 * chip with a reset of cause 5 (on a NodeMCU GPIO16 is wired to RST) when 0x18 enabled the timer,
 * otherwise only RST or power wakes it.
 *
 * Wiring (createEsp8266Peripherals builds the blocks): the DPORT cache mapping, DPORT's IRAM bank
 * bits and SPI0's ENABLE_AHB → the bus's flash window (its code parked while it is off); flash
 * program/erase → pre-decoded code in the window, live or parked, is dropped; the APB clock
 * (52 MHz boot, 80 MHz after the PLL) → UARTs and FRC1/FRC2.
 */

import { SimClock, ManualCycleCounter } from './clock.ts';
import { XtensaCpu } from './cpu/index.ts';
import { Esp8266Bus, FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE } from './esp8266-bus.ts';
import { GUEST_RAM, GUEST_RAM_BYTES, allocateGuestMemory } from './memory-layout.ts';
import {
  createEsp8266Peripherals,
  type Dport,
  type Esp8266Peripherals,
  type FrcTimers,
  type Gpio,
  type InterruptRouter,
  type IoMux,
  type Peripheral,
  type Rtc,
  type RtcMemory,
  type SarAdc,
  type SpiFlashController,
  type Uart,
  type Watchdog,
} from './peripherals/index.ts';
import { APB_HZ, BOOT_APB_HZ } from './peripherals/time-bases.ts';
import { WifiDma } from './peripherals/wifi-dma.ts';
import { WifiMac } from './peripherals/wifi-mac.ts';
import { RfPll } from './peripherals/rf-pll.ts';
import { noiseFloorWord, RF_NOISE_FLOOR } from './peripherals/rf-noise-floor.ts';
import { FlashChip } from './flash/flash-chip.ts';
import { ROM_IMAGE_BASE64 } from './rom/rom-image.ts';
import { installRomNatives } from './rom/natives.ts';
import { SnapshotError, type SavedState, type StateReader } from './snapshot/state.ts';

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
  readonly peripherals: Esp8266Peripherals;
  readonly router: InterruptRouter;
  readonly uart0: Uart;
  readonly uart1: Uart;
  readonly iomux: IoMux;
  readonly gpio: Gpio;
  readonly dport: Dport;
  readonly spi0: SpiFlashController;
  readonly frc: FrcTimers;
  readonly rtc: Rtc;
  readonly rtcMemory: RtcMemory;
  readonly wdt: Watchdog;
  readonly sar: SarAdc;
  /** The Wi-Fi MAC on the wDev window, CPU INT 0; its `port` joins it to the air. */
  readonly wifi: WifiMac;
  readonly flashChip: FlashChip;
  readonly blocks: Peripheral[];

  /** A reset the chip performed by itself (watchdog, software reset, wake). */
  onReset: ((cause: number) => void) | null = null;

  private pllLocked = false;
  private rfPll!: RfPll;
  private pendingReset = 0;
  private sleeping = false;

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
    this.bus.parkCode = (addr, len, key) => this.cpu.parkCode(addr, len, key);
    this.bus.unparkCode = (addr, len, key) => this.cpu.unparkCode(addr, len, key);

    this.flashChip = new FlashChip({ bytes: options.flash });
    const p = createEsp8266Peripherals({
      clock: this.clock,
      cpu: this.cpu,
      flash: this.flashChip,
      rtcMemoryBytes: new Uint8Array(this.memory, GUEST_RAM.rtcMem.offset, GUEST_RAM.rtcMem.size),
      mac: options.mac,
      gpio: { boardLevels: options.boardLevels },
    });
    this.peripherals = p;
    this.router = p.router;
    this.uart0 = p.uart0;
    this.uart1 = p.uart1;
    this.iomux = p.iomux;
    this.gpio = p.gpio;
    this.dport = p.dport;
    this.spi0 = p.spi0;
    this.frc = p.frc;
    this.rtc = p.rtc;
    this.rtcMemory = p.rtcMemory;
    this.wdt = p.wdt;
    this.sar = p.sar;
    this.wifi = new WifiMac({
      clock: this.clock,
      irq: p.router.wifiMacLine(),
      dma: new WifiDma(this.bus.dram8, GUEST_RAM.dram.base),
      window: this.bus.wdev,
    });
    this.bus.attachWdev(this.wifi);
    // libphy tunes the radio through the RF PLL (our ROM's rom_write_rfpll_sdm, rf-pll.ts).
    const rfPll = new RfPll((channel) => this.wifi.tune(channel));
    this.rfPll = rfPll;
    p.sar.i2c.onWrite = (block, reg, value) => rfPll.write(block, reg, value);
    // libphy's read_hw_noisefloor polls the measured noise floor every 100 ms (docs/wifi-mac.md §4).
    this.bus.rfRead = (offset, stored) =>
      offset === RF_NOISE_FLOOR ? noiseFloorWord(this.wifi.noiseFloorDbm, stored) : stored;
    this.clock.sealMachineAlarms();

    const blocks = [...p.ioBlocks];
    for (const [index, b] of Object.entries(options.blocks ?? {})) if (b) blocks[Number(index)] = b;
    this.blocks = blocks;
    blocks.forEach((b, i) => this.bus.attach(i, b));
    this.bus.attachDport(this.dport);

    // The flash window and the IRAM cache banks follow DPORT and SPI0.
    const cacheChanged = () => this.bus.updateCacheState();
    this.dport.onCacheChange = cacheChanged;
    this.dport.onIramCacheBanksChange = cacheChanged;
    this.spi0.onFlashWindowChange = cacheChanged;
    this.dport.onCpuClockChange = () => this.applyClocks();
    this.flashChip.onWrite = (offset, len) => this.flashWritten(offset, len);
    this.rtc.onSoftwareReset = () => this.requestReset(ResetCause.Software);
    this.rtc.onDeepSleep = () => {
      this.sleeping = true;
      this.cpu.requestStop();
    };
    this.rtc.onDeepSleepTimer = () => this.requestReset(ResetCause.DeepSleepWake);
    this.rtc.onLightSleep = (asleep) => this.wdt.setPaused(asleep);
    this.wdt.onReset = () => this.requestReset(ResetCause.Watchdog);
    this.rtc.gpioWake = () => this.gpio.wakeupLevelMet();
    this.bus.onIoWrite = (addr, value) => this.watchIoWrite(addr, value);
  }

  /** Power applied: RAM (RTC memory too) starts cleared, the ROM image appears, cause 1. */
  powerOn(): void {
    new Uint8Array(this.memory).fill(0);
    new Uint8Array(this.memory, GUEST_RAM.rom.offset, GUEST_RAM.rom.size).set(decodeRom());
    this.cpu.invalidateCode(GUEST_RAM.rom.base, GUEST_RAM.rom.size);
    this.cpu.invalidateCode(GUEST_RAM.iram.base, GUEST_RAM.iram.size);
    this.rtc.powerOn();
    this.rtcMemory.powerOn();
    this.flashChip.reset();
    this.resetChip(ResetCause.PowerOn);
  }

  /**
   * A chip reset with `cause`: every block and the core start over, RAM keeps its contents
   * (the ROM rewrites its own), the RTC domain and RTC memory survive.
   */
  resetChip(cause: number): void {
    this.pendingReset = 0;
    this.sleeping = false;
    this.peripherals.chipReset();
    this.wifi.reset();
    for (const b of this.blocks) if (!this.peripherals.ioBlocks.includes(b)) b.reset();
    // RST-pin resets (the button; GPIO16 → RST at a timer wake) reach into the RTC domain (rtc.ts).
    if (cause === ResetCause.External || cause === ResetCause.DeepSleepWake)
      this.rtc.pinReset(cause === ResetCause.DeepSleepWake);
    this.rtc.setResetCause(cause);
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

  /** True while the chip is in deep sleep (the CPU executes nothing until a wake reset). */
  get deepSleeping(): boolean {
    return this.sleeping;
  }

  /**
   * A debugger stopped the CPU (breakpoint, step, interrupt): time does not pass until it lets
   * go. Checked once per slice, not per instruction.
   */
  debugStopped = false;

  /** Run until the clock reaches `tick` (see docs/architecture.md). */
  runUntil(tick: number): void {
    const clock = this.clock;
    const cpu = this.cpu;
    // A reset requested from outside a slice (a host-side register write) happens first.
    this.performPendingReset();
    while (clock.now < tick && !this.debugStopped) {
      const until = Math.min(tick, clock.nextAlarmAt());
      if (this.sleeping) cpu.cycles += clock.cyclesUntil(until);
      else cpu.run(clock.cyclesUntil(until));
      clock.fireDue();
      this.performPendingReset();
    }
  }

  private performPendingReset(): void {
    if (!this.pendingReset) return;
    const cause = this.pendingReset;
    this.resetChip(cause);
    this.onReset?.(cause);
  }

  get cpuMhz(): number {
    return this.clock.cpuMhz;
  }

  get pllIsLocked(): boolean {
    return this.pllLocked;
  }

  private applyClocks(): void {
    const mhz = !this.pllLocked ? BOOT_MHZ : this.dport.cpuMhz;
    this.clock.setCpuMhz(mhz);
    this.peripherals.setApbHz(this.pllLocked ? APB_HZ : BOOT_APB_HZ);
  }

  /**
   * The whole chip: RAM (one buffer: DRAM, ETS RAM, IRAM, ROM, RTC memory), the core, the bus,
   * the interrupt router, every block by name, the Wi-Fi MAC, the flash chip's status, the
   * clock with its pending alarms, and the SoC's own flags. The flash contents are the board's.
   */
  saveState(): SavedState {
    const blocks: Record<string, SavedState> = { DPORT: this.dport.saveState() };
    for (const b of this.blocks) {
      if (blocks[b.name]) throw new Error(`two blocks are named ${b.name}`);
      blocks[b.name] = b.saveState();
    }
    return {
      memory: new Uint8Array(this.memory).slice(),
      cpu: this.cpu.saveState(),
      bus: this.bus.saveState(),
      router: this.router.saveState(),
      blocks,
      wifi: this.wifi.saveState(),
      rfPll: this.rfPll.saveState(),
      flashChip: this.flashChip.saveState(),
      pllLocked: this.pllLocked,
      pendingReset: this.pendingReset,
      sleeping: this.sleeping,
      clock: this.clock.saveState(),
    };
  }

  /**
   * Put the chip back as `saveState` found it. Nothing fires on the way (no reset, no pin or baud
   * reports); decoded and compiled code is dropped, since RAM and the flash window changed.
   */
  restoreState(s: StateReader): void {
    const memory = s.bytes('memory');
    if (memory.length !== this.memory.byteLength)
      throw new SnapshotError(
        `snapshot field memory: ${memory.length} bytes, this board has ${this.memory.byteLength}`,
      );
    new Uint8Array(this.memory).set(memory);
    this.cpu.restoreState(s.child('cpu'));
    this.bus.restoreState(s.child('bus'));
    this.router.restoreState(s.child('router'));
    const blocks = s.child('blocks');
    this.dport.restoreState(blocks.child('DPORT'));
    for (const b of this.blocks) b.restoreState(blocks.child(b.name));
    this.wifi.restoreState(s.child('wifi'));
    // Files saved before the RF PLL model existed lack it: its channel then stays untuned.
    if (s.has('rfPll')) this.rfPll.restoreState(s.child('rfPll'));
    this.flashChip.restoreState(s.child('flashChip'));
    this.pllLocked = s.boolean('pllLocked');
    this.pendingReset = s.int('pendingReset');
    this.sleeping = s.boolean('sleeping');
    this.clock.restoreState(s.child('clock'));
  }

  /**
   * Flash bytes [offset, offset + len) changed: code decoded from them through the window is
   * stale, whether the window is on or off with its code parked under the flash offset it showed
   * (the ROM erases and programs with the cache off).
   */
  private flashWritten(offset: number, len: number): void {
    const on = this.bus.flashWindowMappedAt;
    const window = on >= 0 ? on : this.cpu.parkedCodeKey;
    if (window < 0) return;
    const size = this.flashChip.size;
    if (size < FLASH_WINDOW_SIZE) {
      this.cpu.invalidateCode(FLASH_WINDOW_BASE, FLASH_WINDOW_SIZE);
      return;
    }
    // Window byte i shows flash byte (window + i) mod size (esp8266-bus.ts): a mapping past the
    // end of the chip wraps to its start, and so does a window that runs over the end.
    const start = window % size;
    const end = start + FLASH_WINDOW_SIZE;
    this.invalidateWindow(offset, len, start, Math.min(end, size), 0);
    if (end > size) this.invalidateWindow(offset, len, 0, end - size, size - start);
  }

  /** Drop code from flash [offset, offset + len) ∩ [from, to), which the window shows at `at`. */
  private invalidateWindow(
    offset: number,
    len: number,
    from: number,
    to: number,
    at: number,
  ): void {
    const first = Math.max(offset, from);
    const last = Math.min(offset + len, to);
    if (first < last)
      this.cpu.invalidateCode(FLASH_WINDOW_BASE + at + (first - from), last - first);
  }

  private watchIoWrite(addr: number, value: number): void {
    const block = (addr >>> 8) & 0xf;
    const offset = addr & 0xfc;
    if (block === Block.ANALOG_I2C && offset < 0x20) {
      if (!this.pllLocked && (value & 0x7f) === I2C_BBPLL_BLOCK && value & I2C_WRITE) {
        this.pllLocked = true;
        this.applyClocks();
      }
    }
  }
}
