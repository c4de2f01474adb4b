import { describe, expect, it } from 'vitest';
import { LineCutter, MAX_SERIES, parsePlotLine } from './plot-line.ts';
import { PlotHistory } from './plot-history.ts';

describe('parsePlotLine (the Arduino Serial Plotter format)', () => {
  it('reads bare numbers separated by spaces, tabs or commas', () => {
    expect(parsePlotLine('1 2.5\t-3,4e2')).toEqual({
      labels: ['value 1', 'value 2', 'value 3', 'value 4'],
      values: [1, 2.5, -3, 400],
    });
  });
  it('reads label:value pairs, mixed with bare values', () => {
    expect(parsePlotLine('tri:12,sq:-10\tn:7')).toEqual({
      labels: ['tri', 'sq', 'n'],
      values: [12, -10, 7],
    });
    expect(parsePlotLine('temp:21.5 3')).toEqual({
      labels: ['temp', 'value 2'],
      values: [21.5, 3],
    });
  });
  it('skips lines that are not all numbers', () => {
    for (const line of [
      '',
      '   ',
      'v8266 demo ready',
      'boot 1 (flash)',
      'x:abc',
      '1 2 three',
      '0x10',
    ]) {
      expect(parsePlotLine(line), line).toBeNull();
    }
  });
  it('keeps at most eight values', () => {
    const sample = parsePlotLine('1 2 3 4 5 6 7 8 9 10')!;
    expect(sample.values).toHaveLength(MAX_SERIES);
  });
});

describe('LineCutter', () => {
  it('cuts at LF, drops a CR before it, and keeps the unfinished tail', () => {
    const cut = new LineCutter();
    expect(cut.push('a:1\r\nb:')).toEqual(['a:1']);
    expect(cut.push('2\n\n')).toEqual(['b:2', '']);
  });
});

describe('PlotHistory', () => {
  it('keeps the last `capacity` samples of each series, oldest first', () => {
    const h = new PlotHistory(3);
    for (let i = 1; i <= 5; i++) h.push({ labels: ['a'], values: [i] });
    const [a] = h.series();
    expect([...a.values()]).toEqual([3, 4, 5]);
    expect(a.last).toBe(5);
    expect(h.total).toBe(5);
    expect(h.range()).toEqual([3, 5]);
  });
  it('leaves a gap where a series is missing from a line', () => {
    const h = new PlotHistory(4);
    h.push({ labels: ['a', 'b'], values: [1, 2] });
    h.push({ labels: ['a'], values: [3] });
    const b = h.series().find((s) => s.label === 'b')!;
    expect([...b.values()]).toEqual([2, NaN]);
    expect(b.last).toBeNaN();
  });
  it('gives a usable range for a flat or empty plot', () => {
    const h = new PlotHistory();
    expect(h.range()).toEqual([0, 1]);
    h.push({ labels: ['a'], values: [7] });
    expect(h.range()).toEqual([6, 8]);
  });
});
