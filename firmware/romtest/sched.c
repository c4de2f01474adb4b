/* The ETS scheduler (rom-internals §3.1-3.2): priorities, queues, ets_post's return values, the
   slot a task gets, posts from inside tasks, the idle callback (called locked, then WAITI 0). */
#include "romtest.h"

static ets_event_t q32[2], q10[4], q5[4], q3[1];
static int idle_calls;

static void show(const char *who, ets_event_t *e) {
  ets_printf("%s sig=%d par=%x running=%d slot=%d\n", who, e->sig, e->par, *(volatile uint8_t *)0x3FFFC6FC,
             e == q32 || e == q32 + 1 || (e >= q10 && e < q10 + 4) || (e >= q5 && e < q5 + 4) || e == q3);
}
static void t32(ets_event_t *e) { show("t32", e); }
static void t10(ets_event_t *e) { show("t10", e); }
static void t5(ets_event_t *e) {
  show("t5", e);
  if (e->sig == 1) ets_printf("post in task %d\n", ets_post(10, 7, 0x70));
}
static void t3(ets_event_t *e) {
  show("t3", e);
  ets_printf("ps in task %x idle calls %d\n", rsr_ps(), idle_calls);
  romtest_end();
}

static void h6(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  xthal_set_ccompare(0, xthal_get_ccount() - 1);
  ets_printf("h6\n");
}

static void idle(void *arg) {
  if (idle_calls++ == 0) {
    ets_printf("idle arg=%x ps=%x post=%d\n", (uint32_t)arg, rsr_ps(), ets_post(3, 3, 0x33));
    ets_printf("ps after post %x\n", rsr_ps()); /* ets_post unlocked: RSIL 0 */
    _xtos_set_intlevel(3);
    /* The posted task must wait for an interrupt: WAITI 0 comes first. */
    xthal_set_ccompare(0, xthal_get_ccount() + 80000);
  }
}

ENTRY {
  romtest_start();
  ets_printf("unregistered %d\n", ets_post(20, 0, 0));
  ets_task(t32, 32, q32, 2);
  ets_task(t10, 10, q10, 4);
  ets_task(t5, 5, q5, 4);
  ets_task(t3, 3, q3, 1);
  ets_printf("record %x %x %x\n", REG(0x3FFFDAB0 + 16 * 32), REG(0x3FFFDAB0 + 16 * 32 + 8), REG(0x3FFFDAB0 + 16 * 32 + 12));
  ets_printf("posts %d", ets_post(5, 1, 0x51));
  ets_printf(" %d", ets_post(10, 2, 0x10));
  ets_printf(" %d", ets_post(32, 3, 0x32));
  ets_printf(" %d", ets_post(32, 4, 0x33));
  ets_printf(" %d", ets_post(32, 5, 0x34)); /* queue of 2 is full */
  ets_printf(" %d ready=%x ps=%x\n", ets_post(5, 6, 0x52), REG(0x3FFFDAB8), rsr_ps());
  ets_set_idle_cb(idle, (void *)0x1D);
  ets_isr_attach(6, h6, 0);
  ets_isr_unmask(1u << 6);
  ets_printf("run\n");
  ets_run();
}
