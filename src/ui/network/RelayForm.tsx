import { useState } from 'react';
import type { RelayStatus } from '../../worker/board-network.ts';
import { RELAY_URL } from '../board-doc/network-doc.ts';
import { useAppStore } from '../store.ts';

function setRelay(relay: string | undefined): void {
  const store = useAppStore.getState();
  const network = { ...store.doc.network };
  if (relay === undefined) delete network.relay;
  else network.relay = relay;
  store.setDoc({ ...store.doc, network });
}

/**
 * The first LAN's link to the real network through a relay (`npx v8266 relay`, or any relay in
 * v86's framing): the URL is part of the board document; the worker links, and links again when
 * the relay comes back. Shows the link's state and frame counts.
 */
export function RelayForm({ live }: { live: RelayStatus | null }) {
  const relay = useAppStore((s) => s.doc.network.relay);
  const [text, setText] = useState('ws://127.0.0.1:8265/');
  const [problem, setProblem] = useState<string | null>(null);
  if (relay !== undefined) {
    return (
      <div className="net-relay">
        <p className="net-empty" data-testid="net-relay" data-state={live?.state ?? 'closed'}>
          relay {relay} · {live?.state ?? 'closed'}
          {live && live.links > 1 ? ` (link ${live.links})` : ''} · {live?.framesIn ?? 0} frames in,{' '}
          {live?.framesOut ?? 0} out
          {live?.state === 'closed' ? ' · trying again' : ''}
        </p>
        <button
          type="button"
          className="link-button"
          data-testid="btn-net-relay-unlink"
          onClick={() => setRelay(undefined)}
        >
          unlink
        </button>
      </div>
    );
  }
  const link = () => {
    const url = text.trim();
    if (!RELAY_URL.test(url)) {
      setProblem('a ws:// or wss:// URL (npx v8266 relay listens on ws://127.0.0.1:8265/)');
      return;
    }
    setProblem(null);
    setRelay(url);
  };
  return (
    <div className="net-relay">
      <label>
        relay{' '}
        <input
          value={text}
          data-testid="net-relay-url"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') link();
          }}
        />
      </label>{' '}
      <button type="button" data-testid="btn-net-relay-link" onClick={link}>
        link
      </button>
      {problem && (
        <p className="net-ap-problems" data-testid="net-relay-problem">
          {problem}
        </p>
      )}
    </div>
  );
}
