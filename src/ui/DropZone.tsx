import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useClient } from './client-context.ts';
import { FlashDialog } from './FlashDialog.tsx';
import {
  detectFlashSize,
  flashSizeForDrop,
  flashSizeLabel,
  interpretDrop,
  readFiles,
  type FlashRow,
  type NamedBytes,
} from './firmware-files.ts';
import { loadFirmware } from './load-firmware.ts';
import { useAppStore } from './store.ts';
import { isBoardFile, readBoardFile, sha256Hex } from './board-doc/board-file.ts';
import { settled } from './board-doc/controller.ts';
import { pinExists } from './boards/index.ts';
import { activeSession } from './persist/session.ts';
import { flashSizeBytes } from './board-doc/document.ts';
import { DEFAULT_FLASH_SIZE } from '../worker/flash-image.ts';
import { isSnapshotFile } from '../board/snapshot/snapshot-format.ts';
import { downloadSnapshot, openSnapshot } from './snapshot.ts';

/**
 * Firmware in: drop files here or anywhere on the page, or pick them. One .bin is flashed at 0x0
 * and boots; several files (or an esp-web-tools manifest.json with its parts) open the offset
 * table first. A file that is refused leaves the running board as it was.
 */
export function DropZone() {
  const client = useClient();
  const loadError = useAppStore((s) => s.loadError);
  const setLoadError = useAppStore((s) => s.setLoadError);
  const applyState = useAppStore((s) => s.applyState);
  const [hovering, setHovering] = useState(false);
  const [plan, setPlan] = useState<{ rows: FlashRow[]; title: string } | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const snapshotPicker = useRef<HTMLInputElement>(null);

  const take = async (files: NamedBytes[]) => {
    // A drop while the page is still starting waits for it: start-up's own load (the demo) would
    // otherwise replace the firmware, or clear the message saying why a file was refused.
    await settled();
    try {
      if (files.length === 1 && isBoardFile(files[0].data)) {
        await openBoardFile(files[0]);
        return;
      }
      if (files.length === 1 && isSnapshotFile(files[0].data)) {
        await openSnapshot(client, files[0]);
        return;
      }
      const drop = interpretDrop(files, DEFAULT_FLASH_SIZE);
      if ('direct' in drop) {
        // The image header says which flash the firmware expects (the SDK places its data from
        // it): the board takes that size, and the document (and the board's label) say so.
        const before = flashSizeBytes(useAppStore.getState().doc);
        const size = flashSizeForDrop(drop.direct, before);
        const detected = detectFlashSize(drop.direct, size);
        await loadFirmware(client, [detected?.file ?? drop.direct], size);
        const store = useAppStore.getState();
        const said = [
          size !== before
            ? `${drop.direct.name}: its header says ${flashSizeLabel(size)} flash, so the board now has ${flashSizeLabel(size)} (it had ${flashSizeLabel(before)}).`
            : null,
          detected?.note ?? null,
        ].filter((x) => x !== null);
        if (said.length > 0) store.setNotice([store.notice, ...said].filter(Boolean).join(' '));
      } else {
        setLoadError(null);
        setPlan({ rows: drop.table, title: drop.title });
      }
    } catch (err) {
      // loadFirmware already stored its message; interpretDrop's is stored here.
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  };
  const takeList = async (list: FileList | null) => {
    if (list && list.length > 0) await take(await readFiles(list));
  };

  // The whole page is a drop target.
  useEffect(() => {
    const over = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) {
        e.preventDefault();
        setHovering(true);
      }
    };
    const drop = (e: globalThis.DragEvent) => {
      e.preventDefault();
      setHovering(false);
      void takeList(e.dataTransfer?.files ?? null);
    };
    const leave = (e: globalThis.DragEvent) => {
      if (e.relatedTarget === null) setHovering(false);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    window.addEventListener('dragleave', leave);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
      window.removeEventListener('dragleave', leave);
    };
  });

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation(); // handled here, not again by the page-wide listener
    setHovering(false);
    void takeList(event.dataTransfer.files);
  };

  /** A `.v8266` board file: a new saved board with its flash, document and pins (the page reloads). */
  const openBoardFile = async (file: NamedBytes) => {
    const bundle = readBoardFile(file.data, pinExists);
    // The file a share link asked for must be the one it names.
    const awaited = useAppStore.getState().awaitedBoardFile;
    if (awaited) {
      const actual = await sha256Hex(file.data);
      if (actual !== awaited) {
        throw new Error(
          `${file.name} is not the board file the link names: its SHA-256 is ${actual.slice(0, 12)}…, not ${awaited.slice(0, 12)}…`,
        );
      }
      useAppStore.getState().setAwaitedBoardFile(null);
    }
    const session = activeSession();
    if (session) {
      await session.importBoard(
        file.name.replace(/\.v8266$/i, ''),
        bundle.doc,
        bundle.flash,
        bundle.drives,
      );
      return;
    }
    // Saving is off (diagnostic pages): run it here.
    useAppStore.getState().setDoc(bundle.doc);
    await settled();
    applyState(await client.restoreFlash(bundle.flash, file.name));
  };

  const erase = async () => {
    if (!window.confirm('Erase the whole flash (all bytes 0xFF) and restart the board?')) return;
    try {
      applyState(await client.eraseFlash(flashSizeBytes(useAppStore.getState().doc)));
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <>
      <div
        className={`drop-zone ${hovering ? 'is-hovering' : ''} ${loadError ? 'has-error' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setHovering(true);
        }}
        onDrop={onDrop}
      >
        <div className="drop-row">
          <span className="drop-icon" aria-hidden>
            ⇣
          </span>
          <p className="drop-title">
            Drop firmware anywhere: a <code>.bin</code>, an <code>.elf</code>, several parts, or a{' '}
            <code>manifest.json</code> with its files
          </p>
        </div>
        <p className="drop-hint">
          one .bin goes to 0x0, an .elf is converted ·{' '}
          <button type="button" className="link-button" onClick={() => picker.current?.click()}>
            choose files
          </button>{' '}
          ·{' '}
          <button type="button" className="link-button" data-testid="btn-erase" onClick={erase}>
            erase flash
          </button>{' '}
          ·{' '}
          <button
            type="button"
            className="link-button"
            data-testid="btn-snapshot-save"
            title="Download the whole running machine (CPU, RAM, peripherals, flash) as a .v8266snap file"
            onClick={() => void downloadSnapshot(client)}
          >
            save snapshot
          </button>{' '}
          ·{' '}
          <button
            type="button"
            className="link-button"
            data-testid="btn-snapshot-restore"
            title="Open a .v8266snap file: the board carries on where it was saved"
            onClick={() => snapshotPicker.current?.click()}
          >
            restore snapshot
          </button>
        </p>
        <input
          ref={snapshotPicker}
          type="file"
          accept=".v8266snap,application/octet-stream"
          hidden
          data-testid="snapshot-input"
          onChange={(e) => {
            void takeList(e.target.files);
            e.target.value = '';
          }}
        />
        <input
          ref={picker}
          type="file"
          multiple
          accept=".bin,.img,.elf,.json,.v8266,.v8266snap,application/octet-stream"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            void takeList(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {hovering && <div className="drop-overlay" aria-hidden />}
      {plan && (
        <FlashDialog
          title={plan.title}
          rows={plan.rows}
          onCancel={() => setPlan(null)}
          onFlash={async (files, flashSize) => {
            await loadFirmware(client, files, flashSize);
            setPlan(null);
          }}
        />
      )}
    </>
  );
}

/**
 * Why the last file was refused, at the top of the page under the toolbar (not inside the left
 * panel, where it fell below the fold), until the next load or a dismiss.
 */
export function LoadErrorBar() {
  const loadError = useAppStore((s) => s.loadError);
  const setLoadError = useAppStore((s) => s.setLoadError);
  if (!loadError) return null;
  return (
    <div className="notice drop-error" role="alert">
      <span data-testid="drop-error">{loadError}</span>
      <button type="button" aria-label="Dismiss" onClick={() => setLoadError(null)}>
        ×
      </button>
    </div>
  );
}
