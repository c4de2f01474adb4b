/**
 * The NMI route through DPORT 0x3FF00000 (docs/watchdog.md §4), on our own program
 * firmware/esp/nmi_test.c. On the chip: bit 0 enables the route and [4:1] picks the source, 7 for
 * FRC1 (NONOS NmiTimSetFunc writes 0x0F) and 0 for the Wi-Fi MAC (RTOS SDK 1.5 writes 0x01 and
 * runs wDev_ProcessFiq from its NMI). The NMI is taken at PS.INTLEVEL 15, records the interrupted
 * PS in EPS3, and a routed source does not also reach its ordinary CPU input. An NMI raised while
 * one is being handled (the RTOS SDK re-enables the route on its way out) is taken after RFI 3.
 */
import { describe, expect, it } from 'vitest';
import { bench, verdicts } from './firmware.ts';

describe('NMI routing (nmi_test)', () => {
  it('FRC1 with 0x0F and the Wi-Fi MAC with 0x01 reach the NMI; 0 gives them back to INT 9 / INT 0', () => {
    const b = bench('nmi_test');
    b.waitFor('DONE');
    expect(b.out).toContain(
      'frc1 -> nmi: 10 nmis, 0 int9, eps3 0x2f in 10.5 ms at intlevel 15\r\n',
    );
    expect(b.out).toContain('0x0e: 0 nmis in 5 ms;');
    expect(b.out).toContain('frc1 -> int9: 5 int9, 0 nmis\r\n');
    expect(b.out).toContain('mac timer1 -> nmi: 1 nmis after 2000 us, 0 int0\r\n');
    expect(b.out).toContain('re-raised inside the handler: 2 nmis, 0 nested\r\n');
    expect(verdicts(b.out)).toEqual([
      'PASS frc1 nmi at intlevel 15',
      'PASS eps3 holds the interrupted ps',
      'PASS 0x0e holds the nmi off',
      'PASS 0x0f turns it back on',
      'PASS frc1 back on int 9',
      'PASS mac nmi',
      'PASS pending mac level is one nmi',
      'PASS off and on again re-raises it',
      'PASS an nmi raised inside the handler waits for its rfi',
      'PASS mac back on int 0',
    ]);
    expect(b.out).toContain('DONE 0 failed');
    expect(b.resets).toEqual([]);
  });
});
