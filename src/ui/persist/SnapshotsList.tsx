/**
 * The snapshots kept with the current saved board (in IndexedDB, beside its flash): keep the
 * running machine, put a kept one back on the bench, or delete it. Shown in the Boards menu.
 */

import { useEffect, useState } from 'react';
import { formatBytes } from '../format.ts';
import { useAppStore } from '../store.ts';
import type { SavedSnapshot } from './saved-boards.ts';
import type { BoardSession } from './session.ts';

export function SnapshotsList({ session }: { session: BoardSession }) {
  const [snapshots, setSnapshots] = useState<SavedSnapshot[]>([]);
  const refresh = async () => setSnapshots(await session.snapshots());
  useEffect(() => {
    void session.snapshots().then(setSnapshots);
  }, [session]);

  const report = (err: unknown) =>
    useAppStore
      .getState()
      .setNotice(`Snapshot: ${err instanceof Error ? err.message : String(err)}`);
  const keep = () => void session.keepSnapshot().then(refresh).catch(report);
  const restore = (id: string) => void session.restoreSnapshot(id).catch(report);
  const remove = (snapshot: SavedSnapshot) => {
    if (!window.confirm(`Delete the snapshot "${snapshot.name}"?`)) return;
    void session.deleteSnapshot(snapshot.id).then(refresh).catch(report);
  };

  return (
    <section className="saved-snapshots" aria-label="Snapshots of this board">
      <div className="share-row">
        <strong>Snapshots of this board</strong>
        <button type="button" data-testid="btn-snapshot-keep" onClick={keep}>
          Keep a snapshot
        </button>
      </div>
      {snapshots.length === 0 ? (
        <p className="share-size">
          None yet: a snapshot keeps the whole running machine (CPU, RAM, peripherals, flash).
        </p>
      ) : (
        <ul className="saved-boards">
          {snapshots.map((snapshot) => (
            <li key={snapshot.id} data-testid="saved-snapshot">
              <span>{snapshot.name}</span>
              <span className="share-size">
                {formatBytes(snapshot.bytes.length)} ·{' '}
                {new Date(snapshot.created).toLocaleTimeString()}
              </span>
              <button
                type="button"
                data-testid="saved-snapshot-restore"
                onClick={() => restore(snapshot.id)}
              >
                Restore
              </button>
              <button
                type="button"
                data-testid="saved-snapshot-delete"
                onClick={() => remove(snapshot)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
