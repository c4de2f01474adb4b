/**
 * The only thing the virtual network needs from time: the board's simulated clock.
 *
 * `src/net` runs in the worker (and the CLI) beside the board, in the same simulated time, so a
 * frame the firmware sends at t arrives at a virtual AP at t + airtime however fast the host is.
 * `SimClock` from `src/board/clock.ts` satisfies this interface; tests use a SimClock driven by a
 * `ManualCycleCounter`. Ticks are 1/2.08 GHz (`TICKS_PER_SECOND`).
 */
import type { Alarm } from '../board/clock';

export type { Alarm };
export { TICKS_PER_SECOND, TICKS_PER_MICROSECOND } from '../board/clock';

export interface NetClock {
  /** Simulated time now, in ticks. */
  readonly now: number;
  createAlarm(callback: () => void, name?: string): Alarm;
}
