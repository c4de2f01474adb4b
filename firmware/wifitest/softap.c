/* An access point on the MAC registers (mac-driver.h), as the SDK's SoftAP is one: it tunes to
   channel 6, sends a beacon every 100 TU for the open network "v8266-softap", answers probe
   requests (wildcard or for its SSID) with probe responses, open-system authentication requests
   and association requests (AID 1, 2, … by station), and as the host 192.168.4.1 behind its own
   BSS serves DHCP (RFC 2131's DISCOVER → OFFER, REQUEST → ACK: station n gets 192.168.4.(99+n),
   router and DNS 192.168.4.1, mask /24, 2 h, as the SDK's SoftAP leases from .100) and answers
   ARP requests and ICMP echo requests for its address. test/board/wifi-softap.test.ts joins it
   with virtual stations (src/net/wifi/station.ts, src/net/virtual-client.ts) that take a lease
   and ping it. It prints one line per event and runs until the board stops. */
#include <stdint.h>

#define RX_HEAD 400
#define TX_BUF_SIZE 400
#include "mac-driver.h"
#include "rf-tune.h"

static const uint8_t ap_mac[6] = {0x1A, 0xFE, 0x34, 0x00, 0x00, 0x0A};
static const uint8_t ap_ip[4] = {192, 168, 4, 1};
static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static const char ssid[] = "v8266-softap";
#define SSID_LEN (sizeof ssid - 1)
#define CHANNEL 6
#define BEACON_INTERVAL_TU 100
#define MAX_STATIONS 4

static uint8_t stations[MAX_STATIONS][6];
static int station_count;

/* Probe requests (any address) and every frame addressed to us. */
static int keep_rx(const uint8_t *mpdu) {
  if (mpdu[0] == 0x40) return 1;
  for (int i = 0; i < 6; i++)
    if (mpdu[4 + i] != ap_mac[i]) return 0;
  return 1;
}

static int same(const uint8_t *a, const uint8_t *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

static void print_mac(const uint8_t *m) {
  ets_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static uint32_t put(uint32_t n, const uint8_t *bytes, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) tx_buf[n + i] = bytes[i];
  return n + len;
}

/* The body a beacon and a probe response share: timestamp, interval, capability (ESS), SSID,
   the 802.11b rates (1 and 2 basic) and the DS parameter set. */
static uint32_t bss_body(uint32_t n, uint32_t tsf_us) {
  for (int i = 0; i < 8; i++) tx_buf[n + i] = i < 4 ? (uint8_t)(tsf_us >> (8 * i)) : 0;
  n += 8;
  tx_buf[n++] = BEACON_INTERVAL_TU;
  tx_buf[n++] = 0;
  tx_buf[n++] = 0x01;
  tx_buf[n++] = 0x00;
  tx_buf[n++] = 0;
  tx_buf[n++] = SSID_LEN;
  n = put(n, (const uint8_t *)ssid, SSID_LEN);
  static const uint8_t rates_ds[] = {1, 4, 0x82, 0x84, 0x0B, 0x16, 3, 1, CHANNEL};
  return put(n, rates_ds, sizeof rates_ds);
}

static uint32_t now_us;

static void send_beacon(void) {
  uint32_t n = header(0x80, 0, bcast, ap_mac, ap_mac);
  n = bss_body(n, now_us);
  transmit(n, 0);
}

static int station_aid(const uint8_t *mac) {
  for (int i = 0; i < station_count; i++)
    if (same(stations[i], mac, 6)) return i + 1;
  return 0;
}

/* One's-complement sum of 16-bit big-endian words (RFC 1071). */
static uint16_t checksum(const uint8_t *p, uint32_t len) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i + 1 < len; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
  if (len & 1) sum += (uint32_t)p[len - 1] << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return (uint16_t)~sum;
}

/* IPv4 + UDP headers at tx_buf[n] for `payload` bytes from ap_ip:67 to 255.255.255.255:68 (UDP
   checksum 0: none, which IPv4 allows). Returns where the payload goes. */
static uint32_t udp_broadcast_header(uint32_t n, uint32_t payload) {
  uint8_t *ip = tx_buf + n;
  uint32_t total = 20 + 8 + payload;
  static const uint8_t fixed[] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17};
  put(n, fixed, sizeof fixed);
  ip[2] = total >> 8;
  ip[3] = total & 0xFF;
  ip[10] = ip[11] = 0;
  put(n + 12, ap_ip, 4);
  put(n + 16, bcast, 4);
  uint16_t c = checksum(ip, 20);
  ip[10] = c >> 8;
  ip[11] = c & 0xFF;
  uint8_t *udp = ip + 20;
  udp[0] = 0;
  udp[1] = 67;
  udp[2] = 0;
  udp[3] = 68;
  udp[4] = (8 + payload) >> 8;
  udp[5] = (8 + payload) & 0xFF;
  udp[6] = udp[7] = 0;
  return n + 28;
}

/* A BOOTREQUEST from station `aid`: DISCOVER gets an OFFER, REQUEST an ACK, of 192.168.4.(99+aid),
   broadcast (the client has no address yet). */
static void on_dhcp(const uint8_t *bootp, uint32_t len, int aid) {
  if (len < 244 || bootp[0] != 1 || bootp[236] != 99 || bootp[237] != 130 || bootp[238] != 83 ||
      bootp[239] != 99)
    return;
  int type = 0;
  for (uint32_t o = 240; o + 1 < len && bootp[o] != 255;) {
    if (bootp[o] == 0) {
      o++;
      continue;
    }
    if (bootp[o] == 53) type = bootp[o + 2];
    o += 2 + bootp[o + 1];
  }
  if (type != 1 && type != 3) return;
  uint8_t yiaddr[4] = {192, 168, 4, (uint8_t)(99 + aid)};
  static const uint32_t dhcp_len = 240 + 3 + 6 + 6 + 6 + 6 + 6 + 1;
  uint32_t n = header(0x08, 0x02, bcast, ap_mac, ap_mac);
  static const uint8_t llc_ip[] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00};
  n = put(n, llc_ip, sizeof llc_ip);
  n = udp_broadcast_header(n, dhcp_len);
  uint8_t *m = tx_buf + n;
  for (uint32_t i = 0; i < dhcp_len; i++) m[i] = 0;
  m[0] = 2; /* BOOTREPLY */
  m[1] = 1;
  m[2] = 6;
  put(n + 4, bootp + 4, 4);   /* xid */
  put(n + 10, bootp + 10, 2); /* flags */
  put(n + 16, yiaddr, 4);
  put(n + 20, ap_ip, 4);      /* siaddr */
  put(n + 28, bootp + 28, 16); /* chaddr */
  uint32_t o = n + 236;
  const uint8_t options[] = {99, 130, 83, 99, 53, 1, type == 1 ? 2 : 5, 54, 4, 192, 168, 4, 1,
                             51, 4, 0, 0, 0x1C, 0x20, 1, 4, 255, 255, 255, 0,
                             3, 4, 192, 168, 4, 1, 6, 4, 192, 168, 4, 1, 255};
  o = put(o, options, sizeof options);
  ets_printf("dhcp %s 192.168.4.%d to ", type == 1 ? "offer" : "ack", yiaddr[3]);
  print_mac(bootp + 28);
  ets_printf("\n");
  transmit(o, 0);
}

/* A data frame from a station (ToDS): ARP for our address, or an ICMP echo request to it. */
static void on_data(const uint8_t *f, uint32_t len) {
  const uint8_t *sta = f + 10;
  int aid = station_aid(sta);
  if (!aid) return;
  uint32_t hdr = f[0] == 0x88 ? 26 : 24;
  const uint8_t *llc = f + hdr;
  if (len < hdr + 8 || llc[0] != 0xAA || llc[1] != 0xAA) return;
  const uint8_t *p = llc + 8;
  uint16_t type = llc[6] << 8 | llc[7];
  if (type == 0x0806 && p[7] == 1 && same(p + 24, ap_ip, 4)) {
    ets_printf("arp who-has %d.%d.%d.%d from %d.%d.%d.%d\n", p[24], p[25], p[26], p[27], p[14],
               p[15], p[16], p[17]);
    uint32_t n = header(0x08, 0x02, sta, ap_mac, ap_mac);
    static const uint8_t llc_arp_reply[] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x06,
                                            0, 1, 0x08, 0, 6, 4, 0, 2};
    n = put(n, llc_arp_reply, sizeof llc_arp_reply);
    n = put(n, ap_mac, 6);
    n = put(n, ap_ip, 4);
    n = put(n, p + 8, 10); /* the asker's MAC and IP */
    transmit(n, 1);
    return;
  }
  if (type != 0x0800 || (p[0] >> 4) != 4) return;
  uint32_t ihl = (p[0] & 15) * 4, total = p[2] << 8 | p[3];
  if (p[9] == 17 && p[ihl + 2] == 0 && p[ihl + 3] == 67) {
    uint32_t kept = RX_HEAD - hdr - 8 - ihl - 8;
    uint32_t bootp_len = total - ihl - 8;
    on_dhcp(p + ihl + 8, bootp_len < kept ? bootp_len : kept, aid);
    return;
  }
  if (p[9] != 1) return;
  if (!same(p + 16, ap_ip, 4) || p[ihl] != 8) return;
  /* Only what the RX log kept (RX_HEAD bytes of the frame) can be echoed. */
  if (hdr + 8 + total > len || hdr + 8 + total > RX_HEAD) return;
  uint32_t n = header(0x08, 0x02, sta, ap_mac, ap_mac);
  n = put(n, llc, 8);
  uint8_t *ip = tx_buf + n;
  n = put(n, p, total);
  for (int i = 0; i < 4; i++) {
    ip[12 + i] = ap_ip[i];
    ip[16 + i] = p[12 + i];
  }
  ip[8] = 64;
  ip[10] = ip[11] = 0;
  uint16_t c = checksum(ip, ihl);
  ip[10] = c >> 8;
  ip[11] = c & 0xFF;
  uint8_t *icmp = ip + ihl;
  icmp[0] = 0; /* echo reply */
  icmp[2] = icmp[3] = 0;
  c = checksum(icmp, total - ihl);
  icmp[2] = c >> 8;
  icmp[3] = c & 0xFF;
  ets_printf("icmp echo from %d.%d.%d.%d id %d seq %d, %d bytes\n", p[12], p[13], p[14], p[15],
             icmp[4] << 8 | icmp[5], icmp[6] << 8 | icmp[7], (int)(total - ihl - 8));
  transmit(n, 1);
}

static void on_frame(const uint8_t *f, uint32_t len) {
  const uint8_t *sta = f + 10;
  switch (f[0]) {
  case 0x40: { /* probe request: wildcard SSID, or ours */
    uint32_t l = f[25];
    if (f[24] != 0 || (l != 0 && (l != SSID_LEN || !same(f + 26, (const uint8_t *)ssid, l))))
      return;
    uint32_t n = header(0x50, 0, sta, ap_mac, ap_mac);
    n = bss_body(n, now_us);
    transmit(n, 1);
    return;
  }
  case 0xB0: { /* authentication: open system, transaction 1 */
    int algorithm = f[24] | f[25] << 8, seq = f[26] | f[27] << 8;
    if (seq != 1) return;
    uint32_t n = header(0xB0, 0, sta, ap_mac, ap_mac);
    uint8_t body[6] = {0, 0, 2, 0, algorithm == 0 ? 0 : 13, 0};
    n = put(n, body, sizeof body);
    ets_printf("auth from ");
    print_mac(sta);
    ets_printf(" status %d\n", body[4]);
    transmit(n, 1);
    return;
  }
  case 0x00: { /* association request */
    int aid = station_aid(sta);
    if (!aid && station_count < MAX_STATIONS) {
      copy6(stations[station_count], sta);
      aid = ++station_count;
    }
    uint32_t n = header(0x10, 0, sta, ap_mac, ap_mac);
    uint8_t body[6] = {0x01, 0x00, aid ? 0 : 17, 0, (uint8_t)aid, aid ? 0xC0 : 0};
    n = put(n, body, sizeof body);
    static const uint8_t rates[] = {1, 4, 0x82, 0x84, 0x0B, 0x16};
    n = put(n, rates, sizeof rates);
    ets_printf("assoc from ");
    print_mac(sta);
    ets_printf(" aid %d\n", aid);
    transmit(n, 1);
    return;
  }
  case 0xC0: /* deauthentication */
  case 0xA0: /* disassociation */
    ets_printf("station ");
    print_mac(sta);
    ets_printf(" left, reason %d\n", f[24] | f[25] << 8);
    return;
  case 0x08:
  case 0x88:
    if ((f[1] & 3) == 1) on_data(f, len);
    return;
  }
}

ENTRY {
  romtest_start();
  station_count = 0;
  now_us = 0;
  mac_start(ap_mac, ap_mac);
  tune(CHANNEL);
  ets_printf("softap \"%s\" ", ssid);
  print_mac(ap_mac);
  ets_printf(" channel %d\n", CHANNEL);
  static uint8_t frame[RX_HEAD];
  for (;;) {
    send_beacon();
    /* Until the next target beacon time, answer what arrives (100 µs polls). */
    for (uint32_t t = 0; t < BEACON_INTERVAL_TU * 1024u; t += 100) {
      while (rx_logged > 0) {
        ets_intr_lock();
        uint32_t len = rx_log[0].len;
        for (int i = 0; i < RX_HEAD; i++) frame[i] = rx_log[0].head[i];
        for (int k = 1; k < rx_logged; k++) rx_log[k - 1] = rx_log[k];
        rx_logged--;
        ets_intr_unlock();
        on_frame(frame, len);
      }
      ets_delay_us(100);
    }
    now_us += BEACON_INTERVAL_TU * 1024u;
  }
}
