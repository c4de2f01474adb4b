import { useRef, useState, type DragEvent } from 'react';
import { useClient } from './client-context.ts';
import { readFiles } from './firmware-files.ts';
import { loadFirmware } from './load-firmware.ts';
import { useAppStore } from './store.ts';

/** Drop a .bin (or pick one) to flash it at offset 0 and power the board on. */
export function DropZone() {
  const client = useClient();
  const loadError = useAppStore((s) => s.loadError);
  const [hovering, setHovering] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const load = async (files: FileList | null) => {
    if (!files) return;
    try {
      await loadFirmware(client, await readFiles(files));
    } catch {
      // loadFirmware put the message in the store; it is shown below.
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setHovering(false);
    void load(event.dataTransfer.files);
  };

  return (
    <div
      className={`drop-zone ${hovering ? 'is-hovering' : ''} ${loadError ? 'has-error' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setHovering(true);
      }}
      onDragLeave={() => setHovering(false)}
      onDrop={onDrop}
    >
      <div className="drop-icon" aria-hidden>
        ⇣
      </div>
      <p className="drop-title">
        Drop a firmware <code>.bin</code> here
      </p>
      <p className="drop-hint">
        flashed at 0x0 of a 4 MB chip ·{' '}
        <button type="button" className="link-button" onClick={() => picker.current?.click()}>
          choose a file
        </button>
      </p>
      <input
        ref={picker}
        type="file"
        accept=".bin,application/octet-stream"
        hidden
        data-testid="file-input"
        onChange={(e) => {
          void load(e.target.files);
          e.target.value = '';
        }}
      />
      {loadError && (
        <p className="drop-error" role="alert" data-testid="drop-error">
          {loadError}
        </p>
      )}
    </div>
  );
}
