/* A station as the SDK's libraries make one, on the MAC registers (mac-driver.h, sta-join.h):
   it scans channels 1-13 tuning the radio as libphy does, joins the first network that answers
   (open system authentication, association), then resolves the gateway 192.168.10.1 with an ARP
   request and prints the reply. test/board/wifi-join.test.ts runs it against a virtual network
   (src/net): open access points whose LAN .1 host answers ARP. */
#include <stdint.h>

static const uint8_t sta_mac[6] = {0x18, 0xFE, 0x34, 0x00, 0x00, 0x02};
static const uint8_t sta_ip[4] = {192, 168, 10, 50};
static const uint8_t gateway_ip[4] = {192, 168, 10, 1};

#include "sta-join.h"

ENTRY {
  romtest_start();
  mac_start(sta_mac, bcast);
  ets_printf("ready\n");
  static uint8_t bssid[6];
  if (join_first_network(bssid)) arp_resolve(bssid, gateway_ip);
  romtest_end();
}
