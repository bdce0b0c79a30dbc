import { SMS_ERROR_MESSAGES } from '../sms-errors.messages.js';
import { SmsError } from '../sms.error.js';

/** The destination's country is not on the allow-list (`allowedCountries`); nothing was sent. */
export class SmsCodeCountryNotAllowedError extends SmsError {
  constructor(
    /** The ISO 3166-1 alpha-2 country of the number, or undefined when it has none (e.g. +800). */
    readonly country: string | undefined,
    readonly allowedCountries: readonly string[],
  ) {
    super(SMS_ERROR_MESSAGES.codeCountryNotAllowed(country, allowedCountries));
  }
}
