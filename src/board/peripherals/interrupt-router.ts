/**
 * The ESP8266's interrupt fan-in: peripheral outputs → the LX106's interrupt inputs.
 *
 *   const router = new InterruptRouter(cpu);           // cpu: IrqSink (setIrqLevel/raiseIrqEdge)
 *   const uart0Irq = router.levelLine(CpuIrq.UART);      // one line per source
 *   const frc1Irq = router.edgeLine(EdgeIrqSource.FRC1);
 *
 * Level sources (INT 0..5) sharing one CPU input are OR-ed: UART0 and UART1 both drive INT 5, and
 * INT 5 stays asserted until both have dropped. Edge sources (WDT, FRC1, FRC2) reach INT 8/9/10
 * only while their DPORT EDGE_INT_ENABLE bit is set.
 *
 * DPORT's NMI word (0x3FF00000, see dport.ts) picks one source for the NMI (INT 14, level 3):
 * bit 0 enables, [4:1] selects. Select 0 is the Wi-Fi MAC (`wifiMacLine`), select 7 is FRC1.
 * The NMI input is edge-sensitive: it fires when "enabled and the selected source asserted" goes
 * from false to true, so a handler that disables the route, clears the source and re-enables it
 * gets a new NMI for anything still pending. A routed source does not reach its normal input
 * (the MAC not INT 0, FRC1 not INT 9). Facts and where they come from: docs/watchdog.md §4.
 *
 * The router is itself an IrqSink, so a block written against the plain sink (the Wi-Fi MAC on
 * INT 0) can use it directly; each CPU input then has one extra anonymous source.
 */

import type { IrqLine, IrqSink } from './peripheral';
import type { SavedState, StateReader } from '../snapshot/state';

/** CPU interrupt numbers of the ESP8266's sources (facts: esp8266-hw.md §6). */
export const CpuIrq = {
  WDEV: 0,
  SLC: 1,
  SPI_I2S: 2,
  RTC: 3,
  GPIO: 4,
  UART: 5,
  WDT: 8,
  FRC1: 9,
  FRC2: 10,
  NMI: 14,
} as const;

/** The edge sources DPORT EDGE_INT_ENABLE gates; the value is the enable bit number. */
export const EdgeIrqSource = {
  WDT: 0,
  FRC1: 1,
  FRC2: 2,
} as const;
export type EdgeIrqSource = (typeof EdgeIrqSource)[keyof typeof EdgeIrqSource];

const LEVEL_INPUTS = 6;
/** CPU input of edge source bit n is 8 + n. */
const FIRST_EDGE_INPUT = 8;

/** DPORT NMI word [4:1]: the source the NMI takes. Only these two values are known to be used. */
export const NmiSelect = {
  WIFI_MAC: 0,
  FRC1: 7,
} as const;

class LevelLine implements IrqLine {
  /** @internal */
  asserted = false;
  constructor(
    private readonly router: InterruptRouter,
    private readonly cpuIrq: number,
  ) {}
  set(asserted: boolean): void {
    if (asserted === this.asserted) return;
    this.asserted = asserted;
    this.router.levelLineChanged(this, this.cpuIrq, asserted);
  }
  pulse(): void {
    // A level input has no notion of a pulse; treat it as a brief assertion the CPU latches
    // only if it samples it, which in this model means never. Blocks use `set` for levels.
  }
}

class EdgeLine implements IrqLine {
  /** @internal */
  asserted = false;
  constructor(
    private readonly router: InterruptRouter,
    private readonly source: EdgeIrqSource,
  ) {}
  /** A level-mode block (FRC1 CTRL bit 0) on an edge input: its rising edge is the event. */
  set(asserted: boolean): void {
    const rising = asserted && !this.asserted;
    this.asserted = asserted;
    if (rising) this.router.edgeSourceFired(this.source);
  }
  pulse(): void {
    this.router.edgeSourceFired(this.source);
  }
}

export class InterruptRouter implements IrqSink {
  /** Number of asserted sources per level input (0..5). */
  private readonly assertedCount = new Int32Array(LEVEL_INPUTS);
  /** State of the anonymous per-input source used through the IrqSink interface. */
  private readonly directLevel = new Uint8Array(LEVEL_INPUTS);
  private edgeEnable = 0;
  private nmiEnabled = false;
  private nmiSelect: number = NmiSelect.WIFI_MAC;
  /** The Wi-Fi MAC's line, the one source the NMI can take from the level inputs. */
  private wifiMac: LevelLine | null = null;
  /** Whether the MAC's level currently counts on INT 0 (it does unless the NMI has it). */
  private wifiMacOnInt0 = false;
  /** "NMI enabled and its source asserted" as last seen: the NMI fires on its rising edge. */
  private nmiInput = false;
  /** Every line handed out, in order: their levels are state a snapshot carries. */
  private readonly lines: (LevelLine | EdgeLine)[] = [];

  constructor(private readonly cpu: IrqSink) {}

  /** A new level source on CPU input `cpuIrq` (0..5), OR-ed with the others there. */
  levelLine(cpuIrq: number): IrqLine {
    if (cpuIrq < 0 || cpuIrq >= LEVEL_INPUTS)
      throw new RangeError(`INT ${cpuIrq} is not a level input`);
    const line = new LevelLine(this, cpuIrq);
    this.lines.push(line);
    return line;
  }

  /** The Wi-Fi MAC's interrupt: INT 0, or the NMI when DPORT's NMI word selects it. */
  wifiMacLine(): IrqLine {
    const line = new LevelLine(this, CpuIrq.WDEV);
    this.lines.push(line);
    this.wifiMac = line;
    return line;
  }

  /** The output of an edge source gated by DPORT EDGE_INT_ENABLE. */
  edgeLine(source: EdgeIrqSource): IrqLine {
    const line = new EdgeLine(this, source);
    this.lines.push(line);
    return line;
  }

  /** DPORT 0x04 EDGE_INT_ENABLE written. */
  setEdgeEnable(mask: number): void {
    this.edgeEnable = mask & 7;
  }

  /** DPORT 0x00 NMI word written: bit 0 enable, [4:1] the selected source. */
  setNmiRoute(enabled: boolean, select: number): void {
    this.nmiEnabled = enabled;
    this.nmiSelect = select & 0xf;
    this.updateWifiMacRoute();
  }

  /** Whether the NMI currently takes the Wi-Fi MAC's interrupt. */
  get nmiTakesWifiMac(): boolean {
    return this.nmiEnabled && this.nmiSelect === NmiSelect.WIFI_MAC;
  }

  get edgeEnableMask(): number {
    return this.edgeEnable;
  }

  /** Whether CPU level input n is asserted by any source. */
  isLevelAsserted(cpuIrq: number): boolean {
    return this.assertedCount[cpuIrq] > 0;
  }

  setIrqLevel(n: number, asserted: boolean): void {
    if (n < 0 || n >= LEVEL_INPUTS) return;
    const level = asserted ? 1 : 0;
    if (this.directLevel[n] === level) return;
    this.directLevel[n] = level;
    this.levelSourceChanged(n, asserted);
  }

  raiseIrqEdge(n: number): void {
    this.cpu.raiseIrqEdge(n);
  }

  /** The routing and every source's level (the CPU saves its own INTERRUPT bits). */
  saveState(): SavedState {
    return {
      assertedCount: this.assertedCount.slice(),
      directLevel: this.directLevel.slice(),
      edgeEnable: this.edgeEnable,
      nmiEnabled: this.nmiEnabled,
      nmiSelect: this.nmiSelect,
      wifiMacOnInt0: this.wifiMacOnInt0,
      nmiInput: this.nmiInput,
      lines: Uint8Array.from(this.lines, (l) => (l.asserted ? 1 : 0)),
    };
  }

  restoreState(s: StateReader): void {
    s.array('assertedCount', this.assertedCount);
    s.array('directLevel', this.directLevel);
    this.edgeEnable = s.u32('edgeEnable');
    this.nmiEnabled = s.boolean('nmiEnabled');
    this.nmiSelect = s.u32('nmiSelect');
    this.wifiMacOnInt0 = s.boolean('wifiMacOnInt0');
    this.nmiInput = s.boolean('nmiInput');
    const levels = s.array('lines', new Uint8Array(this.lines.length));
    this.lines.forEach((line, i) => (line.asserted = levels[i] === 1));
  }

  /** @internal */
  levelLineChanged(line: LevelLine, cpuIrq: number, asserted: boolean): void {
    if (line !== this.wifiMac) {
      this.levelSourceChanged(cpuIrq, asserted);
      return;
    }
    this.updateWifiMacRoute();
  }

  /** Put the MAC's level on INT 0 or the NMI input, whichever DPORT selects now. */
  private updateWifiMacRoute(): void {
    const macLevel = this.wifiMac?.asserted ?? false;
    const toNmi = this.nmiTakesWifiMac;
    const onInt0 = macLevel && !toNmi;
    if (onInt0 !== this.wifiMacOnInt0) {
      this.wifiMacOnInt0 = onInt0;
      this.levelSourceChanged(CpuIrq.WDEV, onInt0);
    }
    const nmiInput = toNmi && macLevel;
    if (nmiInput && !this.nmiInput) this.cpu.raiseIrqEdge(CpuIrq.NMI);
    this.nmiInput = nmiInput;
  }

  /** @internal */
  levelSourceChanged(cpuIrq: number, asserted: boolean): void {
    const before = this.assertedCount[cpuIrq];
    const after = before + (asserted ? 1 : -1);
    this.assertedCount[cpuIrq] = after;
    if (before > 0 !== after > 0) this.cpu.setIrqLevel(cpuIrq, after > 0);
  }

  /** @internal */
  edgeSourceFired(source: EdgeIrqSource): void {
    if (source === EdgeIrqSource.FRC1 && this.nmiSelect === NmiSelect.FRC1) {
      if (this.nmiEnabled) this.cpu.raiseIrqEdge(CpuIrq.NMI);
      return;
    }
    if (this.edgeEnable & (1 << source)) this.cpu.raiseIrqEdge(FIRST_EDGE_INPUT + source);
  }
}
