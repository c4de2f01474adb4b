/* Level-1 interrupts through the ROM dispatcher (rom-internals §2): handler arguments, the
   state a handler runs in, nesting of higher-numbered interrupts only, the API's return values,
   and a GPIO interrupt from the FLASH button. */
#include "romtest.h"

#define GPIO_STATUS REG(0x6000031C)
#define GPIO_STATUS_W1TC REG(0x60000324)
#define GPIO_PIN0 REG(0x60000328)

static volatile int gpio_seen, raise7, pend6;

static void h7(void *arg, void *frame) {
  (void)frame;
  ets_printf("h7 arg=%x ps=%x inten=%x int=%x\n", (uint32_t)arg, rsr_ps(), rsr_intenable(),
             rsr_interrupt() & 0xC0);
}

/* INT 6 (CCOMPARE0): pends INT 7 inside, which must preempt (7 > 6). */
static void h6(void *arg, void *frame) {
  (void)frame;
  xthal_set_ccompare(0, xthal_get_ccount() - 1); /* clears INT 6, next match ~53 s away */
  ets_printf("h6 begin arg=%x inten=%x\n", (uint32_t)arg, rsr_intenable());
  if (raise7) {
    raise7 = 0;
    wsr_intset(1u << 7);
  }
  ets_printf("h6 end\n");
}

/* INT 7 that makes INT 6 pend: 6 < 7 must wait until this handler returned. */
static void h7_pends_6(void *arg, void *frame) {
  xtos_frame_t *f = frame;
  (void)arg;
  if (pend6) {
    pend6 = 0;
    xthal_set_ccompare(0, xthal_get_ccount() + 10);
    ets_delay_us(5);
  }
  ets_printf("h7b int6 pending=%x frame.epc in iram=%d\n", (rsr_interrupt() >> 6) & 1,
             (f->epc >> 20) == 0x401);
}

static void hgpio(void *arg, void *frame) {
  (void)frame;
  uint32_t st = GPIO_STATUS;
  GPIO_STATUS_W1TC = st; /* a level source: must be cleared at the GPIO block */
  ets_printf("gpio arg=%x status=%x\n", (uint32_t)arg, st);
  gpio_seen = 1;
}

ENTRY {
  romtest_start();
  ets_printf("attach %x\n", (uint32_t)ets_isr_attach(7, h7, (void *)0x77));
  ets_printf("again same=%d\n", _xtos_set_interrupt_handler_arg(7, h7, (void *)0x78) == h7);
  ets_printf("nmi %x rec=%x\n", (uint32_t)_xtos_set_interrupt_handler(14, h7), REG(0x3FFFC278 - 8 * 14));
  ets_printf("n15 %x\n", (uint32_t)_xtos_set_interrupt_handler(15, h7));
  ets_printf("set6 %x arg=%x\n", (uint32_t)_xtos_set_interrupt_handler(6, h6), REG(0x3FFFC278 - 8 * 6 + 4));
  ets_printf("on %x\n", ets_isr_unmask(1u << 7));
  ets_printf("on %x inten=%x\n", _xtos_ints_on(1u << 6), rsr_intenable());
  ets_printf("off %x\n", ets_isr_mask(1u << 6));
  wsr_intset(1u << 7);
  ets_printf("after sw\n");
  ets_isr_unmask(1u << 6);
  raise7 = 1;
  xthal_set_ccompare(0, xthal_get_ccount() + 200);
  ets_delay_us(20);
  ets_printf("after nest\n");
  ets_isr_attach(7, h7_pends_6, 0);
  pend6 = 1;
  wsr_intset(1u << 7);
  ets_printf("after order inten=%x enabled=%x vpri=%x\n", rsr_intenable(), REG(0x3FFFC200), REG(0x3FFFC204));
  ets_printf("vpri %x inten=%x\n", _xtos_set_vpri(0xFFFFFF7F), rsr_intenable());
  ets_printf("vpri %x\n", _xtos_set_vpri(0xFFFFFFFF));
  ets_printf("unset %x rec=%x,%x\n", (uint32_t)_xtos_set_interrupt_handler(7, 0) == (uint32_t)h7_pends_6,
             REG(0x3FFFC278 - 8 * 7), REG(0x3FFFC278 - 8 * 7 + 4));
  ets_isr_mask(0xFFFF);
  /* GPIO0 (FLASH button, pulled up): negative edge interrupt on INT 4. */
  ets_isr_attach(4, hgpio, (void *)0x44);
  GPIO_PIN0 = (GPIO_PIN0 & ~(7u << 7)) | (2u << 7);
  ets_isr_unmask(1u << 4);
  ets_printf("waiting\n");
  while (!gpio_seen) __asm__ volatile("waiti 0");
  ets_printf("levels lock=%x ", ets_intr_lock());
  ets_printf("min %x ", _xtos_set_min_intlevel(2));
  ets_printf("min %x ", _xtos_set_min_intlevel(5));
  ets_printf("set %x ", _xtos_set_intlevel(1));
  ets_printf("unlock %x ps=%x\n", ets_intr_unlock(), rsr_ps());
  romtest_end();
}
