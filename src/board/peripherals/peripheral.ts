import type { SavedState, StateReader } from '../snapshot/state';

/**
 * The contract between the ESP8266 bus and every peripheral block.
 *
 * The bus routes 32-bit accesses to a block by address; `offset` is relative to the block's base
 * and word aligned. Narrower accesses are widened by the bus (read the word, pick the lanes; write
 * the lanes into the last value read), which is what the chip's 32-bit APB does.
 */

/** Where a peripheral's interrupt output goes: the CPU's interrupt inputs or a router. */
export interface IrqSink {
  /** Level-triggered CPU interrupt n (0..5) is asserted / released. */
  setIrqLevel(n: number, asserted: boolean): void;
  /** Edge-triggered CPU interrupt n (8..13) or the NMI (14) fires once. */
  raiseIrqEdge(n: number): void;
}

/**
 * One peripheral's interrupt output, as the router hands it out. A level output (UART, GPIO) calls
 * `set` with the current state of (status & enable); an edge output (FRC1, FRC2, WDT stage 1)
 * calls `pulse` once per event. Each line is a distinct source, so two blocks sharing a CPU input
 * (UART0 and UART1 on INT 5) are OR-ed by the router, not overwritten.
 */
export interface IrqLine {
  set(asserted: boolean): void;
  pulse(): void;
}

/** A line connected to nothing: for blocks whose interrupt the SoC does not wire. */
export const UNCONNECTED_IRQ: IrqLine = {
  set() {},
  pulse() {},
};

export abstract class Peripheral {
  constructor(readonly name: string) {}

  /** A 32-bit read of the register at `offset` (side effects allowed: FIFO pops, clear-on-read). */
  abstract read(offset: number): number;

  /** A 32-bit write of the register at `offset`. */
  abstract write(offset: number, value: number): void;

  /** Chip reset (every reset cause). Power-on-only state (RTC memory…) is not touched here. */
  reset(): void {}

  /**
   * The block's state for a snapshot (snapshot/state.ts). Blocks without state keep this default;
   * every block with state overrides both, next to its register map.
   */
  saveState(): SavedState {
    return {};
  }

  /** Put the block back as `saveState` found it, without raising events. */
  restoreState(state: StateReader): void {
    void state;
  }
}

/**
 * A block whose registers behave as plain storage: writes are kept and read back. For the blocks
 * the SDK writes at start-up that we do not model yet (I2S, SLC, SDIO…): nothing is lost, and the
 * block is named in diagnostics.
 */
export class StoragePeripheral extends Peripheral {
  private readonly words = new Uint32Array(64);
  read(offset: number): number {
    return this.words[(offset >>> 2) & 63];
  }
  write(offset: number, value: number): void {
    this.words[(offset >>> 2) & 63] = value >>> 0;
  }
  override reset(): void {
    this.words.fill(0);
  }
  override saveState(): SavedState {
    return { words: this.words.slice() };
  }
  override restoreState(s: StateReader): void {
    s.array('words', this.words);
  }
}
