/**
 * Saved boards in IndexedDB (through `idb`): each board's document and its flash, kept as 4 KB
 * sectors so a commit writes only the sectors the firmware changed.
 *
 *   boards   { id, name, doc, flashSize, created, updated, commits }
 *   sectors  key [boardId, index] → 4096 bytes (erased sectors are not stored)
 *   meta     'current' → the id of the board the page opens on
 *   snapshots { id, boardId, name, simSeconds, created, bytes } → a `.v8266snap` kept with its
 *            board (index `board`), restored from the Boards menu (version 2 of the database)
 *
 * Every commit is one readwrite transaction over `boards` and `sectors`: IndexedDB applies it
 * whole or not at all, so a tab killed in the middle of writing keeps the last commit intact.
 */

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FlashChanges } from '../../worker/flash-changes.ts';
import { SECTOR_SIZE } from '../../worker/flash-changes.ts';
import type { BoardDocument } from '../board-doc/document.ts';
import type { PinDrives } from '../board-doc/board-file.ts';

export interface SavedBoard {
  id: string;
  name: string;
  doc: BoardDocument;
  /** Bytes; 0 until the first flash commit. */
  flashSize: number;
  created: number;
  updated: number;
  /** How many commits have been made (a test can tell a commit landed). */
  commits: number;
  /** Pins driven by hand (GPIO0..16: 0, 1, null), restored with the flash. */
  drives?: PinDrives;
}

/** A snapshot of the running machine kept with a saved board. */
export interface SavedSnapshot {
  id: string;
  boardId: string;
  name: string;
  /** Simulated time of the machine when it was saved. */
  simSeconds: number;
  created: number;
  /** The `.v8266snap` file. */
  bytes: Uint8Array;
}

interface Schema extends DBSchema {
  boards: { key: string; value: SavedBoard };
  sectors: { key: [string, number]; value: Uint8Array };
  meta: { key: string; value: string };
  snapshots: { key: string; value: SavedSnapshot; indexes: { board: string } };
}

export const DB_NAME = 'v8266';
const DB_VERSION = 2;

export class SavedBoards {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(): Promise<SavedBoards> {
    const db = await openDB<Schema>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('boards', { keyPath: 'id' });
          db.createObjectStore('sectors');
          db.createObjectStore('meta');
        }
        if (oldVersion < 2) {
          db.createObjectStore('snapshots', { keyPath: 'id' }).createIndex('board', 'boardId');
        }
      },
    });
    return new SavedBoards(db);
  }

  close(): void {
    this.db.close();
  }

  async list(): Promise<SavedBoard[]> {
    const boards = await this.db.getAll('boards');
    return boards.sort((a, b) => b.updated - a.updated);
  }

  get(id: string): Promise<SavedBoard | undefined> {
    return this.db.get('boards', id);
  }

  async create(name: string, doc: BoardDocument): Promise<SavedBoard> {
    const now = Date.now();
    const board: SavedBoard = {
      id: newId(),
      name,
      doc,
      flashSize: 0,
      created: now,
      updated: now,
      commits: 0,
    };
    const tx = this.db.transaction(['boards', 'meta'], 'readwrite');
    await Promise.all([tx.objectStore('boards').put(board), tx.done]);
    return board;
  }

  async current(): Promise<string | undefined> {
    return this.db.get('meta', 'current');
  }

  async setCurrent(id: string): Promise<void> {
    await this.db.put('meta', id, 'current');
  }

  async rename(id: string, name: string): Promise<void> {
    const tx = this.db.transaction('boards', 'readwrite');
    const board = await tx.store.get(id);
    if (board) await tx.store.put({ ...board, name, updated: Date.now() });
    await tx.done;
  }

  /** The board, all its sectors and its snapshots, in one transaction ("forget board"). */
  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['boards', 'sectors', 'snapshots'], 'readwrite');
    const snapshots = tx.objectStore('snapshots');
    const keys = await snapshots.index('board').getAllKeys(id);
    await Promise.all([
      tx.objectStore('boards').delete(id),
      tx.objectStore('sectors').delete(sectorRange(id)),
      ...keys.map((key) => snapshots.delete(key)),
      tx.done,
    ]);
  }

  /** Keep a snapshot with a board. */
  async addSnapshot(
    boardId: string,
    name: string,
    simSeconds: number,
    bytes: Uint8Array,
  ): Promise<SavedSnapshot> {
    const snapshot: SavedSnapshot = {
      id: newId(),
      boardId,
      name,
      simSeconds,
      created: Date.now(),
      bytes,
    };
    await this.db.put('snapshots', snapshot);
    return snapshot;
  }

  /** A board's snapshots, newest first. */
  async snapshots(boardId: string): Promise<SavedSnapshot[]> {
    const list = await this.db.getAllFromIndex('snapshots', 'board', boardId);
    return list.sort((a, b) => b.created - a.created);
  }

  snapshot(id: string): Promise<SavedSnapshot | undefined> {
    return this.db.get('snapshots', id);
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.db.delete('snapshots', id);
  }

  /**
   * One commit: the document and the changed sectors together, or nothing (a failed or
   * interrupted transaction leaves the previous commit as it was).
   */
  async commit(
    id: string,
    doc: BoardDocument,
    changes: FlashChanges | null,
    drives?: PinDrives,
  ): Promise<SavedBoard> {
    const tx = this.db.transaction(['boards', 'sectors'], 'readwrite');
    const boards = tx.objectStore('boards');
    const sectors = tx.objectStore('sectors');
    const board = await boards.get(id);
    if (!board) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new Error('this board was deleted (in another tab?)');
    }
    const writes: Promise<unknown>[] = [];
    if (changes) {
      if (changes.full) writes.push(sectors.delete(sectorRange(id)));
      for (const sector of changes.sectors) {
        const key: [string, number] = [id, sector.index];
        writes.push(sector.data ? sectors.put(sector.data, key) : sectors.delete(key));
      }
    }
    const next: SavedBoard = {
      ...board,
      doc,
      flashSize: changes?.flashSize ?? board.flashSize,
      updated: Date.now(),
      commits: board.commits + 1,
      ...(drives ? { drives } : {}),
    };
    writes.push(boards.put(next));
    await Promise.all([...writes, tx.done]);
    return next;
  }

  /** The saved flash, whole (erased where no sector is stored); null before the first commit. */
  async flash(id: string): Promise<Uint8Array | null> {
    const tx = this.db.transaction(['boards', 'sectors'], 'readonly');
    const board = await tx.objectStore('boards').get(id);
    if (!board || board.flashSize === 0) return null;
    const flash = new Uint8Array(board.flashSize).fill(0xff);
    let cursor = await tx.objectStore('sectors').openCursor(sectorRange(id));
    while (cursor) {
      const index = (cursor.key as [string, number])[1];
      const at = index * SECTOR_SIZE;
      if (at + SECTOR_SIZE <= flash.length) flash.set(cursor.value, at);
      cursor = await cursor.continue();
    }
    await tx.done;
    return flash;
  }
}

function sectorRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]);
}

function newId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
