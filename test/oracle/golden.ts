/** The golden-output format written by record-golden.mjs: QEMU's exit code, stdout and stderr. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIRMWARE_OUT = fileURLToPath(new URL('../../firmware/sim/out/', import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export interface ProgramOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every committed firmware/sim program, by name (file name without .elf), sorted. */
export function simPrograms(): string[] {
  return readdirSync(FIRMWARE_OUT)
    .filter((f) => f.endsWith('.elf'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function programPath(name: string): string {
  return `${FIRMWARE_OUT}${name}.elf`;
}

/** Latin-1 so every byte survives as one char. */
export function bytesText(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function readGolden(name: string): ProgramOutput {
  const text = bytesText(readFileSync(`${GOLDEN_DIR}${name}.txt`));
  const m = /^exit: (-?\d+)\n--- stdout\n([\s\S]*)\n--- stderr\n([\s\S]*)\n--- end\n$/.exec(text);
  if (!m) throw new Error(`golden/${name}.txt is not in record-golden.mjs's format`);
  return { exitCode: Number(m[1]), stdout: m[2]!, stderr: m[3]! };
}
