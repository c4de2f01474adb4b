import { describe, expect, it } from 'vitest';
import {
  RF_IQ_EST_DONE,
  RF_IQ_EST_STATUS,
  RF_PBUS_DEBUG_CTRL,
  RF_PBUS_DEBUG_READY,
  RF_PBUS_STATUS,
  RfStub,
} from './rf-stub';

describe('RF block at 0x60000500', () => {
  it('keeps what is written, like the RAM-like registers libphy configures', () => {
    const rf = new RfStub();
    rf.write(0xe4, 0x12345678);
    expect(rf.read(0xe4)).toBe(0x12345678);
  });

  it('reports the IQ estimate done (ROM rom_iq_est_enable polls 0x6000057C bit 31)', () => {
    expect(new RfStub().read(RF_IQ_EST_STATUS) & RF_IQ_EST_DONE).not.toBe(0);
  });

  it('raises 0x600005A0 bit 30 while pbus debug mode (0x60000594 bit 0) is on, and only then', () => {
    const rf = new RfStub();
    // libphy's field writes to 0x5A0 (bits 16-28) stay as written; bit 30 is status only.
    rf.write(RF_PBUS_STATUS, 0x1cab0000);
    expect(rf.read(RF_PBUS_STATUS)).toBe(0x1cab0000);
    // ram_pbus_debugmode: set bit 0, then spin until bit 30 reads 1 (NodeMCU 0.9.5 at 1200 s).
    rf.write(RF_PBUS_DEBUG_CTRL, rf.read(RF_PBUS_DEBUG_CTRL) | 1);
    expect(rf.read(RF_PBUS_STATUS)).toBe((0x1cab0000 | RF_PBUS_DEBUG_READY) >>> 0);
    // readvdd33 clears bit 0 again when it is done.
    rf.write(RF_PBUS_DEBUG_CTRL, rf.read(RF_PBUS_DEBUG_CTRL) & ~1);
    expect(rf.read(RF_PBUS_STATUS) & RF_PBUS_DEBUG_READY).toBe(0);
  });
});
