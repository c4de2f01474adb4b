/* Our own exception vectors for ESP8266 programs that take interrupts without the ROM's level-1
   dispatcher: esp_irq_init() points VECBASE here. Offsets from VECBASE (LX106, XEA2): debug 0x10,
   NMI (level 3) 0x20, kernel 0x30, user 0x50, double 0x70. Level-1 interrupts arrive as a user
   exception with EXCCAUSE 4; the user vector saves the interrupted context on its stack and
   calls esp_exception(cause, epc1) (irq.c), then returns with RFE. The NMI can arrive anywhere,
   even inside the user vector before it has moved a1, so it saves everything in a frame of its own
   and runs esp_nmi_dispatch (irq.c) on its own stack, then returns with RFI 3. */

    .section .vectors.text, "ax"
    .balign 256
    .global esp_vectors
esp_vectors:
    .org 0x10                   /* debug (BREAK): park */
1:  waiti 15
    j 1b
    .org 0x20                   /* NMI */
    wsr a0, excsave3
    j esp_nmi_vector
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

    .literal_position
    .balign 4
    .global esp_nmi_vector
esp_nmi_vector:
    movi a0, esp_nmi_frame
    s32i a1, a0, 4
    s32i a2, a0, 8
    s32i a3, a0, 12
    s32i a4, a0, 16
    s32i a5, a0, 20
    s32i a6, a0, 24
    s32i a7, a0, 28
    s32i a8, a0, 32
    s32i a9, a0, 36
    s32i a10, a0, 40
    s32i a11, a0, 44
    s32i a12, a0, 48
    s32i a13, a0, 52
    s32i a14, a0, 56
    s32i a15, a0, 60
    rsr a2, sar
    s32i a2, a0, 64
    rsr a2, excsave3
    s32i a2, a0, 0
    movi a1, esp_nmi_stack + 512
    call0 esp_nmi_dispatch
    movi a0, esp_nmi_frame
    l32i a2, a0, 64
    wsr a2, sar
    l32i a2, a0, 8
    l32i a3, a0, 12
    l32i a4, a0, 16
    l32i a5, a0, 20
    l32i a6, a0, 24
    l32i a7, a0, 28
    l32i a8, a0, 32
    l32i a9, a0, 36
    l32i a10, a0, 40
    l32i a11, a0, 44
    l32i a12, a0, 48
    l32i a13, a0, 52
    l32i a14, a0, 56
    l32i a15, a0, 60
    l32i a1, a0, 4
    l32i a0, a0, 0
    rfi 3
