/** Injection token of the validated site settings (`ValidatedSmsSettings | undefined`). */
export const SMS_SITE_SETTINGS = Symbol('SMS_SITE_SETTINGS');
