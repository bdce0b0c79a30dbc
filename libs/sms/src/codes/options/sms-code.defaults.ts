import type { SmsCodePurpose } from '../sms-code-purpose.js';

/** Upper-case letters and digits without look-alikes (0/O, 1/I/L, 5/S, 8/B, 2/Z). */
export const SMS_CODE_UNAMBIGUOUS_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/** Defaults of the `SmsCodeModule` options. */
export const SMS_CODE_DEFAULTS = Object.freeze({
  maxCompanyNameLength: 30,
  codeLength: 6,
  codeAlphabet: '0123456789',
  lifetimeSeconds: Object.freeze({
    'passwordless-login': 600,
    'phone-confirmation': 600,
    'set-password': 600,
    'two-factor': 300,
  }) satisfies Readonly<Record<SmsCodePurpose, number>>,
  maxAttempts: 5,
  resendCooldownSeconds: 60,
  maxSendsPerPhonePerHour: 5,
  maxSendsPerEnvironmentPerHour: 1000,
  defaultLocale: 'en',
  maxSegments: 1,
  purgeIntervalMs: 600_000,
});
