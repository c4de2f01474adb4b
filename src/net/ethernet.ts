/**
 * The seam between the 802.11 side (`src/net/wifi/`: the air, access points, stations) and the
 * wired/IP side (`src/net/ip/`: LAN segments, hosts, services, bridges out of the tab).
 *
 * An access point is a bridge: a data frame from an associated station leaves it as an Ethernet II
 * frame on the AP's LAN, and Ethernet frames on the LAN addressed to an associated station (or
 * broadcast/multicast) go out on the air. Everything on a LAN — the AP's uplink, virtual hosts, a
 * TAP bridge, a relay — is an `EthernetPort` attached to an `EthernetSegment`.
 *
 * Frames are Ethernet II without preamble or FCS: dst(6) src(6) ethertype(2) payload.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_EAPOL = 0x888e;

/** Something with a MAC address that takes frames from a segment. */
export interface EthernetPort {
  /** A frame on the segment that this port should see (its unicast address, broadcast, multicast;
   * every frame when it is promiscuous, as a bridge is). The bytes are the receiver's to keep. */
  receive(frame: Uint8Array): void;
}

/** A port's handle on the segment it is attached to. */
export interface EthernetAttachment {
  /** Put a frame on the segment (delivered to the other ports, never back to the sender). */
  send(frame: Uint8Array): void;
  detach(): void;
}

/** A broadcast domain: a learning switch that delivers in simulated time. */
export interface EthernetSegment {
  /** `promiscuous` ports (bridges) see every frame; others only frames for `mac`, broadcast and
   * multicast. */
  attach(
    port: EthernetPort,
    mac: Uint8Array,
    options?: { promiscuous?: boolean },
  ): EthernetAttachment;
}
