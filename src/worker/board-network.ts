/**
 * The page's virtual network, beside the board in the worker: a `NetworkWorld` built from the
 * board document's `network` section on the board's clock, with the board's Wi-Fi MAC in its air
 * (`worldForBoard`, as `v8266 run --ap` does), a packet log the page drains in batches and a
 * capture of the air it can download. A new board (a load, a MAC or flash change, a snapshot)
 * gets a new world on its own clock; a new configuration rebuilds the world for the same board.
 */
import type { EmulatedBoard } from '../board/board-api.ts';
import type { DebugToolSpec } from '../net/ip/debug-tool.ts';
import type { EthernetSegment } from '../net/ethernet.ts';
import {
  errorPage,
  HttpBridge,
  type BridgeRequest,
  type BridgeResponse,
} from '../net/http/http-bridge.ts';
import { PacketLog, type PacketBatch } from '../net/monitor/packet-log.ts';
import { RelayLink, type FrameSocket, type RelayLinkState } from '../net/relay/relay-link.ts';
import { ReplayDiverged } from '../net/replay/board-mac-tap.ts';
import { worldForBoard, type NetworkWorld, type WorldConfig } from '../net/world.ts';
import { saveWorld, saveWorldConfig, type SavedWorld } from '../net/world-snapshot.ts';
import type { SavedState } from '../board/snapshot/state.ts';
import { networkStatus, type NetworkStatus } from '../net/world-status.ts';

/** The capture stops growing here (frames after it are counted as missed). */
export const CAPTURE_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * A batch of the packet log with the network it came from: every rebuild starts a new world on
 * a new clock whose log numbers frames from 1 again, so a reader keeping a list starts it over
 * when `generation` changes (the list then matches the capture "download .pcap" gives).
 */
export interface NetworkPackets extends PacketBatch {
  generation: number;
}

/** The world, and the relay (`v8266 relay`, v86 framing) the first AP's LAN is linked to. */
export type PageNetworkConfig = WorldConfig & { relay?: string };

/** What the panel polls: the world's status and the relay link's. */
export type PageNetworkStatus = NetworkStatus & {
  relay: RelayStatus | null;
  /**
   * When the world came with a restored snapshot: whether it carried on where it was saved, or
   * why it started afresh. Null for a world built any other way.
   */
  restored: { resumed: boolean; why: string | null } | null;
};

/** The relay link as the panel shows it. */
export interface RelayStatus {
  url: string;
  state: RelayLinkState;
  /** Frames of the current link (a new link counts from 0). */
  framesIn: number;
  framesOut: number;
  /** Links made so far to this URL in this world: more than 1 after a reconnection. */
  links: number;
}

/** Opens a WebSocket (the worker's own; tests give another). */
export type SocketOpener = (url: string) => FrameSocket;

const browserSocket: SocketOpener = (url) => new WebSocket(url) as unknown as FrameSocket;

/** First wait before linking to the relay again after the link closed; it doubles up to the max. */
export const RELAY_RETRY_FIRST_MS = 1000;
export const RELAY_RETRY_MAX_MS = 30_000;

export class BoardNetwork {
  private config: PageNetworkConfig | null = null;
  private relay: RelayLink | null = null;
  private relayUrl = '';
  /** A relay that went away (restarted, the laptop slept) is tried again, less often each time. */
  private relayRetry: ReturnType<typeof setTimeout> | null = null;
  private relayRetryMs = RELAY_RETRY_FIRST_MS;
  private relayLinks = 0;
  /**
   * Files the user dropped for the LANs' web servers (OTA images, anything binary or large):
   * kept here, not in the board document, and served by every .1 host of every world built.
   */
  private readonly served = new Map<string, Uint8Array>();

  constructor(private readonly openSocket: SocketOpener = browserSocket) {}

  private board: EmulatedBoard | null = null;
  private world: NetworkWorld | null = null;
  private log: PacketLog | null = null;
  /** The page's HTTP bridge into this world, made on the first request. */
  private bridge: HttpBridge | null = null;
  /** Requests in flight: a rebuild answers them, since their world is gone. */
  private readonly pending = new Set<(r: BridgeResponse) => void>();
  /** Bumped on every rebuild, with or without a world. */
  private generation = 0;

  /**
   * The network to build (null: none). The same configuration again changes nothing: a world
   * resumed from a snapshot (`attach`) is not thrown away for a fresh one.
   */
  configure(config: PageNetworkConfig | null): void {
    if (config && this.config && sameConfig(config, this.config)) {
      this.config = config;
      return;
    }
    this.config = config;
    this.rebuild();
  }

  /**
   * The board whose MAC joins the air (null: no board). `resume`: the network a snapshot of this
   * board saved; when it is the configured one, the world comes back where it was (its history
   * replayed, src/net/replay/), otherwise it is built afresh.
   */
  attach(board: EmulatedBoard | null, resume: SavedWorld | null = null): void {
    this.board = board;
    this.rebuild(resume);
  }

  /**
   * For a world built with a snapshot's network: 'resumed', or why the saved history was not
   * used. Null for a world built any other way.
   */
  resumeOutcome: string | null = null;

  private buildWorld(
    wifi: NonNullable<EmulatedBoard['wifi']>,
    c: PageNetworkConfig,
    resume: SavedWorld | null,
  ): NetworkWorld {
    this.resumeOutcome = null;
    if (resume) {
      if (!resume.history) this.resumeOutcome = resume.noHistory;
      else if (!sameConfig(resume.config, c))
        this.resumeOutcome = 'the snapshot was saved in another network';
      else {
        try {
          const world = worldForBoard(wifi, c, resume.history);
          this.resumeOutcome = 'resumed';
          return world;
        } catch (error) {
          if (!(error instanceof ReplayDiverged)) throw error;
          this.resumeOutcome = `its history did not replay (${error.message})`;
        }
      }
    }
    return worldForBoard(wifi, c);
  }

  private rebuild(resume: SavedWorld | null = null): void {
    this.generation++;
    if (this.relayRetry !== null) clearTimeout(this.relayRetry);
    this.relayRetry = null;
    this.relayRetryMs = RELAY_RETRY_FIRST_MS;
    this.relayLinks = 0;
    this.relay?.close();
    this.relay = null;
    this.log?.stop();
    this.bridge?.stop();
    this.world?.stop();
    this.world = null;
    this.log = null;
    this.bridge = null;
    for (const answer of [...this.pending])
      answer(
        errorPage(
          503,
          'The virtual network was rebuilt',
          'The board or the network changed while the request was on its way; reload the page.',
        ),
      );
    const wifi = this.board?.wifi;
    const c = this.config;
    if (!wifi || !c || (c.aps.length === 0 && (c.stations ?? []).length === 0)) return;
    this.world = this.buildWorld(wifi, c, resume);
    this.log = new PacketLog(this.world.air);
    this.world.startCapture({ limitBytes: CAPTURE_LIMIT_BYTES });
    for (const [path, bytes] of this.served) this.publish(path, bytes);
    const lan = this.world.aps[0]?.lan;
    if (c.relay && lan) {
      this.world.notReplayable('its LAN is linked to a relay (frames from a real network)');
      this.linkRelay(c.relay, lan.segment);
    }
  }

  /** Serve `bytes` at `path` on every .1 host from now on (null: stop serving it). */
  serveFile(path: string, bytes: Uint8Array | null): void {
    if (bytes) this.served.set(path, bytes);
    else this.served.delete(path);
    this.publish(path, bytes);
  }

  /** The dropped files, by path, with their sizes. */
  servedFiles(): { path: string; size: number }[] {
    return [...this.served].map(([path, bytes]) => ({ path, size: bytes.length }));
  }

  private publish(path: string, bytes: Uint8Array | null): void {
    this.world?.serveFile(path, bytes);
  }

  /**
   * Links the LAN to the relay at `url`. When the link closes (or never opens) it is tried again
   * after 1 s, 2 s, 4 s … up to 30 s between tries, for as long as this world and URL stand; an
   * open link starts the wait over.
   */
  private linkRelay(url: string, segment: EthernetSegment): void {
    this.relayUrl = url;
    this.relayLinks++;
    const generation = this.generation;
    const retry = () => {
      if (this.generation !== generation || this.relayRetry !== null) return;
      const wait = this.relayRetryMs;
      this.relayRetryMs = Math.min(RELAY_RETRY_MAX_MS, wait * 2);
      this.relayRetry = setTimeout(() => {
        this.relayRetry = null;
        if (this.generation === generation) this.linkRelay(url, segment);
      }, wait);
    };
    let socket: FrameSocket;
    try {
      socket = this.openSocket(url);
    } catch {
      return; // not a URL the WebSocket takes: the status says closed, and it stays so
    }
    this.relay = new RelayLink(segment, socket, {
      onState: (state) => {
        if (state === 'open') this.relayRetryMs = RELAY_RETRY_FIRST_MS;
        if (state === 'closed') retry();
      },
    });
  }

  status(): PageNetworkStatus | null {
    if (!this.world) return null;
    const url = this.config?.relay;
    const link = this.relay;
    const relay = url
      ? link && this.relayUrl === url
        ? {
            url,
            state: link.state,
            framesIn: link.framesIn,
            framesOut: link.framesOut,
            links: this.relayLinks,
          }
        : { url, state: 'closed' as const, framesIn: 0, framesOut: 0, links: 0 }
      : null;
    const outcome = this.resumeOutcome;
    const restored =
      outcome === null
        ? null
        : { resumed: outcome === 'resumed', why: outcome === 'resumed' ? null : outcome };
    return { ...networkStatus(this.world), relay, restored };
  }

  /** The network's part of a snapshot: its configuration and history (null: no network). */
  saveState(): SavedState | null {
    return this.world ? saveWorld(this.world) : null;
  }

  /** The configuration of the world running now (what a snapshot saves), or null. */
  get worldConfig(): WorldConfig | null {
    return this.world ? this.world.config : null;
  }

  takePackets(): NetworkPackets {
    const batch = this.log ? this.log.drain() : { entries: [], dropped: 0 };
    return { ...batch, generation: this.generation };
  }

  /** Virtual station `index` pings its gateway; the answer shows in its log (the status). */
  stationPing(index: number): void {
    this.world?.stationPing(index);
  }

  /** Virtual station `index` fetches `path` from its gateway's port 80 (a SoftAP's web server). */
  stationGet(index: number, path: string): void {
    this.world?.stationGet(index, path);
  }

  /**
   * Opens a session of the debugging tool on AP `lan`'s LAN (.1 host): listen, connect or a UDP
   * port. What happens shows in the status's `tools[lan]`; null without that LAN.
   */
  toolOpen(lan: number, spec: DebugToolSpec): number | null {
    return this.world?.toolOpen(lan, spec) ?? null;
  }

  /** Sends `text` on a tool session (false: nowhere to send to, which its log says too). */
  toolSend(lan: number, session: number, text: string): boolean {
    return this.world?.toolSend(lan, session, text) ?? false;
  }

  toolClose(lan: number, session: number): void {
    this.world?.toolClose(lan, session);
  }

  /**
   * One HTTP request from the page (the Service Worker's bridge) to a board or virtual host,
   * carried over a virtual TCP connection in simulated time: it completes while the board runs.
   */
  httpRequest(request: BridgeRequest): Promise<BridgeResponse> {
    const world = this.world;
    if (!world)
      return Promise.resolve(
        errorPage(
          503,
          'No virtual network',
          'The board has no network: load an ESP8266 board, and give it access points or stations in the network panel.',
        ),
      );
    if (!this.bridge) world.notReplayable("the page's web bridge talked to it");
    this.bridge ??= new HttpBridge(world);
    const bridge = this.bridge;
    return new Promise((resolve) => {
      const answer = (r: BridgeResponse) => {
        if (!this.pending.delete(answer)) return;
        resolve(r);
      };
      this.pending.add(answer);
      bridge.request(request, answer);
    });
  }

  /** The pcap file of everything on the air since the world was built. */
  capture(): Uint8Array | null {
    return this.world ? this.world.captureBytes() : null;
  }
}

/** Whether two configurations build the same world (the relay link aside, which is not in it). */
function sameConfig(
  a: WorldConfig & { relay?: string },
  b: WorldConfig & { relay?: string },
): boolean {
  return (
    (a.relay ?? '') === (b.relay ?? '') &&
    JSON.stringify(saveWorldConfig(a)) === JSON.stringify(saveWorldConfig(b))
  );
}
