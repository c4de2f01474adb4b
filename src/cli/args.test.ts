import { describe, expect, it } from 'vitest';
import { ByteMatcher } from './byte-matcher.ts';
import { decodeEscapes } from './escapes.ts';
import { UsageError } from './errors.ts';
import { parseOptions } from './options.ts';
import { parseImageArg, parseRunArgs } from './run-args.ts';
import { parseApSpec, parseClientSpec } from './net/network-args.ts';
import { parseToolSpec } from './net/tool-args.ts';

const bytes = (s: string) => [...decodeEscapes(s)];

describe('decodeEscapes', () => {
  it('decodes \\r \\n \\t \\\\ and \\xNN', () => {
    expect(bytes('a\\r\\n\\tb')).toEqual([0x61, 0x0d, 0x0a, 0x09, 0x62]);
    expect(bytes('\\\\n')).toEqual([0x5c, 0x6e]);
    expect(bytes('\\x00\\xfF\\x41')).toEqual([0x00, 0xff, 0x41]);
  });

  it('encodes other text as UTF-8', () => {
    expect(bytes('é')).toEqual([0xc3, 0xa9]);
    expect(bytes('plain')).toEqual([...Buffer.from('plain')]);
  });

  it.each([
    ['\\q', /unknown escape \\q/],
    ['\\x4', /unknown escape \\x4/],
    ['\\xZZ', /unknown escape \\xZZ/],
    ['end\\', /ends with a lone \\/],
  ])('rejects %j', (text, message) => {
    expect(() => decodeEscapes(text, '--send')).toThrowError(UsageError);
    expect(() => decodeEscapes(text, '--send')).toThrowError(message);
  });
});

describe('ByteMatcher', () => {
  const feed = (m: ByteMatcher, s: string) => [...Buffer.from(s)].map((b) => m.push(b));

  it('reports the byte that completes the pattern', () => {
    const m = new ByteMatcher(Buffer.from('abc'));
    expect(feed(m, 'xabxabc')).toEqual([false, false, false, false, false, false, true]);
  });

  it('handles self-overlapping patterns', () => {
    const m = new ByteMatcher(Buffer.from('aab'));
    expect(feed(m, 'aaab').at(-1)).toBe(true);
    const n = new ByteMatcher(Buffer.from('abab'));
    expect(feed(n, 'ababab')).toEqual([false, false, false, true, false, false]);
  });
});

describe('parseOptions', () => {
  const specs = [
    { name: 'flag', help: '' },
    { name: 'value', value: 'V', help: '' },
    { name: 'many', value: 'V', repeatable: true, help: '' },
    { name: 'help', short: 'h', help: '' },
  ];

  it('keeps options in order and accepts --name=value', () => {
    const parsed = parseOptions(
      ['a', '--many', 'x', '--flag', '--many=y', 'b', '-h', '--', '--c'],
      specs,
    );
    expect(parsed.options).toEqual([
      { name: 'many', value: 'x' },
      { name: 'flag', value: true },
      { name: 'many', value: 'y' },
      { name: 'help', value: true },
    ]);
    expect(parsed.positionals).toEqual(['a', 'b', '--c']);
  });

  it('takes the next argument as the value even when it starts with a dash', () => {
    expect(parseOptions(['--value', '--flag'], specs).options).toEqual([
      { name: 'value', value: '--flag' },
    ]);
  });

  it.each([
    [['--nope'], 'unknown option --nope'],
    [['-x'], 'unknown option -x'],
    [['--value'], '--value needs a value (V)'],
    [['--flag=1'], '--flag takes no value'],
    [['--value', '1', '--value', '2'], '--value given more than once'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOptions(argv, specs)).toThrowError(message);
  });
});

describe('parseRunArgs', () => {
  it('has the documented defaults', () => {
    const r = parseRunArgs(['fw.bin']);
    expect(r).toMatchObject({
      images: [{ path: 'fw.bin', offset: 0 }],
      flashSize: 4 << 20,
      timeoutSeconds: 10,
      script: [],
      stats: false,
    });
  });

  it('interleaves --expect and --send in argument order', () => {
    const r = parseRunArgs([
      '--send',
      'early',
      '--expect',
      'login:',
      'fw.bin',
      '--send=root\\r',
      '--expect',
      'ok',
      '--send',
      'x',
    ]);
    expect(r.script.map((s) => [s.kind, s.text])).toEqual([
      ['send', 'early'],
      ['expect', 'login:'],
      ['send', 'root\\r'],
      ['expect', 'ok'],
      ['send', 'x'],
    ]);
    expect(r.script[2]).toMatchObject({ bytes: Uint8Array.from(Buffer.from('root\r')) });
  });

  it('puts --gpio PIN=LEVEL into the script; z lets the pad go; bad drives are usage errors', () => {
    const r = parseRunArgs([
      'fw.bin',
      '--gpio',
      '13=1',
      '--expect',
      'sleep',
      '--gpio=13=0@30.5',
      '--gpio',
      '16=z',
    ]);
    expect(r.script.map((s) => s.kind)).toEqual(['gpio', 'expect', 'gpio', 'gpio']);
    expect(r.script[0]).toMatchObject({ pin: 13, level: 1, atSeconds: 0 });
    expect(r.script[2]).toMatchObject({ pin: 13, level: 0, atSeconds: 30.5, text: '13=0@30.5' });
    expect(r.script[3]).toMatchObject({ pin: 16, level: null });
    for (const bad of ['17=0', '13', '13=2', 'a=1', '13=0@', '13=0@-1', '13=0@x', ''])
      expect(() => parseRunArgs(['fw.bin', '--gpio', bad])).toThrowError(UsageError);
  });

  it('reads images with offsets, sizes, timeouts and --stats', () => {
    const r = parseRunArgs([
      'boot.bin',
      'user1.bin@0x1000',
      'init.bin@4177920',
      '--flash-size',
      '1mb',
      '--timeout',
      '2.5',
      '--stats',
    ]);
    expect(r.images).toEqual([
      { path: 'boot.bin', offset: 0 },
      { path: 'user1.bin', offset: 0x1000 },
      { path: 'init.bin', offset: 4177920 },
    ]);
    expect(r.flashSize).toBe(1 << 20);
    expect(r.timeoutSeconds).toBe(2.5);
    expect(r.stats).toBe(true);
  });

  it('splits image and offset at the last @', () => {
    expect(parseImageArg('dir@v2/fw.bin@0x10')).toEqual({ path: 'dir@v2/fw.bin', offset: 16 });
  });

  it('resumes a snapshot without needing an image, and saves one', () => {
    const r = parseRunArgs(['--snapshot-in', 'a.v8266snap', '--snapshot-out=b.v8266snap']);
    expect(r).toMatchObject({
      images: [],
      snapshotIn: 'a.v8266snap',
      snapshotOut: 'b.v8266snap',
      flashSizeGiven: false,
    });
    expect(parseRunArgs(['fw.bin']).snapshotIn).toBeNull();
    expect(parseRunArgs(['fw.bin', '--flash-size', '4M']).flashSizeGiven).toBe(true);
  });

  it('returns help without needing an image', () => {
    expect(parseRunArgs(['--help']).help).toBe(true);
  });

  it.each([
    [[], 'no image given'],
    [['fw.bin@'], 'fw.bin: bad offset ""'],
    [['fw.bin@0xZZ'], 'fw.bin: bad offset "0xZZ"'],
    [['@0x10'], 'has no file name'],
    [['fw.bin', '--flash-size', '3M'], 'bad flash size "3M"'],
    [['fw.bin', '--timeout', '0'], 'bad --timeout "0"'],
    [['fw.bin', '--timeout', 'soon'], 'bad --timeout "soon"'],
    [['fw.bin', '--timeout', '-1'], 'bad --timeout "-1"'],
    [['fw.bin', '--expect', ''], '--expect needs a non-empty TEXT'],
    [['fw.bin', '--send', '\\q'], 'unknown escape \\q'],
    [['fw.bin', '--timeout'], '--timeout needs a value'],
    [['fw.bin', '--snapshot-out', ''], '--snapshot-out needs a FILE name'],
    [['--snapshot-in='], '--snapshot-in needs a FILE name'],
    [['fw.bin', '--snapshot-out', 'a', '--snapshot-out', 'b'], '--snapshot-out given more than once'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseRunArgs(argv)).toThrowError(UsageError);
    expect(() => parseRunArgs(argv)).toThrowError(message);
  });
});

describe('virtual network options', () => {
  it('parses --ap SSID[:PASSPHRASE][@CHANNEL][,rssi=DBM]', () => {
    expect(parseApSpec('home')).toEqual({ ssid: 'home' });
    expect(parseApSpec('home:correct horse@11,rssi=-70')).toEqual({
      ssid: 'home',
      passphrase: 'correct horse',
      channel: 11,
      rssi: -70,
    });
    // Only the first colon splits: a passphrase may hold colons and @.
    expect(parseApSpec('lab:a:b@c:d12345@3')).toEqual({ ssid: 'lab', passphrase: 'a:b@c:d12345', channel: 3 });
    expect(() => parseApSpec('')).toThrowError(/the SSID needs 1-32 bytes/);
    expect(() => parseApSpec('x'.repeat(33))).toThrowError(/the SSID needs 1-32 bytes/);
    expect(() => parseApSpec('home,rssi=5')).toThrowError(/rssi 5 is not between -100 and 0 dBm/);
  });

  it('collects the network options of v8266 run', () => {
    const r = parseRunArgs([
      'fw.bin',
      '--ap',
      'a@1',
      '--ap',
      'b:12345678',
      '--echo',
      'udp:9000',
      '--echo',
      'tcp:2323',
      '--http',
      'site',
      '--mqtt',
      '--tls',
      '--pcap',
      'air.pcap',
      '--client',
      'b:12345678',
    ]);
    expect(r.network).toEqual({
      aps: [{ ssid: 'a', channel: 1 }, { ssid: 'b', passphrase: '12345678' }],
      clients: [{ ssid: 'b', passphrase: '12345678' }],
      echo: [
        { protocol: 'udp', port: 9000 },
        { protocol: 'tcp', port: 2323 },
      ],
      httpDir: 'site',
      mqtt: true,
      tls: true,
      pcapPath: 'air.pcap',
      tapIfname: null,
      tool: [],
    });
    expect(parseRunArgs(['fw.bin']).network.aps).toEqual([]);
    expect(parseRunArgs(['fw.bin', '--ap', 'a']).network.tls).toBe(false);
    expect(() => parseRunArgs(['fw.bin', '--tls'])).toThrowError('--tls need a virtual network: add --ap SSID');
  });

  it("parses --client SSID[:PASSPHRASE]; a client alone (for the board's SoftAP) may be captured", () => {
    expect(parseClientSpec('DEMO_AP:12345678')).toEqual({ ssid: 'DEMO_AP', passphrase: '12345678' });
    expect(parseClientSpec('cafe')).toEqual({ ssid: 'cafe' });
    expect(parseClientSpec('lab:a:b@c:d1')).toEqual({ ssid: 'lab', passphrase: 'a:b@c:d1' });
    expect(() => parseClientSpec('x:short')).toThrowError(/8-63 characters/);
    expect(() => parseClientSpec(':12345678')).toThrowError(/the SSID needs 1-32 bytes/);
    const r = parseRunArgs(['fw.bin', '--client', 'DEMO_AP', '--pcap', 'air.pcap']);
    expect(r.network.clients).toEqual([{ ssid: 'DEMO_AP' }]);
    expect(() => parseRunArgs(['fw.bin', '--client', 'DEMO_AP', '--mqtt'])).toThrowError(
      '--mqtt need a virtual network: add --ap SSID',
    );
  });

  it('parses --tool tcp-server:PORT, tcp-client:IP:PORT, udp:PORT[:IP:PORT]', () => {
    expect(parseToolSpec('tcp-server:1001')).toEqual({ kind: 'tcp-server', port: 1001 });
    expect(parseToolSpec('tcp-client:192.168.10.100:1002')).toEqual({
      kind: 'tcp-client',
      ip: 0xc0a80a64,
      port: 1002,
    });
    expect(parseToolSpec('udp:0')).toEqual({ kind: 'udp', port: 0 });
    expect(parseToolSpec('udp:5000:192.168.10.100:1200')).toEqual({
      kind: 'udp',
      port: 5000,
      remote: { ip: 0xc0a80a64, port: 1200 },
    });
    for (const bad of ['tcp:80', 'tcp-server', 'tcp-server:0', 'tcp-server:65536', 'udp:1:2', 'tcp-client:1002'])
      expect(() => parseToolSpec(bad)).toThrowError(new RegExp(`bad --tool "${bad}"`));
    expect(() => parseToolSpec('tcp-client:192.168.10:1')).toThrowError(/is not an IPv4 address/);
  });

  it('puts --tool and --tool-send into the run script in argument order, sends going to the latest --tool', () => {
    const r = parseRunArgs([
      'fw.bin',
      '--ap',
      'DEMO_AP',
      '--tool',
      'udp:5000',
      '--expect',
      'bind OK',
      '--tool-send',
      'hi\\r\\n',
      '--tool',
      'tcp-server:1001',
      '--tool-send',
      'x',
    ]);
    expect(r.script.map((s) => [s.kind, s.text])).toEqual([
      ['tool', '--tool udp:5000'],
      ['expect', 'bind OK'],
      ['tool', '--tool-send hi\\r\\n'],
      ['tool', '--tool tcp-server:1001'],
      ['tool', '--tool-send x'],
    ]);
    expect(r.network.tool).toEqual([
      { kind: 'open', spec: { kind: 'udp', port: 5000 }, text: 'udp:5000' },
      { kind: 'send', tool: 0, text: 'hi\\r\\n', bytes: Uint8Array.from([0x68, 0x69, 0x0d, 0x0a]) },
      { kind: 'open', spec: { kind: 'tcp-server', port: 1001 }, text: 'tcp-server:1001' },
      { kind: 'send', tool: 1, text: 'x', bytes: Uint8Array.of(0x78) },
    ]);
    expect(() => parseRunArgs(['fw.bin', '--ap', 'a', '--tool-send', 'x'])).toThrowError(
      '--tool-send needs a --tool before it (where to send)',
    );
    expect(parseRunArgs(['fw.bin', '--ap', 'a', '--ap', 'b', '--tool', 'udp:1@1']).network.tool).toEqual([
      { kind: 'open', spec: { kind: 'udp', port: 1 }, text: 'udp:1@1', lan: 1 },
    ]);
    expect(() => parseRunArgs(['fw.bin', '--ap', 'a', '--tool', 'tcp-client:192.168.11.5:80'])).toThrowError(
      '--tool "tcp-client:192.168.11.5:80": there is no AP 1 (give 2 --ap)',
    );
    expect(() => parseRunArgs(['fw.bin', '--tool', 'udp:1'])).toThrowError(
      '--tool need a virtual network: add --ap SSID',
    );
  });
});
