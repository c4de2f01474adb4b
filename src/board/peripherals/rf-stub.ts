/**
 * The undocumented RF/PHY block at 0x60000500: plain storage, except the bits the ROM and libphy
 * poll for "done" (esp8266-hw.md §9): 0x6000057C bit 31 (ROM rom_iq_est_enable path) reads 1,
 * as in the OSLL QEMU machine. 0x600005A0 / 0x600005E4 are polled too, with unknown meaning; they
 * keep what was written until a firmware trace says otherwise.
 */

import { StoragePeripheral } from './peripheral';

export const RF_IQ_EST_STATUS = 0x7c;
export const RF_IQ_EST_DONE = 1 << 31;

export class RfStub extends StoragePeripheral {
  constructor() {
    super('RF');
  }

  override read(offset: number): number {
    const value = super.read(offset);
    return offset === RF_IQ_EST_STATUS ? (value | RF_IQ_EST_DONE) >>> 0 : value;
  }
}
