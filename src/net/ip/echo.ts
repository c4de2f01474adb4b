/** The Echo protocol (RFC 862) over UDP and TCP. */
import type { IpHost, TcpListener, UdpSocket } from './host';

export const ECHO_PORT = 7;

export class EchoService {
  private readonly udp: UdpSocket | null;
  private readonly tcp: TcpListener | null;

  /** Echoes on `port` over both protocols, or only the ones `protocols` names. */
  constructor(host: IpHost, port = ECHO_PORT, protocols: { tcp?: boolean; udp?: boolean } = { tcp: true, udp: true }) {
    const udp: UdpSocket | null = protocols.udp
      ? host.udpBind(port, (m) => udp!.send(m.src, m.srcPort, m.data))
      : null;
    this.udp = udp;
    this.tcp = protocols.tcp
      ? host.tcpListen(port, (c) => {
          c.onData = (d) => c.send(d);
          c.onEnd = () => c.end();
        })
      : null;
  }

  stop(): void {
    this.udp?.close();
    this.tcp?.close();
  }
}
