/*
 * v8266 boot ROM: exception vectors, reset handler and the XTOS-style exception plumbing.
 * Our own code, written from the behaviour described in docs/rom.md (no Espressif bytes).
 * Layout-critical code is assembled with no-transform so every vector sits at its address.
 */
#include "frame.h"
    .set ets_exc_table_ptr, 0x3FFFDAAC   /* RAM word holding the exception table base */
    .set ets_c_handler_table, 0x3FFFC100
    .set ets_intr_lock_ps, 0x3FFFDCC0

    .section .vectors, "ax"
    .begin no-transform
    .global _rom_start
_rom_start:
    .org 0x10
    .global _DebugExceptionVector
_DebugExceptionVector:
1:  waiti 2
    j 1b
    .org 0x20
    .global _NMIExceptionVector
_NMIExceptionVector:
    rfi 3
    .org 0x30
    .global _KernelExceptionVector
_KernelExceptionVector:
1:  break 1, 0
    j 1b
    .org 0x50
    .global _UserExceptionVector
_UserExceptionVector:
    /* 256-byte frame below the interrupted SP; a2/a3/a4 saved at +20/+24/+28; then jump to
       table[EXCCAUSE] with a2 = EXCCAUSE and a3 = the handler's own address. */
    addmi a1, a1, -256
    s32i a2, a1, 20
    s32i a3, a1, 24
    l32r a3, ets_exc_table_ptr
    rsr.exccause a2
    addx4 a3, a2, a3
    l32i a3, a3, 0
    s32i a4, a1, 28
    jx a3
    .org 0x70
    .global _DoubleExceptionVector
_DoubleExceptionVector:
1:  break 1, 4
    j 1b
    .org 0x80
    .global _ResetVector
_ResetVector:
    j impl__ResetHandler
    .end no-transform

    .text
    .literal_position
    .align 4
    .global impl__ResetHandler
impl__ResetHandler:
    movi a0, 0
    wsr.intenable a0
    wsr.litbase a0
    movi a2, 0x40000000
    wsr.vecbase a2
    rsil a2, 1
    /* Region attributes 0x2222211F: region 0 faults (NULL), 1..2 = 1, 3..7 = 2. */
    movi a2, 0x2222211F
    movi a3, 0
    movi a5, 0x20000000
    movi a6, 8
1:  witlb a2, a3
    wdtlb a2, a3
    srli a2, a2, 4
    add a3, a3, a5
    addi a6, a6, -1
    bnez a6, 1b
    isync
    dsync
    /* Copy the ROM's data into ETS RAM: (dst, dst_end, src) triples, 32-bit loads only. */
    movi a2, _rom_copy_table
    movi a3, _rom_copy_table_end
2:  l32i a4, a2, 0
    l32i a5, a2, 4
    l32i a6, a2, 8
3:  bgeu a4, a5, 4f
    l32i a7, a6, 0
    s32i a7, a4, 0
    addi a4, a4, 4
    addi a6, a6, 4
    j 3b
4:  addi a2, a2, 12
    bltu a2, a3, 2b
    /* Zero the ROM's .bss ranges: (start, end) pairs. */
    movi a2, _rom_zero_table
    movi a3, _rom_zero_table_end
    movi a7, 0
5:  l32i a4, a2, 0
    l32i a5, a2, 4
6:  bgeu a4, a5, 7f
    s32i a7, a4, 0
    addi a4, a4, 4
    j 6b
7:  addi a2, a2, 8
    bltu a2, a3, 5b
    movi a1, 0x40000000
    movi a2, 0x20
    wsr.ps a2
    rsync
    call0 impl_main
    /* impl_main returns the user entry: enter it with the state the mask ROM leaves. */
    movi a1, 0x3FFFFFF0
    movi a0, 0x40001100
    jx a2

    .align 4
    .global impl__xtos_unhandled_exception
impl__xtos_unhandled_exception:
    l32i a2, a1, 20
    l32i a3, a1, 24
    addmi a1, a1, 256
    break 1, 1
    rfe

    .align 4
    .global impl__xtos_unhandled_interrupt
impl__xtos_unhandled_interrupt:
    break 1, 15
    ret

    .align 4
    .global impl__xtos_p_none
impl__xtos_p_none:
    ret

    .align 4
    .global impl__xtos_syscall_handler
impl__xtos_syscall_handler:
    rsr.epc1 a2
    addi a2, a2, 3
    wsr.epc1 a2
    movi a2, -1
    l32i a3, a1, 24
    addmi a1, a1, 256
    rfe

    .align 4
    .global impl__xtos_alloca_handler
impl__xtos_alloca_handler:
    rfe

    .align 4
    .global impl__xtos_cause3_handler
impl__xtos_cause3_handler:
    movi a2, 3
    j impl__xtos_c_wrapper_handler

    .align 4
    .global impl__xtos_c_wrapper_handler
impl__xtos_c_wrapper_handler:
    s32i a5, a1, 32
    s32i a2, a1, 76
    save_interrupted_state
    rsr.sar a5
    s32i a5, a1, 8
    rsync
    movi a5, 0x20
    wsr.ps a5
    rsync
    movi a4, ets_c_handler_table
    addx4 a4, a2, a4
    l32i a4, a4, 0
    mov a3, a2
    mov a2, a1
    beqz a4, 1f
    callx0 a4
1:  rsil a5, 1
    l32i a5, a1, 8
    wsr.sar a5
    j impl__xtos_return_from_exc

    .align 4
    .global impl__xtos_return_from_exc
impl__xtos_return_from_exc:
    l32i a0, a1, 16
    l32i a4, a1, 28
    l32i a5, a1, 32
    l32i a6, a1, 36
    l32i a7, a1, 40
    l32i a8, a1, 44
    l32i a9, a1, 48
    l32i a10, a1, 52
    l32i a11, a1, 56
    l32i a12, a1, 60
    l32i a13, a1, 64
    l32i a14, a1, 68
    l32i a15, a1, 72
    l32i a2, a1, 0
    wsr.epc1 a2
    l32i a2, a1, 4
    wsr.ps a2
    l32i a2, a1, 20
    l32i a3, a1, 24
    rsync
    addmi a1, a1, 256
    rfe

    .align 4
    .global impl_ets_intr_lock
impl_ets_intr_lock:
    rsil a2, 3
    movi a3, ets_intr_lock_ps
    s32i a2, a3, 0
    ret

    .align 4
    .global impl_ets_intr_unlock
impl_ets_intr_unlock:
    rsil a2, 0
    ret

    .align 4
    .global impl_xthal_get_ccount
impl_xthal_get_ccount:
    rsr.ccount a2
    ret

    .align 4
    .global impl_xthal_get_interrupt
impl_xthal_get_interrupt:
    rsr.interrupt a2
    ret

    .align 4
    .global impl_xthal_set_intclear
impl_xthal_set_intclear:
    wsr.intclear a2
    ret

    .align 4
    .global impl__xtos_set_intlevel
impl__xtos_set_intlevel:
    rsr.ps a3
    extui a4, a3, 0, 4
    movi a5, -16
    and a3, a3, a5
    extui a2, a2, 0, 4
    or a3, a3, a2
    wsr.ps a3
    rsync
    mov a2, a4
    ret

    .align 4
    .global impl__xtos_restore_intlevel
impl__xtos_restore_intlevel:
    wsr.ps a2
    rsync
    ret

    /* Park the CPU for good: what the chip does after a fatal ROM path (until a watchdog). */
    .align 4
    .global rom_park
rom_park:
1:  waiti 15
    j 1b

    /* Stubs for ROM functions we have not written yet land here with a0 = stub + 3. */
    .align 4
    .global rom_unimplemented
rom_unimplemented:
    addi a2, a0, -3
    call0 rom_report_unimplemented
    j rom_park
