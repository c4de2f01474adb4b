import { useState } from 'react';
import {
  headerCodeName,
  hex,
  parseOffset,
  readHeaderFlashSize,
  withHeaderFlashSize,
} from '../board/image/flash-layout.ts';
import { DEFAULT_FLASH_SIZE } from '../worker/flash-image.ts';
import {
  FLASH_SIZE_CHOICES,
  HEADER_SIZE_CHOICES,
  headerCodeForSize,
  headerSizeMismatch,
  offsetsForFlashSize,
  type FlashRow,
  type NamedBytes,
} from './firmware-files.ts';
import { formatBytes } from './format.ts';

const KIND_LABELS: Record<FlashRow['kind'], string> = {
  image: '0xE9 image',
  'image-v2': '0xEA image (SDK v2)',
  data: 'data',
};

/** The row whose offset reads 0x0: what the ROM boots and whose header the SDK reads. */
function bootRowIndex(offsets: readonly string[]): number {
  return offsets.findIndex((text) => {
    try {
      return text.trim() !== '' && parseOffset(text) === 0;
    } catch {
      return false;
    }
  });
}

/**
 * The offset table: where each file goes, on which flash size, with which size in the boot
 * image's header (esptool's `--flash_size`, the CLI's `--header-size`); editable, then "Flash &
 * run".
 */
export function FlashDialog({
  title,
  rows,
  onCancel,
  onFlash,
}: {
  title: string;
  rows: FlashRow[];
  onCancel(): void;
  onFlash(files: NamedBytes[], flashSize: number): Promise<void>;
}) {
  const [offsets, setOffsets] = useState(() =>
    rows.map((r) => (r.offset === null ? '' : hex(r.offset))),
  );
  const [flashSize, setFlashSize] = useState(DEFAULT_FLASH_SIZE);
  /** null: keep the header the file has (esptool's `--flash_size keep`). */
  const [headerCode, setHeaderCode] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const flash = async () => {
    setError(null);
    try {
      const files = rows.map((row, i) => {
        if (offsets[i].trim() === '') throw new Error(`Give ${row.name} an offset.`);
        return { name: row.name, data: row.data.slice(), offset: parseOffset(offsets[i]) };
      });
      setBusy(true);
      await onFlash(
        headerCode === null ? files : withHeaderFlashSize(files, headerCode).parts,
        flashSize,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const bootRow = bootRowIndex(offsets);
  const bootData = bootRow < 0 ? null : rows[bootRow].data;
  const fileCode = bootData ? readHeaderFlashSize(bootData) : null;
  const mismatch = headerSizeMismatch(bootData, headerCode, flashSize);
  const matching = headerCodeForSize(flashSize);

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Flash layout"
        data-testid="flash-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h3>Flash {title}</h3>
        <p className="dialog-hint">
          Offsets come from the manifest or the SDK's file names; check them, then flash.
        </p>
        <table className="offset-table">
          <thead>
            <tr>
              <th>File</th>
              <th>Size</th>
              <th>Header</th>
              <th>Offset</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.name} data-testid={`flash-row-${row.name}`}>
                <td className="mono">{row.name}</td>
                <td>{formatBytes(row.data.length)}</td>
                <td>{KIND_LABELS[row.kind]}</td>
                <td>
                  <input
                    className="mono"
                    value={offsets[i]}
                    placeholder="0x…"
                    aria-label={`Offset of ${row.name}`}
                    data-testid={`offset-${row.name}`}
                    onChange={(e) =>
                      setOffsets(offsets.map((o, j) => (j === i ? e.target.value : o)))
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-row">
          <label>
            Flash size{' '}
            <select
              value={flashSize}
              data-testid="flash-size"
              onChange={(e) => {
                const size = Number(e.target.value);
                const names = rows.map((r) => r.name);
                setOffsets(offsetsForFlashSize(names, offsets, flashSize, size));
                setFlashSize(size);
              }}
            >
              {FLASH_SIZE_CHOICES.map((c) => (
                <option key={c.bytes} value={c.bytes}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label title="The flash size written into the boot image's header (byte 3), as esptool --flash_size does: the SDK places its init data and RF calibration from it">
            Header size{' '}
            <select
              value={headerCode === null ? 'keep' : String(headerCode)}
              data-testid="header-size"
              disabled={fileCode === null}
              onChange={(e) =>
                setHeaderCode(e.target.value === 'keep' ? null : Number(e.target.value))
              }
            >
              <option value="keep">
                keep
                {fileCode === null ? '' : ` (${headerCodeName(fileCode) ?? `code ${fileCode}`})`}
              </option>
              {HEADER_SIZE_CHOICES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <span className="toolbar-spacer" />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            data-testid="btn-flash-run"
            disabled={busy}
            onClick={() => void flash()}
          >
            Flash &amp; run
          </button>
        </div>
        {mismatch && (
          <p className="dialog-hint" data-testid="header-size-hint">
            {mismatch}{' '}
            {matching !== null && (
              <button
                type="button"
                className="link-button"
                data-testid="btn-header-match"
                onClick={() => setHeaderCode(matching)}
              >
                write {headerCodeName(matching)} into the header
              </button>
            )}
          </p>
        )}
        {error && (
          <p className="drop-error" role="alert" data-testid="flash-dialog-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
