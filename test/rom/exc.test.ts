/**
 * Exceptions through the ROM's tables (rom-internals §1) on the emulated chip, driven by
 * firmware/romtest/exc.c: table writes and return values of _xtos_set_exception_handler, the C
 * wrapper's 256-byte frame (a handler edits EPC, a2, a5 and SAR and they take effect), the syscall
 * handler, and ROM __divsi3's division by zero (ILL at 0x4000DCE5).
 */
import { describe, expect, it } from 'vitest';
import { bootRomtest } from './romtest.ts';

describe('ROM exception plumbing', () => {
  it('dispatches like the mask ROM and lets C handlers edit the frame', () => {
    const t = bootRomtest('exc');
    expect(t.runUntilText('done\n', 0.3)).toBe(true);
    expect(t.out()).toBe(
      [
        // 9 → h_a returns the ROM's own cause-9 handler (installed by ROM main before the entry);
        // h_b returns h_a; NULL returns h_b and restores unhandled/p_none; NULL again 0; 64 refused
        'set 400017e0 set 1 null 1 tables 4000dc44 4000dbf8 null 0 64 0',
        // ROM main installed the fatal handler for 0 and 28 through the C wrapper
        'rom handlers 40001878 40001878 40000598',
        'tables 40000598 1',
        // ill: cause argument 0, PS 0x20 inside, the handler's stack below the frame, a3 from the frame
        'exc cause=0 reg=0 ps=20 sp-frame=1 a3=333',
        'after ill a2=1234 a5=5555 sar=7 ps=20', // EPC+3, a2, a5, SAR taken from the edited frame
        'exc cause=28 reg=28 ps=20 sp-frame=1 a3=28', // load from region 0 (0x10): LoadProhibited
        'after load a2=1234',
        'exc cause=3 reg=3 ps=20 sp-frame=1 a3=3', // byte load from IRAM: LoadStoreError
        'after l8ui a2=1234',
        'syscall a2=ffffffff a3=33', // _xtos_syscall_handler: EPC+3, a2 = -1, a3 kept
        'div0 cause=0 epc=4000dce5', // ROM __divsi3 by zero: IllegalInstruction at 0x4000DCE5
        '7/0=-1',
        'done',
        '',
      ].join('\n'),
    );
  });
});
