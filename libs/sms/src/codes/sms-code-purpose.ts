/** What a one-time code is for; each purpose has its own code, lifetime, template and cooldown. */
export const SMS_CODE_PURPOSES = [
  'passwordless-login',
  'phone-confirmation',
  'set-password',
  'two-factor',
] as const;

/** One of {@link SMS_CODE_PURPOSES}. */
export type SmsCodePurpose = (typeof SMS_CODE_PURPOSES)[number];

/** True when `value` is one of {@link SMS_CODE_PURPOSES}. */
export function isSmsCodePurpose(value: unknown): value is SmsCodePurpose {
  return (SMS_CODE_PURPOSES as readonly unknown[]).includes(value);
}
