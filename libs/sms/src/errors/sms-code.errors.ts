import { SmsError, type SmsSettingsProblem } from './index.js';
import type { SmsCodePurpose } from '../codes/sms-code-purpose.js';

/** Which limit refused a send. */
export type SmsCodeLimit =
  /** A code for this number and purpose was sent less than the cooldown ago. */
  | 'cooldown'
  /** The number has had its codes for this hour. */
  | 'phone'
  /** The environment (or the site) has sent its codes for this hour. */
  | 'environment';

/** A send was refused by a limit; nothing was sent. Try again after {@link retryAfterSeconds}. */
export class SmsCodeRateLimitError extends SmsError {
  constructor(
    readonly limit: SmsCodeLimit,
    /** Whole seconds until a send can succeed, at least 1. */
    readonly retryAfterSeconds: number,
  ) {
    super(rateLimitMessage(limit, retryAfterSeconds));
  }
}

function rateLimitMessage(limit: SmsCodeLimit, seconds: number): string {
  const wait = `try again in ${seconds} second${seconds === 1 ? '' : 's'}`;
  switch (limit) {
    case 'cooldown':
      return `A code for this phone number and purpose was sent moments ago; ${wait}.`;
    case 'phone':
      return `This phone number has received the most codes allowed in an hour; ${wait}.`;
    case 'environment':
      return `The most codes allowed in an hour have been sent for this environment; ${wait}.`;
  }
}

/** The destination's country is not on the allow-list (`allowedCountries`); nothing was sent. */
export class SmsCodeCountryNotAllowedError extends SmsError {
  constructor(
    /** The ISO 3166-1 alpha-2 country of the number, or undefined when it has none (e.g. +800). */
    readonly country: string | undefined,
    readonly allowedCountries: readonly string[],
  ) {
    super(
      `The field phone must be a number in ${allowedCountries.join(', ')}; codes are not sent to ${country ? `numbers in ${country}` : 'numbers without a country'}.`,
    );
  }
}

/** A field of a send or verify request is missing or not one of the accepted values. */
export class SmsCodeRequestError extends SmsError {
  constructor(
    readonly field: 'purpose' | 'code',
    message: string,
  ) {
    super(message);
  }
}

/** The module options were refused at bootstrap. Lists every problem at once; never shows the hash key. */
export class SmsCodeOptionsError extends SmsError {
  constructor(readonly problems: SmsSettingsProblem[]) {
    super(
      `Invalid SMS code options:\n${problems.map((p) => `- ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
}

/**
 * A code message came out longer than the segment limit: the company name of the environment is
 * longer than the `maxCompanyNameLength` that templates were checked with, or needs UCS-2. Nothing
 * was sent and no limit was counted.
 */
export class SmsCodeTemplateError extends SmsError {
  constructor(
    readonly environment: string | null,
    readonly purpose: SmsCodePurpose,
    readonly locale: string,
    readonly segments: number,
    readonly maxSegments: number,
  ) {
    super(
      `The ${purpose} code message (locale ${locale}) for ${environment === null ? 'the site' : `environment "${environment}"`} needs ${segments} SMS segments; at most ${maxSegments} ${maxSegments === 1 ? 'is' : 'are'} allowed. Shorten the company name, or use one that fits GSM-7.`,
    );
  }
}
