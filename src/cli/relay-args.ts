/** `v8266 relay` arguments. Reads no files. */
import { parseCidr, PRIVATE_NETWORKS, type Cidr } from '../net/relay/destination-filter.ts';
import { UsageError } from './errors.ts';
import { TAP_OPTION } from './net/network-args.ts';
import { parseOptions, type OptionSpec } from './options.ts';
import { parsePort } from './run-args.ts';

/** 8266 was taken by the obvious guess; 8265 is free on most machines and easy to remember. */
export const DEFAULT_RELAY_PORT = 8265;

export const RELAY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'port',
    value: 'N',
    help: `WebSocket port (default ${DEFAULT_RELAY_PORT}; 0 picks a free one)`,
  },
  {
    name: 'listen',
    value: 'ADDR',
    help: 'the address to listen on (default 127.0.0.1; anything else lets other machines in)',
  },
  {
    name: 'allow',
    value: 'CIDR',
    repeatable: true,
    help: `destinations frames may go to (repeatable; default ${PRIVATE_NETWORKS.join(' ')}); 0.0.0.0/0 allows all`,
  },
  {
    ...TAP_OPTION,
    help: 'also bridge a Linux TAP interface (created if absent; needs root and socat)',
  },
  { name: 'help', short: 'h', help: 'show this help' },
];

export interface RelayRequest {
  port: number;
  listen: string;
  allow: Cidr[];
  tapIfname: string | null;
  help: boolean;
}

export function parseRelayArgs(argv: readonly string[]): RelayRequest {
  const { options, positionals } = parseOptions(argv, RELAY_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`relay takes no arguments (${positionals[0]})`);
  const request: RelayRequest = {
    port: DEFAULT_RELAY_PORT,
    listen: '127.0.0.1',
    allow: [],
    tapIfname: null,
    help: false,
  };
  for (const { name, value } of options) {
    const text = value === true ? '' : value;
    if (name === 'port') request.port = parsePort(text, name);
    else if (name === 'listen') {
      if (!/^[0-9a-fA-F.:]+$|^localhost$/.test(text))
        throw new UsageError(`bad --listen "${text}" (an IP address)`);
      request.listen = text;
    } else if (name === 'allow') {
      try {
        request.allow.push(parseCidr(text));
      } catch {
        throw new UsageError(`bad --allow "${text}" (an IPv4 network like 192.168.10.0/24)`);
      }
    } else if (name === 'tap') {
      if (!/^[A-Za-z0-9_.-]{1,15}$/.test(text))
        throw new UsageError(`bad --tap "${text}" (an interface name)`);
      request.tapIfname = text;
    } else if (name === 'help') request.help = true;
  }
  if (request.allow.length === 0) request.allow = PRIVATE_NETWORKS.map(parseCidr);
  return request;
}
