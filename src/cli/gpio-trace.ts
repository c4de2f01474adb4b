/**
 * GPIO recorders for `v8266 run`: a VCD file of pad levels in simulated time (`--vcd FILE`) and a
 * text log on stderr (`--gpio-log`). Host-neutral: they write through callbacks and take the time
 * from the board when a change is reported.
 *
 * VCD (IEEE 1364 value change dump): timescale 1 ns, one 1-bit wire per pad, `gpio0`..`gpio16`
 * under scope `esp8266`, identifier codes `A`..`Q`. The levels the board reports at power-on are
 * the `$dumpvars` block at #0 (a pad never reported stays `x`); every later change is a
 * `#<ns>` line followed by `<level><id>` lines; the file ends with the time the run stopped at.
 * No `$date`, so the same run gives the same file.
 */

export const GPIO_PADS = 17;
const NS_PER_SECOND = 1e9;

function vcdId(pin: number): string {
  return String.fromCharCode(0x41 + pin);
}

export class VcdRecorder {
  private readonly initial: string[] = new Array<string>(GPIO_PADS).fill('x');
  private headerDone = false;
  private lastTime = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly version = '',
  ) {}

  /** Pad `pin` is at `level` since `seconds` of simulated time. */
  change(pin: number, level: 0 | 1, seconds: number): void {
    if (pin < 0 || pin >= GPIO_PADS) return;
    const t = Math.round(seconds * NS_PER_SECOND);
    if (!this.headerDone && t === 0) {
      this.initial[pin] = String(level);
      return;
    }
    this.writeHeader();
    let text = '';
    if (t !== this.lastTime) {
      text += `#${t}\n`;
      this.lastTime = t;
    }
    this.write(`${text}${level}${vcdId(pin)}\n`);
  }

  /** The run ended at `seconds`: close the trace there. */
  finish(seconds: number): void {
    this.writeHeader();
    const t = Math.round(seconds * NS_PER_SECOND);
    if (t > this.lastTime) this.write(`#${t}\n`);
  }

  private writeHeader(): void {
    if (this.headerDone) return;
    this.headerDone = true;
    const lines = [
      `$version v8266${this.version ? ` ${this.version}` : ''} $end`,
      '$timescale 1ns $end',
      '$scope module esp8266 $end',
    ];
    for (let pin = 0; pin < GPIO_PADS; pin++)
      lines.push(`$var wire 1 ${vcdId(pin)} gpio${pin} $end`);
    lines.push('$upscope $end', '$enddefinitions $end', '#0', '$dumpvars');
    for (let pin = 0; pin < GPIO_PADS; pin++) lines.push(`${this.initial[pin]}${vcdId(pin)}`);
    lines.push('$end');
    this.write(lines.join('\n') + '\n');
  }
}

/** `t=0.528592 GPIO2=0`: one line per pad change, seconds of simulated time with 6 decimals. */
export function formatGpioLogLine(pin: number, level: 0 | 1, seconds: number): string {
  return `t=${seconds.toFixed(6)} GPIO${pin}=${level}\n`;
}
