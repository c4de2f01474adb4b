/*
 * The ROM's PHY/RF helpers (esp8266-hw.md §7.1 "PHY/RF ROM helpers", §7.3 0x3FFFC730).
 *
 * libphy reaches these two ways: directly by their documented addresses, and through the table
 * of function pointers phy_get_romfuncs() returns (0x3FFFC734, filled at reset from ram_fixed.S;
 * the SDK replaces some slots with its own RAM versions). Slot order: the pvvx `phy_func_tab`
 * layout (71 words, slot 39 = rom_i2c_writeReg_Mask at byte 156, as the reference says).
 *
 * What is real here: the analog I2C accessors (the PLL, the RF front end and the SAR ADC sit
 * behind them, and the board's clock model watches the PLL writes) and the channel arithmetic.
 * Everything else calibrates or drives the radio, which v8266 does not have ("Wi-Fi idle"): those
 * helpers touch no hardware and report a calibrated, idle radio - zero offsets, zero power, no
 * correction to apply - which is what a firmware that only needs to get past its start-up wants.
 * Each group below says what it returns.
 */
#include "rom.h"

#define I2C_MASTER_HOST(host) REG(0x60000D00u + 4u * (host))
#define I2C_CMD_WRITE (1u << 24)
#define I2C_CMD_BUSY (1u << 25)
#define I2C_DATA_SHIFT 16

/* One analog I2C transfer on `host`'s command register; returns the command word when done. */
static uint32_t i2c_transfer(uint32_t host, uint32_t cmd) {
  I2C_MASTER_HOST(host) = cmd;
  uint32_t v;
  while ((v = I2C_MASTER_HOST(host)) & I2C_CMD_BUSY) {
  }
  return v;
}

uint32_t IMPL(rom_i2c_readReg)(uint32_t block, uint32_t host, uint32_t reg) {
  uint32_t cmd = (block & 0xFF) | (reg & 0xFF) << 8;
  return (i2c_transfer(host, cmd) >> I2C_DATA_SHIFT) & 0xFF;
}

void IMPL(rom_i2c_writeReg)(uint32_t block, uint32_t host, uint32_t reg, uint32_t data) {
  i2c_transfer(host, (block & 0xFF) | (reg & 0xFF) << 8 | (data & 0xFF) << I2C_DATA_SHIFT |
                         I2C_CMD_WRITE);
}

static uint32_t field_mask(uint32_t msb, uint32_t lsb) {
  uint32_t width = msb - lsb + 1;
  return width >= 8 ? 0xFF : (1u << width) - 1;
}

uint32_t IMPL(rom_i2c_readReg_Mask)(uint32_t block, uint32_t host, uint32_t reg, uint32_t msb,
                                    uint32_t lsb) {
  return (impl_rom_i2c_readReg(block, host, reg) >> lsb) & field_mask(msb, lsb);
}

void IMPL(rom_i2c_writeReg_Mask)(uint32_t block, uint32_t host, uint32_t reg, uint32_t msb,
                                 uint32_t lsb, uint32_t data) {
  uint32_t mask = field_mask(msb, lsb) << lsb;
  uint32_t v = impl_rom_i2c_readReg(block, host, reg);
  impl_rom_i2c_writeReg(block, host, reg, (v & ~mask) | ((data << lsb) & mask));
}

/* 0x3FFFC730 holds the table's address (ram_fixed.S); the SDK may point it elsewhere. */
void *IMPL(phy_get_romfuncs)(void) { return *(void *volatile *)0x3FFFC730; }

/* MHz → IEEE 802.11 channel: 2484 is channel 14, 2.4 GHz channels are 5 MHz apart from 2407. */
uint32_t IMPL(rom_mhz2ieee)(uint32_t mhz, uint32_t flags) {
  (void)flags;
  if (mhz == 2484) return 14;
  if (mhz < 2484) return (mhz - 2407) / 5;
  return (mhz - 5000) / 5;
}

/*
 * The RF PLL's sigma-delta word, which sets the carrier and so the channel. libphy's channel
 * change (ram_set_channel_freq, and set_rf_freq_offset in SDK 3.x) computes it with
 * ram_rfpll_set_freq - (MHz·1024 + offset)·4 / (3·1024·Xtal) − 32, integer part then two
 * fraction bytes - and passes a pointer to the three bytes through table slot +224 (docs/wifi-mac.md
 * §5). The registers are the chip's: ESP8266_RTOS_SDK v1.5.0's libphy links its own copy of this
 * routine (phy_chip_v5_ana_romfunc.o), which writes analog-I²C block 0x63, host 0: register 0 := 7,
 * the word to registers 3, 4, 5, then register 0 := 0x17. The board re-tunes on that last write
 * (rf-pll.ts), so a firmware with either copy tunes the same way.
 */
#define RFPLL_SDM_BLOCK 0x63u
#define RFPLL_SDM_HOST 0u
#define RFPLL_SDM_CTRL 0u
#define RFPLL_SDM_CTRL_WRITING 0x07u
#define RFPLL_SDM_CTRL_APPLY 0x17u
#define RFPLL_SDM_INT 3u
#define RFPLL_SDM_FRAC_HI 4u
#define RFPLL_SDM_FRAC_LO 5u

void IMPL(rom_write_rfpll_sdm)(const uint8_t *sdm) {
  impl_rom_i2c_writeReg(RFPLL_SDM_BLOCK, RFPLL_SDM_HOST, RFPLL_SDM_CTRL, RFPLL_SDM_CTRL_WRITING);
  impl_rom_i2c_writeReg(RFPLL_SDM_BLOCK, RFPLL_SDM_HOST, RFPLL_SDM_INT, sdm[0]);
  impl_rom_i2c_writeReg(RFPLL_SDM_BLOCK, RFPLL_SDM_HOST, RFPLL_SDM_FRAC_HI, sdm[1]);
  impl_rom_i2c_writeReg(RFPLL_SDM_BLOCK, RFPLL_SDM_HOST, RFPLL_SDM_FRAC_LO, sdm[2]);
  impl_rom_i2c_writeReg(RFPLL_SDM_BLOCK, RFPLL_SDM_HOST, RFPLL_SDM_CTRL, RFPLL_SDM_CTRL_APPLY);
}

/*
 * Linear power of the TX calibration tone, as the power detector measures it. libphy's TX
 * calibration (NONOS SDK libphy, the TX-IQ and TX-cap steps; NodeMCU 0.9.2/0.9.4's older libphy
 * too) calls this through table slot +112 with (4, 10), stores the result as a signed 16-bit
 * number, keeps the largest over the settings it tries, and divides by the sum of two readings:
 * 0 is a division by zero on the chip's behalf. No public source gives the chip's number (no
 * published calibration log prints it); 1024 is our choice: positive, the same for every setting
 * (so every setting compares equal and the calibration has nothing to correct), and small enough
 * that the caller's sums stay far inside 16 bits. docs/rom.md, "PHY read-backs".
 */
uint32_t IMPL(rom_txtone_linear_pwr)(uint32_t shift, uint32_t samples) {
  (void)shift;
  (void)samples;
  return 1024;
}

/*
 * The radio is idle and calibrated: the estimators and getters return 0 (no offset, no
 * mismatch, nothing measured), the setters, enables and calibration steps do nothing.
 */
static uint32_t phy_idle(void) { return 0; }

#define PHY_IDLE(name) __typeof__(phy_idle) impl_##name __attribute__((alias("phy_idle")))
PHY_IDLE(rom_abs_temp);
PHY_IDLE(rom_chip_v5_disable_cca);
PHY_IDLE(rom_chip_v5_enable_cca);
PHY_IDLE(rom_chip_v5_sense_backoff);
PHY_IDLE(rom_dc_iq_est);
PHY_IDLE(rom_en_pwdet);
PHY_IDLE(rom_get_bb_atten);
PHY_IDLE(rom_get_corr_power);
PHY_IDLE(rom_get_fm_sar_dout);
PHY_IDLE(rom_get_noisefloor);
PHY_IDLE(rom_get_power_db);
PHY_IDLE(rom_iq_est_disable);
PHY_IDLE(rom_iq_est_enable);
PHY_IDLE(rom_linear_to_db);
PHY_IDLE(rom_set_txclk_en);
PHY_IDLE(rom_set_rxclk_en);
PHY_IDLE(rom_rxiq_get_mis);
PHY_IDLE(rom_sar_init);
PHY_IDLE(rom_set_ana_inf_tx_scale);
PHY_IDLE(rom_set_loopback_gain);
PHY_IDLE(rom_set_noise_floor);
PHY_IDLE(rom_start_noisefloor);
PHY_IDLE(rom_start_tx_tone);
PHY_IDLE(rom_stop_tx_tone);
PHY_IDLE(rom_tx_mac_disable);
PHY_IDLE(rom_tx_mac_enable);
PHY_IDLE(rom_ana_inf_gating_en);
PHY_IDLE(rom_set_channel_freq);
PHY_IDLE(rom_chip_50_set_channel);
PHY_IDLE(rom_chip_v5_rx_init);
PHY_IDLE(rom_chip_v5_tx_init);
PHY_IDLE(rom_pbus_debugmode);
PHY_IDLE(rom_pbus_enter_debugmode);
PHY_IDLE(rom_pbus_exit_debugmode);
PHY_IDLE(rom_pbus_force_test);
PHY_IDLE(rom_pbus_rd);
PHY_IDLE(rom_pbus_set_rxgain);
PHY_IDLE(rom_pbus_set_txgain);
PHY_IDLE(rom_pbus_workmode);
PHY_IDLE(rom_pbus_xpd_rx_off);
PHY_IDLE(rom_pbus_xpd_rx_on);
PHY_IDLE(rom_pbus_xpd_tx_off);
PHY_IDLE(rom_pbus_xpd_tx_on);
PHY_IDLE(rom_pbus_xpd_tx_on__low_gain);
PHY_IDLE(rom_phy_reset_req);
PHY_IDLE(rom_restart_cal);
PHY_IDLE(rom_rfpll_reset);
PHY_IDLE(rom_rfpll_set_freq);
PHY_IDLE(rom_cal_tos_v50);
PHY_IDLE(rom_pbus_dco___SA2);
PHY_IDLE(rom_rfcal_pwrctrl);
PHY_IDLE(rom_rfcal_rxiq);
PHY_IDLE(rom_rfcal_rxiq_set_reg);
PHY_IDLE(rom_rfcal_txcap);
PHY_IDLE(rom_rfcal_txiq);
PHY_IDLE(rom_rfcal_txiq_cover);
PHY_IDLE(rom_rfcal_txiq_set_reg);
PHY_IDLE(rom_rxiq_cover_mg_mp);
PHY_IDLE(rom_set_txbb_atten);
PHY_IDLE(rom_set_txiq_cal);
