import { useEffect, useState } from 'react';
import { useClient } from '../client-context.ts';

/** What the firmware fetches a dropped file at: the first LAN's .1 host (every .1 serves it). */
const GATEWAY = 'http://192.168.10.1';

/**
 * Files for the LANs' web servers (the seed guide's OTA images, anything binary or larger than
 * the board document holds): chosen here, sent to the worker, served at /NAME by every .1 host
 * until the page closes. The document's own `network.http` files (text) stay where they are.
 */
export function ServedFiles() {
  const client = useClient();
  const [files, setFiles] = useState<{ path: string; size: number }[]>([]);
  const refresh = () => void client.servedFiles().then(setFiles);
  useEffect(refresh, [client]);
  const add = async (list: FileList | null) => {
    for (const file of list ? [...list] : []) {
      await client.serveFile(`/${file.name}`, new Uint8Array(await file.arrayBuffer()));
    }
    refresh();
  };
  return (
    <div className="net-served" data-testid="net-served">
      <label className="net-served-pick">
        serve files{' '}
        <input
          type="file"
          multiple
          data-testid="net-served-input"
          onChange={(e) => {
            void add(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
      <ul className="net-served-list">
        {files.map((f) => (
          <li key={f.path} data-testid="net-served-file">
            <code>
              {GATEWAY}
              {encodeURI(f.path)}
            </code>{' '}
            · {f.size.toLocaleString('en')} bytes{' '}
            <button
              type="button"
              className="link-button"
              data-testid="net-served-remove"
              onClick={() => void client.serveFile(f.path, null).then(refresh)}
            >
              remove
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
