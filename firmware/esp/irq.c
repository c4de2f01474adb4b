/* Interrupt dispatch for our programs (vectors.S): one handler per CPU interrupt, called with
   PS.EXCM set (no nesting). Level sources (GPIO 4, UART 5) must be cleared at the block; edge
   sources (WDT 8, FRC1 9, FRC2 10) are cleared here through INTCLEAR before the handler runs. */
#include "esp.h"

extern char esp_vectors[];
static esp_isr_t handlers[15];
static esp_isr_t nmi_handler;

/* vectors.S saves the interrupted registers here and runs the NMI handler on its own stack. */
uint32_t esp_nmi_frame[17];
uint8_t esp_nmi_stack[512] __attribute__((aligned(16))); /* vectors.S: top = +512 */

void esp_irq_init(void) {
  __asm__ volatile("wsr %0, vecbase; isync" ::"r"(esp_vectors) : "memory");
}

void esp_isr_attach(uint32_t n, esp_isr_t handler) {
  if (n < 15) handlers[n] = handler;
}

void esp_ints_on(uint32_t mask) {
  uint32_t en;
  __asm__ volatile("rsr %0, intenable" : "=r"(en));
  en |= mask;
  __asm__ volatile("wsr %0, intenable; rsync" ::"r"(en) : "memory");
}

void esp_exception(uint32_t cause, uint32_t epc) {
  if (cause != 4) {
    ets_printf("\nexception %u at 0x%08x\n", cause, epc);
    for (;;) __asm__ volatile("waiti 15");
  }
  uint32_t pending, enabled;
  __asm__ volatile("rsr %0, interrupt" : "=r"(pending));
  __asm__ volatile("rsr %0, intenable" : "=r"(enabled));
  pending &= enabled;
  uint32_t edges = pending & 0x3f80; /* software 7, edges 8..13 */
  if (edges) __asm__ volatile("wsr %0, intclear; rsync" ::"r"(edges) : "memory");
  for (uint32_t n = 0; n < 15; n++) {
    if ((pending & (1u << n)) && handlers[n]) handlers[n]();
  }
}

void esp_nmi_attach(esp_isr_t handler) { nmi_handler = handler; }

void esp_nmi_dispatch(void) {
  if (nmi_handler) nmi_handler();
}
