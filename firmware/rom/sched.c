/* The ETS scheduler and the ROM timers of the v8266 boot ROM (rom-internals §3). */
#include "rom.h"

#define TASK_RUNNING (*(volatile uint8_t *)0x3FFFC6FC)
#define IDLE_CB (*(void (*volatile *)(void *))0x3FFFDAB0)
#define IDLE_ARG (*(void *volatile *)0x3FFFDAB4)
#define READY REG(0x3FFFDAB8)

typedef struct {
  uint32_t sig, par;
} ets_event;
typedef void (*ets_task_fn)(ets_event *e);

/* Record of priority p at 0x3FFFDAB0 + 16p (p = 1..32; no range check, like the ROM). */
struct task {
  ets_task_fn fn;
  ets_event *queue;
  uint8_t qlen, w, r, count;
  uint32_t mask;
};
#define TASK(p) ((volatile struct task *)(0x3FFFDAB0 + 16 * (p)))

uint32_t impl_ets_intr_lock(void);
uint32_t impl_ets_intr_unlock(void);

void IMPL(ets_set_idle_cb)(void (*fn)(void *), void *arg) {
  IDLE_CB = fn;
  IDLE_ARG = arg;
}

void IMPL(ets_task)(ets_task_fn fn, uint32_t prio, ets_event *queue, uint32_t qlen) {
  volatile struct task *t = TASK(prio);
  t->fn = fn;
  t->queue = queue;
  t->qlen = (uint8_t)qlen;
  t->w = 0;
  t->r = 0;
  t->count = 0;
  t->mask = 1u << (prio - 1);
}

/* 0 when queued, 1 when the queue is full or nobody registered the priority. Unlocks
   unconditionally (RSIL 0), like the ROM (rom-internals §6.8). */
uint32_t IMPL(ets_post)(uint32_t prio, uint32_t sig, uint32_t par) {
  impl_ets_intr_lock();
  volatile struct task *t = TASK(prio);
  if (t->count >= t->qlen) {
    impl_ets_intr_unlock();
    return 1;
  }
  ets_event *e = &t->queue[t->w];
  e->sig = sig;
  e->par = par;
  t->w = t->w + 1 == t->qlen ? 0 : t->w + 1;
  if (++t->count == 1) READY |= t->mask;
  impl_ets_intr_unlock();
  return 0;
}

/* Highest ready priority first; the handler gets the slot inside the queue. With nothing ready:
   the idle callback (still locked), then WAITI 0, always. Never returns. */
void IMPL(ets_run)(void) {
  TASK_RUNNING = 0;
  for (;;) {
    impl_ets_intr_lock();
    uint32_t ready = READY;
    if (ready) {
      uint32_t p = 32 - __builtin_clz(ready);
      volatile struct task *t = TASK(p);
      ets_event *slot = &t->queue[t->r];
      t->r = t->r + 1 == t->qlen ? 0 : t->r + 1;
      if (--t->count == 0) READY &= ~t->mask;
      TASK_RUNNING = (uint8_t)p;
      impl_ets_intr_unlock();
      t->fn(slot);
      TASK_RUNNING = 0;
      continue;
    }
    if (IDLE_CB) IDLE_CB(IDLE_ARG);
    __asm__ volatile("waiti 0" ::: "memory");
    impl_ets_intr_unlock();
  }
}

/* ---------------------------------------------------------------- ROM timers on FRC2 */

typedef struct ets_timer {
  struct ets_timer *next; /* 0xFFFFFFFF: not armed; the list ends with NULL */
  uint32_t expire, period;
  void (*fn)(void *);
  void *arg;
} ets_timer;

#define TIMER_HEAD (*(ets_timer *volatile *)0x3FFFDDB0)
#define TIMER_RUNNING (*(ets_timer *volatile *)0x3FFFDDB4)
#define TIMER_RUNNING_FN REG(0x3FFFDDB8)
#define TIMER_QUEUE ((ets_event *)0x3FFFDDC0)
#define NOT_ARMED ((ets_timer *)0xFFFFFFFF)
#define FRC2_LOAD REG(0x60000620)
#define FRC2_COUNT REG(0x60000624)
#define FRC2_CTRL REG(0x60000628)
#define FRC2_ALARM REG(0x60000630)
#define DPORT_EDGE_INT REG(0x3FF00004)

void *IMPL(ets_isr_attach)(uint32_t n, void *f, void *arg);
uint32_t IMPL(ets_isr_unmask)(uint32_t mask);

/* The mask ROM's assertion: the line number goes in as a string pointer and faults. */
static void __attribute__((noinline)) timer_panic(uint32_t line) {
  ets_printf("%s %s \n", "ets_timer.c", (const char *)line);
}

static void set_alarm(uint32_t expire) {
  uint32_t now = FRC2_COUNT;
  int32_t d = (int32_t)(expire - now);
  FRC2_ALARM = d > 40 ? expire : d > 0 ? expire + 44 : now + 40;
}

/* Sorted by expiry with signed differences: after every earlier entry, before equal ones. */
void IMPL(timer_insert)(uint32_t expire, ets_timer *t) {
  ets_timer *prev = 0, *cur = TIMER_HEAD;
  t->expire = expire;
  while (cur && (int32_t)(cur->expire - expire) < 0) {
    prev = cur;
    cur = cur->next;
  }
  t->next = cur;
  if (prev) prev->next = t;
  else {
    TIMER_HEAD = t;
    set_alarm(expire);
  }
  if (t->next == t) timer_panic(231);
}

void IMPL(ets_timer_setfn)(ets_timer *t, void (*fn)(void *), void *arg) {
  t->next = NOT_ARMED;
  t->expire = 0;
  t->period = 0;
  t->fn = fn;
  t->arg = arg;
}

/* ms → FRC2 ticks at 312.5 kHz (80 MHz / 256). */
void IMPL(ets_timer_arm)(ets_timer *t, uint32_t ms, uint32_t repeat) {
  if (t->next != NOT_ARMED) timer_panic(185);
  uint32_t ticks = ms <= 12494 ? ms * 312500 / 1000 + 1 : (ms / 4) * 1250 + (ms % 4) * 313;
  if (repeat) t->period = ticks;
  impl_timer_insert(FRC2_COUNT + ticks, t);
}

void IMPL(ets_timer_disarm)(ets_timer *t) {
  ets_timer *prev = 0, *cur = TIMER_HEAD;
  while (cur && cur != t) {
    prev = cur;
    cur = cur->next;
  }
  if (cur) {
    if (prev) prev->next = t->next;
    else TIMER_HEAD = t->next;
  }
  t->next = NOT_ARMED;
  t->period = 0;
}

void IMPL(ets_timer_done)(ets_timer *t) {
  if (t->next != NOT_ARMED) timer_panic(173);
  t->expire = 0;
  t->period = 0;
  t->fn = 0;
  t->arg = 0;
}

/* Runs every due timer in task context (priority 31), re-inserting periodic ones the callback
   did not re-arm, then programs the alarm for the new head. */
void IMPL(ets_timer_handler_isr)(void) {
  ets_timer *t;
  while ((t = TIMER_HEAD) && (int32_t)(t->expire - FRC2_COUNT) <= 0) {
    TIMER_HEAD = t->next;
    t->next = NOT_ARMED;
    TIMER_RUNNING = t;
    TIMER_RUNNING_FN = (uint32_t)t->fn;
    t->fn(t->arg);
    if (t->next == NOT_ARMED && t->period) impl_timer_insert(t->expire + t->period, t);
  }
  if (TIMER_HEAD) set_alarm(TIMER_HEAD->expire);
}

static void timer_task(ets_event *e) {
  if (e->sig == 0) impl_ets_timer_handler_isr();
}

static void frc2_isr(void *arg) {
  (void)arg;
  impl_ets_post(31, 0, 0);
}

void IMPL(ets_timer_init)(void) {
  TIMER_HEAD = 0;
  impl_ets_isr_attach(10, (void *)frc2_isr, 0);
  DPORT_EDGE_INT |= 1u << 2;
  impl_ets_isr_unmask(1u << 10);
  impl_ets_task(timer_task, 31, TIMER_QUEUE, 4);
  FRC2_ALARM = 0;
  FRC2_CTRL = 0x88;
  FRC2_LOAD = 0;
}
