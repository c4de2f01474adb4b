/**
 * The saved board this tab works on: opened at start (or created), committed about once a
 * second while it runs (only the flash sectors the worker reports as changed, plus the document),
 * and the saved-boards actions the UI offers (list, open, new, rename, delete, forget).
 *
 * Opening another board reloads the page: one board per page load keeps the worker, the
 * document controller and this module simple and their state honest.
 */

import type { EmulatorClient } from '../emulator-client.ts';
import type { BoardDocument } from '../board-doc/document.ts';
import { useAppStore } from '../store.ts';
import { SavedBoards, type SavedBoard, type SavedSnapshot } from './saved-boards.ts';
import { openSnapshot } from '../snapshot.ts';
import { formatSimTime } from '../format.ts';
import type { PinDrives } from '../board-doc/board-file.ts';
import { SECTOR_SIZE, isErased } from '../../worker/flash-changes.ts';

const COMMIT_INTERVAL_MS = 1000;

export interface OpenedBoard {
  board: SavedBoard;
  /** The saved flash, or null when the board has none yet (the document's firmware is loaded). */
  flash: Uint8Array | null;
}

export class BoardSession {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastDoc = '';
  /** The last commit failed: the next one asks the worker for the whole flash. */
  private lost = false;
  private client: EmulatorClient | null = null;

  private constructor(
    readonly store: SavedBoards,
    public board: SavedBoard,
  ) {}

  /**
   * The board to open: a new one for `fresh` (a share link: the link's document), else the
   * current saved board, else a new "Board 1".
   */
  static async open(fresh: { name: string; doc: BoardDocument } | null, fallback: BoardDocument) {
    const store = await SavedBoards.open();
    let board: SavedBoard | undefined;
    if (!fresh) {
      const id = await store.current();
      board = id ? await store.get(id) : undefined;
    }
    if (!board) {
      const count = (await store.list()).length;
      board = await store.create(fresh?.name ?? `Board ${count + 1}`, fresh?.doc ?? fallback);
    }
    await store.setCurrent(board.id);
    const flash = fresh ? null : await store.flash(board.id);
    return { session: new BoardSession(store, board), opened: { board, flash } as OpenedBoard };
  }

  /** Commit on a timer and when the tab is hidden. */
  start(client: EmulatorClient): void {
    this.client = client;
    useAppStore.getState().setSavedBoard({ id: this.board.id, name: this.board.name });
    this.timer = setInterval(() => void this.commit().catch(() => undefined), COMMIT_INTERVAL_MS);
    const flush = () => void this.commit().catch(() => undefined);
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  }

  /** Commit what changed now (queued after any commit under way); resolves once it is durable. */
  commit(): Promise<SavedBoard> {
    const run = this.queue.then(() => this.commitOnce());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commitOnce(): Promise<SavedBoard> {
    const client = this.client;
    if (!client) return this.board;
    const doc = useAppStore.getState().doc;
    const drives = useAppStore.getState().status?.gpioHostDrive;
    const docText = JSON.stringify([doc, drives]);
    const changes = await client.takeFlashChanges(this.lost);
    const flashChanged = changes !== null && (changes.full || changes.sectors.length > 0);
    if (!flashChanged && docText === this.lastDoc) return this.board;
    try {
      this.board = await this.store.commit(
        this.board.id,
        doc,
        flashChanged ? changes : null,
        drives ? [...drives] : undefined,
      );
      this.lost = false;
      this.lastDoc = docText;
      return this.board;
    } catch (err) {
      this.lost = true;
      useAppStore
        .getState()
        .setNotice(
          `This board could not be saved (${err instanceof Error ? err.message : String(err)}).`,
        );
      throw err;
    }
  }

  /** The flash came from elsewhere (a link, a board file): the next commit saves it whole. */
  saveWholeFlashNext(): void {
    this.lost = true;
  }

  /** Keep the running machine with this board; null when there is no machine to save. */
  async keepSnapshot(): Promise<SavedSnapshot | null> {
    const bytes = await this.client?.saveSnapshot();
    if (!bytes) return null;
    const { status, firmware } = useAppStore.getState();
    const seconds = status?.simSeconds ?? 0;
    const name = `${firmware?.name ?? 'board'} at ${formatSimTime(seconds)}`;
    return this.store.addSnapshot(this.board.id, name, seconds, bytes);
  }

  snapshots(): Promise<SavedSnapshot[]> {
    return this.store.snapshots(this.board.id);
  }

  /** Put a kept machine back on the bench (throws with the reason it cannot). */
  async restoreSnapshot(id: string): Promise<void> {
    const client = this.client;
    const snapshot = await this.store.snapshot(id);
    if (!client || !snapshot) throw new Error('this snapshot is gone');
    await openSnapshot(client, { name: snapshot.name, data: snapshot.bytes });
  }

  deleteSnapshot(id: string): Promise<void> {
    return this.store.deleteSnapshot(id);
  }

  list(): Promise<SavedBoard[]> {
    return this.store.list();
  }

  rename(id: string, name: string): Promise<void> {
    if (id === this.board.id) {
      this.board = { ...this.board, name };
      useAppStore.getState().setSavedBoard({ id, name });
    }
    return this.store.rename(id, name);
  }

  /** Open a saved board: it becomes current and the page reloads on it. */
  async openBoard(id: string): Promise<void> {
    await this.commit().catch(() => undefined);
    await this.store.setCurrent(id);
    reloadClean();
  }

  /** A new board with the default document. */
  async newBoard(doc: BoardDocument): Promise<void> {
    await this.commit().catch(() => undefined);
    const count = (await this.store.list()).length;
    const board = await this.store.create(`Board ${count + 1}`, doc);
    await this.store.setCurrent(board.id);
    reloadClean();
  }

  /** A board file becomes a new saved board (flash, document, pins in one commit) and opens. */
  async importBoard(name: string, doc: BoardDocument, flash: Uint8Array, drives: PinDrives) {
    await this.commit().catch(() => undefined);
    const board = await this.store.create(name, doc);
    const sectors = [];
    for (let index = 0; index * SECTOR_SIZE < flash.length; index++) {
      const data = flash.slice(index * SECTOR_SIZE, (index + 1) * SECTOR_SIZE);
      if (!isErased(data)) sectors.push({ index, data });
    }
    await this.store.commit(
      board.id,
      doc,
      { flashSize: flash.length, full: true, sectors },
      drives,
    );
    await this.store.setCurrent(board.id);
    reloadClean();
  }

  /** Delete a saved board with its flash; deleting this one starts a fresh board. */
  async deleteBoard(id: string): Promise<void> {
    if (id !== this.board.id) return this.store.delete(id);
    this.stop();
    await this.queue;
    await this.store.delete(id);
    reloadClean();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.client = null;
  }
}

let active: BoardSession | null = null;

export function activeSession(): BoardSession | null {
  return active;
}

export function setActiveSession(session: BoardSession | null): void {
  active = session;
}

/** Reload on the page itself, without a share fragment or query that would override the choice. */
function reloadClean(): void {
  location.replace(location.pathname);
}
