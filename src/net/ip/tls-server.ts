/**
 * TLS services on a virtual host (seed guide 3.4.4: the chip as an SSL client). The record layer
 * and handshake are node-forge's (a well-kept library, synchronous, pure JavaScript: it runs in
 * the worker and the CLI alike and fits simulated time); this module only puts it on our TCP and
 * hands the plaintext to an application as a `ByteStream`.
 *
 * What node-forge's server offers (docs/network.md): TLS 1.0 (it answers every ClientHello of
 * version 1.0 or later with 1.0), RSA key exchange, TLS_RSA_WITH_AES_128_CBC_SHA and
 * TLS_RSA_WITH_AES_256_CBC_SHA, no compression, no session resumption (no cache: a client that
 * offers a session id gets a full handshake). That is what
 * axTLS in Espressif's SDKs offers too; BearSSL (Arduino core 2.5+) does by default (TLS 1.0–1.2,
 * its "full" suite list includes the RSA/AES-CBC suites). ECDHE, GCM and RC4 are not available.
 *
 * The identity is a fixed test key and self-signed certificate (tls-test-identity.ts) unless the
 * caller gives another.
 */
import forge from 'node-forge';
import { TICKS_PER_SECOND } from '../clock';
import type { ByteStream } from './byte-stream';
import { formatIpv4 } from './bytes';
import type { IpHost, TcpListener } from './host';
import type { TcpConnection } from './tcp';
import { seededTlsRandom, withTlsRandom, type TlsRandomSource } from './tls-random';
import { TEST_TLS_CERT_PEM, TEST_TLS_KEY_PEM } from './tls-test-identity';

export interface TlsIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

export const TEST_TLS_IDENTITY: TlsIdentity = {
  certificatePem: TEST_TLS_CERT_PEM,
  privateKeyPem: TEST_TLS_KEY_PEM,
};

export interface TlsServerOptions {
  port: number;
  identity?: TlsIdentity;
  /**
   * The most plaintext bytes in one record the server sends (default 1024). The chip's TLS
   * clients have small receive buffers (the SDKs' espconn_secure_set_size is 2–8 KiB), and a
   * server that sends 16 KiB records is one they cannot read.
   */
  maxRecordBytes?: number;
}

/** The plaintext side of one TLS session. */
export interface TlsStream extends ByteStream {
  readonly remoteIp: number;
  readonly remotePort: number;
  /** "TLS 1.0" once the handshake is done. */
  readonly version: string;
  /** The negotiated suite's IANA name, e.g. TLS_RSA_WITH_AES_128_CBC_SHA. */
  readonly cipherSuite: string;
}

const SUITES = [
  forge.tls.CipherSuites.TLS_RSA_WITH_AES_128_CBC_SHA,
  forge.tls.CipherSuites.TLS_RSA_WITH_AES_256_CBC_SHA,
];

export class TlsServer {
  /** One line per handshake and per error ("192.168.10.100:50000 TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA"). */
  readonly log: string[] = [];
  /** Each line of `log` as it happens. */
  onLog: ((line: string) => void) | null = null;
  private readonly listener: TcpListener;
  private readonly identity: TlsIdentity;
  private readonly maxRecordBytes: number;
  /** This server's randomness and clock for forge: the same bytes every run (tls-random.ts). */
  private readonly random: TlsRandomSource;

  constructor(
    host: IpHost,
    options: TlsServerOptions,
    private readonly onSecureConnection: (stream: TlsStream) => void,
  ) {
    this.identity = options.identity ?? TEST_TLS_IDENTITY;
    this.maxRecordBytes = options.maxRecordBytes ?? 1024;
    const epoch = Date.UTC(2026, 0, 1) / 1000;
    this.random = seededTlsRandom(
      0x7153 ^ (options.port << 16),
      () => epoch + host.clock.now / TICKS_PER_SECOND,
    );
    this.listener = host.tcpListen(options.port, (c) => this.accept(c));
  }

  stop(): void {
    this.listener.close();
  }

  private note(line: string): void {
    if (this.log.length >= 1000) this.log.shift();
    this.log.push(line);
    this.onLog?.(line);
  }

  private accept(tcp: TcpConnection): void {
    const peer = `${formatIpv4(tcp.remoteIp)}:${tcp.remotePort}`;
    let tcpEnded = false;
    const stream: TlsStream & { version: string; cipherSuite: string } = {
      remoteIp: tcp.remoteIp,
      remotePort: tcp.remotePort,
      version: '',
      cipherSuite: '',
      onData: null,
      onEnd: null,
      send: (data) => {
        if (!tls.isConnected) return;
        withTlsRandom(this.random, () => {
          for (let o = 0; o < data.length; o += this.maxRecordBytes)
            tls.prepare(toBinary(data.subarray(o, o + this.maxRecordBytes)));
        });
      },
      end: () => tls.close(),
    };
    const tls = forge.tls.createConnection({
      server: true,
      cipherSuites: SUITES,
      verifyClient: false,
      getCertificate: () => this.identity.certificatePem,
      getPrivateKey: () => this.identity.privateKeyPem,
      connected: (c) => {
        stream.version = versionName(c.version);
        stream.cipherSuite = c.session?.cipherSuite?.name ?? '?';
        this.note(`${peer} ${stream.version} ${stream.cipherSuite}`);
        this.onSecureConnection(stream);
      },
      tlsDataReady: (c) => {
        if (!tcpEnded) tcp.send(fromBinary(c.tlsData.getBytes()));
      },
      dataReady: (c) => stream.onData?.(fromBinary(c.data.getBytes())),
      // A close_notify from the client, or our own close: the TLS session is over, so is TCP.
      closed: () => {
        if (stream.version) stream.onEnd?.();
        if (!tcpEnded) {
          tcpEnded = true;
          tcp.end();
        }
      },
      error: (_c, e) => this.note(`${peer} error: ${e.message}`),
    });
    tcp.onData = (d) => withTlsRandom(this.random, () => tls.process(toBinary(d)));
    // TCP FIN without close_notify (a truncation, or a client that just closes its socket).
    tcp.onEnd = () => tls.close();
    tcp.onClose = () => {
      tcpEnded = true;
      if (tls.open) tls.close();
    };
  }
}

function toBinary(bytes: Uint8Array): string {
  let s = '';
  for (let o = 0; o < bytes.length; o += 8192)
    s += String.fromCharCode(...bytes.subarray(o, o + 8192));
  return s;
}

function fromBinary(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function versionName(v: { major: number; minor: number }): string {
  return v.major === 3 && v.minor >= 1 ? `TLS 1.${v.minor - 1}` : `SSL ${v.major}.${v.minor}`;
}
