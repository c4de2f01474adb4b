/**
 * Machine state as plain named fields: what each part of the board saves and restores.
 *
 *   class Watchdog {
 *     saveState(): SavedState { return { ctl: this.ctl, stage: this.stage }; }
 *     restoreState(s: StateReader): void { this.ctl = s.u32('ctl'); this.stage = s.int('stage'); }
 *   }
 *
 * Every stateful class keeps its own pair next to its register map; the board composes them into
 * one tree (board.ts), and snapshot-format.ts turns the tree into bytes: typed arrays become raw
 * buffers, everything else JSON. Saved arrays are copies, so a saved tree never changes after the
 * fact. Restoring reads fields through `StateReader`, which names the full path of a missing or
 * mistyped field (`cpu.sr: expected 256 words`) instead of restoring garbage.
 *
 * Pending timed events are not saved with their callbacks: every alarm has a unique name and the
 * clock saves `name → tick` (clock.ts); a fresh board re-creates the same alarms in the same order.
 */

export type SavedArray = Uint8Array | Int8Array | Uint32Array | Int32Array | Float64Array;

export type SavedValue =
  | number
  | boolean
  | string
  | null
  | SavedArray
  | readonly SavedValue[]
  | { readonly [key: string]: SavedValue };

export type SavedState = { readonly [key: string]: SavedValue };

/** Anything with state to carry across a snapshot. */
export interface Snapshottable {
  saveState(): SavedState;
  restoreState(state: StateReader): void;
}

/** A snapshot that cannot be restored: corrupt, from another version, or incomplete. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

type ArrayKind = 'Uint8Array' | 'Int8Array' | 'Uint32Array' | 'Int32Array' | 'Float64Array';

/** Typed access to a saved tree, with the path in every error message. */
export class StateReader {
  constructor(
    private readonly state: SavedState,
    readonly path = '',
  ) {}

  private where(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  private get(key: string): SavedValue {
    if (!Object.prototype.hasOwnProperty.call(this.state, key))
      throw new SnapshotError(`snapshot field ${this.where(key)} is missing`);
    return this.state[key];
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.state, key);
  }

  /** The names of the saved fields, in saved order (for groups keyed by name, like file paths). */
  keys(): string[] {
    return Object.keys(this.state);
  }

  /** A finite number (including ±Infinity only where `infinite` allows it). */
  number(key: string, infinite = false): number {
    const v = this.get(key);
    if (typeof v === 'number' && (Number.isFinite(v) || (infinite && v === Infinity))) return v;
    // JSON has no Infinity: the format writes it as null.
    if (infinite && v === null) return Infinity;
    throw new SnapshotError(`snapshot field ${this.where(key)}: expected a number`);
  }

  int(key: string): number {
    const v = this.number(key);
    if (!Number.isInteger(v))
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected an integer`);
    return v;
  }

  u32(key: string): number {
    const v = this.int(key);
    if (v < 0 || v > 0xffffffff)
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected a 32-bit value`);
    return v;
  }

  boolean(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean')
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected true or false`);
    return v;
  }

  string(key: string): string {
    const v = this.get(key);
    if (typeof v !== 'string')
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected text`);
    return v;
  }

  /** Copy a saved array into `into` (same kind and length). */
  array<T extends SavedArray>(key: string, into: T): T {
    const v = this.get(key);
    const kind = into.constructor.name as ArrayKind;
    if (!ArrayBuffer.isView(v) || v.constructor.name !== kind || v.length !== into.length) {
      throw new SnapshotError(
        `snapshot field ${this.where(key)}: expected ${into.length} entries of ${kind}`,
      );
    }
    into.set(v as never);
    return into;
  }

  /** A saved array of any length (the caller checks what it needs). */
  bytes(key: string): Uint8Array {
    const v = this.get(key);
    if (!(v instanceof Uint8Array))
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected bytes`);
    return v;
  }

  numbers(key: string): number[] {
    const v = this.get(key);
    if (!Array.isArray(v) || v.some((n) => typeof n !== 'number' || !Number.isFinite(n)))
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected a list of numbers`);
    return v as number[];
  }

  child(key: string): StateReader {
    const v = this.get(key);
    if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v))
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected a group of fields`);
    return new StateReader(v as SavedState, this.where(key));
  }

  children(key: string): StateReader[] {
    const v = this.get(key);
    if (!Array.isArray(v))
      throw new SnapshotError(`snapshot field ${this.where(key)}: expected a list`);
    return (v as SavedValue[]).map((item, i) => {
      if (
        item === null ||
        typeof item !== 'object' ||
        Array.isArray(item) ||
        ArrayBuffer.isView(item)
      )
        throw new SnapshotError(
          `snapshot field ${this.where(key)}[${i}]: expected a group of fields`,
        );
      return new StateReader(item as SavedState, `${this.where(key)}[${i}]`);
    });
  }
}
