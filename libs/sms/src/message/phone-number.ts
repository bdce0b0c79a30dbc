import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SmsValidationError } from '../errors/sms-validation.error.js';

/** A phone number that passed validation. */
export interface SmsPhoneNumber {
  /** E.164 with the leading plus, e.g. `+4512345678`. */
  e164: string;
  /** The E.164 digits without the plus, e.g. `4512345678`. */
  digits: string;
  /** ISO 3166-1 alpha-2 country, when known. */
  country?: string;
  /** The country calling code, e.g. `45`. */
  countryCallingCode?: string;
}

const SEPARATORS = /[\s\-.()]/g;
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Normalises a phone number to E.164: trims it, drops spaces, hyphens, dots and parentheses, and
 * checks that the result is `+` and 2–15 digits that make a possible number for its country.
 *
 * @throws SmsValidationError when the number cannot be an SMS destination.
 */
export function normalizePhoneNumber(input: unknown): SmsPhoneNumber {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new SmsValidationError('phone', 'The phone number is required.');
  }
  const compact = input.trim().replace(SEPARATORS, '');
  if (!E164.test(compact)) {
    throw new SmsValidationError(
      'phone',
      'The phone number must be in E.164 form: + and the country code, then 2 to 15 digits in all (e.g. +4512345678).',
    );
  }
  const parsed = parsePhoneNumberFromString(compact);
  if (!parsed || !parsed.isPossible()) {
    throw new SmsValidationError(
      'phone',
      'The phone number is not a possible number for its country code.',
    );
  }
  return {
    e164: compact,
    digits: compact.slice(1),
    country: parsed.country,
    countryCallingCode: parsed.countryCallingCode,
  };
}
