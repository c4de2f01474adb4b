import forge from 'node-forge';
import { constants } from 'node:crypto';
import { Duplex } from 'node:stream';
import * as nodeTls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, parseIpv4, parseMac } from './bytes';
import { IpHost } from './host';
import { createLanServices, defaultLanLayout, HTTPS_PORT, TLS_ECHO_PORT } from './lan';
import { SwitchedSegment } from './segment';
import type { TcpConnection } from './tcp';
import { SimNet } from './testing/sim-net';
import { TEST_TLS_IDENTITY } from './tls-server';

const GATEWAY = parseIpv4('192.168.10.1');

function setup() {
  const net = new SimNet();
  const seg = new SwitchedSegment(net.clock);
  const lan = createLanServices(net.clock, seg, defaultLanLayout(0));
  const sta = new IpHost(net.clock, {
    mac: parseMac('02:00:00:00:aa:01'),
    ip: parseIpv4('192.168.10.100'),
    netmask: 0xffffff00,
    seed: 5,
  });
  sta.attachTo(seg);
  return { net, lan, sta };
}

const toBinary = (b: Uint8Array) => String.fromCharCode(...b);
const fromBinary = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

interface ForgeClientResult {
  received: Uint8Array[];
  connected: boolean;
  closed: boolean;
  peerCommonName: string;
  version: string;
  suite: string;
  errors: string[];
  tcpClosed: boolean;
}

/** A node-forge TLS client on a virtual TCP connection from `sta`. */
function forgeClient(
  sta: IpHost,
  port: number,
  onConnected: (send: (text: string) => void, close: () => void) => void,
) {
  const tcp: TcpConnection = sta.tcpConnect(GATEWAY, port);
  const r: ForgeClientResult = {
    received: [],
    connected: false,
    closed: false,
    peerCommonName: '',
    version: '',
    suite: '',
    errors: [],
    tcpClosed: false,
  };
  const client = forge.tls.createConnection({
    server: false,
    verify: (_c, verified, _depth, certs) => {
      r.peerCommonName = String(certs[0].subject.getField('CN').value);
      // Self-signed: accept it only if it is exactly our test certificate.
      return forge.pki.certificateToPem(certs[0]) ===
        forge.pki.certificateToPem(forge.pki.certificateFromPem(TEST_TLS_IDENTITY.certificatePem))
        ? true
        : verified;
    },
    connected: (c) => {
      r.connected = true;
      r.version = `${c.version.major}.${c.version.minor}`;
      r.suite = c.session!.cipherSuite!.name;
      onConnected(
        (text) => c.prepare(text),
        () => c.close(),
      );
    },
    tlsDataReady: (c) => tcp.send(fromBinary(c.tlsData.getBytes())),
    dataReady: (c) => r.received.push(fromBinary(c.data.getBytes())),
    closed: () => {
      r.closed = true;
    },
    error: (_c, e) => r.errors.push(e.message ?? String(e)),
  });
  tcp.onConnect = () => client.handshake();
  // Once the client closed its side of TLS it reads nothing more (the server's close_notify).
  tcp.onData = (d) => {
    if (!r.closed) client.process(toBinary(d));
  };
  tcp.onEnd = () => tcp.end();
  tcp.onClose = () => {
    r.tcpClosed = true;
  };
  return { r, client };
}

describe('TLS server on the virtual host', () => {
  it('completes a handshake with our test certificate and echoes on 4433', () => {
    const { net, lan, sta } = setup();
    const { r } = forgeClient(sta, TLS_ECHO_PORT, (send) => send('hello over TLS\r\n'));
    expect(net.runUntil(() => r.received.length > 0, 10)).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.peerCommonName).toBe('gateway.lan');
    // node-forge's server answers TLS 1.0 (3.1) with RSA key exchange and AES-CBC-SHA.
    expect(r.version).toBe('3.1');
    expect(['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA']).toContain(r.suite);
    expect(fromUtf8(concatBytes(r.received))).toBe('hello over TLS\r\n');
    expect(lan.tlsEcho.log[0]).toMatch(
      /^192\.168\.10\.100:\d+ TLS 1\.0 TLS_RSA_WITH_AES_(128|256)_CBC_SHA$/,
    );
  });

  it('answers close_notify with close_notify and closes TCP', () => {
    const { net, sta } = setup();
    let closeIt = () => {};
    const { r } = forgeClient(sta, TLS_ECHO_PORT, (send, close) => {
      send('x');
      closeIt = close;
    });
    expect(net.runUntil(() => r.received.length > 0, 10)).toBe(true);
    closeIt();
    expect(net.runUntil(() => r.tcpClosed, 120)).toBe(true);
    expect(r.errors).toEqual([]);
  });

  it('serves the HTTP files over HTTPS on 443, in records of at most 1024 bytes', () => {
    const { net, lan, sta } = setup();
    const big = 'a'.repeat(5000);
    lan.http.addFile('/big.txt', big, 'text/plain');
    const records: number[] = [];
    const { r } = forgeClient(sta, HTTPS_PORT, (send) =>
      send('GET /big.txt HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n'),
    );
    expect(net.runUntil(() => r.closed, 30)).toBe(true);
    const text = fromUtf8(concatBytes(r.received));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('Content-Length: 5000');
    expect(text.endsWith(big)).toBe(true);
    expect(lan.http.log).toEqual(['GET /big.txt HTTP/1.1']);
    // Each dataReady is one record's plaintext.
    for (const chunk of r.received) records.push(chunk.length);
    expect(Math.max(...records)).toBeLessThanOrEqual(1024);
  });

  it('sends a handshake_failure alert to a client offering no suite it has', () => {
    const { net, lan, sta } = setup();
    const tcp = sta.tcpConnect(GATEWAY, TLS_ECHO_PORT);
    const got: Uint8Array[] = [];
    // A TLS 1.2 ClientHello offering only TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f).
    const body = concatBytes([
      Uint8Array.of(3, 3),
      new Uint8Array(32),
      Uint8Array.of(0, 0, 2, 0xc0, 0x2f, 1, 0),
    ]);
    const hs = concatBytes([Uint8Array.of(1, 0, body.length >> 8, body.length & 0xff), body]);
    tcp.onConnect = () =>
      tcp.send(concatBytes([Uint8Array.of(22, 3, 1, hs.length >> 8, hs.length & 0xff), hs]));
    tcp.onData = (d) => got.push(d);
    expect(net.runUntil(() => got.length > 0, 10)).toBe(true);
    // Alert record: fatal (2) handshake_failure (40).
    const alert = [...concatBytes(got).subarray(0, 7)];
    expect([alert[0], alert[1], alert[3], alert[4], alert[5], alert[6]]).toEqual([
      21, 3, 0, 2, 2, 40,
    ]);
    expect(lan.tlsEcho.log.join('\n')).toMatch(/error/);
  });
});

/** Node's TLS client (OpenSSL) over a virtual TCP connection, driven while the simulation runs. */
describe('TLS server randomness', () => {
  /** A TLS 1.0 ClientHello with a fixed random, offering TLS_RSA_WITH_AES_128_CBC_SHA. */
  const CLIENT_HELLO = Uint8Array.from([
    0x16, 0x03, 0x01, 0x00, 0x2d, // record: handshake, TLS 1.0, 45 bytes
    0x01, 0x00, 0x00, 0x29, // ClientHello, 41 bytes
    0x03, 0x01, // TLS 1.0
    ...Array.from({ length: 32 }, (_, i) => i), // client random
    0x00, // no session id
    0x00, 0x02, 0x00, 0x2f, // one suite
    0x01, 0x00, // no compression
  ]);

  function serverFlight(): Uint8Array {
    const { net, sta } = setup();
    const tcp = sta.tcpConnect(GATEWAY, TLS_ECHO_PORT);
    const got: Uint8Array[] = [];
    tcp.onConnect = () => tcp.send(CLIENT_HELLO);
    tcp.onData = (d) => got.push(d);
    net.run(2);
    return concatBytes(got);
  }

  it('is the same every run: ServerHello stamped with simulated time, seeded bytes', () => {
    const a = serverFlight();
    const b = serverFlight();
    expect(a.length).toBeGreaterThan(100);
    expect(a[0]).toBe(0x16); // a handshake record: ServerHello, Certificate, ServerHelloDone
    expect(b).toEqual(a);
    // gmt_unix_time: the simulation's epoch (2026-01-01), a few ms of simulated time later.
    const time = new DataView(a.buffer, a.byteOffset + 11, 4).getUint32(0);
    expect(time).toBe(Date.UTC(2026, 0, 1) / 1000);
    // The 28 random bytes and the session id are not all zero (a generator, not a constant).
    expect(new Set(a.subarray(15, 43)).size).toBeGreaterThan(10);
  });
});

describe('TLS server against OpenSSL (node:tls)', () => {
  it('handshakes TLS 1.0 with an AES-CBC-SHA suite and echoes', async () => {
    const { net, sta } = setup();
    const tcp = sta.tcpConnect(GATEWAY, TLS_ECHO_PORT);
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, done) {
        tcp.send(new Uint8Array(chunk));
        done();
      },
    });
    tcp.onData = (d) => socket.push(Buffer.from(d));
    tcp.onEnd = () => socket.push(null);
    const secure = nodeTls.connect({
      socket,
      minVersion: 'TLSv1',
      // OpenSSL 3 refuses TLS 1.0 and SHA-1 MACs above security level 0.
      ciphers: 'AES128-SHA:AES256-SHA:@SECLEVEL=0',
      ca: TEST_TLS_IDENTITY.certificatePem,
      servername: 'gateway.lan',
      // node-forge's ServerHello has no renegotiation_info (RFC 5746), which OpenSSL 3 requires
      // unless told to connect to legacy servers.
      secureOptions: constants.SSL_OP_LEGACY_SERVER_CONNECT,
    });
    let received = '';
    let info = '';
    secure.on('secureConnect', () => {
      info = `${secure.getProtocol()} ${secure.getCipher().standardName} authorized=${secure.authorized}`;
      secure.write('ping over openssl');
    });
    secure.on('data', (d: Buffer) => (received += d.toString()));
    const errors: string[] = [];
    secure.on('error', (e) => errors.push(e.message));
    for (let i = 0; i < 2000 && received.length < 17 && errors.length === 0; i++) {
      net.run(0.005);
      await new Promise((r) => setImmediate(r));
    }
    secure.destroy();
    expect(errors).toEqual([]);
    expect(info).toMatch(/^TLSv1 TLS_RSA_WITH_AES_(128|256)_CBC_SHA authorized=true$/);
    expect(received).toBe('ping over openssl');
  });
});
