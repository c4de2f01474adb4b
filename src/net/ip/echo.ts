/** The Echo protocol (RFC 862) over UDP and TCP. */
import type { IpHost, TcpListener, UdpSocket } from './host';

export const ECHO_PORT = 7;

export class EchoService {
  private readonly udp: UdpSocket;
  private readonly tcp: TcpListener;

  constructor(host: IpHost, port = ECHO_PORT) {
    this.udp = host.udpBind(port, (m) => this.udp.send(m.src, m.srcPort, m.data));
    this.tcp = host.tcpListen(port, (c) => {
      c.onData = (d) => c.send(d);
      c.onEnd = () => c.end();
    });
  }

  stop(): void {
    this.udp.close();
    this.tcp.close();
  }
}
