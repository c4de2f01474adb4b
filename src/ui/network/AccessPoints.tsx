import { useState } from 'react';
import type { AccessPointStatus } from '../../net/world-status.ts';
import { MAX_ACCESS_POINTS, type AccessPointDoc } from '../board-doc/network-doc.ts';
import { useAppStore } from '../store.ts';
import { ApForm } from './ApForm.tsx';

function setAps(aps: AccessPointDoc[]): void {
  const store = useAppStore.getState();
  store.setDoc({ ...store.doc, network: { ...store.doc.network, aps } });
}

/**
 * The document's access points with what each one knows now (its stations, their RSSI and
 * DHCP leases); add, edit and remove write the board document, which rebuilds the network.
 */
export function AccessPoints({ live }: { live: AccessPointStatus[] }) {
  const aps = useAppStore((s) => s.doc.network.aps);
  // The index being edited, aps.length for a new one, null when no form is open.
  const [editing, setEditing] = useState<number | null>(null);
  const save = (ap: AccessPointDoc) => {
    const next = [...aps];
    next[editing!] = ap;
    setAps(next);
    setEditing(null);
  };
  return (
    <div className="net-aps">
      <ul className="net-ap-list">
        {aps.map((ap, i) => {
          const now = live[i];
          return (
            <li key={i} className="net-ap" data-testid="net-ap" data-ssid={ap.ssid}>
              {editing === i ? (
                <ApForm initial={ap} onSave={save} onCancel={() => setEditing(null)} />
              ) : (
                <>
                  <div className="net-ap-line">
                    <span className="net-ap-ssid">{ap.ssid}</span>
                    <span className="net-ap-meta" data-testid="net-ap-meta">
                      {ap.passphrase ? 'WPA2' : 'open'} · ch {ap.channel ?? 6} · {ap.rssi ?? -50}{' '}
                      dBm{ap.hidden ? ' · hidden' : ''}
                      {now ? ` · ${now.lan}` : ''}
                    </span>
                    <span className="net-ap-buttons">
                      <button
                        type="button"
                        className="link-button"
                        data-testid="net-ap-edit"
                        onClick={() => setEditing(i)}
                      >
                        edit
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        data-testid="net-ap-remove"
                        onClick={() => {
                          setEditing(null);
                          setAps(aps.filter((_, j) => j !== i));
                        }}
                      >
                        remove
                      </button>
                    </span>
                  </div>
                  {now && now.stations.length > 0 && (
                    <ul className="net-stations">
                      {now.stations.map((s) => (
                        <li key={s.mac} data-testid="net-station" data-mac={s.mac}>
                          <code>{s.mac}</code> {s.state} · AID {s.aid} · {s.rssi} dBm ·{' '}
                          {s.lease
                            ? `${s.lease.ip}${s.lease.hostname ? ` (${s.lease.hostname})` : ''}`
                            : 'no lease'}
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              )}
            </li>
          );
        })}
        {editing === aps.length && (
          <li className="net-ap">
            <ApForm
              initial={{ ssid: `v8266-${aps.length + 1}`, channel: 6, rssi: -50 }}
              onSave={save}
              onCancel={() => setEditing(null)}
            />
          </li>
        )}
      </ul>
      {aps.length === 0 && editing === null && (
        <p className="net-empty">No access points: the board sees no network.</p>
      )}
      <button
        type="button"
        className="link-button"
        data-testid="btn-net-add-ap"
        disabled={aps.length >= MAX_ACCESS_POINTS || editing !== null}
        onClick={() => setEditing(aps.length)}
      >
        + add access point
      </button>
    </div>
  );
}
