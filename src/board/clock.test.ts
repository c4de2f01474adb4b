import { describe, expect, it } from 'vitest';
import { ManualCycleCounter, SimClock, TICKS_PER_SECOND, ticksPerCycleAt } from './clock.ts';

describe('SimClock', () => {
  it('has a whole number of ticks per cycle for every clock the chip uses', () => {
    expect([26, 40, 52, 80, 160].map(ticksPerCycleAt)).toEqual([80, 52, 40, 26, 13]);
    expect(() => ticksPerCycleAt(100)).toThrow(RangeError);
  });

  it('derives time from the cycle counter: 80 million cycles at 80 MHz are one second', () => {
    const cpu = new ManualCycleCounter();
    const clock = new SimClock(cpu, 80);
    cpu.cycles = 80_000_000;
    expect(clock.now).toBe(TICKS_PER_SECOND);
    expect(clock.seconds).toBe(1);
  });

  it('keeps time continuous when the CPU switches to 160 MHz', () => {
    const cpu = new ManualCycleCounter();
    const clock = new SimClock(cpu, 80);
    cpu.cycles = 80_000_000; // 1 s at 80 MHz
    clock.setCpuMhz(160);
    expect(clock.seconds).toBe(1);
    cpu.cycles += 160_000_000; // 1 more second at 160 MHz
    expect(clock.seconds).toBe(2);
    expect(clock.cpuMhz).toBe(160);
  });

  it('fires alarms in time order, each exactly once, including ones scheduled by a callback', () => {
    const cpu = new ManualCycleCounter();
    const clock = new SimClock(cpu, 80);
    const fired: string[] = [];
    const b = clock.createAlarm(() => fired.push('b'));
    const c = clock.createAlarm(() => fired.push('c'));
    const a = clock.createAlarm(() => {
      fired.push('a');
      c.scheduleAt(clock.now); // due immediately: fires in the same pass
    });
    b.scheduleAt(2000);
    a.scheduleAt(1000);
    expect(clock.nextAlarmAt()).toBe(1000);
    expect(clock.cyclesUntil(1000)).toBe(Math.ceil(1000 / 26));
    cpu.cycles = 100; // 2600 ticks
    clock.fireDue();
    expect(fired).toEqual(['a', 'b', 'c']); // c was scheduled at now (2600), after b
    expect(clock.nextAlarmAt()).toBe(Infinity);
    clock.fireDue();
    expect(fired).toHaveLength(3);
  });

  it('does not fire an alarm before its time, and a cancelled alarm never fires', () => {
    const cpu = new ManualCycleCounter();
    const clock = new SimClock(cpu, 80);
    let count = 0;
    const alarm = clock.createAlarm(() => count++);
    alarm.scheduleIn(26 * 10);
    cpu.cycles = 9;
    clock.fireDue();
    expect(count).toBe(0);
    alarm.cancel();
    cpu.cycles = 20;
    clock.fireDue();
    expect(count).toBe(0);
    expect(alarm.scheduled).toBe(false);
  });

  it('tells the board when an alarm moves earlier, so a CPU slice can end in time', () => {
    const cpu = new ManualCycleCounter();
    const clock = new SimClock(cpu, 80);
    let stops = 0;
    clock.onEarlierAlarm = () => stops++;
    const late = clock.createAlarm(() => {});
    const early = clock.createAlarm(() => {});
    late.scheduleAt(10_000);
    expect(stops).toBe(1);
    early.scheduleAt(20_000); // later than the earliest: no need to stop
    expect(stops).toBe(1);
    early.scheduleAt(5_000);
    expect(stops).toBe(2);
  });

  it('keeps the earliest time right while alarms are re-armed, moved later or cancelled', () => {
    const clock = new SimClock(new ManualCycleCounter(), 80);
    const first = clock.createAlarm(() => {});
    const second = clock.createAlarm(() => {});
    const watchdog = clock.createAlarm(() => {});
    first.scheduleAt(1_000);
    second.scheduleAt(3_000);
    watchdog.scheduleAt(9_000);
    for (let feed = 0; feed < 5; feed++) watchdog.scheduleAt(9_000 + feed); // not the earliest
    expect(clock.nextAlarmAt()).toBe(1_000);
    first.scheduleAt(5_000); // the earliest moves past the second
    expect(clock.nextAlarmAt()).toBe(3_000);
    second.cancel();
    expect(clock.nextAlarmAt()).toBe(5_000);
    first.scheduleAt(5_000); // same time again
    expect(clock.nextAlarmAt()).toBe(5_000);
    first.cancel();
    expect(clock.nextAlarmAt()).toBe(9_004);
    watchdog.cancel();
    expect(clock.nextAlarmAt()).toBe(Infinity);
  });
});
