import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BOARD_CHOICES, type BoardChoice } from '../worker/protocol.ts';
import { App, FatalScreen } from './App.tsx';
import { installAutomation } from './automation.ts';
import { settled, startDocController } from './board-doc/controller.ts';
import { defaultDocument, type BoardDocument } from './board-doc/document.ts';
import { BoardSession, activeSession, setActiveSession, type OpenedBoard } from './persist/session.ts';
import { decodeShare, isOwnLinkReload, markOwnLink, shareValue } from './board-doc/share.ts';
import { pinExists } from './boards/index.ts';
import { loadFirmware } from './load-firmware.ts';
import { useAppStore } from './store.ts';
import { EmulatorClient } from './emulator-client.ts';
import { ensureCrossOriginIsolated } from './isolation.ts';
import './app.css';

/** `?board=loopback` selects the diagnostic stand-in board (see src/worker/loopback-board.ts). */
function boardFromUrl(): BoardChoice {
  const asked = new URLSearchParams(location.search).get('board');
  return BOARD_CHOICES.find((choice) => choice === asked) ?? 'esp8266';
}

/** The document a share link (`#b=…`) describes, or null (with a message when it is broken). */
function sharedDocument(): BoardDocument | null {
  const shared = shareValue(location.hash);
  if (shared === null || isOwnLinkReload(location.hash)) return null;
  try {
    return decodeShare(shared, pinExists);
  } catch (err) {
    useAppStore
      .getState()
      .setNotice(
        `This share link could not be opened (${err instanceof Error ? err.message : String(err)}). Showing the default demo board instead.`,
      );
    history.replaceState(null, '', location.pathname + location.search);
    return null;
  }
}

/**
 * The saved board to open (IndexedDB): a share link makes a new one; otherwise the board this
 * browser had open last, with its flash. Null when saving is off (a diagnostic `?board=`, an
 * empty `?firmware=none` board) or unavailable (then the page says so and runs unsaved).
 */
async function openSavedBoard(shared: BoardDocument | null): Promise<OpenedBoard | null> {
  try {
    const { session, opened } = await BoardSession.open(
      shared ? { name: 'Shared board', doc: shared } : null,
      defaultDocument(),
    );
    setActiveSession(session);
    if (shared) markOwnLink(location.hash);
    return opened;
  } catch (err) {
    useAppStore
      .getState()
      .setNotice(
        `Boards cannot be saved in this browser (${err instanceof Error ? err.message : String(err)}): this one is lost on reload.`,
      );
    return null;
  }
}

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const isolation = await ensureCrossOriginIsolated();
  if (isolation === 'reloading') return;
  if (isolation === 'unavailable') {
    root.render(
      <FatalScreen message="This page is not cross-origin isolated, so SharedArrayBuffer is unavailable. Serve it with the COOP/COEP headers or over HTTPS with service workers enabled (see docs/deploy.md)." />,
    );
    return;
  }
  try {
    const client = await EmulatorClient.start(boardFromUrl());
    installAutomation(client);
    root.render(
      <StrictMode>
        <App client={client} />
      </StrictMode>,
    );
    // The page opens on the board a share link describes (`#b=…`), else on the demo running;
    // `?firmware=none` asks for an empty board, `?board=…` for a diagnostic stand-in board.
    const params = new URLSearchParams(location.search);
    const diagnostic = params.has('board');
    const emptyBoard = params.get('firmware') === 'none';
    const shared = sharedDocument();
    const saved = diagnostic || emptyBoard ? null : await openSavedBoard(shared);
    let doc = saved?.board.doc ?? shared ?? defaultDocument();
    if (emptyBoard) doc = { ...doc, firmware: { kind: 'none' } };
    useAppStore.getState().setDoc(doc);
    // A saved flash already holds its firmware (and what the firmware wrote): boot it as it is.
    const savedFlash = saved?.flash ?? null;
    startDocController(
      client,
      (files, ref) => loadFirmware(client, files, undefined, ref),
      !diagnostic && savedFlash === null,
    );
    if (savedFlash) {
      await settled();
      useAppStore.getState().applyState(await client.restoreFlash(savedFlash, savedName(doc)));
    }
    activeSession()?.start(client);
  } catch (err) {
    root.render(<FatalScreen message={`The emulator worker failed to start: ${String(err)}`} />);
  }
}

/** What the toolbar says runs on a restored board: the firmware the document names. */
function savedName(doc: BoardDocument): string {
  const ref = doc.firmware;
  if (ref.kind === 'local' || ref.kind === 'embedded') return ref.name;
  if (ref.kind === 'url') return ref.name ?? (ref.url.split('/').pop() || 'firmware.bin');
  if (ref.kind === 'demo') return 'demo.bin';
  return 'saved flash';
}

void main();
