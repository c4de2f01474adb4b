/**
 * What each kind of reset keeps (firmware/esp/resets_test.c): a software restart is a jump to the
 * reset vector and changes nothing; a deep-sleep wake by the RTC timer is a pulse on RST (GPIO16 is
 * wired to it on a NodeMCU), so, like the RST button, it restarts the RTC counter (seed guide
 * §3.2.10) and clears the scratch register STORE0 in which the SDK keeps its reset reason, while
 * RTC memory survives; the watchdog keeps the RTC domain as it was. The ROM must still report
 * cause 5 when the firmware restarts itself after a wake.
 */
import { describe, expect, it } from 'vitest';
import { bench, verdicts } from './firmware.ts';

describe('reset kinds', () => {
  it('software restart, deep-sleep wake, restart after it, watchdog, RST pin', () => {
    const b = bench('resets_test');
    const line = 'deep sleep 100 ms\r\n';
    const sleepAt = b.waitFor(line);
    b.waitFor('waiting for RST', 3);
    b.board.reset();
    b.waitFor('STEP 5 DONE', 1);
    expect(b.resets.map((r) => r.cause)).toEqual([5, 4]); // the chip's own; RST is the host's
    // The program drains the UART, then sleeps: the wake comes 100 ms of RTC time later.
    const asleep = b.byteTimes[sleepAt + line.length - 1];
    expect(Math.abs(b.resets[0].at - asleep - 0.1)).toBeLessThan(0.0002);
    const banners = [...b.out.matchAll(/rst cause:(\d+)/g)].map((m) => Number(m[1]));
    expect(banners).toEqual([1, 1, 5, 5, 4, 2]);
    expect(b.out).not.toContain('unknown reset');
    expect(verdicts(b.out)).toEqual([
      'PASS restart: no reset, cause still 1',
      'PASS restart: store0 kept',
      'PASS restart: counter runs on',
      'PASS wake: cause 5, timer latched',
      'PASS wake: store0 cleared by the RST pulse',
      'PASS wake: counter restarted',
      'PASS restart after wake: cause 5, wake still latched',
      'PASS watchdog: cause 4',
      'PASS watchdog: store0 kept',
      'PASS watchdog: counter runs on',
      'PASS RST: cause 2, no wake latched',
      'PASS RST: store0 cleared',
      'PASS RST: counter restarted',
      'PASS RST: RTC memory kept',
    ]);
  });
});
