/**
 * The elements a virtual AP puts in its beacons and probe responses, in the order of Table 9-27,
 * with the values a hostapd 802.11g/n AP on 20 MHz sends.
 */
import {
  countryIe,
  dsParamsIe,
  htCapabilitiesIe,
  htOperationIe,
  rateIes,
  rsnIe,
  ssidIe,
  Suite,
  wmmIe,
  IeId,
  type Ie,
  type Rate,
} from './ie.ts';
import { COUNTRY_CHANNELS, type CountryCode } from './regulatory.ts';

/** 802.11b rates basic, 802.11g rates supported (hostapd hw_mode=g). */
export const AP_RATES: Rate[] = [
  ...[1, 2, 5.5, 11].map((mbps) => ({ mbps, basic: true })),
  ...[6, 9, 12, 18, 24, 36, 48, 54].map((mbps) => ({ mbps, basic: false })),
];

export const RSN_WPA2_PSK_CCMP = rsnIe({
  version: 1,
  groupCipher: Suite.CCMP,
  pairwiseCiphers: [Suite.CCMP],
  akms: [Suite.AKM_PSK],
  capabilities: 0,
});

/** HT Capability Info: SM power save disabled (bits 2–3), short GI 20 MHz, Rx STBC 1. */
const HT_CAP_INFO = 0x000c | 0x0020 | 0x0100;

export function htCapabilities(): Ie {
  const mcs = new Uint8Array(16);
  mcs[0] = 0xff; // MCS 0–7, one spatial stream
  return htCapabilitiesIe({
    info: HT_CAP_INFO,
    ampduParams: 0x1b,
    mcsSet: mcs,
    extended: 0,
    txBeamforming: 0,
    antennaSelection: 0,
  });
}

/** hostapd's default WMM parameters for an AP (BE, BK, VI, VO). */
export function wmmParameters(): Ie {
  return wmmIe({
    subtype: 1,
    qosInfo: 0,
    acs: [
      { aifsn: 3, acm: false, ecwMin: 4, ecwMax: 10, txopLimit: 0 },
      { aifsn: 7, acm: false, ecwMin: 4, ecwMax: 10, txopLimit: 0 },
      { aifsn: 2, acm: false, ecwMin: 3, ecwMax: 4, txopLimit: 94 },
      { aifsn: 2, acm: false, ecwMin: 2, ecwMax: 3, txopLimit: 47 },
    ],
  });
}

export interface ApElementsConfig {
  ssid: string;
  /** Beacons of a hidden AP carry an empty SSID (hostapd ignore_broadcast_ssid=1). */
  hideSsid: boolean;
  channel: number;
  country: CountryCode;
  wpa2: boolean;
  /** The RSN element of a WPA2 BSS (default: group and pairwise CCMP). */
  rsn?: Ie;
  /** TIM, only in beacons. */
  tim?: Ie;
}

export function apElements(c: ApElementsConfig): Ie[] {
  const [rates, ext] = rateIes(AP_RATES);
  const dom = COUNTRY_CHANNELS[c.country];
  const ies: Ie[] = [
    c.hideSsid ? { id: IeId.SSID, data: new Uint8Array(0) } : ssidIe(c.ssid),
    rates,
    dsParamsIe(c.channel),
  ];
  if (c.tim) ies.push(c.tim);
  ies.push(
    countryIe({
      code: c.country === 'EU' ? 'EU' : c.country,
      environment: ' ',
      triplets: [{ firstChannel: dom.first, channels: dom.count, maxPowerDbm: 20 }],
    }),
    { id: IeId.ERP, data: Uint8Array.of(0) },
    ext,
  );
  if (c.wpa2) ies.push(c.rsn ?? RSN_WPA2_PSK_CCMP);
  ies.push(
    htCapabilities(),
    htOperationIe({
      primaryChannel: c.channel,
      info: new Uint8Array(5),
      basicMcsSet: new Uint8Array(16),
    }),
    wmmParameters(),
  );
  return ies;
}
