/**
 * `--vcd` and `--gpio-log`: the recorders in-process, and the real command on the demo firmware,
 * whose LED (GPIO2) toggles every 0.5 s of simulated time (a 1 Hz blink).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatGpioLogLine, VcdRecorder } from './gpio-trace.ts';
import { parseRunArgs } from './run-args.ts';
import { UsageError } from './errors.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'v8266.mjs');
const demo = join(repoRoot, 'firmware', 'esp', 'out', 'demo.bin');
const dir = mkdtempSync(join(tmpdir(), 'v8266-gpio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One FRC1 count (80 MHz / 256) in ns: the demo's timer resolution. */
const FRC1_TICK_NS = 3200;

function v8266(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A VCD's changes for one wire name: [time ns, value]. */
function vcdChanges(vcd: string, wire: string): [number, string][] {
  const id = new RegExp(`^\\$var wire 1 (\\S+) ${wire} \\$end$`, 'm').exec(vcd)?.[1];
  if (!id) throw new Error(`no wire ${wire}`);
  const out: [number, string][] = [];
  let t = 0;
  for (const line of vcd.split('\n')) {
    if (line.startsWith('#')) t = Number(line.slice(1));
    else if (line.length === id.length + 1 && line.slice(1) === id) out.push([t, line[0]]);
  }
  return out;
}

describe('VcdRecorder', () => {
  it('power-on levels become $dumpvars at #0, later changes #ns lines, the end time closes it', () => {
    let text = '';
    const vcd = new VcdRecorder((t) => (text += t), '1.2.3');
    vcd.change(2, 1, 0);
    vcd.change(16, 0, 0);
    vcd.change(2, 0, 0.5);
    vcd.change(4, 1, 0.5);
    vcd.change(2, 1, 1.000000001);
    vcd.finish(2);
    const lines = text.split('\n');
    expect(lines[0]).toBe('$version v8266 1.2.3 $end');
    expect(lines[1]).toBe('$timescale 1ns $end');
    expect(lines).toContain('$var wire 1 C gpio2 $end');
    expect(lines).toContain('$var wire 1 Q gpio16 $end');
    expect(lines.filter((l) => l.startsWith('$var')).length).toBe(17);
    const body = text.slice(text.indexOf('$enddefinitions $end\n'));
    expect(body).toBe(
      '$enddefinitions $end\n#0\n$dumpvars\nxA\nxB\n1C\nxD\nxE\nxF\nxG\nxH\nxI\nxJ\nxK\nxL\nxM\nxN\nxO\nxP\n0Q\n$end\n' +
        '#500000000\n0C\n1E\n#1000000001\n1C\n#2000000000\n',
    );
  });

  it('log lines carry seconds with 6 decimals', () => {
    expect(formatGpioLogLine(2, 0, 0.5285916)).toBe('t=0.528592 GPIO2=0\n');
    expect(formatGpioLogLine(16, 1, 12)).toBe('t=12.000000 GPIO16=1\n');
  });

  it('the options parse; --vcd needs a file name', () => {
    const r = parseRunArgs(['fw.bin', '--vcd', 'x.vcd', '--gpio-log']);
    expect(r.vcdPath).toBe('x.vcd');
    expect(r.gpioLog).toBe(true);
    expect(parseRunArgs(['fw.bin']).vcdPath).toBeNull();
    expect(() => parseRunArgs(['fw.bin', '--vcd='])).toThrow(UsageError);
  });
});

describe.concurrent('v8266 run --vcd / --gpio-log on the demo (spawned)', () => {
  it('--vcd: a valid trace where GPIO2 toggles every 0.5 s', async () => {
    const r = await v8266('run', demo, '--timeout', '2.6', '--vcd', 'demo.vcd');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v8266 demo ready');
    const vcd = readFileSync(join(dir, 'demo.vcd'), 'utf8');
    expect(vcd).toMatch(
      /^\$version v8266 .*\$end\n\$timescale 1ns \$end\n\$scope module esp8266 \$end\n/,
    );
    for (let pin = 0; pin <= 16; pin++)
      expect(vcd).toMatch(new RegExp(`^\\$var wire 1 \\S+ gpio${pin} \\$end$`, 'm'));
    expect(vcd).toContain('$enddefinitions $end\n#0\n$dumpvars\n');
    const led = vcdChanges(vcd, 'gpio2');
    expect(led[0]).toEqual([0, '1']); // off at power-on (pulled up, active low)
    const toggles = led.slice(1);
    expect(toggles.map((c) => c[1])).toEqual(['0', '1', '0', '1', '0']);
    for (let i = 1; i < toggles.length; i++) {
      expect(Math.abs(toggles[i][0] - toggles[i - 1][0] - 500_000_000)).toBeLessThanOrEqual(
        FRC1_TICK_NS,
      );
    }
    const end = Number(vcd.trimEnd().split('\n').at(-1)!.slice(1));
    expect(end).toBeGreaterThanOrEqual(2_600_000_000);
  }, 60_000);

  it('--gpio-log: t=SECONDS GPIOn=LEVEL lines on stderr, GPIO2 every 0.500000 s', async () => {
    const r = await v8266('run', demo, '--timeout', '2.1', '--gpio-log', '--stats');
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^\{"instructions"/); // --stats stays last
    const log = lines.slice(0, -1);
    for (const l of log) expect(l).toMatch(/^t=\d+\.\d{6} GPIO\d+=[01]$/);
    const led = log
      .filter((l) => l.endsWith(' GPIO2=0') || l.endsWith(' GPIO2=1'))
      .map((l) => Number(l.slice(2, l.indexOf(' '))));
    expect(led[0]).toBe(0);
    const toggles = led.slice(1);
    expect(toggles.length).toBe(4);
    for (let i = 1; i < toggles.length; i++)
      expect(toggles[i] - toggles[i - 1]).toBeCloseTo(0.5, 5);
  }, 60_000);

  it('--vcd into a directory that does not exist is bad input (exit 2, one line)', async () => {
    const r = await v8266('run', demo, '--timeout', '0.1', '--vcd', 'no/such/dir/x.vcd');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^v8266: cannot write no\/such\/dir\/x\.vcd: no such file\n$/);
  }, 60_000);
});
