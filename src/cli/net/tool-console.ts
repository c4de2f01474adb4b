/**
 * The CLI side of `--tool`: does the tool steps (tool-args.ts) on a LAN's debugging tool
 * (src/net/ip/debug-tool.ts) and prints what the tool sees as stderr lines stamped with the
 * simulated time,
 *
 *   v8266: 4.317 s tool [1] < 192.168.10.100:1200 (16 bytes) ESP8266 UDP test
 *
 * held back until `flush`: `run` calls it after a slice's UART output once the UART's line has
 * ended (or after 0.1 s of simulated time), so on a terminal tool lines do not cut UART lines.
 */
import type { NetDebugTool } from '../../net/ip/debug-tool.ts';
import type { NetworkWorld } from '../../net/world.ts';
import type { ToolStep } from './tool-args.ts';

export class ToolConsole {
  /** The tool and session of each `--tool`, in the order they were opened. */
  private readonly sessions: { lan: number; tool: NetDebugTool; id: number }[] = [];
  private pending = '';

  /**
   * `tools[n]`: the debugging tool on AP n's LAN. Lines of LAN n > 0 read "tool@n [1] …".
   * `world`: opens and sends go through it, so its history has them (a snapshot resumes them).
   */
  constructor(
    private readonly tools: NetDebugTool[],
    private readonly write: (text: string) => void,
    private readonly world: NetworkWorld | null = null,
  ) {
    tools.forEach((tool, n) => {
      const name = n === 0 ? 'tool' : `tool@${n}`;
      tool.onLine = (entry) => {
        this.pending += `v8266: ${entry.seconds.toFixed(3)} s ${name} ${entry.line}\n`;
      };
    });
  }

  /** Does `step`; false when it cannot be done yet (its session has nowhere to send). */
  perform(step: ToolStep): boolean {
    if (step.kind === 'open') {
      const lan = step.lan ?? 0;
      const tool = this.tools[lan];
      const id = this.world ? this.world.toolOpen(lan, step.spec)! : tool.open(step.spec);
      this.sessions.push({ lan, tool, id });
      return true;
    }
    const s = this.sessions[step.tool];
    if (s === undefined || !s.tool.canSend(s.id)) return false;
    return this.send(s, step.bytes);
  }

  private send(s: { lan: number; tool: NetDebugTool; id: number }, bytes: Uint8Array): boolean {
    return this.world ? this.world.toolSend(s.lan, s.id, bytes) : s.tool.send(s.id, bytes);
  }

  /** Does the steps in order as far as they can be done now (`serve`: no expectations). */
  performDue(steps: ToolStep[]): void {
    while (steps.length > 0 && this.perform(steps[0])) steps.shift();
  }

  /** Sends on the latest `--tool` (stdin in `serve`); "nothing to send to" when it has no peer. */
  sendToLatest(bytes: Uint8Array): boolean {
    const s = this.sessions.at(-1);
    return s !== undefined && this.send(s, bytes);
  }

  /** Whether lines are waiting for `flush`. */
  get hasPending(): boolean {
    return this.pending !== '';
  }

  /** Writes the lines gathered since the last call. */
  flush(): void {
    if (this.pending === '') return;
    this.write(this.pending);
    this.pending = '';
  }
}
