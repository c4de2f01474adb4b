/**
 * Polls the worker's network a few times a second while the panel is shown: the status (APs,
 * stations, the board's radio) and the packets logged since the last poll, which the worker has
 * batched. One comlink round trip each per poll, whatever the traffic.
 */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { PageNetworkStatus } from '../../worker/board-network.ts';
import { useClient } from '../client-context.ts';
import { PacketBuffer } from './packet-buffer.ts';

export const NETWORK_POLL_MS = 250;

export interface NetworkView {
  status: PageNetworkStatus | null;
  packets: PacketBuffer;
  /** Bumped when `packets` changed (the buffer itself is mutable). */
  packetsVersion: number;
}

export function useNetwork(): NetworkView {
  const client = useClient();
  const packets = useRef(new PacketBuffer()).current;
  const [status, setStatus] = useState<PageNetworkStatus | null>(null);
  const [packetsVersion, setPacketsVersion] = useState(0);
  useEffect(() => {
    let live = true;
    let timer = 0;
    const poll = async () => {
      try {
        const [s, batch] = await Promise.all([client.networkStatus(), client.takePackets()]);
        if (!live) return;
        setStatus(s);
        // A transition: during a transfer a poll brings hundreds of rows, and React then renders
        // them in slices between frames instead of in one long task (a dropped frame per poll).
        if (packets.add(batch)) startTransition(() => setPacketsVersion((v) => v + 1));
      } catch {
        // the worker is busy being replaced (a load): ask again next time
      } finally {
        if (live) timer = window.setTimeout(() => void poll(), NETWORK_POLL_MS);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, packets]);
  return { status, packets, packetsVersion };
}
