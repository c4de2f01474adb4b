/**
 * The ETS scheduler and ROM timers (rom-internals §3) on the emulated chip, driven by
 * firmware/romtest/sched.c and timer.c.
 */
import { describe, expect, it } from 'vitest';
import { Block } from '../../src/board/esp8266.ts';
import { StoragePeripheral } from '../../src/board/peripherals/index.ts';
import { createBoard } from '../../src/board/board.ts';
import { bootRomtest } from './romtest.ts';

describe('ROM scheduler', () => {
  it('serves the highest priority first, hands out queue slots, returns 0/1 from ets_post, idles like the ROM', () => {
    const t = bootRomtest('sched');
    expect(t.runUntilText('done\n', 0.3)).toBe(true);
    expect(t.out()).toBe(
      [
        'unregistered 1', // no task: qlen 0, the event is dropped
        'record 40100294 2 80000000', // {handler, queue, qlen 2 + zeroed indices, mask 1 << 31}
        'posts 0 0 0 0 1 0 ready=80000210 ps=20', // third post to a 2-slot queue → 1; ready bitmap
        'run',
        't32 sig=3 par=32 running=32 slot=1', // 32 first, FIFO within a priority
        't32 sig=4 par=33 running=32 slot=1',
        't10 sig=2 par=10 running=10 slot=1',
        't5 sig=1 par=51 running=5 slot=1',
        'post in task 0',
        't10 sig=7 par=70 running=10 slot=1', // posted inside task 5: runs right after it, before 5's next
        't5 sig=6 par=52 running=5 slot=1',
        'idle arg=1d ps=23 post=0', // the idle callback runs locked (PS 0x23)
        'ps after post 20', // ets_post unlocks unconditionally
        'h6', // the task posted from idle waits: WAITI 0 until an interrupt
        't3 sig=3 par=33 running=3 slot=1',
        'ps in task 20 idle calls 1',
        'done',
        '',
      ].join('\n'),
    );
  });

  // FRC2 is not wired into the SoC yet (src/board/esp8266.ts maps a plain register store at
  // 0x60000600): this runs as soon as the timer block is there.
  const frcWired = !(createBoard().soc.blocks[Block.FRC] instanceof StoragePeripheral);
  it.skipIf(!frcWired)('ROM timers dispatch on FRC2 in the priority-31 task (waits for the FRC2 block)', () => {
    const t = bootRomtest('timer');
    const start = t.board.seconds;
    expect(t.runUntilText('done\n', 0.5)).toBe(true);
    expect(t.out()).toBe(
      [
        'frc2 ctrl=88',
        'setfn next=ffffffff',
        'period=3126 head is once=1', // 10 ms = 10·312500/1000 + 1 ticks at 312.5 kHz
        'once arg=b',
        'tick 1 arg=a running=31',
        'tick 2 arg=a running=31',
        'tick 3 arg=a running=31',
        'done',
        '',
      ].join('\n'),
    );
    expect(t.board.seconds - start).toBeGreaterThan(0.03);
  });
});
