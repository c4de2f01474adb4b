import { useClient } from '../client-context.ts';
import type { EmulatorClient } from '../emulator-client.ts';
import { AccessPoints } from './AccessPoints.tsx';
import { BoardRadio } from './BoardRadio.tsx';
import { DebugToolConsole } from './DebugToolConsole.tsx';
import { RelayForm } from './RelayForm.tsx';
import { ServedFiles } from './ServedFiles.tsx';
import { PacketList } from './PacketList.tsx';
import { Stations } from './Stations.tsx';
import { useNetwork } from './use-network.ts';
import { WebPage } from './WebPage.tsx';

async function downloadCapture(client: EmulatorClient): Promise<void> {
  const pcap = await client.networkCapture();
  if (!pcap) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(
    new Blob([pcap as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
  );
  a.download = 'v8266-air.pcap';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * The virtual network around the board (the document's `network`, run by the worker): the
 * board's radio, the access points with their stations, the virtual stations, the debugging tool
 * console on a LAN's .1 host, and the frames on the air.
 */
export function NetworkPanel() {
  const client = useClient();
  const { status, packets, packetsVersion } = useNetwork();
  return (
    <section className="panel network-panel" data-testid="network-panel" aria-label="Network">
      <header className="panel-header">
        <h2>Network</h2>
        <span className="panel-meta">
          <button
            type="button"
            className="link-button"
            data-testid="btn-net-pcap"
            disabled={!status}
            onClick={() => void downloadCapture(client)}
          >
            download .pcap
          </button>
        </span>
      </header>
      <div className="network-body">
        <h3>Board</h3>
        {status?.restored && (
          <p className="net-restored" data-testid="net-restored">
            {status.restored.resumed
              ? 'Restored from a snapshot: the network carried on where it was saved.'
              : `Restored from a snapshot: the network started afresh (${status.restored.why}).`}
          </p>
        )}
        <BoardRadio radio={status?.boards[0]} />
        <h3>Access points</h3>
        <AccessPoints live={status?.aps ?? []} />
        <h3>Stations</h3>
        <Stations live={status?.stations ?? []} />
        <h3>Network debugging tool</h3>
        <DebugToolConsole tools={status?.tools ?? []} />
        <h3>Files on the LANs' web servers</h3>
        <ServedFiles />
        <h3>Web page</h3>
        <WebPage status={status ?? null} />
        <h3>Relay to the real network</h3>
        <RelayForm live={status?.relay ?? null} />
        <h3>On the air</h3>
        <PacketList packets={packets} version={packetsVersion} />
      </div>
    </section>
  );
}
