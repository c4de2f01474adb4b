/* The NONOS watchdog pattern (soak.h) on an idle program, driven from UART0 (polled each second):
     idle      prints "alive <s>" each minute; the chip must never reset;
     'h'       stops the soft watchdog (Arduino ESP.wdtDisable, libpp pp_soft_wdt_stop) and spins
               in a task with interrupts on: the stage-1 interrupt comes 2^11 units after the last
               feed, the chip resets (cause 4) 2^13 units later;
     's'       spins in a task with the soft watchdog running: its tick finds its flag unanswered
               and the program's own "Soft WDT reset" comes first (then a software reset).
   Times are printed in wDev microseconds. */
#include "soak.h"

#define SOFT_TICK_COUNTS 500000 /* 1.6 s, libpp's MAC timer 1 period (.data of pp.o) */

static ets_timer_t poll_timer;
static ets_event_t cmd_queue[2];
static volatile uint32_t soft_running, seconds;

static void stage1_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  ets_printf("wdt stage 1 at %u us\n", MICROS);
}

static void soft_tick_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  FRC1_INT = 0;
  if (!soft_running) return;
  if (soft_wdt_tick()) {
    ets_printf("Soft WDT reset at %u us\n", MICROS);
    RTC_USER_MEM[0] = 0x50F7D0C5;
    uart0_drain();
    RTC_CTRL0 |= 1u << 31;
    for (;;) {
    }
  }
}

static void hang(const char *why) {
  ets_printf("%s, hanging at %u us\n", why, MICROS);
  for (;;) {
  }
}

static void cmd_task(ets_event_t *e) {
  if (e->sig == 'h') {
    soft_running = 0;
    FRC1_CTRL = 0;
    hang("soft wdt stopped");
  }
  if (e->sig == 's') hang("soft wdt running");
}

static void poll(void *arg) {
  (void)arg;
  while (UART0_STATUS & 0xFF) ets_post(SOFT_WDT_PRIO - 1, UART0_FIFO & 0xFF, 0);
  if (++seconds % 60 == 0) ets_printf("alive %u s, %u feeds\n", seconds, soft_wdt_feeds);
}

ENTRY {
  soak_start();
  uint32_t marker = RTC_USER_MEM[0];
  RTC_USER_MEM[0] = 0;
  ets_printf("\nwdt_sdk: reset cause %u%s\n", RTC_RESET_CAUSE & 0xF,
             marker == 0x50F7D0C5 ? ", after soft wdt" : "");
  soft_wdt_init();
  ets_task(cmd_task, SOFT_WDT_PRIO - 1, cmd_queue, 2);
  hw_wdt_init(stage1_isr);
  soft_running = 1;
  frc1_periodic(soft_tick_isr, SOFT_TICK_COUNTS);
  ets_timer_init();
  ets_timer_setfn(&poll_timer, poll, 0);
  ets_timer_arm(&poll_timer, 1000, 1);
  ets_printf("idle at %u us\n", MICROS);
  ets_run();
}
