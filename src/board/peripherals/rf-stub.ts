/**
 * The undocumented RF/PHY block at 0x60000500: plain storage, except the status bits the ROM and
 * libphy poll for "done" (esp8266-hw.md §9; docs/wifi-mac.md):
 *  - 0x6000057C bit 31 (ROM rom_iq_est_enable path) reads 1, as in the OSLL QEMU machine.
 *  - 0x600005A0 bit 30 reads 1 while 0x60000594 bit 0 is set. libphy's ram_pbus_debugmode sets
 *    that bit 0 and then, when the MAC is up (0x3FF20C70 bit 1), spins until bit 30 reads 1; no
 *    library writes bit 30 (their read-modify-writes of 0x5A0 touch bits 16–28 only), so it is a
 *    status the hardware raises: taken here as "debug mode entered". NodeMCU 0.9.5 calls it 1200 s
 *    after boot; with bit 30 stuck at 0 the chip hung there and the watchdog reset it.
 *  - 0x600005E4 is polled too (set_rx_gain_cal_iq), meaning unknown: it keeps what was written.
 */

import { StoragePeripheral } from './peripheral';

export const RF_IQ_EST_STATUS = 0x7c;
export const RF_IQ_EST_DONE = 1 << 31;
export const RF_PBUS_DEBUG_CTRL = 0x94;
export const RF_PBUS_DEBUG_ENABLE = 1 << 0;
export const RF_PBUS_STATUS = 0xa0;
export const RF_PBUS_DEBUG_READY = 1 << 30;

export class RfStub extends StoragePeripheral {
  constructor() {
    super('RF');
  }

  override read(offset: number): number {
    const value = super.read(offset);
    switch (offset) {
      case RF_IQ_EST_STATUS:
        return (value | RF_IQ_EST_DONE) >>> 0;
      case RF_PBUS_STATUS:
        return super.read(RF_PBUS_DEBUG_CTRL) & RF_PBUS_DEBUG_ENABLE
          ? (value | RF_PBUS_DEBUG_READY) >>> 0
          : value;
      default:
        return value;
    }
  }
}
