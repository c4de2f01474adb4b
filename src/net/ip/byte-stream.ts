/**
 * What an application protocol needs of a connection: bytes in, bytes out, and the two ends of
 * it. A `TcpConnection` is one; so is the plaintext side of a TLS session (tls-server.ts), which
 * lets the HTTP file server answer over TLS unchanged.
 */
export interface ByteStream {
  onData: ((data: Uint8Array) => void) | null;
  /** The peer finished sending. */
  onEnd: (() => void) | null;
  send(data: Uint8Array): void;
  /** Finish sending after what is queued. */
  end(): void;
}
