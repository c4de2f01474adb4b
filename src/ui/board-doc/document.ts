/**
 * The board description: one JSON document that says which board, how much flash, which MAC,
 * how time is paced, which firmware runs and which parts hang off which pins. The editor panel
 * shows it, the app applies it live, and the share URL carries exactly this document.
 *
 * Pure (no DOM, no worker): parsing and validation here are what decide whether an edit is
 * applied; the JSON schema below is for monaco's completion and squiggles.
 */

import { FLASH_SIZES } from '../../board/image/flash-layout.ts';
import { isAllowedFirmwareUrl } from './firmware-url.ts';
import { defaultNetwork, networkSchema, validateNetwork, type NetworkDoc } from './network-doc.ts';

export const BOARD_TYPES = ['nodemcu-v1', 'd1-mini', 'esp-01'] as const;
export type BoardType = (typeof BOARD_TYPES)[number];

export const PART_TYPES = ['led', 'button', 'switch', 'potentiometer'] as const;
export type PartType = (typeof PART_TYPES)[number];

export const LED_COLORS = ['red', 'green', 'blue', 'yellow', 'orange', 'white', 'purple'] as const;

export interface LedPart {
  type: 'led';
  id: string;
  /** The board pin the LED's anode goes to (through its resistor); the cathode to GND. */
  pin: string;
  color?: (typeof LED_COLORS)[number];
  /**
   * `anode` (default): anode on the pin, cathode to GND, lit while the pin is high.
   * `cathode`: cathode on the pin, anode to 3V3, lit while the pin is low.
   */
  wiring?: 'anode' | 'cathode';
}
export interface ButtonPart {
  type: 'button';
  id: string;
  /** The pin the button pulls to GND while pressed (the pin's pull-up holds it high otherwise). */
  pin: string;
  color?: 'red' | 'green' | 'blue' | 'yellow' | 'black' | 'white';
}
export interface SwitchPart {
  type: 'switch';
  id: string;
  /** The common lug goes to the pin; the switch connects it to GND (0) or 3V3 (1). */
  pin: string;
  /** Initial position. */
  value?: 0 | 1;
}
export interface PotentiometerPart {
  type: 'potentiometer';
  id: string;
  /** The wiper; only A0 is analog on the ESP8266. */
  pin: 'A0';
  /** Initial position, 0..1023. */
  value?: number;
}
export type Part = LedPart | ButtonPart | SwitchPart | PotentiometerPart;

export type FirmwareRef =
  /** The committed demo firmware. */
  | { kind: 'demo' }
  /** An empty board. */
  | { kind: 'none' }
  /** Fetched from an absolute https: URL (served with CORS + CORP headers) or a path on this site. */
  | { kind: 'url'; url: string; name?: string }
  /** The user's own files, named only: a shared link asks the opener to drop them. */
  | { kind: 'local'; name: string }
  /** The user's files inside the document: `data` is deflated then base64url. */
  | { kind: 'embedded'; name: string; parts: { offset: string; data: string }[] };

export interface BoardDocument {
  version: 1;
  board: BoardType;
  /** `512K`, `1M`, `2M`, `4M`, `8M`, `16M`. */
  flashSize: string;
  /** `18:fe:34:a1:b2:c3`. */
  mac: string;
  pacing: 'realtime' | 'max';
  firmware: FirmwareRef;
  parts: Part[];
  /** The virtual Wi-Fi around the board (network-doc.ts); a document without one gets the default. */
  network: NetworkDoc;
}

export const DEFAULT_MAC = '18:fe:34:a1:b2:c3';

export function defaultDocument(): BoardDocument {
  return {
    version: 1,
    board: 'nodemcu-v1',
    flashSize: '4M',
    mac: DEFAULT_MAC,
    pacing: 'realtime',
    firmware: { kind: 'demo' },
    parts: [],
    network: defaultNetwork(),
  };
}

export function formatDocument(doc: BoardDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const OFFSET_RE = /^(0x[0-9a-f]+|[0-9]+)$/i;
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

export function macBytes(mac: string): number[] {
  return mac.split(':').map((h) => parseInt(h, 16));
}

export function flashSizeBytes(doc: BoardDocument): number {
  return FLASH_SIZES.get(doc.flashSize.toUpperCase().replace(/B$/, ''))!;
}

export class BoardDocumentError extends Error {
  override name = 'BoardDocumentError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Pins a part may go to, per board: the drivable GPIOs by silkscreen name, plus A0. */
export type PinCheck = (board: BoardType, pin: string) => boolean;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Check a parsed JSON value and fill in defaults. Throws a `BoardDocumentError` listing every
 * problem with its path (`parts[1].pin: …`). `pinOk` says which pins exist on a board (the
 * board data files know; this module does not draw boards).
 */
export function validateDocument(value: Json, pinOk?: PinCheck): BoardDocument {
  const problems: string[] = [];
  if (!isObject(value)) throw new BoardDocumentError(['the document must be a JSON object']);
  const known = new Set([
    '$schema',
    'version',
    'board',
    'flashSize',
    'mac',
    'pacing',
    'firmware',
    'parts',
    'network',
  ]);
  for (const key of Object.keys(value))
    if (!known.has(key)) problems.push(`${key}: unknown property`);
  const def = defaultDocument();
  const version = value.version ?? 1;
  if (version !== 1)
    problems.push(`version: only version 1 exists (got ${JSON.stringify(version)})`);

  const board = value.board ?? def.board;
  if (!BOARD_TYPES.includes(board as BoardType)) {
    problems.push(`board: one of ${BOARD_TYPES.join(', ')} (got ${JSON.stringify(board)})`);
  }
  const flashSize = value.flashSize ?? def.flashSize;
  if (
    typeof flashSize !== 'string' ||
    !FLASH_SIZES.has(flashSize.toUpperCase().replace(/B$/, ''))
  ) {
    problems.push(
      `flashSize: one of ${[...FLASH_SIZES.keys()].join(', ')} (got ${JSON.stringify(flashSize)})`,
    );
  }
  const mac = value.mac ?? def.mac;
  if (typeof mac !== 'string' || !MAC_RE.test(mac)) {
    problems.push(`mac: six hex bytes like ${DEFAULT_MAC} (got ${JSON.stringify(mac)})`);
  } else if (parseInt(mac.slice(0, 2), 16) & 1) {
    problems.push('mac: the first byte must be even (a unicast address)');
  }
  const pacing = value.pacing ?? def.pacing;
  if (pacing !== 'realtime' && pacing !== 'max') {
    problems.push(`pacing: "realtime" or "max" (got ${JSON.stringify(pacing)})`);
  }
  const firmware = validateFirmware(value.firmware ?? def.firmware, problems);
  const parts = validateParts(
    value.parts ?? [],
    problems,
    BOARD_TYPES.includes(board as BoardType) ? (board as BoardType) : null,
    pinOk,
  );
  const network = validateNetwork(value.network ?? def.network, problems);
  if (problems.length > 0) throw new BoardDocumentError(problems);
  return {
    version: 1,
    board: board as BoardType,
    flashSize: flashSize as string,
    mac: (mac as string).toLowerCase(),
    pacing: pacing as 'realtime' | 'max',
    firmware: firmware!,
    parts: parts!,
    network: network!,
  };
}

function validateFirmware(value: Json, problems: string[]): FirmwareRef | null {
  if (!isObject(value)) {
    problems.push('firmware: an object like { "kind": "demo" }');
    return null;
  }
  const at = (msg: string) => problems.push(`firmware.${msg}`);
  switch (value.kind) {
    case 'demo':
    case 'none':
      return { kind: value.kind };
    case 'url':
      if (typeof value.url !== 'string' || !isAllowedFirmwareUrl(value.url)) {
        at('url: an absolute https: URL or a path on this site (not //host/…)');
        return null;
      }
      return {
        kind: 'url',
        url: value.url,
        ...(typeof value.name === 'string' ? { name: value.name } : {}),
      };
    case 'local':
      if (typeof value.name !== 'string') at('name: the file name');
      return { kind: 'local', name: String(value.name) };
    case 'embedded': {
      if (typeof value.name !== 'string') at('name: the file name');
      if (!Array.isArray(value.parts) || value.parts.length === 0) {
        at('parts: a list of { "offset": "0x0", "data": "…" }');
        return null;
      }
      const parts = value.parts.map((p, i) => {
        if (!isObject(p) || typeof p.offset !== 'string' || !OFFSET_RE.test(p.offset)) {
          at(`parts[${i}].offset: hex like "0x10000"`);
        } else if (typeof p.data !== 'string' || !BASE64URL_RE.test(p.data)) {
          at(`parts[${i}].data: base64url text`);
        }
        return {
          offset: String(isObject(p) ? p.offset : ''),
          data: String(isObject(p) ? p.data : ''),
        };
      });
      return { kind: 'embedded', name: String(value.name), parts };
    }
    default:
      at(`kind: one of demo, none, url, local, embedded (got ${JSON.stringify(value.kind)})`);
      return null;
  }
}

function validateParts(
  value: Json,
  problems: string[],
  board: BoardType | null,
  pinOk?: PinCheck,
): Part[] | null {
  if (!Array.isArray(value)) {
    problems.push('parts: a list of { "type", "id", "pin" }');
    return null;
  }
  const ids = new Set<string>();
  const out: Part[] = [];
  value.forEach((p, i) => {
    const at = (msg: string) => problems.push(`parts[${i}].${msg}`);
    if (!isObject(p)) return at('a part object');
    const type = p.type as PartType;
    if (!PART_TYPES.includes(type))
      return at(`type: one of ${PART_TYPES.join(', ')} (got ${JSON.stringify(p.type)})`);
    const allowed = new Set([
      'type',
      'id',
      'pin',
      ...(type === 'led' ? ['color', 'wiring'] : type === 'button' ? ['color'] : ['value']),
    ]);
    for (const key of Object.keys(p))
      if (!allowed.has(key)) at(`${key}: unknown property for a ${type}`);
    if (typeof p.id !== 'string' || !ID_RE.test(p.id))
      return at('id: a name like "led1" (letters, digits, - and _)');
    if (ids.has(p.id)) return at(`id: "${p.id}" is used twice`);
    ids.add(p.id);
    if (typeof p.pin !== 'string') return at('pin: the board pin name, like "D1"');
    if (type === 'potentiometer') {
      if (p.pin !== 'A0') return at('pin: a potentiometer goes to A0 (the only analog input)');
      if (p.value !== undefined && (typeof p.value !== 'number' || p.value < 0 || p.value > 1023)) {
        return at('value: 0..1023');
      }
    } else if (p.pin === 'A0' || (board && pinOk && !pinOk(board, p.pin))) {
      return at(`pin: "${p.pin}" is not a GPIO pin of the ${board ?? 'board'}`);
    }
    if (type === 'led') {
      if (p.color !== undefined && !LED_COLORS.includes(p.color as never))
        at(`color: one of ${LED_COLORS.join(', ')}`);
      if (p.wiring !== undefined && p.wiring !== 'anode' && p.wiring !== 'cathode')
        at('wiring: "anode" or "cathode"');
    }
    if (type === 'switch' && p.value !== undefined && p.value !== 0 && p.value !== 1)
      at('value: 0 or 1');
    out.push(p as unknown as Part);
  });
  return out;
}

/** Parse editor text: JSON syntax errors and document problems both become a BoardDocumentError. */
export function parseDocument(text: string, pinOk?: PinCheck): BoardDocument {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BoardDocumentError([`not valid JSON: ${(err as Error).message}`]);
  }
  return validateDocument(value, pinOk);
}

/** The JSON schema monaco validates and completes with (the TS validator above is the judge). */
export function boardSchema(pinsByBoard: Record<BoardType, string[]>): object {
  const gpioPins = [...new Set(Object.values(pinsByBoard).flat())];
  const pin = { type: 'string', enum: gpioPins, description: 'Board pin (silkscreen name)' };
  const id = { type: 'string', pattern: ID_RE.source, description: 'A unique name for the part' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'v8266 board description',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      version: { const: 1 },
      board: { enum: [...BOARD_TYPES], description: 'Which board is drawn' },
      flashSize: {
        enum: [...FLASH_SIZES.keys()],
        description: 'SPI flash size; changing it rebuilds the board with the same flash contents',
      },
      mac: { type: 'string', pattern: MAC_RE.source, description: 'Station MAC address (eFuse)' },
      pacing: { enum: ['realtime', 'max'], description: 'Real time, or as fast as the CPU goes' },
      firmware: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { enum: ['demo', 'none', 'url', 'local', 'embedded'] },
          url: { type: 'string' },
          name: { type: 'string' },
          parts: {
            type: 'array',
            items: {
              type: 'object',
              properties: { offset: { type: 'string' }, data: { type: 'string' } },
              required: ['offset', 'data'],
            },
          },
        },
      },
      network: networkSchema(),
      parts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'id', 'pin'],
          properties: {
            type: { enum: [...PART_TYPES] },
            id,
            pin: { anyOf: [pin, { const: 'A0' }] },
            color: { type: 'string' },
            wiring: { enum: ['anode', 'cathode'], description: 'Which LED leg is on the pin' },
            value: { type: 'number' },
          },
          defaultSnippets: [
            { label: 'LED', body: { type: 'led', id: '${1:led1}', pin: '${2:D1}', color: 'red' } },
            { label: 'Push button', body: { type: 'button', id: '${1:btn1}', pin: '${2:D3}' } },
            { label: 'Slide switch', body: { type: 'switch', id: '${1:sw1}', pin: '${2:D5}' } },
            { label: 'Potentiometer', body: { type: 'potentiometer', id: '${1:pot1}', pin: 'A0' } },
          ],
        },
      },
    },
  };
}
