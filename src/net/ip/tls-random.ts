/**
 * node-forge draws a server's random bytes (ServerHello.random, the session id, RSA blinding) from
 * one global generator seeded by the platform, and stamps ServerHello.random with the host's wall
 * clock (`new Date()`): two runs of the same firmware then sent different TLS bytes, where everything else in the
 * simulation repeats exactly. While a TLS server handles a connection's bytes it installs its own
 * source (`withTlsRandom`): a generator seeded per server, and the simulated time as `Date`.
 *
 * Not a cryptographic generator, on purpose: the keys it protects are a fixed test identity's,
 * in a simulation.
 */
import forge from 'node-forge';

export interface TlsRandomSource {
  /** `count` bytes as a binary string (forge's representation). */
  bytes(count: number): string;
  /** Milliseconds since 1970, what `new Date()` gives forge (ServerHello's gmt_unix_time). */
  unixMs(): number;
}

/** xorshift32 from a seed: the same bytes for the same seed, every run. */
export function seededTlsRandom(seed: number, unixMs: () => number): TlsRandomSource {
  let x = seed >>> 0 || 0x8266;
  return {
    bytes(count) {
      let s = '';
      for (let i = 0; i < count; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        s += String.fromCharCode(x & 0xff);
      }
      return s;
    },
    unixMs,
  };
}

let active: TlsRandomSource | null = null;

type GetBytes = (count: number, callback?: (err: Error | null, bytes: string) => void) => string;
const random = forge.random as unknown as {
  getBytes: GetBytes;
  getBytesSync: (n: number) => string;
};
const platformGetBytes = random.getBytes.bind(random);
const platformGetBytesSync = random.getBytesSync.bind(random);
random.getBytes = (count, callback) => {
  if (!active) return platformGetBytes(count, callback);
  const bytes = active.bytes(count);
  callback?.(null, bytes);
  return bytes;
};
random.getBytesSync = (count) => (active ? active.bytes(count) : platformGetBytesSync(count));

// forge stamps ServerHello.random with `new Date()` from inside its own module (its function is
// not reachable from outside), so the clock is swapped for the duration of `work` instead: a Date
// that, made without arguments, is the simulated time, in UTC.
const PlatformDate = Date;
class SimulatedDate extends PlatformDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(active ? active.unixMs() : PlatformDate.now());
    else super(...(args as [number]));
  }

  override getTimezoneOffset(): number {
    return 0;
  }
}

/** Runs `work` (forge handling TLS bytes) with `source` as forge's randomness and clock. */
export function withTlsRandom<T>(source: TlsRandomSource, work: () => T): T {
  const outer = active;
  const outerDate = globalThis.Date;
  active = source;
  globalThis.Date = SimulatedDate as DateConstructor;
  try {
    return work();
  } finally {
    active = outer;
    globalThis.Date = outerDate;
  }
}
