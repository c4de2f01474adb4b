/** Usage text. docs/cli.md is the long form; keep the two in step. */

import { formatOptionHelp } from './options.ts';
import { RUN_OPTIONS } from './run-args.ts';
import { DEFAULT_RELAY_PORT, RELAY_OPTIONS } from './relay-args.ts';
import { SERVE_OPTIONS } from './serve-args.ts';

export function mainHelp(): string {
  return `Usage: v8266 <command> [options]

A virtual ESP8266: runs unmodified firmware images headless.

Commands:
  run [options] IMAGE[@OFFSET]...   run firmware, watch UART0 (v8266 run --help)
  serve [options] IMAGE[@OFFSET]... run in real time, UART0 as an RFC 2217 serial port
  relay [options]                   a WebSocket relay for the page's virtual LAN (v86 framing)
  help [command]                    show help
  version                           show the version

Options:
  -h, --help       show this help
  -V, --version    show the version

Exit codes: 0 success, 1 expectation not met / cannot run, 2 bad input, 3 internal error.
Example: v8266 run firmware.bin --expect ready --send 'help\\r' --expect '> '
`;
}

export function runHelp(): string {
  return `Usage: v8266 run [options] IMAGE[@OFFSET]...

Writes each IMAGE into flash at OFFSET (hex 0x10000 or decimal; default 0), boots the ESP8266
and copies everything the firmware sends on UART0 to stdout, byte for byte.

Options:
${formatOptionHelp(RUN_OPTIONS)}

--expect and --send run as one script in the order given; TEXT understands \\r \\n \\t \\\\ \\xNN.
The run ends when the last --expect is met (exit 0). Without --expect, or when the script ends with
--send, it runs until the timeout (exit 0). An expectation not met in time exits 1.

With --ap the board's radio is in a virtual network: each AP bridges to its own LAN, whose .1 host
is the gateway, DHCP and DNS server and runs the services (echo on TCP/UDP 7 and HTTP on 80
always; --echo, --http, --mqtt, --tls add to them). The network runs in the board's simulated time.

--snapshot-in resumes a saved machine exactly where it was (no IMAGE needed): --timeout then
counts the emulated seconds of this run; --stats, --gpio-log and --vcd times stay absolute since
power-on.

Examples:
  v8266 run firmware.bin --expect ready
  v8266 run boot_v1.7.bin user1.bin@0x1000 esp_init_data_default.bin@0x3fc000 --flash-size 4M
  v8266 run app.bin --expect '> ' --send 'status\\r' --expect OK --timeout 30 --stats
  v8266 run app.bin --timeout 5 --vcd pins.vcd --gpio-log
  v8266 run at.bin --ap 'home:correct horse@6' --ap cafe@1,rssi=-70 --pcap air.pcap \\
    --expect ready --send 'AT+CWMODE=1\\r\\n' --expect OK \\
    --send 'AT+CWJAP="home","correct horse"\\r\\n' --expect 'WIFI GOT IP' --timeout 30
  v8266 run app.bin --timeout 60 --snapshot-out booted.v8266snap
  v8266 run --snapshot-in booted.v8266snap --send 'status\r' --expect OK
`;
}

export function serveHelp(): string {
  return `Usage: v8266 serve [options] IMAGE[@OFFSET]...

Boots the images (laid out as for v8266 run) and runs the board in real time until Ctrl-C, with
UART0 offered as an RFC 2217 serial port on 127.0.0.1, so esptool, pyserial, PlatformIO and
serial monitors open it as rfc2217://localhost:PORT. DTR and RTS drive EN and GPIO0 through
NodeMCU's auto-reset circuit: esptool's reset sequences reset the board and select the boot mode.

Options:
${formatOptionHelp(SERVE_OPTIONS)}

Examples:
  v8266 serve firmware.bin
  python3 -m serial.tools.miniterm rfc2217://localhost:2217 115200
  v8266 serve app.bin --port 4000 --raw-port 4001    # then: nc localhost 4001
  sudo v8266 serve app.bin --ap home:secret1234 --tap v8266tap0   # then: udhcpc -i v8266tap0
`;
}

export function relayHelp(): string {
  return `Usage: v8266 relay [options]

A WebSocket relay for virtual LANs, in the framing of v86's network relay (websockproxy): each
binary message is one Ethernet frame. The page links its first LAN to it when the board
document's network section says "relay": "ws://127.0.0.1:${DEFAULT_RELAY_PORT}/". The relay switches frames
between its clients and, with --tap, a Linux TAP interface, passing only frames to allowed
destinations.

Options:
${formatOptionHelp(RELAY_OPTIONS)}

Examples:
  v8266 relay                                   # two tabs' LANs meet on 192.168.x.x
  sudo v8266 relay --tap v8266relay0 --allow 192.168.10.0/24
`;
}
