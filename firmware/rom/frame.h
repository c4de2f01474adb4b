/*
 * The 256-byte exception frame our ROM's level-1 dispatcher and C wrapper share (rom-internals
 * §1.4): included by vectors.S and xtos.S so the layout is written once.
 *
 * save_interrupted_state: with a5 already saved at +32, set PS to 0x21 (EXCM off, level 1, so
 * later exceptions are not double ones), keep the old PS at +4 and EPC1 at +0, and save a0 and
 * a6..a15 at their slots.
 */
    .macro save_interrupted_state
    movi a5, 0x21
    xsr.ps a5
    s32i a5, a1, 4
    rsr.epc1 a5
    s32i a5, a1, 0
    s32i a0, a1, 16
    s32i a6, a1, 36
    s32i a7, a1, 40
    s32i a8, a1, 44
    s32i a9, a1, 48
    s32i a10, a1, 52
    s32i a11, a1, 56
    s32i a12, a1, 60
    s32i a13, a1, 64
    s32i a14, a1, 68
    s32i a15, a1, 72
    .endm
