/*
 * The ROM's data in ETS RAM at the addresses firmware uses (docs/rom.md, reference §7.3 and
 * rom-internals §1-§3). Copied from the ROM image at reset, like the mask ROM does.
 * .ets_lo is linked at 0x3FFFC000, .ets_hi_fixed at 0x3FFFD650, .ets_ptr at 0x3FFFDAAC.
 */
    .set unhandled_exception, 0x4000DC44
    .set syscall_handler,     0x4000DBE4
    .set l1int_handler,       0x4000048C
    .set alloca_handler,      0x4000DBE0
    .set cause3_handler,      0x40000590
    .set p_none,              0x4000DBF8
    .set unhandled_interrupt, 0x4000DC3C

    .section .ets_lo, "aw"
    /* 0x3FFFC000: _xtos_exc_handler_table, indexed by EXCCAUSE. */
    .word unhandled_exception, syscall_handler, unhandled_exception, unhandled_exception
    .word l1int_handler, alloca_handler, unhandled_exception, unhandled_exception
    .rept 4
    .word unhandled_exception
    .endr
    .word cause3_handler, cause3_handler, cause3_handler, cause3_handler
    .rept 48
    .word unhandled_exception
    .endr
    /* 0x3FFFC100: _xtos_c_handler_table. */
    .rept 64
    .word p_none
    .endr
    /* 0x3FFFC200: _xtos_enabled, _xtos_vpri_enabled. */
    .word 0, 0xFFFFFFFF
    /* 0x3FFFC208 + 8*(14-n): interrupt records {handler, arg}, INT 14 first. */
    .irp n, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
    .word unhandled_interrupt, \n
    .endr
    /* 0x3FFFC280 = 0x3FFFC2F0 - 8*14: mask records {vpri mask, level mask}, INT 14 first. */
    .word 0xFFFFC000, 1 << 14
    .irp n, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
    .word ~((2 << \n) - 1), 1 << \n
    .endr

    /* 0x3FFFC6FC onwards (the gap before it is zeroed at reset, not copied). */
    .section .ets_mid, "aw"
    .byte 0xFF, 0, 0, 0           /* priority of the running task: none */
    .word 0x7073                  /* rtc_calib */
    .word 80                      /* CPU MHz for ets_delay_us / ets_get_cpu_frequency */
    .word 0, 0, 0                 /* wdt_info */
    .word 0x3FFFC718              /* flashchip -> struct below */
    .word 0x1640EF, 0x400000, 0x10000, 0x1000, 0x100, 0xFFFF
    .org 0x34
    .word 0x3FFFC734              /* phy_get_romfuncs() result; the table is not filled yet */

    .section .ets_hi_fixed, "aw"
    /* 0x3FFFD650: interrupt level per INT n. */
    .byte 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3
    .org 0x1F8                    /* 0x3FFFD848: digit strings os_sprintf reads */
    .asciz "0123456789abcdef"
    .org 0x20C
    .asciz "0123456789ABCDEF"
    .org 0x220
    .asciz "<null>"
    .balign 4

    .section .ets_ptr, "aw"
    .word 0x3FFFC000              /* 0x3FFFDAAC: the table the ROM user vector dispatches through */
