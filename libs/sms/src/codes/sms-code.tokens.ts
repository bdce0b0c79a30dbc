/** Injection token of the validated options with their defaults (`ResolvedSmsCodeOptions`). */
export const SMS_CODE_RESOLVED_OPTIONS = Symbol('SMS_CODE_RESOLVED_OPTIONS');
