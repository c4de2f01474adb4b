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
        {/* Rows are blocks, not table rows: the browser skips the layout and paint of rows out of
            view (content-visibility in app.css), where a 500-row table was laid out whole on every
            poll and held the page at 20 fps during a transfer (bench/page-fps.ts). */}
        <div
          role="table"
          className="net-packet-table"
          data-testid="net-packets"
          data-count={rows.length}
        >
          <div role="row" className="net-packet-row net-packet-head">
            <span role="columnheader">Time (s)</span>
            <span role="columnheader">Ch</span>
            <span role="columnheader">Source</span>
            <span role="columnheader">Destination</span>
            <span role="columnheader">Protocol</span>
            <span role="columnheader">Info</span>
          </div>
          <div role="rowgroup">
            {/* Numbers are unique: the buffer holds one network's frames (packet-buffer.ts). */}
            {rows.map((p) => (
              <div
                role="row"
                // Striped by frame number, not :nth-child: rows leave at the top on every poll,
                // and a positional selector would restyle all 500 each time.
                className={p.number % 2 ? 'net-packet-row odd' : 'net-packet-row'}
                key={p.number}
                data-testid="net-packet"
              >
                <span role="cell">{seconds(p.micros)}</span>
                <span role="cell">{p.channel}</span>
                <span role="cell">{p.src}</span>
                <span role="cell">{p.dst}</span>
                <span role="cell">{p.protocol}</span>
                <span role="cell">{p.info}</span>
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
