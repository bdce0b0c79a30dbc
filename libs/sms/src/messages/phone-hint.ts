import type { SmsPhoneNumber } from '../message/phone-number.js';

/** Digits shown at the end of a hint: enough to tell numbers apart, too few to dial. */
const SHOWN_DIGITS = 3;

/**
 * A number as a record shows it: the country code and the last 3 digits, the rest as dots
 * (`+4512345678` → `+45•••••678`).
 */
export function phoneHint(phone: SmsPhoneNumber): string {
  const code = phone.countryCallingCode ?? '';
  const national = phone.digits.slice(code.length);
  const hidden = Math.max(0, national.length - SHOWN_DIGITS);
  return `+${code}${'•'.repeat(hidden)}${national.slice(hidden)}`;
}
