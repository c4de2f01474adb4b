/**
 * Level-1 interrupts through the ROM (rom-internals §2) on the emulated chip, driven by
 * firmware/romtest/intr.c: what the mask ROM's dispatcher and API do, as observed on it.
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM level-1 interrupt dispatch and API', () => {
  it('runs handlers with their arg at PS 0x20, nests only higher-numbered interrupts, returns values like the ROM', () => {
    const t = bootRomtest('intr');
    expect(t.runUntilText('waiting\n')).toBe(true);
    t.board.pressFlashButton(true);
    expect(t.runUntilText('done\n', 0.2)).toBe(true);
    expect(t.out()).toBe(
      [
        'attach 0', // the previous handler was the unhandled stub
        'again same=1', // the previous handler is returned
        'nmi 0 rec=4000dc3c', // INT 14 (level 3) is refused, its record untouched
        'n15 0',
        'set6 0 arg=6', // _xtos_set_interrupt_handler passes the interrupt number as arg
        'on 0', // _xtos_ints_on returns the previous _xtos_enabled
        'on 80 inten=c0',
        'off c0',
        // INTSET 7: INTCLEAR before the call, only interrupts above 7 enabled, PS = 0x20
        'h7 arg=78 ps=20 inten=0 int=0',
        'after sw',
        // INT 6 handler pends INT 7: 7 preempts 6 (INTENABLE in h6 = enabled & ~0x7F)
        'h6 begin arg=6 inten=80',
        'h7 arg=78 ps=20 inten=0 int=0',
        'h6 end',
        'after nest',
        // INT 7 handler pends INT 6: 6 waits, then runs in the same dispatch loop
        'h7b int6 pending=1 frame.epc in iram=1',
        'h6 begin arg=6 inten=80',
        'h6 end',
        'after order inten=c0 enabled=c0 vpri=ffffffff',
        'vpri ffffffff inten=40',
        'vpri ffffff7f',
        'unset 1 rec=4000dc3c,7', // NULL restores the stub with arg = n
        'waiting',
        'gpio arg=44 status=1', // FLASH button: GPIO0 negative edge on INT 4
        'levels lock=20 min 3 min 3 set 5 unlock 21 ps=20',
        'done',
        '',
      ].join('\n'),
    );
  });
});
