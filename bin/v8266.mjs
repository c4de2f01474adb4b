#!/usr/bin/env node
// The `v8266` command. It runs the TypeScript sources with no build step after `npm ci`: the
// first run bundles them with esbuild (which tsx brings) into node_modules/.cache/v8266/, and
// every run after that starts from the bundle until a source file is newer than it. Transpiling
// the ~150 source files through tsx's loader on every start cost 0.4 s of each run (AT firmware
// to `ready` took 0.65 s wall, of which 0.25 s was the emulation). Where the cache cannot be
// written (a read-only install) or esbuild is missing, the sources run through tsx as before.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'node_modules', '.cache', 'v8266', 'cli.mjs');

/** Newest modification time of the sources the bundle is made of (and of package.json). */
function sourcesTime() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  return newest;
}

async function bundled() {
  try {
    const built = statSync(bundle, { throwIfNoEntry: false });
    if (!built || built.mtimeMs < sourcesTime()) {
      const { build } = await import('esbuild');
      mkdirSync(dirname(bundle), { recursive: true });
      // Written beside and renamed: CLI runs started together (tests) never read half a file.
      const temp = `${bundle}.${process.pid}.tmp`;
      await build({
        stdin: {
          contents:
            "export { main } from './src/cli/main.ts'; export { nodeHost } from './src/cli/node-host.ts';",
          resolveDir: root,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: temp,
        logLevel: 'silent',
      });
      renameSync(temp, bundle);
    }
    return await import(pathToFileURL(bundle).href);
  } catch {
    return null;
  }
}

let cli = await bundled();
if (!cli) {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  const { nodeHost } = await import('../src/cli/node-host.ts');
  cli = { main, nodeHost };
}
// exitCode (not process.exit) lets stdout drain to a pipe before the process ends.
process.exitCode = await cli.main(process.argv.slice(2), cli.nodeHost());
