import { useEffect, useRef, useState } from 'react';
import { EditorToggle, ShareButton } from './board-doc/BoardDocPanel.tsx';
import { BoardView, describePin, type SelectedPin } from './boards/BoardView.tsx';
import { BOARD_LAYOUTS, layoutFor } from './boards/index.ts';
import {
  BOARD_TYPES,
  flashSizeBytes,
  formatDocument,
  type BoardType,
} from './board-doc/document.ts';
import { flashSizeLabel } from './firmware-files.ts';
import { useClient } from './client-context.ts';
import { PartsRow } from './parts/PartsRow.tsx';
import { Wires } from './parts/Wires.tsx';
import { BoardsMenu } from './persist/BoardsMenu.tsx';
import { useAppStore } from './store.ts';

/** The board, drawn and live, with the pin menu and the A0 input under it. */
export function BoardPanel() {
  const board = useAppStore((s) => s.doc.board);
  const flashBytes = useAppStore((s) => flashSizeBytes(s.doc));
  const layout = layoutFor(board);
  const hasFlashButton = layout.buttons.some((b) => b.id === 'flash');
  const hasParts = useAppStore((s) => s.doc.parts.length > 0);
  const stage = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<SelectedPin | null>(null);
  // A pin menu belongs to the drawing it was opened on.
  useEffect(() => setSelected(null), [board]);

  useEffect(() => {
    if (!selected) return;
    const close = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && setSelected(null);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [selected]);

  return (
    <section className="panel board-panel" aria-label="Board">
      <header className="panel-header">
        <BoardPicker board={board} />
        <span className="panel-meta" data-testid="board-description">
          {layout.description.replace(/\d+ [MK]B flash/, `${flashSizeLabel(flashBytes)} flash`)}
        </span>
        <div className="doc-buttons">
          <BoardsMenu />
          <EditorToggle />
          <ShareButton />
        </div>
      </header>
      <div className="board-stage" data-testid="board" ref={stage}>
        {/* Parts sit above and below the drawing, wired to their pins, so they are seen with the
            board. The pin menu is placed in % of the frame, which is exactly the drawing. A
            standing board (the ESP-01) gets a narrower frame so it is no taller than a lying one;
            with parts, the drawing gives up some height to them. */}
        <PartsRow row="above" />
        <div className="board-frame" style={{ maxWidth: frameWidth(layout, hasParts) }}>
          <BoardView
            layout={layout}
            onSelectPin={setSelected}
            selectedTestId={selected?.testId ?? null}
          />
          {selected && <PinMenu selection={selected} onClose={() => setSelected(null)} />}
        </div>
        <PartsRow row="below" />
        <Wires stage={stage} />
      </div>
      <footer className="board-footer">
        {layout.a0Volts !== undefined && <AnalogInput volts={layout.a0Volts} />}
        <p className="board-hint">
          {hasFlashButton ? (
            <>
              Click a pin to drive it · hold <kbd>FLASH</kbd> (Shift+click latches it) and press{' '}
              <kbd>RST</kbd> for download mode
            </>
          ) : (
            <>Click a pin to drive it · drive GPIO0 low and reset for download mode</>
          )}
        </p>
      </footer>
    </section>
  );
}

function frameWidth(layout: { width: number; height: number }, hasParts: boolean) {
  const standing = layout.height > layout.width;
  if (standing) return hasParts ? '32%' : '42%';
  return hasParts ? '78%' : undefined;
}

/**
 * Which board is drawn: the document's `board` field. Choosing one edits the document (so it is
 * shared); parts on pins the new board does not have keep it from applying: the editor opens
 * with the problems.
 */
function BoardPicker({ board }: { board: BoardType }) {
  return (
    <label className="board-picker">
      <span className="visually-hidden">Board</span>
      <select
        data-testid="board-picker"
        aria-label="Board"
        value={board}
        onChange={(e) => {
          const store = useAppStore.getState();
          const next = { ...store.doc, board: e.target.value as BoardType };
          store.setDocText(formatDocument(next));
          if (useAppStore.getState().docProblems.length > 0) store.setEditorOpen(true);
        }}
      >
        {BOARD_TYPES.map((type) => (
          <option key={type} value={type}>
            {BOARD_LAYOUTS[type].name}
          </option>
        ))}
      </select>
    </label>
  );
}

function PinMenu({ selection, onClose }: { selection: SelectedPin; onClose(): void }) {
  const client = useClient();
  const status = useAppStore((s) => s.status);
  const { pin } = selection;
  const gpio = pin.gpio!;
  const host = status?.gpioHostDrive[gpio] ?? null;
  const conflict = status?.gpioConflict[gpio] ?? false;
  const [title, ...details] = describePin(pin, status).split('\n');
  const drive = (level: 0 | 1 | null) => void client.driveGpio(gpio, level);
  const below = selection.top < 50;
  return (
    <div
      className={`pin-menu ${below ? 'below' : 'above'} ${conflict ? 'has-conflict' : ''}`}
      style={{ left: `${selection.left}%`, top: `${selection.top}%` }}
      role="dialog"
      aria-label={`Drive ${pin.name}`}
      data-testid="pin-menu"
    >
      <div className="pin-menu-head">
        <strong>{title}</strong>
        <button type="button" className="pin-menu-close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <ul className="pin-menu-details" data-testid="pin-menu-details">
        {details.map((line) => (
          <li key={line} className={line.startsWith('CONFLICT') ? 'conflict' : ''}>
            {line}
          </li>
        ))}
      </ul>
      <div className="pin-menu-actions" role="group" aria-label="Drive level">
        <button
          type="button"
          data-testid="pin-drive-high"
          aria-pressed={host === 1}
          onClick={() => drive(1)}
        >
          High
        </button>
        <button
          type="button"
          data-testid="pin-drive-low"
          aria-pressed={host === 0}
          onClick={() => drive(0)}
        >
          Low
        </button>
        <button
          type="button"
          data-testid="pin-release"
          aria-pressed={host === null}
          onClick={() => drive(null)}
        >
          Release
        </button>
      </div>
    </div>
  );
}

/** A0 as the ADC reads it (0–1023 for 0–1 V at the chip; 0–`volts` on the board's divider). */
function AnalogInput({ volts }: { volts: number }) {
  const client = useClient();
  // The worker's value: a potentiometer part moves it too. While dragging, follow the hand.
  const published = useAppStore((s) => s.status?.a0 ?? 0);
  const [dragged, setDragged] = useState<number | null>(null);
  useEffect(() => setDragged(null), [published]);
  const value = dragged ?? published;
  return (
    <label className="a0-input">
      <span className="a0-name">A0</span>
      <input
        type="range"
        min={0}
        max={1023}
        value={value}
        data-testid="a0-slider"
        onChange={(e) => {
          const v = Number(e.target.value);
          setDragged(v);
          void client.setA0(v);
        }}
      />
      <span className="a0-value" data-testid="a0-value">
        {value} · {((value / 1023) * volts).toFixed(2)} V
      </span>
    </label>
  );
}
