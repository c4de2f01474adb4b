/**
 * A machine beyond a `v8266 relay`: a LAN of its own with one IP host, on wall-paced time, linked
 * to the relay by a WebSocket (v86 framing). What the relay's users put on the far side — a PC on
 * the bridged network — and what tests ping the page's or the board's LAN from.
 */
import { WebSocket } from 'ws';
import { parseIpv4, parseMac } from '../../net/ip/bytes.ts';
import { IpHost } from '../../net/ip/host.ts';
import { SwitchedSegment } from '../../net/ip/segment.ts';
import { RelayLink, type FrameSocket } from '../../net/relay/relay-link.ts';
import { WallPacedClock } from './wall-clock.ts';

export interface RelayedHost {
  readonly host: IpHost;
  readonly link: RelayLink;
  /** Closes the link and stops the host's clock. */
  close(): void;
}

/** `ip` on a /24, `mac` as "02:00:…"; the link opens asynchronously (watch `link.state`). */
export function hostBeyondRelay(url: string, name: string, ip: string, mac: string): RelayedHost {
  const time = new WallPacedClock();
  const segment = new SwitchedSegment(time.clock);
  const host = new IpHost(time.clock, {
    name,
    mac: parseMac(mac),
    ip: parseIpv4(ip),
    netmask: 0xffffff00,
  });
  host.attachTo(segment);
  const link = new RelayLink(segment, new WebSocket(url) as unknown as FrameSocket, {
    // A frame from outside enters the LAN at its real time.
    beforeInject: () => time.advance(),
  });
  time.start();
  return {
    host,
    link,
    close: () => {
      link.close();
      time.stop();
    },
  };
}
