/** The provider types built into the library, spelled exactly as in the settings. */
export const BUILT_IN_SMS_PROVIDER_TYPES = [
  'AccessUrl',
  'GatewayApi',
  'Smstools',
  'TeliaSmsGateway',
] as const;

/** One of the built-in provider types. */
export type BuiltInSmsProviderType =
  (typeof BUILT_IN_SMS_PROVIDER_TYPES)[number];

/** Default timeout of one provider exchange, in milliseconds. */
export const DEFAULT_SMS_TIMEOUT_MS = 30_000;

/** Default limit of the provider response body that is read, in bytes. */
export const DEFAULT_SMS_MAX_RESPONSE_BYTES = 512 * 1024;

/** Default limit of SMS segments one message may need. */
export const DEFAULT_SMS_MAX_SEGMENTS = 10;

/** Default number of distinct client certificates whose HTTPS agents are kept. */
export const DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE = 100;

/** Placeholders an Access URL parameter value may contain. */
export const ACCESS_URL_PLACEHOLDERS = [
  '{phone}',
  '{message}',
  '{fromName}',
] as const;

/**
 * One of {@link ACCESS_URL_PLACEHOLDERS}, captured: `value.split` with it gives the fixed parts of
 * a parameter value at even places and the placeholders between them at odd ones.
 */
export const ACCESS_URL_PLACEHOLDER_PATTERN =
  /(\{(?:phone|message|fromName)\})/;

/** Injection token of the validated site settings (`ValidatedSmsSettings | undefined`). */
export const SMS_SITE_SETTINGS = Symbol('SMS_SITE_SETTINGS');
