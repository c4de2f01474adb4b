/**
 * The LX106's registers as the GDB stub numbers them, written once: the `g`/`G` packets, `p`/`P`
 * and the target description (qXfer:features:read:target.xml) all come from this table.
 *
 * Numbers 0..112 are the layout Espressif's xtensa-lx106-elf-gdb (Arduino and PlatformIO
 * toolchains) expects from a stub, as the ESP8266 Arduino core's GDBStub sends it
 * (libraries/GDBStub/src/internal/gdbstub.c): pc at 0, sar 36, litbase 37, sr176 (CONFIGID0) 40,
 * ps 42, a0..a15 at 97..112; the other slots of that layout are registers this stub does not
 * send (`xxxxxxxx`, unavailable), named `slotN` here because the stub's source gives them no
 * names. The `g` packet is exactly those 113 words, so that gdb accepts it.
 *
 * Numbers from 113 are the exception and debug registers a crash needs (EPC1, EXCCAUSE,
 * EXCVADDR, DEPC…), outside the `g` packet: a GDB that reads the target description fetches
 * them one by one with `p` and shows them by name (`info registers exccause`, `p $excvaddr`).
 */

import { SR } from '../cpu/special-registers.ts';

export type RegisterSource =
  | { kind: 'pc' }
  | { kind: 'ar'; n: number }
  /** A special register; `readOnly` ones ignore writes (INTERRUPT's WSR number is INTSET). */
  | { kind: 'sr'; sr: number; readOnly?: boolean }
  | { kind: 'none' };

export interface GdbRegister {
  regnum: number;
  name: string;
  source: RegisterSource;
  /** The target description's type: code_ptr for pc, data_ptr for the stack pointer. */
  type: 'uint32' | 'code_ptr' | 'data_ptr';
  group?: 'general' | 'system';
}

/** Registers in the `g` packet. */
export const G_PACKET_REGISTERS = 113;

const A0 = 97;

function buildTable(): GdbRegister[] {
  const table: GdbRegister[] = [];
  for (let n = 0; n < G_PACKET_REGISTERS; n++) {
    table.push({ regnum: n, name: `slot${n}`, source: { kind: 'none' }, type: 'uint32' });
  }
  const put = (
    regnum: number,
    name: string,
    source: RegisterSource,
    type: GdbRegister['type'] = 'uint32',
  ) => {
    table[regnum] = { regnum, name, source, type, group: 'general' };
  };
  put(0, 'pc', { kind: 'pc' }, 'code_ptr');
  put(36, 'sar', { kind: 'sr', sr: SR.SAR });
  put(37, 'litbase', { kind: 'sr', sr: SR.LITBASE });
  put(40, 'sr176', { kind: 'sr', sr: SR.CONFIGID0, readOnly: true });
  put(42, 'ps', { kind: 'sr', sr: SR.PS });
  for (let n = 0; n < 16; n++)
    put(A0 + n, `a${n}`, { kind: 'ar', n }, n === 1 ? 'data_ptr' : 'uint32');

  const system: [string, number, boolean?][] = [
    ['epc1', SR.EPC1],
    ['epc2', SR.EPC2],
    ['epc3', SR.EPC3],
    ['depc', SR.DEPC],
    ['eps2', SR.EPS2],
    ['eps3', SR.EPS3],
    ['excsave1', SR.EXCSAVE1],
    ['excsave2', SR.EXCSAVE2],
    ['excsave3', SR.EXCSAVE3],
    ['exccause', SR.EXCCAUSE],
    ['excvaddr', SR.EXCVADDR],
    ['debugcause', SR.DEBUGCAUSE],
    ['vecbase', SR.VECBASE],
    ['interrupt', SR.INTERRUPT, true],
    ['intenable', SR.INTENABLE],
    ['ccount', SR.CCOUNT],
    ['ccompare0', SR.CCOMPARE0],
    ['ibreakenable', SR.IBREAKENABLE],
    ['ibreaka0', SR.IBREAKA0],
    ['dbreaka0', SR.DBREAKA0],
    ['dbreakc0', SR.DBREAKC0],
    ['icount', SR.ICOUNT],
    ['icountlevel', SR.ICOUNTLEVEL],
    ['prid', SR.PRID, true],
  ];
  for (const [name, sr, readOnly] of system) {
    table.push({
      regnum: table.length,
      name,
      source: { kind: 'sr', sr, readOnly },
      type: 'uint32',
      group: 'system',
    });
  }
  return table;
}

export const GDB_REGISTERS: readonly GdbRegister[] = buildTable();

export function registerNumber(name: string): number {
  const reg = GDB_REGISTERS.find((r) => r.name === name);
  if (!reg) throw new Error(`no register ${name}`);
  return reg.regnum;
}

/**
 * The target description GDB reads with qXfer:features:read:target.xml: every register above
 * in stub order, so `regnum` matches the `g` packet and `p`/`P`. The feature name is our own:
 * GDB's Xtensa port defines none.
 */
export function targetXml(): string {
  const regs = GDB_REGISTERS.map((r) => {
    const group = r.group ? ` group="${r.group}"` : '';
    return `    <reg name="${r.name}" bitsize="32" regnum="${r.regnum}" type="${r.type}"${group}/>`;
  });
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '  <architecture>xtensa</architecture>',
    '  <feature name="org.v8266.lx106">',
    ...regs,
    '  </feature>',
    '</target>',
    '',
  ].join('\n');
}
