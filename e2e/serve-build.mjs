/* global process, console, URL */
/**
 * The production build, served two ways for the e2e tests:
 *   - `vite preview` (sends COOP/COEP itself) on PREVIEW_PORT;
 *   - a plain static server that sends no special headers on STATIC_PORT, like GitHub Pages:
 *     there the app must isolate itself through public/coi-sw.js.
 * Built into node_modules/.cache/v8266-e2e-dist so it never races a developer's dist/, and git and
 * ESLint already ignore it.
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { build, preview } from 'vite';

const PREVIEW_PORT = Number(process.env.PREVIEW_PORT ?? 4273);
const STATIC_PORT = Number(process.env.STATIC_PORT ?? 4373);
const outDir = resolve('node_modules/.cache/v8266-e2e-dist');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
await preview({
  build: { outDir },
  preview: { port: PREVIEW_PORT, strictPort: true, host: '127.0.0.1' },
});

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file = normalize(join(outDir, path));
  if (!file.startsWith(outDir)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    await stat(file);
  } catch {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
  });
  createReadStream(file).pipe(res);
}).listen(STATIC_PORT, '127.0.0.1');

console.log(`preview on :${PREVIEW_PORT}, plain static host on :${STATIC_PORT}`);
