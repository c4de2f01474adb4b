import { useState } from 'react';
import type { NetworkStatus } from '../../net/world-status.ts';
import { bridgeUrl, ensureBridgeWorker } from '../web-bridge.ts';

/**
 * "Open the board's web page": a frame (and a new-tab link) on the service worker's bridge, which
 * carries each request over a virtual TCP connection to the board or a virtual host. `board` is
 * the board's address wherever it has one (its lease on an AP's LAN, or its SoftAP as a virtual
 * station sees it); `gateway` the first LAN's services host.
 */
export function WebPage({ status }: { status: NetworkStatus | null }) {
  const [host, setHost] = useState('');
  const [path, setPath] = useState('/');
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [frameKey, setFrameKey] = useState(0);
  const boardIp =
    status?.boards[0]?.association?.lease?.ip ??
    status?.stations.find((s) => s.gateway && status.aps.every((a) => a.gateway !== s.gateway))
      ?.gateway ??
    null;
  const defaultHost = boardIp ? 'board' : 'gateway';

  async function open(): Promise<void> {
    const ready = await ensureBridgeWorker();
    if (!ready.ok) {
      setProblem(ready.reason);
      return;
    }
    setProblem(null);
    setUrl(bridgeUrl(host.trim() || defaultHost, path.trim() || '/'));
    setFrameKey((k) => k + 1);
  }

  return (
    <div className="net-web" data-testid="net-web">
      <div className="net-web-bar">
        <label>
          host{' '}
          <input
            value={host}
            placeholder={defaultHost}
            size={16}
            data-testid="net-web-host"
            onChange={(e) => setHost(e.target.value)}
          />
        </label>
        <label>
          path{' '}
          <input
            value={path}
            size={12}
            data-testid="net-web-path"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <button
          type="button"
          data-testid="btn-net-web-open"
          disabled={!status}
          title={boardIp ? `the board is at ${boardIp}` : 'the board has no address yet'}
          onClick={() => void open()}
        >
          open web page
        </button>
        {url && (
          <a href={url} target="_blank" rel="noreferrer" data-testid="net-web-tab">
            new tab
          </a>
        )}
        {url && (
          <button type="button" className="link-button" onClick={() => setUrl(null)}>
            close
          </button>
        )}
      </div>
      {problem && (
        <p className="net-ap-problems" data-testid="net-web-problem">
          {problem}
        </p>
      )}
      {url && (
        <iframe
          key={frameKey}
          className="net-web-frame"
          title="the board's web page"
          src={url}
          data-testid="net-web-frame"
        />
      )}
    </div>
  );
}
