/**
 * NodeMCU's auto-reset circuit: the USB-serial chip's DTR and RTS drive EN (CHIP_PU) and GPIO0
 * through two cross-coupled transistors, so that esptool can reset the board into the ROM's
 * download mode (and back into the application) without anyone pressing a button.
 *
 *   EN    is pulled low when RTS is asserted and DTR is not;
 *   GPIO0 is pulled low when DTR is asserted and RTS is not;
 *   both asserted or both released leave both pins to their pull-ups,
 *
 * so a terminal that asserts both lines (pyserial's default on open) does not hold the chip in
 * reset.
 *
 * EN has an RC on it. esptool's download sequence goes "RTS only" (reset) → "both asserted" →
 * "DTR only" (EN released, GPIO0 low) → "neither"; on a USB adapter the middle state lasts
 * microseconds and the capacitor keeps EN low through it. Over RFC 2217 every line change is a
 * network round trip (pyserial waits for each SET-CONTROL answer, polling every 50 ms), so that
 * state lasts tens of milliseconds. The model therefore leaves reset only once EN has been high
 * for `EN_RISE_MS` with the lines settled, and treats "both asserted" straight after a reset as
 * the capacitor still charging for up to `GLITCH_HOLD_MS`. The boot straps are sampled when the
 * chip leaves reset.
 */

import type { EmulatedBoard } from './board-api.ts';

/** Pin levels the circuit produces: 0 = pulled low by the transistor, 1 = left to the pull-up. */
export function autoResetLevels(dtr: boolean, rts: boolean): { en: 0 | 1; gpio0: 0 | 1 } {
  return { en: rts && !dtr ? 0 : 1, gpio0: dtr && !rts ? 0 : 1 };
}

/** EN high this long, lines unchanged, and the chip runs: well inside esptool's 50 ms between
 * releasing EN and releasing GPIO0. */
export const EN_RISE_MS = 5;
/** How long "both asserted" straight after a reset may last before the chip runs anyway. */
export const GLITCH_HOLD_MS = 250;

export type Scheduler = (ms: number, fn: () => void) => () => void;

/** Applies the circuit's outputs to a board: holds it in reset while EN is low. */
export class AutoReset {
  private held = false;
  private cancelRelease: (() => void) | null = null;
  private dtr = false;
  private rts = false;

  constructor(
    /** Where EN and GPIO0 go: a board, or a host that runs one (the page's worker). */
    private readonly board: Pick<EmulatedBoard, 'driveGpio' | 'reset'>,
    private readonly schedule: Scheduler,
    /** Reports the chip leaving reset with the GPIO0 strap it sampled, for diagnostics. */
    private readonly onRelease?: (gpio0: 0 | 1) => void,
  ) {}

  /** True while EN keeps the chip in reset: the host must not run the board. */
  get inReset(): boolean {
    return this.held;
  }

  setLines(dtr: boolean, rts: boolean): void {
    this.dtr = dtr;
    this.rts = rts;
    const { en, gpio0 } = autoResetLevels(dtr, rts);
    // GPIO0 follows at once: it is only a strap until the chip samples it on leaving reset.
    this.board.driveGpio(0, gpio0 === 0 ? 0 : null);
    this.cancelRelease?.();
    this.cancelRelease = null;
    if (en === 0) this.held = true;
    else if (this.held) {
      const settle = dtr && rts ? GLITCH_HOLD_MS : EN_RISE_MS;
      this.cancelRelease = this.schedule(settle, () => this.release());
    }
  }

  private release(): void {
    this.cancelRelease = null;
    this.held = false;
    this.onRelease?.(autoResetLevels(this.dtr, this.rts).gpio0);
    this.board.reset();
  }
}
