/** 48-bit MAC addresses as 6-byte arrays, with the string form used for map keys and logs. */
export type MacAddress = Uint8Array;

export const BROADCAST: MacAddress = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export function macToString(mac: MacAddress): string {
  return Array.from(mac.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function parseMac(text: string): MacAddress {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p)))
    throw new SyntaxError(`not a MAC address: ${text}`);
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

export function macEquals(a: MacAddress, b: MacAddress): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Group bit (I/G): broadcast and multicast. */
export const isGroup = (mac: MacAddress): boolean => (mac[0] & 1) !== 0;
export const isBroadcast = (mac: MacAddress): boolean => macEquals(mac, BROADCAST);
