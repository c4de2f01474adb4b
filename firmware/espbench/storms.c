/* Board workloads shaped like the phases real firmware spends its time in, one per image
   (WORKLOAD = 1..4, see the Makefile), each booted by our ROM and timed by `npm run bench`:
     1 repl   — a busy REPL-like loop: commands parsed from text, looked up in a table, variables in
                a hash table, answers formatted into a buffer (branchy, byte loads, calls);
     2 tasks  — an RTOS-style task switcher: FRC1 ticks at 1 kHz wake delayed tasks, a scheduler
                runs the ready ones round-robin, the idle task sleeps in WAITI;
     3 flash  — a flash-erase storm: erase, program and read back sectors through the ROM's
                SPIEraseSector/SPIWrite/SPIRead, which turn the flash cache off and on each time;
     4 print  — a print storm: ets_printf at 115200 baud, bound by waits on the UART TX FIFO.
   Every workload prints a result that depends on all its work, so a wrong core cannot look fast. */
#include "../esp/esp.h"

#ifndef WORKLOAD
#define WORKLOAD 1
#endif

#if WORKLOAD == 1
#define VARS 64
static const char *const script[] = {"set alpha 17", "set beta 4",   "add alpha 9", "mul beta 3",
                                     "get alpha",    "add gamma 21", "get beta",    "sub alpha 2",
                                     "get gamma",    "mul gamma 5",  "get zeta",    "set zeta 1"};
static char names[VARS][12];
static int32_t values[VARS];
static char reply[64];

static int streq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
  return h;
}
static int32_t *lookup(const char *name, int create) {
  for (uint32_t i = hash(name) % VARS, n = 0; n < VARS; i = (i + 1) % VARS, n++) {
    if (names[i][0] == 0) {
      if (!create) return 0;
      for (int k = 0; name[k] && k < 11; k++) names[i][k] = name[k];
      return &values[i];
    }
    if (streq(names[i], name)) return &values[i];
  }
  return 0;
}
static int format(char *out, const char *name, int32_t v) {
  int n = 0;
  while (*name) out[n++] = *name++;
  out[n++] = '=';
  char digits[12];
  int d = 0;
  uint32_t u = v < 0 ? (uint32_t)-v : (uint32_t)v;
  do digits[d++] = (char)('0' + u % 10), u /= 10;
  while (u);
  if (v < 0) out[n++] = '-';
  while (d) out[n++] = digits[--d];
  out[n] = 0;
  return n;
}
static uint32_t run_line(const char *line) {
  char cmd[8], name[12];
  int i = 0, k = 0;
  while (line[i] && line[i] != ' ' && k < 7) cmd[k++] = line[i++];
  cmd[k] = 0;
  while (line[i] == ' ') i++;
  k = 0;
  while (line[i] && line[i] != ' ' && k < 11) name[k++] = line[i++];
  name[k] = 0;
  int32_t arg = 0;
  while (line[i] == ' ') i++;
  while (line[i] >= '0' && line[i] <= '9') arg = arg * 10 + (line[i++] - '0');
  int32_t *v = lookup(name, !streq(cmd, "get"));
  if (streq(cmd, "set")) *v = arg;
  else if (streq(cmd, "add")) *v += arg;
  else if (streq(cmd, "sub")) *v -= arg;
  else if (streq(cmd, "mul")) *v *= arg;
  else if (streq(cmd, "get")) return v ? (uint32_t)format(reply, name, *v) + hash(reply) : 7;
  return 1;
}
static void workload(void) {
  uint32_t sum = 0;
  for (int round = 0; round < 20000; round++) {
    for (uint32_t l = 0; l < sizeof script / sizeof script[0]; l++) sum += run_line(script[l]);
    if ((round & 1023) == 0) values[hash("alpha") % VARS] &= 0xffff;
  }
  ets_printf("storms: repl checksum 0x%08x, last reply %s\n", sum, reply);
}
#elif WORKLOAD == 2
#define TASKS 6
static volatile uint32_t ticks;
static uint32_t wake_at[TASKS];
static uint32_t runs[TASKS];
static uint32_t state[TASKS];

static void frc1_isr(void) { ticks++; }

static void task_body(int t) {
  /* a little work, then sleep t+1 ticks, like vTaskDelay */
  uint32_t s = state[t] + (uint32_t)t;
  for (int i = 0; i < 50 * (t + 1); i++) s = s * 1103515245u + 12345u;
  state[t] = s;
  runs[t]++;
  wake_at[t] = ticks + (uint32_t)t + 1;
}
static void workload(void) {
  esp_irq_init();
  esp_isr_attach(INUM_FRC1, frc1_isr);
  DPORT_EDGE_INT_ENABLE |= 1u << 1; /* FRC1's edge interrupt */
  esp_ints_on(1u << INUM_FRC1);
  FRC1_CTRL = FRC_ENABLE | FRC_AUTO_RELOAD | FRC_DIV16;
  FRC1_LOAD = 5000; /* 5 MHz / 5000 = 1 kHz */
  esp_irq_enable();
  uint32_t switches = 0;
  while (ticks < 2000) {
    int ran = 0;
    for (int t = 0; t < TASKS; t++) {
      if ((int32_t)(ticks - wake_at[t]) >= 0) {
        task_body(t);
        switches++;
        ran = 1;
      }
    }
    if (!ran) {
      esp_irq_disable();
      if (ticks < 2000) esp_wait_for_interrupt(); /* the idle task */
      esp_irq_enable();
    }
  }
  esp_irq_disable();
  uint32_t mix = 0;
  for (int t = 0; t < TASKS; t++) mix = mix * 31 + state[t] + runs[t];
  ets_printf("storms: tasks %u switches in 2000 ticks, runs %u..%u, mix 0x%08x\n", switches,
             runs[TASKS - 1], runs[0], mix);
}
#elif WORKLOAD == 3
#define FIRST_SECTOR 0x200 /* 2 MB into a 4 MB flash: clear of the image */
#define SECTORS 16
static uint32_t page[64];
static void workload(void) {
  uint32_t sum = 0, errors = 0;
  for (int round = 0; round < 4; round++) {
    for (uint32_t s = 0; s < SECTORS; s++) {
      SPIEraseSector(FIRST_SECTOR + s);
      for (uint32_t p = 0; p < 4096 / sizeof page; p++) {
        for (uint32_t i = 0; i < 64; i++) page[i] = (s << 16) ^ (p << 8) ^ i ^ (uint32_t)round;
        SPIWrite((FIRST_SECTOR + s) * 4096 + p * sizeof page, page, sizeof page);
      }
    }
    for (uint32_t s = 0; s < SECTORS; s++) {
      for (uint32_t p = 0; p < 4096 / sizeof page; p++) {
        SPIRead((FIRST_SECTOR + s) * 4096 + p * sizeof page, page, sizeof page);
        for (uint32_t i = 0; i < 64; i++) {
          sum += page[i];
          errors += page[i] != ((s << 16) ^ (p << 8) ^ i ^ (uint32_t)round);
        }
      }
    }
  }
  ets_printf("storms: flash %u sectors x 4 rounds, sum 0x%08x, %u errors\n", SECTORS, sum, errors);
}
#else
static void workload(void) {
  uint32_t sum = 0;
  for (int i = 0; i < 300; i++) {
    sum = sum * 33 + (uint32_t)i;
    ets_printf("line %3d: the quick brown fox 0x%08x\n", i, sum);
  }
  ets_printf("storms: print 300 lines\n");
}
#endif

__attribute__((section(".entry.text"))) void app_entry(void) {
  esp_start_clocks();
  workload();
  ets_printf("storms done\n");
  for (;;) __asm__ volatile("waiti 15");
}
