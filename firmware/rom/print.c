/* UART output and ets_printf of the v8266 boot ROM (behaviour: rom-internals §5, docs/rom.md). */
#include "rom.h"

/* Print state block at 0x3FFFDD3C (rom-internals §5.1). */
#define PRINT_PRE_HOOK (*(putc_fn volatile *)0x3FFFDD50)
#define PRINT_POST_HOOK (*(putc_fn volatile *)0x3FFFDD54)
#define PUTC2_BUF_LEN REG(0x3FFFDD58)
#define PUTC2_BUF_PTR (*(uint8_t *volatile *)0x3FFFDD5C)

/*
 * UartDev (0x3FFFDE10) as uartAttach leaves it (rom-internals §4.1). Firmware attaches its own
 * UART0 RX handler to &UartDev + 24 (the RX buffer record) and stores at its write pointer.
 */
#define UART_DEV(off) REG(0x3FFFDE10 + (off))
#define UART_DEV_NO (*(volatile uint8_t *)(0x3FFFDE10 + 0x40)) /* the UART the ROM talks to */
#define UART_RX_BUF 0x3FFFDE60u /* 256 bytes */
#define UART_TX_BUF 0x3FFFDF60u /* 100 bytes */

/*
 * Fills UartDev, attaches the ROM's RX handler to INT 5 with the RX buffer record as its argument
 * (rom-internals §4.1: uart_rx_intr_handler, arg 0x3FFFDE28) and masks INT 5; firmware that wants
 * UART interrupts attaches its own handler over it.
 */
void *_xtos_set_interrupt_handler_arg(uint32_t n, void *fn, void *arg);
void impl_uart_rx_intr_handler(void *rx_buffer);

void IMPL(uartAttach)(void) {
  for (uint32_t off = 0; off < 68; off += 4) UART_DEV(off) = 0;
  UART_DEV(0) = 115200; /* baud */
  UART_DEV(4) = 3;      /* 8 data bits; parity, stop and flow codes stay 0 */
  UART_DEV(24) = 256;   /* RX buffer: size, start, write and read pointers, trigger level */
  UART_DEV(28) = UART_RX_BUF;
  UART_DEV(32) = UART_RX_BUF;
  UART_DEV(36) = UART_RX_BUF;
  UART_DEV(40) = 1;
  UART_DEV(48) = 100; /* TX buffer: size, start */
  UART_DEV(52) = UART_TX_BUF;
  /* +64, the UART ets_printf writes to: 0 (UART0). */
  _xtos_set_interrupt_handler_arg(5, (void *)0x40003BBC, (void *)(0x3FFFDE10 + 24));
  ets_isr_mask(1u << 5);
}

/*
 * UART set-up at UartDev's 115200 baud (rom-internals §4.1): for UART0 also the pins (U0TXD
 * function 0 without pull-up, GPIO2 function 4 = U0TXD_BK); for UART1 only the registers (its pin
 * set-up is not in the references).
 */
void IMPL(Uart_Init)(uint32_t uart_no) {
  uint32_t u = uart_no ? 1 : 0;
  if (!u) {
    IOMUX_U0TXD &= ~((1u << 7) | (3u << 4) | (1u << 8));
    IOMUX_GPIO2 = (IOMUX_GPIO2 & ~((3u << 4) | (1u << 8))) | (1u << 8);
  }
  UART_CLKDIV(u) = 80000000 / 115200; /* 694: the ROM assumes an 80 MHz APB */
  UART_CONF0(u) = 0x0C | (1u << 17) | (1u << 18);
  UART_CONF0(u) = 0x0C;
  UART_CONF1(u) = 1;
  UART_INT_CLR(u) = 0xFFFF;
  UART_INT_ENA(u) |= 1;
}

/* Selects the UART the ROM's character functions use (UartDev byte +64). Assumed: 0 or 1. */
void IMPL(uart_buff_switch)(uint32_t uart_no) { UART_DEV_NO = uart_no ? 1 : 0; }

/* One byte from the RX FIFO of UartDev's UART: 0 (OK) and *c, or 1 (FAIL) when it is empty. */
uint32_t IMPL(uart_rx_one_char)(uint8_t *c) {
  uint32_t uart = UART_DEV_NO;
  if ((UART_STATUS(uart) & 0xFF) == 0) return 1;
  *c = (uint8_t)UART_FIFO(uart);
  return 0;
}

/* Waits for a byte in the RX FIFO and returns it. */
uint8_t IMPL(uart_rx_one_char_block)(void) {
  uint32_t uart = UART_DEV_NO;
  while ((UART_STATUS(uart) & 0xFF) == 0) {
  }
  return (uint8_t)UART_FIFO(uart);
}

/*
 * INT 5 while the ROM's handler is attached: UART0's RX FIFO is drained into the RX ring of the
 * record `rx` (size, start, write pointer, read pointer: the SDK's RcvMsgBuff layout); a byte that
 * would make the write pointer meet the read pointer is dropped; then the UART0 interrupt causes
 * are cleared. The mask ROM's handler also feeds its download-protocol receiver, which we have
 * not written (docs/rom.md): this is the plain receiver.
 */
void IMPL(uart_rx_intr_handler)(void *rx) {
  volatile uint32_t *rec = (volatile uint32_t *)rx;
  uint32_t size = rec[0];
  uint8_t *start = (uint8_t *)rec[1];
  while (UART_STATUS(0) & 0xFF) {
    uint8_t c = (uint8_t)UART_FIFO(0);
    uint8_t *wr = (uint8_t *)rec[2];
    uint8_t *next = wr + 1 == start + size ? start : wr + 1;
    if (next == (uint8_t *)rec[3]) continue;
    *wr = c;
    rec[2] = (uint32_t)next;
  }
  UART_INT_CLR(0) = 0xFFFF;
}

/* Waits for an empty TX FIFO before every byte, like the mask ROM. */
void IMPL(uart_tx_one_char)(char c) {
  uint32_t uart = UART_DEV_NO;
  while ((UART_STATUS(uart) >> 16) & 0xFF) {
  }
  UART_FIFO(uart) = (uint8_t)c;
}

/* The UART printf sink: "\n" becomes CR LF, "\r" is dropped. */
void IMPL(ets_uart_putc1)(char c) {
  if (c == '\r') return;
  if (c == '\n') uart_tx_one_char('\r');
  uart_tx_one_char(c);
}

void IMPL(ets_putc)(char c) { uart_tx_one_char(c); }

void IMPL(ets_install_putc1)(putc_fn f) { ets_putc1 = f; }
void IMPL(ets_install_putc2)(putc_fn f) { ets_putc2 = f; }

putc_fn IMPL(ets_install_uart_printf)(void) {
  ets_putc1 = ets_uart_putc1;
  return ets_uart_putc1;
}

/* putc2's default: append to the buffer at 0x3FFFDD5C while its 16-bit length lasts. */
void IMPL(_putc2_def)(char c) {
  uint32_t left = PUTC2_BUF_LEN & 0xFFFF;
  if (!left) return;
  *PUTC2_BUF_PTR = (uint8_t)c;
  PUTC2_BUF_PTR = PUTC2_BUF_PTR + 1;
  PUTC2_BUF_LEN = left - 1;
}

/* ets_install_external_printf(putc, pre, post): putc2 = putc (or the buffer sink), and the hooks. */
void IMPL(ets_install_external_printf)(putc_fn putc, putc_fn pre, putc_fn post) {
  ets_putc2 = putc ? putc : (putc_fn)0x400024A8;
  PRINT_PRE_HOOK = pre;
  PRINT_POST_HOOK = post;
}

void IMPL(ets_write_char)(char c) {
  if (ets_putc1) ets_putc1(c);
  if (ets_putc2) ets_putc2(c);
}

/*
 * ets_vprintf per rom-internals §5.2/§5.3, quirks included. One model explains all observed
 * output: every field goes through one emitter with a text length `len` that is NOT reset for
 * `%%` and unsupported conversions. The emitter pads (width − len) and then copies with
 * `while (len-- > 0)`, so len ends at −1 after a normal field and drops by one on each stale use.
 * Characters put directly (the '%' of "%%", "%q" of an unsupported conversion) are not counted.
 */
int IMPL(ets_vprintf)(putc_fn putc, const char *fmt, va_list ap) {
  static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
  char buf[36]; /* digits least significant first, %b bits, the stale byte of %b */
  int count = 0, len = 0;
  for (uint32_t i = 0; i < sizeof buf; i++) buf[i] = 0;
  for (;;) {
    char c = *fmt++;
    if (c == 0) break;
    if (c != '%') {
      putc(c);
      count++;
      continue;
    }
    int left = 0, zero = 0, width = 0, ll = 0, neg = 0, reversed = 1;
    const char *text = buf;
    c = *fmt++;
    if (c == '-') {
      left = 1;
      c = *fmt++;
    } else if (c == '0') {
      zero = 1;
      c = *fmt++;
    }
    while (c >= '0' && c <= '9') {
      width = width * 10 + (c - '0');
      c = *fmt++;
    }
    if (c == '.') { /* precision: parsed, discarded, and it sets zero padding */
      zero = 1;
      c = *fmt++;
      while (c >= '0' && c <= '9') c = *fmt++;
    }
    if (c == 'l') {
      c = *fmt++;
      if (c == 'l') {
        ll = 1;
        c = *fmt++;
      }
    }
    switch (c) {
      case 'd':
      case 'D': {
        if (ll) {
          int64_t v = va_arg(ap, int64_t);
          uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
          neg = v < 0;
          len = 0;
          do {
            buf[len++] = lower[u % 10];
            u /= 10;
          } while (u);
        } else {
          int32_t v = va_arg(ap, int32_t);
          uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
          neg = v < 0;
          len = 0;
          do {
            buf[len++] = lower[u % 10];
            u /= 10;
          } while (u);
        }
        break;
      }
      case 'u':
      case 'U':
      case 'x':
      case 'X':
      case 'p': {
        /* "ll" consumes the 8-byte argument but prints its low word (observed). */
        uint32_t u = ll ? (uint32_t)va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
        const char *digits = c == 'X' ? upper : lower;
        len = 0;
        if (c == 'u' || c == 'U') {
          do {
            buf[len++] = digits[u % 10];
            u /= 10;
          } while (u);
        } else {
          do {
            buf[len++] = digits[u & 15];
            u >>= 4;
          } while (u);
        }
        if (c == 'p') { /* "0x" and 8 digits: the width is forced to 8 */
          putc('0');
          putc('x');
          count += 2;
          width = 8;
          if (!left) zero = 1;
        }
        break;
      }
      case 'b':
      case 'B': {
        /* Bit dump, least significant first, width − 1 bits (31 without a width), then one
           stale byte of the conversion buffer. */
        uint32_t v = va_arg(ap, uint32_t);
        int n = width ? width - 1 : 31;
        if (n > 32) n = 32;
        for (int i = 0; i < n; i++) buf[i] = (v >> (i & 31)) & 1 ? '1' : '.';
        len = n + 1;
        reversed = 0;
        break;
      }
      case 'c':
      case 'C': /* width ignored; a 0 argument is a NUL byte */
        putc((char)va_arg(ap, int));
        count++;
        len = -1;
        continue;
      case 's':
      case 'S':
        text = va_arg(ap, const char *);
        if (!text) text = (const char *)0x3FFFD870; /* "<null>" */
        len = 0;
        while (text[len]) len++;
        reversed = 0;
        break;
      default:
        /* '%%', and anything unsupported: '%' and the character, no argument, then the field
           emitter with the stale length (a NUL here is printed and parsing goes on after it). */
        putc('%');
        if (c != '%') putc(c);
        text = 0;
        break;
    }
    int pad = width - len - neg;
    char fill = zero && !left ? '0' : ' ';
    if (neg && fill == '0') putc('-');
    if (!left)
      for (; pad > 0; pad--, count++) putc(fill);
    if (neg && fill != '0') putc('-');
    count += neg;
    for (int i = 0; len-- > 0; i++, count++) putc(reversed ? text[len] : text[i]);
    for (; pad > 0; pad--, count++) putc(' ');
  }
  return count;
}

int IMPL(ets_printf)(const char *fmt, ...) {
  if (!ets_putc1 && !ets_putc2) return 0;
  if (PRINT_PRE_HOOK) PRINT_PRE_HOOK(0);
  va_list ap;
  va_start(ap, fmt);
  int n = impl_ets_vprintf((putc_fn)impl_ets_write_char, fmt, ap);
  va_end(ap);
  if (PRINT_POST_HOOK) PRINT_POST_HOOK(0);
  return n;
}

int IMPL(ets_uart_printf)(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = impl_ets_vprintf((putc_fn)impl_ets_uart_putc1, fmt, ap);
  va_end(ap);
  return n;
}

/* ets_external_printf: ets_vprintf into putc2 only, between the pre and post hooks. */
int IMPL(ets_external_printf)(const char *fmt, ...) {
  if (PRINT_PRE_HOOK) PRINT_PRE_HOOK(0);
  va_list ap;
  va_start(ap, fmt);
  int n = ets_putc2 ? impl_ets_vprintf(ets_putc2, fmt, ap) : 0;
  va_end(ap);
  if (PRINT_POST_HOOK) PRINT_POST_HOOK(0);
  return n;
}
