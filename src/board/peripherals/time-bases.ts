/**
 * Clock rates the peripheral models share, with where each value comes from.
 */

/** The APB clock after the SDK starts the PLL: FRC1/FRC2 prescalers and UART dividers count it. */
export const APB_HZ = 80_000_000;

/**
 * The boot clock the ROM runs on before the PLL: the UART divider 694 the ROM computes for 80 MHz
 * gives the 74880-baud banner only at 52 MHz (esp8266-hw.md §5.2, rom-internals §7).
 */
export const BOOT_APB_HZ = 52_000_000;

/**
 * The RTC slow clock (RTC counter 0x6000071C, deep-sleep timer, WDT). The chip's internal RC
 * oscillator is not precisely specified; community notes put it near 150 kHz (esp8266-hw.md §5.7)
 * and the SDK calibrates it at run time, so any stable rate works if the calibration agrees.
 */
export const RTC_SLOW_CLOCK_HZ = 150_000;

/**
 * What GPIO_RTC_CALIB_VALUE counts during a calibration: crystal cycles. NONOS 2.2 libphy
 * `pm_rtc_clock_cali` (own disassembly) starts a calibration of 0x101 RTC cycles, polls bit 31 of
 * 0x60000370, and turns (value & 0x0FFFFFFF) × 16 / crystal-MHz into the RTC period in µs × 4096,
 * taking the crystal from the PHY init data (26 MHz by default). So with 150 kHz and 26 MHz the
 * SDK computes ≈ 6.69 µs per RTC cycle, consistent with RTC_COUNTER.
 */
export const RTC_CALIB_REFERENCE_HZ = 26_000_000;
