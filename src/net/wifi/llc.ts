/**
 * LLC/SNAP encapsulation of Ethernet II payloads in 802.11 data frames (RFC 1042, IEEE 802.1H):
 * AA AA 03 00 00 00 followed by the EtherType. 802.1H (bridge tunnel, OUI 00-00-F8) is used for
 * the EtherTypes 0x80F3 (AARP) and 0x8137 (IPX), as bridges do.
 */
const BRIDGE_TUNNEL_TYPES = new Set([0x80f3, 0x8137]);

export function llcSnap(ethertype: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out.set([0xaa, 0xaa, 0x03, 0x00, 0x00, BRIDGE_TUNNEL_TYPES.has(ethertype) ? 0xf8 : 0x00]);
  out[6] = ethertype >> 8;
  out[7] = ethertype & 0xff;
  out.set(payload, 8);
  return out;
}

/** The EtherType and payload of an RFC 1042/802.1H body; null for anything else. */
export function parseLlcSnap(body: Uint8Array): { ethertype: number; payload: Uint8Array } | null {
  if (body.length < 8) return null;
  if (body[0] !== 0xaa || body[1] !== 0xaa || body[2] !== 0x03 || body[3] !== 0 || body[4] !== 0)
    return null;
  if (body[5] !== 0x00 && body[5] !== 0xf8) return null;
  return { ethertype: (body[6] << 8) | body[7], payload: body.slice(8) };
}
