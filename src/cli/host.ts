/**
 * What the CLI needs from its surroundings. `main` takes it as a parameter so the whole command
 * line can be exercised in-process by tests; `bin/v8266.mjs` passes `nodeHost()`.
 */

import type { EmulatedBoard } from '../board/board-api.ts';
import type { BoardSnapshot } from '../board/snapshot/board-snapshot.ts';

/** A file the CLI writes while it runs (`--vcd`). */
export interface OutputFile {
  write(text: string): void;
  /** Flush and close; the file is complete afterwards. */
  close(): void;
}

export interface CliHost {
  /** Raw bytes for stdout (the guest's UART output and nothing else while running). */
  writeStdout(bytes: Uint8Array | string): void;
  writeStderr(text: string): void;
  /** The whole file; throws an Error whose message says why it cannot be read. */
  readFile(path: string): Uint8Array;
  /** Monotonic wall-clock seconds, for statistics only. */
  wallSeconds(): number;
  version: string;
  createBoard(flash: Uint8Array): EmulatedBoard | null;
  /**
   * The board a snapshot saved, resumed (`--snapshot-in`); `flash` replaces its flash contents
   * when given. Throws SnapshotError when the snapshot cannot be restored. Hosts without
   * snapshots leave it out.
   */
  restoreBoard?(snapshot: BoardSnapshot, flash: Uint8Array | null): EmulatedBoard;
  /** Create or replace a file with `bytes` (`--snapshot-out`); throws an Error saying why not. */
  writeFile?(path: string, bytes: Uint8Array): void;
  /**
   * Create (truncate) a file for writing; throws an Error whose message says why it cannot be.
   * Hosts without files leave it out, and the options that need one are refused.
   */
  openOutputFile?(path: string): OutputFile;
}
