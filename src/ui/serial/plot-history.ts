/**
 * The plotter's data: the last `capacity` samples of each series (a ring per series, so memory
 * stays bounded however long the firmware prints), series keyed by label in order of first
 * appearance. A series missing from a line gets NaN there (a gap in its trace).
 */

import type { PlotSample } from './plot-line.ts';

export interface PlotSeries {
  label: string;
  /** Oldest first, `length` of them. */
  values(): Float64Array;
  last: number;
}

export class PlotHistory {
  private readonly rings = new Map<string, Float64Array>();
  /** Samples taken in total; the ring slot of sample k is k % capacity. */
  private count = 0;

  constructor(readonly capacity = 500) {}

  get length(): number {
    return Math.min(this.count, this.capacity);
  }

  get total(): number {
    return this.count;
  }

  push(sample: PlotSample): void {
    const slot = this.count % this.capacity;
    for (const ring of this.rings.values()) ring[slot] = NaN;
    sample.labels.forEach((label, i) => {
      let ring = this.rings.get(label);
      if (!ring) {
        ring = new Float64Array(this.capacity).fill(NaN);
        this.rings.set(label, ring);
      }
      ring[slot] = sample.values[i];
    });
    this.count++;
  }

  series(): PlotSeries[] {
    const n = this.length;
    const start = this.count - n;
    return [...this.rings].map(([label, ring]) => ({
      label,
      last: this.count > 0 ? ring[(this.count - 1) % this.capacity] : NaN,
      values: () => {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = ring[(start + i) % this.capacity];
        return out;
      },
    }));
  }

  /** The smallest and largest value on screen (NaN gaps ignored); [0, 1] when there are none. */
  range(): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.series()) {
      for (const v of s.values()) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) return [0, 1];
    if (lo === hi) return [lo - 1, hi + 1];
    return [lo, hi];
  }

  clear(): void {
    this.rings.clear();
    this.count = 0;
  }
}
