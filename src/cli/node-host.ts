/** The CliHost of a real process: files, stdout/stderr, and the board factory. */

import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBoard, restoreBoard } from './board-factory.ts';
import type { CliHost, OutputFile } from './host.ts';

/** Writes in 64 KB chunks: a trace of a fast-toggling pin is many small lines. */
function openOutputFile(path: string): OutputFile {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new Error(fileErrorReason(error), { cause: error });
  }
  let pending = '';
  const flush = () => {
    if (pending) writeSync(fd, pending);
    pending = '';
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= 0x10000) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/**
 * v8266's own package.json, found upward from this module: it runs from src/cli/ through tsx and
 * from the bundle bin/v8266.mjs caches under node_modules/.cache/v8266/.
 */
function packageVersion(): string {
  for (let url = new URL('./package.json', import.meta.url); ;) {
    try {
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'v8266') return pkg.version ?? 'unknown';
    } catch {
      // no package.json here, or not readable: look further up
    }
    const up = new URL('../package.json', url);
    if (up.href === url.href) return 'unknown';
    url = up;
  }
}

/** Node's error for a file, without the stack and the syscall noise: "no such file". */
function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return (error as Error).message;
  }
}

export function nodeHost(): CliHost {
  // `v8266 run … | head` closes the pipe early: that ends the output, it is not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  return {
    writeStdout: (bytes) => process.stdout.write(bytes),
    writeStderr: (text) => process.stderr.write(text),
    readFile(path) {
      try {
        const buffer = readFileSync(path);
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        throw new Error(fileErrorReason(error), { cause: error });
      }
    },
    wallSeconds: () => performance.now() / 1000,
    version: packageVersion(),
    createBoard,
    restoreBoard,
    openOutputFile,
    writeFile(path, bytes) {
      try {
        writeFileSync(path, bytes);
      } catch (error) {
        throw new Error(fileErrorReason(error), { cause: error });
      }
    },
    readDirectory(dir) {
      try {
        return readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => {
            const full = join(e.parentPath, e.name);
            const buffer = readFileSync(full);
            return {
              path: full
                .slice(dir.length)
                .replace(/^[/\\]+/, '')
                .replace(/\\/g, '/'),
              bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
            };
          });
      } catch (error) {
        throw new Error(fileErrorReason(error), { cause: error });
      }
    },
  };
}
