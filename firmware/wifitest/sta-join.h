/* A station joining the first network it finds, on the MAC registers (mac-driver.h), shared by
   the wifitest programs that go on to talk IP: it tunes the radio through the ROM's
   rom_write_rfpll_sdm with the RF PLL word libphy computes for each channel (docs/wifi-mac.md §5),
   scans channels 1-13 with wildcard probe requests, picks the first network that answers,
   authenticates (open system) and associates, and resolves an address with an ARP request sent
   as an 802.11 data frame (ToDS, LLC/SNAP). The including program defines sta_mac and sta_ip. */
#ifndef V8266_WIFITEST_STA_JOIN_H
#define V8266_WIFITEST_STA_JOIN_H
#include "mac-driver.h"

#include "rf-tune.h"

static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

/* Set once associated by a program that answers ARP: broadcast data frames are kept too. */
static volatile int keep_broadcast_data;

/* Frames addressed to this station: probe and management responses, data for us. */
static int keep_rx(const uint8_t *mpdu) {
  if (keep_broadcast_data && mpdu[0] == 0x08 && (mpdu[4] & 1)) return 1;
  for (int i = 0; i < 6; i++)
    if (mpdu[4 + i] != sta_mac[i]) return 0;
  return 1;
}

/* Waits up to `ms` for a logged frame whose frame control byte is `fc0`; returns its index. */
static int wait_frame(uint8_t fc0, uint32_t ms) {
  for (uint32_t t = 0; t < ms * 10; t++) {
    for (int i = 0; i < rx_logged; i++)
      if (rx_log[i].head[0] == fc0) return i;
    ets_delay_us(100);
  }
  return -1;
}

static void print_mac(const uint8_t *m) {
  ets_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static uint32_t put(uint32_t n, const uint8_t *bytes, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) tx_buf[n + i] = bytes[i];
  return n + len;
}

/* The network joined: its SSID (NUL-terminated) and channel. */
static uint8_t joined_ssid[33];
static int joined_channel;

/* Scan, authenticate, associate; the BSSID goes to `bssid`. 0 (said why) when it failed. */
static int join_first_network(uint8_t *bssid) {
  uint8_t *ssid = joined_ssid;
  int found = 0, ssid_len = 0;
  for (int ch = 1; ch <= 13 && !found; ch++) {
    tune(ch);
    rx_logged = 0;
    uint32_t n = header(0x40, 0, bcast, sta_mac, bcast);
    static const uint8_t probe_ies[] = {0, 0, 1, 4, 0x82, 0x84, 0x8B, 0x96};
    n = put(n, probe_ies, sizeof probe_ies);
    transmit(n, 0);
    int i = wait_frame(0x50, 20);
    if (i < 0) continue;
    const uint8_t *h = rx_log[i].head;
    copy6(bssid, h + 16);
    ssid_len = h[37] < 32 ? h[37] : 32;
    for (int k = 0; k < ssid_len; k++) ssid[k] = h[38 + k];
    ssid[ssid_len] = 0;
    ets_printf("ch %d: \"%s\" ", ch, ssid);
    print_mac(bssid);
    ets_printf(" rssi %d\n", (int)(rx_log[i].rxctl[0] & 0xFF) - 96);
    found = ch;
  }
  if (!found) {
    ets_printf("no network\n");
    return 0;
  }

  /* Open-system authentication: algorithm 0, transaction 1, status 0. */
  rx_logged = 0;
  uint32_t n = header(0xB0, 0, bssid, sta_mac, bssid);
  static const uint8_t auth[] = {0, 0, 1, 0, 0, 0};
  n = put(n, auth, sizeof auth);
  ets_printf("auth sent result=%d\n", (int)(transmit(n, 1) >> 28));
  int i = wait_frame(0xB0, 50);
  ets_printf("auth reply %s status %d\n", i < 0 ? "none" : "ok",
             i < 0 ? -1 : rx_log[i].head[28] | rx_log[i].head[29] << 8);

  /* Association: ESS capability, listen interval 10, the SSID and the 802.11b rates. */
  rx_logged = 0;
  n = header(0x00, 0, bssid, sta_mac, bssid);
  static const uint8_t cap[] = {0x01, 0x00, 10, 0};
  n = put(n, cap, sizeof cap);
  tx_buf[n++] = 0;
  tx_buf[n++] = ssid_len;
  n = put(n, ssid, ssid_len);
  static const uint8_t rates[] = {1, 4, 0x82, 0x84, 0x8B, 0x96};
  n = put(n, rates, sizeof rates);
  ets_printf("assoc sent result=%d\n", (int)(transmit(n, 1) >> 28));
  i = wait_frame(0x10, 50);
  if (i < 0) {
    ets_printf("no association response\n");
    return 0;
  }
  const uint8_t *r = rx_log[i].head;
  int status = r[26] | r[27] << 8;
  ets_printf("assoc status %d aid %d\n", status, (r[28] | r[29] << 8) & 0x3FFF);
  if (status != 0) return 0;
  /* Associated: only our BSS from now on. */
  set_filter(WIFI_BSSID0, WIFI_BSSID_MASK0, bssid, 1, 1);
  joined_channel = found;
  return 1;
}

/* ARP request for `ip`, ToDS to the AP; prints the reply and returns its frame's index (the
   sender's MAC is at rx_log[i].head + 24 + 8 + 8), or -1 (said so) without one. */
__attribute__((unused)) static int arp_resolve(const uint8_t *bssid, const uint8_t *ip) {
  rx_logged = 0;
  uint32_t n = header(0x08, 0x01, bssid, sta_mac, bcast);
  static const uint8_t llc_arp[] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x06,
                                    0, 1, 0x08, 0, 6, 4, 0, 1};
  n = put(n, llc_arp, sizeof llc_arp);
  n = put(n, sta_mac, 6);
  n = put(n, sta_ip, 4);
  static const uint8_t zero[6];
  n = put(n, zero, 6);
  n = put(n, ip, 4);
  ets_printf("arp sent result=%d\n", (int)(transmit(n, 1) >> 28));
  int i = wait_frame(0x08, 50);
  if (i < 0) {
    ets_printf("no arp reply\n");
    return -1;
  }
  const uint8_t *a = rx_log[i].head + 24 + 8;
  ets_printf("arp reply op %d: %d.%d.%d.%d is at ", a[7], a[14], a[15], a[16], a[17]);
  print_mac(a + 8);
  ets_printf(" (from ");
  print_mac(rx_log[i].head + 10);
  ets_printf(", fc %02x:%02x)\n", rx_log[i].head[0], rx_log[i].head[1]);
  return i;
}

#endif
