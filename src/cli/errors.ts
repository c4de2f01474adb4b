/** Bad input from the user (unknown option, unreadable file, overlapping images…): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
/** An expectation was not met in time, or the firmware could not be run. */
export const EXIT_NOT_MET = 1;
export const EXIT_USAGE = 2;
/** A bug in v8266 itself (an exception escaped): kept apart so CI can tell it from a firmware failure. */
export const EXIT_INTERNAL = 3;
