/*
 * v8266 boot ROM: level-1 interrupt dispatch and the XTOS interrupt API (rom-internals §2).
 * Our own code. Data (ram_fixed.S): _xtos_enabled 0x3FFFC200, _xtos_vpri_enabled 0x3FFFC204,
 * interrupt records {handler, arg} at 0x3FFFC278 - 8n, mask records {vpri mask, level mask} at
 * 0x3FFFC2F0 - 8n, interrupt levels (bytes) at 0x3FFFD650 + n. INTENABLE is always written as
 * _xtos_enabled & _xtos_vpri_enabled.
 */
#include "frame.h"
    .set XTOS_ENABLED, 0x3FFFC200          /* +0 enabled, +4 vpri */
    .set INT_RECORDS_END, 0x3FFFC278       /* record n at END - 8n */
    .set MASK_RECORDS_END, 0x3FFFC2F0
    .set INT_LEVELS, 0x3FFFD650
    .set UNHANDLED_INTERRUPT, 0x4000DC3C

    .macro fn name
    .section .text.impl_\name, "ax"
    .literal_position
    .align 4
    .global impl_\name
    .type impl_\name, @function
impl_\name:
    .endm

/*
 * Exception-table entry 4 (contract of rom-internals §1.1: a1 = frame, a2/a3/a4 saved at
 * +20/+24/+28, PS.EXCM = 1). Steps 1-9 of §2.2: highest-numbered pending & enabled interrupt
 * first, INTCLEAR before the call, handler(arg, frame) at PS 0x20 with only higher-numbered
 * interrupts enabled (mask records), loop while any is pending, then _xtos_return_from_exc.
 */
    fn _xtos_l1int_handler
    s32i a5, a1, 32
    save_interrupted_state
    rsync
    rsr.interrupt a2
    rsr.intenable a3
    and a2, a2, a3
    beqz a2, 9f                     /* spurious */
    rsr.sar a3
    s32i a3, a1, 8
    movi a12, XTOS_ENABLED          /* a12..a15 survive the handler calls (CALL0 ABI) */
    l32i a13, a12, 4                /* vpri at entry */
    s32i a13, a1, 12
    l32i a3, a1, 4
    s32i a3, a1, 76
1:  /* a2 = the pending set (not empty): take its highest bit n */
    nsau a3, a2
    movi a4, 31
    sub a14, a4, a3                 /* n */
    movi a4, 1
    ssl a14
    sll a4, a4
    wsr.intclear a4
    rsil a4, 2
    slli a15, a14, 3                /* 8n */
    movi a4, MASK_RECORDS_END
    sub a4, a4, a15
    l32i a5, a4, 0                  /* vpri mask of n */
    s32i a5, a12, 4
    l32i a6, a12, 0
    and a6, a6, a5
    wsr.intenable a6
    movi a4, INT_RECORDS_END
    sub a4, a4, a15
    l32i a5, a4, 0                  /* handler */
    l32i a2, a4, 4                  /* arg */
    mov a3, a1                      /* frame */
    movi a6, 0x20
    wsr.ps a6
    rsync
    callx0 a5
    rsil a2, 2
    rsr.interrupt a2
    l32i a3, a12, 0
    and a2, a2, a3
    and a2, a2, a13
    bnez a2, 1b
    s32i a13, a12, 4                /* vpri and INTENABLE as at entry */
    l32i a3, a12, 0
    and a3, a3, a13
    wsr.intenable a3
    rsil a2, 1
    l32i a3, a1, 8
    wsr.sar a3
9:  j impl__xtos_return_from_exc

/* (n, f, arg): refuses n > 14 and level(n) >= 3; f NULL restores the stub with arg n.
   Returns the previous handler, or 0 for the stub or a refusal. */
    fn _xtos_set_interrupt_handler_arg
    movi a5, 14
    bltu a5, a2, 8f
    movi a5, INT_LEVELS
    add a5, a5, a2
    l8ui a5, a5, 0
    bgeui a5, 3, 8f
    movi a5, INT_RECORDS_END
    slli a6, a2, 3
    sub a5, a5, a6
    l32i a6, a5, 0                  /* previous */
    bnez a3, 1f
    movi a3, UNHANDLED_INTERRUPT
    mov a4, a2
1:  s32i a3, a5, 0
    s32i a4, a5, 4
    movi a5, UNHANDLED_INTERRUPT
    movi a2, 0
    beq a6, a5, 2f
    mov a2, a6
2:  ret
8:  movi a2, 0
    ret

    fn _xtos_set_interrupt_handler
    mov a4, a2
    j impl__xtos_set_interrupt_handler_arg

    fn ets_isr_attach
    j impl__xtos_set_interrupt_handler_arg

/* (mask): _xtos_enabled |= mask at INTLEVEL 2, INTENABLE recomputed, PS restored.
   Returns the previous _xtos_enabled. */
    fn _xtos_ints_on
    rsil a6, 2
    movi a3, XTOS_ENABLED
    l32i a4, a3, 0
    or a5, a4, a2
    s32i a5, a3, 0
    l32i a7, a3, 4
    and a5, a5, a7
    wsr.intenable a5
    wsr.ps a6
    rsync
    mov a2, a4
    ret

    fn _xtos_ints_off
    rsil a6, 2
    movi a3, XTOS_ENABLED
    l32i a4, a3, 0
    movi a5, -1
    xor a5, a5, a2
    and a5, a4, a5
    s32i a5, a3, 0
    l32i a7, a3, 4
    and a5, a5, a7
    wsr.intenable a5
    wsr.ps a6
    rsync
    mov a2, a4
    ret

    fn ets_isr_unmask
    j impl__xtos_ints_on

    fn ets_isr_mask
    j impl__xtos_ints_off

/* (mask): _xtos_vpri_enabled = mask, INTENABLE recomputed; returns the previous vpri. */
    fn _xtos_set_vpri
    rsil a6, 2
    movi a3, XTOS_ENABLED
    l32i a4, a3, 4
    s32i a2, a3, 4
    l32i a5, a3, 0
    and a5, a5, a2
    wsr.intenable a5
    wsr.ps a6
    rsync
    mov a2, a4
    ret

/* (l): raises PS.INTLEVEL to l when l is above it; returns the previous INTLEVEL. */
    fn _xtos_set_min_intlevel
    rsr.ps a3
    extui a4, a3, 0, 4
    extui a2, a2, 0, 4
    bgeu a4, a2, 1f
    movi a5, -16
    and a3, a3, a5
    or a3, a3, a2
    wsr.ps a3
    rsync
1:  mov a2, a4
    ret

/* (n, v): CCOMPARE0 only. */
    fn xthal_set_ccompare
    bnez a2, 1f
    wsr.ccompare0 a3
1:  ret

    fn xthal_get_ccompare
    bnez a2, 1f
    rsr.ccompare0 a2
    ret
1:  movi a2, 0
    ret

/* Empty on this CALL0-only core. */
    fn xthal_window_spill
    ret

    fn xthal_window_spill_nw
    ret
