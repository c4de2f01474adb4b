/**
 * Finds a byte string in a stream fed one byte at a time, so a match that straddles two UART
 * chunks (or two time slices) is still found. Knuth–Morris–Pratt: no buffering, no rescans.
 */
export class ByteMatcher {
  private readonly fallback: Int32Array;
  private matched = 0;

  constructor(readonly pattern: Uint8Array) {
    this.fallback = new Int32Array(pattern.length);
    let k = 0;
    for (let i = 1; i < pattern.length; i++) {
      while (k > 0 && pattern[i] !== pattern[k]) k = this.fallback[k - 1];
      if (pattern[i] === pattern[k]) k++;
      this.fallback[i] = k;
    }
  }

  /** Feed one byte; true when it completes the pattern. An empty pattern matches at once. */
  push(byte: number): boolean {
    const p = this.pattern;
    if (p.length === 0) return true;
    while (this.matched > 0 && byte !== p[this.matched])
      this.matched = this.fallback[this.matched - 1];
    if (byte === p[this.matched]) this.matched++;
    if (this.matched === p.length) {
      this.matched = 0;
      return true;
    }
    return false;
  }
}
