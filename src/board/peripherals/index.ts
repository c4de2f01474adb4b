/**
 * The ESP8266 peripheral models. The SoC integrator builds them, wires their IRQ lines through the
 * InterruptRouter and maps them on the bus; see each file's header for its constructor and seams.
 */

export * from './peripheral';
export * from './interrupt-router';
export * from './time-bases';
export { Uart, UART_ROM_USER_ENTRY, type UartLineError } from './uart';
export { IoMux, IOMUX_INDEX_OF_GPIO, GPIO_OF_IOMUX_INDEX, gpioFunctionOf } from './iomux';
export { Gpio, DEFAULT_BOARD_LEVELS, type GpioOptions } from './gpio';
export { Dport, type DportOptions } from './dport';
export {
  DEFAULT_MAC,
  encodeEfuse,
  decodeEfuseMac,
  efuseChipId,
  efuseIsEsp8285,
  sdkEfuseMac,
} from './efuse';
export { SpiFlashController } from './spi-flash-controller';
export { FrcTimers } from './frc-timers';
export {
  Rtc,
  RTC_RESET_CAUSE_POWER_ON,
  RTC_RESET_CAUSE_EXTERNAL,
  RTC_RESET_CAUSE_SOFTWARE,
  RTC_RESET_CAUSE_WDT,
  RTC_RESET_CAUSE_DEEP_SLEEP,
} from './rtc';
export { Gpio16, GPIO16_PIN } from './gpio16';
export { RtcMemory, RTC_MEMORY_BYTES } from './rtc-memory';
export { Watchdog, wdtStageTicks } from './watchdog';
export { SarAdc, ADC_MAX } from './adc';
export { AnalogI2c } from './analog-i2c';
export { RfStub } from './rf-stub';
export {
  createEsp8266Peripherals,
  IO_BLOCK_BASE,
  type Esp8266PeripheralOptions,
  type Esp8266Peripherals,
} from './esp8266-peripherals';
export { WifiMac, WifiReg, WifiInt, TxResult, type WifiMacStats } from './wifi-mac';
export {
  WifiRate,
  airtimeMicros,
  type WifiRadioPort,
  type WifiReception,
  type WifiTransmission,
  type WifiTxOutcome,
  type WifiKey,
} from './wifi-radio-port';
