/**
 * The CLI side of --tool on a LAN without a board: steps done in order (a send waits for a
 * peer), stdin's text going to the latest tool, and the stderr lines it prints.
 */
import { describe, expect, it } from 'vitest';
import { fromUtf8, parseMac, utf8 } from '../../net/ip/bytes.ts';
import { IpHost } from '../../net/ip/host.ts';
import { createVirtualLan } from '../../net/ip/lan.ts';
import { SimNet } from '../../net/ip/testing/sim-net.ts';
import { applyToolOption, type ToolStep } from './tool-args.ts';
import { ToolConsole } from './tool-console.ts';

describe('the --tool console', () => {
  it('does its steps as soon as it can, prints stamped lines on flush, sends stdin to the latest tool', () => {
    const net = new SimNet();
    const lan = createVirtualLan(net.clock, 0);
    const board = new IpHost(net.clock, {
      name: 'board',
      mac: parseMac('02:00:00:00:aa:01'),
      ip: 0xc0a80a32,
      netmask: 0xffffff00,
    });
    board.attachTo(lan.segment);
    let stderr = '';
    const tool = new ToolConsole([lan.tool], (text) => (stderr += text));
    const steps: ToolStep[] = [];
    applyToolOption(steps, 'tool', 'tcp-server:1001');
    applyToolOption(steps, 'tool-send', 'hi\\r\\n');
    applyToolOption(steps, 'tool', 'udp:5000');
    tool.performDue(steps);
    expect(steps).toHaveLength(2); // the send waits for a client; the UDP port behind it too
    expect(tool.hasPending).toBe(true);
    tool.flush();
    expect(stderr).toBe('v8266: 0.000 s tool [1] tcp listening on 1001\n');
    expect(tool.hasPending).toBe(false);

    const got: string[] = [];
    net.run(0.5);
    const c = board.tcpConnect(0xc0a80a01, 1001);
    c.onData = (d) => got.push(fromUtf8(d));
    net.runUntil(() => c.state === 'ESTABLISHED', 5);
    net.run(0.01);
    tool.performDue(steps);
    expect(steps).toEqual([]);
    net.run(0.1);
    expect(got).toEqual(['hi\r\n']);
    // stdin goes to the latest tool (the UDP port), which has no peer yet.
    expect(tool.sendToLatest(utf8('typed\n'))).toBe(false);
    tool.flush();
    expect(
      stderr
        .split('\n')
        .slice(1, -1)
        .map((l) => l.replace(/^v8266: \d+\.\d{3} s /, '')),
    ).toEqual([
      `tool [2] tcp 192.168.10.50:${c.localPort} connected (to port 1001, session 1)`,
      `tool [2] > 192.168.10.50:${c.localPort} (4 bytes) hi\\r\\n`,
      'tool [3] udp open on 5000',
      'tool [3] nothing to send to',
    ]);
    expect(stderr.split('\n')[1]).toMatch(/^v8266: 0\.50\d s tool \[2\]/);
  });

  it("runs a --tool on another AP's LAN with @N, or when its peer is there", () => {
    const net = new SimNet();
    const lans = [createVirtualLan(net.clock, 0), createVirtualLan(net.clock, 1)];
    const board = new IpHost(net.clock, {
      name: 'board',
      mac: parseMac('02:00:00:00:aa:02'),
      ip: 0xc0a80b32, // 192.168.11.50, on AP 1's LAN
      netmask: 0xffffff00,
    });
    board.attachTo(lans[1].segment);
    const heard: string[] = [];
    board.udpBind(1200, (m) => heard.push(fromUtf8(m.data)));
    let stderr = '';
    const tool = new ToolConsole(
      lans.map((l) => l.tool),
      (text) => (stderr += text),
    );
    const steps: ToolStep[] = [];
    applyToolOption(steps, 'tool', 'tcp-server:1001@1');
    applyToolOption(steps, 'tool', 'udp:5000:192.168.11.50:1200');
    applyToolOption(steps, 'tool-send', 'to lan 1');
    expect(steps.map((s) => (s.kind === 'open' ? s.lan : 'send'))).toEqual([1, 1, 'send']);
    tool.performDue(steps);
    net.run(0.5);
    expect(heard).toEqual(['to lan 1']);
    tool.flush();
    expect(stderr.split('\n').map((l) => l.replace(/^v8266: \d+\.\d{3} s /, ''))).toEqual([
      'tool@1 [1] tcp listening on 1001',
      'tool@1 [2] udp open on 5000, sending to 192.168.11.50:1200',
      'tool@1 [2] > 192.168.11.50:1200 (8 bytes) to lan 1',
      '',
    ]);
    expect(lans[0].tool.sessions()).toEqual([]);
  });
});
