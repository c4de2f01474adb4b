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
 * Simulated time per wall time, as a percentage, smoothed: each window of at least `windowMs`
 * gives one sample, and the shown figure moves part of the way towards it.
 */
export class SpeedMeter {
  private lastSim = 0;
  private lastWallMs = 0;
  private started = false;
  private value = 0;

  constructor(
    readonly windowMs = 250,
    readonly smoothing = 0.5,
  ) {}

  get percent(): number {
    return this.value;
  }

  /** Forget the history (pause, power-off): the next samples start fresh. */
  restart(simSeconds: number, wallMs: number): void {
    this.lastSim = simSeconds;
    this.lastWallMs = wallMs;
    this.started = true;
  }

  stop(): void {
    this.value = 0;
    this.started = false;
  }

  sample(simSeconds: number, wallMs: number): void {
    if (!this.started) {
      this.restart(simSeconds, wallMs);
      return;
    }
    const wall = wallMs - this.lastWallMs;
    if (wall < this.windowMs) return;
    const measured = ((simSeconds - this.lastSim) * 1000 * 100) / wall;
    this.value =
      this.value === 0 ? measured : this.value + (measured - this.value) * this.smoothing;
    this.lastSim = simSeconds;
    this.lastWallMs = wallMs;
  }
}
