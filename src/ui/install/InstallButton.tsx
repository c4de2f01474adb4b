import { useRef, useState } from 'react';
import { useClient } from '../client-context.ts';
import { readFiles } from '../firmware-files.ts';
import { formatBytes } from '../format.ts';
import { installFirmware, manifestParts, type InstallProgress } from './install-firmware.ts';

const STAGE_TEXT: Record<InstallProgress['stage'], string> = {
  connecting: 'Resetting into download mode…',
  writing: 'Writing (esptool stub, compressed, MD5-checked)…',
  resetting: 'Resetting into the new firmware…',
  done: 'Installed: the new firmware runs.',
};

/**
 * "Install": pick an esp-web-tools manifest.json with its .bin files; esptool-js in the tab
 * flashes them through the ROM's download protocol, as esp-web-tools does with a real board.
 */
export function InstallButton({ disabled }: { disabled: boolean }) {
  const client = useClient();
  const input = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [progress, setProgress] = useState<InstallProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [log, setLog] = useState<string[]>([]);

  const start = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setError(null);
    setLog([]);
    setProgress(null);
    try {
      const chosen = await readFiles(files);
      const { name, parts } = manifestParts(chosen);
      setTitle(name);
      await installFirmware(client, parts, setProgress, (line) =>
        setLog((l) => [...l.slice(-200), line]),
      );
    } catch (err) {
      setTitle((t) => t ?? 'firmware');
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  const busy = title !== null && progress?.stage !== 'done' && error === null;
  const percent =
    progress && progress.total > 0 ? Math.floor((100 * progress.written) / progress.total) : 0;

  return (
    <>
      <button
        type="button"
        className="tool-button"
        data-testid="btn-install"
        disabled={disabled || busy}
        onClick={() => input.current?.click()}
        title="Install firmware from an esp-web-tools manifest, through the ROM's download mode (esptool-js)"
      >
        <span className="icon" aria-hidden>
          ⤓
        </span>
        Install
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept=".json,.bin"
        hidden
        data-testid="install-input"
        onChange={(e) => void start(e.target.files)}
      />
      {title !== null && (
        <div className="dialog-backdrop" role="presentation">
          <div
            className="dialog"
            role="dialog"
            aria-modal="true"
            aria-label="Install"
            data-testid="install-dialog"
          >
            <h3>Install {title}</h3>
            <p className="dialog-hint" data-testid="install-status" role="status">
              {error
                ? 'Installation failed.'
                : progress
                  ? STAGE_TEXT[progress.stage]
                  : 'Starting esptool-js…'}
            </p>
            <progress
              className="install-progress"
              data-testid="install-progress"
              max={100}
              value={percent}
              aria-label="Install progress"
            />
            <p className="dialog-hint">
              {percent}%{' '}
              {progress
                ? `(${formatBytes(progress.written)} of ${formatBytes(progress.total)})`
                : ''}
            </p>
            <pre className="install-log" data-testid="install-log">
              {log.join('\n')}
            </pre>
            {error && (
              <p className="drop-error" role="alert" data-testid="install-error">
                {error}
              </p>
            )}
            <div className="dialog-row">
              <span className="toolbar-spacer" />
              <button
                type="button"
                data-testid="btn-install-close"
                disabled={busy}
                onClick={() => setTitle(null)}
              >
                Close
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
