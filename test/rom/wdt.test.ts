/**
 * ets_wdt_* (esp8266-hw.md §5.8, §7.1) on the emulated chip, driven by firmware/romtest/wdt.c:
 * register values per mode, wdt_info at 0x3FFFC708, feeding, disable/restore, and a starved
 * watchdog that resets the chip with `rst cause:4` after the model's two stage durations.
 */
import { describe, expect, it } from 'vitest';
import { wdtStageTicks } from '../../src/board/peripherals/watchdog.ts';
import { TICKS_PER_MICROSECOND } from '../../src/board/clock.ts';
import { createBoard } from '../../src/board/board.ts';
import { romtestImage } from './romtest.ts';

describe('ROM watchdog API', () => {
  it('enable/feed/disable/restore/get_mode drive the WDT; unfed it resets with cause 4', () => {
    const board = createBoard({ flash: romtestImage('wdt') });
    let raw = '';
    let starvingAt = -1;
    let bannerAt = -1;
    board.listen({
      uartTx: (uart, b) => {
        if (uart !== 0) return;
        raw += String.fromCharCode(b);
        if (starvingAt < 0 && raw.endsWith('starving\r\n')) starvingAt = board.seconds;
        if (bannerAt < 0 && raw.endsWith('rst cause:4')) bannerAt = board.seconds;
      },
    });
    board.powerOn();
    while (board.seconds < 30 && !raw.includes('done\r\n')) board.runUntil(board.seconds + 0.05);
    const text = raw.replace(/\r\n/g, '\n');
    const first = text.indexOf('init mode');
    // The second boot's loader lines depend on the image; cut them out.
    const reload = text.indexOf('load 0x', text.indexOf('wdt reset'));
    const resumed = text.indexOf('after reset');
    expect(text.slice(first, reload) + text.slice(resumed)).toBe(
      [
        'init mode=0 ctrl=0 op=0 nd=0 info=0,0,0',
        'enable 3 mode=3 ctrl=3d op=11 nd=12 info=3,3,6', // 0x3C | enable; 3 → 11, 6 → 12
        'fed 6 s', // 6 s > 1.64 + 3.28 s: feeding every 100 ms holds off the reset
        'disable 3', // returns the mode it ends
        'disabled mode=0 ctrl=3c op=11 nd=12 info=0,3,6',
        'unfed 6 s', // disabled: no reset
        'restore 0 mode=0 ctrl=3c op=11 nd=12 info=0,3,6', // 0: nothing
        'restore 3 mode=3 ctrl=3d op=11 nd=12 info=3,3,6', // back with the saved A/B
        'enable 4 mode=4 ctrl=39 op=13 nd=11 info=4,12,3', // 0x38 | enable; 12 → 13, 3 → 11
        'starving',
        '',
        ' ets Jan  8 2013,rst cause:4, boot mode:(3,6)',
        '',
        'wdt reset',
        'after reset mode=0 ctrl=0 op=0 nd=0 info=0,0,0', // the chip reset: WDT off, ETS RAM re-initialised
        'done',
        '',
      ].join('\n'),
    );
    // From the enabling write to the reset: stage 1 (2^13) + stage 2 (2^11) of the model's unit,
    // 8.19 s; "starving" is printed just after enable, the banner a few ms after the reset.
    const expected = (wdtStageTicks(13) + wdtStageTicks(11)) / TICKS_PER_MICROSECOND / 1e6;
    expect(bannerAt - starvingAt).toBeGreaterThan(expected - 0.01);
    expect(bannerAt - starvingAt).toBeLessThan(expected + 0.02);
  }, 120_000);
});
