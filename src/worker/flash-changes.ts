/**
 * Which 4 KB flash sectors changed since the host last asked: the worker keeps a copy of the
 * flash as last reported (the "shadow") and compares sector by sector. The board's hot paths are
 * left alone (no hook in the flash chip), and a comparison of 4 MB takes about a millisecond, so
 * the UI can ask once a second and persist only what changed.
 */

export const SECTOR_SIZE = 0x1000;

export interface FlashSector {
  /** Sector number: the bytes sit at `index * 4096`. */
  index: number;
  /** 4096 bytes; null when the sector is erased (all 0xFF): nothing to store. */
  data: Uint8Array | null;
}

export interface FlashChanges {
  flashSize: number;
  /**
   * True when the flash was replaced (a load, an erase, a new size): the sectors listed are all
   * the non-erased ones, and everything else is erased.
   */
  full: boolean;
  sectors: FlashSector[];
}

export class FlashChangeTracker {
  private shadow: Uint8Array | null = null;

  /** The flash was replaced: the next report lists it whole. */
  replaced(): void {
    this.shadow = null;
  }

  /** The flash was restored from what the host already holds: report only later changes. */
  adopted(flash: Uint8Array): void {
    this.shadow = flash.slice();
  }

  /**
   * What changed since the last call (or since `replaced`/`adopted`); the shadow catches up.
   * `forceFull`: list every non-erased sector (the host lost track, e.g. a failed write).
   */
  take(flash: Uint8Array, forceFull = false): FlashChanges {
    const full = forceFull || this.shadow === null || this.shadow.length !== flash.length;
    if (full) this.shadow = new Uint8Array(flash.length).fill(0xff);
    const shadow = this.shadow!;
    const sectors: FlashSector[] = [];
    for (let start = 0; start < flash.length; start += SECTOR_SIZE) {
      const end = start + SECTOR_SIZE;
      if (sameBytes(flash, shadow, start, end)) continue;
      const data = flash.slice(start, end);
      shadow.set(data, start);
      sectors.push({ index: start / SECTOR_SIZE, data: isErased(data) ? null : data });
    }
    return { flashSize: flash.length, full, sectors };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const wa = new Int32Array(a.buffer, a.byteOffset + start, (end - start) >> 2);
    const wb = new Int32Array(b.buffer, b.byteOffset + start, (end - start) >> 2);
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isErased(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== 0xff) return false;
  return true;
}
