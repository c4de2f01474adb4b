/**
 * GPIO16 (XPD_DCDC), the one pad in the RTC domain. Its registers sit in the RTC block (rtc.ts
 * routes 0x68/0x74/0x8C/0x90/0xA0 here); it has no interrupt and no pull-up, only a pull-down.
 *
 *   rtc.gpio16.onPinChange = (16, level) => …;   rtc.gpio16.driveInput(0 | 1 | null);
 *   rtc.gpio16.isConflict();
 *
 * Level, strongest first: the output when RTC_GPIO_ENABLE bit 0 is set; the host's drive; the
 * pull-down (PAD_XPD_DCDC_CONF bit 3, Arduino's GP16FPD); 0 (floating).
 */

import type { SavedState, StateReader } from '../snapshot/state';

export const GPIO16_PIN = 16;
export const PAD_XPD_DCDC_PULLDOWN = 1 << 3;

export class Gpio16 {
  onPinChange: ((pin: number, level: 0 | 1) => void) | null = null;
  onConflictChange: ((pin: number, conflict: boolean) => void) | null = null;

  out = 0;
  enable = 0;
  conf = 0;
  pad = 0;
  private hostDrive = -1;
  private currentLevel: 0 | 1 = 0;
  private conflict = false;

  get level(): 0 | 1 {
    return this.currentLevel;
  }

  isConflict(): boolean {
    return this.conflict;
  }

  driveInput(level: 0 | 1 | null): void {
    this.hostDrive = level === null ? -1 : level;
    this.refresh();
  }

  /** Registers reset with the RTC domain (power-on). */
  powerOn(): void {
    this.out = 0;
    this.enable = 0;
    this.conf = 0;
    this.pad = 0;
    this.refresh();
  }

  saveState(): SavedState {
    return {
      out: this.out,
      enable: this.enable,
      conf: this.conf,
      pad: this.pad,
      hostDrive: this.hostDrive,
      level: this.currentLevel,
      conflict: this.conflict,
    };
  }

  /** Restores without reporting a change. */
  restoreState(s: StateReader): void {
    this.out = s.u32('out');
    this.enable = s.u32('enable');
    this.conf = s.u32('conf');
    this.pad = s.u32('pad');
    this.hostDrive = s.int('hostDrive');
    this.currentLevel = s.int('level') ? 1 : 0;
    this.conflict = s.boolean('conflict');
  }

  refresh(): void {
    let level: 0 | 1;
    let conflict = false;
    if (this.enable & 1) {
      level = this.out & 1 ? 1 : 0;
      conflict = this.hostDrive >= 0 && this.hostDrive !== level;
    } else if (this.hostDrive >= 0) {
      level = this.hostDrive ? 1 : 0;
    } else {
      level = 0; // pulled down or floating
    }
    if (conflict !== this.conflict) {
      this.conflict = conflict;
      this.onConflictChange?.(GPIO16_PIN, conflict);
    }
    if (level !== this.currentLevel) {
      this.currentLevel = level;
      this.onPinChange?.(GPIO16_PIN, level);
    }
  }
}
