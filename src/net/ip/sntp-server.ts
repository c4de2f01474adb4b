/**
 * An SNTP server (RFC 4330) answering with simulated time: NTP time = `epochUnixMs` (the wall time
 * that simulated t = 0 stands for) + simulated seconds. Stratum 1, reference "SIM".
 */
import { TICKS_PER_SECOND } from '../clock';
import { writeU32 } from './bytes';
import type { IpHost, UdpMessage, UdpSocket } from './host';

export const NTP_PORT = 123;
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const NTP_UNIX_OFFSET = 2_208_988_800;
/** Default epoch: 2026-01-01T00:00:00Z, fixed so that runs repeat. */
export const DEFAULT_EPOCH_UNIX_MS = Date.UTC(2026, 0, 1);

export class SntpServer {
  private readonly socket: UdpSocket;

  constructor(
    private readonly host: IpHost,
    readonly epochUnixMs = DEFAULT_EPOCH_UNIX_MS,
  ) {
    this.socket = host.udpBind(NTP_PORT, (m) => this.receive(m));
  }

  stop(): void {
    this.socket.close();
  }

  /** Unix milliseconds that simulated time `tick` stands for. */
  unixMsAt(tick: number): number {
    return this.epochUnixMs + (tick / TICKS_PER_SECOND) * 1000;
  }

  private writeTimestamp(b: Uint8Array, offset: number, tick: number): void {
    const seconds = this.unixMsAt(tick) / 1000 + NTP_UNIX_OFFSET;
    const whole = Math.floor(seconds);
    writeU32(b, offset, whole >>> 0); // era 0 wraps in 2036: the low 32 bits, as RFC 4330 §3 says
    writeU32(b, offset + 4, Math.floor((seconds - whole) * 0x1_0000_0000) >>> 0);
  }

  private receive(m: UdpMessage): void {
    const q = m.data;
    if (q.length < 48) return;
    const version = (q[0] >> 3) & 7;
    const mode = q[0] & 7;
    if (mode !== 3 || version < 1 || version > 4) return; // clients only
    const now = this.host.clock.now;
    const r = new Uint8Array(48);
    r[0] = (0 << 6) | (version << 3) | 4; // LI 0, VN as asked, mode 4 (server)
    r[1] = 1; // stratum: primary reference
    r[2] = q[2]; // poll
    r[3] = 0xec; // precision 2^-20 s
    r.set([0x53, 0x49, 0x4d, 0x00], 12); // reference id "SIM"
    this.writeTimestamp(r, 16, now); // reference
    r.set(q.subarray(40, 48), 24); // originate = client's transmit
    this.writeTimestamp(r, 32, now); // receive
    this.writeTimestamp(r, 40, now); // transmit
    this.socket.send(m.src, m.srcPort, r);
  }
}
