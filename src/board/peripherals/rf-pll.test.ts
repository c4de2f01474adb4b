import { describe, expect, it } from 'vitest';
import { I2C_BLOCK_RFPLL_SDM } from './analog-i2c';
import { channelOfMhz, RfPll, sdmFrequencyMhz } from './rf-pll';
import { noiseFloorWord } from './rf-noise-floor';

/** The word libphy's ram_rfpll_set_freq computes: 4·MHz / (3·Xtal) − 32, integer + two fraction bytes. */
function sdmWord(mhz: number, xtal: number): [number, number, number] {
  const r = Math.floor(((4 * mhz) / (3 * xtal) - 32) * 65536);
  return [r >>> 16, (r >>> 8) & 255, r & 255];
}

describe('RF PLL word → channel', () => {
  it('recovers every 2.4 GHz channel for the 26, 40 and 24 MHz crystals', () => {
    for (const xtal of [26, 40, 24])
      for (let ch = 1; ch <= 14; ch++) {
        const mhz = ch === 14 ? 2484 : 2407 + 5 * ch;
        expect(channelOfMhz(sdmFrequencyMhz(...sdmWord(mhz, xtal)))).toBe(ch);
      }
  });

  it('tunes when the control register applies the word, as rom_write_rfpll_sdm writes it', () => {
    const tuned: number[] = [];
    const pll = new RfPll((ch) => tuned.push(ch));
    const [i, hi, lo] = sdmWord(2437, 26);
    pll.write(I2C_BLOCK_RFPLL_SDM, 0, 0x07);
    pll.write(I2C_BLOCK_RFPLL_SDM, 3, i);
    pll.write(I2C_BLOCK_RFPLL_SDM, 4, hi);
    pll.write(I2C_BLOCK_RFPLL_SDM, 5, lo);
    expect(tuned).toEqual([]);
    pll.write(0x62, 0, 0x17); // the other PLL block: not the word's
    expect(tuned).toEqual([]);
    pll.write(I2C_BLOCK_RFPLL_SDM, 0, 0x17);
    expect(tuned).toEqual([6]);
    expect(pll.channel).toBe(6);
    pll.write(I2C_BLOCK_RFPLL_SDM, 0, 0x17); // nothing new written: no second tuning
    expect(tuned).toEqual([6]);
  });

  it('ignores words outside the band', () => {
    expect(sdmFrequencyMhz(0, 0, 0)).toBe(0);
    expect(channelOfMhz(2450)).toBe(0);
  });
});

describe('noise floor word', () => {
  it('is what read_hw_noisefloor and ppRx turn back into the same dBm', () => {
    for (const dbm of [-100, -96, -95, -80]) {
      const raw = noiseFloorWord(dbm, 0xabcd0000) & 0xfff;
      const quarterDb = (raw - 4095) / 2;
      expect((quarterDb + 2) >> 2).toBe(dbm);
      expect(noiseFloorWord(dbm, 0xabcd0000) >>> 12).toBe(0xabcd0);
    }
  });
});
