/**
 * The Xtensa "region protection" option: eight 512 MB regions, identity-mapped, each with one
 * instruction-side and one data-side 4-bit attribute (written by WITLB/WDTLB).
 *
 * Attribute meaning (Xtensa ISA, region protection / cache attribute encoding):
 *   0  cached no-allocate: load/store, no execute
 *   1  write-through, 2 bypass, 4 and 5 write-back: load, store and execute
 *   14 isolate: load/store only
 *   3, 6..13, 15: no access (fetch → InstFetchProhibited, load → LoadProhibited,
 *   store → StoreProhibited)
 *
 * Reset value: every region 2 (bypass: fully accessible). That is what the core comes out of reset
 * with before any boot code runs; the ESP8266 ROM then programs 0x2222211F (region 0 → 0xF, the
 * low 512 MB inaccessible; region 1 → 1).
 */

export const ACCESS_LOAD = 1;
export const ACCESS_STORE = 2;
export const ACCESS_EXEC = 4;

const ATTRIBUTE_ACCESS = Uint8Array.of(
  ACCESS_LOAD | ACCESS_STORE, // 0
  ACCESS_LOAD | ACCESS_STORE | ACCESS_EXEC, // 1
  ACCESS_LOAD | ACCESS_STORE | ACCESS_EXEC, // 2
  0, // 3
  ACCESS_LOAD | ACCESS_STORE | ACCESS_EXEC, // 4
  ACCESS_LOAD | ACCESS_STORE | ACCESS_EXEC, // 5
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0, // 6..13
  ACCESS_LOAD | ACCESS_STORE, // 14
  0, // 15
);

export const RESET_ATTRIBUTE = 2;

export class RegionProtection {
  /** Attributes per region (index = address >>> 29). */
  readonly itlb = new Uint8Array(8);
  readonly dtlb = new Uint8Array(8);
  /** ACCESS_* bits per region, derived from the attributes; the core's hot paths read these. */
  readonly fetchAccess = new Uint8Array(8);
  readonly dataAccess = new Uint8Array(8);

  constructor() {
    this.reset();
  }

  reset(): void {
    for (let i = 0; i < 8; i++) {
      this.setInstructionAttribute(i, RESET_ATTRIBUTE);
      this.setDataAttribute(i, RESET_ATTRIBUTE);
    }
  }

  setInstructionAttribute(region: number, attribute: number): void {
    this.itlb[region & 7] = attribute & 15;
    this.fetchAccess[region & 7] = ATTRIBUTE_ACCESS[attribute & 15];
  }

  setDataAttribute(region: number, attribute: number): void {
    this.dtlb[region & 7] = attribute & 15;
    this.dataAccess[region & 7] = ATTRIBUTE_ACCESS[attribute & 15];
  }
}

/** RxTLB0: the region's virtual page number (ASID is 0 without rings). */
export function readTlbEntry0(vaddr: number): number {
  return (vaddr & 0xe0000000) >>> 0;
}

/** RxTLB1: physical page (identity) | attribute. */
export function readTlbEntry1(vaddr: number, attribute: number): number {
  return ((vaddr & 0xe0000000) | attribute) >>> 0;
}

/** PxTLB: a region always hits: the region's page with the hit bit (way 0) in bit 0. */
export function probeTlb(vaddr: number): number {
  return ((vaddr & 0xe0000000) | 1) >>> 0;
}
