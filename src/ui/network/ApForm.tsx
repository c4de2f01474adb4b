import { useState } from 'react';
import { accessPointProblems, MAX_CHANNEL, type AccessPointDoc } from '../board-doc/network-doc.ts';

/** Add or edit one access point; Save is offered only for a valid one (network-doc.ts judges). */
export function ApForm({
  initial,
  onSave,
  onCancel,
}: {
  initial: AccessPointDoc;
  onSave: (ap: AccessPointDoc) => void;
  onCancel: () => void;
}) {
  const [ssid, setSsid] = useState(initial.ssid);
  const [passphrase, setPassphrase] = useState(initial.passphrase ?? '');
  const [channel, setChannel] = useState(initial.channel ?? 6);
  const [rssi, setRssi] = useState(initial.rssi ?? -50);
  const [hidden, setHidden] = useState(initial.hidden ?? false);
  const ap: AccessPointDoc = {
    ssid,
    ...(passphrase ? { passphrase } : {}),
    channel,
    rssi,
    ...(hidden ? { hidden } : {}),
  };
  const problems = accessPointProblems(ap);
  return (
    <form
      className="net-ap-form"
      data-testid="net-ap-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) onSave(ap);
      }}
    >
      <label>
        SSID
        <input data-testid="net-ap-ssid" value={ssid} onChange={(e) => setSsid(e.target.value)} />
      </label>
      <label>
        Passphrase
        <input
          data-testid="net-ap-pass"
          value={passphrase}
          placeholder="none: open network"
          onChange={(e) => setPassphrase(e.target.value)}
        />
      </label>
      <label>
        Channel
        <select
          data-testid="net-ap-channel"
          value={channel}
          onChange={(e) => setChannel(Number(e.target.value))}
        >
          {Array.from({ length: MAX_CHANNEL }, (_, i) => (
            <option key={i + 1} value={i + 1}>
              {i + 1}
            </option>
          ))}
        </select>
      </label>
      <label>
        RSSI (dBm)
        <input
          data-testid="net-ap-rssi"
          type="number"
          min={-100}
          max={0}
          value={rssi}
          onChange={(e) => setRssi(Number(e.target.value))}
        />
      </label>
      <label className="net-ap-check">
        <input
          data-testid="net-ap-hidden"
          type="checkbox"
          checked={hidden}
          onChange={(e) => setHidden(e.target.checked)}
        />
        hidden SSID
      </label>
      {problems.length > 0 && (
        <p className="net-ap-problems" data-testid="net-ap-problems">
          {problems.join('; ')}
        </p>
      )}
      <div className="net-ap-actions">
        <button type="submit" data-testid="net-ap-save" disabled={problems.length > 0}>
          Save
        </button>
        <button type="button" data-testid="net-ap-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
