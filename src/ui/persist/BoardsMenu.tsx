/** "Boards": the boards saved in this browser, to open, rename or delete; a new one; forget this one. */

import { useCallback, useRef, useState } from 'react';
import { defaultDocument } from '../board-doc/document.ts';
import { formatFlashSize } from '../../board/image/flash-layout.ts';
import { useDismiss } from '../use-dismiss.ts';
import { useAppStore } from '../store.ts';
import { activeSession } from './session.ts';
import type { SavedBoard } from './saved-boards.ts';
import { SnapshotsList } from './SnapshotsList.tsx';

export function BoardsMenu() {
  // Re-render once the session exists (it opens after the first paint).
  useAppStore((s) => s.savedBoard);
  const session = activeSession();
  const [open, setOpen] = useState(false);
  const [boards, setBoards] = useState<SavedBoard[]>([]);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, ref);
  if (!session) return null;

  const refresh = async () => setBoards(await session.list());
  const toggle = () => {
    if (!open) void refresh();
    setOpen(!open);
  };
  const rename = async (board: SavedBoard) => {
    const name = window.prompt('Name this board', board.name)?.trim();
    if (!name) return;
    await session.rename(board.id, name.slice(0, 80));
    await refresh();
  };
  const remove = async (board: SavedBoard) => {
    const current = board.id === session.board.id;
    const question = current
      ? `Forget "${board.name}"? Its flash and description are deleted from this browser and a new board opens.`
      : `Delete "${board.name}" and its flash from this browser?`;
    if (!window.confirm(question)) return;
    await session.deleteBoard(board.id);
    await refresh();
  };

  return (
    <div className="share" ref={ref}>
      <button
        type="button"
        className="tool-button"
        data-testid="btn-boards"
        aria-expanded={open}
        title="Boards saved in this browser"
        onClick={toggle}
      >
        Boards
      </button>
      {open && (
        <div
          className="share-popover"
          role="dialog"
          aria-label="Saved boards"
          data-testid="boards-menu"
        >
          <p>
            Saved in this browser (IndexedDB): each board&apos;s description and everything its
            firmware wrote to flash, kept across reloads.
          </p>
          <ul className="saved-boards">
            {boards.map((board) => (
              <li
                key={board.id}
                data-testid="saved-board"
                data-current={board.id === session.board.id}
              >
                <button
                  type="button"
                  className="link-button"
                  data-testid="saved-board-open"
                  disabled={board.id === session.board.id}
                  onClick={() => void session.openBoard(board.id)}
                >
                  {board.name}
                </button>
                <span className="share-size">
                  {board.flashSize ? formatFlashSize(board.flashSize) : '—'} ·{' '}
                  {new Date(board.updated).toLocaleString()}
                </span>
                <button
                  type="button"
                  data-testid="saved-board-rename"
                  onClick={() => void rename(board)}
                >
                  Rename
                </button>
                <button
                  type="button"
                  data-testid="saved-board-delete"
                  onClick={() => void remove(board)}
                >
                  {board.id === session.board.id ? 'Forget' : 'Delete'}
                </button>
              </li>
            ))}
          </ul>
          <SnapshotsList session={session} />
          <div className="share-row">
            <button
              type="button"
              data-testid="btn-new-board"
              onClick={() => void session.newBoard(defaultDocument())}
            >
              New board
            </button>
            <button
              type="button"
              data-testid="btn-forget-board"
              onClick={() => void remove(session.board)}
            >
              Forget this board
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
