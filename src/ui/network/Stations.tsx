import { useState } from 'react';
import type { VirtualStationStatus } from '../../net/world-status.ts';
import { useClient } from '../client-context.ts';
import {
  MAX_STATIONS,
  stationProblems,
  type NetworkDoc,
  type StationDoc,
} from '../board-doc/network-doc.ts';
import { useAppStore } from '../store.ts';

function setStations(stations: StationDoc[]): void {
  const store = useAppStore.getState();
  const network: NetworkDoc = { ...store.doc.network, stations };
  if (stations.length === 0) delete network.stations;
  store.setDoc({ ...store.doc, network });
}

function StationForm({ onSave, onCancel }: { onSave(s: StationDoc): void; onCancel(): void }) {
  const [name, setName] = useState('phone');
  const [ssid, setSsid] = useState('');
  const [pass, setPass] = useState('');
  const station: StationDoc = { name, ssid, ...(pass ? { passphrase: pass } : {}) };
  const problems = stationProblems(station);
  return (
    <div className="net-ap-form" data-testid="net-sta-form">
      <label>
        name{' '}
        <input value={name} data-testid="net-sta-name" onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        SSID{' '}
        <input
          value={ssid}
          placeholder="ESP_123456"
          data-testid="net-sta-ssid"
          onChange={(e) => setSsid(e.target.value)}
        />
      </label>
      <label>
        passphrase{' '}
        <input
          value={pass}
          placeholder="(open)"
          data-testid="net-sta-pass"
          onChange={(e) => setPass(e.target.value)}
        />
      </label>
      {problems.length > 0 && (
        <p className="net-ap-problems" data-testid="net-sta-problems">
          {problems.join('; ')}
        </p>
      )}
      <button
        type="button"
        data-testid="net-sta-save"
        disabled={problems.length > 0}
        onClick={() => onSave(station)}
      >
        add
      </button>{' '}
      <button type="button" data-testid="net-sta-cancel" onClick={onCancel}>
        cancel
      </button>
    </div>
  );
}

const NO_STATIONS: StationDoc[] = [];

const PHASES: Record<VirtualStationStatus['phase'], string> = {
  joining: 'joining',
  waiting: 'not connected (retrying)',
  associated: 'associated, asking DHCP',
  online: 'online',
};

/**
 * The document's virtual stations (phones, laptops) with what each is doing: they join the
 * SSID they were given — the board's SoftAP or one of the APs —, take a lease, and ping or fetch
 * a page from their gateway on request. Add and remove write the board document.
 */
export function Stations({ live }: { live: VirtualStationStatus[] }) {
  const client = useClient();
  // The selector returns the stored array (a fresh `[]` each call would re-render forever).
  const stations = useAppStore((s) => s.doc.network.stations) ?? NO_STATIONS;
  const [adding, setAdding] = useState(false);
  return (
    <div className="net-aps">
      <ul className="net-ap-list">
        {stations.map((sta, i) => {
          const now = live[i];
          return (
            <li key={i} className="net-ap" data-testid="net-sta" data-name={sta.name}>
              <div className="net-ap-line">
                <span className="net-ap-ssid">{sta.name}</span>
                <span className="net-ap-meta" data-testid="net-sta-meta">
                  → {sta.ssid} ({sta.passphrase ? 'WPA2' : 'open'})
                  {now ? ` · ${PHASES[now.phase]}` : ''}
                  {now?.ip ? ` · ${now.ip}` : ''}
                </span>
                <span className="net-ap-buttons">
                  <button
                    type="button"
                    className="link-button"
                    data-testid="net-sta-ping"
                    disabled={now?.phase !== 'online'}
                    onClick={() => void client.stationPing(i)}
                  >
                    ping
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    data-testid="net-sta-get"
                    disabled={now?.phase !== 'online'}
                    onClick={() => void client.stationGet(i, '/')}
                  >
                    GET /
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    data-testid="net-sta-remove"
                    onClick={() => setStations(stations.filter((_, j) => j !== i))}
                  >
                    remove
                  </button>
                </span>
              </div>
              {now && now.log.length > 0 && (
                <pre className="net-sta-log" data-testid="net-sta-log">
                  {now.log.join('\n')}
                </pre>
              )}
            </li>
          );
        })}
      </ul>
      {adding ? (
        <StationForm
          onSave={(s) => {
            setStations([...stations, s]);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button
          type="button"
          className="link-button"
          data-testid="btn-net-add-sta"
          disabled={stations.length >= MAX_STATIONS}
          onClick={() => setAdding(true)}
        >
          add a station
        </button>
      )}
    </div>
  );
}
