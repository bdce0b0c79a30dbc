import type { SmsCodePurpose } from './sms-code-purpose.js';

/** A code to send. */
export interface SmsCodeSendRequest {
  /** The destination, in E.164 (`+4512345678`); spaces, hyphens, dots and parentheses are ignored. */
  phone: string;
  purpose: SmsCodePurpose;
  /**
   * The environment whose SMS settings, company name and limits apply. When left out, the current
   * environment of `SmsEnvironmentContext` is used; with neither, the site's.
   */
  environment?: string | null;
  /**
   * The language of the text (`da`, `da-DK`, `en`): the exact locale, then its language, then the
   * default locale.
   * @default the option `defaultLocale`
   */
  locale?: string;
}

/** What a send tells the caller. Never the code. */
export interface SmsCodeSendResult {
  /** The id of the message that carried the code: its record's id (never the code's). */
  id: string;
  /** When the code stops verifying. */
  expiresAt: Date;
  /** When a new code for the same number and purpose may be asked for. */
  resendAfter: Date;
  /** The SMS segments the message took. */
  segments: number;
}

/** A code to check. */
export interface SmsCodeVerifyRequest {
  /** The number the code was sent to, in any form `send` accepts. */
  phone: string;
  purpose: SmsCodePurpose;
  /** What the user typed; surrounding spaces are ignored, and case when codes have no lower case. */
  code: string;
  /** The environment the code was sent for; resolved as in {@link SmsCodeSendRequest.environment}. */
  environment?: string | null;
}

/**
 * The answer of a check:
 * - `valid`: the code is right; it has now been used up;
 * - `invalid`: the code is wrong; `attemptsLeft` more tries are allowed;
 * - `expired`: the code's lifetime is over;
 * - `too-many-attempts`: the attempts are used up and the code is void;
 * - `no-code`: no code was sent, or it was used already.
 */
export type SmsCodeVerificationResult =
  'valid' | 'invalid' | 'expired' | 'too-many-attempts' | 'no-code';

/** The outcome of {@link SmsCodeVerifyRequest}. */
export interface SmsCodeVerification {
  result: SmsCodeVerificationResult;
  /** With `invalid`: how many more attempts the code allows. */
  attemptsLeft?: number;
}
