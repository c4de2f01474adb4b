/**
 * Pacing simulated time against the wall clock, and measuring how fast it actually goes.
 *
 * Pure arithmetic on the times it is given, so it is tested without waiting.
 */

import type { Pacing } from './protocol.ts';

export class Pacer {
  mode: Pacing = 'realtime';
  private anchorSim = 0;
  private anchorWallMs = 0;

  /**
   * @param maxLagSeconds when the guest falls this far behind real time it cannot keep up: the
   *   pacer forgives the debt instead of racing to catch up (which would starve the UI and make the
   *   guest run in bursts).
   */
  constructor(readonly maxLagSeconds = 0.1) {}

  /** Start pacing from here (power-on, resume, a pacing change). */
  anchor(simSeconds: number, wallMs: number): void {
    this.anchorSim = simSeconds;
    this.anchorWallMs = wallMs;
  }

  /** How far simulated time may go by wall time `wallMs`; Infinity when running flat out. */
  targetAt(simSeconds: number, wallMs: number): number {
    if (this.mode === 'max') return Infinity;
    const target = this.anchorSim + (wallMs - this.anchorWallMs) / 1000;
    if (target - simSeconds > this.maxLagSeconds) {
      this.anchor(simSeconds, wallMs);
      return simSeconds + this.maxLagSeconds;
    }
    return target;
  }

  /** Wall milliseconds until simulated time `simSeconds` is due (0 when already due). */
  wallMsUntil(simSeconds: number, wallMs: number): number {
    if (this.mode === 'max') return 0;
    const dueWallMs = this.anchorWallMs + (simSeconds - this.anchorSim) * 1000;
    return Math.max(0, dueWallMs - wallMs);
  }
}

/**
 * The measured rate over the last `windowMs` of wall time: simulated time per wall time (as a
 * percentage: 42 = 0.42× real time) and guest instructions per wall second (MIPS). No smoothing:
 * the readout is what happened over that window, so it agrees with anyone timing the run.
 */
export class SpeedMeter {
  /** (wall ms, simulated s, instructions) at each sample; the first is the window's start. */
  private samples: { wall: number; sim: number; instructions: number }[] = [];
  private value = 0;
  private mipsValue = 0;

  constructor(readonly windowMs = 1000) {}

  /** Simulated time per wall time, in percent (100 = real time); 0 until measured. */
  get percent(): number {
    return this.value;
  }

  /** Millions of guest instructions per wall-clock second; 0 until measured. */
  get mips(): number {
    return this.mipsValue;
  }

  /** Forget the history (pause, power-off, a new board): the next samples start fresh. */
  restart(simSeconds: number, wallMs: number, instructions = 0): void {
    this.samples = [{ wall: wallMs, sim: simSeconds, instructions }];
  }

  stop(): void {
    this.value = 0;
    this.mipsValue = 0;
    this.samples = [];
  }

  sample(simSeconds: number, wallMs: number, instructions = 0): void {
    if (this.samples.length === 0) {
      this.restart(simSeconds, wallMs, instructions);
      return;
    }
    this.samples.push({ wall: wallMs, sim: simSeconds, instructions });
    // Keep the newest sample that is at least a window old as the reference.
    while (this.samples.length > 2 && wallMs - this.samples[1].wall >= this.windowMs) {
      this.samples.shift();
    }
    const first = this.samples[0];
    const wall = wallMs - first.wall;
    // A first figure after a quarter window; then always over (about) the whole window.
    if (wall < this.windowMs / 4) return;
    this.value = ((simSeconds - first.sim) * 1000 * 100) / wall;
    this.mipsValue = (instructions - first.instructions) / wall / 1000;
  }
}
