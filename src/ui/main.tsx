import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BOARD_CHOICES, type BoardChoice } from '../worker/protocol.ts';
import { App, FatalScreen } from './App.tsx';
import { installAutomation } from './automation.ts';
import { appliesDone, finishStartup, startDocController } from './board-doc/controller.ts';
import { defaultDocument, type BoardDocument } from './board-doc/document.ts';
import {
  BoardSession,
  activeSession,
  setActiveSession,
  type OpenedBoard,
} from './persist/session.ts';
import {
  decodeBoardFragment,
  isOwnLinkReload,
  markOwnLink,
  type SharedBoard,
} from './board-doc/share.ts';
import type { PinDrives } from './board-doc/board-file.ts';
import { fetchBoardFile } from './board-doc/fetch-board-file.ts';
import { pinExists } from './boards/index.ts';
import { loadFirmware } from './load-firmware.ts';
import { openSnapshot } from './snapshot.ts';
import { useAppStore } from './store.ts';
import { EmulatorClient } from './emulator-client.ts';
import { ensureCrossOriginIsolated } from './isolation.ts';
import { answerBridgeRequests } from './web-bridge.ts';
import './app.css';

/** `?board=loopback` selects the diagnostic stand-in board (see src/worker/loopback-board.ts). */
function boardFromUrl(): BoardChoice {
  const asked = new URLSearchParams(location.search).get('board');
  return BOARD_CHOICES.find((choice) => choice === asked) ?? 'esp8266';
}

/** The board a share link (`#b=…`) describes, or null (with a message when it is broken). */
function sharedBoard(): SharedBoard | null {
  if (isOwnLinkReload(location.hash)) return null;
  try {
    return decodeBoardFragment(location.hash, pinExists);
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

/** A link whose flash is in a board file: fetch it (integrity checked) or ask for it. */
async function flashFromReference(shared: SharedBoard): Promise<Uint8Array | null> {
  const ref = shared.flashRef;
  if (!ref) return shared.flash;
  try {
    return (await fetchBoardFile(ref, pinExists)).flash;
  } catch (err) {
    const store = useAppStore.getState();
    store.setAwaitedBoardFile(ref.sha256);
    store.setNotice(
      ref.url
        ? `This board's flash is in a board file (SHA-256 ${ref.sha256.slice(0, 16)}…) that could not be fetched (${err instanceof Error ? err.message : String(err)}): open that file with "open board file".`
        : `This board's flash is in a board file the link does not say where to fetch: open that file (SHA-256 ${ref.sha256.slice(0, 16)}…) with "open board file" or drop it here.`,
    );
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
    answerBridgeRequests(client);
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
    const shared = sharedBoard();
    const linkFlash = shared ? await flashFromReference(shared) : null;
    const saved = diagnostic || emptyBoard ? null : await openSavedBoard(shared?.doc ?? null);
    let doc = saved?.board.doc ?? shared?.doc ?? defaultDocument();
    if (emptyBoard) doc = { ...doc, firmware: { kind: 'none' } };
    useAppStore.getState().setDoc(doc);
    // A saved flash already holds its firmware (and what the firmware wrote): boot it as it is;
    // so does the flash a link carries.
    const savedFlash = linkFlash ?? saved?.flash ?? null;
    if (linkFlash) activeSession()?.saveWholeFlashNext();
    const drives = shared ? shared.drives : (saved?.board.drives ?? null);
    const linkMachine = shared?.snapshot ?? null;
    startDocController(
      client,
      (files, ref) => loadFirmware(client, files, undefined, ref),
      !diagnostic && savedFlash === null && linkMachine === null,
    );
    if (linkMachine) await restoreLinkMachine(client, linkMachine);
    else if (savedFlash) {
      await appliesDone();
      useAppStore.getState().applyState(await client.restoreFlash(savedFlash, savedName(doc)));
    }
    if (drives) await applyDrives(client, drives);
    activeSession()?.start(client);
  } catch (err) {
    root.render(<FatalScreen message={`The emulator worker failed to start: ${String(err)}`} />);
  } finally {
    finishStartup();
  }
}

/** A link's running machine (`s=`) carries on where it was; its flash is saved whole. */
async function restoreLinkMachine(client: EmulatorClient, snapshot: Uint8Array): Promise<void> {
  await appliesDone();
  try {
    await openSnapshot(client, { name: 'shared machine', data: snapshot });
    activeSession()?.saveWholeFlashNext();
  } catch (err) {
    useAppStore
      .getState()
      .setNotice(
        `This link's running machine could not be restored (${err instanceof Error ? err.message : String(err)}).`,
      );
  }
}

/** Pins driven by hand, as the link or the saved board says (after the board booted). */
async function applyDrives(client: EmulatorClient, drives: PinDrives): Promise<void> {
  await appliesDone();
  for (const [pin, level] of drives.entries()) {
    if (level !== null) await client.driveGpio(pin, level);
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
