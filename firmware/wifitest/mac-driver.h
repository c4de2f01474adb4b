/* The Wi-Fi MAC driven the way libpp does (docs/wifi-mac.md), shared by the wifitest programs:
   INT 0 handler with the status/ack loop, the RX ring handed over through 0x3FF20008 and refilled
   like wDev_AppendRxBlocks, frames queued on a TX queue with the go bits, results from
   0x3FF20C84, and the address/BSSID filters. Each program logs the received frames it wants
   (`keep_rx`) and prints them itself. */
#ifndef V8266_WIFITEST_MAC_DRIVER_H
#define V8266_WIFITEST_MAC_DRIVER_H
#include "romtest.h"

#define WIFI_RX_CONFIG REG(0x3FF20004)
#define WIFI_RX_NEXT REG(0x3FF20008)
#define WIFI_RX_LAST REG(0x3FF20014)
#define WIFI_INT_ENABLE REG(0x3FF20C18)
#define WIFI_INT_STATUS REG(0x3FF20C20)
#define WIFI_INT_ACK REG(0x3FF20C24)
#define WIFI_TX_EVENT REG(0x3FF20C84)
#define WIFI_BSSID0 0x3FF20C28u
#define WIFI_BSSID_MASK0 0x3FF20C38u
#define WIFI_MAC0 0x3FF20C48u
#define WIFI_MAC_MASK0 0x3FF20C58u
#define TXQ(q, word) REG(0x3FF20DC0u - 0x18u * (q) + 4u * (word))

#define INT_RX 8
#define INT_TX_START 18
#define INT_TX_DONE 19
#define DESC_OWNER (1u << 31)
#define DESC_EOF (1u << 30)
#define RX_BUFS 4
#define RX_BUF_SIZE 1600
/* Bytes of each logged frame kept for printing (from the MAC header on). */
#ifndef RX_HEAD
#define RX_HEAD 96
#endif

typedef struct lldesc {
  volatile uint32_t w0;
  uint8_t *buf;
  struct lldesc *volatile next;
} lldesc_t;

static uint8_t rx_bufs[RX_BUFS][RX_BUF_SIZE + 4];
static lldesc_t rx_desc[RX_BUFS], rx_dummy;
static lldesc_t *hw_head, *hw_tail;
static int hw_count;

/* What the handler saw, printed by the main loop. */
#define LOG_FRAMES 8
static struct {
  uint32_t rxctl[3];
  uint8_t head[RX_HEAD];
  uint32_t len;
} rx_log[LOG_FRAMES];
static volatile int rx_logged, tx_starts, tx_dones;
static volatile uint32_t tx_event;

static void give_rx(lldesc_t *d) {
  d->w0 = DESC_OWNER | RX_BUF_SIZE << 12 | RX_BUF_SIZE;
  d->next = &rx_dummy;
  if (hw_count == 0) {
    hw_head = hw_tail = d;
    WIFI_RX_NEXT = (uint32_t)d; /* the ring ran dry: hand the hardware a new head */
  } else {
    hw_tail->next = d;
    hw_tail = d;
  }
  hw_count++;
}

static int keep_rx(const uint8_t *mpdu);

static void take_rx(lldesc_t *d) {
  const uint32_t *w = (const uint32_t *)d->buf;
  int n = rx_logged;
  if (n < LOG_FRAMES && keep_rx(d->buf + 12)) {
    uint32_t len = (d->w0 >> 12) & 0xFFF;
    rx_log[n].rxctl[0] = w[0];
    rx_log[n].rxctl[1] = w[1];
    rx_log[n].rxctl[2] = w[2];
    rx_log[n].len = len;
    for (int i = 0; i < RX_HEAD; i++) rx_log[n].head[i] = d->buf[12 + i];
    rx_logged = n + 1;
  }
}

static void wifi_isr(void *arg, void *frame) {
  (void)arg;
  (void)frame;
  uint32_t status;
  while ((status = WIFI_INT_STATUS) != 0) {
    uint32_t event = WIFI_TX_EVENT;
    WIFI_INT_ACK = status;
    if (status & (1u << INT_TX_START)) tx_starts++;
    if (status & (1u << INT_TX_DONE)) {
      tx_event = event;
      tx_dones++;
    }
    if (status & (1u << INT_RX)) {
      lldesc_t *last = (lldesc_t *)WIFI_RX_LAST;
      for (;;) {
        lldesc_t *d = hw_head;
        hw_head = d->next;
        hw_count--;
        take_rx(d);
        give_rx(d);
        if (d == last) break;
      }
    }
  }
}

static void set_filter(uint32_t addr, uint32_t mask_addr, const uint8_t *mac, int masked, int on) {
  REG(addr) = mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24;
  REG(addr + 4) = mac[4] | mac[5] << 8;
  REG(mask_addr) = masked ? 0xFFFFFFFFu : 0;
  REG(mask_addr + 4) = (masked ? 0xFFFFu : 0) | (on ? 1u << 16 : 0);
}

#ifndef TX_BUF_SIZE
#define TX_BUF_SIZE 256
#endif
static uint8_t tx_buf[TX_BUF_SIZE];
static lldesc_t tx_desc;

static void copy6(uint8_t *to, const uint8_t *from) {
  for (int i = 0; i < 6; i++) to[i] = from[i];
}

/* Queue `len` bytes of tx_buf on queue 0 (plus 4 for the FCS) and wait for TX done. */
static uint32_t transmit(uint32_t len, int ack) {
  int before = tx_dones;
  tx_desc.buf = tx_buf;
  tx_desc.next = 0;
  tx_desc.w0 = DESC_OWNER | DESC_EOF | (len + 4) << 12 | (len + 4);
  uint32_t w0 = ((uint32_t)&tx_desc & 0x3FFFF) | (ack ? 1u << 24 : 0);
  TXQ(0, 1) = w0;
  TXQ(0, 2) = len + 4; /* rate code 0: 1 Mb/s */
  TXQ(0, 0) = 5u << 12; /* backoff slots */
  TXQ(0, 1) = w0 | 0xC0000000u;
  while (tx_dones == before) {
  }
  return tx_event;
}

static uint32_t header(uint8_t fc0, uint8_t fc1, const uint8_t *a1, const uint8_t *a2,
                       const uint8_t *a3) {
  static uint16_t seq;
  tx_buf[0] = fc0;
  tx_buf[1] = fc1;
  tx_buf[2] = tx_buf[3] = 0;
  copy6(tx_buf + 4, a1);
  copy6(tx_buf + 10, a2);
  copy6(tx_buf + 16, a3);
  tx_buf[22] = (seq << 4) & 0xFF;
  tx_buf[23] = seq >> 4;
  seq++;
  return 24;
}

static inline void wait_ms(uint32_t ms) { ets_delay_us(ms * 1000); }

/* The peer reacts to what we print: let the line leave the UART before going on. */
static inline void flush_uart(void) {
  while ((UART0_STATUS >> 16) & 0xFF) {
  }
}

/* Sets up the RX ring, the interrupt and the station address filter (BSSID filter off). */
static void mac_start(const uint8_t *own, const uint8_t *bssid) {
  /* Nothing zeroes .bss here (no C runtime) and a chip reset keeps RAM: start the driver's state
     over, or a reset (the RST button) resumes with the last run's ring pointers and counts. */
  hw_head = hw_tail = 0;
  hw_count = 0;
  rx_logged = tx_starts = tx_dones = 0;
  tx_event = 0;
  ets_isr_attach(0, wifi_isr, 0);
  WIFI_INT_ENABLE = 0;
  WIFI_INT_ACK = 0xFFFFFFFFu;
  WIFI_INT_ENABLE = 0x2C9F0300u; /* what wDev_Initialize enables */
  ets_isr_unmask(1u << 0);

  rx_dummy.w0 = DESC_OWNER | 4;
  rx_dummy.next = 0;
  for (int i = 0; i < RX_BUFS; i++) {
    rx_desc[i].buf = rx_bufs[i];
    give_rx(&rx_desc[i]);
  }
  set_filter(WIFI_MAC0, WIFI_MAC_MASK0, own, 1, 1);
  set_filter(WIFI_BSSID0, WIFI_BSSID_MASK0, bssid, 1, 0);
  WIFI_RX_CONFIG |= 1u << 31;
}

#endif
