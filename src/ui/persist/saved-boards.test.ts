import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDocument } from '../board-doc/document.ts';
import { SECTOR_SIZE } from '../../worker/flash-changes.ts';
import { DB_NAME, SavedBoards } from './saved-boards.ts';

const SIZE = 512 * 1024;
const sector = (fill: number) => new Uint8Array(SECTOR_SIZE).fill(fill);

let store: SavedBoards | null = null;
afterEach(async () => {
  store?.close();
  store = null;
  await new Promise((done) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = done;
  });
});

describe('SavedBoards', () => {
  it('commits the document and changed sectors; reads the flash back whole', async () => {
    store = await SavedBoards.open();
    const board = await store.create('Board 1', defaultDocument());
    expect(await store.flash(board.id)).toBeNull();
    await store.commit(board.id, defaultDocument(), {
      flashSize: SIZE,
      full: true,
      sectors: [
        { index: 0, data: sector(0xe9) },
        { index: 3, data: sector(0x33) },
      ],
    });
    // Incremental: sector 3 erased again, sector 7 written.
    const doc = { ...defaultDocument(), mac: '5c:cf:7f:00:00:01' };
    const saved = await store.commit(board.id, doc, {
      flashSize: SIZE,
      full: false,
      sectors: [
        { index: 3, data: null },
        { index: 7, data: sector(0x77) },
      ],
    });
    expect(saved.commits).toBe(2);
    const flash = (await store.flash(board.id))!;
    expect(flash.length).toBe(SIZE);
    expect(flash[0]).toBe(0xe9);
    expect(flash[3 * SECTOR_SIZE]).toBe(0xff);
    expect(flash[7 * SECTOR_SIZE + 4095]).toBe(0x77);
    expect((await store.get(board.id))!.doc.mac).toBe('5c:cf:7f:00:00:01');
  });

  it('a full commit replaces every sector; delete forgets board and flash', async () => {
    store = await SavedBoards.open();
    const a = await store.create('A', defaultDocument());
    const b = await store.create('B', defaultDocument());
    await store.commit(a.id, defaultDocument(), {
      flashSize: SIZE,
      full: true,
      sectors: [{ index: 1, data: sector(1) }],
    });
    await store.commit(b.id, defaultDocument(), {
      flashSize: SIZE,
      full: true,
      sectors: [{ index: 1, data: sector(2) }],
    });
    await store.commit(a.id, defaultDocument(), {
      flashSize: SIZE,
      full: true,
      sectors: [{ index: 2, data: sector(3) }],
    });
    const flashA = (await store.flash(a.id))!;
    expect(flashA[SECTOR_SIZE]).toBe(0xff);
    expect(flashA[2 * SECTOR_SIZE]).toBe(3);
    await store.rename(b.id, 'Renamed');
    await store.setCurrent(a.id);
    expect(await store.current()).toBe(a.id);
    await store.delete(a.id);
    expect((await store.list()).map((x) => x.name)).toEqual(['Renamed']);
    expect(await store.flash(a.id)).toBeNull();
    expect((await store.flash(b.id))![SECTOR_SIZE]).toBe(2);
    await expect(store.commit(a.id, defaultDocument(), null)).rejects.toThrow(/deleted/);
  });

  it('keeps snapshots with their board, newest first, and forgets them with it', async () => {
    store = await SavedBoards.open();
    const a = await store.create('A', defaultDocument());
    const b = await store.create('B', defaultDocument());
    const first = await store.addSnapshot(a.id, 'first', 1.5, new Uint8Array([1, 2, 3]));
    await new Promise((done) => setTimeout(done, 2));
    const second = await store.addSnapshot(a.id, 'second', 2.5, new Uint8Array([4]));
    await store.addSnapshot(b.id, 'other board', 1, new Uint8Array([5]));
    expect((await store.snapshots(a.id)).map((s) => s.name)).toEqual(['second', 'first']);
    expect([...(await store.snapshot(first.id))!.bytes]).toEqual([1, 2, 3]);
    await store.deleteSnapshot(second.id);
    expect((await store.snapshots(a.id)).map((s) => s.name)).toEqual(['first']);
    await store.delete(a.id);
    expect(await store.snapshot(first.id)).toBeUndefined();
    expect((await store.snapshots(b.id)).map((s) => s.name)).toEqual(['other board']);
  });

  it('opens a version-1 database (before snapshots) and keeps its boards', async () => {
    await new Promise<void>((done, fail) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('boards', { keyPath: 'id' }).put({
          id: 'old',
          name: 'Old',
          updated: 1,
        });
        db.createObjectStore('sectors');
        db.createObjectStore('meta');
      };
      req.onsuccess = () => {
        req.result.close();
        done();
      };
      req.onerror = () => fail(req.error);
    });
    store = await SavedBoards.open();
    expect((await store.list()).map((board) => board.name)).toEqual(['Old']);
    expect(await store.snapshots('old')).toEqual([]);
  });
});
