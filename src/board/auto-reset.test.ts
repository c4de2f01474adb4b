import { describe, expect, it } from 'vitest';
import type { EmulatedBoard } from './board-api.ts';
import { AutoReset, autoResetLevels, EN_RISE_MS, GLITCH_HOLD_MS } from './auto-reset.ts';

/** A board that records what the circuit does to it, and a clock the test moves by hand. */
function harness() {
  const events: string[] = [];
  let gpio0: 0 | 1 = 1;
  const board = {
    driveGpio(pin: number, level: 0 | 1 | null) {
      if (pin === 0) gpio0 = level ?? 1;
    },
    reset() {
      events.push(`reset gpio0=${gpio0}`);
    },
  } as unknown as EmulatedBoard;
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const circuit = new AutoReset(board, (ms, fn) => {
    const t = { at: now + ms, fn, live: true };
    timers.push(t);
    return () => (t.live = false);
  });
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      due.live = false;
      due.fn();
    }
    now = end;
  };
  return { circuit, events, advance };
}

describe('NodeMCU auto-reset circuit', () => {
  it('pulls EN low only for RTS alone and GPIO0 low only for DTR alone', () => {
    expect(autoResetLevels(false, false)).toEqual({ en: 1, gpio0: 1 });
    expect(autoResetLevels(false, true)).toEqual({ en: 0, gpio0: 1 });
    expect(autoResetLevels(true, false)).toEqual({ en: 1, gpio0: 0 });
    expect(autoResetLevels(true, true)).toEqual({ en: 1, gpio0: 1 });
  });

  it("esptool's download sequence over a slow link resets with GPIO0 low", () => {
    const h = harness();
    h.circuit.setLines(false, true); // reset
    expect(h.circuit.inReset).toBe(true);
    h.advance(100);
    h.circuit.setLines(true, true); // the glitch: one network round trip long
    h.advance(50);
    expect(h.events).toEqual([]);
    h.circuit.setLines(true, false); // EN released, GPIO0 low
    h.advance(EN_RISE_MS);
    expect(h.events).toEqual(['reset gpio0=0']);
    expect(h.circuit.inReset).toBe(false);
    h.circuit.setLines(false, false);
    h.advance(1000);
    expect(h.events).toEqual(['reset gpio0=0']);
  });

  it("esptool's hard reset runs the flash", () => {
    const h = harness();
    h.circuit.setLines(false, true);
    h.advance(100);
    h.circuit.setLines(false, false);
    h.advance(EN_RISE_MS);
    expect(h.events).toEqual(['reset gpio0=1']);
  });

  it('a terminal asserting both lines on open never resets the board', () => {
    const h = harness();
    h.circuit.setLines(true, false);
    h.circuit.setLines(true, true);
    h.advance(10_000);
    expect(h.events).toEqual([]);
    expect(h.circuit.inReset).toBe(false);
  });

  it('both lines left asserted after a reset let the chip run once the RC has charged', () => {
    const h = harness();
    h.circuit.setLines(false, true);
    h.circuit.setLines(true, true);
    h.advance(GLITCH_HOLD_MS - 1);
    expect(h.events).toEqual([]);
    h.advance(1);
    expect(h.events).toEqual(['reset gpio0=1']);
  });
});
