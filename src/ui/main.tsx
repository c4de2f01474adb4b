import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BOARD_CHOICES, type BoardChoice } from '../worker/protocol.ts';
import { App, FatalScreen } from './App.tsx';
import { installAutomation } from './automation.ts';
import { startDocController } from './board-doc/controller.ts';
import { defaultDocument } from './board-doc/document.ts';
import { decodeShare, shareValue } from './board-doc/share.ts';
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

/** The document the page opens on: the share link's, or the default (with a message if broken). */
function openDocument(emptyBoard: boolean): void {
  const store = useAppStore.getState();
  const shared = shareValue(location.hash);
  let doc = defaultDocument();
  if (shared !== null) {
    try {
      doc = decodeShare(shared, pinExists);
    } catch (err) {
      store.setNotice(
        `This share link could not be opened (${err instanceof Error ? err.message : String(err)}). Showing the default demo board instead.`,
      );
      history.replaceState(null, '', location.pathname + location.search);
    }
  }
  if (emptyBoard) doc = { ...doc, firmware: { kind: 'none' } };
  store.setDoc(doc);
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
    openDocument(params.get('firmware') === 'none');
    startDocController(
      client,
      (files, ref) => loadFirmware(client, files, undefined, ref),
      !params.has('board'),
    );
  } catch (err) {
    root.render(<FatalScreen message={`The emulator worker failed to start: ${String(err)}`} />);
  }
}

void main();
