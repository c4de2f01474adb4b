import type { BoardRadioStatus } from '../../net/world-status.ts';

const STATE_WORDS: Record<string, string> = {
  authenticated: 'authenticated',
  associated: 'associated (handshake pending)',
  authorized: 'associated',
};

/** The board as the network sees it: its MAC, mode, channel, association and IP lease. */
export function BoardRadio({ radio }: { radio: BoardRadioStatus | undefined }) {
  if (!radio)
    return (
      <p className="net-empty">The board is not on the network (no board, or no access points).</p>
    );
  const a = radio.association;
  return (
    <dl
      className="net-board"
      data-testid="net-board"
      data-mode={radio.mode}
      data-state={a?.state ?? 'none'}
    >
      <dt>MAC</dt>
      <dd data-testid="net-board-mac">{radio.stationMac ?? radio.apMac ?? '—'}</dd>
      <dt>Mode</dt>
      <dd data-testid="net-board-mode">{radio.mode}</dd>
      <dt>Channel</dt>
      <dd data-testid="net-board-channel">{radio.channel}</dd>
      <dt>Association</dt>
      <dd data-testid="net-board-assoc">
        {a
          ? `${STATE_WORDS[a.state]} to "${a.ssid}" (${a.bssid}), AID ${a.aid}, ${a.rssi} dBm`
          : 'not associated'}
      </dd>
      <dt>IP</dt>
      <dd data-testid="net-board-ip">
        {a?.lease ? `${a.lease.ip} (lease, ${a.lease.expiresIn} s left)` : '—'}
      </dd>
    </dl>
  );
}
