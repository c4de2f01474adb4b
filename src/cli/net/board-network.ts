/**
 * Puts the CLI's board into the virtual network its options describe (network-args.ts): one
 * NetworkWorld (src/net/world.ts) on the board's clock, the board's Wi-Fi MAC as a radio in its
 * air, the `--http` directory on every LAN's web server, and the `--pcap` capture written when
 * the run ends; with `--tool`, the LANs' debugging tools printing on stderr.
 */
import type { EmulatedBoard } from '../../board/board-api.ts';
import { TICKS_PER_SECOND } from '../../net/clock.ts';
import { formatMac } from '../../net/ip/bytes.ts';
import type { BoardWifiMac } from '../../net/board-radio.ts';
import type { NetClock } from '../../net/clock.ts';
import { ReplayDiverged } from '../../net/replay/board-mac-tap.ts';
import { worldForBoard, type NetworkWorld, type WorldConfig } from '../../net/world.ts';
import type { SavedWorld } from '../../net/world-snapshot.ts';
import { UsageError } from '../errors.ts';
import type { CliHost } from '../host.ts';
import { wantsNetwork, type NetworkRequest } from './network-args.ts';
import { ToolConsole } from './tool-console.ts';

export interface BoardNetwork {
  world: NetworkWorld;
  /** `--tool`: the debugging tools on the APs' LAN hosts, or null without a `--tool`. */
  tool: ToolConsole | null;
  /** Writes the capture (if any); call once when the run is over. */
  finish(): void;
}

function httpFiles(dir: string, host: CliHost): Record<string, Uint8Array> {
  if (!host.readDirectory) throw new UsageError('--http is not available in this host');
  let entries;
  try {
    entries = host.readDirectory(dir);
  } catch (error) {
    throw new UsageError(`cannot read --http ${dir}: ${(error as Error).message}`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const e of entries) {
    files[`/${e.path}`] = e.bytes;
    // A directory's index.html also answers for the directory itself, as web servers do.
    if (e.path === 'index.html' || e.path.endsWith('/index.html'))
      files[`/${e.path.slice(0, -'index.html'.length)}`] = e.bytes;
  }
  return files;
}

/**
 * The saved world, replayed to where it stood (src/net/replay/replay.ts); when its history is
 * missing or does not replay, the same configuration built afresh, with a warning: an associated
 * board then gets deauthenticated and joins again.
 */
function resumeWorld(
  wifi: { clock: NetClock; mac: BoardWifiMac },
  saved: SavedWorld,
  host: CliHost,
): NetworkWorld {
  let why = saved.noHistory;
  if (saved.history) {
    try {
      return worldForBoard(wifi, saved.config, saved.history);
    } catch (error) {
      if (!(error instanceof ReplayDiverged)) throw error;
      why = `its history did not replay (${error.message})`;
    }
  }
  host.writeStderr(
    `v8266: the network resumes from its configuration only: ${why}; an associated board will be deauthenticated and join again\n`,
  );
  return worldForBoard(wifi, saved.config);
}

/**
 * The network the options describe, or, when they name no AP or client, `saved` (the one a
 * resumed snapshot carries: src/net/world-snapshot.ts).
 */
export function startBoardNetwork(
  board: EmulatedBoard,
  request: NetworkRequest,
  host: CliHost,
  saved: SavedWorld | null = null,
): BoardNetwork {
  const wifi = board.wifi;
  if (!wifi) throw new UsageError('this board has no Wi-Fi radio for --ap or --client');
  if (request.pcapPath !== null && !host.writeFile)
    throw new UsageError('--pcap is not available in this host');
  const fromSnapshot = saved !== null && !wantsNetwork(request);
  if (fromSnapshot) host.writeStderr('v8266: the network saved in the snapshot:\n');
  const config: WorldConfig = fromSnapshot
    ? saved.config
    : {
        aps: request.aps,
        stations: request.clients.map((c, i) => ({ name: `client-${i}`, ...c })),
        echo: request.echo,
        mqtt: request.mqtt,
        tls: request.tls,
        httpFiles: request.httpDir === null ? undefined : httpFiles(request.httpDir, host),
      };
  const world = fromSnapshot ? resumeWorld(wifi, saved, host) : worldForBoard(wifi, config);
  if (request.pcapPath !== null) world.startCapture();
  for (const line of world.describe()) host.writeStderr(`v8266: ${line}\n`);
  // TLS handshakes: which version and suite the firmware's client took, or why it failed.
  world.aps.forEach((a, i) => {
    for (const [port, server] of [
      [443, a.lan.https],
      [4433, a.lan.tlsEcho],
    ] as const)
      server.onLog = (line) =>
        host.writeStderr(
          `v8266: ${(world.clock.now / TICKS_PER_SECOND).toFixed(3)} s LAN ${i} tls:${port} ${line}\n`,
        );
  });
  world.stations.forEach((client, i) => {
    host.writeStderr(
      `v8266: client ${i} ${formatMac(client.mac)} joins "${client.config.ssid}" (${client.config.passphrase ? 'wpa2' : 'open'})\n`,
    );
    // Its lines start with the simulated time: "4.317 joined …".
    client.onLog = (line) => {
      const space = line.indexOf(' ');
      host.writeStderr(`v8266: ${line.slice(0, space)} s client ${i}: ${line.slice(space + 1)}\n`);
    };
  });
  const tool =
    request.tool.length > 0
      ? new ToolConsole(
          world.aps.map((a) => a.lan.tool),
          (text) => host.writeStderr(text),
          world,
        )
      : null;
  return {
    world,
    tool,
    finish() {
      tool?.flush();
      const pcap = world.stopCapture();
      if (pcap && request.pcapPath !== null) {
        try {
          host.writeFile!(request.pcapPath, pcap);
        } catch (error) {
          host.writeStderr(
            `v8266: cannot write ${request.pcapPath}: ${(error as Error).message}\n`,
          );
        }
      }
    },
  };
}
