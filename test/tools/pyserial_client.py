"""Drives `v8266 serve` with pyserial's RFC 2217 client, as esptool and miniterm do.

Usage: pyserial_client.py RFC2217_PORT RAW_PORT. Prints one line per step passed; exits non-zero
with the bytes seen when an expected text does not arrive.
"""
import socket
import sys
import time

import serial

rfc_port, raw_port = int(sys.argv[1]), int(sys.argv[2])
WAIT = 30.0  # seconds; a condition, not a budget: steps end as soon as their text arrives


def read_until(port, text, also=()):
    seen = b''
    deadline = time.time() + WAIT
    while time.time() < deadline:
        seen += port.read(256)
        if text in seen:
            for t in also:
                if t not in seen:
                    sys.exit(f'{t!r} missing before {text!r}: {seen!r}')
            return seen
    sys.exit(f'timeout waiting for {text!r}; seen {seen!r}')


s = serial.serial_for_url(f'rfc2217://127.0.0.1:{rfc_port}', baudrate=115200, timeout=0.2)

# esptool --after hard_reset: RTS pulse with DTR released.
s.dtr = False
s.rts = True
time.sleep(0.1)
s.rts = False
read_until(s, b'v8266 demo ready', also=(b'rst cause:2, boot mode:(3,6)',))
print('hard reset: runs the flash')

# esptool --before default_reset (ClassicReset): into the ROM's download mode.
s.dtr = False
s.rts = True
time.sleep(0.1)
s.dtr = True
s.rts = False
time.sleep(0.05)
s.dtr = False
read_until(s, b'boot mode:(1,')
print('default reset: download mode')

s.rts = True
time.sleep(0.1)
s.rts = False
read_until(s, b'v8266 demo ready', also=(b'boot mode:(3,6)',))
print('hard reset again: runs the flash')

s.write(b'echo me')
read_until(s, b'echo me')
print('typed bytes echoed')

s.baudrate = 460800  # the server acknowledges; pyserial raises if it did not
print('baud change acknowledged')

raw = socket.create_connection(('127.0.0.1', raw_port), timeout=WAIT)
raw.sendall(b'raw!')
seen = b''
deadline = time.time() + WAIT
while b'raw!' not in seen and time.time() < deadline:
    seen += raw.recv(256)
if b'raw!' not in seen:
    sys.exit(f'raw port: no echo, seen {seen!r}')
read_until(s, b'raw!')  # every client sees the board's output
print('raw TCP port echoed, RFC 2217 client saw it too')
raw.close()
s.close()
