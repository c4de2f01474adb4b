/**
 * 2.4 GHz channels and the regulatory domains the ESP8266 SDK's country setting selects
 * (`wifi_set_country`: CN and EU channels 1–13, US 1–11, JP 1–14).
 */
export type CountryCode = 'CN' | 'JP' | 'US' | 'EU';

export const COUNTRY_CHANNELS: Readonly<Record<CountryCode, { first: number; count: number }>> = {
  CN: { first: 1, count: 13 },
  EU: { first: 1, count: 13 },
  US: { first: 1, count: 11 },
  JP: { first: 1, count: 14 },
};

export function channelsOf(country: CountryCode): number[] {
  const { first, count } = COUNTRY_CHANNELS[country];
  return Array.from({ length: count }, (_, i) => first + i);
}

export const isValidChannel = (ch: number): boolean => Number.isInteger(ch) && ch >= 1 && ch <= 14;

/** Centre frequency (§19.3.15.2/§17.4.6.3): 2407 + 5·ch MHz, channel 14 at 2484 MHz. */
export function channelFrequencyMhz(ch: number): number {
  if (!isValidChannel(ch)) throw new RangeError(`no 2.4 GHz channel ${ch}`);
  return ch === 14 ? 2484 : 2407 + 5 * ch;
}
