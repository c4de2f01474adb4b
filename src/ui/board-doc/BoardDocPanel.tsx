/** The editor panel (opened on demand; monaco is fetched then) and the Share button. */

import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import { useDismiss } from '../use-dismiss.ts';
import { useAppStore } from '../store.ts';
import { lastLoadedFiles } from './controller.ts';
import type { BoardDocument } from './document.ts';
import {
  embedFirmware,
  encodeShareFragment,
  MAX_EMBED_URL,
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
  const doc = useAppStore((s) => s.doc);
  const [open, setOpen] = useState(false);
  const [embed, setEmbed] = useState(false);
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, ref);

  const embedded = open ? withEmbeddedFirmware(doc) : null;
  const embeddedUrl = embedded ? urlFor(embedded) : null;
  const canEmbed = embeddedUrl !== null && embeddedUrl.length <= MAX_EMBED_URL;
  const url = embed && canEmbed ? embeddedUrl! : urlFor(doc);

  const share = () => {
    setCopied(false);
    setOpen(!open);
    if (!open) showShareFragment(encodeShareFragment(doc));
  };
  const update = (nextEmbed: boolean) => {
    setEmbed(nextEmbed);
    const next = nextEmbed && embedded ? embedded : doc;
    showShareFragment(encodeShareFragment(next));
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
            The link holds the board description (board, flash, MAC, pacing, parts) and a reference
            to the firmware.
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
          {doc.firmware.kind === 'local' && (
            <label className="share-embed">
              <input
                type="checkbox"
                data-testid="share-embed"
                checked={embed && canEmbed}
                disabled={!canEmbed}
                onChange={(e) => update(e.target.checked)}
              />
              embed firmware ({doc.firmware.name}){!canEmbed && ' — too large for a link'}
            </label>
          )}
        </div>
      )}
    </div>
  );
}

function urlFor(doc: BoardDocument): string {
  return `${location.origin}${location.pathname}${location.search}${encodeShareFragment(doc)}`;
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
