/* A web server on the board, with no IP stack but its own few lines: it joins the first open
   network that answers its probes (sta-join.h), takes the static address 192.168.10.50,
   answers ARP for it, and serves HTTP/1.0-style exchanges (one request per connection, then
   Connection: close and FIN) over a minimal TCP: SYN → SYN-ACK, data acknowledged in order,
   anything out of order acknowledged with what it has, FIN answered. No retransmission of its
   own: on the virtual air nothing is lost, and a peer that retransmits gets the same answers.

   Pages: GET / → a form posting "name" to /save; POST /save → 303 See Other to /saved (the body
   is kept); GET /saved → the kept body; anything else → 404. Each request is printed as
   "http: METHOD TARGET from A.B.C.D" (and "saved: BODY"). test/board/wifi-httpd.test.ts and
   e2e/web-bridge.spec.ts fetch these pages through the page's web bridge (src/net/http/). */
#define RX_HEAD 1024
#define TX_BUF_SIZE 1200
#include <stdint.h>

static const uint8_t sta_mac[6] = {0x18, 0xFE, 0x34, 0x00, 0x00, 0x03};
static const uint8_t sta_ip[4] = {192, 168, 10, 50};
#include "sta-join.h"

static uint8_t bssid[6];

static uint32_t strlen_(const char *s) {
  uint32_t n = 0;
  while (s[n]) n++;
  return n;
}

static int starts(const uint8_t *b, uint32_t len, const char *prefix) {
  for (uint32_t i = 0; prefix[i]; i++)
    if (i >= len || b[i] != (uint8_t)prefix[i]) return 0;
  return 1;
}

static uint32_t be16(const uint8_t *b) { return (uint32_t)b[0] << 8 | b[1]; }
static uint32_t be32(const uint8_t *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static void put16(uint8_t *b, uint32_t v) {
  b[0] = v >> 8;
  b[1] = v;
}
static void put32(uint8_t *b, uint32_t v) {
  b[0] = v >> 24;
  b[1] = v >> 16;
  b[2] = v >> 8;
  b[3] = v;
}

static uint32_t sum16(const uint8_t *b, uint32_t len, uint32_t sum) {
  for (uint32_t i = 0; i + 1 < len; i += 2) sum += be16(b + i);
  if (len & 1) sum += (uint32_t)b[len - 1] << 8;
  return sum;
}
static uint32_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return ~sum & 0xFFFF;
}

/* 802.11 data frame to the AP (ToDS) for `dst`, with LLC/SNAP for `ethertype`; returns the
   offset of the payload. */
static uint32_t data_header(const uint8_t *dst, uint32_t ethertype) {
  uint32_t n = header(0x08, 0x01, bssid, sta_mac, dst);
  static const uint8_t llc[] = {0xAA, 0xAA, 0x03, 0, 0, 0};
  n = put(n, llc, sizeof llc);
  tx_buf[n++] = ethertype >> 8;
  tx_buf[n++] = ethertype;
  return n;
}

/* The one connection served at a time. */
static struct {
  int open;
  uint8_t mac[6], ip[4];
  uint32_t port, snd_nxt, rcv_nxt;
  uint32_t got;
  int answered;
} c;
static uint8_t request[640];
static uint8_t saved[128];
static uint32_t saved_len;
static uint32_t iss = 0x8266000;

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static void send_tcp(uint32_t flags, const uint8_t *data, uint32_t len) {
  uint32_t n = data_header(c.mac, 0x0800);
  uint8_t *ip = tx_buf + n, *tcp = ip + 20;
  static uint32_t ip_id;
  uint32_t total = 20 + 20 + len;
  ip[0] = 0x45;
  ip[1] = 0;
  put16(ip + 2, total);
  put16(ip + 4, ip_id++);
  put16(ip + 6, 0x4000); /* DF */
  ip[8] = 64;
  ip[9] = 6;
  put16(ip + 10, 0);
  for (int i = 0; i < 4; i++) ip[12 + i] = sta_ip[i], ip[16 + i] = c.ip[i];
  put16(ip + 10, fold(sum16(ip, 20, 0)));
  put16(tcp, 80);
  put16(tcp + 2, c.port);
  put32(tcp + 4, c.snd_nxt);
  put32(tcp + 8, c.rcv_nxt);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  put16(tcp + 14, 4096);
  put16(tcp + 16, 0);
  put16(tcp + 18, 0);
  for (uint32_t i = 0; i < len; i++) tcp[20 + i] = data[i];
  uint32_t pseudo = sum16(ip + 12, 8, 0) + 6 + 20 + len;
  put16(tcp + 16, fold(sum16(tcp, 20 + len, pseudo)));
  c.snd_nxt += len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
  transmit(n + total, 1);
}

static char page[900];
static uint32_t page_len;
static void add(const char *s) {
  while (*s && page_len < sizeof page) page[page_len++] = *s++;
}
static void add_n(const uint8_t *s, uint32_t n) {
  for (uint32_t i = 0; i < n && page_len < sizeof page; i++) {
    char ch = s[i];
    /* Kept text goes into HTML: no markup from the form. */
    page[page_len++] = ch == '<' || ch == '>' || ch == '&' ? '_' : ch;
  }
}
static void add_u(uint32_t v) {
  char d[10];
  int k = 0;
  do d[k++] = '0' + v % 10;
  while ((v /= 10) && k < 10);
  while (k) page[page_len++] = d[--k];
}

/* One response: status line, headers, body; then FIN. */
static void respond(const char *status, const char *location, const char *body, const uint8_t *extra,
                    uint32_t extra_len) {
  page_len = 0;
  add("HTTP/1.1 ");
  add(status);
  add("\r\nServer: v8266-httpd\r\nConnection: close\r\nContent-Type: text/html\r\n");
  if (location) {
    add("Location: ");
    add(location);
    add("\r\n");
  }
  add("Content-Length: ");
  add_u(strlen_(body) + extra_len);
  add("\r\n\r\n");
  add(body);
  add_n(extra, extra_len);
  send_tcp(TCP_ACK | TCP_PSH | TCP_FIN, (const uint8_t *)page, page_len);
}

static uint32_t header_end(void) {
  for (uint32_t i = 0; i + 3 < c.got; i++)
    if (request[i] == '\r' && request[i + 1] == '\n' && request[i + 2] == '\r' &&
        request[i + 3] == '\n')
      return i + 4;
  return 0;
}

static uint32_t content_length(uint32_t head) {
  for (uint32_t i = 0; i + 16 < head; i++) {
    if (request[i] != '\n') continue;
    const char *name = "content-length:";
    int match = 1;
    for (int k = 0; name[k] && match; k++) {
      uint8_t ch = request[i + 1 + k];
      if (ch >= 'A' && ch <= 'Z') ch += 32;
      match = ch == (uint8_t)name[k];
    }
    if (!match) continue;
    uint32_t v = 0, j = i + 16;
    while (request[j] == ' ') j++;
    while (request[j] >= '0' && request[j] <= '9') v = v * 10 + (request[j++] - '0');
    return v;
  }
  return 0;
}

static void serve(void) {
  uint32_t head = header_end();
  if (!head) return;
  uint32_t body_len = content_length(head);
  if (c.got < head + body_len) return;
  c.answered = 1;
  uint32_t line = 0;
  while (line < head && request[line] != '\r') line++;
  request[line] = 0;
  ets_printf("http: %s from %d.%d.%d.%d\n", (char *)request, c.ip[0], c.ip[1], c.ip[2], c.ip[3]);
  flush_uart();
  if (starts(request, line, "GET / ")) {
    respond("200 OK", 0,
            "<!doctype html><title>v8266 httpd</title><h1>ESP8266 web server</h1>"
            "<form method=\"post\" action=\"/save\"><input name=\"name\" value=\"esp\">"
            "<button>save</button></form>\n",
            0, 0);
  } else if (starts(request, line, "POST /save ")) {
    saved_len = body_len < sizeof saved ? body_len : sizeof saved;
    for (uint32_t i = 0; i < saved_len; i++) saved[i] = request[head + i];
    ets_printf("saved: %d bytes\n", (int)saved_len);
    respond("303 See Other", "/saved", "<p>saved</p>\n", 0, 0);
  } else if (starts(request, line, "GET /saved ")) {
    respond("200 OK", 0, "<!doctype html><title>saved</title><h1>Saved</h1><p id=\"saved\">", saved,
            saved_len);
  } else {
    respond("404 Not Found", 0, "<p>not found</p>\n", 0, 0);
  }
}

static void on_tcp(const uint8_t *src_mac, const uint8_t *ip, const uint8_t *tcp, uint32_t len) {
  uint32_t sport = be16(tcp), dport = be16(tcp + 2);
  uint32_t seq = be32(tcp + 4), flags = tcp[13];
  uint32_t off = (tcp[12] >> 4) * 4;
  const uint8_t *data = tcp + off;
  uint32_t dlen = len > off ? len - off : 0;
  if (dport != 80 || (flags & TCP_RST)) {
    if (flags & TCP_RST) c.open = 0;
    return;
  }
  int same = c.open && c.port == sport && be32(c.ip) == be32(ip + 12);
  if (flags & TCP_SYN) {
    if (!same || seq + 1 != c.rcv_nxt) {
      /* A new connection replaces the old one. */
      copy6(c.mac, src_mac);
      for (int i = 0; i < 4; i++) c.ip[i] = ip[12 + i];
      c.port = sport;
      c.rcv_nxt = seq + 1;
      c.got = 0;
      c.answered = 0;
      c.open = 1;
      iss += 64000;
    }
    c.snd_nxt = iss; /* a repeated SYN gets the same SYN-ACK */
    send_tcp(TCP_SYN | TCP_ACK, 0, 0);
    return;
  }
  if (!same) return;
  if (dlen && seq == c.rcv_nxt && !c.answered) {
    for (uint32_t i = 0; i < dlen && c.got < sizeof request; i++) request[c.got++] = data[i];
    c.rcv_nxt += dlen;
    serve();
    if (c.answered) {
      if (flags & TCP_FIN) c.rcv_nxt++, send_tcp(TCP_ACK, 0, 0);
      return;
    }
  } else if (dlen && seq == c.rcv_nxt) {
    c.rcv_nxt += dlen; /* after the answer: read and dropped */
  }
  if ((flags & TCP_FIN) && seq + dlen == c.rcv_nxt) {
    c.rcv_nxt++;
    send_tcp(TCP_ACK, 0, 0);
    if (c.answered) c.open = 0;
    return;
  }
  if (dlen) send_tcp(TCP_ACK, 0, 0);
}

static void on_frame(const uint8_t *h, uint32_t len) {
  if ((h[0] & 0x0C) != 0x08 || (h[1] & 0x03) != 0x02 || len < 32) return; /* data, FromDS */
  const uint8_t *sa = h + 16;
  const uint8_t *llc = h + 24;
  uint32_t type = be16(llc + 6);
  const uint8_t *p = llc + 8;
  uint32_t plen = len - 32;
  if (type == 0x0806 && plen >= 28 && be16(p + 6) == 1 && be32(p + 24) == be32(sta_ip)) {
    uint32_t n = data_header(p + 8, 0x0806);
    static const uint8_t reply[] = {0, 1, 0x08, 0, 6, 4, 0, 2};
    n = put(n, reply, sizeof reply);
    n = put(n, sta_mac, 6);
    n = put(n, sta_ip, 4);
    n = put(n, p + 8, 10);
    transmit(n, 1);
  } else if (type == 0x0800 && plen >= 40 && p[9] == 6 && be32(p + 16) == be32(sta_ip)) {
    uint32_t ihl = (p[0] & 15) * 4, total = be16(p + 2);
    if (total > plen) return;
    on_tcp(sa, p, p + ihl, total - ihl);
  }
}

ENTRY {
  romtest_start();
  mac_start(sta_mac, bcast);
  ets_printf("httpd: ready\n");

  if (!join_first_network(bssid)) romtest_end();
  /* ARP requests for our address come broadcast. */
  keep_broadcast_data = 1;
  ets_printf("httpd: joined \"%s\" on channel %d, serving http://%d.%d.%d.%d/\n",
             (char *)joined_ssid, joined_channel, sta_ip[0], sta_ip[1], sta_ip[2], sta_ip[3]);
  rx_logged = 0;

  /* Serve: take the logged frames with interrupts held off, then handle them. */
  static struct {
    uint8_t head[RX_HEAD];
    uint32_t len;
  } frames[LOG_FRAMES];
  for (;;) {
    uint32_t ps = ets_intr_lock();
    int count = rx_logged;
    for (int k = 0; k < count; k++) {
      uint32_t len = rx_log[k].len > 4 ? rx_log[k].len - 4 : 0; /* without the FCS */
      frames[k].len = len < RX_HEAD ? len : RX_HEAD;
      for (uint32_t b = 0; b < frames[k].len; b++) frames[k].head[b] = rx_log[k].head[b];
    }
    rx_logged = 0;
    ets_intr_unlock();
    (void)ps;
    for (int k = 0; k < count; k++) on_frame(frames[k].head, frames[k].len);
    if (!count) ets_delay_us(200);
  }
}
