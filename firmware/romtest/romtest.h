/* Shared by the ROM test programs: ROM prototypes (documented signatures), registers, start-up. */
#ifndef V8266_ROMTEST_H
#define V8266_ROMTEST_H
#include <stdarg.h>
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
#define UART0_STATUS REG(0x6000001C)
#define ANALOG_I2C_HOST4 REG(0x60000D10)

typedef void (*int_handler_t)(void *arg, void *frame);
typedef void (*exc_handler_t)(void *frame, int cause);
typedef struct { uint32_t sig, par; } ets_event_t;
typedef void (*ets_task_t)(ets_event_t *e);
typedef struct ets_timer {
  struct ets_timer *next;
  uint32_t expire, period;
  void (*fn)(void *);
  void *arg;
} ets_timer_t;

/* The 256-byte exception frame (rom-internals §1.4). */
typedef struct {
  uint32_t epc, ps, sar, vpri, a0, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, cause;
} xtos_frame_t;

int ets_printf(const char *fmt, ...);
int ets_vprintf(void (*putc)(char), const char *fmt, va_list ap);
void ets_install_putc1(void (*putc)(char));
void ets_install_putc2(void (*putc)(char));
void ets_write_char(char c);
void uart_div_modify(uint32_t uart, uint32_t div);
void ets_update_cpu_frequency(uint32_t mhz);
uint32_t ets_get_cpu_frequency(void);
void ets_delay_us(uint32_t us);
void *_xtos_set_exception_handler(uint32_t cause, exc_handler_t fn);
int_handler_t _xtos_set_interrupt_handler_arg(uint32_t n, int_handler_t f, void *arg);
int_handler_t _xtos_set_interrupt_handler(uint32_t n, int_handler_t f);
int_handler_t ets_isr_attach(uint32_t n, int_handler_t f, void *arg);
uint32_t ets_isr_mask(uint32_t mask);
uint32_t ets_isr_unmask(uint32_t mask);
uint32_t _xtos_ints_on(uint32_t mask);
uint32_t _xtos_ints_off(uint32_t mask);
uint32_t _xtos_set_vpri(uint32_t mask);
uint32_t _xtos_set_intlevel(uint32_t level);
uint32_t _xtos_set_min_intlevel(uint32_t level);
void _xtos_restore_intlevel(uint32_t ps);
uint32_t ets_intr_lock(void);
uint32_t ets_intr_unlock(void);
void xthal_set_ccompare(uint32_t n, uint32_t v);
uint32_t xthal_get_ccompare(uint32_t n);
uint32_t xthal_get_ccount(void);
void ets_task(ets_task_t fn, uint32_t prio, ets_event_t *queue, uint32_t qlen);
uint32_t ets_post(uint32_t prio, uint32_t sig, uint32_t par);
void ets_run(void) __attribute__((noreturn));
void ets_set_idle_cb(void (*fn)(void *), void *arg);
void ets_timer_init(void);
void ets_timer_setfn(ets_timer_t *t, void (*fn)(void *), void *arg);
void ets_timer_arm(ets_timer_t *t, uint32_t ms, int repeat);
void ets_timer_disarm(ets_timer_t *t);
int SPIRead(uint32_t addr, void *buf, uint32_t len);
int SPIWrite(uint32_t addr, const void *buf, uint32_t len);
int SPIEraseSector(uint32_t sector);
int SPIEraseBlock(uint32_t block);
int SPIEraseArea(uint32_t start, uint32_t len);
int SPIParamCfg(uint32_t id, uint32_t size, uint32_t block, uint32_t sector, uint32_t page, uint32_t mask);

static inline uint32_t rsr_ps(void) { uint32_t v; __asm__ volatile("rsr.ps %0" : "=a"(v)); return v; }
static inline uint32_t rsr_intenable(void) { uint32_t v; __asm__ volatile("rsr.intenable %0" : "=a"(v)); return v; }
static inline uint32_t rsr_interrupt(void) { uint32_t v; __asm__ volatile("rsr.interrupt %0" : "=a"(v)); return v; }
static inline void wsr_intset(uint32_t v) { __asm__ volatile("wsr.intset %0; rsync" :: "a"(v)); }

/* What the SDK does first: start the PLL (i2c_bbpll), drain the ROM's output, 115200 baud. */
static inline void romtest_start(void) {
  ANALOG_I2C_HOST4 = 0x67 | (1u << 8) | (0x88u << 16) | (1u << 24);
  ets_update_cpu_frequency(80);
  while ((UART0_STATUS >> 16) & 0xFF) {
  }
  uart_div_modify(0, 80000000 / 115200);
}

/* Tests end by printing "done" and sleeping with interrupts off. */
static inline void __attribute__((noreturn)) romtest_end(void) {
  ets_printf("done\n");
  for (;;) __asm__ volatile("rsil a2, 15; waiti 15" ::: "a2");
}
#define ENTRY __attribute__((section(".entry.text"))) void app_entry(void)
#endif
