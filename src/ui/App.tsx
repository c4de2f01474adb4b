import { useEffect } from 'react';
import { BoardDocPanel, Notice } from './board-doc/BoardDocPanel.tsx';
import { BoardPanel } from './BoardPanel.tsx';
import { ClientContext } from './client-context.ts';
import { CrashPanel } from './crash/CrashPanel.tsx';
import { DropZone, LoadErrorBar } from './DropZone.tsx';
import type { EmulatorClient } from './emulator-client.ts';
import { NetworkPanel } from './network/NetworkPanel.tsx';
import { SerialTerminal } from './SerialTerminal.tsx';
import { useAppStore } from './store.ts';
import { Toolbar } from './Toolbar.tsx';
import type { StatusSnapshot } from '../worker/status-block.ts';

/** How often the toolbar's readouts (the store's `status`) follow the worker: 10 times a second. */
const STATUS_STORE_MS = 100;

export function App({ client }: { client: EmulatorClient }) {
  useEffect(() => {
    let lastRunState: string | null = null;
    let storedAt = -Infinity;
    let trailing = 0;
    let latest: StatusSnapshot | null = null;
    const store = () => {
      trailing = 0;
      storedAt = performance.now();
      useAppStore.getState().setStatus(latest!);
    };
    const stop = client.onStatus((status) => {
      latest = status;
      // The store feeds the toolbar's readouts and the menus, and every update re-renders them:
      // a few updates a second are plenty (at 60 a second they took a quarter of the main thread
      // during a transfer). A change of run state goes at once; the last update is never lost.
      // The board's pins and LEDs follow every publish directly (BoardView, PartsRow).
      const changed = status.runState !== lastRunState;
      if (changed || performance.now() - storedAt >= STATUS_STORE_MS) store();
      else trailing ||= window.setTimeout(store, STATUS_STORE_MS);
      // The status block carries figures only; on a state change (a crash, a load) fetch the rest.
      if (changed) {
        lastRunState = status.runState;
        void client.getState().then(useAppStore.getState().applyState);
      }
    });
    return () => {
      stop();
      clearTimeout(trailing);
    };
  }, [client]);

  return (
    <ClientContext.Provider value={client}>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden />
            <h1 className="brand-name">v8266</h1>
            <span className="brand-tagline">virtual ESP8266 bench</span>
          </div>
          <Toolbar />
        </header>
        <Notice />
        <LoadErrorBar />
        <main className="bench">
          <div className="bench-left">
            <BoardPanel />
            <DropZone />
            <NetworkPanel />
          </div>
          <div className="bench-right">
            <BoardDocPanel />
            <SerialTerminal />
            <CrashPanel />
          </div>
        </main>
      </div>
    </ClientContext.Provider>
  );
}

export function FatalScreen({ message }: { message: string }) {
  return (
    <div className="fatal" role="alert" data-testid="status">
      <h1>v8266 cannot start</h1>
      <p>{message}</p>
    </div>
  );
}
