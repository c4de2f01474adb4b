/**
 * The 802.11 side of the virtual network: the air, virtual access points and stations, frame and
 * element codecs, WPA2 and CCMP, and captures. docs/network.md, "The air and access points".
 */
export { Air, Radio, logDistancePathLoss } from './air.ts';
export type {
  AirOptions,
  RadioOptions,
  RadioReceiver,
  RxInfo,
  Position,
  TransmitOptions,
  PathLossModel,
} from './air.ts';
export { airtimeMicros, sensitivityDbm, SIFS_US, DIFS_US } from './airtime.ts';
export type { TxVector } from './airtime.ts';
export { channelsOf, channelFrequencyMhz, COUNTRY_CHANNELS } from './regulatory.ts';
export type { CountryCode } from './regulatory.ts';
export { MacLayer, ackFrame, ackTxVector } from './mac-layer.ts';
export { AccessPoint, ethernetFrame } from './access-point.ts';
export type { AccessPointConfig, ApEvent, ApStation } from './access-point.ts';
export { VirtualStation } from './station.ts';
export type { StationConfig, ScanResult, ScanOptions, ConnectResult } from './station.ts';
export { AirCapture, PcapWriter, radiotapHeader, LINKTYPE_IEEE802_11_RADIOTAP } from './pcap.ts';
export * from './frame.ts';
export * from './ie.ts';
export * from './eapol.ts';
export * from './llc.ts';
export * from './mac-address.ts';
export { ccmpEncrypt, ccmpDecrypt, ccmpHeader } from './ccmp.ts';
export { pmkFromPassphrase, derivePtk } from './wpa.ts';
