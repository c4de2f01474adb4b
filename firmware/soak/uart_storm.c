/* A busy print storm, the two ways SDK-era firmware writes UART0:
     1. polled, like NONOS os_printf's putc and MicroPython's uart_tx_one_char: wait while the TX
        FIFO count (STATUS[23:16]) is 126 or more, then write; from a task, while a 2 kHz FRC1
        interrupt keeps preempting it;
     2. interrupt-driven, like Arduino's HardwareSerial: a 1 KB ring the task fills, drained by
        the TXFIFO_EMPTY interrupt (threshold 16 in CONF1[14:8]) that tops the FIFO up to 127
        and disables itself when the ring is empty.
   Each writes 150 numbered lines; the host checks every byte arrives once, in order. */
#include "soak.h"

#define UART0_INT_ST REG(0x60000008)
#define UART0_INT_ENA REG(0x6000000C)
#define UART0_INT_CLR REG(0x60000010)
#define UART0_CONF1 REG(0x60000024)
#define UART_TXFIFO_EMPTY_INT (1u << 1)
#define INUM_UART 5
#define LINES 150

static volatile uint32_t frc1_irqs;
static char ring[1024];
static volatile uint32_t ring_head, ring_tail; /* head: next write (task), tail: next read (ISR) */

static uint32_t tx_count(void) { return (UART0_STATUS >> 16) & 0xFF; }

static void polled_putc(char c) {
  while (tx_count() >= 126) {
  }
  UART0_FIFO = (uint8_t)c;
}

static void frc1_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  FRC1_INT = 0;
  frc1_irqs++;
}

static void uart_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  if (!(UART0_INT_ST & UART_TXFIFO_EMPTY_INT)) return;
  while (ring_tail != ring_head && tx_count() < 127) {
    UART0_FIFO = (uint8_t)ring[ring_tail % sizeof ring];
    ring_tail++;
  }
  if (ring_tail == ring_head) UART0_INT_ENA &= ~UART_TXFIFO_EMPTY_INT;
  UART0_INT_CLR = UART_TXFIFO_EMPTY_INT;
}

static void ring_putc(char c) {
  for (;;) {
    ets_intr_lock();
    if (ring_head - ring_tail < sizeof ring) break;
    ets_intr_unlock();
  }
  ring[ring_head % sizeof ring] = c;
  ring_head++;
  UART0_INT_ENA |= UART_TXFIFO_EMPTY_INT;
  ets_intr_unlock();
}

/* "P 0042 0123456789abcdefghijklmnopqrstuvwxyz\r\n" with the phase letter and line number. */
static void line(void (*put)(char), char phase, uint32_t n) {
  static const char body[] = " 0123456789abcdefghijklmnopqrstuvwxyz\r\n";
  put(phase);
  put(' ');
  for (uint32_t d = 1000; d; d /= 10) put((char)('0' + n / d % 10));
  for (const char *p = body; *p; p++) put(*p);
}

ENTRY {
  soak_start();
  ets_printf("\nuart storm\n");
  uart0_drain();
  frc1_periodic(frc1_isr, 156); /* ~2 kHz */
  ets_isr_attach(INUM_UART, uart_isr, 0);
  UART0_CONF1 = (UART0_CONF1 & ~(0x7Fu << 8)) | (16u << 8);
  UART0_INT_CLR = 0x1FF;
  ets_isr_unmask(1u << INUM_UART);
  for (uint32_t n = 0; n < LINES; n++) line(polled_putc, 'P', n);
  for (uint32_t n = 0; n < LINES; n++) line(ring_putc, 'R', n);
  while (ring_tail != ring_head) {
  }
  uart0_drain();
  ets_printf("storm done, %u timer interrupts\n", frc1_irqs);
  for (;;) __asm__ volatile("waiti 0");
}
