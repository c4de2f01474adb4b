/* Exceptions through the ROM's tables (rom-internals §1): _xtos_set_exception_handler's return
   values and table writes, the C wrapper's frame (handlers edit PC and registers), the syscall
   handler, LoadStoreError, and a division by zero in ROM __divsi3. */
#include "romtest.h"

#define ASM_TABLE ((volatile uint32_t *)0x3FFFC000)
#define C_TABLE ((volatile uint32_t *)0x3FFFC100)

static void h_a(void *frame, int cause) { (void)frame; (void)cause; }
static void h_b(void *frame, int cause) { (void)frame; (void)cause; }

/* Skips the faulting 3-byte instruction and hands a value back in a2 and a5. */
static void skip(void *frame, int cause) {
  xtos_frame_t *f = frame;
  uint32_t ccause;
  __asm__ volatile("rsr.exccause %0" : "=a"(ccause));
  ets_printf("exc cause=%d reg=%d ps=%x sp-frame=%d a3=%x\n", cause, ccause, rsr_ps(),
             (int)((uint32_t)__builtin_frame_address(0) <= (uint32_t)f), f->a3);
  f->epc += 3;
  f->a2 = 0x1234;
  f->a5 = 0x5555;
  f->sar = 7;
}

static void div0(void *frame, int cause) {
  xtos_frame_t *f = frame;
  ets_printf("div0 cause=%d epc=%x\n", cause, f->epc);
  f->epc = f->a0; /* return from __divsi3 to its caller with a2 = -1 */
  f->a2 = 0xFFFFFFFF;
}

ENTRY {
  romtest_start();
  ets_printf("set %x ", (uint32_t)_xtos_set_exception_handler(9, h_a));
  ets_printf("set %d ", _xtos_set_exception_handler(9, h_b) == (void *)h_a);
  ets_printf("null %d ", _xtos_set_exception_handler(9, 0) == (void *)h_b);
  ets_printf("tables %x %x ", ASM_TABLE[9], C_TABLE[9]);
  ets_printf("null %x ", (uint32_t)_xtos_set_exception_handler(9, 0));
  ets_printf("64 %x\n", (uint32_t)_xtos_set_exception_handler(64, h_a));
  ets_printf("rom handlers %x %x %x\n", C_TABLE[0], C_TABLE[28], ASM_TABLE[28]);

  _xtos_set_exception_handler(0, skip);
  ets_printf("tables %x %d\n", ASM_TABLE[0], C_TABLE[0] == (uint32_t)skip);
  uint32_t a2, a5, sar;
  __asm__ volatile("movi a2, 1; movi a3, 0x333; movi a5, 2; ill; mov %0, a2; mov %1, a5; rsr.sar %2"
                   : "=a"(a2), "=a"(a5), "=a"(sar)::"a2", "a3", "a5");
  ets_printf("after ill a2=%x a5=%x sar=%d ps=%x\n", a2, a5, sar, rsr_ps());

  _xtos_set_exception_handler(28, skip);
  volatile uint32_t *bad = (volatile uint32_t *)0x10;
  __asm__ volatile("movi a3, 0x28; movi a2, 0; _l32i a2, %1, 0; mov %0, a2" : "=a"(a2) : "a"(bad) : "a2", "a3", "a5");
  ets_printf("after load a2=%x\n", a2);

  /* A byte load from IRAM: LoadStoreError (3) through the wrapper to the cause-3 C handler. */
  _xtos_set_exception_handler(3, skip);
  __asm__ volatile("movi a3, 0x3; movi a2, 0; l8ui a2, %1, 0; mov %0, a2" : "=a"(a2) : "a"(0x40100000) : "a2", "a3", "a5");
  ets_printf("after l8ui a2=%x\n", a2);

  uint32_t r3;
  __asm__ volatile("movi a3, 0x33; movi a2, 5; syscall; mov %0, a2; mov %1, a3" : "=a"(a2), "=a"(r3)::"a2", "a3");
  ets_printf("syscall a2=%x a3=%x\n", a2, r3);

  _xtos_set_exception_handler(0, div0);
  volatile int n = 7, d = 0;
  ets_printf("7/0=%d\n", n / d);
  romtest_end();
}
