/**
 * firmware/esp/flash_writer.c, the page's kill test firmware: its boot-time check of the region
 * must accept any instant of its own writing (a sector erased or programmed part-way included)
 * and refuse a lost or torn commit, or the e2e kill test could not fail.
 */
import { describe, expect, it } from 'vitest';
import { bench } from './firmware.ts';

const REGION = 0x300000;

/** Run the writer from `flash` until it printed `gens` more generations, stopping part-way. */
function writeSome(flash: Uint8Array | undefined, extraSeconds: number) {
  const b = bench('flash_writer', flash);
  b.waitFor('check ok');
  const seconds = b.board.seconds + extraSeconds;
  b.board.runUntil(seconds);
  const printed = [...b.out.matchAll(/g=(\d+)\r\n/g)].map((m) => Number(m[1]));
  return { out: b.out, flash: b.board.flash.slice(), last: printed.at(-1) ?? 0 };
}

function reboot(flash: Uint8Array) {
  const b = bench('flash_writer', flash);
  b.waitFor('flash writer: check ');
  b.waitFor('\n', 2, b.out.indexOf('flash writer: check ', b.out.indexOf('checking')) + 10);
  return b.out;
}

describe('flash_writer', () => {
  it('accepts its own flash stopped at any instant, and goes on from the newest generation', () => {
    let flash: Uint8Array | undefined;
    let total = 0;
    // Odd run lengths stop it in the middle of erases and page programs.
    for (const extra of [0.0123, 0.0071, 0.0197]) {
      const run = writeSome(flash, extra);
      expect(run.out).not.toContain('FAILED');
      expect(run.last).toBeGreaterThan(total);
      total = run.last;
      flash = run.flash;
      const out = reboot(flash);
      const g = Number(/check ok, generation (\d+)/.exec(out)?.[1]);
      expect(g, out).toBeGreaterThanOrEqual(total);
    }
  });

  it('refuses a lost sector, a torn sector and a stray byte', () => {
    const { flash } = writeSome(undefined, 0.05);
    const newest = (s: number) => new DataView(flash.buffer, REGION + s * 4096).getUint32(0, true);
    // Which sector holds the newest generation, and an older one.
    let top = 0;
    for (let s = 0; s < 16; s++) if (newest(s) !== 0xffffffff && newest(s) > newest(top)) top = s;
    const older = (top + 5) % 16;

    const lost = flash.slice();
    // An older commit of one sector: generation - 16 in place of the one it should hold.
    new DataView(lost.buffer, REGION + older * 4096).setUint32(0, newest(older) - 16, true);
    expect(reboot(lost)).toMatch(new RegExp(`check FAILED sector ${older} word 0`));

    const torn = flash.slice();
    torn.fill(0xff, REGION + older * 4096 + 2048, REGION + older * 4096 + 4096);
    expect(reboot(torn)).toMatch(new RegExp(`check FAILED sector ${older} word 512`));

    const stray = flash.slice();
    stray[REGION + top * 4096 + 1000] ^= 0x01;
    expect(reboot(stray)).toMatch(new RegExp(`check FAILED sector ${top} word 250`));
  });
});
