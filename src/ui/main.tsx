import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BOARD_CHOICES, type BoardChoice } from '../worker/protocol.ts';
import { App, FatalScreen } from './App.tsx';
import { installAutomation } from './automation.ts';
import { loadDemo } from './demo.ts';
import { EmulatorClient } from './emulator-client.ts';
import { ensureCrossOriginIsolated } from './isolation.ts';
import './app.css';

/** `?board=loopback` selects the diagnostic stand-in board (see src/worker/loopback-board.ts). */
function boardFromUrl(): BoardChoice {
  const asked = new URLSearchParams(location.search).get('board');
  return BOARD_CHOICES.find((choice) => choice === asked) ?? 'esp8266';
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
    // The page opens on the demo running, unless the URL asks for an empty board
    // (`?firmware=none`) or a diagnostic stand-in board.
    const params = new URLSearchParams(location.search);
    if (params.get('firmware') !== 'none' && !params.has('board')) void loadDemo(client);
  } catch (err) {
    root.render(<FatalScreen message={`The emulator worker failed to start: ${String(err)}`} />);
  }
}

void main();
