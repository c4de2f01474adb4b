import { useLayoutEffect, useRef, useState } from 'react';
import type { PacketEntry } from '../../net/monitor/packet-log.ts';
import type { PacketBuffer } from './packet-buffer.ts';

const seconds = (micros: number) => (micros / 1e6).toFixed(6);

/**
 * The frames on the air, newest at the bottom: time (simulated), channel, source, destination,
 * protocol and a one-line summary. Capped (packet-buffer.ts); follows the newest frame unless the
 * reader scrolled up.
 */
export function PacketList({ packets, version }: { packets: PacketBuffer; version: number }) {
  const [hideNoise, setHideNoise] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const rows: PacketEntry[] = hideNoise ? packets.interesting : packets.all;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [version, hideNoise]);
  return (
    <div className="net-packets">
      <label className="net-packets-filter">
        <input
          type="checkbox"
          data-testid="net-hide-noise"
          checked={hideNoise}
          onChange={(e) => setHideNoise(e.target.checked)}
        />
        hide beacons and ACKs
      </label>
      {packets.dropped > 0 && (
        <span className="net-packets-dropped">
          {' '}
          · {packets.dropped} frames not listed (too fast)
        </span>
      )}
      <div
        className="net-packets-scroll"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        <table data-testid="net-packets" data-count={rows.length}>
          <thead>
            <tr>
              <th>Time (s)</th>
              <th>Ch</th>
              <th>Source</th>
              <th>Destination</th>
              <th>Protocol</th>
              <th>Info</th>
            </tr>
          </thead>
          <tbody>
            {/* Numbers are unique: the buffer holds one network's frames (packet-buffer.ts). */}
            {rows.map((p) => (
              <tr key={p.number} data-testid="net-packet">
                <td>{seconds(p.micros)}</td>
                <td>{p.channel}</td>
                <td>{p.src}</td>
                <td>{p.dst}</td>
                <td>{p.protocol}</td>
                <td>{p.info}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
