/* What each kind of reset keeps, walked through in one program: a software restart (a jump to the
   reset vector, as NONOS system_restart_core and the RTOS SDK's restart do), a deep sleep woken by
   the RTC timer, a software restart after that wake, a watchdog reset, and an RST-pin reset that
   the test gives. Each boot checks the ROM's cause (RTC 0x14), the SDK's reset-reason scratch
   register STORE0 (RTC 0x30), the latched wake source (0x18 [13:8]), the RTC counter (0x1C) and
   RTC memory, where the step and the counter value at the last action are kept. */
#include "esp.h"

#define RTC_WAKE REG(0x60000718)
#define RTC_SLP_VAL REG(0x60000704)
#define RTC_SLP_CTRL REG(0x60000708)
#define RTC_COUNTER REG(0x6000071C)
#define RTC_STORE0 REG(0x60000730)
#define MAGIC 0x52535431u /* "RST1" */
#define MEM_MAGIC RTC_USER_MEM[10]
#define MEM_STEP RTC_USER_MEM[11]
#define MEM_COUNTER RTC_USER_MEM[12]
#define RTC_HZ_PER_MS 150 /* the 150 kHz slow clock of our model, time-bases.ts */

static void restart_by_jump(void) {
  uart0_drain();
  ((void (*)(void))0x40000080)();
}

static void deep_sleep_ms(uint32_t ms) {
  uart0_drain();
  RTC_SLP_VAL = RTC_COUNTER + ms * RTC_HZ_PER_MS;
  RTC_WAKE = 8;               /* wake source: the sleep timer */
  RTC_SLP_CTRL = 1u << 20;    /* with CTRL0[5:4] clear: sleep now */
  for (;;) {
  }
}

static void starve_watchdog(void) {
  uart0_drain();
  WDT_OP = 8;
  WDT_OP_ND = 8;
  WDT_CTL = 0x38;
  WDT_CTL = (WDT_CTL & ~6u) | 1;
  esp_irq_disable();
  for (;;) {
  }
}

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  uint32_t cause = RTC_RESET_CAUSE & 0xF, store0 = RTC_STORE0, wake = (RTC_WAKE >> 8) & 0x3F;
  uint32_t counter = RTC_COUNTER;
  uint32_t step = MEM_MAGIC == MAGIC ? MEM_STEP : 0;
  uint32_t fails = 0;
  ets_printf("\nresets test step %u: cause %u store0 %x wake %u\n", step, cause, store0, wake);
  int continued = counter >= MEM_COUNTER, restarted = counter < 50 * RTC_HZ_PER_MS;
  switch (step) {
    case 0:
      MEM_MAGIC = MAGIC;
      MEM_STEP = 1;
      RTC_STORE0 = 0xA5;
      MEM_COUNTER = RTC_COUNTER;
      ets_printf("software restart\n");
      restart_by_jump();
      break;
    case 1:
      fails += esp_check("restart: no reset, cause still 1", cause == 1);
      fails += esp_check("restart: store0 kept", store0 == 0xA5);
      fails += esp_check("restart: counter runs on", continued);
      MEM_STEP = 2;
      RTC_STORE0 = 0x55;
      ets_printf("deep sleep 100 ms\n");
      deep_sleep_ms(100);
      break;
    case 2:
      fails += esp_check("wake: cause 5, timer latched", cause == 5 && wake == 8);
      fails += esp_check("wake: store0 cleared by the RST pulse", store0 == 0);
      fails += esp_check("wake: counter restarted", restarted);
      RTC_WAKE = 0; /* the SDK rewrites the enables after a wake */
      MEM_STEP = 3;
      MEM_COUNTER = RTC_COUNTER;
      ets_printf("software restart after the wake\n");
      restart_by_jump();
      break;
    case 3:
      fails += esp_check("restart after wake: cause 5, wake still latched", cause == 5 && wake == 8);
      MEM_STEP = 4;
      RTC_STORE0 = 0x77;
      MEM_COUNTER = RTC_COUNTER;
      ets_printf("starving the watchdog\n");
      starve_watchdog();
      break;
    case 4:
      fails += esp_check("watchdog: cause 4", cause == 4);
      fails += esp_check("watchdog: store0 kept", store0 == 0x77);
      fails += esp_check("watchdog: counter runs on", continued);
      MEM_STEP = 5;
      RTC_STORE0 = 0x99;
      ets_printf("waiting for RST\n");
      break;
    case 5:
      fails += esp_check("RST: cause 2, no wake latched", cause == 2 && wake == 0);
      fails += esp_check("RST: store0 cleared", store0 == 0);
      fails += esp_check("RST: counter restarted", restarted);
      fails += esp_check("RST: RTC memory kept", MEM_MAGIC == MAGIC);
      MEM_MAGIC = 0;
      break;
  }
  ets_printf("STEP %u DONE %u failed\n", step, fails);
  for (;;) __asm__ volatile("waiti 0");
}
