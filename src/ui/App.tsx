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

export function App({ client }: { client: EmulatorClient }) {
  useEffect(() => {
    let lastRunState: string | null = null;
    return client.onStatus((status) => {
      useAppStore.getState().setStatus(status);
      // The status block carries figures only; on a state change (a crash, a load) fetch the rest.
      if (status.runState !== lastRunState) {
        lastRunState = status.runState;
        void client.getState().then(useAppStore.getState().applyState);
      }
    });
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
