/* Drives the Wi-Fi MAC the way libpp does (docs/wifi-mac.md): INT 0 handler with the status/ack
   loop, the RX ring handed over through 0x3FF20008 and refilled like wDev_AppendRxBlocks, frames
   queued on a TX queue with the go bits, results from 0x3FF20C84, the address/BSSID filters, and
   sniffer mode. The scripted peer in test/board/wifi-firmware.test.ts plays an AP on channel 6;
   it tunes the radio when this program prints "tune N" (join.c tunes through the ROM's
   rom_write_rfpll_sdm instead, as libphy does). */
#include "mac-driver.h"

static const uint8_t sta_mac[6] = {0x18, 0xFE, 0x34, 0x00, 0x00, 0x01};
static const uint8_t ap_mac[6] = {0x02, 0x82, 0x66, 0x00, 0x00, 0x01};
static const uint8_t nobody[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};

/* Every frame the MAC stores is printed. */
static int keep_rx(const uint8_t *mpdu) {
  (void)mpdu;
  return 1;
}

static void print_frames(void) {
  for (int i = 0; i < rx_logged; i++) {
    const uint8_t *h = rx_log[i].head;
    uint32_t w0 = rx_log[i].rxctl[0];
    ets_printf("rx fc=%02x from %02x:%02x:%02x:%02x:%02x:%02x rssi=%d len=%d buf=%d match=%x", h[0],
               h[10], h[11], h[12], h[13], h[14], h[15], (int)(w0 & 0xFF) - 96,
               (int)((w0 >> 16) & 0xFFF), (int)rx_log[i].len, (int)(w0 >> 28));
    if (h[0] == 0x50 && h[36] == 0) { /* probe response: SSID element first */
      ets_printf(" ssid=");
      for (int k = 0; k < h[37] && 38 + k < 64; k++) ets_printf("%c", h[38 + k]);
    }
    ets_printf("\n");
  }
  rx_logged = 0;
}

ENTRY {
  romtest_start();
  mac_start(sta_mac, ap_mac); /* scanning: BSSID filter off */
  ets_printf("ready\n");

  /* Active scan: a wildcard probe request on every channel, 10 ms dwell. */
  static const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  for (int ch = 1; ch <= 13; ch++) {
    ets_printf("tune %d\n", ch);
    flush_uart();
    wait_ms(2);
    uint32_t n = header(0x40, 0, bcast, sta_mac, bcast);
    tx_buf[n++] = 0; /* SSID: wildcard */
    tx_buf[n++] = 0;
    tx_buf[n++] = 1; /* rates: 1 Mb/s */
    tx_buf[n++] = 1;
    tx_buf[n++] = 0x82;
    uint32_t ev = transmit(n, 0);
    wait_ms(10);
    ets_printf("ch %d probe q=%d result=%d starts=%d\n", ch, (int)((ev >> 12) & 15), (int)(ev >> 28),
               tx_starts);
    print_frames();
  }

  /* "Associated" with the AP on channel 6: BSSID filter on, data both ways. */
  ets_printf("tune 6\n");
  flush_uart();
  wait_ms(2);
  set_filter(WIFI_BSSID0, WIFI_BSSID_MASK0, ap_mac, 1, 1);
  uint32_t n = header(0x08, 0x01, ap_mac, sta_mac, ap_mac); /* data, ToDS */
  const char *payload = "ping ap";
  for (int i = 0; payload[i]; i++) tx_buf[n++] = payload[i];
  ets_printf("data to ap result=%d\n", (int)(transmit(n, 1) >> 28));
  wait_ms(5);
  print_frames();
  n = header(0x08, 0x01, nobody, sta_mac, nobody);
  ets_printf("data to nobody result=%d\n", (int)(transmit(n, 1) >> 28));

  /* Sniffer: what wdev_go_sniffer does to the filters (masks 0, enabled). */
  ets_printf("sniff\n");
  flush_uart();
  set_filter(WIFI_MAC0, WIFI_MAC_MASK0, sta_mac, 0, 1);
  set_filter(WIFI_BSSID0, WIFI_BSSID_MASK0, ap_mac, 0, 1);
  wait_ms(5);
  print_frames();
  set_filter(WIFI_MAC0, WIFI_MAC_MASK0, sta_mac, 1, 1);
  set_filter(WIFI_BSSID0, WIFI_BSSID_MASK0, ap_mac, 1, 1);
  ets_printf("unsniff\n");
  flush_uart();
  wait_ms(5);
  print_frames();
  romtest_end();
}
