/* An hour of an idle NONOS-style program: the watchdog fed as the SDK does (soak.h), and every
   timer source counted, so a test can compare the counts with the time that passed:
     FRC1      auto-reload interrupt every 50 ms (INT 9); every 32nd is the soft-watchdog tick;
     CCOMPARE0 every 80,000,000 cycles (1 s at 80 MHz, INT 6), re-armed from the last compare;
     ets_timer a 1000 ms and a 250 ms periodic ROM timer (FRC2, callbacks in the timer task).
   Each minute one line: "t=<minute> us=<wDev µs> rtc=<RTC counter> frc1= cc= ta= tb= feeds=
   late=<worst lateness of the 1000 ms callback, µs>"; after 60 of them "soak done". */
#include "soak.h"

#define FRC1_COUNTS 15625 /* 50 ms */
#define CC_CYCLES 80000000u

static ets_timer_t timer_a, timer_b;
static volatile uint32_t frc1_irqs, cc_irqs, ta_calls, tb_calls, cc_next, start_us, worst_late;
static volatile uint32_t stage1_irqs;

/* The ROM arms a timer for ms * 312500 / 1000 + 1 FRC2 ticks (rom-internals §3.3). */
#define TA_PERIOD_NS (312501ull * 1000000000ull / 312500ull)

static void stage1_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  stage1_irqs++;
}

static void frc1_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  FRC1_INT = 0;
  if (++frc1_irqs % 32 == 0 && soft_wdt_tick()) {
    ets_printf("Soft WDT reset at %u us\n", MICROS);
    for (;;) {
    }
  }
}

static void cc_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  cc_next += CC_CYCLES;
  xthal_set_ccompare(0, cc_next);
  cc_irqs++;
}

static void on_a(void *arg) {
  (void)arg;
  uint32_t now = MICROS - start_us;
  uint32_t n = ++ta_calls;
  uint32_t due = (uint32_t)((uint64_t)n * TA_PERIOD_NS / 1000u);
  uint32_t late = now - due;
  if ((int32_t)late > (int32_t)worst_late) worst_late = late;
  if (n % 60) return;
  ets_printf("t=%u us=%u rtc=%u frc1=%u cc=%u ta=%u tb=%u feeds=%u late=%u stage1=%u\n", n / 60,
             now, RTC_COUNTER, frc1_irqs, cc_irqs, n, tb_calls, soft_wdt_feeds, worst_late,
             stage1_irqs);
  if (n == 3600) {
    ets_printf("soak done\n");
    ets_timer_disarm(&timer_a);
  }
}

static void on_b(void *arg) {
  (void)arg;
  tb_calls++;
}

ENTRY {
  soak_start();
  ets_printf("\nsoak: reset cause %u\n", RTC_RESET_CAUSE & 0xF);
  soft_wdt_init();
  hw_wdt_init(stage1_isr);
  ets_timer_init();
  ets_timer_setfn(&timer_a, on_a, 0);
  ets_timer_setfn(&timer_b, on_b, 0);
  ets_isr_attach(INUM_CCOMPARE, cc_isr, 0);
  ets_intr_lock();
  start_us = MICROS;
  ets_printf("start us=%u rtc=%u\n", start_us, RTC_COUNTER);
  cc_next = xthal_get_ccount() + CC_CYCLES;
  xthal_set_ccompare(0, cc_next);
  ets_isr_unmask(1u << INUM_CCOMPARE);
  frc1_periodic(frc1_isr, FRC1_COUNTS);
  ets_timer_arm(&timer_a, 1000, 1);
  ets_timer_arm(&timer_b, 250, 1);
  ets_intr_unlock();
  ets_run();
}
