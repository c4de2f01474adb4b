import { describe, expect, it } from 'vitest';
import { TICKS_PER_MICROSECOND } from '../clock';
import { RecordingLine, TestClock } from './testing';
import {
  Uart,
  UART_CLKDIV,
  UART_CONF0,
  UART_CONF1,
  UART_FIFO,
  UART_INT_CLR,
  UART_INT_ENA,
  UART_INT_RAW,
  UART_INT_ST,
  UART_LOOPBACK,
  UART_RXFIFO_FULL_INT,
  UART_RXFIFO_OVF_INT,
  UART_RXFIFO_RST,
  UART_RXFIFO_TOUT_INT,
  UART_RX_TOUT_EN,
  UART_STATUS,
  UART_TXFIFO_EMPTY_INT,
  UART_TXFIFO_RST,
  UART_PARITY_EN,
  UART_AUTOBAUD,
  UART_LOWPULSE,
  UART_HIGHPULSE,
  UART_PULSE_NUM,
  UART_PULSE_LAG_CYCLES,
} from './uart';

function setup(apbHz = 80_000_000) {
  const t = new TestClock();
  const irq = new RecordingLine();
  const uart = new Uart(t.clock, irq, 0, apbHz);
  const sent: { byte: number; at: number }[] = [];
  uart.onByte = (byte) => sent.push({ byte, at: t.clock.now });
  // 8N1 at 115200 from an 80 MHz APB.
  uart.write(UART_CLKDIV, Math.round(80_000_000 / 115200));
  uart.write(UART_CONF0, 0x1c);
  return { t, irq, uart, sent };
}

const txCount = (uart: Uart) => (uart.read(UART_STATUS) >>> 16) & 0xff;
const rxCount = (uart: Uart) => uart.read(UART_STATUS) & 0xff;

describe('UART baud rate', () => {
  it('derives the baud from APB / CLKDIV', () => {
    const { uart } = setup();
    expect(uart.baud).toBeCloseTo(115273.8, 0);
    uart.write(UART_CLKDIV, 80_000_000 / 100_000);
    expect(uart.baud).toBe(100_000);
  });

  it('gives the ROM banner rate 74880-ish when the divider 694 counts the 52 MHz boot clock', () => {
    const { uart } = setup(52_000_000);
    uart.write(UART_CLKDIV, 0x2b6);
    expect(Math.abs(uart.baud - 74880)).toBeLessThan(100);
  });

  it('reports baud changes once per change, from CLKDIV and from the APB clock', () => {
    const { uart } = setup();
    const seen: number[] = [];
    uart.onBaudChange = (b) => seen.push(b);
    uart.write(UART_CLKDIV, 694);
    uart.write(UART_CLKDIV, 694);
    uart.apbHz = 52_000_000;
    uart.write(UART_CLKDIV, 80_000_000 / 9600);
    expect(seen).toEqual([Math.round(52e6 / 694), Math.round(52e6 / (80e6 / 9600))]);
  });
});

describe('UART transmitter', () => {
  it('takes one 10-bit frame (86.8 µs at 115200 8N1) to send a byte', () => {
    const { t, uart, sent } = setup();
    uart.write(UART_FIFO, 0x41);
    expect(txCount(uart)).toBe(1);
    t.advanceMicros(86);
    expect(sent).toEqual([]);
    t.advanceMicros(1);
    expect(sent.map((s) => s.byte)).toEqual([0x41]);
    expect(sent[0].at / TICKS_PER_MICROSECOND).toBeCloseTo(86.8, 0);
    expect(txCount(uart)).toBe(0);
  });

  it('sends 128 back-to-back bytes in exactly 128 frames', () => {
    const { t, uart, sent } = setup();
    for (let i = 0; i < 128; i++) uart.write(UART_FIFO, i);
    expect(txCount(uart)).toBe(128);
    t.runUntil(128 * uart.frameTicks);
    expect(sent.length).toBe(128);
    expect(sent[127].at).toBe(128 * uart.frameTicks);
    expect(sent.map((s) => s.byte)).toEqual([...Array(128).keys()]);
  });

  it('drops bytes written to a full FIFO (back-pressure)', () => {
    const { t, uart, sent } = setup();
    for (let i = 0; i < 130; i++) uart.write(UART_FIFO, i);
    expect(txCount(uart)).toBe(128);
    t.runUntil(200 * uart.frameTicks);
    expect(sent.length).toBe(128);
  });

  it('lengthens the frame with parity and two stop bits', () => {
    const { uart } = setup();
    const plain = uart.frameTicks;
    uart.write(UART_CONF0, 0x1c | UART_PARITY_EN | (3 << 4));
    expect(uart.frameTicks).toBe((plain / 10) * 12);
  });

  it('TX FIFO reset discards queued bytes', () => {
    const { t, uart, sent } = setup();
    for (let i = 0; i < 5; i++) uart.write(UART_FIFO, i);
    uart.write(UART_CONF0, 0x1c | UART_TXFIFO_RST);
    uart.write(UART_CONF0, 0x1c);
    expect(txCount(uart)).toBe(0);
    t.runUntil(10 * uart.frameTicks);
    expect(sent).toEqual([]);
  });

  it('raises TXFIFO_EMPTY while the count is below the threshold, again after a clear', () => {
    const { t, uart, irq } = setup();
    uart.write(UART_CONF1, 2 << 8);
    uart.write(UART_INT_CLR, 0x1ff);
    uart.write(UART_INT_ENA, UART_TXFIFO_EMPTY_INT);
    expect(irq.level).toBe(true); // empty FIFO is below 2
    for (let i = 0; i < 4; i++) uart.write(UART_FIFO, i);
    uart.write(UART_INT_CLR, UART_TXFIFO_EMPTY_INT);
    expect(irq.level).toBe(false);
    t.runUntil(2 * uart.frameTicks); // 4 → 2 left: not yet below 2
    expect(irq.level).toBe(false);
    t.runUntil(3 * uart.frameTicks);
    expect(irq.level).toBe(true);
    expect(uart.read(UART_INT_ST)).toBe(UART_TXFIFO_EMPTY_INT);
  });
});

describe('UART receiver', () => {
  it('delivers host bytes one frame apart and counts them in STATUS', () => {
    const { t, uart } = setup();
    uart.receive([1, 2, 3]);
    expect(rxCount(uart)).toBe(0);
    t.advanceTo(uart.frameTicks);
    expect(rxCount(uart)).toBe(1);
    t.runUntil(3 * uart.frameTicks);
    expect(rxCount(uart)).toBe(3);
    expect([uart.read(UART_FIFO), uart.read(UART_FIFO), uart.read(UART_FIFO)]).toEqual([1, 2, 3]);
    expect(rxCount(uart)).toBe(0);
  });

  it('raises RXFIFO_FULL at the threshold and keeps it until the FIFO is drained', () => {
    const { t, uart, irq } = setup();
    uart.write(UART_CONF1, 2);
    uart.write(UART_INT_CLR, 0x1ff);
    uart.write(UART_INT_ENA, UART_RXFIFO_FULL_INT);
    uart.receive([7, 8]);
    t.advanceTo(uart.frameTicks);
    expect(irq.level).toBe(false);
    t.runUntil(2 * uart.frameTicks);
    expect(irq.level).toBe(true);
    uart.write(UART_INT_CLR, UART_RXFIFO_FULL_INT);
    expect(irq.level).toBe(true); // condition still holds
    uart.read(UART_FIFO);
    uart.read(UART_FIFO);
    uart.write(UART_INT_CLR, UART_RXFIFO_FULL_INT);
    expect(irq.level).toBe(false);
  });

  it('loses the 129th byte and sets RXFIFO_OVF', () => {
    const { t, uart } = setup();
    uart.receive(new Uint8Array(129).map((_, i) => i));
    t.runUntil(129 * uart.frameTicks);
    expect(rxCount(uart)).toBe(128);
    expect(uart.read(UART_INT_RAW) & UART_RXFIFO_OVF_INT).toBe(UART_RXFIFO_OVF_INT);
    expect(uart.read(UART_FIFO)).toBe(0);
  });

  it('raises RXFIFO_TOUT after the configured idle frames with data waiting', () => {
    const { t, uart } = setup();
    uart.write(UART_CONF1, 100 | UART_RX_TOUT_EN | (3 << 24));
    uart.receive([0x55]);
    t.advanceTo(uart.frameTicks);
    t.advanceTo(3 * uart.frameTicks);
    expect(uart.read(UART_INT_RAW) & UART_RXFIFO_TOUT_INT).toBe(0);
    t.advanceTo(4 * uart.frameTicks);
    expect(uart.read(UART_INT_RAW) & UART_RXFIFO_TOUT_INT).toBe(UART_RXFIFO_TOUT_INT);
  });

  it('loops TX back into RX in loopback mode instead of driving the pin', () => {
    const { t, uart, sent } = setup();
    uart.write(UART_CONF0, 0x1c | UART_LOOPBACK);
    uart.write(UART_FIFO, 0x5a);
    t.runUntil(uart.frameTicks);
    expect(sent).toEqual([]);
    expect(uart.read(UART_FIFO)).toBe(0x5a);
  });

  it('RX FIFO reset empties the FIFO', () => {
    const { t, uart } = setup();
    uart.receive([1, 2]);
    t.runUntil(2 * uart.frameTicks);
    uart.write(UART_CONF0, 0x1c | UART_RXFIFO_RST);
    uart.write(UART_CONF0, 0x1c);
    expect(rxCount(uart)).toBe(0);
  });
});

describe('UART reset', () => {
  it('restores the hardware reset values and drops the interrupt', () => {
    const { uart, irq } = setup();
    uart.write(UART_INT_ENA, UART_TXFIFO_EMPTY_INT);
    uart.write(UART_CLKDIV, 100);
    uart.reset();
    expect(uart.read(UART_CLKDIV)).toBe(0x2b6);
    expect(uart.read(UART_CONF0)).toBe(0x1c);
    expect(uart.read(UART_INT_ENA)).toBe(0);
    expect(irq.level).toBe(false);
  });
});

describe('UART autobaud measurement', () => {
  it("times the sender's shortest low and high pulses and counts RXD edges while enabled", () => {
    const { t, uart } = setup(52_000_000);
    uart.lineBaud = 115200;
    uart.receive([0x55]); // not measured: autobaud is off
    t.runUntil(uart.frameTicks);
    expect(uart.read(UART_PULSE_NUM)).toBe(0);
    expect(uart.read(UART_LOWPULSE)).toBe(0xfffff);
    uart.write(UART_AUTOBAUD, 0x801); // glitch filter 8, enable
    // 0x07: start 0, 1 1 1, 0 0 0 0 0, stop 1 → 4 edges; the 1-bit start is the shortest low.
    uart.receive([0x07, 0x07]);
    t.runUntil(3 * uart.frameTicks);
    expect(uart.read(UART_PULSE_NUM)).toBe(8);
    const bit = 52_000_000 / 115200;
    expect(uart.read(UART_LOWPULSE)).toBe(Math.round(bit) - UART_PULSE_LAG_CYCLES);
    expect(uart.read(UART_HIGHPULSE)).toBe(Math.round(bit) - UART_PULSE_LAG_CYCLES); // stop bit
    // What the ROM computes from it: the mean of the two plus 12 is the divider for the sender.
    const divider = ((uart.read(UART_LOWPULSE) + uart.read(UART_HIGHPULSE)) >> 1) + 12;
    expect(divider).toBe(451);
    // Disabling freezes the registers; enabling again starts over.
    uart.write(UART_AUTOBAUD, 0x800);
    uart.receive([0x55]);
    t.runUntil(4 * uart.frameTicks);
    expect(uart.read(UART_PULSE_NUM)).toBe(8);
    uart.write(UART_AUTOBAUD, 0x801);
    expect(uart.read(UART_PULSE_NUM)).toBe(0);
    expect(uart.read(UART_HIGHPULSE)).toBe(0xfffff);
  });
});
