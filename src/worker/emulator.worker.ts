/// <reference lib="webworker" />
/**
 * The emulator Web Worker: exposes an `EmulatorHost` over comlink.
 *
 * Yielding goes through a MessageChannel rather than setTimeout(0), which browsers clamp to 4 ms
 * after a few nested calls: a posted message is a fresh macrotask that runs after any comlink
 * messages already queued, so the UI's commands are handled between time slices.
 */

import * as Comlink from 'comlink';
import { buildBoard, restoreBoard } from './board-factory.ts';
import { EmulatorHost, type HostEnvironment } from './emulator-host.ts';

function messageChannelScheduler(): (task: () => void) => void {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (task) => {
    queue.push(task);
    channel.port2.postMessage(null);
  };
}

const environment: HostEnvironment = {
  now: () => performance.now(),
  yieldThen: messageChannelScheduler(),
  after: (ms, task) => setTimeout(task, ms),
  buildBoard,
  restoreBoard,
};

Comlink.expose(new EmulatorHost(environment));
