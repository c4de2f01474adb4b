import { describe, expect, it } from 'vitest';
import { COM_PORT_OPTION, ComPort, Control, IAC, Rfc2217Server, SERVER_OFFSET } from './rfc2217.ts';

const WILL = 251;
const WONT = 252;
const DO = 253;
const DONT = 254;
const SB = 250;
const SE = 240;

function harness() {
  const sent: number[] = [];
  const data: number[] = [];
  const lines: Array<[boolean, boolean]> = [];
  const bauds: number[] = [];
  const server = new Rfc2217Server((b) => sent.push(...b), {
    data: (b) => data.push(...b),
    controlLines: (dtr, rts) => lines.push([dtr, rts]),
    baud: (b) => bauds.push(b),
  });
  const take = () => sent.splice(0);
  return { server, sent, take, data, lines, bauds };
}

const sub = (cmd: number, ...value: number[]) => [IAC, SB, COM_PORT_OPTION, cmd, ...value, IAC, SE];

describe('Rfc2217Server', () => {
  it('agrees to the options pyserial asks for and refuses echo, answering each change once', () => {
    const h = harness();
    h.server.receive(Uint8Array.of(IAC, WILL, COM_PORT_OPTION, IAC, DO, 0, IAC, WILL, 3, IAC, DO, 1));
    expect(h.take()).toEqual([IAC, DO, COM_PORT_OPTION, IAC, WILL, 0, IAC, DO, 3, IAC, WONT, 1]);
    // The same requests again change nothing, so nothing is answered (no negotiation loops).
    h.server.receive(Uint8Array.of(IAC, WILL, COM_PORT_OPTION, IAC, DO, 0));
    expect(h.take()).toEqual([]);
    h.server.receive(Uint8Array.of(IAC, WONT, 3));
    expect(h.take()).toEqual([IAC, DONT, 3]);
  });

  it('passes data through with doubled IACs removed, however the stream is split', () => {
    const h = harness();
    const stream = [0x41, IAC, IAC, 0x42, ...sub(ComPort.SET_CONTROL, Control.DTR_ON), 0x43];
    for (const b of stream) h.server.receive(Uint8Array.of(b));
    expect(h.data).toEqual([0x41, 0xff, 0x42, 0x43]);
    expect(h.lines).toEqual([[true, false]]);
  });

  it('doubles IAC in data it sends', () => {
    const h = harness();
    h.server.sendData(Uint8Array.of(1, 0xff, 2));
    expect(h.take()).toEqual([1, 0xff, 0xff, 2]);
  });

  it('answers SET-BAUDRATE with the speed in force (0 asks without changing it)', () => {
    const h = harness();
    h.server.receive(Uint8Array.from(sub(ComPort.SET_BAUDRATE, 0, 0x07, 0x08, 0x00))); // 460800
    expect(h.take()).toEqual(sub(ComPort.SET_BAUDRATE + SERVER_OFFSET, 0, 0x07, 0x08, 0x00));
    expect(h.bauds).toEqual([460800]);
    h.server.receive(Uint8Array.from(sub(ComPort.SET_BAUDRATE, 0, 0, 0, 0)));
    expect(h.take()).toEqual(sub(ComPort.SET_BAUDRATE + SERVER_OFFSET, 0, 0x07, 0x08, 0x00));
    expect(h.server.settings.baud).toBe(460800);
  });

  it('tracks DTR and RTS and reports each change once', () => {
    const h = harness();
    const control = (v: number) => h.server.receive(Uint8Array.from(sub(ComPort.SET_CONTROL, v)));
    control(Control.RTS_ON);
    control(Control.RTS_ON);
    control(Control.DTR_ON);
    control(Control.RTS_OFF);
    expect(h.lines).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    h.take();
    control(Control.REQUEST_DTR);
    expect(h.take()).toEqual(sub(ComPort.SET_CONTROL + SERVER_OFFSET, Control.DTR_ON));
    control(Control.REQUEST_RTS);
    expect(h.take()).toEqual(sub(ComPort.SET_CONTROL + SERVER_OFFSET, Control.RTS_OFF));
  });

  it('answers line settings and purges with the value in force', () => {
    const h = harness();
    h.server.receive(Uint8Array.from(sub(ComPort.SET_DATASIZE, 7)));
    h.server.receive(Uint8Array.from(sub(ComPort.SET_PARITY, 3)));
    h.server.receive(Uint8Array.from(sub(ComPort.SET_STOPSIZE, 9))); // invalid: keeps 1
    h.server.receive(Uint8Array.from(sub(ComPort.PURGE_DATA, 3)));
    expect(h.take()).toEqual([
      ...sub(ComPort.SET_DATASIZE + SERVER_OFFSET, 7),
      ...sub(ComPort.SET_PARITY + SERVER_OFFSET, 3),
      ...sub(ComPort.SET_STOPSIZE + SERVER_OFFSET, 1),
      ...sub(ComPort.PURGE_DATA + SERVER_OFFSET, 3),
    ]);
  });

  it('tells its signature when asked', () => {
    const h = harness();
    h.server.receive(Uint8Array.from(sub(ComPort.SIGNATURE)));
    expect(h.take()).toEqual(sub(ComPort.SIGNATURE + SERVER_OFFSET, ...new TextEncoder().encode('v8266')));
  });
});
