/* ROM timers on FRC2 (rom-internals §3.3): ets_timer_init, setfn, arm (one-shot and periodic),
   disarm, dispatch in the priority-31 task. Needs the FRC2 timer block on the board. */
#include "romtest.h"

static ets_timer_t periodic, once, never;
static int ticks;

static void on_periodic(void *arg) {
  ets_printf("tick %d arg=%x running=%d\n", ++ticks, (uint32_t)arg, *(volatile uint8_t *)0x3FFFC6FC);
  if (ticks == 3) {
    ets_timer_disarm(&periodic);
    romtest_end();
  }
}
static void on_once(void *arg) { ets_printf("once arg=%x\n", (uint32_t)arg); }
static void on_never(void *arg) { (void)arg; ets_printf("never\n"); }

ENTRY {
  romtest_start();
  ets_timer_init();
  ets_printf("frc2 ctrl=%x\n", REG(0x60000628) & 0xFF);
  ets_timer_setfn(&periodic, on_periodic, (void *)0xA);
  ets_timer_setfn(&once, on_once, (void *)0xB);
  ets_timer_setfn(&never, on_never, 0);
  ets_printf("setfn next=%x\n", (uint32_t)periodic.next);
  ets_timer_arm(&periodic, 10, 1);
  ets_timer_arm(&once, 5, 0);
  ets_timer_arm(&never, 7, 0);
  ets_timer_disarm(&never);
  ets_printf("period=%d head is once=%d\n", periodic.period, *(ets_timer_t **)0x3FFFDDB0 == &once);
  ets_run();
}
