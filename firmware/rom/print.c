/* UART output and ets_printf of the v8266 boot ROM (behaviour: docs/rom.md). */
#include "rom.h"

/* Waits for an empty TX FIFO before every byte, like the mask ROM. */
void IMPL(uart_tx_one_char)(char c) {
  uint32_t uart = *(volatile uint8_t *)(0x3FFFDE10 + 0x40); /* UartDev: UART number */
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

void IMPL(ets_write_char)(char c) {
  if (ets_putc1) ets_putc1(c);
  if (ets_putc2) ets_putc2(c);
}

static const char lower_digits[] = "0123456789abcdef";
static const char upper_digits[] = "0123456789ABCDEF";

/* Digits of v in `base`, least significant first; returns the count. */
static int to_digits(char *out, uint64_t v, unsigned base, const char *digits) {
  int n = 0;
  do {
    uint64_t q = 0, r = 0;
    /* Shift-subtract: 64-bit division without the libgcc helpers the ROM itself provides. */
    for (int bit = 63; bit >= 0; bit--) {
      r = (r << 1) | ((v >> bit) & 1);
      if (r >= base) {
        r -= base;
        q |= (uint64_t)1 << bit;
      }
    }
    out[n++] = digits[r];
    v = q;
  } while (v);
  return n;
}

int IMPL(ets_vprintf)(putc_fn putc, const char *fmt, va_list ap) {
  int count = 0;
  for (;;) {
    char c = *fmt++;
    if (c == 0) break;
    if (c != '%') {
      putc(c);
      count++;
      continue;
    }
    int left = 0, zero = 0, width = 0, ll = 0;
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
    if (c == '.') { /* precision: sets zero padding, digits are ignored */
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
    char rev[24];
    const char *text = rev;
    int len = 0, neg = 0, reversed = 1, prefix0x = 0;
    switch (c) {
      case 'd':
      case 'D': {
        int64_t v = ll ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int32_t);
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        neg = v < 0;
        len = to_digits(rev, u, 10, lower_digits);
        break;
      }
      case 'u':
      case 'U':
      case 'x':
      case 'X': {
        uint32_t v = ll ? (uint32_t)va_arg(ap, uint64_t) : va_arg(ap, uint32_t);
        unsigned base = (c == 'u' || c == 'U') ? 10 : 16;
        len = to_digits(rev, v, base, c == 'X' ? upper_digits : lower_digits);
        break;
      }
      case 'p': {
        len = to_digits(rev, va_arg(ap, uint32_t), 16, lower_digits);
        prefix0x = 1;
        if (!left) zero = 1;
        width = 8;
        break;
      }
      case 'c':
      case 'C':
        putc((char)va_arg(ap, int));
        count++;
        continue;
      case 's':
      case 'S':
        text = va_arg(ap, const char *);
        if (!text) text = "<null>";
        while (text[len]) len++;
        reversed = 0;
        break;
      case '%':
        putc('%');
        count++;
        continue;
      default:
        putc('%');
        putc(c);
        count += 2;
        if (c == 0) fmt--;
        continue;
    }
    if (prefix0x) {
      putc('0');
      putc('x');
      count += 2;
    }
    int pad = width - len - neg;
    if (neg && zero) putc('-');
    if (!left)
      for (; pad > 0; pad--, count++) putc(zero ? '0' : ' ');
    if (neg && !zero) putc('-');
    count += neg;
    for (int i = 0; i < len; i++) putc(reversed ? text[len - 1 - i] : text[i]);
    count += len;
    for (; pad > 0; pad--, count++) putc(' ');
  }
  return count;
}

int IMPL(ets_printf)(const char *fmt, ...) {
  if (!ets_putc1 && !ets_putc2) return 0;
  va_list ap;
  va_start(ap, fmt);
  int n = impl_ets_vprintf((putc_fn)impl_ets_write_char, fmt, ap);
  va_end(ap);
  return n;
}

int IMPL(ets_uart_printf)(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = impl_ets_vprintf((putc_fn)impl_ets_uart_putc1, fmt, ap);
  va_end(ap);
  return n;
}
