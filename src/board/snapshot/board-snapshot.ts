/**
 * Snapshots of the NodeMCU board: save a running board to bytes, build a board from them.
 *
 *   const file = snapshotBoard(board);                 // a .v8266snap file's bytes
 *   const resumed = boardFromSnapshot(file);           // carries on exactly where `board` was
 *   boardFromSnapshot(file, { flash: newImage });      // the same machine with other flash contents
 *
 * A resumed board and the original, run for the same simulated time, end in the same state: same
 * registers, RAM, flash, UART bytes and pin changes (test/board/snapshot.test.ts). The board's
 * listeners are not state: the host attaches its own.
 */

import { Board, SNAPSHOT_MACHINE, type BoardOptions } from '../board.ts';
import { TICKS_PER_SECOND } from '../clock.ts';
import { decodeSnapshot } from './snapshot-format.ts';
import { SnapshotError, StateReader, type SavedState } from './state.ts';

export { SNAPSHOT_MACHINE };

export function snapshotBoard(board: Board, host: SavedState = {}): Uint8Array {
  return board.saveSnapshot(host);
}

/** A decoded snapshot, before it becomes a board. */
export interface BoardSnapshot {
  /** Flash size of the saved board, in bytes. */
  flashSize: number;
  /** Simulated seconds since power-on when it was saved. */
  seconds: number;
  /** What the host saved alongside (the page's hand-driven pins…). */
  host: StateReader;
  board: StateReader;
}

export function readBoardSnapshot(file: Uint8Array): BoardSnapshot {
  const root = new StateReader(decodeSnapshot(file));
  const machine = root.string('machine');
  if (machine !== SNAPSHOT_MACHINE)
    throw new SnapshotError(`the snapshot holds a ${machine}, not a ${SNAPSHOT_MACHINE}`);
  const board = root.child('board');
  const cpu = board.child('soc').child('cpu');
  const clock = board.child('soc').child('clock');
  const ticks =
    clock.number('baseTicks') +
    (cpu.number('cycles') - clock.number('baseCycles')) * clock.int('tpc');
  return {
    flashSize: board.bytes('flash').length,
    seconds: ticks / TICKS_PER_SECOND,
    host: root.has('host') ? root.child('host') : new StateReader({}),
    board,
  };
}

export interface RestoreOptions extends Pick<BoardOptions, 'memory'> {
  /** Flash contents to use instead of the saved ones (same size). */
  flash?: Uint8Array;
}

/** A new board in the saved state (throws SnapshotError for a file it cannot restore). */
export function boardFromSnapshot(
  file: Uint8Array | BoardSnapshot,
  options: RestoreOptions = {},
): Board {
  const snapshot = file instanceof Uint8Array ? readBoardSnapshot(file) : file;
  const board = new Board({ flashSize: snapshot.flashSize, memory: options.memory });
  board.restoreState(snapshot.board, options.flash);
  return board;
}
