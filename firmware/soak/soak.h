/* The watchdog the way NONOS drives it (facts and sources: docs/watchdog.md), on the ROM's
   interrupt dispatch and scheduler:
     - hw_wdt_init: libmain wdt_init: stage 1 = 2^11, stage 2 = 2^13 units, CTL 0x38 then bit 0,
       the stage-1 interrupt (CPU INT 8 through DPORT edge bit 0) to a handler that only records;
     - the soft watchdog: libpp pp_soft_wdt_feed_local runs from a 1.6 s timer interrupt (the SDK's
       is Wi-Fi MAC timer 1; ours is FRC1). A tick that finds the previous tick's flag still set is
       a soft-WDT reset; otherwise it sets the flag and posts a task that feeds the hardware
       watchdog and clears the flag (pp_post(12) -> PPWdtReset). So the chip is fed only while
       tasks get to run: a loop that never returns to the scheduler is caught. */
#ifndef V8266_SOAK_H
#define V8266_SOAK_H
#include "romtest.h"

#define WDT_CTL REG(0x60000900)
#define WDT_OP REG(0x60000904)
#define WDT_OP_ND REG(0x60000908)
#define WDT_RST REG(0x60000914)
#define WDT_FEED 0x73
#define FRC1_LOAD REG(0x60000600)
#define FRC1_CTRL REG(0x60000608)
#define FRC1_INT REG(0x6000060C)
#define FRC_ENABLE (1u << 7)
#define FRC_AUTO_RELOAD (1u << 6)
#define FRC_DIV256 (2u << 2)
#define RTC_CTRL0 REG(0x60000700)
#define RTC_RESET_CAUSE REG(0x60000714)
#define RTC_COUNTER REG(0x6000071C)
#define RTC_USER_MEM ((volatile uint32_t *)0x60001200)
#define DPORT_EDGE_INT_ENABLE REG(0x3FF00004)
#define UART0_FIFO REG(0x60000000)
#define MICROS REG(0x3FF20C00)
#define INUM_CCOMPARE 6
#define INUM_WDT 8
#define INUM_FRC1 9
/* FRC1 at APB / 256 = 312.5 kHz. */
#define FRC1_PER_MS 312.5

/* A software reset keeps RAM: start from a zeroed .bss like the SDK's start-up does. */
extern uint32_t _bss_start[], _bss_end[];
static inline void soak_start(void) {
  for (uint32_t *p = _bss_start; p < _bss_end; p++) *p = 0;
  romtest_start();
}

static inline void uart0_drain(void) {
  while ((UART0_STATUS >> 16) & 0xFF) {
  }
}

static inline void hw_wdt_init(int_handler_t stage1) {
  WDT_CTL &= ~1u;
  ets_isr_attach(INUM_WDT, stage1, 0);
  DPORT_EDGE_INT_ENABLE |= 1u << 0;
  WDT_OP = 11;
  WDT_OP_ND = 13;
  WDT_CTL |= 0x38;
  WDT_CTL &= ~6u;
  WDT_CTL |= 1;
  ets_isr_unmask(1u << INUM_WDT);
}

static inline void frc1_periodic(int_handler_t isr, uint32_t counts) {
  ets_isr_attach(INUM_FRC1, isr, 0);
  DPORT_EDGE_INT_ENABLE |= 1u << 1;
  FRC1_CTRL = FRC_ENABLE | FRC_AUTO_RELOAD | FRC_DIV256;
  FRC1_LOAD = counts;
  ets_isr_unmask(1u << INUM_FRC1);
}

/* The soft watchdog's state: set by a tick, cleared by the feeding task. */
#define SOFT_WDT_PRIO 20
#define SOFT_WDT_SIG_FEED 12
static volatile uint32_t soft_wdt_flag, soft_wdt_feeds;
static ets_event_t soft_wdt_queue[4];

static void soft_wdt_task(ets_event_t *e) {
  if (e->sig != SOFT_WDT_SIG_FEED) return;
  WDT_RST = WDT_FEED;
  soft_wdt_flag = 0;
  soft_wdt_feeds++;
}

/* One soft-watchdog tick; returns 1 when the previous one was never answered. */
static inline int soft_wdt_tick(void) {
  if (soft_wdt_flag) return 1;
  soft_wdt_flag = 1;
  ets_post(SOFT_WDT_PRIO, SOFT_WDT_SIG_FEED, 0);
  return 0;
}

static inline void soft_wdt_init(void) { ets_task(soft_wdt_task, SOFT_WDT_PRIO, soft_wdt_queue, 4); }
#endif
