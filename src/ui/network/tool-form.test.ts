import { describe, expect, it } from 'vitest';
import { toolSpecOf } from './tool-form.ts';

describe('debugging tool console form', () => {
  it('turns what was typed into the session to open', () => {
    expect(toolSpecOf({ kind: 'tcp-server', port: '1001', remote: 'ignored' })).toEqual({
      spec: { kind: 'tcp-server', port: 1001 },
    });
    expect(toolSpecOf({ kind: 'tcp-client', port: '', remote: ' 192.168.10.100:1002 ' })).toEqual({
      spec: { kind: 'tcp-client', ip: '192.168.10.100', port: 1002 },
    });
    expect(toolSpecOf({ kind: 'udp', port: '0', remote: '' })).toEqual({
      spec: { kind: 'udp', port: 0 },
    });
    expect(toolSpecOf({ kind: 'udp', port: '5000', remote: '192.168.10.50:1200' })).toEqual({
      spec: { kind: 'udp', port: 5000, remote: { ip: '192.168.10.50', port: 1200 } },
    });
  });

  it('says what is wrong', () => {
    expect(toolSpecOf({ kind: 'tcp-server', port: '0', remote: '' })).toEqual({
      problems: ['port 1-65535'],
    });
    expect(toolSpecOf({ kind: 'tcp-server', port: '70000', remote: '' })).toEqual({
      problems: ['port 1-65535'],
    });
    expect(toolSpecOf({ kind: 'tcp-client', port: '', remote: '192.168.10.300:1' })).toEqual({
      problems: ['connect to IP:PORT'],
    });
    expect(toolSpecOf({ kind: 'tcp-client', port: '', remote: '192.168.10.1' })).toEqual({
      problems: ['connect to IP:PORT'],
    });
    expect(toolSpecOf({ kind: 'udp', port: 'x', remote: 'nowhere' })).toEqual({
      problems: ['port 0-65535', 'send to IP:PORT (or nothing: answer whoever sends)'],
    });
  });
});
