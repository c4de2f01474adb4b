/**
 * The RF PLL as far as the radio's channel goes. libphy tunes by computing the PLL's sigma-delta
 * word — `r = 4·(MHz·1024 + offset) / (3·1024·Xtal) − 32`, integer part and two fraction bytes —
 * and handing it to rom_write_rfpll_sdm (docs/wifi-mac.md §5), which writes analog-I²C block 0x63:
 * control register 0 := 7, the integer part to register 3, the fraction bytes to 4 and 5, then
 * register 0 := 0x17, which applies the word. That is the sequence of the copy of the routine
 * that ESP8266_RTOS_SDK v1.5.0's libphy links and calls instead of the ROM's; our ROM does the
 * same (firmware/rom/phy.c).
 *
 * The crystal is not in the word, but the three crystals libphy knows (40, 26, 24 MHz) put the
 * 2.4 GHz band into disjoint ranges of r, so the frequency is the one that lands in the band.
 */
import { I2C_BLOCK_RFPLL_SDM } from './analog-i2c';
import type { SavedState, StateReader } from '../snapshot/state';

export const RFPLL_SDM_CTRL_REG = 0;
export const RFPLL_SDM_INT_REG = 3;
export const RFPLL_SDM_FRAC_HI_REG = 4;
export const RFPLL_SDM_FRAC_LO_REG = 5;
/** Bit 4 of the control register: the word written since is applied. */
export const RFPLL_SDM_APPLY = 0x10;

const XTALS_MHZ = [26, 40, 24];

/** The carrier in MHz that an SDM word stands for (rounded to 1 MHz), or 0 if none is in band. */
export function sdmFrequencyMhz(int: number, fracHi: number, fracLo: number): number {
  const r = int + fracHi / 256 + fracLo / 65536 + 32;
  for (const xtal of XTALS_MHZ) {
    const mhz = Math.round((r * 3 * xtal) / 4);
    if (mhz >= 2400 && mhz <= 2500) return mhz;
  }
  return 0;
}

/** IEEE 802.11 channel of a 2.4 GHz carrier (0 if none within 1 MHz of a channel centre). */
export function channelOfMhz(mhz: number): number {
  if (Math.abs(mhz - 2484) <= 1) return 14;
  const ch = Math.round((mhz - 2407) / 5);
  return ch >= 1 && ch <= 13 && Math.abs(mhz - (2407 + 5 * ch)) <= 1 ? ch : 0;
}

export class RfPll {
  /** The channel the PLL was tuned to (0 before the first tuning). */
  channel = 0;
  private sdm = [0, 0, 0];
  /** A word byte was written since the last apply. */
  private pending = false;

  constructor(private readonly onTune: (channel: number) => void) {}

  /** The tuned channel and the SDM words written so far (restoring tunes nothing). */
  saveState(): SavedState {
    return { channel: this.channel, sdm: [...this.sdm], pending: this.pending };
  }

  restoreState(s: StateReader): void {
    this.channel = s.int('channel');
    const sdm = s.numbers('sdm');
    if (sdm.length === 3) this.sdm = [...sdm];
    this.pending = s.has('pending') ? s.boolean('pending') : false;
  }

  /** An analog-I²C register write (AnalogI2c.onWrite). */
  write(block: number, reg: number, value: number): void {
    if (block !== I2C_BLOCK_RFPLL_SDM) return;
    switch (reg) {
      case RFPLL_SDM_INT_REG:
        this.sdm[0] = value;
        this.pending = true;
        return;
      case RFPLL_SDM_FRAC_HI_REG:
        this.sdm[1] = value;
        this.pending = true;
        return;
      case RFPLL_SDM_FRAC_LO_REG:
        this.sdm[2] = value;
        this.pending = true;
        return;
      case RFPLL_SDM_CTRL_REG: {
        if ((value & RFPLL_SDM_APPLY) === 0 || !this.pending) return;
        this.pending = false;
        const ch = channelOfMhz(sdmFrequencyMhz(this.sdm[0], this.sdm[1], this.sdm[2]));
        if (ch) {
          this.channel = ch;
          this.onTune(ch);
        }
      }
    }
  }
}
