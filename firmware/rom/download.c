/*
 * The UART download protocol ("boot mode 1", what esptool talks to), written from its public
 * description (esptool's serial protocol documentation) and what esptool and esptool-js expect of
 * the ESP8266's ROM loader. docs/rom.md, "UART download mode", lists the facts and assumptions.
 *
 * Packets are SLIP frames (0xC0 ... 0xC0; 0xDB 0xDC = 0xC0, 0xDB 0xDD = 0xDB) holding
 *   request:  0x00, command, size (LE16), checksum (LE32), data[size]
 *   response: 0x01, command, size (LE16), value (LE32), data[size] = status, error
 * The ESP8266 ROM's status is two bytes (status 0 = OK, 1 = failed; then an error code).
 */
#include "rom.h"

/* ROM functions this file calls through their documented entry points. */
void *ets_isr_attach(uint32_t n, void *f, void *arg);
void ets_isr_unmask(uint32_t mask);
int SPIWrite(uint32_t addr, const uint32_t *src, uint32_t len);
int SPIEraseArea(uint32_t start, uint32_t len);
void *ets_memcpy(void *dst, const void *src, uint32_t n);
void ets_delay_us(uint32_t us);

enum {
  CMD_FLASH_BEGIN = 0x02,
  CMD_FLASH_DATA = 0x03,
  CMD_FLASH_END = 0x04,
  CMD_MEM_BEGIN = 0x05,
  CMD_MEM_END = 0x06,
  CMD_MEM_DATA = 0x07,
  CMD_SYNC = 0x08,
  CMD_WRITE_REG = 0x09,
  CMD_READ_REG = 0x0A,
};

/* Error codes of the second status byte (esptool's table of ROM loader errors). */
enum {
  ERR_INVALID_MESSAGE = 0x05,
  ERR_FAILED = 0x06,
  ERR_BAD_CHECKSUM = 0x07,
  ERR_FLASH_WRITE = 0x08,
};

#define SLIP_END 0xC0
#define SLIP_ESC 0xDB
#define SLIP_ESC_END 0xDC
#define SLIP_ESC_ESC 0xDD

/* Requests other than the two *_DATA ones carry at most four words; longer ones are invalid. */
#define MAX_PARAMS 16
/* FLASH_DATA goes to flash through a buffer this big, a page-program burst at a time. */
#define FLASH_CHUNK 64

/* The ROM answers SYNC, and any command it does not know, eight times over (esptool reads the
 * seven extra SYNC answers; esptool-js drains the repeated "invalid" answers). */
#define REPEATS 8

/* The command byte of the answer to a command the ROM does not know. esptool and esptool-js
 * recognise "not supported" (how they tell the ESP8266 ROM from a stub, e.g. for
 * GET_SECURITY_INFO) only when it differs from the request's; which value the ROM puts there is
 * not documented. Assumed: 0. */
#define UNKNOWN_COMMAND_ANSWER 0x00

/* esptool reads a non-zero value in the SYNC answer as "the ROM, not a stub". Assumed value. */
#define SYNC_VALUE 0x20120707u

struct download {
  uint32_t flash_offset, flash_block_size;
  uint32_t mem_offset, mem_block_size;
};

#define UART_TXFIFO_CNT(u) ((UART_STATUS(u) >> 16) & 0xFF)

/* Into the 128-byte TX FIFO as soon as it has room: a whole burst of answers (SYNC's eight)
 * fits, so the loader does not wait out each byte's time on the wire. */
static void loader_tx(uint8_t b) {
  while (UART_TXFIFO_CNT(0) >= 126) {
  }
  UART_FIFO(0) = b;
}

static void slip_byte(uint8_t b) {
  if (b == SLIP_END) {
    loader_tx(SLIP_ESC);
    loader_tx(SLIP_ESC_END);
  } else if (b == SLIP_ESC) {
    loader_tx(SLIP_ESC);
    loader_tx(SLIP_ESC_ESC);
  } else {
    loader_tx(b);
  }
}

static void respond(uint8_t command, uint32_t value, uint8_t status, uint8_t error) {
  const uint8_t head[8] = {0x01, command, 2, 0, value, value >> 8, value >> 16, value >> 24};
  loader_tx(SLIP_END);
  for (uint32_t i = 0; i < 8; i++) slip_byte(head[i]);
  slip_byte(status);
  slip_byte(error);
  loader_tx(SLIP_END);
}

#define UART_INT_NUM 5
#define UART_RXFIFO_FULL_INT 1u
#define UART_RXFIFO_CNT(u) (UART_STATUS(u) & 0xFF)

/* INT 5 while the loader waits: it only has to wake the CPU, so it silences the UART again. */
static void loader_uart_isr(void *arg) {
  (void)arg;
  UART_INT_ENA(0) = 0;
  UART_INT_CLR(0) = 0xFFFF;
}

/*
 * Sleeps until the RX FIFO holds `count` bytes. While it holds fewer the CPU sleeps in WAITI
 * until the RX FIFO interrupt (threshold `count`) wakes it, instead of spinning on the status
 * register: the host's next packet may be seconds away, and a loader that spins makes the
 * emulator do that work. The check and the WAITI run with level-1 interrupts held off, so a
 * byte arriving in between still wakes the WAITI instead of being missed.
 */
static void wait_for_rx_count(uint32_t count) {
  UART_CONF1(0) = (UART_CONF1(0) & ~0x7Fu) | count;
  while (UART_RXFIFO_CNT(0) < count) {
    uint32_t ps;
    __asm__ volatile("rsil %0, 1" : "=a"(ps));
    UART_INT_CLR(0) = 0xFFFF;
    UART_INT_ENA(0) = UART_RXFIFO_FULL_INT;
    if (UART_RXFIFO_CNT(0) < count) __asm__ volatile("waiti 0" ::: "memory");
    UART_INT_ENA(0) = 0;
    __asm__ volatile("wsr.ps %0; rsync" ::"a"(ps) : "memory");
  }
}

/* The next byte from UART0 (the RX threshold is 1 while the loader serves requests). */
static uint8_t loader_rx(void) {
  if (UART_RXFIFO_CNT(0) == 0) wait_for_rx_count(1);
  return (uint8_t)UART_FIFO(0);
}

/* The next byte of the current SLIP frame, unescaped; -1 at the frame's end. */
static int frame_byte(void) {
  uint8_t b = loader_rx();
  if (b == SLIP_END) return -1;
  if (b != SLIP_ESC) return b;
  b = loader_rx();
  return b == SLIP_ESC_END ? SLIP_END : b == SLIP_ESC_ESC ? SLIP_ESC : b;
}

/* Reads up to n bytes of the frame into buf; returns how many (fewer: the frame ended). */
static uint32_t frame_read(uint8_t *buf, uint32_t n) {
  uint32_t got = 0;
  while (got < n) {
    int b = frame_byte();
    if (b < 0) return got;
    buf[got++] = (uint8_t)b;
  }
  return got;
}

/* Skips to the frame's end; returns the number of bytes skipped. */
static uint32_t frame_skip(void) {
  uint32_t n = 0;
  while (frame_byte() >= 0) n++;
  return n;
}

static uint32_t le32(const uint8_t *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * FLASH_BEGIN's erase, with the ESP8266 ROM's miscount that esptool compensates for (its
 * get_erase_size): the sectors up to the next 64 KB boundary ("head") are counted twice, so a
 * request for n sectors erases n + min(n, head) sectors from the start offset.
 */
static int erase_for_flash_begin(uint32_t offset, uint32_t size) {
  const uint32_t sector_size = 4096, per_block = 16;
  if (offset % sector_size) return 1;
  uint32_t n = (size + sector_size - 1) / sector_size;
  uint32_t head = per_block - (offset / sector_size) % per_block;
  uint32_t total = n + (n < head ? n : head);
  struct flashchip *fc = FLASHCHIP;
  uint32_t first = offset / sector_size, limit = fc->chip_size / sector_size;
  if (first + total > limit) total = first < limit ? limit - first : 0;
  return SPIEraseArea(offset, total * sector_size);
}

/*
 * The payload of MEM_DATA / FLASH_DATA, streamed to where it goes as it arrives: a RAM block is
 * as big as 0x1800 bytes and the ROM's own RAM is small. Returns the data's checksum, or -1 when
 * the frame did not hold `n` bytes or a flash write failed.
 */
static int stream_block(uint8_t command, uint32_t dst, uint32_t n) {
  uint32_t sum = 0xEF;
  uint32_t chunk[FLASH_CHUNK / 4];
  uint8_t *bytes = (uint8_t *)chunk;
  for (uint32_t done = 0; done < n;) {
    uint32_t want = n - done < FLASH_CHUNK ? n - done : FLASH_CHUNK;
    uint32_t got = frame_read(bytes, want);
    for (uint32_t i = 0; i < got; i++) sum ^= bytes[i];
    if (got < want) return -1;
    if (command == CMD_MEM_DATA) ets_memcpy((uint8_t *)(dst + done), bytes, got);
    else if (SPIWrite(dst + done, chunk, got)) return -1;
    done += got;
  }
  return sum;
}

/* Serves one request frame (its first SLIP_END already read); non-zero: leave the loader, with
 * the entry to call in *entry (0: boot from flash). */
static int serve_request(struct download *d, uint32_t *entry) {
  uint8_t head[8];
  uint32_t got = frame_read(head, 8);
  if (got == 0) return 0; /* back-to-back delimiters: the frame has not started yet */
  if (got < 8) return 0;
  if (head[0] != 0x00) {
    frame_skip(); /* not a request: ignored */
    return 0;
  }
  uint8_t command = head[1];
  uint32_t size = head[2] | (uint32_t)head[3] << 8;
  uint32_t checksum = le32(head + 4);
  uint32_t param_words[MAX_PARAMS / 4];
  uint8_t *params = (uint8_t *)param_words;

  if (command == CMD_MEM_DATA || command == CMD_FLASH_DATA) {
    if (frame_read(params, 16) < 16) {
      respond(command, 0, 1, ERR_INVALID_MESSAGE);
      return 0;
    }
    uint32_t n = le32(params), seq = le32(params + 4);
    uint32_t dst = command == CMD_MEM_DATA ? d->mem_offset + seq * d->mem_block_size
                                           : d->flash_offset + seq * d->flash_block_size;
    int ok = n == size - 16 && !(command == CMD_FLASH_DATA && (n & 3));
    int sum = ok ? stream_block(command, dst, n) : -1;
    uint32_t extra = frame_skip();
    if (!ok || extra) respond(command, 0, 1, ERR_INVALID_MESSAGE);
    else if (sum < 0) respond(command, 0, 1, command == CMD_FLASH_DATA ? ERR_FLASH_WRITE : ERR_INVALID_MESSAGE);
    else if ((uint32_t)sum != checksum) respond(command, 0, 1, ERR_BAD_CHECKSUM);
    else respond(command, 0, 0, 0);
    return 0;
  }

  uint32_t n = frame_read(params, size < MAX_PARAMS ? size : MAX_PARAMS);
  n += frame_skip();
  if (n != size) {
    respond(command, 0, 1, ERR_INVALID_MESSAGE);
    return 0;
  }
  switch (command) {
    case CMD_SYNC:
      for (uint32_t i = 0; i < REPEATS; i++) respond(command, SYNC_VALUE, 0, 0);
      return 0;
    case CMD_READ_REG:
      if (size < 4) break;
      respond(command, REG(le32(params)), 0, 0);
      return 0;
    case CMD_WRITE_REG: {
      if (size < 16) break;
      uint32_t addr = le32(params), value = le32(params + 4), mask = le32(params + 8);
      REG(addr) = mask == 0xFFFFFFFFu ? value : (REG(addr) & ~mask) | (value & mask);
      ets_delay_us(le32(params + 12));
      respond(command, 0, 0, 0);
      return 0;
    }
    case CMD_MEM_BEGIN:
      if (size < 16) break;
      d->mem_block_size = le32(params + 8);
      d->mem_offset = le32(params + 12);
      respond(command, 0, 0, 0);
      return 0;
    case CMD_MEM_END:
      if (size < 8) break;
      respond(command, 0, 0, 0);
      /* First word 0: run the uploaded code (esptool sends 1 when there is no entry point). */
      if (le32(params) == 0) {
        *entry = le32(params + 4);
        return 1;
      }
      return 0;
    case CMD_FLASH_BEGIN: {
      if (size < 16) break;
      uint32_t erase = le32(params), offset = le32(params + 12);
      d->flash_block_size = le32(params + 8);
      d->flash_offset = offset;
      int failed = erase_for_flash_begin(offset, erase);
      respond(command, 0, failed ? 1 : 0, failed ? ERR_FAILED : 0);
      return 0;
    }
    case CMD_FLASH_END:
      if (size < 4) break;
      respond(command, 0, 0, 0);
      /* 0: leave the loader and boot from flash; 1: stay (esptool resets by RTS afterwards). */
      if (le32(params) == 0) {
        *entry = 0;
        return 1;
      }
      return 0;
    default:
      for (uint32_t i = 0; i < REPEATS; i++) respond(UNKNOWN_COMMAND_ANSWER, 0, 1, ERR_INVALID_MESSAGE);
      return 0;
  }
  respond(command, 0, 1, ERR_INVALID_MESSAGE);
  return 0;
}

/*
 * Puts the flash pins (SD_CLK, SD_CMD, SD_DATA0-3) in their SPI function. esptool's flasher stub
 * calls it first thing. The pads come out of reset in that function already and the board's
 * flash is not wired through the IO MUX model, so there is nothing to change.
 */
void IMPL(SelectSpiFunction)(uint32_t ishspi) { (void)ishspi; }

/* The UartDev structure (rom-internals §4.1), for code that finds it through the ROM. */
void *IMPL(GetUartDevice)(void) {
  extern uint8_t UartDev[];
  return UartDev;
}

/*
 * Autobaud (the ROM's `uart_baudrate_detect`, also called by Arduino's and NodeMCU's UART
 * drivers with async = 1): the UART times the shortest low and high pulse on RXD while AUTOBAUD
 * is enabled; once it has seen more than 29 edges, the divider for the sender's rate is the mean
 * of the two minima plus 12 (the ROM's correction), in cycles of the clock CLKDIV counts.
 * The first call starts the measurement (enable with glitch filter 8); later calls only look,
 * also after a result (the ROM keeps its "started" flag: callers that want a new measurement
 * re-enable AUTOBAUD themselves, as Arduino's uart_start_detect_baudrate does). async = 0 polls
 * every millisecond until there is a result; async = 1 returns 0 while there is none.
 */
#define AUTOBAUD_EN 1u
#define AUTOBAUD_START (0x08u << 8 | AUTOBAUD_EN)
#define AUTOBAUD_MIN_EDGES 29
#define PULSE_MASK 0xFFFFFu
static uint8_t autobaud_started;

uint32_t IMPL(uart_baudrate_detect)(uint32_t uart, uint32_t async) {
  if (!autobaud_started) {
    UART_AUTOBAUD(uart) &= ~AUTOBAUD_EN;
    UART_AUTOBAUD(uart) = AUTOBAUD_START;
    autobaud_started = 1;
  }
  while (UART_PULSE_NUM(uart) <= AUTOBAUD_MIN_EDGES) {
    if (async) return 0;
    ets_delay_us(1000);
  }
  int32_t mean = (int32_t)((UART_LOWPULSE(uart) & PULSE_MASK) + (UART_HIGHPULSE(uart) & PULSE_MASK)) >> 1;
  UART_AUTOBAUD(uart) &= ~AUTOBAUD_EN;
  return (uint32_t)(mean < 0 ? 0 : mean) + 12;
}

/*
 * Before the loader serves requests, the boot path finds the host's baud rate, as the chip's does: autobaud
 * on the first bytes (esptool's SYNC packet is made for it), then the divider it gives. esptool
 * reads that divider back to tell the crystal (26 MHz: 52e6/115200 ≈ 451). Where the ROM polls
 * every millisecond, this one sleeps between arriving bytes (the same result sooner, and no
 * work for the emulator while the host is silent). The bytes that arrived meanwhile stay in the
 * FIFO: on a chip they would be garbled, here the virtual wire carried them whole.
 */
void loader_detect_host_baud(void) {
  uint32_t divider;
  ets_isr_attach(UART_INT_NUM, loader_uart_isr, 0);
  ets_isr_unmask(1u << UART_INT_NUM);
  while ((divider = impl_uart_baudrate_detect(0, 1)) == 0) {
    uint32_t waiting = UART_RXFIFO_CNT(0);
    wait_for_rx_count(waiting < 127 ? waiting + 1 : 127); /* the threshold field's limit */
  }
  UART_CLKDIV(0) = divider & PULSE_MASK;
}

/*
 * The loader: serves requests until MEM_END starts uploaded code or FLASH_END asks for a boot
 * from flash. Returns the entry point to call, or 0 for "boot from flash".
 */
uint32_t IMPL(UartDwnLdProc)(void) {
  struct download d = {0, 0, 0, 0};
  uint32_t entry = 0;
  spi_flash_attach();
  ets_isr_attach(UART_INT_NUM, loader_uart_isr, 0);
  ets_isr_unmask(1u << UART_INT_NUM);
  for (;;) {
    while (loader_rx() != SLIP_END) {
    }
    if (serve_request(&d, &entry)) break;
  }
  /* Leave the UART and INT 5 as the reset path left them for whatever runs next, once the
   * last answer has left the wire (Uart_Init resets the FIFOs). */
  while (UART_TXFIFO_CNT(0)) {
  }
  ets_isr_mask(1u << UART_INT_NUM);
  uartAttach();
  Uart_Init(0);
  return entry;
}
