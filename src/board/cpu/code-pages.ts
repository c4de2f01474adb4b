/**
 * Per-4 KB-page state for the pages code runs from — ROM at 0x40000000 up to the end of the 1 MB
 * flash window at 0x402FFFFF — in a table indexed directly by page (the hot lookup of the
 * interpreter and the dispatcher), plus the pages set aside by `park`.
 *
 * Parking takes the pages of a range out of reach as they are, to put them back later
 * (`unpark`): the flash window's decoded instructions and compiled regions while the ROM's flash
 * routines have the cache off. The table keeps lists of the slots that hold a page, live and
 * parked, so parking, putting back and dropping touch only pages that exist (the window is 256
 * pages; firmware uses a fraction of them, and NodeMCU parks it for every flash write).
 */

const PAGE_SHIFT = 12;
/** Page number of the table's first slot, and how many slots it has. */
export const FIRST_CODE_PAGE = 0x40000000 >>> PAGE_SHIFT;
export const CODE_PAGES = (0x40300000 >>> PAGE_SHIFT) - FIRST_CODE_PAGE;

export class CodePageTable<T> {
  /** The live page of every slot, or null (callers read it directly: `live[page - FIRST]`). */
  readonly live: (T | null)[] = new Array<T | null>(CODE_PAGES).fill(null);
  private readonly parkedPages: (T | null)[] = new Array<T | null>(CODE_PAGES).fill(null);
  /** The slots whose `live` entry is a page, and those whose `parkedPages` entry is. */
  private liveSlots: number[] = [];
  private parkedSlots: number[] = [];

  /** Page number `n`'s slot, or -1 outside the table. */
  static slotOf(n: number): number {
    const slot = n - FIRST_CODE_PAGE;
    return slot >= 0 && slot < CODE_PAGES ? slot : -1;
  }

  /** Make `page` the live page of the empty slot `slot`. */
  add(slot: number, page: T): void {
    this.live[slot] = page;
    this.liveSlots.push(slot);
  }

  /** The parked page of `slot`, or null. */
  parked(slot: number): T | null {
    return this.parkedPages[slot];
  }

  get hasParked(): boolean {
    return this.parkedSlots.length > 0;
  }

  /** Every live page. */
  forEachLive(f: (page: T, slot: number) => void): void {
    for (const slot of this.liveSlots) f(this.live[slot]!, slot);
  }

  /** Every parked page. */
  forEachParked(f: (page: T, slot: number) => void): void {
    for (const slot of this.parkedSlots) f(this.parkedPages[slot]!, slot);
  }

  /**
   * Move the live pages of slots [from, to) aside, calling `f` for each first. Nothing may be
   * parked yet (`dropParked` first): one range at a time.
   */
  park(from: number, to: number, f?: (page: T, slot: number) => void): void {
    if (this.parkedSlots.length > 0) throw new Error('code pages: something is parked already');
    const kept: number[] = [];
    for (const slot of this.liveSlots) {
      if (slot < from || slot >= to) {
        kept.push(slot);
        continue;
      }
      const page = this.live[slot]!;
      if (f) f(page, slot);
      this.live[slot] = null;
      this.parkedPages[slot] = page;
      this.parkedSlots.push(slot);
    }
    this.liveSlots = kept;
  }

  /**
   * Put the parked pages back. Live pages of slots [from, to) made meanwhile give way to them
   * (`gone` is called for each); the parked slots must lie in [from, to).
   */
  unpark(from: number, to: number, gone?: (page: T, slot: number) => void): void {
    const kept: number[] = [];
    for (const slot of this.liveSlots) {
      if (slot < from || slot >= to) {
        kept.push(slot);
        continue;
      }
      if (gone) gone(this.live[slot]!, slot);
      this.live[slot] = null;
    }
    for (const slot of this.parkedSlots) {
      if (slot < from || slot >= to) throw new Error('code pages: parked outside the range');
      this.live[slot] = this.parkedPages[slot];
      this.parkedPages[slot] = null;
      kept.push(slot);
    }
    this.liveSlots = kept;
    this.parkedSlots = [];
  }

  /** Forget the parked pages (`gone` is called for each). */
  dropParked(gone?: (page: T, slot: number) => void): void {
    for (const slot of this.parkedSlots) {
      if (gone) gone(this.parkedPages[slot]!, slot);
      this.parkedPages[slot] = null;
    }
    this.parkedSlots = [];
  }
}
