import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useClient } from './client-context.ts';
import { FlashDialog } from './FlashDialog.tsx';
import { interpretDrop, readFiles, type FlashRow, type NamedBytes } from './firmware-files.ts';
import { loadFirmware } from './load-firmware.ts';
import { useAppStore } from './store.ts';
import { flashSizeBytes } from './board-doc/document.ts';
import { DEFAULT_FLASH_SIZE } from '../worker/flash-image.ts';

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

  const take = async (files: NamedBytes[]) => {
    try {
      const drop = interpretDrop(files, DEFAULT_FLASH_SIZE);
      if ('direct' in drop) {
        await loadFirmware(client, [drop.direct]);
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
          </button>
        </p>
        <input
          ref={picker}
          type="file"
          multiple
          accept=".bin,.elf,.json,application/octet-stream"
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
