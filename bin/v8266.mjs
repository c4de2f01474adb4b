#!/usr/bin/env node
// The `v8266` command. Runs the TypeScript sources directly through tsx's loader, so the CLI works
// right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { nodeHost } = await import('../src/cli/node-host.ts');
// exitCode (not process.exit) lets stdout drain to a pipe before the process ends.
process.exitCode = await main(process.argv.slice(2), nodeHost());
