/** The editor panel (opened on demand; monaco is fetched then) and the Share button. */

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from '../client-context.ts';
import { sha256Hex, writeBoardFile } from './board-file.ts';
import { isAllowedFirmwareUrl } from './firmware-url.ts';
import { packFlash } from './flash-pack.ts';
import { useDismiss } from '../use-dismiss.ts';
import { useAppStore } from '../store.ts';
import { lastLoadedFiles } from './controller.ts';
import type { BoardDocument } from './document.ts';
import {
  embedFirmware,
  encodeBoardFragment,
  MAX_EMBED_URL,
  MAX_FLASH_LINK,
  MAX_PLAIN_URL,
  showShareFragment,
} from './share.ts';

const BoardEditor = lazy(() => import('./BoardEditor.tsx'));

export function BoardDocPanel() {
  const open = useAppStore((s) => s.editorOpen);
  const setOpen = useAppStore((s) => s.setEditorOpen);
  if (!open) return null;
  return (
    <section className="panel doc-panel" aria-label="Board description" data-testid="doc-panel">
      <header className="panel-header">
        <h2>Board description</h2>
        <span className="panel-meta">board.json · the same document the share link carries</span>
        <button
          type="button"
          className="pin-menu-close"
          aria-label="Close editor"
          onClick={() => setOpen(false)}
        >
          ×
        </button>
      </header>
      <Suspense fallback={<div className="doc-loading">Loading the editor…</div>}>
        <BoardEditor />
      </Suspense>
    </section>
  );
}

/** The document with the user's firmware embedded (deflated), or null when there is none. */
function withEmbeddedFirmware(doc: BoardDocument): BoardDocument | null {
  const files = lastLoadedFiles();
  if (doc.firmware.kind !== 'local' || !files) return null;
  const ref = embedFirmware(
    doc.firmware.name,
    files.map((f) => ({ offset: f.offset ?? 0, data: f.data })),
  );
  return { ...doc, firmware: ref };
}

export function ShareButton() {
  const client = useClient();
  const doc = useAppStore((s) => s.doc);
  const [open, setOpen] = useState(false);
  const [embed, setEmbed] = useState(false);
  const [copied, setCopied] = useState(false);
  const [withFlash, setWithFlash] = useState(true);
  const [withMachine, setWithMachine] = useState(false);
  const [machine, setMachine] = useState<Uint8Array | null>(null);
  const [fileUrl, setFileUrl] = useState('');
  const [board, setBoard] = useState<{ pack: Uint8Array; file: Uint8Array; sha256: string } | null>(
    null,
  );
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, ref);

  const embedded = open ? withEmbeddedFirmware(doc) : null;
  const embeddedUrl = embedded ? urlFor(embedded) : null;
  const canEmbed = embeddedUrl !== null && embeddedUrl.length <= MAX_EMBED_URL;
  const baseDoc = embed && canEmbed ? embedded! : doc;
  const drives = useAppStore.getState().status?.gpioHostDrive;
  const flashLink = board ? urlFor(baseDoc, { flashPack: board.pack, drives }) : null;
  const flashFits = flashLink !== null && flashLink.length <= MAX_FLASH_LINK;
  const fileUrlOk = fileUrl === '' || isAllowedFirmwareUrl(fileUrl);
  const machineLink = machine ? urlFor(baseDoc, { snapshot: machine, drives }) : null;
  const machineFits = machineLink !== null && machineLink.length <= MAX_FLASH_LINK;
  let url: string;
  if (withMachine && machineFits) url = machineLink!;
  else if (!withFlash || !board) url = urlFor(baseDoc, { drives });
  else if (flashFits) url = flashLink!;
  else {
    url = urlFor(baseDoc, {
      flashRef: { sha256: board.sha256, ...(fileUrl && fileUrlOk ? { url: fileUrl } : {}) },
      drives,
    });
  }

  // The address bar shows the link (this tab's own: a reload opens the saved board).
  useEffect(() => {
    if (open) showShareFragment(url.slice(url.indexOf('#')));
  }, [open, url]);

  const share = () => {
    setCopied(false);
    setOpen(!open);
    if (open) return;
    setBoard(null);
    setMachine(null);
    // The running machine as it is now, for "include the running machine".
    void client.saveSnapshot().then(setMachine);
    void (async () => {
      const flash = await client.readFlash();
      if (!flash) return;
      const file = writeBoardFile({
        doc: useAppStore.getState().doc,
        drives: useAppStore.getState().status?.gpioHostDrive ?? [],
        flash,
      });
      setBoard({ pack: packFlash(flash), file, sha256: await sha256Hex(file) });
    })();
  };

  const download = () => {
    if (!board) return;
    const blob = new Blob([board.file as Uint8Array<ArrayBuffer>], {
      type: 'application/octet-stream',
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${doc.board}-${board.sha256.slice(0, 8)}.v8266`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  return (
    <div className="share" ref={ref}>
      <button
        type="button"
        className="tool-button"
        data-testid="btn-share"
        onClick={share}
        aria-expanded={open}
      >
        Share
      </button>
      {open && (
        <div
          className="share-popover"
          role="dialog"
          aria-label="Share this board"
          data-testid="share-popover"
        >
          <p>
            The link holds the board description (board, flash size, MAC, pacing, parts), the pins
            you drive and, when it fits, the flash contents, all in the part after # (never sent to
            a server).
          </p>
          <input readOnly value={url} data-testid="share-url" onFocus={(e) => e.target.select()} />
          <div className="share-row">
            <button
              type="button"
              data-testid="share-copy"
              onClick={() =>
                void navigator.clipboard?.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy link'}
            </button>
            <span className="share-size" data-testid="share-size">
              {(url.length / 1024).toFixed(1)} KB
              {url.length > MAX_PLAIN_URL ? ' (long link)' : ''}
            </span>
          </div>
          <label className="share-embed">
            <input
              type="checkbox"
              data-testid="share-flash"
              checked={withFlash}
              disabled={!board}
              onChange={(e) => setWithFlash(e.target.checked)}
            />
            {!board
              ? 'include the flash contents (reading it…)'
              : flashFits
                ? `include the flash contents (${(board.pack.length / 1024).toFixed(0)} KB packed)`
                : 'flash too big for a link: the link names the board file by SHA-256'}
          </label>
          <label className="share-embed">
            <input
              type="checkbox"
              data-testid="share-snapshot"
              checked={withMachine && machineFits}
              disabled={!machineFits}
              onChange={(e) => setWithMachine(e.target.checked)}
            />
            {!machine
              ? 'include the running machine (saving it…)'
              : machineFits
                ? `include the running machine as it was when this opened: CPU, RAM, peripherals and flash (${(machine.length / 1024).toFixed(0)} KB snapshot)`
                : 'the running machine is too big for a link: keep a snapshot under Boards'}
          </label>
          {board && withFlash && !flashFits && (
            <label className="share-embed">
              board file URL (https, where you put the downloaded file; empty: the opener is asked
              for it)
              <input
                data-testid="share-file-url"
                value={fileUrl}
                placeholder="https://…/board.v8266"
                aria-invalid={!fileUrlOk}
                onChange={(e) => setFileUrl(e.target.value.trim())}
              />
            </label>
          )}
          <div className="share-row">
            <button type="button" data-testid="share-download" disabled={!board} onClick={download}>
              Download board file
            </button>
          </div>
          {doc.firmware.kind === 'local' && (
            <label className="share-embed">
              <input
                type="checkbox"
                data-testid="share-embed"
                checked={embed && canEmbed}
                disabled={!canEmbed}
                onChange={(e) => setEmbed(e.target.checked)}
              />
              embed firmware ({doc.firmware.name}){!canEmbed && ' — too large for a link'}
            </label>
          )}
        </div>
      )}
    </div>
  );
}

function urlFor(doc: BoardDocument, extra: Parameters<typeof encodeBoardFragment>[1] = {}): string {
  return `${location.origin}${location.pathname}${location.search}${encodeBoardFragment(doc, extra)}`;
}

export function EditorToggle() {
  const open = useAppStore((s) => s.editorOpen);
  const setOpen = useAppStore((s) => s.setEditorOpen);
  return (
    <button
      type="button"
      className="tool-button"
      data-testid="btn-editor"
      aria-pressed={open}
      title="Edit the board description (JSON)"
      onClick={() => setOpen(!open)}
    >
      {'{ }'} JSON
    </button>
  );
}

export function Notice() {
  const notice = useAppStore((s) => s.notice);
  const setNotice = useAppStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)}>
        ×
      </button>
    </div>
  );
}
