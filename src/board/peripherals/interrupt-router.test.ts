import { describe, expect, it } from 'vitest';
import { CpuIrq, EdgeIrqSource, InterruptRouter, NmiSelect } from './interrupt-router';
import { RecordingIrqSink } from './testing';

describe('InterruptRouter', () => {
  it('ORs level sources sharing a CPU input (UART0 + UART1 on INT 5)', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    const uart0 = router.levelLine(CpuIrq.UART);
    const uart1 = router.levelLine(CpuIrq.UART);
    uart0.set(true);
    uart1.set(true);
    expect(cpu.levels[5]).toBe(true);
    uart0.set(false);
    expect(cpu.levels[5]).toBe(true);
    uart1.set(false);
    expect(cpu.levels[5]).toBe(false);
  });

  it('a source repeating its level does not count twice', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    const gpio = router.levelLine(CpuIrq.GPIO);
    gpio.set(true);
    gpio.set(true);
    gpio.set(false);
    expect(cpu.levels[4]).toBe(false);
  });

  it('passes edge sources only while DPORT EDGE_INT_ENABLE allows them', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    const wdt = router.edgeLine(EdgeIrqSource.WDT);
    const frc1 = router.edgeLine(EdgeIrqSource.FRC1);
    const frc2 = router.edgeLine(EdgeIrqSource.FRC2);
    frc2.pulse();
    expect(cpu.edges).toEqual([]);
    router.setEdgeEnable(0b111);
    wdt.pulse();
    frc1.pulse();
    frc2.pulse();
    expect(cpu.edges).toEqual([8, 9, 10]);
  });

  it('sends FRC1 to the NMI while select 7 is enabled, and nowhere while it is only selected', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    router.setEdgeEnable(2);
    const frc1 = router.edgeLine(EdgeIrqSource.FRC1);
    router.setNmiRoute(true, NmiSelect.FRC1);
    frc1.pulse();
    router.setNmiRoute(false, NmiSelect.FRC1);
    frc1.pulse();
    expect(cpu.edges).toEqual([14]);
  });

  it('gives the Wi-Fi MAC to the NMI on the rising edge of "enabled and asserted"', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    const mac = router.wifiMacLine();
    router.setNmiRoute(true, NmiSelect.WIFI_MAC);
    mac.set(true);
    expect(cpu.edges).toEqual([14]);
    expect(cpu.levels[0]).toBe(false);
    // The level staying high is no new event…
    mac.set(true);
    expect(cpu.edges).toEqual([14]);
    // …but the handler's disable / re-enable with the source still pending is.
    router.setNmiRoute(false, NmiSelect.WIFI_MAC);
    expect(cpu.levels[0]).toBe(true);
    router.setNmiRoute(true, NmiSelect.WIFI_MAC);
    expect(cpu.levels[0]).toBe(false);
    expect(cpu.edges).toEqual([14, 14]);
    mac.set(false);
    router.setNmiRoute(false, NmiSelect.WIFI_MAC);
    router.setNmiRoute(true, NmiSelect.WIFI_MAC);
    expect(cpu.edges).toEqual([14, 14]);
  });

  it('leaves the Wi-Fi MAC on INT 0 when the NMI selects FRC1 (NONOS NmiTimSetFunc)', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    const mac = router.wifiMacLine();
    router.setNmiRoute(true, NmiSelect.FRC1);
    mac.set(true);
    expect(cpu.levels[0]).toBe(true);
    expect(cpu.edges).toEqual([]);
  });

  it('turns a level-mode edge source into one event per rising level', () => {
    const cpu = new RecordingIrqSink();
    const router = new InterruptRouter(cpu);
    router.setEdgeEnable(2);
    const frc1 = router.edgeLine(EdgeIrqSource.FRC1);
    frc1.set(true);
    frc1.set(true);
    frc1.set(false);
    frc1.set(true);
    expect(cpu.edges).toEqual([9, 9]);
  });
});
