/* The socket examples of the RTOS SDK guide's §3.3, on raw frames (mac-driver.h, sta-join.h),
   for a PC's "network debugging tool" at the gateway 192.168.10.1 (v8266 run --tool):
     3.3.1 UDP: listen on port 1200, print the first datagram and send it back;
     3.3.2 TCP client: connect to 192.168.10.1:1001, send "ESP8266 recv test", print what comes
           back, close;
     3.3.3 TCP server: listen on port 1002, print what the first client sends, close.
   It joins the first open network, takes the fixed address 192.168.10.50 (no DHCP), learns the
   gateway's MAC by ARP and answers ARP requests for its address. Each step waits up to 120 s for
   its peer (a person at the page's console is slow). Its TCP is the least that works on a LAN
   that loses nothing: one segment at a time, no retransmission, no options.
   src/cli/cli.test.ts runs it with the tool on all three. */
#include <stdint.h>

static const uint8_t sta_mac[6] = {0x18, 0xFE, 0x34, 0x00, 0x00, 0x03};
static const uint8_t sta_ip[4] = {192, 168, 10, 50};
static const uint8_t gateway_ip[4] = {192, 168, 10, 1};

/* Room for a MAC header, LLC/SNAP, IPv4 and TCP headers and 88 bytes of data. */
#define RX_HEAD 160
#include "sta-join.h"

#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static uint8_t bssid[6], gateway_mac[6];

static void copy4(uint8_t *to, const uint8_t *from) {
  for (int i = 0; i < 4; i++) to[i] = from[i];
}

static int equal4(const uint8_t *a, const uint8_t *b) {
  return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* The Internet checksum's sum of 16-bit words (RFC 1071), continuing `sum`. */
static uint32_t sum16(const uint8_t *p, uint32_t len, uint32_t sum) {
  for (uint32_t i = 0; i + 1 < len; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
  if (len & 1) sum += (uint32_t)p[len - 1] << 8;
  return sum;
}

static uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return ~sum & 0xFFFF;
}

/* A UDP or TCP checksum: the pseudo header, then the segment. */
static uint16_t l4_checksum(const uint8_t *dst, uint8_t proto, const uint8_t *seg, uint32_t len) {
  uint32_t s = sum16(sta_ip, 4, 0);
  s = sum16(dst, 4, s) + proto + len;
  return fold(sum16(seg, len, s));
}

/* A data frame to the gateway's MAC through the AP (ToDS) with an IPv4 header for `l4_len`
   bytes of `proto` to `dst`; returns where the IP payload starts in tx_buf. */
static uint32_t ip_frame(uint8_t proto, const uint8_t *dst, uint32_t l4_len) {
  static uint16_t id;
  uint32_t n = header(0x08, 0x01, bssid, sta_mac, gateway_mac);
  static const uint8_t llc_ip[] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00};
  n = put(n, llc_ip, sizeof llc_ip);
  uint8_t *ip = tx_buf + n;
  uint32_t total = 20 + l4_len;
  ip[0] = 0x45;
  ip[1] = 0;
  ip[2] = total >> 8;
  ip[3] = total;
  ip[4] = id >> 8;
  ip[5] = id++;
  ip[6] = 0x40; /* don't fragment */
  ip[7] = 0;
  ip[8] = 64;
  ip[9] = proto;
  ip[10] = ip[11] = 0;
  copy4(ip + 12, sta_ip);
  copy4(ip + 16, dst);
  uint16_t c = fold(sum16(ip, 20, 0));
  ip[10] = c >> 8;
  ip[11] = c;
  return n + 20;
}

/* How long each step waits for the tool. */
#define PATIENCE_MS 120000

/* An ARP request for our address (data frame, LLC/SNAP, EtherType 0x0806) gets its reply. */
static void answer_arp(const uint8_t *h) {
  const uint8_t *a = h + 32;
  if (h[30] != 0x08 || h[31] != 0x06 || a[7] != 1 || !equal4(a + 24, sta_ip)) return;
  uint8_t who[6], their_ip[4];
  copy6(who, a + 8);
  copy4(their_ip, a + 14);
  uint32_t n = header(0x08, 0x01, bssid, sta_mac, who);
  static const uint8_t llc_arp_reply[] = {0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x06,
                                          0, 1, 0x08, 0, 6, 4, 0, 2};
  n = put(n, llc_arp_reply, sizeof llc_arp_reply);
  n = put(n, sta_mac, 6);
  n = put(n, sta_ip, 4);
  n = put(n, who, 6);
  n = put(n, their_ip, 4);
  transmit(n, 1);
}

/* The last IPv4 packet wait_ip found, from its IP header on. */
static uint8_t pkt[RX_HEAD];
static int seen;

/* Waits up to `ms` for an IPv4 packet of `proto` addressed to us; copies it to pkt. */
static const uint8_t *wait_ip(uint8_t proto, uint32_t ms) {
  for (uint32_t t = 0; t < ms * 10; t++) {
    while (seen < rx_logged) {
      const uint8_t *h = rx_log[seen++].head;
      if (h[0] != 0x08) continue;
      answer_arp(h);
      /* Data (FromDS), LLC/SNAP with the IPv4 EtherType. */
      if (h[30] != 0x08 || h[31] != 0x00) continue;
      const uint8_t *ip = h + 32;
      if (ip[9] != proto || !equal4(ip + 16, sta_ip)) continue;
      uint32_t total = ip[2] << 8 | ip[3];
      if (total > RX_HEAD - 32) total = RX_HEAD - 32;
      for (uint32_t i = 0; i < total; i++) pkt[i] = ip[i];
      return pkt;
    }
    /* Everything logged is read: the log starts over (the handler appends while we look). */
    ets_intr_lock();
    if (seen == rx_logged) rx_logged = seen = 0;
    ets_intr_unlock();
    ets_delay_us(100);
  }
  return 0;
}

/* Prints bytes as text, \r and \n escaped so that one line stays one line. */
static void print_text(const uint8_t *p, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) {
    if (p[i] == '\r') ets_printf("\\r");
    else if (p[i] == '\n') ets_printf("\\n");
    else ets_printf("%c", p[i]);
  }
  ets_printf("\n");
}

/* 3.3.1: the first datagram to port 1200 is printed and sent back to where it came from. */
static void udp_echo(void) {
  ets_printf("udp: listening on 1200\n");
  flush_uart();
  const uint8_t *p = wait_ip(PROTO_UDP, PATIENCE_MS);
  if (!p) {
    ets_printf("udp: nothing came\n");
    return;
  }
  const uint8_t *u = p + 20;
  uint32_t ulen = u[4] << 8 | u[5];
  ets_printf("udp: recv %d bytes from %d.%d.%d.%d:%d: ", (int)ulen - 8, p[12], p[13], p[14], p[15],
             u[0] << 8 | u[1]);
  print_text(u + 8, ulen - 8);
  uint8_t from[4];
  copy4(from, p + 12);
  uint32_t n = ip_frame(PROTO_UDP, from, ulen);
  uint8_t *out = tx_buf + n;
  out[0] = u[2]; /* our port 1200 → their port */
  out[1] = u[3];
  out[2] = u[0];
  out[3] = u[1];
  out[4] = ulen >> 8;
  out[5] = ulen;
  out[6] = out[7] = 0;
  for (uint32_t i = 8; i < ulen; i++) out[i] = u[i];
  uint16_t c = l4_checksum(from, PROTO_UDP, out, ulen);
  if (c == 0) c = 0xFFFF;
  out[6] = c >> 8;
  out[7] = c;
  transmit(n + ulen, 1);
  ets_printf("udp: sent it back\n");
}

/* One TCP connection: ports, the peer, and the next sequence numbers both ways. */
static struct {
  uint16_t local, remote;
  uint8_t peer[4];
  uint32_t snd_nxt, rcv_nxt;
} tcb;

static void tcp_send(uint8_t flags, const uint8_t *data, uint32_t len) {
  uint32_t n = ip_frame(PROTO_TCP, tcb.peer, 20 + len);
  uint8_t *t = tx_buf + n;
  t[0] = tcb.local >> 8;
  t[1] = tcb.local;
  t[2] = tcb.remote >> 8;
  t[3] = tcb.remote;
  put32(t + 4, tcb.snd_nxt);
  put32(t + 8, flags & TCP_ACK ? tcb.rcv_nxt : 0);
  t[12] = 5 << 4; /* 20-byte header, no options */
  t[13] = flags;
  t[14] = 0x08; /* window 2048 */
  t[15] = 0;
  t[16] = t[17] = t[18] = t[19] = 0;
  for (uint32_t i = 0; i < len; i++) t[20 + i] = data[i];
  uint16_t c = l4_checksum(tcb.peer, PROTO_TCP, t, 20 + len);
  t[16] = c >> 8;
  t[17] = c;
  transmit(n + 20 + len, 1);
  tcb.snd_nxt += len + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0);
}

/* A received segment of our connection (any remote port while it is 0: listening). */
static struct {
  uint8_t flags;
  uint32_t seq;
  const uint8_t *data;
  uint32_t len;
} seg;

static int wait_segment(uint32_t ms) {
  for (;;) {
    const uint8_t *p = wait_ip(PROTO_TCP, ms);
    if (!p) return 0;
    const uint8_t *t = p + 20;
    uint32_t hlen = (t[12] >> 4) * 4;
    if ((t[2] << 8 | t[3]) != tcb.local) continue;
    if (tcb.remote && ((t[0] << 8 | t[1]) != tcb.remote || !equal4(p + 12, tcb.peer))) continue;
    if (!tcb.remote) {
      tcb.remote = t[0] << 8 | t[1];
      copy4(tcb.peer, p + 12);
    }
    seg.flags = t[13];
    seg.seq = get32(t + 4);
    seg.data = t + hlen;
    seg.len = (p[2] << 8 | p[3]) - 20 - hlen;
    return 1;
  }
}

/* Both sides send FIN: we send ours after the data, and acknowledge the peer's. */
static void tcp_close(const char *who) {
  tcp_send(TCP_FIN | TCP_ACK, 0, 0);
  while (wait_segment(PATIENCE_MS)) {
    if (seg.flags & TCP_FIN) {
      tcb.rcv_nxt = seg.seq + seg.len + 1;
      tcp_send(TCP_ACK, 0, 0);
      ets_printf("%s: closed\n", who);
      return;
    }
  }
  ets_printf("%s: no FIN from the peer\n", who);
}

/* 3.3.2: connect to the tool's server, send, print the answer, close. */
static void tcp_client(void) {
  static const uint8_t hello[] = "ESP8266 recv test";
  tcb.local = 4000;
  tcb.remote = 1001;
  copy4(tcb.peer, gateway_ip);
  tcb.snd_nxt = 1000;
  tcb.rcv_nxt = 0;
  ets_printf("tcp client: connecting to 192.168.10.1:1001\n");
  tcp_send(TCP_SYN, 0, 0);
  if (!wait_segment(PATIENCE_MS) || seg.flags != (TCP_SYN | TCP_ACK)) {
    ets_printf("tcp client: connect fail (flags %02x)\n", seg.flags);
    return;
  }
  tcb.rcv_nxt = seg.seq + 1;
  tcp_send(TCP_ACK, 0, 0);
  ets_printf("tcp client: connect ok\n");
  tcp_send(TCP_PSH | TCP_ACK, hello, sizeof hello - 1);
  ets_printf("tcp client: send success\n");
  while (wait_segment(PATIENCE_MS)) {
    if (seg.len == 0) continue; /* the ACK of our data */
    tcb.rcv_nxt = seg.seq + seg.len;
    tcp_send(TCP_ACK, 0, 0);
    ets_printf("tcp client: recv data %d bytes: ", (int)seg.len);
    print_text(seg.data, seg.len);
    tcp_close("tcp client");
    return;
  }
  ets_printf("tcp client: nothing came back\n");
}

/* 3.3.3: accept one client, print what it sends first, close. */
static void tcp_server(void) {
  tcb.local = 1002;
  tcb.remote = 0;
  tcb.snd_nxt = 5000;
  ets_printf("tcp server: listening on 1002\n");
  flush_uart();
  if (!wait_segment(PATIENCE_MS) || !(seg.flags & TCP_SYN)) {
    ets_printf("tcp server: no client\n");
    return;
  }
  tcb.rcv_nxt = seg.seq + 1;
  tcp_send(TCP_SYN | TCP_ACK, 0, 0);
  if (!wait_segment(PATIENCE_MS) || !(seg.flags & TCP_ACK)) {
    ets_printf("tcp server: handshake fail\n");
    return;
  }
  ets_printf("tcp server: client from %d.%d.%d.%d %d\n", tcb.peer[0], tcb.peer[1], tcb.peer[2],
             tcb.peer[3], tcb.remote);
  for (;;) {
    if (seg.len > 0) {
      tcb.rcv_nxt = seg.seq + seg.len;
      tcp_send(TCP_ACK, 0, 0);
      ets_printf("tcp server: read data %d: ", (int)seg.len);
      print_text(seg.data, seg.len);
      tcp_close("tcp server");
      return;
    }
    if (!wait_segment(PATIENCE_MS)) break;
  }
  ets_printf("tcp server: nothing came\n");
}

ENTRY {
  romtest_start();
  mac_start(sta_mac, bcast);
  ets_printf("ready\n");
  if (!join_first_network(bssid)) romtest_end();
  int i = arp_resolve(bssid, gateway_ip);
  if (i < 0) romtest_end();
  copy6(gateway_mac, rx_log[i].head + 24 + 8 + 8);
  keep_broadcast_data = 1;
  rx_logged = seen = 0;
  udp_echo();
  tcp_client();
  tcp_server();
  romtest_end();
}
