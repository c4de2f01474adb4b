/** How the toolbar shows run figures and what the status line says. Pure, so it is unit-tested. */

import type { LoadedFirmware, RunState } from '../worker/protocol.ts';

/** Simulated time as m:ss.mmm (h:mm:ss.mmm past an hour). */
export function formatSimTime(seconds: number): string {
  const totalMs = Math.max(0, Math.floor(seconds * 1000));
  const ms = totalMs % 1000;
  const totalSeconds = Math.floor(totalMs / 1000);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const m = totalMinutes % 60;
  const h = Math.floor(totalMinutes / 60);
  const mss = `${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${mss}` : `${m}:${mss}`;
}

/**
 * The measured rate: simulated time per wall time as a factor of real time, and guest MIPS
 * ("0.42× · 35 MIPS"); "–" while not running or before the first measurement.
 */
export function formatSpeed(percent: number, running: boolean, mips = 0): string {
  if (!running || percent <= 0) return '–';
  const factor = percent / 100;
  const digits = factor >= 100 ? 0 : factor >= 10 ? 1 : 2;
  const rate = `${factor.toFixed(digits)}×`;
  if (mips <= 0) return rate;
  return `${rate} · ${mips >= 10 ? mips.toFixed(0) : mips.toFixed(1)} MIPS`;
}

/** A large count in a short form: 950, 12.3 k, 4.56 M, 1.20 G. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} k`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)} M`;
  return `${(n / 1e9).toFixed(2)} G`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

export function statusText(
  runState: RunState,
  firmware: LoadedFirmware | null,
  error: string | null,
): string {
  const name = firmware ? firmware.name : '';
  switch (runState) {
    case 'no-board':
      return firmware
        ? `${name} loaded (${formatBytes(firmware.bytes)}); no board model to run it`
        : 'No board yet: drop a .bin firmware image';
    case 'off':
      return firmware ? `Powered off (${name})` : 'Powered off';
    case 'running':
      return `Running ${name}`;
    case 'paused':
      return `Paused (${name})`;
    case 'crashed':
      return `Crashed: ${error ?? 'unknown error'}`;
  }
}
