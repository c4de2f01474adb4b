/* Our own exception vectors for ESP8266 programs that take interrupts without the ROM's level-1
   dispatcher: esp_irq_init() points VECBASE here. Offsets from VECBASE (LX106, XEA2): debug 0x10,
   NMI (level 3) 0x20, kernel 0x30, user 0x50, double 0x70. Level-1 interrupts arrive as a user
   exception with EXCCAUSE 4; the user vector saves the interrupted context on its stack and
   calls esp_exception(cause, epc1) (irq.c), then returns with RFE. */

    .section .vectors.text, "ax"
    .balign 256
    .global esp_vectors
esp_vectors:
    .org 0x10                   /* debug (BREAK): park */
1:  waiti 15
    j 1b
    .org 0x20                   /* NMI */
    rfi 3
    .org 0x30                   /* kernel (PS.UM = 0): handled like the user vector */
    j esp_user_vector
    .org 0x50                   /* user */
    j esp_user_vector
    .org 0x70                   /* double: park */
2:  waiti 15
    j 2b

    .text
    .literal_position
    .balign 4
    .global esp_user_vector
esp_user_vector:
    addi a1, a1, -80
    s32i a0, a1, 0
    s32i a2, a1, 8
    s32i a3, a1, 12
    s32i a4, a1, 16
    s32i a5, a1, 20
    s32i a6, a1, 24
    s32i a7, a1, 28
    s32i a8, a1, 32
    s32i a9, a1, 36
    s32i a10, a1, 40
    s32i a11, a1, 44
    s32i a12, a1, 48
    s32i a13, a1, 52
    s32i a14, a1, 56
    s32i a15, a1, 60
    rsr a2, sar
    s32i a2, a1, 64
    rsr a2, exccause
    rsr a3, epc1
    call0 esp_exception
    l32i a2, a1, 64
    wsr a2, sar
    l32i a0, a1, 0
    l32i a2, a1, 8
    l32i a3, a1, 12
    l32i a4, a1, 16
    l32i a5, a1, 20
    l32i a6, a1, 24
    l32i a7, a1, 28
    l32i a8, a1, 32
    l32i a9, a1, 36
    l32i a10, a1, 40
    l32i a11, a1, 44
    l32i a12, a1, 48
    l32i a13, a1, 52
    l32i a14, a1, 56
    l32i a15, a1, 60
    addi a1, a1, 80
    rfe
