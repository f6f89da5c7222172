import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

/**
 * The dialling rule: what a telephone number a person or a CRM wrote becomes before it is
 * dialled. Separators are gone by the time it gets here (only `+`, digits, `*` and `#`).
 *
 * - A number libphonenumber-js knows as valid becomes E.164 (`+442079460018`): always when
 *   it is written with `+`, and, when Settings names a default country, also when written
 *   the national way (`0611 234567`) or with that country's international prefix
 *   (`0044 20 7946 0018` from Germany).
 * - Everything else is dialled as written: extensions (`1002`), short and emergency codes
 *   (`112`), feature codes (`*31#`), numbers the library does not know. The PBX decides.
 *
 * The full ("max") metadata is used because the smaller one checks lengths only and would
 * take an extension such as `1002` for a German number. Pure and never throws.
 */

export type Country = CountryCode;

/** Every country the library has numbering plans for, as ISO 3166 alpha-2 codes. */
export const COUNTRIES: readonly Country[] = getCountries();

export function isCountry(code: string): code is Country {
  return isSupportedCountry(code);
}

/** Settings' "Default country" ('' for none) as a country, or null. */
export const countryOf = (code: string): Country | null => (isCountry(code) ? code : null);

/** `+49` for 'DE'. */
export const callingCode = (country: Country): string => `+${getCountryCallingCode(country)}`;

/** Written between digits for readability only: spaces, dashes, dots, brackets, slashes. */
export const VISUAL_SEPARATORS =
  /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000\-\u2010-\u2015.()[\]/]/gu;

/**
 * A dial string as written (`+44 20 7946 0018`, `(0611) 234-567`, `sip:bob@pbx`) after the
 * rule above. A SIP address, or anything that is not a number once separators are gone,
 * is returned as written: the backend that dials it says what is wrong with it.
 */
export function applyDiallingRule(written: string, defaultCountry: Country | null): string {
  const trimmed = written.trim();
  if (/^sips?:/i.test(trimmed) || trimmed.includes('@')) return trimmed;
  const digits = trimmed.replace(VISUAL_SEPARATORS, '');
  return /^\+?[0-9*#]+$/.test(digits) ? dialledNumber(digits, defaultCountry) : trimmed;
}

export function dialledNumber(digits: string, defaultCountry: Country | null): string {
  // Feature codes and anything a phone-number parser would misread stay as they are.
  if (!/^\+?[0-9]{2,20}$/.test(digits)) return digits;
  const international = digits.startsWith('+');
  if (!international && defaultCountry === null) return digits;
  const parsed = international
    ? parsePhoneNumberFromString(digits)
    : parsePhoneNumberFromString(digits, defaultCountry ?? undefined);
  return parsed?.isValid() === true ? parsed.number : digits;
}
